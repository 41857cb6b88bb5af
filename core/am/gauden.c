/* gst-stt — Gaussian codebooks (means or variances): Sphinx s3 files and the project's files.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Sphinx (§5.1 of the notes): s3 header; int32 n_mgau, n_feat, n_density, veclen[n_feat],
 * total; float32 [codebook][stream][density][dim]; checksum.
 * Ours (am/means.bin, am/variances.bin): "STTGAUS\0", uint32 version 1, uint32 n_mgau,
 * n_feat, n_density, veclen[n_feat], then the same float32 array, little-endian. On a
 * little-endian host the array is used in place from the (shared) mapping.
 */
#include "am-private.h"

#include <math.h>
#include <string.h>

#define MAX_FEAT 8

struct _SttGauden {
  gint refcount;
  int n_mgau, n_feat, n_density;
  int veclen[MAX_FEAT];
  int offset[MAX_FEAT];   /* Σ_{g<f} veclen_g */
  int dim;                /* Σ veclen */
  GBytes *bytes;          /* holds the values */
  const float *data;
};

static const char own_magic[8] = { 'S', 'T', 'T', 'G', 'A', 'U', 'S', 0 };

SttGauden *
stt_gauden_ref (SttGauden *g)
{
  g_atomic_int_inc (&g->refcount);
  return g;
}

void
stt_gauden_unref (SttGauden *g)
{
  if (g && g_atomic_int_dec_and_test (&g->refcount)) {
    g_bytes_unref (g->bytes);
    g_free (g);
  }
}

static gsize
n_values (const SttGauden *g)
{
  return (gsize) g->n_mgau * g->n_density * g->dim;
}

/* The dimensions, shared by both formats. */
static SttGauden *
read_dims (SttReader *r, GError **error)
{
  gint32 d[3];
  gsize at = r->pos;
  if (!stt_reader_u32_array (r, "the codebook dimensions", 3, (guint32 *) d, error)
      || !stt_check_range (r, at, "n_mgau (codebooks)", d[0], 1, 65535, error)
      || !stt_check_range (r, at + 4, "n_feat (streams)", d[1], 1, MAX_FEAT, error)
      || !stt_check_range (r, at + 8, "n_density (Gaussians per codebook)", d[2], 1, 65535,
          error))
    return NULL;
  g_autofree SttGauden *g = g_new0 (SttGauden, 1);
  g->refcount = 1;
  g->n_mgau = d[0];
  g->n_feat = d[1];
  g->n_density = d[2];
  at = r->pos;
  if (!stt_reader_u32_array (r, "the stream lengths", g->n_feat, (guint32 *) g->veclen, error))
    return NULL;
  for (int f = 0; f < g->n_feat; f++) {
    if (!stt_check_range (r, at + 4 * f, "a stream length", g->veclen[f], 1, 1024, error))
      return NULL;
    g->offset[f] = g->dim;
    g->dim += g->veclen[f];
  }
  return g_steal_pointer (&g);
}

static gboolean
check_values (SttReader *r, gsize at, const float *v, gsize n, gboolean variances,
    GError **error)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (v[i]) || (variances && v[i] < 0)) {
      g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
          "%s: value at byte %" G_GSIZE_FORMAT " is %g, expected a finite number%s; the file "
          "is damaged", r->name, at + 4 * i, v[i], variances ? " >= 0 (a variance)" : "");
      return FALSE;
    }
  return TRUE;
}

SttGauden *
stt_gauden_parse_sphinx (GBytes *bytes, const char *name, gboolean variances, GError **error)
{
  SttReader r;
  g_autoptr (GHashTable) header = NULL;
  stt_reader_init (&r, bytes, name);
  if (!stt_s3_read_header (&r, &header, error))
    return NULL;
  SttGauden *g = read_dims (&r, error);
  if (!g)
    return NULL;
  gint32 total;
  gsize at = r.pos;
  float *v = NULL;
  if (!stt_reader_i32 (&r, "the value count", &total, error)
      || !stt_check_range (&r, at, "the value count", total, n_values (g), n_values (g), error))
    goto fail;
  v = g_new (float, n_values (g));
  at = r.pos;
  if (!stt_reader_u32_array (&r, "the Gaussian parameters", n_values (g), (guint32 *) v,
          error) || !check_values (&r, at, v, n_values (g), variances, error)
      || !stt_s3_read_checksum (&r, header, error))
    goto fail;
  g->bytes = g_bytes_new_take (v, n_values (g) * sizeof (float));
  g->data = v;
  return g;
fail:
  g_free (v);
  stt_gauden_unref (g);
  return NULL;
}

SttGauden *
stt_gauden_parse (GBytes *bytes, const char *name, gboolean variances, GError **error)
{
  SttReader r;
  stt_reader_init (&r, bytes, name);
  if (!stt_own_read_header (&r, own_magic, error))
    return NULL;
  SttGauden *g = read_dims (&r, error);
  if (!g)
    return NULL;
  gsize at = r.pos;
  const guint8 *raw;
  if (!stt_reader_bytes (&r, "the Gaussian parameters", n_values (g) * 4, &raw, error)
      || !stt_reader_at_end (&r, error))
    goto fail;
  if (G_BYTE_ORDER == G_LITTLE_ENDIAN && (GPOINTER_TO_SIZE (raw) % 4) == 0) {
    g->bytes = g_bytes_ref (bytes);   /* in place: one copy per process */
    g->data = (const float *) raw;
  } else {
    float *v = g_new (float, n_values (g));
    r.pos = at;
    stt_reader_u32_array (&r, "the Gaussian parameters", n_values (g), (guint32 *) v, NULL);
    g->bytes = g_bytes_new_take (v, n_values (g) * sizeof (float));
    g->data = v;
  }
  if (!check_values (&r, at, g->data, n_values (g), variances, error))
    goto fail;
  return g;
fail:
  stt_gauden_unref (g);
  return NULL;
}

GBytes *
stt_gauden_serialize (const SttGauden *g)
{
  GByteArray *out = g_byte_array_new ();
  stt_own_write_header (out, own_magic);
  stt_own_write_u32 (out, g->n_mgau);
  stt_own_write_u32 (out, g->n_feat);
  stt_own_write_u32 (out, g->n_density);
  for (int f = 0; f < g->n_feat; f++)
    stt_own_write_u32 (out, g->veclen[f]);
  for (gsize i = 0; i < n_values (g); i++)
    stt_own_write_f32 (out, g->data[i]);
  return g_byte_array_free_to_bytes (out);
}

int stt_gauden_n_codebooks (const SttGauden *g) { return g->n_mgau; }
int stt_gauden_n_streams (const SttGauden *g) { return g->n_feat; }
int stt_gauden_n_densities (const SttGauden *g) { return g->n_density; }
int stt_gauden_dim (const SttGauden *g) { return g->dim; }

int
stt_gauden_veclen (const SttGauden *g, int f)
{
  g_return_val_if_fail (f >= 0 && f < g->n_feat, 0);
  return g->veclen[f];
}

int
stt_gauden_stream_offset (const SttGauden *g, int f)
{
  g_return_val_if_fail (f >= 0 && f < g->n_feat, 0);
  return g->offset[f];
}

const float *
stt_gauden_values (const SttGauden *g, int m, int f)
{
  g_return_val_if_fail (m >= 0 && m < g->n_mgau && f >= 0 && f < g->n_feat, NULL);
  return g->data + (gsize) m * g->n_density * g->dim + (gsize) g->offset[f] * g->n_density;
}

GBytes *
stt_gauden_get_bytes (const SttGauden *g)
{
  return g->bytes;
}

gboolean
stt_gauden_same_shape (const SttGauden *a, const SttGauden *b)
{
  if (a->n_mgau != b->n_mgau || a->n_feat != b->n_feat || a->n_density != b->n_density)
    return FALSE;
  for (int f = 0; f < a->n_feat; f++)
    if (a->veclen[f] != b->veclen[f])
      return FALSE;
  return TRUE;
}
