/* gst-stt — sttpunct in real pipelines: finals, partials, ITN, no words, long phrases,
 * corrupt models.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <string.h>
#include "punct-pipeline.h"
#include "punct-testutil.h"

static char *models_dir;        /* scratch folder of this test's models */
static char *model_dir;         /* a small model trained from two addresses */
static SttPunct *punct;         /* the same model, through the library */

static void
setup_model (void)
{
  static const char *const text[] = {
    "1790_george_washington_n.txt", "2014_barack_obama_d.txt", NULL
  };
  models_dir = g_dir_make_tmp ("stt-punct-XXXXXX", NULL);
  GBytes *bytes = punct_test_train_bytes (text);
  model_dir = punct_test_install (models_dir, bytes);
  GError *err = NULL;
  punct = stt_punct_new_from_bytes (bytes, "small", &err);
  g_assert_no_error (err);
  g_bytes_unref (bytes);
}

static char *
element (void)
{
  return g_strdup_printf ("sttpunct model=\"%s\"", model_dir);
}

/* Run results through sttpunct with the small model. */
static GPtrArray *
run (SttResult **in, guint n, char **warnings)
{
  char *e = element ();
  GPtrArray *out = punct_test_run (e, in, n, warnings, FALSE);
  g_free (e);
  fail_unless_equals_int (out->len, n);
  return out;
}

static const char *
text_of (SttResult *r, guint hyp, SttTextField f)
{
  return stt_hypothesis_get_text (stt_result_get_hypothesis (r, hyp), f);
}

GST_START_TEST (test_final_display)
{
  const char *lexical = "my fellow americans we are fifteen years into this new century "
      "what should we do i think america must lead";
  SttResult *in = stt_test_result_new (lexical, 20000000);
  char *warnings;
  GPtrArray *out = run (&in, 1, &warnings);
  fail_unless_equals_string (warnings, "");
  SttResult *r = out->pdata[0];
  /* the element writes what the library computes for the same words (no pauses here) */
  char *want = stt_punct_punctuate (punct, lexical, STT_PUNCT_FLAG_END_SENTENCE);
  fail_unless_equals_string (text_of (r, 0, STT_TEXT_DISPLAY), want);
  fail_unless_equals_string (text_of (r, 0, STT_TEXT_LEXICAL), lexical);
  fail_unless_equals_string (text_of (r, 0, STT_TEXT_ITN), "");
  fail_unless (g_str_has_prefix (want, "My"));
  fail_unless (strstr (want, " America") != NULL);
  fail_unless (g_str_has_suffix (want, ".") || g_str_has_suffix (want, "?"));
  fail_unless_equals_int64 (r->offset, 20000000);
  fail_unless_equals_int (stt_hypothesis_get_n_words (stt_result_get_best (r)), 20);
  g_free (want);
  g_free (warnings);
  g_ptr_array_unref (out);
  stt_result_unref (in);
}
GST_END_TEST;

GST_START_TEST (test_partial_gets_casing_only)
{
  SttResult *in = stt_test_result_new ("i think america must lead", 0);
  in->kind = STT_RESULT_PARTIAL;
  GPtrArray *out = run (&in, 1, NULL);
  const char *display = text_of (out->pdata[0], 0, STT_TEXT_DISPLAY);
  char *want = stt_punct_format (punct, (const char *[]) {"i", "think", "america", "must",
        "lead"}, 5, NULL, FALSE);
  fail_unless_equals_string (display, want);
  fail_unless (strpbrk (display, ".,?") == NULL);
  g_free (want);
  g_ptr_array_unref (out);
  stt_result_unref (in);
}
GST_END_TEST;

/* ITN ran first: Display is the ITN text punctuated; ITN gets the same case, no marks. */
GST_START_TEST (test_itn_first)
{
  SttResult *in = stt_test_result_new ("i paid twenty dollars in america", 0);
  stt_hypothesis_set_text (stt_result_get_best (in), STT_TEXT_ITN, "i paid $20 in america");
  GPtrArray *out = run (&in, 1, NULL);
  SttResult *r = out->pdata[0];
  char *display = stt_punct_punctuate (punct, "i paid $20 in america",
      STT_PUNCT_FLAG_END_SENTENCE);
  fail_unless_equals_string (text_of (r, 0, STT_TEXT_DISPLAY), display);
  fail_unless (g_str_has_prefix (display, "I paid $20"));
  const char *itn = text_of (r, 0, STT_TEXT_ITN);
  const char *words[] = { "i", "paid", "$20", "in", "america" };
  SttPunctLabel labels[5];
  stt_punct_predict (punct, words, 5, NULL, STT_PUNCT_FLAG_END_SENTENCE, labels);
  char *want_itn = stt_punct_format (punct, words, 5, labels, FALSE);
  fail_unless_equals_string (itn, want_itn);
  fail_unless (g_str_has_prefix (itn, "I paid $20"));
  fail_unless (strstr (itn, "America") != NULL);
  fail_unless (strpbrk (itn, ".,?") == NULL);
  g_free (want_itn);
  fail_unless_equals_string (text_of (r, 0, STT_TEXT_LEXICAL), "i paid twenty dollars in america");
  g_free (display);
  g_ptr_array_unref (out);
  stt_result_unref (in);
}
GST_END_TEST;

/* No words: Lexical is used; no text at all: nothing changes; every hypothesis is done. */
GST_START_TEST (test_no_words)
{
  SttResult *in[3];
  in[0] = stt_result_new (STT_RESULT_FINAL);
  stt_hypothesis_set_text (stt_result_add_hypothesis (in[0]), STT_TEXT_LEXICAL, "thank you");
  stt_hypothesis_set_text (stt_result_add_hypothesis (in[0]), STT_TEXT_LEXICAL, "thank ewe");
  in[1] = stt_result_new (STT_RESULT_FINAL);
  stt_result_add_hypothesis (in[1]);
  in[2] = stt_result_new (STT_RESULT_FINAL);
  in[2]->status = STT_STATUS_NO_MATCH;
  GPtrArray *out = run (in, 3, NULL);
  char *want = stt_punct_punctuate (punct, "thank you", STT_PUNCT_FLAG_END_SENTENCE);
  fail_unless_equals_string (text_of (out->pdata[0], 0, STT_TEXT_DISPLAY), want);
  char *alt = stt_punct_punctuate (punct, "thank ewe", STT_PUNCT_FLAG_END_SENTENCE);
  fail_unless_equals_string (text_of (out->pdata[0], 1, STT_TEXT_DISPLAY), alt);
  g_free (alt);
  fail_unless_equals_string (text_of (out->pdata[1], 0, STT_TEXT_DISPLAY), "");
  fail_unless_equals_int (stt_result_get_n_hypotheses (out->pdata[2]), 0);
  fail_unless_equals_int (((SttResult *) out->pdata[2])->status, STT_STATUS_NO_MATCH);
  g_free (want);
  g_ptr_array_unref (out);
  for (guint i = 0; i < 3; i++)
    stt_result_unref (in[i]);
}
GST_END_TEST;

GST_START_TEST (test_long_phrase)
{
  GString *lex = g_string_new (NULL);
  for (guint i = 0; i < 5000; i++)
    g_string_append (lex, i ? " the people of america" : "the people of america");
  SttResult *in = stt_test_result_new (lex->str, 0);
  GPtrArray *out = run (&in, 1, NULL);
  char **tokens = g_strsplit (text_of (out->pdata[0], 0, STT_TEXT_DISPLAY), " ", -1);
  fail_unless_equals_int (g_strv_length (tokens), 20000);
  g_strfreev (tokens);
  g_ptr_array_unref (out);
  stt_result_unref (in);
  g_string_free (lex, TRUE);
}
GST_END_TEST;

/* A damaged punct.bin: one clear warning naming the file, results pass through unchanged. */
GST_START_TEST (test_corrupt_model)
{
  GBytes *junk = g_bytes_new_static ("STTPUNC1 but not really a model at all", 38);
  char *dir = punct_test_install (models_dir, junk);
  g_bytes_unref (junk);
  SttResult *in[2] = { stt_test_result_new ("hello there", 0),
    stt_test_result_new ("how are you", 10000000) };
  char *desc = g_strdup_printf ("sttpunct model=\"%s\"", dir), *warnings;
  GPtrArray *out = punct_test_run (desc, in, 2, &warnings, FALSE);
  fail_unless_equals_int (out->len, 2);
  for (guint i = 0; i < 2; i++) {
    char *a = stt_result_to_json (in[i], NULL), *b = stt_result_to_json (out->pdata[i], NULL);
    fail_unless_equals_string (a, b);
    g_free (a);
    g_free (b);
  }
  fail_unless (strstr (warnings, "not a valid punct model") != NULL, "%s", warnings);
  fail_unless (strstr (warnings, "punct.bin") != NULL, "%s", warnings);
  char **lines = g_strsplit (g_strstrip (warnings), "\n", -1);
  fail_unless_equals_int (g_strv_length (lines), 1);
  g_strfreev (lines);
  g_free (warnings);
  g_ptr_array_unref (out);
  /* a missing model is reported the same way */
  g_free (desc);
  desc = g_strdup ("sttpunct model=00000000-0000-4000-8000-000000000000");
  out = punct_test_run (desc, in, 1, &warnings, FALSE);
  fail_unless_equals_int (out->len, 1);
  fail_unless (strstr (warnings, "00000000-0000-4000-8000-000000000000") != NULL, "%s",
      warnings);
  g_free (warnings);
  g_ptr_array_unref (out);
  g_free (desc);
  g_free (dir);
  stt_result_unref (in[0]);
  stt_result_unref (in[1]);
}
GST_END_TEST;

GST_START_TEST (test_properties)
{
  GstElement *e = gst_element_factory_make ("sttpunct", NULL);
  fail_unless (e != NULL);
  char *model;
  gboolean pauses;
  g_object_get (e, "model", &model, "use-pauses", &pauses, NULL);
  fail_unless_equals_string (model, STT_PUNCT_DEFAULT_MODEL_ID);
  fail_unless (pauses);
  g_free (model);
  ASSERT_OBJECT_REFCOUNT (e, "element", 1);
  gst_object_unref (e);
}
GST_END_TEST;

static Suite *
sttpunct_suite (void)
{
  Suite *s = suite_create ("sttpunct");
  TCase *tc = tcase_create ("general");
  tcase_set_timeout (tc, 120);
  setup_model ();
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_final_display);
  tcase_add_test (tc, test_partial_gets_casing_only);
  tcase_add_test (tc, test_itn_first);
  tcase_add_test (tc, test_no_words);
  tcase_add_test (tc, test_long_phrase);
  tcase_add_test (tc, test_corrupt_model);
  tcase_add_test (tc, test_properties);
  return s;
}

int
main (int argc, char **argv)
{
  gst_check_init (&argc, &argv);
  Suite *s = sttpunct_suite ();
  int failed = gst_check_run_suite (s, "sttpunct", __FILE__);
  stt_punct_unref (punct);
  punct_test_rm_tree (models_dir);
  g_free (models_dir);
  g_free (model_dir);
  return failed;
}
