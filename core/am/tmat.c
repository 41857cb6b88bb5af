/* gst-stt — HMM transition matrices: Sphinx s3 transition_matrices and the project's am/tmat.bin.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The Sphinx file holds raw counts; on import each row is normalised, non-zero entries below
 * 1e-4 are raised to it and the row renormalised (§5.4 of the notes). am/tmat.bin holds those
 * normalised float32 probabilities: "STTTMAT\0", uint32 version 1, uint32 n_tmat, uint32 N,
 * then n_tmat × N × (N+1) float32, little-endian.
 */
#include "am-private.h"

#include <math.h>
#include <string.h>

#define TMAT_FLOOR 1e-4f

struct _SttTmat {
  gint refcount;
  int n_tmat, n_state;   /* n_state = N emitting states; rows 0..N-1, columns 0..N */
  float *prob;           /* normalised probabilities */
  float *logprob;        /* natural log, -INFINITY for 0 */
  guint8 *cost;          /* Sphinx integer costs */
};

static const char own_magic[8] = { 'S', 'T', 'T', 'T', 'M', 'A', 'T', 0 };

static void
tmat_free (SttTmat *t)
{
  g_free (t->prob);
  g_free (t->logprob);
  g_free (t->cost);
  g_free (t);
}

SttTmat *
stt_tmat_ref (SttTmat *tmat)
{
  g_atomic_int_inc (&tmat->refcount);
  return tmat;
}

void
stt_tmat_unref (SttTmat *tmat)
{
  if (tmat && g_atomic_int_dec_and_test (&tmat->refcount))
    tmat_free (tmat);
}

static gsize
n_values (const SttTmat *t)
{
  return (gsize) t->n_tmat * t->n_state * (t->n_state + 1);
}

/* Logs and Sphinx costs from the probabilities. */
static void
derive (SttTmat *t)
{
  gsize n = n_values (t);
  t->logprob = g_new (float, n);
  t->cost = g_new (guint8, n);
  for (gsize i = 0; i < n; i++) {
    double p = t->prob[i];
    t->logprob[i] = p > 0 ? (float) log (p) : -INFINITY;
    int c = 255;
    if (p > 0) {
      int logb = (int) (log (p) / STT_SPHINX_LN_B);
      c = MIN (255, (-logb) >> 10);
    }
    t->cost[i] = c;
  }
}

static void
normalise_row (float *row, int n)
{
  double sum = 0;
  for (int k = 0; k < n; k++)
    sum += row[k];
  if (sum <= 0)
    return;
  for (int k = 0; k < n; k++)
    row[k] = (float) (row[k] / sum);
}

static SttTmat *
tmat_new (int n_tmat, int n_state)
{
  SttTmat *t = g_new0 (SttTmat, 1);
  t->refcount = 1;
  t->n_tmat = n_tmat;
  t->n_state = n_state;
  t->prob = g_new (float, n_values (t));
  return t;
}

static gboolean
check_values (SttReader *r, gsize at, const SttTmat *t, GError **error)
{
  for (gsize i = 0; i < n_values (t); i++)
    if (!(t->prob[i] >= 0 && t->prob[i] < INFINITY)) {
      g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
          "%s: transition value at byte %" G_GSIZE_FORMAT " is %g, expected a finite value "
          ">= 0; the file is damaged", r->name, at + 4 * i, t->prob[i]);
      return FALSE;
    }
  return TRUE;
}

SttTmat *
stt_tmat_parse_sphinx (GBytes *bytes, const char *name, GError **error)
{
  SttReader r;
  g_autoptr (GHashTable) header = NULL;
  stt_reader_init (&r, bytes, name);
  if (!stt_s3_read_header (&r, &header, error))
    return NULL;
  gint32 dims[4];
  gsize at = r.pos;
  if (!stt_reader_u32_array (&r, "the matrix dimensions", 4, (guint32 *) dims, error)
      || !stt_check_range (&r, at, "n_tmat", dims[0], 1, 65535, error)
      || !stt_check_range (&r, at + 4, "the number of from-states", dims[1], 1, 16, error)
      || !stt_check_range (&r, at + 8, "the number of to-states (from-states + 1)", dims[2],
          dims[1] + 1, dims[1] + 1, error)
      || !stt_check_range (&r, at + 12, "the value count", dims[3],
          (gint64) dims[0] * dims[1] * dims[2], (gint64) dims[0] * dims[1] * dims[2], error))
    return NULL;
  SttTmat *t = tmat_new (dims[0], dims[1]);
  at = r.pos;
  if (!stt_reader_u32_array (&r, "the transition counts", n_values (t), (guint32 *) t->prob,
          error) || !check_values (&r, at, t, error)
      || !stt_s3_read_checksum (&r, header, error)) {
    tmat_free (t);
    return NULL;
  }
  int w = t->n_state + 1;
  for (gsize row = 0; row < (gsize) t->n_tmat * t->n_state; row++) {
    float *p = t->prob + row * w;
    normalise_row (p, w);
    for (int k = 0; k < w; k++)
      if (p[k] > 0 && p[k] < TMAT_FLOOR)
        p[k] = TMAT_FLOOR;
    normalise_row (p, w);
  }
  derive (t);
  return t;
}

SttTmat *
stt_tmat_parse (GBytes *bytes, const char *name, GError **error)
{
  SttReader r;
  stt_reader_init (&r, bytes, name);
  guint32 n_tmat, n_state;
  gsize at;
  if (!stt_own_read_header (&r, own_magic, error))
    return NULL;
  at = r.pos;
  if (!stt_reader_u32 (&r, "n_tmat", &n_tmat, error)
      || !stt_check_range (&r, at, "n_tmat", n_tmat, 1, 65535, error)
      || !stt_reader_u32 (&r, "the number of emitting states", &n_state, error)
      || !stt_check_range (&r, at + 4, "the number of emitting states", n_state, 1, 16, error))
    return NULL;
  SttTmat *t = tmat_new (n_tmat, n_state);
  at = r.pos;
  if (!stt_reader_u32_array (&r, "the transition probabilities", n_values (t),
          (guint32 *) t->prob, error) || !check_values (&r, at, t, error)
      || !stt_reader_at_end (&r, error)) {
    tmat_free (t);
    return NULL;
  }
  for (gsize i = 0; i < n_values (t); i++)
    if (t->prob[i] > 1) {
      g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
          "%s: transition probability at byte %" G_GSIZE_FORMAT " is %g, expected 0..1; the "
          "file is damaged", name, at + 4 * i, t->prob[i]);
      tmat_free (t);
      return NULL;
    }
  derive (t);
  return t;
}

GBytes *
stt_tmat_serialize (const SttTmat *t)
{
  GByteArray *out = g_byte_array_new ();
  stt_own_write_header (out, own_magic);
  stt_own_write_u32 (out, t->n_tmat);
  stt_own_write_u32 (out, t->n_state);
  for (gsize i = 0; i < n_values (t); i++)
    stt_own_write_f32 (out, t->prob[i]);
  return g_byte_array_free_to_bytes (out);
}

int stt_tmat_n_tmats (const SttTmat *t) { return t->n_tmat; }
int stt_tmat_n_emit_states (const SttTmat *t) { return t->n_state; }

static gsize
index_of (const SttTmat *t, int m, int from, int to)
{
  return ((gsize) m * t->n_state + from) * (t->n_state + 1) + to;
}

static gboolean
valid (const SttTmat *t, int m, int from, int to)
{
  return m >= 0 && m < t->n_tmat && from >= 0 && from < t->n_state && to >= 0
      && to <= t->n_state;
}

float
stt_tmat_logprob (const SttTmat *t, int m, int from, int to)
{
  g_return_val_if_fail (valid (t, m, from, to), -INFINITY);
  return t->logprob[index_of (t, m, from, to)];
}

const float *
stt_tmat_logprobs (const SttTmat *t, int m)
{
  g_return_val_if_fail (m >= 0 && m < t->n_tmat, NULL);
  return t->logprob + index_of (t, m, 0, 0);
}

int
stt_tmat_sphinx_cost (const SttTmat *t, int m, int from, int to)
{
  g_return_val_if_fail (valid (t, m, from, to), 255);
  return t->cost[index_of (t, m, from, to)];
}
