/* gst-stt — stt-lm: convert, inspect and query n-gram language models.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   stt-lm convert IN OUT          any LM (own, Sphinx trie, ARPA) -> own format
 *   stt-lm to-arpa IN OUT          any LM -> ARPA text
 *   stt-lm info LM                 order, counts, vocabulary size
 *   stt-lm query LM W [H1 [H2]]    raw score of W after H1 (most recent) and H2
 *   stt-lm lexicon DICT [FILLERS] OUT   Sphinx dictionary (+ noisedict) -> own lexicon format
 *   stt-lm build [--order N] [--arpa] TEXT OUT       modified Kneser-Ney LM from sentences
 *   stt-lm interpolate [--weight W] [--arpa] A B OUT W*A + (1-W)*B as one LM
 */
#include <stt/lexicon.h>
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
      "       stt-lm query LM W [H1 [H2]]  score of W after H1 (most recent) and H2\n"
      "       stt-lm lexicon DICT [FILLERS] OUT  Sphinx dictionary (+ noisedict) -> own "
      "lexicon format\n"
      "       stt-lm build [--order N] [--arpa] TEXT OUT  estimate an LM (modified Kneser-Ney, "
      "default order 3)\n"
      "              from TEXT, one sentence per line; OUT in the own format or, with --arpa, "
      "ARPA\n"
      "       stt-lm interpolate [--weight W] [--arpa] A B OUT  the mixture W*A + (1-W)*B "
      "(default W 0.5)\n");
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

/* Any phone is accepted here; a model import restricts them to the acoustic model's set. */
static int
cmd_lexicon (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr (SttLexicon) lex = stt_lexicon_load_sphinx (argv[0], argc == 3 ? argv[1] : NULL,
      NULL, &error);
  if (!lex || !stt_lexicon_write (lex, argv[argc - 1], &error))
    return report (FALSE, error);
  SttLexiconStats st;
  stt_lexicon_get_stats (lex, &st);
  printf ("%u words (%u alternates, %u fillers), %u phones; skipped: %u unknown phones, %u "
      "duplicates, %u alternates without base, %u malformed\n", st.n_words, st.n_alternates,
      st.n_fillers, stt_lexicon_get_n_phones (lex), st.skipped_phones, st.skipped_duplicates,
      st.skipped_orphans, st.skipped_malformed);
  return 0;
}

static int
save (SttLm *lm, gboolean arpa, const char *out)
{
  GError *error = NULL;
  if (!lm)
    return 1;
  gboolean ok = arpa ? stt_lm_write_arpa (lm, out, &error) : stt_lm_write (lm, out, &error);
  if (ok)
    cmd_info (lm);
  stt_lm_unref (lm);
  return report (ok, error);
}

/* Options --order N, --weight W, --arpa anywhere; the rest are positional. */
static int
cmd_estimate (gboolean build, int argc, char **argv)
{
  guint order = 3;
  double weight = 0.5;
  gboolean arpa = FALSE;
  const char *pos[3];
  int n_pos = 0;
  for (int i = 0; i < argc; i++) {
    if (strcmp (argv[i], "--arpa") == 0)
      arpa = TRUE;
    else if (build && strcmp (argv[i], "--order") == 0 && i + 1 < argc)
      order = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
    else if (!build && strcmp (argv[i], "--weight") == 0 && i + 1 < argc)
      weight = g_ascii_strtod (argv[++i], NULL);
    else if (n_pos < 3 && argv[i][0] != '-')
      pos[n_pos++] = argv[i];
    else
      return usage ();
  }
  GError *error = NULL;
  if (build) {
    char *text;
    gsize len;
    if (n_pos != 2)
      return usage ();
    if (!g_file_get_contents (pos[0], &text, &len, &error))
      return report (FALSE, error);
    SttLm *lm = stt_lm_train (text, len, order, &error);
    g_free (text);
    if (!lm)
      g_prefix_error (&error, "%s: ", pos[0]);
    return lm ? save (lm, arpa, pos[1]) : report (FALSE, error);
  }
  if (n_pos != 3)
    return usage ();
  g_autoptr (SttLm) a = load (pos[0]);
  g_autoptr (SttLm) b = a ? load (pos[1]) : NULL;
  if (!b)
    return 1;
  SttLm *lm = stt_lm_interpolate (a, b, weight, &error);
  return lm ? save (lm, arpa, pos[2]) : report (FALSE, error);
}

int
main (int argc, char **argv)
{
  if (argc < 3)
    return usage ();
  const char *cmd = argv[1];
  GError *error = NULL;
  if (strcmp (cmd, "build") == 0 || strcmp (cmd, "interpolate") == 0)
    return cmd_estimate (strcmp (cmd, "build") == 0, argc - 2, argv + 2);
  if (strcmp (cmd, "lexicon") == 0)
    return argc == 4 || argc == 5 ? cmd_lexicon (argc - 2, argv + 2) : usage ();
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
