/* gst-stt — PTM mixture weights: Sphinx sendump and the project's am/mixw.bin.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * sendump (§5.3 of the notes): int32-length-prefixed strings up to a zero length (the header
 * holds "feature_count N" and "cluster_count 0"), int32 n_codeword, int32 n_senone, then
 * uint8 q[stream][codeword][senone]: weight = B^(-1024 q), i.e. ln w = -q · 1024 · ln B.
 * am/mixw.bin: "STTMIXW\0", uint32 version 1, uint32 n_feat, n_codeword, n_senone, float32
 * unit (nats per step of q, 1024 · ln B), then the same uint8 array. Used in place.
 */
#include "am-private.h"

#include <math.h>
#include <string.h>

struct _SttMixw {
  gint refcount;
  int n_feat, n_cw, n_sen;
  float unit;
  GBytes *bytes;
  const guint8 *q;
};

static const char own_magic[8] = { 'S', 'T', 'T', 'M', 'I', 'X', 'W', 0 };

SttMixw *
stt_mixw_ref (SttMixw *w)
{
  g_atomic_int_inc (&w->refcount);
  return w;
}

void
stt_mixw_unref (SttMixw *w)
{
  if (w && g_atomic_int_dec_and_test (&w->refcount)) {
    g_bytes_unref (w->bytes);
    g_free (w);
  }
}

static SttMixw *
mixw_new (GBytes *bytes, const guint8 *q, int n_feat, int n_cw, int n_sen, float unit)
{
  SttMixw *w = g_new0 (SttMixw, 1);
  w->refcount = 1;
  w->bytes = g_bytes_ref (bytes);
  w->q = q;
  w->n_feat = n_feat;
  w->n_cw = n_cw;
  w->n_sen = n_sen;
  w->unit = unit;
  return w;
}

/* "key N" strings of the sendump header. */
static gboolean
header_int (const char *s, const char *key, int *out)
{
  gsize n = strlen (key);
  if (strncmp (s, key, n) != 0 || s[n] != ' ')
    return FALSE;
  *out = atoi (s + n + 1);
  return TRUE;
}

SttMixw *
stt_mixw_parse_sphinx (GBytes *bytes, const char *name, GError **error)
{
  SttReader r;
  stt_reader_init (&r, bytes, name);
  int n_feat = -1, clusters = 0;
  gint32 len;
  const guint8 *s;
  /* Sphinx writes it in host order; a first length that is huge means the other order. */
  if (r.size >= 4) {
    guint32 first;
    memcpy (&first, r.data, 4);
    r.swap = GUINT32_FROM_LE (first) > 999999 && GUINT32_FROM_BE (first) <= 999999;
    r.swap = r.swap == (G_BYTE_ORDER == G_LITTLE_ENDIAN);
  }
  for (int i = 0;; i++) {
    gsize at = r.pos;
    if (!stt_reader_i32 (&r, "a header string length", &len, error)
        || !stt_check_range (&r, at, "a header string length", len, i == 0 ? 1 : 0, 4096,
            error))
      return NULL;
    if (len == 0)
      break;
    if (!stt_reader_bytes (&r, "a header string", len, &s, error))
      return NULL;
    if (i == 0 && memcmp (s, "BEGIN FILE FORMAT DESCRIPTION", MIN (len, 29)) != 0) {
      g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_FOREIGN,
          "%s: not a Sphinx sendump: expected the title \"BEGIN FILE FORMAT DESCRIPTION\" at "
          "byte 4; check that this is the mixture-weight file", name);
      return NULL;
    }
    g_autofree char *str = g_strndup ((const char *) s, len);
    header_int (str, "feature_count", &n_feat);
    header_int (str, "cluster_count", &clusters);
  }
  if (clusters != 0) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_UNSUPPORTED,
        "%s: cluster_count %d (4-bit clustered weights) is not supported; only 8-bit "
        "weights (cluster_count 0) are", name, clusters);
    return NULL;
  }
  if (n_feat < 1 || n_feat > 8) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
        "%s: header has feature_count %d, expected a \"feature_count N\" string with N in "
        "1..8; the file is damaged", name, n_feat);
    return NULL;
  }
  gint32 rows, cols;
  gsize at = r.pos;
  if (!stt_reader_i32 (&r, "the codeword count", &rows, error)
      || !stt_check_range (&r, at, "the codeword count", rows, 1, 65535, error)
      || !stt_reader_i32 (&r, "the senone count", &cols, error)
      || !stt_check_range (&r, at + 4, "the senone count", cols, 1, 65535, error)
      || !stt_reader_bytes (&r, "the mixture weights", (gsize) n_feat * rows * cols, &s, error)
      || !stt_reader_at_end (&r, error))
    return NULL;
  return mixw_new (bytes, s, n_feat, rows, cols, (float) (1024 * STT_SPHINX_LN_B));
}

SttMixw *
stt_mixw_parse (GBytes *bytes, const char *name, GError **error)
{
  SttReader r;
  stt_reader_init (&r, bytes, name);
  guint32 d[3];
  float unit;
  const guint8 *q;
  gsize at;
  if (!stt_own_read_header (&r, own_magic, error))
    return NULL;
  at = r.pos;
  if (!stt_reader_u32_array (&r, "the dimensions", 3, d, error)
      || !stt_check_range (&r, at, "n_feat", d[0], 1, 8, error)
      || !stt_check_range (&r, at + 4, "the codeword count", d[1], 1, 65535, error)
      || !stt_check_range (&r, at + 8, "the senone count", d[2], 1, 65535, error))
    return NULL;
  at = r.pos;
  if (!stt_reader_u32 (&r, "the weight unit", (guint32 *) &unit, error))
    return NULL;
  if (!(unit > 0 && unit < 100)) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
        "%s: weight unit at byte %" G_GSIZE_FORMAT " is %g, expected a positive number of "
        "nats below 100; the file is damaged", name, at, unit);
    return NULL;
  }
  if (!stt_reader_bytes (&r, "the mixture weights", (gsize) d[0] * d[1] * d[2], &q, error)
      || !stt_reader_at_end (&r, error))
    return NULL;
  return mixw_new (bytes, q, d[0], d[1], d[2], unit);
}

GBytes *
stt_mixw_serialize (const SttMixw *w)
{
  GByteArray *out = g_byte_array_new ();
  stt_own_write_header (out, own_magic);
  stt_own_write_u32 (out, w->n_feat);
  stt_own_write_u32 (out, w->n_cw);
  stt_own_write_u32 (out, w->n_sen);
  stt_own_write_f32 (out, w->unit);
  g_byte_array_append (out, w->q, (gsize) w->n_feat * w->n_cw * w->n_sen);
  return g_byte_array_free_to_bytes (out);
}

int stt_mixw_n_streams (const SttMixw *w) { return w->n_feat; }
int stt_mixw_n_codewords (const SttMixw *w) { return w->n_cw; }
int stt_mixw_n_senones (const SttMixw *w) { return w->n_sen; }
float stt_mixw_unit (const SttMixw *w) { return w->unit; }

const guint8 *
stt_mixw_row (const SttMixw *w, int f, int cw)
{
  g_return_val_if_fail (f >= 0 && f < w->n_feat && cw >= 0 && cw < w->n_cw, NULL);
  return w->q + ((gsize) f * w->n_cw + cw) * w->n_sen;
}
