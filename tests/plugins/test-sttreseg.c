/* gst-stt — sttreseg in real pipelines: random phrasings never lose or repeat a word,
 * settings from a resegment model, partials and empty results pass.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include <string.h>
#include <stt/reseg.h>
#include "punct-pipeline.h"
#include "punct-testutil.h"

/* A result of @n words with random gaps; some sentence ends in Display. */
static SttResult *
random_result (GRand *rng, guint n, gint64 *clock)
{
  SttResult *r = stt_result_new (g_rand_int_range (rng, 0, 6) ? STT_RESULT_FINAL
      : STT_RESULT_PARTIAL);
  SttHypothesis *h = stt_result_add_hypothesis (r);
  GString *display = g_string_new (NULL);
  r->offset = *clock;
  for (guint i = 0; i < n; i++) {
    char *w = g_strdup_printf ("w%u", g_rand_int (rng));
    gint64 dur = g_rand_int_range (rng, 1000000, 6000000);
    stt_hypothesis_add_word (h, w, *clock, dur, 0.9);
    *clock += dur + (g_rand_int_range (rng, 0, 4) ? 0 : g_rand_int_range (rng, 0, 20000000));
    g_string_append_printf (display, "%s%s%s", i ? " " : "", w,
        g_rand_int_range (rng, 0, 10) ? "" : ".");
    g_free (w);
  }
  r->duration = *clock - r->offset;
  char *lex = stt_hypothesis_join_words (h);
  stt_hypothesis_set_text (h, STT_TEXT_LEXICAL, lex);
  stt_hypothesis_set_text (h, STT_TEXT_DISPLAY, display->str);
  g_free (lex);
  g_string_free (display, TRUE);
  *clock += 5000000;
  return r;
}

/* Every word of every input, in order, as "word@offset". */
static GPtrArray *
all_words (SttResult **results, guint n, gboolean finals)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++) {
    if ((results[i]->kind == STT_RESULT_FINAL) != finals)
      continue;
    SttHypothesis *h = stt_result_get_best (results[i]);
    for (guint k = 0; h && k < stt_hypothesis_get_n_words (h); k++) {
      const SttWord *w = stt_hypothesis_get_word (h, k);
      g_ptr_array_add (words, g_strdup_printf ("%s@%" G_GINT64_FORMAT "+%" G_GINT64_FORMAT,
              w->word, w->offset, w->duration));
    }
  }
  return words;
}

static void
assert_same_words (GPtrArray *a, GPtrArray *b)
{
  fail_unless_equals_int (a->len, b->len);
  for (guint i = 0; i < a->len; i++)
    fail_unless_equals_string (a->pdata[i], b->pdata[i]);
}

GST_START_TEST (test_random_phrasings)
{
  GRand *rng = g_rand_new_with_seed (11);
  for (guint round = 0; round < 8; round++) {
    guint n = 60;
    SttResult *in[60];
    gint64 clock = 0;
    for (guint i = 0; i < n; i++)
      in[i] = random_result (rng, g_rand_int_range (rng, 0, 70), &clock);
    guint max_words = g_rand_int_range (rng, 0, 15);
    char *desc = g_strdup_printf ("sttreseg pause-ms=%d max-words=%u max-seconds=%g",
        g_rand_int_range (rng, 0, 3) * 500, max_words, g_rand_int_range (rng, 0, 3) * 4.0);
    GPtrArray *out = punct_test_run (desc, in, n, NULL, FALSE);
    fail_unless (out->len >= n);
    for (gboolean finals = FALSE; finals <= TRUE; finals++) {
      GPtrArray *a = all_words (in, n, finals);
      GPtrArray *b = all_words ((SttResult **) out->pdata, out->len, finals);
      assert_same_words (a, b);
      g_ptr_array_unref (a);
      g_ptr_array_unref (b);
    }
    for (guint i = 0; i < out->len; i++) {
      SttResult *r = out->pdata[i];
      guint m = stt_result_get_n_hypotheses (r) ? stt_hypothesis_get_n_words (
          stt_result_get_best (r)) : 0;
      if (r->kind == STT_RESULT_FINAL && max_words)
        fail_unless (m <= max_words, "segment of %u words, max-words %u", m, max_words);
      if (i > 0)
        fail_unless (r->offset >= ((SttResult *) out->pdata[i - 1])->offset);
    }
    g_ptr_array_unref (out);
    g_free (desc);
    for (guint i = 0; i < n; i++)
      stt_result_unref (in[i]);
  }
  g_rand_free (rng);
}
GST_END_TEST;

GST_START_TEST (test_sentences_and_times)
{
  SttResult *in = stt_test_result_new ("hello there how are you", 10000000);
  stt_hypothesis_set_text (stt_result_get_best (in), STT_TEXT_DISPLAY,
      "Hello there. How are you?");
  GPtrArray *out = punct_test_run ("sttreseg", &in, 1, NULL, FALSE);
  fail_unless_equals_int (out->len, 2);
  SttResult *a = out->pdata[0], *b = out->pdata[1];
  fail_unless_equals_string (stt_result_get_display_text (a), "Hello there.");
  fail_unless_equals_string (stt_result_get_display_text (b), "How are you?");
  fail_unless_equals_int64 (a->offset, 10000000);
  fail_unless_equals_int64 (a->duration, 6000000);
  fail_unless_equals_int64 (b->offset, 16000000);
  fail_unless_equals_int64 (b->duration, 9000000);
  g_ptr_array_unref (out);
  stt_result_unref (in);
}
GST_END_TEST;

GST_START_TEST (test_model_settings)
{
  char *dir = g_dir_make_tmp ("stt-reseg-XXXXXX", NULL);
  GError *err = NULL;
  SttModelWriter *w = stt_model_writer_new (dir, "resegment", "en-US", &err);
  SttResegOptions o = { 0, 2, 0, FALSE };
  stt_reseg_options_to_json (&o, stt_model_writer_get_properties (w));
  char *mdir = stt_model_writer_commit (w, &err);
  fail_unless (mdir != NULL);
  SttResult *in[2] = { stt_test_result_new ("one two three four five", 0),
    stt_test_result_new ("", 20000000) };
  char *desc = g_strdup_printf ("sttreseg model=\"%s\"", mdir);
  GPtrArray *out = punct_test_run (desc, in, 2, NULL, FALSE);
  fail_unless_equals_int (out->len, 4);
  fail_unless_equals_string (stt_result_get_display_text (out->pdata[0]), "one two");
  fail_unless_equals_string (stt_result_get_display_text (out->pdata[1]), "three four");
  fail_unless_equals_string (stt_result_get_display_text (out->pdata[2]), "five");
  fail_unless_equals_int (stt_hypothesis_get_n_words (stt_result_get_best (out->pdata[3])), 0);
  g_ptr_array_unref (out);
  g_free (desc);
  /* a model that is not a resegment model stops the element with an error */
  desc = g_strdup_printf ("sttreseg model=\"%s\"", dir);
  out = punct_test_run (desc, in, 1, NULL, TRUE);
  fail_unless_equals_int (out->len, 0);
  g_ptr_array_unref (out);
  g_free (desc);
  stt_result_unref (in[0]);
  stt_result_unref (in[1]);
  punct_test_rm_tree (dir);
  g_free (mdir);
  g_free (dir);
}
GST_END_TEST;

GST_START_TEST (test_default_model_installed)
{
  /* the build installs the default resegment model with the element's defaults */
  char *desc = g_strdup ("sttreseg model=" STT_RESEG_DEFAULT_MODEL_ID);
  SttResult *in = stt_test_result_new ("one two", 0);
  GPtrArray *out = punct_test_run (desc, &in, 1, NULL, FALSE);
  fail_unless_equals_int (out->len, 1);
  g_ptr_array_unref (out);
  stt_result_unref (in);
  g_free (desc);
}
GST_END_TEST;

static Suite *
sttreseg_suite (void)
{
  Suite *s = suite_create ("sttreseg");
  TCase *tc = tcase_create ("general");
  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_random_phrasings);
  tcase_add_test (tc, test_sentences_and_times);
  tcase_add_test (tc, test_model_settings);
  tcase_add_test (tc, test_default_model_installed);
  return s;
}

GST_CHECK_MAIN (sttreseg);
