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

static char *
feat_params_path (void)
{
  const char *model = g_getenv ("STT_SPHINX_MODEL");
  char *path = g_build_filename (model && *model ? model : "/usr/share/pocketsphinx/model/en-us",
      "en-us", "feat.params", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_error ("%s missing: install Debian's pocketsphinx-en-us (tools/dev/debian-packages.txt) "
        "or set STT_SPHINX_MODEL", path);
  return path;
}

static SttFeParams *
load_params (void)
{
  GError *error = NULL;
  char *path = feat_params_path ();
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
  char *params = feat_params_path ();
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
    SttFe *fe = stt_fe_new (p);
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fe/sphinx-fe/noise-on", test_sphinx_fe_noise_on);
  g_test_add_func ("/fe/sphinx-fe/noise-off", test_sphinx_fe_noise_off);
  g_test_add_func ("/fe/sphinx-fe/vad", test_sphinx_fe_vad);
  return g_test_run ();
}
