/* gst-stt — benchmark of acoustic scoring (and the front end feeding it) on one core.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Over every WAV of the dev set: the front end (core/fe, live CMN, every frame kept), then
 * senone scoring of all 5126 senones per frame with OpenBLAS batches and frame by frame in
 * plain C, and, as the peer in the same run, pocketsphinx_batch on the same files computing
 * all senones every frame (-compallsen yes) with the cheapest search it has (one keyphrase).
 * Prints frames per second, the fraction of real time, and ratios. Pinned to one CPU.
 *
 *   bench-am [--data DIR] [--max-files N] [--batch N] [--top-n N] [--no-peer]
 */
#define _GNU_SOURCE
#include <stt/am.h>
#include <stt/fe.h>
#include <stt/model.h>
#include "testutil.h"

#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* CPU seconds of the whole process (every thread): the cost on one core. */
static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static GPtrArray *
list_wavs (const char *dir, int max)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  GPtrArray *subs = g_ptr_array_new_with_free_func (g_free);
  while (d && (name = g_dir_read_name (d)))
    g_ptr_array_add (subs, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (subs, compare_paths);
  for (guint i = 0; i < subs->len; i++) {
    g_autoptr (GDir) s = g_dir_open (subs->pdata[i], 0, NULL);
    GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
    while (s && (name = g_dir_read_name (s)))
      if (g_str_has_suffix (name, ".wav"))
        g_ptr_array_add (files, g_strdup (name));
    g_ptr_array_sort (files, compare_paths);
    for (guint k = 0; k < files->len; k++)
      if (max <= 0 || (int) out->len < max)
        g_ptr_array_add (out, g_build_filename (subs->pdata[i], files->pdata[k], NULL));
    g_ptr_array_unref (files);
  }
  g_ptr_array_unref (subs);
  return out;
}

/* pocketsphinx_batch over the same files; returns its CPU seconds (its own TOTAL line). */
static double
run_peer (GPtrArray *wavs, const char *sphinx, double *speech)
{
  g_autofree char *tmp = g_dir_make_tmp ("bench-am-XXXXXX", NULL);
  g_autofree char *ctl = g_build_filename (tmp, "ctl", NULL);
  GString *lines = g_string_new (NULL);
  for (guint i = 0; i < wavs->len; i++) {   /* absolute paths without .wav, cepdir "/" */
    const char *p = wavs->pdata[i];
    g_string_append_printf (lines, "%.*s\n", (int) strlen (p) - 4, p);
  }
  g_file_set_contents (ctl, lines->str, -1, NULL);
  g_string_free (lines, TRUE);
  g_autofree char *hmm = g_build_filename (sphinx, "en-us", NULL);
  g_autofree char *dict = g_build_filename (sphinx, "cmudict-en-us.dict", NULL);
  g_autofree char *hyp = g_build_filename (tmp, "hyp", NULL);
  const char *argv[] = { "taskset", "-c", "0", "pocketsphinx_batch", "-hmm", hmm, "-dict",
    dict, "-keyphrase", "hello", "-kws_threshold", "1", "-ctl", ctl, "-cepdir", "/",
    "-cepext", ".wav", "-adcin", "yes", "-compallsen", "yes", "-pl_window", "0", "-hyp", hyp,
    NULL };
  g_autofree char *err = NULL;
  double cpu = -1;
  if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH
          | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, NULL, NULL)) {
    const char *t = strstr (err, "batch.c");
    for (; t && (t = strstr (t, "TOTAL ")); t += 6)
      if (sscanf (t, "TOTAL %lf seconds speech, %lf seconds CPU", speech, &cpu) == 2)
        break;
  }
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
  g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  return cpu;
}

static void
row (const char *what, gsize frames, double secs, double audio, double ref)
{
  char ratio[32] = "";
  if (ref > 0)
    g_snprintf (ratio, sizeof ratio, "%.2f", ref / secs);
  printf ("| %-46s | %8zu | %7.2f | %9.0f | %6.3f%% | %9s |\n", what, frames, secs,
      frames / secs, 100 * secs / audio, ratio);
}

int
main (int argc, char **argv)
{
  /* OpenBLAS starts one worker per core when loaded, and idle workers spin; the scorer uses
   * one thread, so run without them (set before the library initialises: re-execute). */
  if (!g_getenv ("OPENBLAS_NUM_THREADS")) {
    g_setenv ("OPENBLAS_NUM_THREADS", "1", TRUE);
    execv ("/proc/self/exe", argv);
  }
  g_autofree char *data = NULL, *sphinx = NULL;
  int max_files = 0, batch = 10, top_n = 4;
  gboolean no_peer = FALSE;
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, "Dev set folder (default "
      "$STT_TEST_DATA/dev)", "DIR" },
    { "max-files", 0, 0, G_OPTION_ARG_INT, &max_files, "Use at most N files", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Frames per GEMM batch (10)", "N" },
    { "top-n", 0, 0, G_OPTION_ARG_INT, &top_n, "Gaussians per codebook (4)", "N" },
    { "no-peer", 0, 0, G_OPTION_ARG_NONE, &no_peer, "Skip pocketsphinx_batch", NULL },
    { "sphinx", 0, 0, G_OPTION_ARG_FILENAME, &sphinx, "pocketsphinx-en-us folder", "DIR" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- acoustic scoring benchmark");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    return 2;
  }
  if (!data)
    data = g_build_filename (g_getenv ("STT_TEST_DATA") ? g_getenv ("STT_TEST_DATA")
        : "../shared/data", "dev", NULL);
  if (!sphinx)
    sphinx = g_strdup ("/usr/share/pocketsphinx/model/en-us");
  cpu_set_t one;
  CPU_ZERO (&one);
  CPU_SET (0, &one);
  sched_setaffinity (0, sizeof one, &one);

  g_autoptr (SttModel) model = stt_model_cache_lookup (STT_DEFAULT_MODEL_ID, &error);
  g_autoptr (SttAcousticTables) tables = model ? stt_acoustic_tables_from_model (model, &error)
      : NULL;
  g_autofree char *params_path = model ? stt_model_get_path (model, "feat.params", &error)
      : NULL;
  SttFeParams *params = params_path ? stt_fe_params_load (params_path, &error) : NULL;
  if (!params) {
    g_printerr ("bench-am: %s (build the default model: meson compile default-model, and "
        "set STT_MODEL_PATH)\n", error->message);
    return 1;
  }
  g_autoptr (GPtrArray) wavs = list_wavs (data, max_files);
  if (wavs->len == 0) {
    g_printerr ("bench-am: no .wav files under %s\n", data);
    return 1;
  }

  /* front end */
  GArray *feat = g_array_new (FALSE, FALSE, sizeof (float));
  int dim = stt_fe_params_get_dimension (params);
  double audio = 0, t_fe = 0;
  for (guint i = 0; i < wavs->len; i++) {
    gsize n;
    g_autofree gint16 *pcm = stt_test_read_wav (wavs->pdata[i], &n, NULL);
    audio += n / 16000.0;
    double t0 = now ();
    SttFe *fe = stt_fe_new (params);
    stt_fe_set_remove_silence (fe, FALSE);
    stt_fe_set_cmn (fe, STT_FE_CMN_LIVE);
    stt_fe_process (fe, pcm, n);
    stt_fe_end_utterance (fe);
    gsize k = stt_fe_n_pending (fe), at = feat->len;
    g_array_set_size (feat, at + k * dim);
    stt_fe_read (fe, (float *) feat->data + at, NULL, k);
    stt_fe_free (fe);
    t_fe += now () - t0;
  }
  gsize frames = feat->len / dim;
  int n_sen = stt_acoustic_tables_n_senones (tables);
  float *out = g_new (float, (gsize) 64 * n_sen);

  /* scoring; the output buffer is reused (chunks of 64 frames) so memory stays small */
  double t_score[2];
  for (int blas = 1; blas >= 0; blas--) {
    g_autoptr (SttAcousticScorer) sc = stt_acoustic_scorer_new (tables, top_n, blas, batch);
    double t0 = now ();
    for (gsize at = 0; at < frames; at += 60) {
      int n = MIN (60, frames - at);
      stt_acoustic_scorer_score (sc, (const float *) feat->data + at * dim, n, out);
    }
    t_score[blas] = now () - t0;
  }
  double peer_speech = 0, peer = no_peer ? -1 : run_peer (wavs, sphinx, &peer_speech);

  printf ("Acoustic scoring benchmark: %u files, %.1f s of audio, %zu frames, %d senones, "
      "top-%d, one core%s\n\n", wavs->len, audio, frames, n_sen, top_n,
      stt_acoustic_have_blas () ? ", OpenBLAS 1 thread" : ", no OpenBLAS");
  printf ("| %-46s | %8s | %7s | %9s | %7s | %9s |\n", "stage", "frames", "CPU s", "frames/s",
      "% of RT", "peer/this");
  printf ("|%s|%s|%s|%s|%s|%s|\n", "------------------------------------------------",
      "----------", "---------", "-----------", "---------", "-----------");
  g_autofree char *batched = g_strdup_printf ("scoring, OpenBLAS batches of %d frames", batch);
  double peer_s = peer > 0 ? peer * audio / peer_speech : 0;   /* same audio length */
  row ("front end (core/fe)", frames, t_fe, audio, 0);
  row (batched, frames, t_score[1], audio, 0);
  row ("scoring, plain C frame by frame (no batching)", frames, t_score[0], audio, 0);
  row ("front end + batched scoring", frames, t_fe + t_score[1], audio, peer_s);
  row ("front end + plain scoring", frames, t_fe + t_score[0], audio, peer_s);
  if (peer > 0)
    row ("peer: pocketsphinx_batch -compallsen yes (kws)", frames, peer_s, audio, peer_s);
  else if (!no_peer)
    printf ("(pocketsphinx_batch did not run or printed no TOTAL line)\n");
  printf ("\nbatching speed-up of scoring: %.2fx; front end + batched scoring: %.3f%% of real "
      "time (target < 2%%)\n", t_score[0] / t_score[1], 100 * (t_fe + t_score[1]) / audio);
  g_free (out);
  g_array_unref (feat);
  stt_fe_params_unref (params);
  return 0;
}
