/* gst-stt — lexicons: cmudict + noisedict counts and alternates, reading rules, the own
 * format, LM ids, damaged files.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "testutil.h"

#include <stt/lexicon.h>
#include <string.h>
#include <glib/gstdio.h>

static char *dict_path, *noise_path;

static SttLexicon *cmudict;    /* read once by the first test, shared by the others */

static SttLexicon *
load_cmudict (double *seconds)
{
  if (cmudict && !seconds)
    return stt_lexicon_ref (cmudict);
  GError *error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  SttLexicon *lex = stt_lexicon_load_sphinx (dict_path, noise_path, NULL, &error);
  if (seconds)
    *seconds = (g_get_monotonic_time () - t0) / 1e6;
  g_assert_no_error (error);
  if (!cmudict)
    cmudict = stt_lexicon_ref (lex);
  return lex;
}

static char *
pron_string (const SttLexicon *lex, guint32 id)
{
  guint n;
  const guint16 *p = stt_lexicon_get_pron (lex, id, &n);
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%s", i ? " " : "", stt_lexicon_get_phone (lex, p[i]));
  return g_string_free (s, FALSE);
}

static void
test_cmudict (void)
{
  double secs;
  SttLexicon *lex = load_cmudict (&secs);
  g_test_message ("cmudict + noisedict read in %.3f s", secs);
  SttLexiconStats st;
  stt_lexicon_get_stats (lex, &st);
  g_assert_cmpuint (st.n_main, ==, 134723);
  g_assert_cmpuint (st.n_alternates, ==, 8778);
  g_assert_cmpuint (st.n_words, ==, 134728);
  g_assert_cmpuint (stt_lexicon_get_n_words (lex), ==, 134728);
  g_assert_cmpuint (st.n_fillers, ==, 3);
  g_assert_cmpuint (st.skipped_phones + st.skipped_duplicates + st.skipped_orphans
      + st.skipped_malformed, ==, 0);
  /* alternates share their base word */
  gint32 read = stt_lexicon_lookup (lex, "read"), read2 = stt_lexicon_lookup (lex, "read(2)");
  g_assert_cmpint (read, >=, 0);
  g_assert_cmpint (read2, >, read);
  g_assert_cmpuint (stt_lexicon_get_base (lex, (guint32) read2), ==, (guint32) read);
  g_assert_cmpuint (stt_lexicon_get_base (lex, (guint32) read), ==, (guint32) read);
  char *p1 = pron_string (lex, (guint32) read), *p2 = pron_string (lex, (guint32) read2);
  g_assert_cmpstr (p1, ==, "R EH D");
  g_assert_cmpstr (p2, ==, "R IY D");
  g_free (p1);
  g_free (p2);
  /* every alternate's base is the text before its last '(' */
  guint alternates = 0;
  for (guint32 i = 0; i < stt_lexicon_get_n_words (lex); i++) {
    guint32 b = stt_lexicon_get_base (lex, i);
    if (b == i)
      continue;
    alternates++;
    const char *w = stt_lexicon_get_word (lex, i), *bw = stt_lexicon_get_word (lex, b);
    g_assert_true (g_str_has_prefix (w, bw));
    g_assert_cmpint (w[strlen (bw)], ==, '(');
  }
  g_assert_cmpuint (alternates, ==, 8778);
  /* fillers */
  const char *fill[] = { "<sil>", "[NOISE]", "[SPEECH]" };
  for (guint i = 0; i < G_N_ELEMENTS (fill); i++)
    g_assert_true (stt_lexicon_is_filler (lex, (guint32) stt_lexicon_lookup (lex, fill[i])));
  g_assert_false (stt_lexicon_is_filler (lex, (guint32) stt_lexicon_lookup (lex, "<s>")));
  g_assert_false (stt_lexicon_is_filler (lex, (guint32) read));
  g_assert_cmpint (stt_lexicon_lookup (lex, "READ"), ==, -1);   /* case-sensitive */
  stt_lexicon_unref (lex);
}

static void
test_map_lm (void)
{
  GError *error = NULL;
  char *lm_path = stt_test_sphinx_path ("en-us.lm.bin");
  SttLm *lm = stt_lm_load (lm_path, STT_LM_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  SttLexicon *lex = load_cmudict (NULL);
  guint missing;
  SttLmWord *ids = stt_lexicon_map_lm (lex, lm, &missing);
  guint n = stt_lexicon_get_n_words (lex), counted = 0;
  for (guint32 i = 0; i < n; i++) {
    const char *w = stt_lexicon_get_word (lex, stt_lexicon_get_base (lex, i));
    if (stt_lexicon_is_filler (lex, i))
      g_assert_cmpint (ids[i], ==, STT_LM_NO_WORD);
    else if (ids[i] >= 0)
      g_assert_cmpstr (stt_lm_word (lm, ids[i]), ==, w);
    else
      counted++;
  }
  g_assert_cmpuint (missing, ==, counted);
  g_test_message ("%u of %u dictionary words are not in the LM", missing, n);
  gint32 read = stt_lexicon_lookup (lex, "read"), read2 = stt_lexicon_lookup (lex, "read(2)");
  g_assert_cmpint (ids[read], >=, 0);
  g_assert_cmpint (ids[read2], ==, ids[read]);
  g_assert_cmpint (ids[stt_lexicon_lookup (lex, "<s>")], ==, stt_lm_word_id (lm, "<s>"));
  g_assert_cmpint (ids[stt_lexicon_lookup (lex, "</s>")], ==, stt_lm_word_id (lm, "</s>"));
  g_free (ids);
  stt_lexicon_unref (lex);
  stt_lm_unref (lm);
  g_free (lm_path);
}

/* The reading rules on a small dictionary whose every line has a known fate. */
static void
test_rules (void)
{
  static const char dict[] =
      "## a comment\n"
      ";; another comment\n"
      "\n"
      "hello HH AH L OW\n"
      "hello(2) HH EH L OW\r\n"            /* alternate after its base: kept */
      "world(2) W ER L D\n"                /* alternate before its base: orphan */
      "world W ER L D\n"
      "lonely\n"                           /* no phones: malformed */
      "hello HH AH L OW\n"                 /* duplicate */
      "zebra Z IY B R XX\n"                /* XX is not in the phone set */
      "(paren) P\n"                        /* '(' first: an ordinary word */
      "  spaced\tS P EY S T  \n";
  static const char noise[] = "<s> SIL\n</s> SIL\n[NOISE] +NSN+\n";
  static const char *const phones[] = { "SIL", "HH", "AH", "L", "OW", "EH", "W", "ER", "D",
    "Z", "IY", "B", "R", "P", "S", "EY", "T", "+NSN+", NULL };
  GError *error = NULL;
  char *d = stt_test_tmp_file ("lexicon.dict", dict, -1);
  char *f = stt_test_tmp_file ("noise.dict", noise, -1);
  SttLexicon *lex = stt_lexicon_load_sphinx (d, f, phones, &error);
  g_assert_no_error (error);
  SttLexiconStats st;
  stt_lexicon_get_stats (lex, &st);
  g_assert_cmpuint (st.n_main, ==, 5);   /* hello, hello(2), world, (paren), spaced */
  g_assert_cmpuint (st.n_alternates, ==, 1);
  g_assert_cmpuint (st.skipped_orphans, ==, 1);
  g_assert_cmpuint (st.skipped_malformed, ==, 1);
  g_assert_cmpuint (st.skipped_duplicates, ==, 1);
  g_assert_cmpuint (st.skipped_phones, ==, 1);
  g_assert_cmpuint (st.n_words, ==, 5 + 3 + 1);   /* + noisedict + <sil> added */
  g_assert_cmpuint (st.n_fillers, ==, 2);          /* [NOISE], <sil> */
  gint32 sil = stt_lexicon_lookup (lex, "<sil>");
  g_assert_cmpint (sil, ==, 8);
  char *p = pron_string (lex, (guint32) sil);
  g_assert_cmpstr (p, ==, "SIL");
  g_free (p);
  p = pron_string (lex, (guint32) stt_lexicon_lookup (lex, "hello(2)"));
  g_assert_cmpstr (p, ==, "HH EH L OW");   /* the \r is not a phone */
  g_free (p);
  p = pron_string (lex, (guint32) stt_lexicon_lookup (lex, "spaced"));
  g_assert_cmpstr (p, ==, "S P EY S T");
  g_free (p);
  /* phone ids are positions in the given set */
  g_assert_cmpint (stt_lexicon_lookup_phone (lex, "HH"), ==, 1);
  g_assert_cmpint (stt_lexicon_lookup_phone (lex, "+NSN+"), ==, 17);
  gint32 paren = stt_lexicon_lookup (lex, "(paren)");
  g_assert_cmpuint (stt_lexicon_get_base (lex, (guint32) paren), ==, (guint32) paren);
  g_assert_cmpint (stt_lexicon_lookup (lex, "zebra"), ==, -1);
  stt_lexicon_unref (lex);

  /* <s> in the main dictionary is refused with its line */
  char *bad = stt_test_tmp_file ("lexicon.dict", "a AH\n<s> SIL\n", -1);
  g_assert_null (stt_lexicon_load_sphinx (bad, f, NULL, &error));
  g_assert_error (error, STT_LEXICON_ERROR, STT_LEXICON_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_assert_nonnull (strstr (error->message, bad));
  g_clear_error (&error);
  g_assert_null (stt_lexicon_load_sphinx ("/nonexistent.dict", NULL, NULL, &error));
  g_assert_error (error, STT_LEXICON_ERROR, STT_LEXICON_ERROR_IO);
  g_clear_error (&error);
  g_unlink (bad);
  g_unlink (d);
  g_unlink (f);
  g_free (bad);
  g_free (d);
  g_free (f);
}

static void
test_own_format (void)
{
  GError *error = NULL;
  SttLexicon *a = load_cmudict (NULL);
  char *path = NULL;
  int fd = g_file_open_tmp ("stt-lexicon-XXXXXX.bin", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (stt_lexicon_write (a, path, &error));
  gint64 t0 = g_get_monotonic_time ();
  SttLexicon *b = stt_lexicon_load (path, &error);
  g_assert_no_error (error);
  g_test_message ("own format: %u words opened in %.3f s", stt_lexicon_get_n_words (b),
      (g_get_monotonic_time () - t0) / 1e6);
  SttLexiconStats sa, sb;
  stt_lexicon_get_stats (a, &sa);
  stt_lexicon_get_stats (b, &sb);
  g_assert_cmpmem (&sa, sizeof sa, &sb, sizeof sb);
  g_assert_cmpuint (stt_lexicon_get_n_phones (a), ==, stt_lexicon_get_n_phones (b));
  for (guint32 i = 0; i < stt_lexicon_get_n_words (a); i++) {
    const char *w = stt_lexicon_get_word (a, i);
    g_assert_cmpstr (w, ==, stt_lexicon_get_word (b, i));
    g_assert_cmpint (stt_lexicon_lookup (b, w), ==, (gint32) i);
    g_assert_cmpuint (stt_lexicon_get_base (a, i), ==, stt_lexicon_get_base (b, i));
    g_assert_cmpint (stt_lexicon_is_filler (a, i), ==, stt_lexicon_is_filler (b, i));
    guint na, nb;
    const guint16 *pa = stt_lexicon_get_pron (a, i, &na), *pb = stt_lexicon_get_pron (b, i, &nb);
    g_assert_cmpmem (pa, na * 2, pb, nb * 2);
  }
  /* damaged copies: every truncation refused; random damage refused or still consistent */
  GBytes *img = stt_lexicon_get_bytes (b);
  gsize size;
  const guint8 *data = g_bytes_get_data (img, &size);
  GRand *rand = g_rand_new_with_seed (5);
  for (guint i = 0; i < 300; i++) {
    gsize cut = i < 40 ? i : (gsize) g_rand_int_range (rand, 0, (gint32) size - 8);
    GBytes *t = g_bytes_new_static (data, cut);
    g_assert_null (stt_lexicon_new_from_bytes (t, "cut.lex", &error));
    g_assert_nonnull (strstr (error->message, "cut.lex: byte "));
    g_clear_error (&error);
    g_bytes_unref (t);
  }
  guint8 *copy = g_malloc (size);
  guint accepted = 0;
  for (guint it = 0; it < 200; it++) {
    memcpy (copy, data, size);
    for (gint k = g_rand_int_range (rand, 1, 5); k > 0; k--) {
      gsize at = g_rand_boolean (rand) ? (gsize) g_rand_int_range (rand, 0, 400)
          : (gsize) g_rand_int_range (rand, 0, (gint32) size);
      copy[at] = (guint8) g_rand_int (rand);
    }
    GBytes *t = g_bytes_new_static (copy, size);
    SttLexicon *x = stt_lexicon_new_from_bytes (t, "fuzz", &error);
    if (x) {
      accepted++;
      for (guint32 i = 0; i < stt_lexicon_get_n_words (x); i += 97) {
        guint n;
        const guint16 *p = stt_lexicon_get_pron (x, i, &n);
        for (guint k = 0; k < n; k++)
          g_assert_nonnull (stt_lexicon_get_phone (x, p[k]));
        g_assert_cmpint (stt_lexicon_lookup (x, stt_lexicon_get_word (x, i)), ==, (gint32) i);
        g_assert_cmpuint (stt_lexicon_get_base (x, stt_lexicon_get_base (x, i)), ==,
            stt_lexicon_get_base (x, i));
      }
      stt_lexicon_unref (x);
    } else {
      g_clear_error (&error);
    }
    g_bytes_unref (t);
  }
  g_test_message ("%u of 200 damaged lexicons accepted (consistent)", accepted);
  g_free (copy);
  g_rand_free (rand);
  g_bytes_unref (img);
  stt_lexicon_unref (a);
  stt_lexicon_unref (b);
  g_unlink (path);
  g_free (path);
}

/* The default model's lexicon: phone ids are the acoustic model's CI phones, counts as read. */
static void
test_default_model (void)
{
  GError *error = NULL;
  SttModel *model = stt_model_cache_lookup (STT_DEFAULT_MODEL_ID, &error);
  g_assert_no_error (error);
  SttLexicon *lex = stt_lexicon_new_from_model (model, "lm/lexicon.bin", &error);
  g_assert_no_error (error);
  SttLexicon *ref = load_cmudict (NULL);
  SttLexiconStats a, b;
  stt_lexicon_get_stats (lex, &a);
  stt_lexicon_get_stats (ref, &b);
  g_assert_cmpmem (&a, sizeof a, &b, sizeof b);
  g_assert_cmpuint (stt_lexicon_get_n_phones (lex), >=, stt_lexicon_get_n_phones (ref));
  for (guint32 i = 0; i < stt_lexicon_get_n_words (lex); i += 13) {
    char *pa = pron_string (lex, i), *pb = pron_string (ref, i);
    g_assert_cmpstr (pa, ==, pb);
    g_free (pa);
    g_free (pb);
  }
  stt_lexicon_unref (ref);
  stt_lexicon_unref (lex);
  stt_model_unref (model);
}

/* stt_lexicon_new_extended: base entries kept with their ids, new words appended, a new
 * pronunciation of a known word as its next alternate, a known one skipped; bad entries fail. */
static void
test_extended (void)
{
  static const char dict[] = "hello HH AH L OW\nhello(2) HH EH L OW\nworld W ER L D\n";
  static const char noise[] = "<s> SIL\n</s> SIL\n[NOISE] +NSN+\n";
  static const char *const phones[] = { "SIL", "HH", "AH", "L", "OW", "EH", "W", "ER", "D",
    "Z", "+NSN+", NULL };
  g_autofree char *d = stt_test_tmp_file ("lexicon.dict", dict, -1);
  g_autofree char *f = stt_test_tmp_file ("noise.dict", noise, -1);
  g_autoptr (GError) error = NULL;
  g_autoptr (SttLexicon) base = stt_lexicon_load_sphinx (d, f, phones, &error);
  g_assert_no_error (error);
  static const char *const p_zed[] = { "Z", "EH", "D", NULL };
  static const char *const p_hello3[] = { "HH", "OW", "L", "OW", NULL };
  static const char *const p_hello2[] = { "HH", "EH", "L", "OW", NULL };
  static const char *const p_bad[] = { "Z", "XX", NULL };
  static const char *const p_empty[] = { NULL };
  const SttLexiconEntry add[] = { { "zed", p_zed }, { "hello", p_hello3 },
    { "hello", p_hello2 }, { "zed", p_zed } };
  guint n_added;
  g_autoptr (SttLexicon) lex = stt_lexicon_new_extended (base, add, G_N_ELEMENTS (add),
      &n_added, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_added, ==, 2);
  guint nb = stt_lexicon_get_n_words (base);
  g_assert_cmpuint (stt_lexicon_get_n_words (lex), ==, nb + 2);
  for (guint32 w = 0; w < nb; w++) {
    g_assert_cmpstr (stt_lexicon_get_word (lex, w), ==, stt_lexicon_get_word (base, w));
    g_assert_cmpint (stt_lexicon_is_filler (lex, w), ==, stt_lexicon_is_filler (base, w));
  }
  gint32 zed = stt_lexicon_lookup (lex, "zed"), h3 = stt_lexicon_lookup (lex, "hello(3)");
  g_assert_cmpint (zed, ==, (gint32) nb);
  g_assert_cmpint (h3, ==, (gint32) nb + 1);
  g_assert_cmpuint (stt_lexicon_get_base (lex, (guint32) h3), ==,
      (guint32) stt_lexicon_lookup (lex, "hello"));
  g_autofree char *pz = pron_string (lex, (guint32) zed);
  g_assert_cmpstr (pz, ==, "Z EH D");
  SttLexiconStats st;
  stt_lexicon_get_stats (lex, &st);
  g_assert_cmpuint (st.n_words, ==, nb + 2);
  g_assert_cmpuint (st.n_alternates, ==, 2);
  const SttLexiconEntry bad[][1] = { { { "zed", p_bad } }, { { "zed", p_empty } },
    { { "[NOISE]", p_zed } }, { { "two words", p_zed } }, { { "", p_zed } } };
  const char *const expect[] = { "phone \"XX\"", "empty pronunciation", "filler word",
    "cannot be a lexicon word", "cannot be a lexicon word" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_clear_error (&error);
    g_assert_null (stt_lexicon_new_extended (base, bad[i], 1, NULL, &error));
    g_assert_error (error, STT_LEXICON_ERROR, STT_LEXICON_ERROR_FORMAT);
    g_assert_nonnull (strstr (error->message, expect[i]));
  }
  g_unlink (d);
  g_unlink (f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  dict_path = stt_test_sphinx_path ("cmudict-en-us.dict");
  noise_path = stt_test_sphinx_path ("en-us/noisedict");
  g_test_add_func ("/lexicon/cmudict", test_cmudict);
  g_test_add_func ("/lexicon/map-lm", test_map_lm);
  g_test_add_func ("/lexicon/rules", test_rules);
  g_test_add_func ("/lexicon/own-format", test_own_format);
  g_test_add_func ("/lexicon/default-model", test_default_model);
  g_test_add_func ("/lexicon/extended", test_extended);
  int ret = g_test_run ();
  g_clear_pointer (&cmudict, stt_lexicon_unref);
  g_free (dict_path);
  g_free (noise_path);
  return ret;
}
