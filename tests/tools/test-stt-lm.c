/* gst-stt — the stt-lm tool: convert, info, query, to-arpa, lexicon, build, interpolate; bad
 * input gives a message and a non-zero exit, and no output file.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "testutil.h"

#include <stt/lexicon.h>
#include <stt/lm.h>
#include <glib/gstdio.h>
#include <string.h>

static char *tmp;

/* Run stt-lm with @args (NULL-terminated); returns the exit status, output in *out and *err. */
static int
run (char **out, char **err, ...)
{
  va_list ap;
  va_start (ap, err);
  int r = stt_test_run_toolv ("tools/lm/stt-lm", out, err, ap);
  va_end (ap);
  return r;
}

static char *
path (const char *name)
{
  return g_build_filename (tmp, name, NULL);
}

static const char arpa[] =
    "\\data\\\nngram 1=5\nngram 2=3\n\n\\1-grams:\n-1.0 <s> -0.5\n-0.8 </s>\n-0.7 a -0.3\n"
    "-0.9 b -0.25\n-1.2 c\n\n\\2-grams:\n-0.3 <s> a\n-0.4 a b\n-0.2 b </s>\n\n\\end\\\n";

static void
test_convert_query (void)
{
  char *src = path ("small.arpa"), *own = path ("small.sttlm"), *back = path ("back.arpa");
  char *out = NULL, *err = NULL;
  g_assert_true (g_file_set_contents (src, arpa, -1, NULL));
  g_assert_cmpint (run (&out, &err, "convert", src, own, NULL), ==, 0);
  g_free (out);
  g_free (err);
  /* the tool's answer equals the library's on the converted file */
  GError *error = NULL;
  SttLm *lm = stt_lm_load (own, STT_LM_FORMAT_OWN, &error);
  g_assert_no_error (error);
  gint32 raw = stt_lm_score (lm, stt_lm_word_id (lm, "b"), stt_lm_word_id (lm, "a"), -1);
  g_assert_cmpint (run (&out, &err, "query", own, "b", "a", NULL), ==, 0);
  char *want = g_strdup_printf ("raw %d ", raw);
  g_assert_true (g_str_has_prefix (out, want));
  g_assert_nonnull (strstr (out, "n-gram 2"));
  g_free (want);
  g_free (out);
  g_free (err);
  g_assert_cmpint (run (&out, &err, "info", own, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "order 2 words 5 1-grams 5 2-grams 3\n");
  g_free (out);
  g_free (err);
  g_assert_cmpint (run (&out, &err, "to-arpa", own, back, NULL), ==, 0);
  char *text;
  g_assert_true (g_file_get_contents (back, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\n-0.4 a b\n"));
  g_free (text);
  g_free (out);
  g_free (err);
  /* an unknown word is reported, the score is logzero */
  g_assert_cmpint (run (&out, &err, "query", own, "zebra", NULL), ==, 0);
  g_assert_nonnull (strstr (err, "\"zebra\" is not in the LM's vocabulary"));
  g_assert_true (g_str_has_prefix (out, "raw -536870912 "));
  g_free (out);
  g_free (err);
  stt_lm_unref (lm);
  g_unlink (src);
  g_unlink (own);
  g_unlink (back);
  g_free (src);
  g_free (own);
  g_free (back);
}

static void
test_errors (void)
{
  char *bad = path ("bad.arpa"), *out_path = path ("never.sttlm");
  char *out = NULL, *err = NULL;
  g_assert_true (g_file_set_contents (bad, "\\data\\\nngram 1=2\n\\1-grams:\n-1 a\n\\end\\\n",
          -1, NULL));
  g_assert_cmpint (run (&out, &err, "convert", bad, out_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, bad));
  g_assert_nonnull (strstr (err, "1 1-grams found, \\data\\ announced 2"));
  g_assert_false (g_file_test (out_path, G_FILE_TEST_EXISTS));
  g_free (out);
  g_free (err);
  g_assert_cmpint (run (&out, &err, "frobnicate", bad, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "usage: stt-lm"));
  g_free (out);
  g_free (err);
  g_assert_cmpint (run (&out, &err, "build", "--order", "5", bad, out_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "order 5"));
  g_assert_false (g_file_test (out_path, G_FILE_TEST_EXISTS));
  g_free (out);
  g_free (err);
  g_unlink (bad);
  g_free (bad);
  g_free (out_path);
}

static void
test_build_interpolate_lexicon (void)
{
  char *text = path ("text.txt"), *text2 = path ("text2.txt"), *a = path ("a.arpa");
  char *b = path ("b.sttlm"), *mix = path ("mix.sttlm"), *dict = path ("d.dict");
  char *lex = path ("d.lex");
  char *out = NULL, *err = NULL;
  g_assert_true (g_file_set_contents (text, "the cat sat\nthe dog sat\na cat ran\n", -1, NULL));
  g_assert_true (g_file_set_contents (text2, "the bird flew\nthe cat flew\n", -1, NULL));
  g_assert_cmpint (run (&out, &err, "build", "--arpa", "--order", "2", text, a, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "order 2 words 9 1-grams 9 2-grams 10\n");
  g_free (out);
  g_free (err);
  g_assert_cmpint (run (&out, &err, "build", text2, b, NULL), ==, 0);
  g_free (out);
  g_free (err);
  g_assert_cmpint (run (&out, &err, "interpolate", "--weight", "0.25", a, b, mix, NULL), ==, 0);
  g_free (out);
  g_free (err);
  GError *error = NULL;
  SttLm *m = stt_lm_load (mix, STT_LM_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stt_lm_get_order (m), ==, 3);
  g_assert_cmpint (stt_lm_word_id (m, "bird"), >=, 0);
  g_assert_cmpint (stt_lm_word_id (m, "dog"), >=, 0);
  stt_lm_unref (m);
  g_assert_true (g_file_set_contents (dict, "cat K AE T\ncat(2) K AA T\ndog D AO G\n", -1, NULL));
  g_assert_cmpint (run (&out, &err, "lexicon", dict, lex, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "6 words (1 alternates, 1 fillers)"));
  SttLexicon *l = stt_lexicon_load (lex, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stt_lexicon_get_n_words (l), ==, 6);   /* + <s> </s> <sil> */
  stt_lexicon_unref (l);
  g_free (out);
  g_free (err);
  const char *files[] = { text, text2, a, b, mix, dict, lex };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
    g_unlink (files[i]);
    g_free ((char *) files[i]);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp = g_dir_make_tmp ("stt-lm-tool-XXXXXX", NULL);
  g_test_add_func ("/tools/stt-lm/convert-query", test_convert_query);
  g_test_add_func ("/tools/stt-lm/errors", test_errors);
  g_test_add_func ("/tools/stt-lm/build-interpolate-lexicon", test_build_interpolate_lexicon);
  int ret = g_test_run ();
  g_rmdir (tmp);
  g_free (tmp);
  return ret;
}
