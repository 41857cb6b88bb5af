/* gst-stt — results in GStreamer: buffers, bus messages, speech events.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "stt/gststtresult.h"

GstBuffer *
gst_stt_result_to_buffer (const SttResult *result)
{
  gsize len;
  char *json = stt_result_to_json (result, &len);
  GstBuffer *buf = gst_buffer_new_wrapped (json, len);
  GST_BUFFER_PTS (buf) = STT_TICKS_TO_NS (result->offset);
  GST_BUFFER_DURATION (buf) = STT_TICKS_TO_NS (result->duration);
  return buf;
}

SttResult *
gst_stt_result_from_buffer (GstBuffer *buffer, GError **error)
{
  GstMapInfo map;
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    g_set_error (error, STT_RESULT_ERROR, STT_RESULT_ERROR_PARSE, "result buffer is not readable");
    return NULL;
  }
  SttResult *r = stt_result_from_json ((const char *) map.data, map.size, error);
  gst_buffer_unmap (buffer, &map);
  return r;
}

GstMessage *
gst_stt_result_message_new (GstObject *src, SttResult *result)
{
  char *json = stt_result_to_json (result, NULL);
  GstStructure *s = gst_structure_new (GST_STT_RESULT_MESSAGE_NAME,
      "final", G_TYPE_BOOLEAN, result->kind == STT_RESULT_FINAL,
      "status", G_TYPE_STRING, stt_recognition_status_to_string (result->status),
      "timestamp", G_TYPE_UINT64, STT_TICKS_TO_NS (result->offset),
      "duration", G_TYPE_UINT64, STT_TICKS_TO_NS (result->duration),
      "text", G_TYPE_STRING, stt_result_get_display_text (result),
      "json", G_TYPE_STRING, json,
      "result", STT_TYPE_RESULT, result,
      NULL);
  g_free (json);
  return gst_message_new_element (src, s);
}

static const char *const speech_event_names[] = {
  [GST_STT_SPEECH_START] = "stt-speech-start",
  [GST_STT_SPEECH_END] = "stt-speech-end",
};

GstEvent *
gst_stt_speech_event_new (GstSttSpeechEventType type, gint64 offset_ticks)
{
  g_return_val_if_fail (type <= GST_STT_SPEECH_END, NULL);
  GstStructure *s = gst_structure_new (speech_event_names[type],
      "offset", G_TYPE_INT64, offset_ticks, NULL);
  return gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM, s);
}

gboolean
gst_stt_speech_event_parse (GstEvent *event, GstSttSpeechEventType *type, gint64 *offset_ticks)
{
  if (GST_EVENT_TYPE (event) != GST_EVENT_CUSTOM_DOWNSTREAM)
    return FALSE;
  const GstStructure *s = gst_event_get_structure (event);
  for (guint i = 0; i < G_N_ELEMENTS (speech_event_names); i++) {
    if (gst_structure_has_name (s, speech_event_names[i])) {
      if (type)
        *type = i;
      if (offset_ticks && !gst_structure_get_int64 (s, "offset", offset_ticks))
        *offset_ticks = 0;
      return TRUE;
    }
  }
  return FALSE;
}
