/* gst-stt — run results through a post-processing element in a real pipeline.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "punct-pipeline.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/check/gstcheck.h>

GPtrArray *
punct_test_run (const char *element, SttResult **results, guint n, char **warnings,
    gboolean allow_error)
{
  GError *err = NULL;
  char *desc = g_strdup_printf ("appsrc name=src format=time caps=" GST_STT_RESULT_CAPS
      " ! %s ! appsink name=sink sync=false", element);
  GstElement *pipe = gst_parse_launch (desc, &err);
  /* a missing element is a (recoverable) parse error: fail, do not wait for data */
  fail_unless (pipe != NULL && err == NULL, "%s: %s", desc, err ? err->message : "");
  g_free (desc);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  /* an element that cannot start fails the state change: then nothing flows */
  gboolean started = gst_element_set_state (pipe, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE;
  fail_unless (started || allow_error, "the pipeline did not start");
  for (guint i = 0; started && i < n; i++)
    gst_app_src_push_buffer (GST_APP_SRC (src), gst_stt_result_to_buffer (results[i]));
  if (started)
    gst_app_src_end_of_stream (GST_APP_SRC (src));

  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_result_unref);
  GstSample *sample;
  while (started && (sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
              30 * GST_SECOND))) {
    GstBuffer *buf = gst_sample_get_buffer (sample);
    SttResult *r = gst_stt_result_from_buffer (buf, &err);
    fail_unless (r != NULL, "output is not a result: %s", err ? err->message : "");
    fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), STT_TICKS_TO_NS (r->offset));
    g_ptr_array_add (out, r);
    gst_sample_unref (sample);
  }
  fail_unless (!started || gst_app_sink_is_eos (GST_APP_SINK (sink)),
      "no output and no EOS within 30 s");
  /* drain the bus up to the pipeline's EOS (or the error that stopped it) */
  GstBus *bus = gst_element_get_bus (pipe);
  GString *warn = g_string_new (NULL);
  for (;;) {
    GstMessage *m = gst_bus_timed_pop_filtered (bus, started ? 10 * GST_SECOND : 0,
        GST_MESSAGE_WARNING | GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
    if (!m) {
      fail_if (started, "the pipeline posted no EOS");
      break;
    }
    GstMessageType type = GST_MESSAGE_TYPE (m);
    GError *e = NULL;
    if (type == GST_MESSAGE_ERROR) {
      gst_message_parse_error (m, &e, NULL);
      fail_unless (allow_error, "pipeline error: %s", e->message);
    } else if (type == GST_MESSAGE_WARNING) {
      gst_message_parse_warning (m, &e, NULL);
    }
    if (e)
      g_string_append_printf (warn, "%s\n", e->message);
    g_clear_error (&e);
    gst_message_unref (m);
    if (type != GST_MESSAGE_WARNING)
      break;
  }
  if (warnings)
    *warnings = g_string_free (warn, FALSE);
  else
    g_string_free (warn, TRUE);
  gst_object_unref (bus);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  /* GstBin finishes an asynchronous state change on a pool thread that briefly holds a
   * reference; give it a moment before counting */
  for (guint i = 0; i < 200 && GST_OBJECT_REFCOUNT_VALUE (pipe) > 1; i++)
    g_usleep (5000);
  ASSERT_OBJECT_REFCOUNT (pipe, "pipeline", 1);
  gst_object_unref (pipe);
  return out;
}
