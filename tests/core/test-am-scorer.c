/* gst-stt — senone scores of the PTM scorer against a plain double-precision reference, on
 * features of a real recording; top-4 against the full mixture; GEMM against plain C.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stt/am.h>
#include "testutil.h"

#include <math.h>
#include <string.h>

typedef struct {
  SttModel *model;
  SttAcousticTables *tables;
  float *feat;
  gsize n_frames;
  int dim, n_sen;
} Fixture;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fx->model = stt_model_cache_lookup (STT_DEFAULT_MODEL_ID, &error);
  g_assert_no_error (error);
  fx->tables = stt_acoustic_tables_from_model (fx->model, &error);
  g_assert_no_error (error);
  fx->dim = stt_acoustic_tables_dim (fx->tables);
  fx->n_sen = stt_acoustic_tables_n_senones (fx->tables);
  g_autofree char *params = stt_model_get_path (fx->model, "feat.params", &error);
  g_assert_no_error (error);
  fx->feat = stt_test_wav_features (params, "dev/arctic_cathy/cathy_arctic_a0002.wav",
      &fx->n_frames);
  g_assert_cmpint (fx->dim, ==, 39);
  g_assert_cmpuint (fx->n_frames, >, 100);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_free (fx->feat);
  stt_acoustic_tables_unref (fx->tables);
  stt_model_unref (fx->model);
}

/* The textbook formula in double, straight from the model's arrays: for senone s of codebook
 * m, Σ_f ln Σ_{g ∈ G} w_{s,f,g} N(x_f; μ_{m,f,g}, max(σ², floor)); then best = 0. G = the
 * @top_n Gaussians of (m, f) with the highest density (all of them for 128). */
static void
reference_scores (const Fixture *fx, const float *x, int top_n, double *out)
{
  SttGauden *means = stt_acoustic_tables_get_means (fx->tables);
  SttGauden *vars = stt_acoustic_tables_get_variances (fx->tables);
  SttMixw *mixw = stt_acoustic_tables_get_mixw (fx->tables);
  SttMdef *mdef = stt_acoustic_tables_get_mdef (fx->tables);
  int n_cb = stt_gauden_n_codebooks (means), n_f = stt_gauden_n_streams (means);
  int nd = stt_gauden_n_densities (means);
  g_autofree double *logn = g_new (double, (gsize) n_cb * n_f * nd);
  for (int m = 0; m < n_cb; m++)
    for (int f = 0; f < n_f; f++) {
      int v = stt_gauden_veclen (means, f), off = stt_gauden_stream_offset (means, f);
      const float *mu = stt_gauden_values (means, m, f), *var = stt_gauden_values (vars, m, f);
      for (int g = 0; g < nd; g++) {
        double l = 0;
        for (int i = 0; i < v; i++) {
          double s2 = fmax (var[g * v + i], STT_AM_VARIANCE_FLOOR);
          double d = x[off + i] - mu[g * v + i];
          l += -0.5 * log (2 * M_PI * s2) - d * d / (2 * s2);
        }
        logn[((gsize) m * n_f + f) * nd + g] = l;
      }
      /* drop all but the top_n: repeatedly take the largest remaining */
      double *l = logn + ((gsize) m * n_f + f) * nd;
      gboolean keep[512] = { FALSE };
      for (int k = 0; k < MIN (top_n, nd); k++) {
        int arg = -1;
        for (int g = 0; g < nd; g++)
          if (!keep[g] && (arg < 0 || l[g] > l[arg]))
            arg = g;
        keep[arg] = TRUE;
      }
      for (int g = 0; g < nd; g++)
        if (!keep[g])
          l[g] = -INFINITY;
    }
  double unit = stt_mixw_unit (mixw), best = -INFINITY;
  for (int s = 0; s < fx->n_sen; s++) {
    int m = stt_mdef_senone_codebook (mdef, s);
    double total = 0;
    for (int f = 0; f < n_f; f++) {
      const double *l = logn + ((gsize) m * n_f + f) * nd;
      double mx = -INFINITY, sum = 0;
      for (int g = 0; g < nd; g++)
        mx = fmax (mx, l[g] - stt_mixw_row (mixw, f, g)[s] * unit);
      for (int g = 0; g < nd; g++)
        if (l[g] > -INFINITY)
          sum += exp (l[g] - stt_mixw_row (mixw, f, g)[s] * unit - mx);
      total += mx + log (sum);
    }
    out[s] = total;
    best = fmax (best, total);
  }
  for (int s = 0; s < fx->n_sen; s++)
    out[s] -= best;
}

static int
compare_float (gconstpointer a, gconstpointer b)
{
  float x = *(const float *) a, y = *(const float *) b;
  return (x > y) - (x < y);
}

static float *
score_all (const Fixture *fx, int top_n, gboolean blas, int batch)
{
  g_autoptr (SttAcousticScorer) sc = stt_acoustic_scorer_new (fx->tables, top_n, blas, batch);
  float *out = g_new (float, fx->n_frames * fx->n_sen);
  stt_acoustic_scorer_score (sc, fx->feat, fx->n_frames, out);
  return out;
}

/* Frame k of @n_pick spread evenly over the utterance. */
static gsize
picked (const Fixture *fx, gsize k, gsize n_pick)
{
  return k * (fx->n_frames - 1) / (n_pick - 1);
}

/* Scores of @n_pick frames spread over the utterance (frames are scored independently). */
static float *
score_picked (const Fixture *fx, gsize n_pick, int top_n, gboolean blas, int batch)
{
  g_autofree float *feat = g_new (float, n_pick * fx->dim);
  for (gsize k = 0; k < n_pick; k++)
    memcpy (feat + k * fx->dim, fx->feat + picked (fx, k, n_pick) * fx->dim,
        fx->dim * sizeof (float));
  g_autoptr (SttAcousticScorer) sc = stt_acoustic_scorer_new (fx->tables, top_n, blas, batch);
  float *out = g_new (float, n_pick * fx->n_sen);
  stt_acoustic_scorer_score (sc, feat, n_pick, out);
  return out;
}

typedef struct {
  int top_n;
  gboolean blas;
} Mode;

/* The scorer equals the reference within 5e-4 nats + 2e-6 relative on 16 frames spread over
 * the utterance, for the GEMM and the plain path. With top-n 128 (every Gaussian) every score
 * must; with top-n 4 a float near-tie may select another 4th Gaussian than double does, so
 * up to 0.1% of the scores may differ. */
static void
test_vs_reference (Fixture *fx, gconstpointer data)
{
  const Mode *mode = data;
  if (mode->blas && !stt_acoustic_have_blas ()) {
    g_test_skip ("built without OpenBLAS");
    return;
  }
  enum { N_PICK = 16 };
  g_autofree float *got = score_picked (fx, N_PICK, mode->top_n, mode->blas, 10);
  g_autofree double *ref = g_new (double, fx->n_sen);
  double worst = 0;
  gsize off = 0, total = 0;
  for (gsize k = 0; k < N_PICK; k++) {
    gsize fr = picked (fx, k, N_PICK);
    reference_scores (fx, fx->feat + fr * fx->dim, mode->top_n, ref);
    for (int s = 0; s < fx->n_sen; s++, total++) {
      double diff = fabs (got[k * fx->n_sen + s] - ref[s]);
      double tol = 5e-4 + 2e-6 * fabs (ref[s]);
      if (diff <= tol) {
        worst = fmax (worst, diff / tol);
        continue;
      }
      off++;
      if (mode->top_n >= 128)
        g_error ("frame %zu senone %d: scorer %.6f, reference %.6f (tolerance %.2g)", fr, s,
            got[k * fx->n_sen + s], ref[s], tol);
    }
  }
  g_test_message ("largest difference within tolerance: %.3f of it; %zu of %zu outside",
      worst, off, total);
  g_assert_cmpuint (off * 1000, <=, total);
}

/* Top-4 against the full mixture, on every third frame. Top-N keeps the 4 densest Gaussians of a
 * codebook whatever a senone's weights on them, so it only lowers a senone's (unshifted)
 * score, by up to ln(1/weight share kept); there is no tight analytic bound. Measured on this
 * recording among senones within 15 nats of the frame's best exact score: mean |diff| 0.94
 * nats, 99th percentile 4.9 nats, same best senone in 77% of these frames (82% of all). Bounds with margin:
 * mean < 1.5, 99th percentile < 8, same best >= 70%. */
static void
test_topn_vs_exact (Fixture *fx, gconstpointer data)
{
  gsize n_pick = fx->n_frames / 3;   /* every third frame keeps the exact mixtures quick */
  g_autofree float *exact = score_picked (fx, n_pick, 128, TRUE, 10);
  g_autofree float *top4 = score_picked (fx, n_pick, 4, TRUE, 10);
  g_autoptr (GArray) diffs = g_array_new (FALSE, FALSE, sizeof (float));
  double sum = 0;
  gsize same_best = 0;
  for (gsize fr = 0; fr < n_pick; fr++) {
    const float *e = exact + fr * fx->n_sen, *t = top4 + fr * fx->n_sen;
    int be = 0, bt = 0;
    for (int s = 0; s < fx->n_sen; s++) {
      be = e[s] > e[be] ? s : be;
      bt = t[s] > t[bt] ? s : bt;
      g_assert_cmpfloat (t[s], <=, 0);
      if (e[s] > -15) {
        float d = fabsf (e[s] - t[s]);
        g_array_append_val (diffs, d);
        sum += d;
      }
    }
    same_best += be == bt;
  }
  g_array_sort (diffs, compare_float);
  float p99 = g_array_index (diffs, float, (gsize) (0.99 * (diffs->len - 1)));
  double mean = sum / diffs->len;
  g_test_message ("top-4 vs exact over %u near-best scores: mean |diff| %.4f nats, 99th "
      "percentile %.4f, same best senone in %zu of %zu frames", diffs->len, mean, p99,
      same_best, n_pick);
  g_assert_cmpfloat (mean, <, 1.5);
  g_assert_cmpfloat (p99, <, 8);
  g_assert_cmpuint (same_best * 100, >=, 70 * n_pick);
}

/* The GEMM path and the plain path agree (top-4: same selection up to float rounding). */
static void
test_blas_vs_plain (Fixture *fx, gconstpointer data)
{
  if (!stt_acoustic_have_blas ()) {
    g_test_skip ("built without OpenBLAS");
    return;
  }
  g_autofree float *a = score_all (fx, 4, TRUE, 7);
  g_autofree float *b = score_all (fx, 4, FALSE, 7);
  gsize n = fx->n_frames * fx->n_sen, off = 0;
  for (gsize i = 0; i < n; i++)
    off += fabsf (a[i] - b[i]) > 1e-2f + 1e-4f * fabsf (b[i]);
  g_test_message ("%zu of %zu scores differ by more than 0.01 nats", off, n);
  g_assert_cmpuint (off * 10000, <=, n);   /* near-ties in the top-4 selection only */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  static const Mode modes[] = { { 128, TRUE }, { 128, FALSE }, { 4, TRUE }, { 4, FALSE } };
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++) {
    g_autofree char *name = g_strdup_printf ("/am/scorer/vs-reference/top%d-%s",
        modes[i].top_n, modes[i].blas ? "blas" : "plain");
    g_test_add (name, Fixture, &modes[i], fixture_set_up, test_vs_reference,
        fixture_tear_down);
  }
  g_test_add ("/am/scorer/top4-vs-exact", Fixture, NULL, fixture_set_up, test_topn_vs_exact,
      fixture_tear_down);
  g_test_add ("/am/scorer/blas-vs-plain", Fixture, NULL, fixture_set_up, test_blas_vs_plain,
      fixture_tear_down);
  return g_test_run ();
}
