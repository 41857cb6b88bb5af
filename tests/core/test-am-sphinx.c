/* gst-stt — our top-4 senone scores against pocketsphinx's own (pocketsphinx_batch
 * -senlogdir), converted to nats, on a real recording. The Sphinx notes (§5.5) describe how
 * pocketsphinx quantises (integer log units of 1024·ln B ≈ 0.1 nats, integer inverse
 * variances, a 96-unit cap per Gaussian, a table log-add); this test bounds the difference
 * that quantisation makes on the senones that matter to a search.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stt/am.h>
#include "testutil.h"

#include <glib/gstdio.h>

#include <math.h>
#include <string.h>

#define WAV "dev/arctic_cathy/cathy_arctic_a0002.wav"
#define LN_B 1.0001159260704876e-4   /* ln of (double) f32 (1.0001), the notes' §0 */

static char *
sphinx_path (const char *rel)
{
  const char *dir = g_getenv ("STT_SPHINX_MODEL");
  return g_build_filename (dir && *dir ? dir : "/usr/share/pocketsphinx/model/en-us", rel,
      NULL);
}

static void
run (const char *const *argv)
{
  g_autofree char *err = NULL;
  int status;
  g_autoptr (GError) error = NULL;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH
          | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err ? err : "");
}

/* The .sen file: s3 header, magic, then per frame int16 n_active and (all active) n_sen
 * int16 costs. Returns frames × n_sen costs. */
static gint16 *
read_senlog (const char *dir, int n_sen, gsize *n_frames)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  const char *name = g_dir_read_name (d);
  g_assert_nonnull (name);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  const char *end = g_strstr_len (data, len, "endhdr\n");
  g_assert_nonnull (end);
  gsize at = end + 7 - data + 4;   /* after the byte-order magic */
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gint16));
  while (at + 2 <= len) {
    gint16 n;
    memcpy (&n, data + at, 2);
    g_assert_cmpint (n, ==, n_sen);   /* -compallsen yes: every senone, every frame */
    g_assert_cmpuint (at + 2 + 2 * (gsize) n_sen, <=, len);
    g_array_append_vals (out, data + at + 2, n_sen);
    at += 2 + 2 * (gsize) n_sen;
  }
  *n_frames = out->len / n_sen;
  return (gint16 *) g_array_free (out, FALSE);
}

static int
compare_float (gconstpointer a, gconstpointer b)
{
  float x = *(const float *) a, y = *(const float *) b;
  return (x > y) - (x < y);
}

static void
test_vs_pocketsphinx (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SttModel) model = stt_model_cache_lookup (STT_DEFAULT_MODEL_ID, &error);
  g_assert_no_error (error);
  g_autoptr (SttAcousticTables) tables = stt_acoustic_tables_from_model (model, &error);
  g_assert_no_error (error);
  int n_sen = stt_acoustic_tables_n_senones (tables);

  /* pocketsphinx: sphinx_fe cepstra (every frame), then batch CMN, deltas and scores */
  g_autofree char *tmp = g_dir_make_tmp ("stt-am-sphinx-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *wav = stt_test_data_path (WAV);
  g_autofree char *hmm = sphinx_path ("en-us");
  g_autofree char *params = g_build_filename (hmm, "feat.params", NULL);
  g_autofree char *dict = sphinx_path ("cmudict-en-us.dict");
  g_autofree char *mfc = g_build_filename (tmp, "utt.mfc", NULL);
  g_autofree char *ctl = g_build_filename (tmp, "ctl", NULL);
  g_autofree char *senlog = g_build_filename (tmp, "sen", NULL);
  g_autofree char *hyp = g_build_filename (tmp, "hyp", NULL);
  g_assert_true (g_file_set_contents (ctl, "utt\n", -1, NULL));
  g_assert_cmpint (g_mkdir (senlog, 0755), ==, 0);
  const char *fe_argv[] = { "sphinx_fe", "-argfile", params, "-i", wav, "-o", mfc, "-mswav",
    "yes", "-remove_silence", "no", NULL };
  run (fe_argv);
  const char *ps_argv[] = { "pocketsphinx_batch", "-hmm", hmm, "-dict", dict, "-keyphrase",
    "hello", "-kws_threshold", "1", "-ctl", ctl, "-cepdir", tmp, "-cepext", ".mfc",
    "-compallsen", "yes", "-pl_window", "0", "-senlogdir", senlog, "-hyp", hyp, NULL };
  run (ps_argv);
  gsize n_ps;
  g_autofree gint16 *cost = read_senlog (senlog, n_sen, &n_ps);

  /* ours: the same front end settings, top-4 */
  gsize frames;
  g_autofree float *feat = stt_test_wav_features (params, WAV, &frames);
  g_assert_cmpuint (frames, ==, n_ps);
  g_autoptr (SttAcousticScorer) sc = stt_acoustic_scorer_new (tables, 4, TRUE, 10);
  g_autofree float *ours = g_new (float, frames * n_sen);
  stt_acoustic_scorer_score (sc, feat, frames, ours);

  g_autoptr (GArray) diffs = g_array_new (FALSE, FALSE, sizeof (float));
  double sum = 0;
  gsize same_best = 0;
  for (gsize fr = 0; fr < frames; fr++) {
    const float *o = ours + fr * n_sen;
    const gint16 *c = cost + fr * n_sen;
    int bo = 0, bp = 0;
    for (int s = 0; s < n_sen; s++) {
      bo = o[s] > o[bo] ? s : bo;
      bp = c[s] < c[bp] ? s : bp;
      if (o[s] > -15) {
        float d = fabsf (o[s] - (float) (-c[s] * 1024 * LN_B));
        g_array_append_val (diffs, d);
        sum += d;
      }
    }
    same_best += bo == bp;
  }
  g_array_sort (diffs, compare_float);
  double mean = sum / diffs->len;
  float p99 = g_array_index (diffs, float, (gsize) (0.99 * (diffs->len - 1)));
  g_test_message ("vs pocketsphinx over %u near-best scores of %zu frames: mean |diff| %.4f "
      "nats, 99th percentile %.4f, same best senone in %zu frames", diffs->len, frames, mean,
      p99, same_best);
  /* Measured: mean 0.13 nats, 99th percentile 0.67, same best senone in 308 of 346 frames
   * (pocketsphinx truncates every term to 0.1-nat steps, three streams per senone). Bounds
   * with margin: */
  g_assert_cmpfloat (mean, <, 0.2);
  g_assert_cmpfloat (p99, <, 1.0);
  g_assert_cmpuint (same_best * 100, >=, 80 * frames);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
  g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/am/scorer/vs-pocketsphinx", test_vs_pocketsphinx);
  return g_test_run ();
}
