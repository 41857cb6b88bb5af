/* gst-stt — stt-itn-compile's grammar compiler: the language, and its errors with line numbers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib/gstdio.h>
#include <stt/itn.h>
#include <string.h>
#include "grammar.h"

static char *
apply (GBytes *fst, const char *text)
{
  GError *err = NULL;
  SttItn *itn = stt_itn_new_from_bytes (fst, "test", &err);
  g_assert_no_error (err);
  SttItnRunner *r = stt_itn_runner_new (itn);
  char *out = stt_itn_runner_apply_text (r, text);
  stt_itn_runner_free (r);
  stt_itn_unref (itn);
  return out;
}

/* Every operator of the language on a small grammar. */
static void
test_language (void)
{
  const char *src =
      "# a comment\n"
      "digit = \"one\":\"1\" | \"two\":\"2\";\n"
      "num = \"minus\":\"-\"? digit+ (\"and\": digit)?;\n"
      "unit = (\"meter\" | \"meters\") -> \"m\";\n"
      "class measure = num :\" \" unit;\n"
      "class cardinal = num <0.5>;\n"
      "class hello = \"hello world\";\n"
      "class word = ANY;\n"
      "main = (measure <1> | cardinal <1> | hello | word <10>)*;\n";
  SttItnGrammarStats st;
  GError *err = NULL;
  GBytes *fst = stt_itn_grammar_compile (src, "test.grm", NULL, &st, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (st.n_classes, ==, 4);
  char *out = apply (fst, "minus one two and one meters and hello world two");
  g_assert_cmpstr (out, ==, "-121 m and hello world 2");
  g_free (out);
  out = apply (fst, "");
  g_assert_cmpstr (out, ==, "");
  g_free (out);

  /* token ranges: "-121" from words 0..4, "m" from word 4, "and" 5, "hello" "world" 6 and 7 */
  SttItn *itn = stt_itn_new_from_bytes (fst, "test", &err);
  SttItnRunner *r = stt_itn_runner_new (itn);
  const char *words[] = { "minus", "one", "two", "and", "one", "meters", "and", "hello",
    "world" };
  SttItnOutput *o = stt_itn_runner_apply (r, words, G_N_ELEMENTS (words));
  g_assert_cmpuint (stt_itn_output_get_n_tokens (o), ==, 5);
  const SttItnToken *t = stt_itn_output_get_token (o, 0);
  g_assert_cmpstr (t->text, ==, "-121");
  g_assert_cmpstr (t->klass, ==, "measure");
  g_assert_cmpuint (t->first_word, ==, 0);
  g_assert_cmpuint (t->n_words, ==, 5);
  t = stt_itn_output_get_token (o, 1);
  g_assert_cmpstr (t->text, ==, "m");
  g_assert_cmpuint (t->first_word, ==, 5);
  g_assert_cmpuint (t->n_words, ==, 1);
  t = stt_itn_output_get_token (o, 3);
  g_assert_cmpstr (t->text, ==, "hello");
  g_assert_cmpstr (t->klass, ==, "hello");
  g_assert_cmpuint (t->first_word, ==, 7);
  t = stt_itn_output_get_token (o, 4);
  g_assert_cmpuint (t->first_word, ==, 8);
  stt_itn_output_free (o);
  stt_itn_runner_free (r);
  stt_itn_unref (itn);
  g_bytes_unref (fst);
}

/* A grammar that rejects the input passes the words through. */
static void
test_rejecting_grammar (void)
{
  GError *err = NULL;
  GBytes *fst = stt_itn_grammar_compile ("class x = \"one\":\"1\";\nmain = x;\n", "t.grm",
      NULL, NULL, &err);
  g_assert_no_error (err);
  char *out = apply (fst, "one");
  g_assert_cmpstr (out, ==, "1");
  g_free (out);
  out = apply (fst, "one one two");
  g_assert_cmpstr (out, ==, "one one two");
  g_free (out);
  g_bytes_unref (fst);
}

typedef struct {
  const char *source, *where, *what;
} BadCase;

static void
test_errors (void)
{
  const BadCase cases[] = {
    {"a = \"x\";\nb = a c;\nmain = b;\n", "bad.grm:2:7:", "'c' is not defined"},
    {"a = \"x\";\n\nmain = a\n", "bad.grm:4:1:", "expected ';'"},
    {"a = \"x;\nmain = a;\n", "bad.grm:1:8:", "unterminated string"},
    {"a = \"x\" <-1>;\nmain = a;\n", "bad.grm:1:10:", "weight"},
    {"a = \"x\";\na = \"y\";\nmain = a;\n", "bad.grm:2:1:", "already defined"},
    {"a = \"x\";\n", "bad.grm:", "no rule named 'main'"},
    {"main = (\"x\" | ;\n", "bad.grm:1:15:", "unexpected ';'"},
    {"include \"nowhere.grm\";\nmain = \"x\";\n", "bad.grm:1:23:", "cannot include"},
    {"a = \"x\" -> y;\nmain = a;\n", "bad.grm:1:12:", "'->' must be followed"},
    {"a = \"\\q\";\nmain = a;\n", "bad.grm:1:7:", "unknown escape"},
    {"main = ( \"x\" ;\n", "bad.grm:1:14:", "expected ')'"},
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    GError *err = NULL;
    GBytes *fst = stt_itn_grammar_compile (cases[i].source, "bad.grm", "/nonexistent", NULL,
        &err);
    g_assert_null (fst);
    g_assert_error (err, STT_ITN_ERROR, STT_ITN_ERROR_GRAMMAR);
    if (!g_str_has_prefix (err->message, cases[i].where) || !strstr (err->message,
            cases[i].what))
      g_error ("case %u: \"%s\" does not start with \"%s\" and name \"%s\"", i, err->message,
          cases[i].where, cases[i].what);
    g_error_free (err);
  }
}

/* Errors inside an included file name that file and its line. */
static void
test_include_error (void)
{
  char *dir = g_dir_make_tmp ("stt-grm-XXXXXX", NULL);
  char *inc = g_build_filename (dir, "part.grm", NULL);
  char *top = g_build_filename (dir, "top.grm", NULL);
  g_assert_true (g_file_set_contents (inc, "ok = \"x\";\nbroken = ok undefined_rule;\n", -1,
          NULL));
  g_assert_true (g_file_set_contents (top, "include \"part.grm\";\nmain = ok;\n", -1, NULL));
  GError *err = NULL;
  g_assert_null (stt_itn_grammar_compile_file (top, NULL, &err));
  char *want = g_strdup_printf ("%s:2:13:", inc);
  g_assert_true (g_str_has_prefix (err->message, want));
  g_error_free (err);
  g_unlink (inc);
  g_unlink (top);
  g_rmdir (dir);
  g_free (want);
  g_free (inc);
  g_free (top);
  g_free (dir);
}

/* Damaged transducer bytes: every truncation and any changed byte are refused. */
static void
test_damaged_transducer (void)
{
  GError *err = NULL;
  GBytes *fst = stt_itn_grammar_compile ("class n = \"one\":\"1\";\nclass w = ANY;\n"
      "main = (n | w <5>)*;\n", "t.grm", NULL, NULL, &err);
  g_assert_no_error (err);
  gsize len;
  const guint8 *data = g_bytes_get_data (fst, &len);
  guint32 *copy = g_malloc (len + 4);     /* 4-byte aligned, as a mapping is */
  for (gsize cut = 0; cut < len; cut++) {
    memcpy (copy, data, cut);
    GBytes *b = g_bytes_new_static (copy, cut);
    SttItn *itn = stt_itn_new_from_bytes (b, "cut.wfst", &err);
    g_assert_null (itn);
    g_assert_error (err, STT_ITN_ERROR, STT_ITN_ERROR_FORMAT);
    g_assert_true (g_str_has_prefix (err->message, "cut.wfst: "));
    g_clear_error (&err);
    g_bytes_unref (b);
  }
  for (gsize i = 0; i < len; i++) {
    memcpy (copy, data, len);
    ((guint8 *) copy)[i] ^= 0x10;
    GBytes *b = g_bytes_new_static (copy, len);
    SttItn *itn = stt_itn_new_from_bytes (b, "flip.wfst", &err);
    if (itn)
      g_error ("a change of byte %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " went unnoticed",
          i, len);
    g_clear_error (&err);
    g_bytes_unref (b);
  }
  g_free (copy);
  g_bytes_unref (fst);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/itn-compile/language", test_language);
  g_test_add_func ("/itn-compile/rejecting-grammar", test_rejecting_grammar);
  g_test_add_func ("/itn-compile/errors", test_errors);
  g_test_add_func ("/itn-compile/include-error", test_include_error);
  g_test_add_func ("/itn-compile/damaged-transducer", test_damaged_transducer);
  return g_test_run ();
}
