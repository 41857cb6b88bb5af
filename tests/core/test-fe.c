/* gst-stt — tests of the front end (core/fe): cepstra against sphinx_fe, CMN and deltas
 * against plain implementations of the spec formulas, chunking independence, feat.params.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stt/fe.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "testutil.h"

/* Recordings of every kind in the dev set (reader, microphone, band-limited, normalised). */
static const char *const recordings[] = {
  "dev/librispeech_dev_clean/1272-128104-0000.wav",
  "dev/arctic_cathy/cathy_arctic_a0002.wav",
  "dev/ljspeech/LJ001-0001.wav",
  "dev/vctk_autovc/p225_008.wav",
  "dev/fsdd_digits/fsdd_george_2_0.wav",
  "dev/ljprompts_selfrec_dctts/pm_LJ001-0009.wav",
};

/* sphinx_fe and we both compute in double and round the cepstra to float32; the FFTs differ
 * (ours is a plain radix-2), so the last bit of a cepstrum may differ. 1e-4 is far below
 * anything a recognizer notices (cepstra are of order 1-100). */
#define SPHINX_TOLERANCE 1e-4

static SttFeParams *
load_params (void)
{
  GError *error = NULL;
  char *path = stt_test_sphinx_feat_params ();
  SttFeParams *p = stt_fe_params_load (path, &error);
  g_assert_no_error (error);
  g_free (path);
  return p;
}

/* All output of @fe for @samples fed in chunks of @chunk (0 = all at once), utterance ended.
 * Returns the vectors (n x dim floats) and their frame indices in @indices (may be NULL). */
static float *
run_fe (SttFe *fe, const gint16 *samples, gsize n, gsize chunk, gsize *n_out,
    GArray **indices)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (float));
  GArray *idx = g_array_new (FALSE, FALSE, sizeof (gint64));
  int dim = stt_fe_get_output_dimension (fe);
  if (chunk == 0)
    chunk = MAX (n, 1);
  for (gsize pos = 0; pos <= n; pos += chunk) {
    if (pos < n)
      stt_fe_process (fe, samples + pos, MIN (chunk, n - pos));
    else
      stt_fe_end_utterance (fe);
    gsize k = stt_fe_n_pending (fe);
    gsize old = idx->len;
    g_array_set_size (out, out->len + k * dim);
    g_array_set_size (idx, old + k);
    g_assert_cmpuint (stt_fe_read (fe, &g_array_index (out, float, old * dim),
        &g_array_index (idx, gint64, old), k), ==, k);
    if (pos >= n)
      break;
    if (pos + chunk > n)
      pos = n - chunk;          /* the next round ends the utterance */
  }
  *n_out = idx->len;
  if (indices)
    *indices = idx;
  else
    g_array_unref (idx);
  return (float *) g_array_free (out, FALSE);
}

/* A front end with every frame kept (the model's feat.params turns VAD selection on). */
static SttFe *
new_fe (SttFeParams *p)
{
  SttFe *fe = stt_fe_new (p);
  stt_fe_set_remove_silence (fe, FALSE);
  return fe;
}

/* ---- sphinx_fe ------------------------------------------------------------------------- */

static float *
read_mfc (const char *path, gsize *n_frames)
{
  char *data;
  gsize len;
  GError *error = NULL;
  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_cmpuint (len, >=, 4);
  gint32 count;
  memcpy (&count, data, 4);
  g_assert_cmpuint (len, ==, 4 + (gsize) count * 4);
  g_assert_cmpint (count % 13, ==, 0);
  float *v = g_new (float, count + 1);
  memcpy (v, data + 4, (gsize) count * 4);
  g_free (data);
  *n_frames = count / 13;
  return v;
}

static float *
run_sphinx_fe (const char *wav, gboolean remove_noise, gboolean remove_silence, gsize *n)
{
  char *exe = g_find_program_in_path ("sphinx_fe");
  if (!exe)
    g_error ("sphinx_fe not found: install Debian's sphinxbase-utils "
        "(tools/dev/debian-packages.txt)");
  GError *error = NULL;
  char *dir = g_dir_make_tmp ("test-fe-XXXXXX", &error);
  g_assert_no_error (error);
  char *mfc = g_build_filename (dir, "x.mfc", NULL);
  char *params = stt_test_sphinx_feat_params ();
  const char *argv[] = {exe, "-argfile", params, "-i", wav, "-o", mfc, "-mswav", "yes",
    "-remove_noise", remove_noise ? "yes" : "no",
    "-remove_silence", remove_silence ? "yes" : "no", NULL};
  int status;
  char *err_out = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
      NULL, NULL, &err_out, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("sphinx_fe on %s failed: %s\n%s", wav, error->message, err_out);
  float *v = read_mfc (mfc, n);
  g_unlink (mfc);
  g_rmdir (dir);
  g_free (err_out);
  g_free (params);
  g_free (mfc);
  g_free (dir);
  g_free (exe);
  return v;
}

static void
write_wav (const char *path, const gint16 *samples, gsize n)
{
  guint8 h[44];
  guint32 data = (guint32) n * 2;
  guint32 v[] = {36 + data, 16, 1 | 1 << 16, 16000, 32000, 2 | 16 << 16, data};
  memcpy (h, "RIFF", 4);
  memcpy (h + 8, "WAVEfmt ", 8);
  memcpy (h + 36, "data", 4);
  int at[] = {4, 16, 20, 24, 28, 32, 40};
  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    for (int b = 0; b < 4; b++)
      h[at[i] + b] = (guint8) (v[i] >> (8 * b));
  GByteArray *bytes = g_byte_array_new ();
  g_byte_array_append (bytes, h, sizeof h);
  for (gsize i = 0; i < n; i++) {
    guint8 s[2] = {(guint8) (samples[i] & 0xff), (guint8) ((guint16) samples[i] >> 8)};
    g_byte_array_append (bytes, s, 2);
  }
  GError *error = NULL;
  g_assert_true (g_file_set_contents (path, (char *) bytes->data, bytes->len, &error));
  g_byte_array_unref (bytes);
}

/* @samples with @pad samples of faint pseudo-random noise before and after: speech with long
 * silences, so that VAD frame selection really drops frames. */
static gint16 *
pad_with_noise (const gint16 *samples, gsize n, gsize pad, gsize *n_out)
{
  gint16 *out = g_new (gint16, n + 2 * pad);
  guint32 state = 12345;
  for (gsize i = 0; i < n + 2 * pad; i++) {
    state = state * 1664525u + 1013904223u;
    out[i] = (i >= pad && i < pad + n) ? samples[i - pad] : (gint16) ((state >> 24) % 41) - 20;
  }
  *n_out = n + 2 * pad;
  return out;
}

static void
compare_with_sphinx_fe (gboolean remove_noise, gboolean remove_silence)
{
  SttFeParams *p = load_params ();
  double worst = 0.0;
  gsize total = 0, identical = 0;
  GError *error = NULL;
  char *tmp = g_dir_make_tmp ("test-fe-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint r = 0; r < G_N_ELEMENTS (recordings); r++) {
    char *wav = stt_test_data_path (recordings[r]);
    gsize n_samples, n_ref, n_ours;
    gint16 *samples = stt_test_read_wav (wav, &n_samples, NULL);
    if (remove_silence) {
      gsize n_padded;
      gint16 *padded = pad_with_noise (samples, n_samples, 3 * 16000, &n_padded);
      g_free (samples);
      g_free (wav);
      samples = padded;
      n_samples = n_padded;
      wav = g_build_filename (tmp, "padded.wav", NULL);
      write_wav (wav, samples, n_samples);
    }
    float *ref = run_sphinx_fe (wav, remove_noise, remove_silence, &n_ref);
    SttFe *fe = new_fe (p);
    stt_fe_set_output (fe, STT_FE_OUTPUT_CEPSTRA);
    stt_fe_set_remove_noise (fe, remove_noise);
    stt_fe_set_remove_silence (fe, remove_silence);
    float *ours = run_fe (fe, samples, n_samples, 0, &n_ours, NULL);
    g_test_message ("%s: %zu samples, %" G_GUINT64_FORMAT " frames, sphinx_fe kept %zu, "
        "ours %zu", recordings[r], n_samples, stt_fe_get_n_frames (fe), n_ref, n_ours);
    g_assert_cmpuint (n_ours, ==, n_ref);
    double file_worst = 0.0;
    for (gsize i = 0; i < n_ref * 13; i++) {
      double d = fabs ((double) ours[i] - ref[i]);
      if (d > file_worst)
        file_worst = d;
      identical += ours[i] == ref[i];
    }
    total += n_ref * 13;
    g_test_message ("  max abs diff %g", file_worst);
    if (file_worst > SPHINX_TOLERANCE)
      for (gsize i = 0; i < n_ref * 13; i++)
        if (fabs ((double) ours[i] - ref[i]) > SPHINX_TOLERANCE)
          g_error ("%s frame %zu c%zu: ours %.9g, sphinx_fe %.9g", recordings[r], i / 13,
              i % 13, ours[i], ref[i]);
    worst = MAX (worst, file_worst);
    stt_fe_free (fe);
    g_free (ours);
    g_free (ref);
    g_free (samples);
    if (remove_silence)
      g_unlink (wav);
    g_free (wav);
  }
  g_rmdir (tmp);
  g_free (tmp);
  g_test_message ("all files: max abs diff %g, %zu of %zu values bit-identical", worst,
      identical, total);
  stt_fe_params_unref (p);
}

static void
test_sphinx_fe_noise_on (void)
{
  compare_with_sphinx_fe (TRUE, FALSE);
}

static void
test_sphinx_fe_noise_off (void)
{
  compare_with_sphinx_fe (FALSE, FALSE);
}

static void
test_sphinx_fe_vad (void)
{
  compare_with_sphinx_fe (TRUE, TRUE);
}

/* ---- CMN and deltas against plain implementations of spec §2.14-2.15 ------------------ */

/* The spec's live CMN state. */
typedef struct {
  float mean[13], sum[13];
  int n, decays;
} RefLive;

static void
ref_live_update (RefLive *s)
{
  for (int i = 0; i < 13; i++)
    s->mean[i] = s->sum[i] / s->n;
  if (s->n > 800) {
    float sf = (1.0f / s->n) * 500;
    for (int i = 0; i < 13; i++)
      s->sum[i] *= sf;
    s->n = 500;
    s->decays++;
  }
}

/* One utterance of cepstra normalised in place; the block is one frame. */
static void
ref_live_cmn (RefLive *s, float *cep, gsize n)
{
  for (gsize f = 0; f < n; f++) {
    float *c = cep + 13 * f;
    if (c[0] < 0)
      continue;
    for (int i = 0; i < 13; i++) {
      s->sum[i] += c[i];
      c[i] -= s->mean[i];
    }
    s->n++;
    if (s->n > 800)
      ref_live_update (s);
  }
  if (s->n > 0)
    ref_live_update (s);
}

/* STT_FE_CMN_LIVE as fe.h writes it: the frames with c0 >= 0 so far, this one included,
 * x_0 … x_{K−1}, and the prior N0 frames at -cmninit, all weighted by λ^age:
 *   mean = (λ^K·N0·cmninit + Σ_k λ^(K−1−k)·x_k) / (λ^K·N0 + Σ_k λ^(K−1−k)).
 * Computed from scratch for every frame, in double. */
#define REF_N0 100.0
#define REF_LAMBDA (1.0 - 1.0 / 3000.0)
typedef struct {
  double cmninit[13];
  GArray *counted;              /* x_k, 13 doubles each */
  int skipped;                  /* frames with c0 < 0 seen */
} RefRunning;

static void
ref_running_mean (const RefRunning *s, double lambda, double *mean)
{
  guint K = s->counted->len / 13;
  double num[13], den = pow (lambda, K) * REF_N0;
  for (int i = 0; i < 13; i++)
    num[i] = den * s->cmninit[i];
  for (guint k = 0; k < K; k++) {
    double w = pow (lambda, K - 1 - k);
    for (int i = 0; i < 13; i++)
      num[i] += w * g_array_index (s->counted, double, 13 * k + i);
    den += w;
  }
  for (int i = 0; i < 13; i++)
    mean[i] = num[i] / den;
}

static void
ref_running_cmn (RefRunning *s, float *cep, gsize n)
{
  for (gsize f = 0; f < n; f++) {
    float *c = cep + 13 * f;
    if (c[0] >= 0)
      for (int i = 0; i < 13; i++) {
        double x = c[i];
        g_array_append_val (s->counted, x);
      }
    else
      s->skipped++;
    double mean[13];
    ref_running_mean (s, REF_LAMBDA, mean);
    for (int i = 0; i < 13; i++)
      c[i] = (float) (c[i] - mean[i]);
  }
}

static void
ref_batch_cmn (float *cep, gsize n)
{
  float mean[13] = {0};
  int count = 0;
  for (gsize f = 0; f < n; f++) {
    if (cep[13 * f] < 0)
      continue;
    for (int i = 0; i < 13; i++)
      mean[i] += cep[13 * f + i];
    count++;
  }
  for (int i = 0; i < 13; i++)
    mean[i] = count ? mean[i] / count : 0.0f;
  for (gsize f = 0; f < n; f++)
    for (int i = 0; i < 13; i++)
      cep[13 * f + i] -= mean[i];
}

/* Frame t + k of @cep, the first and last frame standing in beyond the edges. */
static const float *
at (const float *cep, gsize n, gsize t, int k)
{
  gint64 j = CLAMP ((gint64) t + k, 0, (gint64) n - 1);
  return cep + 13 * j;
}

static float *
ref_deltas (const float *cep, gsize n)
{
  float *f = g_new (float, 39 * n + 1);
  for (gsize t = 0; t < n; t++)
    for (int i = 0; i < 13; i++) {
      f[39 * t + i] = at (cep, n, t, 0)[i];
      f[39 * t + 13 + i] = at (cep, n, t, 2)[i] - at (cep, n, t, -2)[i];
      f[39 * t + 26 + i] = (at (cep, n, t, 3)[i] - at (cep, n, t, -1)[i])
          - (at (cep, n, t, 1)[i] - at (cep, n, t, -3)[i]);
    }
  return f;
}

static float *
cepstra_of (SttFeParams *p, const gint16 *samples, gsize n, gsize *n_frames)
{
  SttFe *fe = new_fe (p);
  stt_fe_set_output (fe, STT_FE_OUTPUT_CEPSTRA);
  float *cep = run_fe (fe, samples, n, 0, n_frames, NULL);
  stt_fe_free (fe);
  return cep;
}

/* Equal within @tol (0: bit for bit). */
static void
assert_close (const float *a, const float *b, gsize n, float tol, const char *what)
{
  for (gsize i = 0; i < n; i++)
    if (!(fabsf (a[i] - b[i]) <= tol))
      g_error ("%s: value %zu (frame %zu dim %zu) is %.9g, expected %.9g", what, i, i / 39,
          i % 39, a[i], b[i]);
}

static void
check_cmn (SttFeCmn cmn)
{
  SttFeParams *p = load_params ();
  RefLive live = {.n = 0};
  memcpy (live.mean, stt_fe_params_get_cmninit (p), sizeof live.mean);
  RefRunning running = {.counted = g_array_new (FALSE, FALSE, sizeof (double))};
  for (int i = 0; i < 13; i++)
    running.cmninit[i] = stt_fe_params_get_cmninit (p)[i];
  SttFe *fe = new_fe (p), *cfe = new_fe (p);
  stt_fe_set_cmn (fe, cmn);
  stt_fe_set_output (cfe, STT_FE_OUTPUT_CEPSTRA);
  /* several utterances through one front end: live CMN carries its mean over (and the noise
   * estimates theirs, hence the second front end for the cepstra) */
  for (guint r = 0; r < 3; r++) {
    char *wav = stt_test_data_path (recordings[r]);
    gsize n_rec, n_cep, n_feat;
    gint16 *rec = stt_test_read_wav (wav, &n_rec, NULL);
    /* the second recording after 0.5 s of a dropout (a constant 1 LSB: after pre-emphasis
     * nearly no energy; all-zero frames would be dithered, docs/decoder.md): no recording
     * has frames with c0 < 0, these have, and CMN must leave them out of its means */
    gsize pad = r == 1 ? 8000 : 0, n_samples = pad + n_rec;
    gint16 *samples = g_new0 (gint16, n_samples + 1);
    for (gsize i = 0; i < pad; i++)
      samples[i] = 1;
    memcpy (samples + pad, rec, n_rec * sizeof (gint16));
    g_free (rec);
    float *cep = run_fe (cfe, samples, n_samples, 0, &n_cep, NULL);
    if (cmn == STT_FE_CMN_BATCH)
      ref_batch_cmn (cep, n_cep);
    else if (cmn == STT_FE_CMN_LIVE_SPHINX)
      ref_live_cmn (&live, cep, n_cep);
    else if (cmn == STT_FE_CMN_LIVE)
      ref_running_cmn (&running, cep, n_cep);
    float *want = ref_deltas (cep, n_cep);
    GArray *idx;
    float *got = run_fe (fe, samples, n_samples, 0, &n_feat, &idx);
    g_assert_cmpuint (n_feat, ==, n_cep);
    for (gsize t = 0; t < n_feat; t++)
      g_assert_cmpint (g_array_index (idx, gint64, t), ==, t);
    /* the running mean is summed in another order than in the plain formula: the last bit
     * of a normalised cepstrum may differ */
    assert_close (got, want, 39 * n_feat, cmn == STT_FE_CMN_LIVE ? 1e-4f : 0.0f,
        recordings[r]);
    g_array_unref (idx);
    g_free (got);
    g_free (want);
    g_free (cep);
    g_free (samples);
    g_free (wav);
  }
  if (cmn == STT_FE_CMN_LIVE_SPHINX)
    g_assert_cmpint (live.decays, >, 0);  /* the decay of the running sum was exercised */
  if (cmn == STT_FE_CMN_LIVE) {
    /* frames below c0 = 0 were left out, and forgetting mattered: without it the final
     * mean would be off by more than the tolerance */
    g_assert_cmpint (running.skipped, >, 0);
    double with[13], without[13], gap = 0.0;
    ref_running_mean (&running, REF_LAMBDA, with);
    ref_running_mean (&running, 1.0, without);
    for (int i = 0; i < 13; i++)
      gap = MAX (gap, fabs (with[i] - without[i]));
    g_assert_cmpfloat (gap, >, 0.01);
  }
  g_array_unref (running.counted);
  stt_fe_free (fe);
  stt_fe_free (cfe);
  stt_fe_params_unref (p);
}

static void
test_cmn_batch (void)
{
  check_cmn (STT_FE_CMN_BATCH);
}

static void
test_cmn_live (void)
{
  check_cmn (STT_FE_CMN_LIVE);
}

static void
test_cmn_live_sphinx (void)
{
  check_cmn (STT_FE_CMN_LIVE_SPHINX);
}

static void
test_cmn_none (void)
{
  check_cmn (STT_FE_CMN_NONE);
}

/* ---- chunking, short utterances -------------------------------------------------------- */

static void
test_chunking (void)
{
  SttFeParams *p = load_params ();
  char *wav = stt_test_data_path (recordings[1]);
  gsize n_samples;
  gint16 *samples = stt_test_read_wav (wav, &n_samples, NULL);
  const gsize chunks[] = {1, 7, 160, 161, 409, 410, 3200, 4099};
  struct { SttFeOutput output; SttFeCmn cmn; gboolean vad; } modes[] = {
    {STT_FE_OUTPUT_CEPSTRA, STT_FE_CMN_NONE, FALSE},
    {STT_FE_OUTPUT_FEATURES, STT_FE_CMN_LIVE, FALSE},
    {STT_FE_OUTPUT_FEATURES, STT_FE_CMN_BATCH, FALSE},
    {STT_FE_OUTPUT_FEATURES, STT_FE_CMN_LIVE, TRUE},
    {STT_FE_OUTPUT_FEATURES, STT_FE_CMN_LIVE_SPHINX, FALSE},
  };
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++) {
    gsize n_whole;
    SttFe *fe = new_fe (p);
    stt_fe_set_output (fe, modes[m].output);
    stt_fe_set_cmn (fe, modes[m].cmn);
    stt_fe_set_remove_silence (fe, modes[m].vad);
    int dim = stt_fe_get_output_dimension (fe);
    GArray *idx_whole;
    float *whole = run_fe (fe, samples, n_samples, 0, &n_whole, &idx_whole);
    g_assert_cmpuint (n_whole, >, 300);
    for (guint c = 0; c < G_N_ELEMENTS (chunks); c++) {
      stt_fe_reset (fe);
      gsize n;
      GArray *idx;
      float *got = run_fe (fe, samples, n_samples, chunks[c], &n, &idx);
      g_assert_cmpuint (n, ==, n_whole);
      g_assert_cmpmem (got, n * dim * sizeof (float), whole, n * dim * sizeof (float));
      g_assert_cmpmem (idx->data, n * sizeof (gint64), idx_whole->data, n * sizeof (gint64));
      g_array_unref (idx);
      g_free (got);
    }
    g_array_unref (idx_whole);
    g_free (whole);
    stt_fe_free (fe);
  }
  g_free (samples);
  g_free (wav);
  stt_fe_params_unref (p);
}

/* Frames per utterance (spec §2.2): full frames, plus one of the samples after the last. */
static void
test_frame_count (void)
{
  SttFeParams *p = load_params ();
  char *wav = stt_test_data_path (recordings[0]);
  gsize n_samples;
  gint16 *samples = stt_test_read_wav (wav, &n_samples, NULL);
  const gsize sizes[] = {0, 1, 159, 409, 410, 411, 569, 570, 571, 16000};
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++) {
    gsize n = sizes[i], want = n == 0 ? 0 : n < 410 ? 1 : 1 + (n - 410) / 160 + 1, got;
    SttFe *fe = new_fe (p);
    float *f = run_fe (fe, samples + 8000, n, 0, &got, NULL);
    g_assert_cmpuint (got, ==, want);
    if (got == 1)               /* a lone frame is its own context: no deltas */
      for (int d = 13; d < 39; d++)
        g_assert_cmpfloat (f[d], ==, 0.0f);
    g_free (f);
    stt_fe_free (fe);
  }
  g_free (samples);
  g_free (wav);
  stt_fe_params_unref (p);
}

/* With VAD selection, features are computed per speech run, with indices of the kept frames. */
static void
test_vad_features (void)
{
  SttFeParams *p = load_params ();
  char *wav = stt_test_data_path (recordings[2]);
  gsize n_speech, n_samples, n_cep, n_feat;
  gint16 *speech = stt_test_read_wav (wav, &n_speech, NULL);
  gint16 *samples = pad_with_noise (speech, n_speech, 3 * 16000, &n_samples);
  SttFe *fe = new_fe (p);
  stt_fe_set_output (fe, STT_FE_OUTPUT_CEPSTRA);
  stt_fe_set_remove_silence (fe, TRUE);
  GArray *cep_idx, *feat_idx;
  float *cep = run_fe (fe, samples, n_samples, 0, &n_cep, &cep_idx);
  guint64 all = stt_fe_get_n_frames (fe);
  g_assert_cmpuint (n_cep, <, all - 300);       /* the 6 s of noise were mostly dropped */
  stt_fe_reset (fe);
  stt_fe_set_output (fe, STT_FE_OUTPUT_FEATURES);
  stt_fe_set_cmn (fe, STT_FE_CMN_NONE);
  float *feat = run_fe (fe, samples, n_samples, 0, &n_feat, &feat_idx);
  g_assert_cmpuint (n_feat, ==, n_cep);
  g_assert_cmpmem (feat_idx->data, n_feat * 8, cep_idx->data, n_cep * 8);
  /* each run of consecutive indices is an utterance of its own for the deltas */
  gsize start = 0;
  for (gsize t = 1; t <= n_feat; t++) {
    if (t < n_feat && g_array_index (feat_idx, gint64, t) ==
        g_array_index (feat_idx, gint64, t - 1) + 1)
      continue;
    float *want = ref_deltas (cep + 13 * start, t - start);
    assert_close (feat + 39 * start, want, 39 * (t - start), 0.0f, "VAD run");
    g_free (want);
    start = t;
  }
  g_array_unref (cep_idx);
  g_array_unref (feat_idx);
  g_free (cep);
  g_free (feat);
  stt_fe_free (fe);
  g_free (samples);
  g_free (speech);
  g_free (wav);
  stt_fe_params_unref (p);
}

/* stt_fe_get_lookahead: frame by frame, the frames held for the deltas are the newest 1-3 frames
 * (those not yet readable), the VAD hears speech in them inside the recording and none in the
 * faint noise well after it, whose quiet run (stt_fe_get_quiet_since) began near the end of the
 * recording; modes whose held frames are not the newest report none. */
static void
test_lookahead (void)
{
  SttFeParams *p = load_params ();
  char *wav = stt_test_data_path (recordings[2]);
  gsize n_speech, n_samples;
  gint16 *speech = stt_test_read_wav (wav, &n_speech, NULL);
  gsize pad = 16000;
  gint16 *samples = pad_with_noise (speech, n_speech, pad, &n_samples);
  SttFe *fe = new_fe (p);
  stt_fe_set_cmn (fe, STT_FE_CMN_LIVE);
  float out[3 * STT_FE_FEAT_DIM];
  gint64 idx[3], read = 0;
  guint speech_frames = 0, noise_frames = 0, noise_quiet = 0;
  for (gsize at = 0; at + 160 <= n_samples; at += 160) {
    stt_fe_process (fe, samples + at, 160);
    gsize got;
    while ((got = stt_fe_read (fe, out, idx, 3)) > 0)
      read = idx[got - 1] + 1;
    gint64 first;
    gboolean heard;
    gsize n = stt_fe_get_lookahead (fe, &first, &heard);
    gint64 computed = (gint64) stt_fe_get_n_frames (fe);
    g_assert_cmpint (first, ==, read);
    g_assert_cmpint (first + (gint64) n, ==, computed);
    g_assert_cmpuint (n, <=, 3);
    if (computed > 4)
      g_assert_cmpuint (n, ==, 3);
    /* frames wholly inside the loud middle of the recording, and 0.5 s into the noise after */
    gint64 start = first * 160, end = (first + (gint64) n) * 160 + 250;
    if (n && start > (gint64) (pad + n_speech / 3) && end < (gint64) (pad + 2 * n_speech / 3))
      speech_frames += heard;
    if (n && start > (gint64) (pad + n_speech + 8000)) {
      noise_frames++;
      noise_quiet += !heard;
      /* the quiet run began where the recording's speech ended, not before it */
      gint64 q = stt_fe_get_quiet_since (fe);
      g_assert_cmpint (q, >, (gint64) (pad + n_speech / 2) / 160);
      g_assert_cmpint (q, <=, (gint64) (pad + n_speech + 2000) / 160);
    }
    if (heard)                  /* a held frame is speech: no quiet run covers them all */
      g_assert_true (stt_fe_get_quiet_since (fe) < 0 || stt_fe_get_quiet_since (fe) > first);
  }
  g_assert_cmpuint (speech_frames, >, 0);
  g_assert_cmpuint (noise_frames, >, 20);
  g_assert_cmpuint (noise_quiet, ==, noise_frames);
  stt_fe_end_utterance (fe);
  g_assert_cmpuint (stt_fe_get_lookahead (fe, NULL, NULL), ==, 0);
  const struct { SttFeOutput output; SttFeCmn cmn; gboolean vad; } none[] = {
    {STT_FE_OUTPUT_FEATURES, STT_FE_CMN_BATCH, FALSE},
    {STT_FE_OUTPUT_FEATURES, STT_FE_CMN_LIVE, TRUE},
    {STT_FE_OUTPUT_CEPSTRA, STT_FE_CMN_NONE, FALSE},
  };
  for (guint m = 0; m < G_N_ELEMENTS (none); m++) {
    stt_fe_reset (fe);
    stt_fe_set_output (fe, none[m].output);
    stt_fe_set_cmn (fe, none[m].cmn);
    stt_fe_set_remove_silence (fe, none[m].vad);
    stt_fe_process (fe, samples + pad, 16000);
    g_assert_cmpuint (stt_fe_get_lookahead (fe, NULL, NULL), ==, 0);
  }
  stt_fe_free (fe);
  g_free (samples);
  g_free (speech);
  g_free (wav);
  stt_fe_params_unref (p);
}

/* ---- feat.params ----------------------------------------------------------------------- */

static void
test_params_debian (void)
{
  SttFeParams *p = load_params ();
  g_assert_cmpint (stt_fe_params_get_cmn (p), ==, STT_FE_CMN_BATCH);
  g_assert_true (stt_fe_params_get_remove_noise (p));
  g_assert_true (stt_fe_params_get_remove_silence (p));
  g_assert_cmpint (stt_fe_params_get_dimension (p), ==, 39);
  g_assert_cmpint (stt_fe_params_get_frame_rate (p), ==, 100);
  g_assert_cmpint (stt_fe_params_get_sample_rate (p), ==, 16000);
  g_assert_cmpstr (stt_fe_params_get_feature_type (p), ==, "1s_c_d_dd");
  g_assert_cmpfloat (stt_fe_params_get_cmninit (p)[0], ==, 41.00f);
  g_assert_cmpfloat (stt_fe_params_get_cmninit (p)[12], ==, 1.17f);
  /* the built-in defaults are this model's: same cepstra */
  SttFeParams *d = stt_fe_params_new_default ();
  char *wav = stt_test_data_path (recordings[4]);
  gsize n_samples, n1, n2;
  gint16 *samples = stt_test_read_wav (wav, &n_samples, NULL);
  float *a = cepstra_of (p, samples, n_samples, &n1);
  float *b = cepstra_of (d, samples, n_samples, &n2);
  g_assert_cmpuint (n1, ==, n2);
  g_assert_cmpmem (a, n1 * 13 * 4, b, n2 * 13 * 4);
  g_free (a);
  g_free (b);
  g_free (samples);
  g_free (wav);
  stt_fe_params_unref (d);
  stt_fe_params_unref (p);
}

static void
expect_params_error (const char *content, gssize len, int code, const char *needle)
{
  GError *error = NULL;
  char *dir = g_dir_make_tmp ("test-fe-XXXXXX", &error);
  g_assert_no_error (error);
  char *path = g_build_filename (dir, "feat.params", NULL);
  if (content)
    g_assert_true (g_file_set_contents (path, content, len, NULL));
  SttFeParams *p = stt_fe_params_load (path, &error);
  g_assert_null (p);
  g_assert_error (error, STT_FE_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, needle));
  g_error_free (error);
  g_unlink (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
}

static void
test_params_errors (void)
{
  expect_params_error (NULL, 0, STT_FE_ERROR_IO, "cannot read");
  expect_params_error ("-nfilt 25\n-lowerf abc\n", -1, STT_FE_ERROR_PARSE, ":2: option -lowerf");
  expect_params_error ("-transform htk\n", -1, STT_FE_ERROR_UNSUPPORTED, "only 'dct'");
  expect_params_error ("-feat s2_4x\n", -1, STT_FE_ERROR_UNSUPPORTED, "1s_c_d_dd");
  expect_params_error ("-lifter 22 -nfilt\n", -1, STT_FE_ERROR_PARSE, "has no value");
  expect_params_error ("lowerf 130\n", -1, STT_FE_ERROR_PARSE, "expected '-option value'");
  expect_params_error ("-cmninit 1,2,x\n", -1, STT_FE_ERROR_PARSE, "not a number");
  expect_params_error ("-cmn maybe\n", -1, STT_FE_ERROR_PARSE, "none, live or batch");
  expect_params_error ("-nfilt 25\0garbage", 17, STT_FE_ERROR_PARSE, "NUL byte at offset 9");
  expect_params_error ("-lowerf 7000 -upperf 6800\n", -1, STT_FE_ERROR_PARSE, "lowerf < upperf");
  expect_params_error ("-nfft 500\n", -1, STT_FE_ERROR_UNSUPPORTED, "power of 2");
  expect_params_error ("-nfilt 128\n", -1, STT_FE_ERROR_UNSUPPORTED, "mel filter");
  expect_params_error ("-frate 10\n", -1, STT_FE_ERROR_UNSUPPORTED, "would skip audio");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fe/sphinx-fe/noise-on", test_sphinx_fe_noise_on);
  g_test_add_func ("/fe/sphinx-fe/noise-off", test_sphinx_fe_noise_off);
  g_test_add_func ("/fe/sphinx-fe/vad", test_sphinx_fe_vad);
  g_test_add_func ("/fe/cmn/batch", test_cmn_batch);
  g_test_add_func ("/fe/cmn/live", test_cmn_live);
  g_test_add_func ("/fe/cmn/live-sphinx", test_cmn_live_sphinx);
  g_test_add_func ("/fe/cmn/none", test_cmn_none);
  g_test_add_func ("/fe/chunking", test_chunking);
  g_test_add_func ("/fe/frame-count", test_frame_count);
  g_test_add_func ("/fe/vad-features", test_vad_features);
  g_test_add_func ("/fe/lookahead", test_lookahead);
  g_test_add_func ("/fe/params/debian", test_params_debian);
  g_test_add_func ("/fe/params/errors", test_params_errors);
  return g_test_run ();
}
