/* gst-stt — sttsink: every format, checked field by field, and its errors.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>
#include <glib/gstdio.h>
#include "testutil.h"

/* The results every format test writes: a final with Display, a partial, a NoMatch final with
 * no text, and a final past one hour. */
static GPtrArray *
make_results (void)
{
  GPtrArray *a = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_result_unref);
  SttResult *r = stt_test_result_new ("hello world", 12345678);
  stt_hypothesis_set_text (stt_result_get_best (r), STT_TEXT_DISPLAY, "Hello world.");
  g_ptr_array_add (a, r);
  r = stt_test_result_new ("sec", 20000000);
  r->kind = STT_RESULT_PARTIAL;
  g_ptr_array_add (a, r);
  r = stt_result_new (STT_RESULT_FINAL);
  r->status = STT_STATUS_NO_MATCH;
  r->offset = 25000000;
  r->duration = 5000000;
  g_ptr_array_add (a, r);
  g_ptr_array_add (a, stt_test_result_new ("second phrase", G_GINT64_CONSTANT (37235000000)));
  return a;
}

/* Run appsrc ! sttsink with @props and return what it wrote. */
static char *
run_sink (const char *props, GPtrArray *results)
{
  char *tmpdir = g_dir_make_tmp ("stt-sink-XXXXXX", NULL);
  char *path = g_build_filename (tmpdir, "out", NULL);
  char *desc = g_strdup_printf ("appsrc name=src format=time caps=" GST_STT_RESULT_CAPS
      " ! sttsink name=sink location=\"%s\" %s", path, props);
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch (desc, &err);
  fail_unless (pipe != NULL, "%s", err ? err->message : "");
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  for (guint i = 0; i < results->len; i++)
    gst_app_src_push_buffer (GST_APP_SRC (src),
        gst_stt_result_to_buffer (g_ptr_array_index (results, i)));
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  GstBus *bus = gst_element_get_bus (pipe);
  GstMessage *m = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (m != NULL && GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS, "pipeline failed");
  gst_message_unref (m);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_element_set_state (pipe, GST_STATE_NULL);
  fail_unless_equals_int (stt_test_wait_refcount (pipe, 1), 1);
  gst_object_unref (pipe);
  char *contents = NULL;
  fail_unless (g_file_get_contents (path, &contents, NULL, NULL));
  g_unlink (path);
  g_rmdir (tmpdir);
  g_free (path);
  g_free (tmpdir);
  g_free (desc);
  return contents;
}

GST_START_TEST (test_text)
{
  GPtrArray *results = make_results ();
  char *out = run_sink ("format=text", results);
  /* Display wins over Lexical; the partial and the empty NoMatch are not written. */
  fail_unless_equals_string (out, "Hello world.\nsecond phrase\n");
  g_free (out);
  g_ptr_array_unref (results);
}
GST_END_TEST;

static void
check_json_lines (const char *out, GPtrArray *expected, gboolean with_partials)
{
  char **lines = g_strsplit (out, "\n", -1);
  guint n = 0;
  for (guint i = 0; i < expected->len; i++) {
    SttResult *want = g_ptr_array_index (expected, i);
    if (want->kind == STT_RESULT_PARTIAL && !with_partials)
      continue;
    fail_unless (lines[n] != NULL && *lines[n], "missing line %u", n);
    GError *err = NULL;
    SttResult *got = stt_result_from_json (lines[n], -1, &err);
    fail_unless (got != NULL, "line %u: %s", n, err ? err->message : "");
    fail_unless_equals_int (got->kind, want->kind);
    fail_unless_equals_int (got->status, want->status);
    fail_unless_equals_int64 (got->offset, want->offset);
    fail_unless_equals_int64 (got->duration, want->duration);
    fail_unless_equals_int (stt_result_get_n_hypotheses (got),
        stt_result_get_n_hypotheses (want));
    for (guint h = 0; h < stt_result_get_n_hypotheses (want); h++) {
      SttHypothesis *hw = stt_result_get_hypothesis (want, h);
      SttHypothesis *hg = stt_result_get_hypothesis (got, h);
      for (int f = 0; f < STT_N_TEXTS; f++)
        fail_unless_equals_string (stt_hypothesis_get_text (hg, f),
            stt_hypothesis_get_text (hw, f));
      fail_unless_equals_int (stt_hypothesis_get_n_words (hg), stt_hypothesis_get_n_words (hw));
      for (guint w = 0; w < stt_hypothesis_get_n_words (hw); w++) {
        fail_unless_equals_string (stt_hypothesis_get_word (hg, w)->word,
            stt_hypothesis_get_word (hw, w)->word);
        fail_unless_equals_int64 (stt_hypothesis_get_word (hg, w)->offset,
            stt_hypothesis_get_word (hw, w)->offset);
        fail_unless_equals_int64 (stt_hypothesis_get_word (hg, w)->duration,
            stt_hypothesis_get_word (hw, w)->duration);
      }
    }
    stt_result_unref (got);
    n++;
  }
  fail_unless (lines[n] != NULL && *lines[n] == '\0' && lines[n + 1] == NULL,
      "extra output after %u lines", n);
  g_strfreev (lines);
}

GST_START_TEST (test_json)
{
  GPtrArray *results = make_results ();
  char *out = run_sink ("format=json", results);
  check_json_lines (out, results, FALSE);
  g_free (out);
  out = run_sink ("format=json partials=true", results);
  check_json_lines (out, results, TRUE);
  g_free (out);
  g_ptr_array_unref (results);
}
GST_END_TEST;

GST_START_TEST (test_srt)
{
  GPtrArray *results = make_results ();
  char *out = run_sink ("format=srt", results);
  /* offset 1.2345678 s, two words of 0.3 s; second phrase at 1 h 2 min 3.5 s */
  fail_unless_equals_string (out,
      "1\n00:00:01,234 --> 00:00:01,834\nHello world.\n\n"
      "2\n01:02:03,500 --> 01:02:04,100\nsecond phrase\n\n");
  g_free (out);
  g_ptr_array_unref (results);
}
GST_END_TEST;

GST_START_TEST (test_vtt)
{
  GPtrArray *results = make_results ();
  char *out = run_sink ("format=vtt", results);
  fail_unless_equals_string (out, "WEBVTT\n\n"
      "1\n00:00:01.234 --> 00:00:01.834\nHello world.\n\n"
      "2\n01:02:03.500 --> 01:02:04.100\nsecond phrase\n\n");
  g_free (out);
  g_ptr_array_unref (results);
}
GST_END_TEST;

GST_START_TEST (test_unwritable_location)
{
  GstElement *pipe = gst_parse_launch ("appsrc caps=" GST_STT_RESULT_CAPS
      " ! sttsink location=/nonexistent/folder/out.txt", NULL);
  GstBus *bus = gst_element_get_bus (pipe);
  fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_PLAYING),
      GST_STATE_CHANGE_FAILURE);
  GstMessage *m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (m != NULL);
  GError *err = NULL;
  gst_message_parse_error (m, &err, NULL);
  fail_unless (strstr (err->message, "/nonexistent/folder/out.txt") != NULL, "%s",
      err->message);
  g_error_free (err);
  gst_message_unref (m);
  gst_object_unref (bus);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (pipe);
}
GST_END_TEST;

GST_START_TEST (test_properties)
{
  GstElement *sink = gst_element_factory_make ("sttsink", NULL);
  fail_unless (sink != NULL);
  gboolean sync;
  g_object_get (sink, "sync", &sync, NULL);
  fail_if (sync);
  gst_util_set_object_arg (G_OBJECT (sink), "format", "vtt");
  int format;
  g_object_get (sink, "format", &format, NULL);
  fail_unless_equals_int (format, 3);
  ASSERT_OBJECT_REFCOUNT (sink, "sink", 1);
  gst_object_unref (sink);
}
GST_END_TEST;

static Suite *
sttsink_suite (void)
{
  Suite *s = suite_create ("sttsink");
  TCase *tc = tcase_create ("general");
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_text);
  tcase_add_test (tc, test_json);
  tcase_add_test (tc, test_srt);
  tcase_add_test (tc, test_vtt);
  tcase_add_test (tc, test_unwritable_location);
  tcase_add_test (tc, test_properties);
  return s;
}

GST_CHECK_MAIN (sttsink);
