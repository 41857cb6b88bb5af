/* gst-stt — Speech SDK WebSocket messages: parse and build text/binary frames, parse RIFF headers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Pure functions over bytes (no sockets, no GStreamer), so they can be fuzzed alone
 * (tests/fuzz/). The wire format is ../shared/spec/speech-sdk-protocol.md §2.1–2.2:
 *   text:   "Name: value\r\n" lines, "\r\n", UTF-8 body
 *   binary: 2-byte big-endian header length N, N bytes of "Name: value\r\n" lines, payload
 * Thread-safety: every function touches only its arguments.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define STT_FRAME_ERROR (stt_frame_error_quark ())
GQuark stt_frame_error_quark (void);
typedef enum {
  STT_FRAME_ERROR_FRAMING,      /* not a well-formed message (close code 1007) */
  STT_FRAME_ERROR_HEADERS,      /* Path or X-RequestId missing or invalid (close code 1002) */
  STT_FRAME_ERROR_AUDIO_FORMAT, /* RIFF header absent, malformed or unsupported (1007) */
} SttFrameError;

/* Largest header block accepted (the WebSocket protocol document caps headers at 8 KiB). */
#define STT_FRAME_MAX_HEADER_BYTES 8192

typedef struct {
  GHashTable *headers;          /* lower-case name -> trimmed value (both owned) */
  const char *path;             /* value of Path, lower-cased; owned by headers */
  const char *request_id;       /* value of X-RequestId, upper-cased; owned by headers */
  const guint8 *body;           /* points into the bytes given to the parser */
  gsize body_len;
  gboolean binary;
} SttFrame;

/* Parse a text or binary message. On success fills @frame (free with stt_frame_clear); the
 * body pointer stays valid as long as @data does. Errors name the byte offset of the fault. */
gboolean stt_frame_parse_text (const guint8 *data, gsize len, SttFrame *frame, GError **error);
gboolean stt_frame_parse_binary (const guint8 *data, gsize len, SttFrame *frame, GError **error);
void stt_frame_clear (SttFrame *frame);
const char *stt_frame_get_header (const SttFrame *frame, const char *lower_name);

/* A request id is 32 hexadecimal digits (the SDK sends upper case; compare case-insensitively). */
gboolean stt_frame_request_id_is_valid (const char *id);

/* Build a server -> client text message: Path, X-RequestId, X-Timestamp (now, ISO-8601 UTC),
 * Content-Type when @body is JSON, then the body. */
char *stt_frame_build_text (const char *path, const char *request_id, const char *json_body);
/* Build a binary message (headers as "Name: value" pairs, NULL-terminated) with @payload. */
GBytes *stt_frame_build_binary (const char *const *header_pairs, const guint8 *payload,
    gsize payload_len);

/* The audio format of a RIFF/WAVE header. Sizes in the header are ignored (the SDK sends 0). */
typedef struct {
  guint format_tag;             /* 1 = PCM, 3 = IEEE float (after resolving WAVE_FORMAT_EXTENSIBLE) */
  guint channels;
  guint rate;
  guint bits;
  gsize header_len;             /* bytes up to the first sample */
} SttRiffFormat;

/* Parse the header at the start of @data. Accepts PCM 8/16/24/32-bit and float 32-bit, 1–8
 * channels, 8–96 kHz; anything else fails with STT_FRAME_ERROR_AUDIO_FORMAT naming the field. */
gboolean stt_riff_parse (const guint8 *data, gsize len, SttRiffFormat *fmt, GError **error);
/* GStreamer raw-audio format string of @fmt ("S16LE", "F32LE", ...). */
const char *stt_riff_gst_format (const SttRiffFormat *fmt);

G_END_DECLS
