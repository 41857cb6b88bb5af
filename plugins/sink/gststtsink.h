/* gst-stt — sttsink: write recognition results as JSON lines, text, SRT or WebVTT.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/base/gstbasesink.h>
#include <stdio.h>

G_BEGIN_DECLS

typedef enum {
  GST_STT_SINK_FORMAT_JSON,
  GST_STT_SINK_FORMAT_TEXT,
  GST_STT_SINK_FORMAT_SRT,
  GST_STT_SINK_FORMAT_VTT,
} GstSttSinkFormat;

#define GST_TYPE_STT_SINK (gst_stt_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstSttSink, gst_stt_sink, GST, STT_SINK, GstBaseSink)

GST_ELEMENT_REGISTER_DECLARE (sttsink);

G_END_DECLS
