/* gst-stt — the stt-lookahead event between the recognizer's elements (stt/gststttypes.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stt/gststttypes.h>

GstEvent *
gst_stt_lookahead_event_new (gint64 frame, guint frames, gboolean speech, gint64 quiet_since)
{
  return gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
      gst_structure_new (GST_STT_LOOKAHEAD_EVENT, "frame", G_TYPE_INT64, frame,
          "frames", G_TYPE_UINT, frames, "speech", G_TYPE_BOOLEAN, speech,
          "quiet-since", G_TYPE_INT64, quiet_since, NULL));
}

gboolean
gst_stt_lookahead_event_parse (GstEvent *event, gint64 *frame, guint *frames, gboolean *speech,
    gint64 *quiet_since)
{
  if (GST_EVENT_TYPE (event) != GST_EVENT_CUSTOM_DOWNSTREAM
      || !gst_event_has_name (event, GST_STT_LOOKAHEAD_EVENT))
    return FALSE;
  const GstStructure *s = gst_event_get_structure (event);
  gint64 f, q;
  guint n;
  gboolean sp;
  if (!gst_structure_get_int64 (s, "frame", &f) || !gst_structure_get_uint (s, "frames", &n)
      || !gst_structure_get_boolean (s, "speech", &sp)
      || !gst_structure_get_int64 (s, "quiet-since", &q))
    return FALSE;
  if (frame)
    *frame = f;
  if (frames)
    *frames = n;
  if (speech)
    *speech = sp;
  if (quiet_since)
    *quiet_since = q;
  return TRUE;
}
