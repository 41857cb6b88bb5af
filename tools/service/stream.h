/* gst-stt — one recognition stream: appsrc ! [convert] ! <pipeline fragment> ! appsink.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The service creates one stream per WebSocket turn or REST request. Audio goes in from the
 * main context; results, speech events, end of stream and errors come back as callbacks in the
 * GMainContext given at creation, in stream order. Models are shared by the elements (the
 * model cache), so a stream costs only its elements' state.
 *
 * Thread-safety: use a stream from the context it was created in only. After
 * stt_stream_free no callback runs.
 */
#pragma once

#include <glib.h>
#include <stt/result.h>
#include <stt/gststtresult.h>
#include "frame.h"

G_BEGIN_DECLS

typedef struct _SttStream SttStream;

typedef struct {
  void (*result) (SttStream *stream, SttResult *result, gpointer user_data);
  void (*speech) (SttStream *stream, GstSttSpeechEventType type, gint64 offset,
      gpointer user_data);
  void (*eos) (SttStream *stream, gpointer user_data);  /* every result has been delivered */
  void (*error) (SttStream *stream, const char *message, gpointer user_data);
} SttStreamCallbacks;

/* Check that @fragment parses and its elements exist (builds and drops one pipeline). */
gboolean stt_stream_check_fragment (const char *fragment, GError **error);

/* Raw audio in the format of a RIFF header (WebSocket turns). */
SttStream *stt_stream_new_raw (const char *fragment, const SttRiffFormat *fmt,
    const SttStreamCallbacks *callbacks, gpointer user_data, GError **error);
/* Any container/codec GStreamer can decode (REST bodies). */
SttStream *stt_stream_new_decoded (const char *fragment, const SttStreamCallbacks *callbacks,
    gpointer user_data, GError **error);

/* Set @property (string form, as gst-launch would) on every element of the fragment that has
 * it; returns how many elements took it. Call before the first push. */
guint stt_stream_set_property (SttStream *stream, const char *property, const char *value);
/* Set @property on every element made by @factory; returns how many. */
guint stt_stream_set_factory_property (SttStream *stream, const char *factory,
    const char *property, const char *value);

gboolean stt_stream_start (SttStream *stream, GError **error);
void stt_stream_push (SttStream *stream, const guint8 *data, gsize len);
void stt_stream_end (SttStream *stream);
/* Seconds of 16 kHz audio that reached the fragment so far. */
double stt_stream_get_audio_seconds (SttStream *stream);
void stt_stream_free (SttStream *stream);

G_END_DECLS
