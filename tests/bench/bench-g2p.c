/* gst-stt — letter-to-sound benchmark: training time, held-out phone and word error rates,
 * pronunciations per second (docs/benchmarks.md "Letter-to-sound").
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   bench-g2p [--dict cmudict-en-us.dict] [--order N] [--every 20] [--max N] [--save FILE]
 * Trains on the dictionary minus the held-out words (1 in --every by the word hash,
 * docs/g2p.md), pronounces every held-out word (or the first --max) and reports.
 */
#include <stt/g2p.h>

#include <stdio.h>
#include <time.h>

int
main (int argc, char **argv)
{
  const char *sphinx = g_getenv ("STT_SPHINX_MODEL");
  g_autofree char *dict = NULL, *save = NULL;
  gint order = 0, every = 20, max = 0;
  GOptionEntry entries[] = {
    { "dict", 0, 0, G_OPTION_ARG_FILENAME, &dict, "Sphinx dictionary (default: "
      "$STT_SPHINX_MODEL/cmudict-en-us.dict)", "FILE" },
    { "order", 0, 0, G_OPTION_ARG_INT, &order, "Graphone n-gram order (default: the "
      "library's)", "N" },
    { "every", 0, 0, G_OPTION_ARG_INT, &every, "Hold out 1 word in N (default 20)", "N" },
    { "max", 0, 0, G_OPTION_ARG_INT, &max, "Evaluate on the first N held-out words only", "N" },
    { "save", 0, 0, G_OPTION_ARG_FILENAME, &save, "Write the trained model to FILE", "FILE" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || order < 0 || every < 1
      || max < 0) {
    g_printerr ("bench-g2p: %s\n", error ? error->message : "bad option values");
    return 2;
  }
  if (!dict)
    dict = g_build_filename (sphinx ? sphinx : "/usr/share/pocketsphinx/model/en-us",
        "cmudict-en-us.dict", NULL);
  SttG2pTrainOptions opt = { .held_out_every = (guint) every, .order = (guint) order };
  /* wall and CPU time: the machine is shared, CPU time is the steadier figure */
  gint64 t0 = g_get_monotonic_time ();
  clock_t c0 = clock ();
  g_autoptr (SttG2p) g2p = stt_g2p_train (dict, NULL, &opt, &error);
  double train_s = (g_get_monotonic_time () - t0) / 1e6;
  double train_cpu = (double) (clock () - c0) / CLOCKS_PER_SEC;
  if (!g2p) {
    g_printerr ("bench-g2p: %s\n", error->message);
    return 1;
  }
  g_autoptr (GBytes) bytes = stt_g2p_get_bytes (g2p);
  if (save && !stt_g2p_write (g2p, save, &error)) {
    g_printerr ("bench-g2p: %s\n", error->message);
    return 1;
  }
  SttG2pEval ev;
  c0 = clock ();
  gboolean ok = stt_g2p_evaluate (g2p, dict, (guint) max, &ev, &error);
  double eval_cpu = (double) (clock () - c0) / CLOCKS_PER_SEC;
  if (!ok) {
    g_printerr ("bench-g2p: %s\n", error->message);
    return 1;
  }
  g_autofree char *abc = stt_g2p_get_alphabet (g2p);
  printf ("dictionary        %s\n", dict);
  printf ("alphabet          %s (%ld letters), %u phones, order %u\n", abc,
      g_utf8_strlen (abc, -1), stt_g2p_get_n_phones (g2p), stt_g2p_get_order (g2p));
  printf ("training          %.2f s wall, %.2f s CPU (one thread), model %.1f MB\n", train_s,
      train_cpu, g_bytes_get_size (bytes) / 1e6);
  printf ("held-out words    %u (1 in %d), %u not pronounceable\n", ev.n_words, every,
      ev.n_failed);
  printf ("phone error rate  %.2f %% (%" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT " phones)\n",
      100.0 * ev.per, ev.n_phone_errors, ev.n_ref_phones);
  printf ("word error rate   %.2f %% (%u / %u words)\n", 100.0 * ev.wer, ev.n_word_errors,
      ev.n_words);
  printf ("speed             %.0f pronunciations/s wall, %.0f per CPU second (1-best, one "
      "thread; evaluation included)\n", ev.n_words / ev.seconds, ev.n_words / eval_cpu);
  return 0;
}
