/* gst-stt — results in GStreamer: caps, buffers, bus messages and speech events.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An `application/x-stt-result` buffer holds exactly one result as compact UTF-8 JSON
 * (docs/results.md), no terminating NUL. Its PTS/duration are the phrase's offset/duration in
 * nanoseconds. Every element that produces or changes results also posts an element message
 * named "stt-result" (fields below) so a plain gst-launch pipeline can be watched on the bus.
 *
 * Speech start/end are custom serialized downstream events, so they stay in order with the
 * results around them.
 *
 * All functions are thread-safe (they touch only their arguments).
 */
#pragma once

#include <gst/gst.h>
#include <stt/result.h>

G_BEGIN_DECLS

#define GST_STT_RESULT_MEDIA_TYPE "application/x-stt-result"
#define GST_STT_RESULT_CAPS GST_STT_RESULT_MEDIA_TYPE

/* A new buffer with the result's JSON; PTS/duration from its offset/duration. */
GstBuffer *gst_stt_result_to_buffer (const SttResult *result);

/* Parse a result buffer; NULL and an STT_RESULT_ERROR when it does not hold one. */
SttResult *gst_stt_result_from_buffer (GstBuffer *buffer, GError **error);

/* Element message "stt-result":
 *   final (boolean)      whether this is a final phrase
 *   status (string)      RecognitionStatus
 *   timestamp (guint64)  phrase start, ns from stream start
 *   duration (guint64)   phrase duration, ns
 *   text (string)        Display, else ITN, else Lexical of the best hypothesis
 *   json (string)        the whole result (docs/results.md)
 *   result (SttResult)   the result itself (a reference) */
#define GST_STT_RESULT_MESSAGE_NAME "stt-result"
GstMessage *gst_stt_result_message_new (GstObject *src, SttResult *result);

/* Speech-detection events, sent downstream by the decoder in stream order.
 * "stt-speech-start" / "stt-speech-end", field "offset" (gint64, ticks from stream start). */
typedef enum {
  GST_STT_SPEECH_START,
  GST_STT_SPEECH_END,
} GstSttSpeechEventType;

GstEvent *gst_stt_speech_event_new (GstSttSpeechEventType type, gint64 offset_ticks);
gboolean gst_stt_speech_event_parse (GstEvent *event, GstSttSpeechEventType *type,
    gint64 *offset_ticks);

G_END_DECLS
