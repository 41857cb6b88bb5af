/* gst-stt — GstSttResultFilter, the base class of every result post-processor.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A post-processor (punctuation, ITN, an integrator's own element) takes one result and returns
 * it changed. Subclass GstSttResultFilter and implement transform_result: the base class parses
 * each incoming `application/x-stt-result` buffer, gives you a writable SttResult, serialises
 * what you return, keeps timestamps, posts the "stt-result" element message and forwards speech
 * events untouched.
 *
 * When transform_result fails (returns FALSE with an error) the base class posts a GStreamer
 * warning message carrying the error and passes the original result through unchanged: a broken
 * post-processor never loses a result. A buffer that is not a result at all is an error (a
 * broken pipeline), reported with GST_ELEMENT_ERROR.
 *
 * transform_result runs on the streaming thread; read your properties under the object lock.
 *
 * An element that splits one result into several implements split_result instead (below).
 * Subclasses that override GstBaseTransform's stop or sink_event must chain up.
 *
 * Minimal subclass (see plugins/profanity/ for a complete one):
 *
 *   static gboolean
 *   my_transform (GstSttResultFilter *f, SttResult *r, GError **error)
 *   {
 *     SttHypothesis *best = stt_result_get_best (r);
 *     if (best)
 *       stt_hypothesis_set_text (best, STT_TEXT_DISPLAY, "...");
 *     return TRUE;
 *   }
 *   ...
 *   GST_STT_RESULT_FILTER_CLASS (klass)->transform_result = my_transform;
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>
#include <stt/result.h>

G_BEGIN_DECLS

#define GST_TYPE_STT_RESULT_FILTER (gst_stt_result_filter_get_type ())
G_DECLARE_DERIVABLE_TYPE (GstSttResultFilter, gst_stt_result_filter, GST, STT_RESULT_FILTER,
    GstBaseTransform)

struct _GstSttResultFilterClass {
  GstBaseTransformClass parent_class;

  /* Change @result in place. Partial results come here too: check result->kind if your
   * element only handles finals. Return FALSE and set @error to pass the input through. */
  gboolean (*transform_result) (GstSttResultFilter *filter, SttResult *result, GError **error);

  /* Optional, for elements that turn one result into several (resegmentation): return the
   * results that replace @result, in stream order, as a new GPtrArray that owns them (free
   * function stt_result_unref; empty drops the input). When set, it is called instead of
   * transform_result. Return NULL and set @error to pass the input through unchanged, as
   * with transform_result. Each output buffer's PTS and duration come from its own result's
   * offset and duration; flags and metas are copied from the input buffer (DISCONT only onto
   * the first). Every output is posted as an "stt-result" message like any other. */
  GPtrArray *(*split_result) (GstSttResultFilter *filter, SttResult *result, GError **error);

  gpointer _stt_reserved[3];
};

G_END_DECLS
