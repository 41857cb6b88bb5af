/* gst-stt — the shared, precomputed tables of a PTM acoustic model.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The log density of a diagonal Gaussian expands to a dot product with [x², x, 1]:
 *   ln N(x) = c − ½Σ ln(2πσ²) ... = Σ_i (−h_i) x_i² + Σ_i (2 h_i μ_i) x_i + (c − Σ_i h_i μ_i²)
 * with h = 1/(2σ²) and c = −½ Σ ln(2πσ_i²). One matrix W_f ((2·veclen+1) × all Gaussians) per
 * stream turns a batch of frames into all their log densities with one GEMM. The plain path
 * keeps μ, h and the constant per Gaussian instead.
 */
#include "scorer-private.h"
#include "../util/blas.h"

#include <math.h>

static void
tables_free (SttAcousticTables *t)
{
  for (int f = 0; f < t->n_feat; f++) {
    g_free (t->w[f]);
    g_free (t->h[f]);
    g_free (t->cst[f]);
  }
  g_free (t->sen2cb);
  g_free (t->cb_senones);
  g_free (t->cb_start);
  stt_mdef_unref (t->mdef);
  stt_gauden_unref (t->means);
  stt_gauden_unref (t->vars);
  stt_mixw_unref (t->mixw);
  g_free (t);
}

SttAcousticTables *
stt_acoustic_tables_ref (SttAcousticTables *t)
{
  g_atomic_int_inc (&t->refcount);
  return t;
}

void
stt_acoustic_tables_unref (SttAcousticTables *t)
{
  if (t && g_atomic_int_dec_and_test (&t->refcount))
    tables_free (t);
}

static gboolean
check_fit (SttMdef *mdef, SttGauden *means, SttGauden *vars, SttMixw *mixw, GError **error)
{
  const char *what = NULL;
  if (!stt_gauden_same_shape (means, vars))
    what = "means and variances have different dimensions";
  else if (stt_gauden_n_codebooks (means) != stt_mdef_n_ciphones (mdef))
    what = "the number of codebooks differs from the number of CI phones (not a PTM model)";
  else if (stt_mixw_n_senones (mixw) != stt_mdef_n_senones (mdef))
    what = "the mixture weights and the phone set have different senone counts";
  else if (stt_mixw_n_streams (mixw) != stt_gauden_n_streams (means)
      || stt_mixw_n_codewords (mixw) != stt_gauden_n_densities (means))
    what = "the mixture weights do not match the codebooks' streams or Gaussians";
  if (!what)
    return TRUE;
  g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
      "acoustic model files do not fit together: %s (%d CI phones, %d senones; %d codebooks × "
      "%d streams × %d Gaussians; weights %d streams × %d codewords × %d senones)", what,
      stt_mdef_n_ciphones (mdef), stt_mdef_n_senones (mdef), stt_gauden_n_codebooks (means),
      stt_gauden_n_streams (means), stt_gauden_n_densities (means), stt_mixw_n_streams (mixw),
      stt_mixw_n_codewords (mixw), stt_mixw_n_senones (mixw));
  return FALSE;
}

static void
precompute_stream (SttAcousticTables *t, int f)
{
  int v = t->veclen[f], nd = t->n_density, G = t->n_mgau * nd;
  t->w[f] = g_new0 (float, (gsize) (2 * v + 1) * G);
  t->h[f] = g_new (float, (gsize) G * v);
  t->cst[f] = g_new (float, G);
  for (int m = 0; m < t->n_mgau; m++) {
    const float *mu = stt_gauden_values (t->means, m, f);
    const float *var = stt_gauden_values (t->vars, m, f);
    for (int g = 0; g < nd; g++) {
      int col = m * nd + g;
      double c = 0, k = 0;
      for (int i = 0; i < v; i++) {
        double s2 = MAX (var[g * v + i], STT_AM_VARIANCE_FLOOR);
        double h = 1.0 / (2.0 * s2), u = mu[g * v + i];
        c -= 0.5 * log (2.0 * G_PI * s2);
        k += h * u * u;
        t->w[f][(gsize) i * G + col] = (float) -h;
        t->w[f][(gsize) (v + i) * G + col] = (float) (2.0 * h * u);
        t->h[f][(gsize) col * v + i] = (float) h;
      }
      t->w[f][(gsize) 2 * v * G + col] = (float) (c - k);
      t->cst[f][col] = (float) c;
    }
  }
}

SttAcousticTables *
stt_acoustic_tables_new (SttMdef *mdef, SttGauden *means, SttGauden *vars, SttMixw *mixw,
    GError **error)
{
  if (!check_fit (mdef, means, vars, mixw, error))
    return NULL;
  SttAcousticTables *t = g_new0 (SttAcousticTables, 1);
  t->refcount = 1;
  t->mdef = stt_mdef_ref (mdef);
  t->means = stt_gauden_ref (means);
  t->vars = stt_gauden_ref (vars);
  t->mixw = stt_mixw_ref (mixw);
  t->n_mgau = stt_gauden_n_codebooks (means);
  t->n_feat = stt_gauden_n_streams (means);
  t->n_density = stt_gauden_n_densities (means);
  t->dim = stt_gauden_dim (means);
  t->n_sen = stt_mdef_n_senones (mdef);
  for (int f = 0; f < t->n_feat; f++) {
    t->veclen[f] = stt_gauden_veclen (means, f);
    t->offset[f] = stt_gauden_stream_offset (means, f);
    precompute_stream (t, f);
  }
  t->sen2cb = g_new (int, t->n_sen);
  for (int s = 0; s < t->n_sen; s++)
    t->sen2cb[s] = stt_mdef_senone_codebook (mdef, s);
  t->cb_start = g_new0 (int, t->n_mgau + 1);
  t->cb_senones = g_new (int, t->n_sen);
  for (int s = 0; s < t->n_sen; s++)
    t->cb_start[t->sen2cb[s] + 1]++;
  for (int m = 0; m < t->n_mgau; m++)
    t->cb_start[m + 1] += t->cb_start[m];
  g_autofree int *fill = g_memdup2 (t->cb_start, sizeof (int) * t->n_mgau);
  for (int s = 0; s < t->n_sen; s++)
    t->cb_senones[fill[t->sen2cb[s]]++] = s;
  float unit = stt_mixw_unit (mixw);
  for (int q = 0; q < 256; q++)
    t->wlin[q] = (float) exp (-(double) q * unit);
  /* each stream's sum is at least the weight of the best Gaussian (e = 1) >= wlin[255] */
  t->no_underflow = 255.0 * unit * t->n_feat < 80.0;
  t->q = stt_mixw_row (mixw, 0, 0);
  stt_blas_single_thread ();
  return t;
}

typedef struct {
  const char *file;
  gpointer parse;
  gboolean variances;
} GaudenFile;

static gpointer
parse_means (GBytes *b, const char *name, GError **error)
{
  return stt_gauden_parse (b, name, FALSE, error);
}

static gpointer
parse_variances (GBytes *b, const char *name, GError **error)
{
  return stt_gauden_parse (b, name, TRUE, error);
}

static gpointer
create_tables (SttModel *model, gpointer user_data, GError **error)
{
  g_autoptr (SttMdef) mdef = stt_mdef_from_model (model, error);
  if (!mdef)
    return NULL;
  SttGauden *means = stt_am_shared_file (model, "am/means.bin", parse_means,
      (GDestroyNotify) stt_gauden_unref, error);
  SttGauden *vars = means ? stt_am_shared_file (model, "am/variances.bin", parse_variances,
      (GDestroyNotify) stt_gauden_unref, error) : NULL;
  SttMixw *mixw = vars ? stt_am_shared_file (model, "am/mixw.bin", stt_mixw_parse,
      (GDestroyNotify) stt_mixw_unref, error) : NULL;
  if (!mixw)
    return NULL;
  SttAcousticTables *t = stt_acoustic_tables_new (mdef, means, vars, mixw, error);
  if (!t)
    g_prefix_error (error, "%s: ", stt_model_get_dir (model));
  return t;
}

SttAcousticTables *
stt_acoustic_tables_from_model (SttModel *model, GError **error)
{
  SttAcousticTables *t = stt_model_get_shared (model, "am/tables", create_tables, NULL,
      (GDestroyNotify) stt_acoustic_tables_unref, error);
  return t ? stt_acoustic_tables_ref (t) : NULL;
}

int stt_acoustic_tables_dim (const SttAcousticTables *t) { return t->dim; }
int stt_acoustic_tables_n_senones (const SttAcousticTables *t) { return t->n_sen; }
int stt_acoustic_tables_n_densities (const SttAcousticTables *t) { return t->n_density; }
SttMdef *stt_acoustic_tables_get_mdef (const SttAcousticTables *t) { return t->mdef; }
SttGauden *stt_acoustic_tables_get_means (const SttAcousticTables *t) { return t->means; }
SttGauden *stt_acoustic_tables_get_variances (const SttAcousticTables *t) { return t->vars; }
SttMixw *stt_acoustic_tables_get_mixw (const SttAcousticTables *t) { return t->mixw; }
