/* gst-stt — per-stream PTM senone scorer over shared tables (Gaussians by GEMM or plain C).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Per frame: (1) every Gaussian's log density d (one GEMM per feature stream for a batch of
 * frames, or a plain loop); (2) per codebook and stream the top-N Gaussians, kept as
 * e_j = exp(d_j − d_max) (all of them when N >= the codebook size: the exact mixture);
 * (3) per senone and stream Σ_j w[q] e_j with the linear weight of its quantised mixture
 * weight, multiplied over the streams, one log per senone, plus Σ d_max; (4) shift so the
 * best senone is 0. Working in the linear domain relative to d_max needs no log-add table and
 * only one logf per senone.
 */
#include "scorer-private.h"

#include <float.h>
#include <math.h>
#include <string.h>

#ifdef STT_HAVE_BLAS
#include <cblas.h>
#endif

struct _SttAcousticScorer {
  SttAcousticTables *t;
  int top_n;            /* Gaussians kept per codebook and stream (<= n_density) */
  gboolean blas;
  int max_batch;
  float *x;             /* max_batch × (2·veclen+1): [x², x, 1] of one stream */
  float *d;             /* max_batch × G log densities of one stream */
  int *top_idx;         /* [frame][stream][codebook][top_n] */
  float *top_e;         /* same shape: exp(d − d_max) */
  float *dmax;          /* [frame][stream][codebook] */
  float *prod;          /* n_sen: running product over streams */
  float *lacc;          /* n_sen: logs taken out of the product to avoid underflow */
};

gboolean
stt_acoustic_have_blas (void)
{
#ifdef STT_HAVE_BLAS
  return TRUE;
#else
  return FALSE;
#endif
}

SttAcousticScorer *
stt_acoustic_scorer_new (SttAcousticTables *t, int top_n, gboolean use_blas, int max_batch)
{
  SttAcousticScorer *s = g_new0 (SttAcousticScorer, 1);
  int kmax = 0, G = t->n_mgau * t->n_density;
  for (int f = 0; f < t->n_feat; f++)
    kmax = MAX (kmax, 2 * t->veclen[f] + 1);
  s->t = stt_acoustic_tables_ref (t);
  s->top_n = CLAMP (top_n, 1, t->n_density);
  s->blas = use_blas && stt_acoustic_have_blas ();
  s->max_batch = MAX (max_batch, 1);
  s->x = g_new (float, (gsize) s->max_batch * kmax);
  s->d = g_new (float, (gsize) s->max_batch * G);
  gsize lists = (gsize) s->max_batch * t->n_feat * t->n_mgau;
  s->top_idx = g_new (int, lists * s->top_n);
  s->top_e = g_new (float, lists * s->top_n);
  s->dmax = g_new (float, lists);
  s->prod = g_new (float, t->n_sen);
  s->lacc = g_new (float, t->n_sen);
  return s;
}

void
stt_acoustic_scorer_free (SttAcousticScorer *s)
{
  if (!s)
    return;
  stt_acoustic_tables_unref (s->t);
  g_free (s->x);
  g_free (s->d);
  g_free (s->top_idx);
  g_free (s->top_e);
  g_free (s->dmax);
  g_free (s->prod);
  g_free (s->lacc);
  g_free (s);
}

/* Log densities of stream @f for @n frames into s->d (n × G). */
static void
densities_plain (SttAcousticScorer *s, const float *feat, int n, int f)
{
  const SttAcousticTables *t = s->t;
  int v = t->veclen[f], G = t->n_mgau * t->n_density;
  for (int fr = 0; fr < n; fr++) {
    const float *x = feat + (gsize) fr * t->dim + t->offset[f];
    float *out = s->d + (gsize) fr * G;
    for (int m = 0; m < t->n_mgau; m++) {
      const float *mu = stt_gauden_values (t->means, m, f);
      for (int g = 0; g < t->n_density; g++) {
        int col = m * t->n_density + g;
        const float *h = t->h[f] + (gsize) col * v, *u = mu + (gsize) g * v;
        float acc = 0;
        for (int i = 0; i < v; i++) {
          float diff = x[i] - u[i];
          acc += diff * diff * h[i];
        }
        out[col] = t->cst[f][col] - acc;
      }
    }
  }
}

#ifdef STT_HAVE_BLAS
static void
densities_blas (SttAcousticScorer *s, const float *feat, int n, int f)
{
  const SttAcousticTables *t = s->t;
  int v = t->veclen[f], K = 2 * v + 1, G = t->n_mgau * t->n_density;
  for (int fr = 0; fr < n; fr++) {
    const float *x = feat + (gsize) fr * t->dim + t->offset[f];
    float *row = s->x + (gsize) fr * K;
    for (int i = 0; i < v; i++) {
      row[i] = x[i] * x[i];
      row[v + i] = x[i];
    }
    row[2 * v] = 1.0f;
  }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, G, K, 1.0f, s->x, K, t->w[f], G,
      0.0f, s->d, G);
}
#endif

/* Top-N of one codebook's densities @d into @idx/@e (descending), returning the best. */
static float
select_top (const float *d, int nd, int top_n, int *idx, float *e)
{
  if (top_n >= nd) {
    float best = -INFINITY;
    for (int g = 0; g < nd; g++)
      best = MAX (best, d[g]);
    for (int g = 0; g < nd; g++) {
      idx[g] = g;
      e[g] = expf (d[g] - best);
    }
    return best;
  }
  int n = 0;
  for (int g = 0; g < nd; g++) {
    float v = d[g];
    if (n == top_n && !(v > e[n - 1]))
      continue;
    int j = n < top_n ? n++ : n - 1;
    while (j > 0 && e[j - 1] < v) {
      e[j] = e[j - 1];
      idx[j] = idx[j - 1];
      j--;
    }
    e[j] = v;
    idx[j] = g;
  }
  float best = e[0];
  for (int j = 0; j < n; j++)
    e[j] = expf (e[j] - best);
  return best;
}

static void
select_all (SttAcousticScorer *s, int n, int f)
{
  const SttAcousticTables *t = s->t;
  int G = t->n_mgau * t->n_density, N = s->top_n;
  for (int fr = 0; fr < n; fr++)
    for (int m = 0; m < t->n_mgau; m++) {
      gsize list = ((gsize) fr * t->n_feat + f) * t->n_mgau + m;
      s->dmax[list] = select_top (s->d + (gsize) fr * G + (gsize) m * t->n_density,
          t->n_density, N, s->top_idx + list * N, s->top_e + list * N);
    }
}

/* Σ_j w[q_j(s)] e_j for the senones of codebook m in stream f, multiplied into prod. */
static void
stream_sums (const SttAcousticTables *t, const guint8 *qf, const int *idx, const float *e,
    int N, const int *sen, int n, float *prod)
{
  const guint8 *row[N];
  const float *w = t->wlin;
  for (int j = 0; j < N; j++)
    row[j] = qf + (gsize) idx[j] * t->n_sen;
  if (N == 4) {   /* the default, unrolled */
    const guint8 *r0 = row[0], *r1 = row[1], *r2 = row[2], *r3 = row[3];
    float e0 = e[0], e1 = e[1], e2 = e[2], e3 = e[3];
    for (int i = 0; i < n; i++) {
      int k = sen[i];
      prod[k] *= (w[r0[k]] * e0 + w[r1[k]] * e1) + (w[r2[k]] * e2 + w[r3[k]] * e3);
    }
    return;
  }
  for (int i = 0; i < n; i++) {
    int k = sen[i];
    float sum = 0;
    for (int j = 0; j < N; j++)
      sum += w[row[j][k]] * e[j];
    prod[k] *= sum;
  }
}

static void
senones (SttAcousticScorer *s, int fr, float *out)
{
  const SttAcousticTables *t = s->t;
  int N = s->top_n, n_sen = t->n_sen, n_cw = t->n_density;
  for (int k = 0; k < n_sen; k++) {
    s->prod[k] = 1.0f;
    s->lacc[k] = 0.0f;
  }
  for (int f = 0; f < t->n_feat; f++) {
    const guint8 *qf = t->q + (gsize) f * n_cw * n_sen;
    gsize lists = ((gsize) fr * t->n_feat + f) * t->n_mgau;
    for (int m = 0; m < t->n_mgau; m++) {
      const int *sen = t->cb_senones + t->cb_start[m];
      int n = t->cb_start[m + 1] - t->cb_start[m];
      float dmax = s->dmax[lists + m];
      stream_sums (t, qf, s->top_idx + (lists + m) * N, s->top_e + (lists + m) * N, N, sen, n,
          s->prod);
      for (int i = 0; i < n; i++)
        s->lacc[sen[i]] += dmax;
    }
    if (!t->no_underflow)   /* take the logs out before the product can underflow */
      for (int k = 0; k < n_sen; k++) {
        s->lacc[k] += logf (MAX (s->prod[k], FLT_MIN));
        s->prod[k] = 1.0f;
      }
  }
  float best = -INFINITY;
  for (int k = 0; k < n_sen; k++) {
    out[k] = s->lacc[k] + logf (s->prod[k]);
    best = MAX (best, out[k]);
  }
  for (int k = 0; k < n_sen; k++)
    out[k] -= best;
}

static void
score_batch (SttAcousticScorer *s, const float *feat, int n, float *out)
{
  for (int f = 0; f < s->t->n_feat; f++) {
#ifdef STT_HAVE_BLAS
    if (s->blas)
      densities_blas (s, feat, n, f);
    else
#endif
      densities_plain (s, feat, n, f);
    select_all (s, n, f);
  }
  for (int fr = 0; fr < n; fr++)
    senones (s, fr, out + (gsize) fr * s->t->n_sen);
}

void
stt_acoustic_scorer_score (SttAcousticScorer *s, const float *feat, int n_frames, float *out)
{
  /* the plain path goes frame by frame: its "batch" is one frame */
  int step = s->blas ? s->max_batch : 1;
  for (int at = 0; at < n_frames; at += step) {
    int n = MIN (step, n_frames - at);
    score_batch (s, feat + (gsize) at * s->t->dim, n, out + (gsize) at * s->t->n_sen);
  }
}
