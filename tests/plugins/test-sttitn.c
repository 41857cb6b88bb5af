/* gst-stt — sttitn: every ITN class through a real pipeline, pass-through, Display merge,
 * profanity, long and empty input, and a corrupt model.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Expected written forms come from the shared ITN cases (../shared/data/itn), never from here.
 */
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>
#include <glib/gstdio.h>
#include <stt/itn.h>
#include <string.h>
#include "testutil.h"

typedef struct {
  GstElement *pipe, *src, *sink;
} Pipe;

static Pipe
pipe_new (const char *props)
{
  char *desc = g_strdup_printf ("appsrc name=src caps=" GST_STT_RESULT_CAPS " format=time "
      "! sttitn name=itn %s ! appsink name=sink sync=false async=false", props ? props : "");
  Pipe p;
  p.pipe = gst_parse_launch (desc, NULL);
  g_free (desc);
  fail_unless (p.pipe != NULL);
  p.src = gst_bin_get_by_name (GST_BIN (p.pipe), "src");
  p.sink = gst_bin_get_by_name (GST_BIN (p.pipe), "sink");
  /* async=false: the state change completes here, no helper thread holds the pipeline later */
  fail_unless_equals_int (gst_element_set_state (p.pipe, GST_STATE_PLAYING),
      GST_STATE_CHANGE_SUCCESS);
  return p;
}

static void
pipe_free (Pipe *p)
{
  gst_app_src_end_of_stream (GST_APP_SRC (p->src));
  gst_element_set_state (p->pipe, GST_STATE_NULL);
  gst_object_unref (p->src);
  gst_object_unref (p->sink);
  ASSERT_OBJECT_REFCOUNT (p->pipe, "pipeline", 1);
  gst_object_unref (p->pipe);
}

/* Push @r through the pipeline and return what came out. */
static SttResult *
run (Pipe *p, SttResult *r)
{
  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (p->src),
          gst_stt_result_to_buffer (r)), GST_FLOW_OK);
  GstSample *s = gst_app_sink_try_pull_sample (GST_APP_SINK (p->sink), 10 * GST_SECOND);
  fail_unless (s != NULL);
  GError *err = NULL;
  SttResult *got = gst_stt_result_from_buffer (gst_sample_get_buffer (s), &err);
  fail_unless (got != NULL, "%s", err ? err->message : "");
  gst_sample_unref (s);
  return got;
}

static const char *
best_text (SttResult *r, SttTextField f)
{
  return stt_hypothesis_get_text (stt_result_get_best (r), f);
}

typedef struct {
  char *spoken, *written;
} Case;

/* The cases of test_cases_<klass>.txt. */
static GArray *
load_cases (const char *klass)
{
  char *rel = g_strdup_printf ("itn/test_cases_%s.txt", klass);
  char *path = stt_test_data_path (rel), *text;
  fail_unless (g_file_get_contents (path, &text, NULL, NULL));
  GArray *cases = g_array_new (FALSE, FALSE, sizeof (Case));
  char **lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++) {
    char *sep = strchr (*l, '~');
    if (!sep)
      continue;
    Case c = { g_strstrip (g_strndup (*l, sep - *l)), g_strdup (sep + 1) };
    g_array_append_val (cases, c);
  }
  g_strfreev (lines);
  g_free (text);
  g_free (path);
  g_free (rel);
  return cases;
}

static void
free_cases (GArray *cases)
{
  for (guint i = 0; i < cases->len; i++) {
    g_free (g_array_index (cases, Case, i).spoken);
    g_free (g_array_index (cases, Case, i).written);
  }
  g_array_free (cases, TRUE);
}

/* Every DisplayWords entry points at real words, in order, with their times. */
static void
check_display_words (SttResult *in, SttResult *out)
{
  SttHypothesis *h = stt_result_get_best (out);
  guint n = stt_hypothesis_get_n_words (h);
  JsonObject *extra = stt_hypothesis_get_extra (h);
  if (n == 0)
    return;
  fail_unless (json_object_has_member (extra, "DisplayWords"));
  JsonArray *dw = json_object_get_array_member (extra, "DisplayWords");
  guint next = 0;
  for (guint i = 0; i < json_array_get_length (dw); i++) {
    JsonObject *o = json_array_get_object_element (dw, i);
    guint first = json_object_get_int_member (o, "FirstWord");
    guint count = json_object_get_int_member (o, "WordCount");
    fail_unless (first >= next && count >= 1 && first + count <= n);
    const SttWord *w = stt_hypothesis_get_word (stt_result_get_best (in), first);
    fail_unless_equals_int64 (json_object_get_int_member (o, "Offset"), w->offset);
    next = first + count;
  }
  fail_unless_equals_int (next, n);
}

/* Each class's cases through the element: at least 90% must come out exactly as written. */
static void
check_class (const char *klass)
{
  Pipe p = pipe_new (NULL);
  GArray *cases = load_cases (klass);
  guint exact = 0;
  for (guint i = 0; i < cases->len; i++) {
    Case *c = &g_array_index (cases, Case, i);
    SttResult *r = stt_test_result_new (c->spoken, i * STT_TICKS_PER_SECOND);
    SttResult *got = run (&p, r);
    const char *itn = best_text (got, STT_TEXT_ITN);
    if (strcmp (itn, c->written) == 0)
      exact++;
    else
      g_printerr ("%s: \"%s\" -> \"%s\", expected \"%s\"\n", klass, c->spoken, itn,
          c->written);
    /* no punctuator ran and nothing is listed: Display and MaskedITN are the ITN */
    fail_unless_equals_string (best_text (got, STT_TEXT_DISPLAY), itn);
    fail_unless_equals_string (best_text (got, STT_TEXT_MASKED_ITN), itn);
    fail_unless_equals_string (best_text (got, STT_TEXT_LEXICAL), c->spoken);
    check_display_words (r, got);
    stt_result_unref (got);
    stt_result_unref (r);
  }
  fail_unless (exact * 10 >= cases->len * 9, "%s: %u of %u exact", klass, exact, cases->len);
  free_cases (cases);
  pipe_free (&p);
}

#define CLASS_TEST(name) \
  GST_START_TEST (test_##name) { check_class (#name); } GST_END_TEST;
CLASS_TEST (cardinal)
CLASS_TEST (ordinal)
CLASS_TEST (decimal)
CLASS_TEST (money)
CLASS_TEST (measure)
CLASS_TEST (date)
CLASS_TEST (time)
CLASS_TEST (telephone)
CLASS_TEST (electronic)
CLASS_TEST (whitelist)
CLASS_TEST (word)

/* Ordinary words, with and without timed words, come out as they went in. */
GST_START_TEST (test_pass_through)
{
  Pipe p = pipe_new (NULL);
  GArray *cases = load_cases ("word");
  GString *all = g_string_new (NULL);
  for (guint i = 0; i < cases->len; i++) {
    Case *c = &g_array_index (cases, Case, i);
    if (*c->spoken && !strchr (c->spoken, ','))
      g_string_append_printf (all, "%s%s", all->len ? " " : "", c->written);
  }
  SttResult *r = stt_result_new (STT_RESULT_FINAL);
  stt_hypothesis_set_text (stt_result_add_hypothesis (r), STT_TEXT_LEXICAL, all->str);
  SttResult *got = run (&p, r);
  fail_unless_equals_string (best_text (got, STT_TEXT_ITN), all->str);
  fail_unless (!json_object_has_member (stt_hypothesis_get_extra (stt_result_get_best (got)),
          "DisplayWords"));
  stt_result_unref (got);
  stt_result_unref (r);
  g_string_free (all, TRUE);
  free_cases (cases);
  pipe_free (&p);
}
GST_END_TEST;

GST_START_TEST (test_empty)
{
  Pipe p = pipe_new (NULL);
  SttResult *r = stt_result_new (STT_RESULT_FINAL);
  stt_result_add_hypothesis (r);
  SttResult *got = run (&p, r);
  fail_unless_equals_string (best_text (got, STT_TEXT_ITN), "");
  fail_unless_equals_string (best_text (got, STT_TEXT_DISPLAY), "");
  stt_result_unref (got);
  stt_result_unref (r);
  /* no hypothesis at all */
  r = stt_result_new (STT_RESULT_PARTIAL);
  got = run (&p, r);
  fail_unless_equals_int (stt_result_get_n_hypotheses (got), 0);
  stt_result_unref (got);
  stt_result_unref (r);
  pipe_free (&p);
}
GST_END_TEST;

/* 3000 words: the same money phrase again and again comes out as its written form as often. */
GST_START_TEST (test_very_long)
{
  GArray *cases = load_cases ("money");
  Case *c = &g_array_index (cases, Case, 0);       /* "two dollars~$2" */
  guint per = 0;
  char **v = g_strsplit (c->spoken, " ", -1);
  per = g_strv_length (v);
  g_strfreev (v);
  guint reps = 3000 / per;
  GString *in = g_string_new (NULL), *want = g_string_new (NULL);
  for (guint i = 0; i < reps; i++) {
    g_string_append_printf (in, "%s%s", i ? " " : "", c->spoken);
    g_string_append_printf (want, "%s%s", i ? " " : "", c->written);
  }
  Pipe p = pipe_new (NULL);
  SttResult *r = stt_test_result_new (in->str, 0);
  SttResult *got = run (&p, r);
  if (STT_ITN_MAX_SPAN % per == 0)     /* no phrase straddles a piece boundary */
    fail_unless_equals_string (best_text (got, STT_TEXT_ITN), want->str);
  check_display_words (r, got);
  stt_result_unref (got);
  stt_result_unref (r);
  pipe_free (&p);
  g_string_free (in, TRUE);
  g_string_free (want, TRUE);
  free_cases (cases);
}
GST_END_TEST;

/* A punctuator's Display keeps its punctuation and capital around the converted span. */
GST_START_TEST (test_display_merge)
{
  GArray *cases = load_cases ("money");
  Case *c = &g_array_index (cases, Case, 0);
  Pipe p = pipe_new (NULL);
  char *lexical = g_strdup_printf ("well %s please", c->spoken);
  char *display = g_strdup_printf ("Well, %s, please.", c->spoken);
  display[6] = g_ascii_toupper (display[6]);
  SttResult *r = stt_test_result_new (lexical, 0);
  stt_hypothesis_set_text (stt_result_get_best (r), STT_TEXT_DISPLAY, display);
  SttResult *got = run (&p, r);
  char *want = g_strdup_printf ("Well, %s, please.", c->written);
  fail_unless_equals_string (best_text (got, STT_TEXT_DISPLAY), want);
  stt_result_unref (got);
  stt_result_unref (r);
  /* a Display that does not line up with the words is kept */
  r = stt_test_result_new (lexical, 0);
  stt_hypothesis_set_text (stt_result_get_best (r), STT_TEXT_DISPLAY, "Something else.");
  got = run (&p, r);
  fail_unless_equals_string (best_text (got, STT_TEXT_DISPLAY), "Something else.");
  stt_result_unref (got);
  stt_result_unref (r);
  pipe_free (&p);
  g_free (want);
  g_free (lexical);
  g_free (display);
  free_cases (cases);
}
GST_END_TEST;

GST_START_TEST (test_profanity)
{
  GArray *cases = load_cases ("money");
  Case *c = &g_array_index (cases, Case, 0);
  char *lexical = g_strdup_printf ("darn %s", c->spoken);
  const char *modes[] = { "masked", "removed", "raw" };
  const char *prefix[] = { "**** ", "", "darn " };
  for (guint m = 0; m < 3; m++) {
    char *props = g_strdup_printf ("profanity=%s profanity-words=Darn", modes[m]);
    Pipe p = pipe_new (props);
    SttResult *r = stt_test_result_new (lexical, 0);
    SttResult *got = run (&p, r);
    char *want = g_strdup_printf ("%s%s", prefix[m], c->written);
    char *itn = g_strdup_printf ("darn %s", c->written);
    fail_unless_equals_string (best_text (got, STT_TEXT_MASKED_ITN), want);
    fail_unless_equals_string (best_text (got, STT_TEXT_DISPLAY), want);
    fail_unless_equals_string (best_text (got, STT_TEXT_ITN), itn);
    stt_result_unref (got);
    stt_result_unref (r);
    pipe_free (&p);
    g_free (want);
    g_free (itn);
    g_free (props);
  }
  g_free (lexical);
  free_cases (cases);
}
GST_END_TEST;

/* A damaged transducer: a warning naming the file, and results pass through unchanged. */
static void
check_bad_model (const char *model, const char *expect_in_message)
{
  char *props = g_strdup_printf ("model=\"%s\"", model);
  Pipe p = pipe_new (props);
  GstBus *bus = gst_element_get_bus (p.pipe);
  SttResult *r = stt_test_result_new ("twenty five dollars", 0);
  SttResult *got = run (&p, r);
  fail_unless_equals_string (best_text (got, STT_TEXT_ITN), "");
  fail_unless_equals_string (best_text (got, STT_TEXT_LEXICAL), "twenty five dollars");
  GstMessage *m = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_WARNING);
  fail_unless (m != NULL);
  GError *err = NULL;
  gst_message_parse_warning (m, &err, NULL);
  fail_unless (strstr (err->message, expect_in_message) != NULL, "%s", err->message);
  g_error_free (err);
  gst_message_unref (m);
  gst_object_unref (bus);
  stt_result_unref (got);
  stt_result_unref (r);
  pipe_free (&p);
  g_free (props);
}

GST_START_TEST (test_corrupt_model)
{
  /* the default model's transducer, one byte changed */
  SttModel *model = stt_model_cache_lookup (STT_ITN_DEFAULT_MODEL_ID, NULL);
  fail_unless (model != NULL, "the default ITN model is not built");
  char *src = stt_model_get_path (model, STT_ITN_FST_FILE, NULL);
  char *data;
  gsize len;
  fail_unless (g_file_get_contents (src, &data, &len, NULL));
  char *dir = g_dir_make_tmp ("stt-itn-XXXXXX", NULL);
  char *path = g_build_filename (dir, "broken.wfst", NULL);
  data[len / 2] ^= 0x55;
  fail_unless (g_file_set_contents (path, data, len, NULL));
  check_bad_model (path, "broken.wfst");
  /* truncated */
  fail_unless (g_file_set_contents (path, data, len - 7, NULL));
  check_bad_model (path, "truncated");
  /* missing */
  g_unlink (path);
  check_bad_model (path, "broken.wfst");
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
  g_free (data);
  g_free (src);
  stt_model_unref (model);
}
GST_END_TEST;

static Suite *
sttitn_suite (void)
{
  Suite *s = suite_create ("sttitn");
  TCase *tc = tcase_create ("general");
  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_cardinal);
  tcase_add_test (tc, test_ordinal);
  tcase_add_test (tc, test_decimal);
  tcase_add_test (tc, test_money);
  tcase_add_test (tc, test_measure);
  tcase_add_test (tc, test_date);
  tcase_add_test (tc, test_time);
  tcase_add_test (tc, test_telephone);
  tcase_add_test (tc, test_electronic);
  tcase_add_test (tc, test_whitelist);
  tcase_add_test (tc, test_word);
  tcase_add_test (tc, test_pass_through);
  tcase_add_test (tc, test_empty);
  tcase_add_test (tc, test_very_long);
  tcase_add_test (tc, test_display_merge);
  tcase_add_test (tc, test_profanity);
  tcase_add_test (tc, test_corrupt_model);
  return s;
}

GST_CHECK_MAIN (sttitn);
