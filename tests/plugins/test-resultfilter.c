/* gst-stt — GstSttResultFilter: a subclass changes results inside a real pipeline.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/app/gstappsrc.h>
#include "testutil.h"

/* ---- a test subclass: Display = upper-cased Lexical; fails on a result whose text is "fail" */

#define TEST_TYPE_UPPER (test_upper_get_type ())
G_DECLARE_FINAL_TYPE (TestUpper, test_upper, TEST, UPPER, GstSttResultFilter)
struct _TestUpper {
  GstSttResultFilter parent;
  int calls;
};
G_DEFINE_TYPE (TestUpper, test_upper, GST_TYPE_STT_RESULT_FILTER)

static gboolean
test_upper_transform (GstSttResultFilter *filter, SttResult *result, GError **error)
{
  TEST_UPPER (filter)->calls++;
  SttHypothesis *best = stt_result_get_best (result);
  const char *lex = best ? stt_hypothesis_get_text (best, STT_TEXT_LEXICAL) : "";
  if (g_strcmp0 (lex, "fail") == 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "test filter refuses \"fail\"");
    return FALSE;
  }
  char *up = g_ascii_strup (lex, -1);
  stt_hypothesis_set_text (best, STT_TEXT_DISPLAY, up);
  g_free (up);
  json_object_set_string_member (stt_result_get_extra (result), "TestUpper", "seen");
  return TRUE;
}

static void
test_upper_class_init (TestUpperClass *klass)
{
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass), "Test upper", "Filter/Text",
      "test", "test");
  GST_STT_RESULT_FILTER_CLASS (klass)->transform_result = test_upper_transform;
}

static void
test_upper_init (TestUpper *self)
{
}

/* ---- helpers */

static GstBuffer *
result_buffer (const char *lexical, gint64 offset)
{
  SttResult *r = stt_test_result_new (lexical, offset);
  GstBuffer *buf = gst_stt_result_to_buffer (r);
  stt_result_unref (r);
  return buf;
}

static SttResult *
pull_result (GstHarness *h)
{
  GstBuffer *out = gst_harness_pull (h);
  fail_unless (out != NULL);
  GError *err = NULL;
  SttResult *r = gst_stt_result_from_buffer (out, &err);
  fail_unless (r != NULL, "output is not a result: %s", err ? err->message : "");
  gst_buffer_unref (out);
  return r;
}

GST_START_TEST (test_subclass_changes_result)
{
  GstHarness *h = gst_harness_new ("testupper");
  gst_harness_set_src_caps_str (h, GST_STT_RESULT_CAPS);
  fail_unless_equals_int (gst_harness_push (h, result_buffer ("hello world", 10000000)),
      GST_FLOW_OK);
  SttResult *r = pull_result (h);
  SttHypothesis *best = stt_result_get_best (r);
  fail_unless_equals_string (stt_hypothesis_get_text (best, STT_TEXT_DISPLAY), "HELLO WORLD");
  fail_unless_equals_string (stt_hypothesis_get_text (best, STT_TEXT_LEXICAL), "hello world");
  fail_unless_equals_int (stt_hypothesis_get_n_words (best), 2);
  fail_unless_equals_int64 (r->offset, 10000000);
  fail_unless_equals_string (json_object_get_string_member (stt_result_get_extra (r),
          "TestUpper"), "seen");
  stt_result_unref (r);
  gst_harness_teardown (h);
}
GST_END_TEST;

GST_START_TEST (test_timestamps_kept)
{
  GstHarness *h = gst_harness_new ("testupper");
  gst_harness_set_src_caps_str (h, GST_STT_RESULT_CAPS);
  GstBuffer *in = result_buffer ("one two three", 25000000);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (in), 2500 * GST_MSECOND);
  gst_harness_push (h, in);
  GstBuffer *out = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 2500 * GST_MSECOND);
  fail_unless_equals_uint64 (GST_BUFFER_DURATION (out), 900 * GST_MSECOND);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}
GST_END_TEST;

GST_START_TEST (test_failure_passes_result_through)
{
  GstHarness *h = gst_harness_new ("testupper");
  gst_harness_set_src_caps_str (h, GST_STT_RESULT_CAPS);
  GstBus *bus = gst_bus_new ();
  gst_element_set_bus (h->element, bus);
  gst_harness_push (h, result_buffer ("fail", 0));
  SttResult *r = pull_result (h);
  fail_unless_equals_string (stt_hypothesis_get_text (stt_result_get_best (r),
          STT_TEXT_DISPLAY), "");
  fail_unless_equals_string (stt_hypothesis_get_text (stt_result_get_best (r),
          STT_TEXT_LEXICAL), "fail");
  stt_result_unref (r);
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  GError *err = NULL;
  gst_message_parse_warning (msg, &err, NULL);
  fail_unless (strstr (err->message, "refuses") != NULL);
  g_error_free (err);
  gst_message_unref (msg);
  /* the next result is processed normally */
  gst_harness_push (h, result_buffer ("ok", 0));
  r = pull_result (h);
  fail_unless_equals_string (stt_hypothesis_get_text (stt_result_get_best (r),
          STT_TEXT_DISPLAY), "OK");
  stt_result_unref (r);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}
GST_END_TEST;

GST_START_TEST (test_not_a_result_is_an_error)
{
  GstHarness *h = gst_harness_new ("testupper");
  gst_harness_set_src_caps_str (h, GST_STT_RESULT_CAPS);
  GstBuffer *junk = gst_buffer_new_memdup ("{\"no\":1}", 8);
  fail_unless_equals_int (gst_harness_push (h, junk), GST_FLOW_ERROR);
  gst_harness_teardown (h);
}
GST_END_TEST;

GST_START_TEST (test_messages_posted_in_pipeline)
{
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch ("appsrc name=src format=time caps=" GST_STT_RESULT_CAPS
      " ! testupper name=f ! fakesink sync=false", &err);
  fail_unless (pipe != NULL, "%s", err ? err->message : "");
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_PLAYING),
      GST_STATE_CHANGE_ASYNC);
  gst_app_src_push_buffer (GST_APP_SRC (src), result_buffer ("good morning", 5000000));
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  GstBus *bus = gst_element_get_bus (pipe);
  gboolean got_result = FALSE;
  for (;;) {
    GstMessage *m = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND,
        GST_MESSAGE_ELEMENT | GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    fail_unless (m != NULL, "pipeline did not finish");
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ELEMENT) {
      const GstStructure *s = gst_message_get_structure (m);
      fail_unless (gst_structure_has_name (s, GST_STT_RESULT_MESSAGE_NAME));
      fail_unless_equals_string (gst_structure_get_string (s, "text"), "GOOD MORNING");
      got_result = TRUE;
    }
    GstMessageType type = GST_MESSAGE_TYPE (m);
    gst_message_unref (m);
    fail_if (type == GST_MESSAGE_ERROR);
    if (type == GST_MESSAGE_EOS)
      break;
  }
  fail_unless (got_result);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_element_set_state (pipe, GST_STATE_NULL);
  fail_unless_equals_int (stt_test_wait_refcount (pipe, 1), 1);
  gst_object_unref (pipe);
}
GST_END_TEST;

GST_START_TEST (test_post_messages_property)
{
  GstElement *e = gst_element_factory_make ("testupper", NULL);
  gboolean post;
  g_object_get (e, "post-messages", &post, NULL);
  fail_unless (post);
  g_object_set (e, "post-messages", FALSE, NULL);
  g_object_get (e, "post-messages", &post, NULL);
  fail_if (post);
  ASSERT_OBJECT_REFCOUNT (e, "element", 1);
  gst_object_unref (e);
}
GST_END_TEST;

static Suite *
resultfilter_suite (void)
{
  gst_element_register (NULL, "testupper", GST_RANK_NONE, TEST_TYPE_UPPER);
  Suite *s = suite_create ("resultfilter");
  TCase *tc = tcase_create ("general");
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_subclass_changes_result);
  tcase_add_test (tc, test_timestamps_kept);
  tcase_add_test (tc, test_failure_passes_result_through);
  tcase_add_test (tc, test_not_a_result_is_an_error);
  tcase_add_test (tc, test_messages_posted_in_pipeline);
  tcase_add_test (tc, test_post_messages_property);
  return s;
}

GST_CHECK_MAIN (resultfilter);
