/* gst-stt — sttprofanity, the example post-processor.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <glib/gstdio.h>
#include "testutil.h"

/* Push one result with @lexical (and @itn when not NULL) and return its MaskedITN texts. */
static char *
mask (GstHarness *h, const char *lexical, const char *itn)
{
  SttResult *r = stt_test_result_new (lexical, 0);
  if (itn)
    stt_hypothesis_set_text (stt_result_get_best (r), STT_TEXT_ITN, itn);
  SttHypothesis *second = stt_result_add_hypothesis (r);
  stt_hypothesis_set_text (second, STT_TEXT_LEXICAL, lexical);
  fail_unless_equals_int (gst_harness_push (h, gst_stt_result_to_buffer (r)), GST_FLOW_OK);
  stt_result_unref (r);
  GstBuffer *out = gst_harness_pull (h);
  SttResult *got = gst_stt_result_from_buffer (out, NULL);
  gst_buffer_unref (out);
  fail_unless (got != NULL);
  /* every hypothesis is masked, not only the best */
  char *best = g_strdup (stt_hypothesis_get_text (stt_result_get_best (got),
          STT_TEXT_MASKED_ITN));
  if (!itn)
    fail_unless_equals_string (stt_hypothesis_get_text (stt_result_get_hypothesis (got, 1),
            STT_TEXT_MASKED_ITN), best);
  stt_result_unref (got);
  return best;
}

static GstHarness *
harness (const char *props)
{
  char *desc = g_strdup_printf ("sttprofanity %s", props);
  GstHarness *h = gst_harness_new_parse (desc);
  g_free (desc);
  gst_harness_set_src_caps_str (h, GST_STT_RESULT_CAPS);
  return h;
}

GST_START_TEST (test_masked)
{
  GstHarness *h = harness ("words=\"darn, Heck\"");
  char *out = mask (h, "well darn it what the heck", NULL);
  fail_unless_equals_string (out, "well **** it what the ****");
  g_free (out);
  out = mask (h, "nothing to hide", NULL);
  fail_unless_equals_string (out, "nothing to hide");
  g_free (out);
  gst_harness_teardown (h);
}
GST_END_TEST;

GST_START_TEST (test_removed_and_raw)
{
  GstHarness *h = harness ("words=darn mode=removed");
  char *out = mask (h, "darn it darn", NULL);
  fail_unless_equals_string (out, "it");
  g_free (out);
  GstElement *e = gst_harness_find_element (h, "sttprofanity");
  gst_util_set_object_arg (G_OBJECT (e), "mode", "raw");
  gst_object_unref (e);
  out = mask (h, "darn it", NULL);
  fail_unless_equals_string (out, "darn it");
  g_free (out);
  gst_harness_teardown (h);
}
GST_END_TEST;

GST_START_TEST (test_uses_itn_when_present)
{
  GstHarness *h = harness ("words=darn");
  char *out = mask (h, "twenty darn dollars", "$20 darn");
  fail_unless_equals_string (out, "$20 ****");
  g_free (out);
  gst_harness_teardown (h);
}
GST_END_TEST;

GST_START_TEST (test_word_list_file)
{
  char *dir = g_dir_make_tmp ("stt-prof-XXXXXX", NULL);
  char *path = g_build_filename (dir, "words.txt", NULL);
  fail_unless (g_file_set_contents (path, "# my list\nblast\n\nRats\n", -1, NULL));
  char *props = g_strdup_printf ("location=\"%s\"", path);
  GstHarness *h = harness (props);
  char *out = mask (h, "blast those rats", NULL);
  fail_unless_equals_string (out, "***** those ****");
  g_free (out);
  gst_harness_teardown (h);
  g_unlink (path);
  g_rmdir (dir);
  g_free (props);
  g_free (path);
  g_free (dir);
}
GST_END_TEST;

GST_START_TEST (test_missing_word_list_is_an_error)
{
  GstElement *pipe = gst_parse_launch ("appsrc caps=" GST_STT_RESULT_CAPS
      " ! sttprofanity location=/nonexistent/words.txt ! fakesink", NULL);
  GstBus *bus = gst_element_get_bus (pipe);
  gst_element_set_state (pipe, GST_STATE_PAUSED);
  GstMessage *m = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (m != NULL);
  GError *err = NULL;
  gst_message_parse_error (m, &err, NULL);
  fail_unless (strstr (err->message, "word list") != NULL, "%s", err->message);
  g_error_free (err);
  gst_message_unref (m);
  gst_object_unref (bus);
  gst_element_set_state (pipe, GST_STATE_NULL);
  fail_unless_equals_int (stt_test_wait_refcount (pipe, 1), 1);
  gst_object_unref (pipe);
}
GST_END_TEST;

static Suite *
sttprofanity_suite (void)
{
  Suite *s = suite_create ("sttprofanity");
  TCase *tc = tcase_create ("general");
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_masked);
  tcase_add_test (tc, test_removed_and_raw);
  tcase_add_test (tc, test_uses_itn_when_present);
  tcase_add_test (tc, test_word_list_file);
  tcase_add_test (tc, test_missing_word_list_is_an_error);
  return s;
}

GST_CHECK_MAIN (sttprofanity);
