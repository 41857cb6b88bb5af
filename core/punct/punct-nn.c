/* gst-stt — what the punct model's two networks share: matrix products, log-softmax, the
 * seeded random sequence and OpenBLAS on one thread.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "punct-private.h"

#include <math.h>

#ifdef STT_HAVE_BLAS
#include <cblas.h>
#endif

void
punct_gemm (gboolean ta, gboolean tb, const float *a, const float *b, float *c, gsize m,
    gsize n, gsize k, gboolean accumulate)
{
  if (m == 0 || n == 0)
    return;
#ifdef STT_HAVE_BLAS
  cblas_sgemm (CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
      m, n, k, 1.0f, a, ta ? m : k, b, tb ? k : n, accumulate ? 1.0f : 0.0f, c, n);
#else
  for (gsize i = 0; i < m; i++)
    for (gsize j = 0; j < n; j++) {
      float s = accumulate ? c[i * n + j] : 0.0f;
      for (gsize p = 0; p < k; p++)
        s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
#endif
}

void
punct_log_softmax (float *v)
{
  float top = v[0];
  for (guint l = 1; l < STT_PUNCT_N_LABELS; l++)
    top = MAX (top, v[l]);
  double z = 0;
  for (guint l = 0; l < STT_PUNCT_N_LABELS; l++)
    z += exp (v[l] - top);
  float lz = top + (float) log (z);
  for (guint l = 0; l < STT_PUNCT_N_LABELS; l++)
    v[l] -= lz;
}

guint64
punct_next_random (guint64 *s)
{
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * G_GUINT64_CONSTANT (2685821657736338717);
}

float
punct_uniform (guint64 *s, float range)
{
  return ((punct_next_random (s) >> 40) / (float) (1 << 24) * 2.0f - 1.0f) * range;
}
