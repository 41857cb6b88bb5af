/* gst-stt — benchmark of the n-gram LM and the lexicon: load times and lookups per second.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * On Debian's en-us.lm.bin (72547 words, 2.05M bigrams, 1.67M trigrams) and cmudict:
 *   - load: the Sphinx trie converted on load, and the own format mapped (as a model ships it);
 *   - lookups: 2M trigram queries drawn from word sequences of the LM (half stored trigrams,
 *     half random continuations, so every backoff path is exercised), through the decoder's
 *     state API (score + successor state per call) and through stt_lm_score (word history);
 *   - the peer in the same run: sphinxbase (python3-pocketsphinx NGramModel) loading the same
 *     file and scoring the same queries; its lookups include the Python call overhead, so that
 *     ratio is an upper bound of ours versus sphinxbase's C lookup.
 *   - lexicon: cmudict + noisedict text, and the own format.
 *
 *   bench-lm [--queries N] [--no-peer]
 */
#include <stt/lexicon.h>
#include <stt/lm.h>

#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static char *
sphinx_file (const char *name)
{
  const char *dir = g_getenv ("STT_SPHINX_MODEL");
  return g_build_filename (dir && *dir ? dir : "/usr/share/pocketsphinx/model/en-us", name,
      NULL);
}

typedef struct {
  GArray *tri;
  GRand *rand;
} Pick;

static gboolean
pick_trigram (const SttLmWord *w, guint n, float p, float b, gpointer data)
{
  Pick *pk = data;
  if (g_rand_int_range (pk->rand, 0, 400) == 0)
    g_array_append_vals (pk->tri, w, 3);
  return TRUE;
}

/* Runs the peer; returns its load seconds and queries per second, or FALSE. */
static gboolean
peer (const char *lm_path, const char *qfile, double *load_s, double *qps)
{
  const char *script =
      "import sys, time\n"
      "import pocketsphinx\n"
      "t = time.perf_counter(); m = pocketsphinx.NGramModel(sys.argv[1]);"
      " load = time.perf_counter() - t\n"
      "qs = [l.rstrip('\\n').split('\\t') for l in open(sys.argv[2])]\n"
      "t = time.perf_counter(); s = 0\n"
      "for q in qs: s += m.prob(q)\n"
      "print(load, len(qs) / (time.perf_counter() - t), s)\n";
  char *argv[] = { (char *) "/usr/bin/python3", (char *) "-c", (char *) script,
    (char *) lm_path, (char *) qfile, NULL };
  char *out = NULL;
  int status;
  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
          &status, NULL) || !g_spawn_check_wait_status (status, NULL)) {
    g_free (out);
    return FALSE;
  }
  gboolean ok = sscanf (out, "%lf %lf", load_s, qps) == 2;
  g_free (out);
  return ok;
}

int
main (int argc, char **argv)
{
  guint n_queries = 2000000;
  gboolean no_peer = FALSE;
  for (int i = 1; i < argc; i++) {
    if (strcmp (argv[i], "--queries") == 0 && i + 1 < argc)
      n_queries = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
    else if (strcmp (argv[i], "--no-peer") == 0)
      no_peer = TRUE;
  }
  GError *error = NULL;
  char *lm_path = sphinx_file ("en-us.lm.bin");
  double t0 = now ();
  SttLm *lm = stt_lm_load (lm_path, STT_LM_FORMAT_AUTO, &error);
  if (!lm) {
    fprintf (stderr, "bench-lm: %s\n", error->message);
    return 1;
  }
  double load_trie = now () - t0;
  char *own = g_build_filename (g_get_tmp_dir (), "bench-lm.sttlm", NULL);
  if (!stt_lm_write (lm, own, &error)) {
    fprintf (stderr, "bench-lm: %s\n", error->message);
    return 1;
  }
  t0 = now ();
  SttLm *mapped = stt_lm_load (own, STT_LM_FORMAT_OWN, &error);
  double load_own = now () - t0;
  g_assert_no_error (error);

  /* queries: (w, h1, h2) along word sequences */
  GRand *rand = g_rand_new_with_seed (11);
  Pick pk = { g_array_new (FALSE, FALSE, sizeof (SttLmWord)), rand };
  stt_lm_foreach_ngram (mapped, 3, pick_trigram, &pk);
  guint n_tri = pk.tri->len / 3;
  const SttLmWord *tri = (const SttLmWord *) pk.tri->data;
  SttLmWord *q = g_new (SttLmWord, (gsize) n_queries * 3);
  gint32 nw = (gint32) stt_lm_get_n_words (mapped);
  for (guint i = 0; i < n_queries; i++) {
    const SttLmWord *t = tri + 3 * g_rand_int_range (rand, 0, (gint32) n_tri);
    q[3 * i] = g_rand_boolean (rand) ? t[2] : g_rand_int_range (rand, 0, nw);
    q[3 * i + 1] = t[1];
    q[3 * i + 2] = t[0];
  }
  /* state API: the state of (h1, h2) is what a decoder carries; scoring returns the next */
  SttLmState *states = g_new (SttLmState, n_queries);
  for (guint i = 0; i < n_queries; i++)
    stt_lm_state_init (mapped, &states[i], q[3 * i + 1], q[3 * i + 2]);
  gint64 sum_state = 0, sum_hist = 0;
  t0 = now ();
  for (guint i = 0; i < n_queries; i++) {
    SttLmState next;
    sum_state += stt_lm_score_state (mapped, &states[i], q[3 * i], &next);
  }
  double state_s = now () - t0;
  t0 = now ();
  for (guint i = 0; i < n_queries; i++)
    sum_hist += stt_lm_score (mapped, q[3 * i], q[3 * i + 1], q[3 * i + 2]);
  double hist_s = now () - t0;
  if (sum_state != sum_hist) {
    fprintf (stderr, "bench-lm: state and history scores differ\n");
    return 1;
  }
  printf ("LM en-us.lm.bin: load Sphinx trie (converted) %.3f s, own format (mapped) %.4f s\n",
      load_trie, load_own);
  printf ("LM lookups: state API %.1f M/s, word-history API %.1f M/s (%u queries, checksum %"
      G_GINT64_FORMAT ")\n", n_queries / state_s / 1e6, n_queries / hist_s / 1e6, n_queries,
      sum_state);

  if (!no_peer) {
    guint n_peer = MIN (n_queries, 200000);
    char *qfile = g_build_filename (g_get_tmp_dir (), "bench-lm-queries.txt", NULL);
    GString *s = g_string_new (NULL);
    gint64 sum_peer_ours = 0;
    for (guint i = 0; i < n_peer; i++) {
      g_string_append_printf (s, "%s\t%s\t%s\n", stt_lm_word (mapped, q[3 * i]),
          stt_lm_word (mapped, q[3 * i + 1]), stt_lm_word (mapped, q[3 * i + 2]));
      sum_peer_ours += stt_lm_score (mapped, q[3 * i], q[3 * i + 1], q[3 * i + 2]);
    }
    g_file_set_contents (qfile, s->str, (gssize) s->len, NULL);
    g_string_free (s, TRUE);
    double p_load, p_qps;
    if (peer (lm_path, qfile, &p_load, &p_qps))
      printf ("peer sphinxbase (python3-pocketsphinx): load %.3f s, %.2f M lookups/s over %u "
          "queries incl. Python calls; ratios: load own/sphinx %.3f, trie-convert/sphinx %.2f, "
          "lookups ours(state)/sphinx %.1fx\n", p_load, p_qps / 1e6, n_peer,
          load_own / p_load, load_trie / p_load, (n_queries / state_s) / p_qps);
    else
      printf ("peer sphinxbase: not available (apt-get install python3-pocketsphinx)\n");
    g_unlink (qfile);
    g_free (qfile);
  }

  /* lexicon */
  char *dict = sphinx_file ("cmudict-en-us.dict"), *noise = sphinx_file ("en-us/noisedict");
  t0 = now ();
  SttLexicon *lex = stt_lexicon_load_sphinx (dict, noise, NULL, &error);
  double lex_text = now () - t0;
  g_assert_no_error (error);
  char *lex_own = g_build_filename (g_get_tmp_dir (), "bench-lm.lex", NULL);
  stt_lexicon_write (lex, lex_own, &error);
  t0 = now ();
  SttLexicon *lex2 = stt_lexicon_load (lex_own, &error);
  double lex_map = now () - t0;
  g_assert_no_error (error);
  t0 = now ();
  guint missing;
  g_free (stt_lexicon_map_lm (lex2, mapped, &missing));
  double map_s = now () - t0;
  printf ("lexicon cmudict+noisedict (%u words): text %.3f s, own format %.4f s, map to LM ids "
      "%.3f s\n", stt_lexicon_get_n_words (lex2), lex_text, lex_map, map_s);

  g_unlink (own);
  g_unlink (lex_own);
  stt_lexicon_unref (lex);
  stt_lexicon_unref (lex2);
  stt_lm_unref (lm);
  stt_lm_unref (mapped);
  g_free (q);
  g_free (states);
  g_array_unref (pk.tri);
  g_rand_free (rand);
  g_free (own);
  g_free (lex_own);
  g_free (lm_path);
  g_free (dict);
  g_free (noise);
  return 0;
}
