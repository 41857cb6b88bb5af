/* gst-stt — stt-lm: convert, inspect and query n-gram language models.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   stt-lm convert IN OUT          any LM (own, Sphinx trie, ARPA) -> own format
 *   stt-lm to-arpa IN OUT          any LM -> ARPA text
 *   stt-lm info LM                 order, counts, vocabulary size
 *   stt-lm query LM W [H1 [H2]]    raw score of W after H1 (most recent) and H2
 */
#include <stt/lm.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
usage (void)
{
  fprintf (stderr,
      "usage: stt-lm convert IN OUT      convert an LM (own, Sphinx trie, ARPA) to the own "
      "format\n"
      "       stt-lm to-arpa IN OUT      write an LM as ARPA text\n"
      "       stt-lm info LM             order, n-gram counts\n"
      "       stt-lm query LM W [H1 [H2]]  score of W after H1 (most recent) and H2\n");
  return 2;
}

static SttLm *
load (const char *path)
{
  GError *error = NULL;
  SttLm *lm = stt_lm_load (path, STT_LM_FORMAT_AUTO, &error);
  if (!lm) {
    fprintf (stderr, "stt-lm: %s\n", error->message);
    g_error_free (error);
  }
  return lm;
}

static int
report (gboolean ok, GError *error)
{
  if (ok)
    return 0;
  fprintf (stderr, "stt-lm: %s\n", error->message);
  g_error_free (error);
  return 1;
}

static int
cmd_query (SttLm *lm, int argc, char **argv)
{
  SttLmWord w[3] = { STT_LM_NO_WORD, STT_LM_NO_WORD, STT_LM_NO_WORD };
  for (int i = 0; i < argc && i < 3; i++) {
    w[i] = stt_lm_word_id (lm, argv[i]);
    if (w[i] < 0)
      fprintf (stderr, "stt-lm: \"%s\" is not in the LM's vocabulary\n", argv[i]);
  }
  guint n_used;
  gint32 raw = stt_lm_score_full (lm, w[0], w[1], w[2], &n_used);
  printf ("raw %d log10 %.6f ln %.6f n-gram %u\n", raw, stt_lm_raw_to_log10 (raw),
      stt_lm_raw_to_ln (raw), n_used);
  return 0;
}

static int
cmd_info (SttLm *lm)
{
  printf ("order %u words %u", stt_lm_get_order (lm), stt_lm_get_n_words (lm));
  for (guint n = 1; n <= stt_lm_get_order (lm); n++)
    printf (" %u-grams %u", n, stt_lm_get_count (lm, n));
  printf ("\n");
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc < 3)
    return usage ();
  const char *cmd = argv[1];
  GError *error = NULL;
  if ((strcmp (cmd, "convert") == 0 || strcmp (cmd, "to-arpa") == 0) && argc != 4)
    return usage ();
  if (strcmp (cmd, "query") == 0 && (argc < 4 || argc > 6))
    return usage ();
  if (strcmp (cmd, "convert") && strcmp (cmd, "to-arpa") && strcmp (cmd, "query")
      && strcmp (cmd, "info"))
    return usage ();
  g_autoptr (SttLm) lm = load (argv[2]);
  if (!lm)
    return 1;
  if (strcmp (cmd, "convert") == 0)
    return report (stt_lm_write (lm, argv[3], &error), error);
  if (strcmp (cmd, "to-arpa") == 0)
    return report (stt_lm_write_arpa (lm, argv[3], &error), error);
  if (strcmp (cmd, "query") == 0)
    return cmd_query (lm, argc - 3, argv + 3);
  return cmd_info (lm);
}
