/* gst-stt — Speech SDK WebSocket messages: parse and build frames, parse RIFF headers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Everything here reads untrusted bytes: every length is checked before use and every error
 * names the byte offset, so a client can fix its framing from the close reason alone.
 */
#include "frame.h"

#include <string.h>

G_DEFINE_QUARK (stt-frame-error-quark, stt_frame_error)

static gboolean
is_token_char (guchar c)
{
  return g_ascii_isalnum (c) || strchr ("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Parse one "Name: value" line of @len bytes starting at @line (at byte @at of the message). */
static gboolean
parse_header_line (GHashTable *headers, const char *line, gsize len, gsize at, GError **error)
{
  const char *colon = memchr (line, ':', len);
  if (!colon || colon == line) {
    g_set_error (error, STT_FRAME_ERROR, STT_FRAME_ERROR_FRAMING,
        "header line at byte %" G_GSIZE_FORMAT " is not 'Name: value'; end the header block "
        "with an empty line (text) or give its exact length (binary)", at);
    return FALSE;
  }
  for (const char *p = line; p < colon; p++) {
    if (!is_token_char (*p)) {
      g_set_error (error, STT_FRAME_ERROR, STT_FRAME_ERROR_FRAMING,
          "invalid character 0x%02x in a header name at byte %" G_GSIZE_FORMAT,
          (guchar) * p, at + (p - line));
      return FALSE;
    }
  }
  for (const char *p = colon + 1; p < line + len; p++) {
    if ((guchar) * p < 0x20 && *p != '\t') {
      g_set_error (error, STT_FRAME_ERROR, STT_FRAME_ERROR_FRAMING,
          "control character 0x%02x in a header value at byte %" G_GSIZE_FORMAT,
          (guchar) * p, at + (p - line));
      return FALSE;
    }
  }
  char *name = g_ascii_strdown (line, colon - line);
  char *value = g_strndup (colon + 1, line + len - colon - 1);
  g_strstrip (value);
  g_hash_table_replace (headers, name, value);
  return TRUE;
}

/* Split @len bytes of CRLF-terminated lines; a missing final CRLF is tolerated, empty lines
 * are skipped (binary header blocks have no separator line). */
static gboolean
parse_header_block (GHashTable *headers, const char *block, gsize len, gsize base,
    GError **error)
{
  gsize pos = 0;
  while (pos < len) {
    const char *start = block + pos;
    const char *cr = NULL;
    for (gsize i = pos; i + 1 < len; i++) {
      if (block[i] == '\r' && block[i + 1] == '\n') {
        cr = block + i;
        break;
      }
    }
    gsize line_len = cr ? (gsize) (cr - start) : len - pos;
    if (line_len && !parse_header_line (headers, start, line_len, base + pos, error))
      return FALSE;
    pos += line_len + (cr ? 2 : 0);
  }
  return TRUE;
}

gboolean
stt_frame_request_id_is_valid (const char *id)
{
  if (!id || strlen (id) != 32)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

/* Path and X-RequestId are required on every message (spec §2.3). */
static gboolean
check_required (SttFrame *frame, GError **error)
{
  char *path = g_hash_table_lookup (frame->headers, "path");
  char *id = g_hash_table_lookup (frame->headers, "x-requestid");
  if (!path || !*path) {
    g_set_error (error, STT_FRAME_ERROR, STT_FRAME_ERROR_HEADERS,
        "message has no Path header; every message needs Path and X-RequestId");
    return FALSE;
  }
  if (!id) {
    g_set_error (error, STT_FRAME_ERROR, STT_FRAME_ERROR_HEADERS,
        "message (Path %s) has no X-RequestId header; send 32 hex digits", path);
    return FALSE;
  }
  if (!stt_frame_request_id_is_valid (id)) {
    g_set_error (error, STT_FRAME_ERROR, STT_FRAME_ERROR_HEADERS,
        "X-RequestId '%.40s' (Path %s) is not 32 hexadecimal digits", id, path);
    return FALSE;
  }
  for (char *p = path; *p; p++)
    *p = g_ascii_tolower (*p);
  for (char *p = id; *p; p++)
    *p = g_ascii_toupper (*p);
  frame->path = path;
  frame->request_id = id;
  return TRUE;
}

static void
frame_init (SttFrame *frame, gboolean binary)
{
  memset (frame, 0, sizeof *frame);
  frame->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  frame->binary = binary;
}

gboolean
stt_frame_parse_text (const guint8 *data, gsize len, SttFrame *frame, GError **error)
{
  frame_init (frame, FALSE);
  const char *text = (const char *) data;
  const char *sep = NULL;
  gsize limit = MIN (len, (gsize) STT_FRAME_MAX_HEADER_BYTES + 4);
  for (gsize i = 0; i + 3 < limit; i++) {
    if (memcmp (text + i, "\r\n\r\n", 4) == 0) {
      sep = text + i;
      break;
    }
  }
  if (!sep) {
    if (len > STT_FRAME_MAX_HEADER_BYTES)
      g_set_error (error, STT_FRAME_ERROR, STT_FRAME_ERROR_FRAMING,
          "text message header block is longer than %d bytes", STT_FRAME_MAX_HEADER_BYTES);
    else
      g_set_error (error, STT_FRAME_ERROR, STT_FRAME_ERROR_FRAMING,
          "text message of %" G_GSIZE_FORMAT " bytes has no empty line (CRLF CRLF) between "
          "headers and body", len);
    goto fail;
  }
  gsize header_len = sep - text;
  if (!parse_header_block (frame->headers, text, header_len, 0, error))
    goto fail;
  frame->body = data + header_len + 4;
  frame->body_len = len - header_len - 4;
  if (!g_utf8_validate ((const char *) frame->body, frame->body_len, NULL)) {
    g_set_error (error, STT_FRAME_ERROR, STT_FRAME_ERROR_FRAMING,
        "text message body (from byte %" G_GSIZE_FORMAT ") is not UTF-8", header_len + 4);
    goto fail;
  }
  if (!check_required (frame, error))
    goto fail;
  return TRUE;
fail:
  stt_frame_clear (frame);
  return FALSE;
}

gboolean
stt_frame_parse_binary (const guint8 *data, gsize len, SttFrame *frame, GError **error)
{
  frame_init (frame, TRUE);
  if (len < 2) {
    g_set_error (error, STT_FRAME_ERROR, STT_FRAME_ERROR_FRAMING,
        "binary message of %" G_GSIZE_FORMAT " bytes is shorter than its 2-byte header length",
        len);
    goto fail;
  }
  gsize header_len = ((gsize) data[0] << 8) | data[1];
  if (header_len > STT_FRAME_MAX_HEADER_BYTES) {
    g_set_error (error, STT_FRAME_ERROR, STT_FRAME_ERROR_FRAMING,
        "binary message header length %" G_GSIZE_FORMAT " exceeds %d bytes", header_len,
        STT_FRAME_MAX_HEADER_BYTES);
    goto fail;
  }
  if (2 + header_len > len) {
    g_set_error (error, STT_FRAME_ERROR, STT_FRAME_ERROR_FRAMING,
        "binary message header length %" G_GSIZE_FORMAT " runs past the end of the "
        "%" G_GSIZE_FORMAT "-byte message", header_len, len);
    goto fail;
  }
  if (!parse_header_block (frame->headers, (const char *) data + 2, header_len, 2, error))
    goto fail;
  frame->body = data + 2 + header_len;
  frame->body_len = len - 2 - header_len;
  if (!check_required (frame, error))
    goto fail;
  return TRUE;
fail:
  stt_frame_clear (frame);
  return FALSE;
}

void
stt_frame_clear (SttFrame *frame)
{
  g_clear_pointer (&frame->headers, g_hash_table_unref);
  frame->path = frame->request_id = NULL;
  frame->body = NULL;
  frame->body_len = 0;
}

const char *
stt_frame_get_header (const SttFrame *frame, const char *lower_name)
{
  return frame->headers ? g_hash_table_lookup (frame->headers, lower_name) : NULL;
}

static char *
timestamp_now (void)
{
  GDateTime *now = g_date_time_new_now_utc ();
  char *base = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  char *ts = g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (now) / 1000);
  g_free (base);
  g_date_time_unref (now);
  return ts;
}

char *
stt_frame_build_text (const char *path, const char *request_id, const char *json_body)
{
  char *ts = timestamp_now ();
  char *msg = g_strdup_printf ("Path: %s\r\nX-RequestId: %s\r\nX-Timestamp: %s\r\n%s\r\n%s",
      path, request_id, ts,
      json_body ? "Content-Type: application/json; charset=utf-8\r\n" : "",
      json_body ? json_body : "");
  g_free (ts);
  return msg;
}

GBytes *
stt_frame_build_binary (const char *const *header_pairs, const guint8 *payload, gsize payload_len)
{
  GString *h = g_string_new (NULL);
  for (const char *const *p = header_pairs; p[0] && p[1]; p += 2)
    g_string_append_printf (h, "%s: %s\r\n", p[0], p[1]);
  g_return_val_if_fail (h->len <= 0xffff, NULL);
  GByteArray *out = g_byte_array_sized_new (2 + h->len + payload_len);
  guint8 len_be[2] = { h->len >> 8, h->len & 0xff };
  g_byte_array_append (out, len_be, 2);
  g_byte_array_append (out, (const guint8 *) h->str, h->len);
  if (payload_len)
    g_byte_array_append (out, payload, payload_len);
  g_string_free (h, TRUE);
  return g_byte_array_free_to_bytes (out);
}

/* ---- RIFF/WAVE ------------------------------------------------------------------------------ */

static guint
rd16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static guint32
rd32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static gboolean
audio_error (GError **error, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gboolean
audio_error (GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, STT_FRAME_ERROR, STT_FRAME_ERROR_AUDIO_FORMAT, "%s", msg);
  g_free (msg);
  return FALSE;
}

static gboolean
check_format (SttRiffFormat *fmt, gsize at, GError **error)
{
  if (fmt->format_tag != 1 && fmt->format_tag != 3)
    return audio_error (error, "WAVE format tag %u at byte %" G_GSIZE_FORMAT " is not supported; "
        "send PCM (1) or IEEE float (3), e.g. 16-bit 16 kHz mono PCM", fmt->format_tag, at);
  if (fmt->channels < 1 || fmt->channels > 8)
    return audio_error (error, "WAVE channel count %u at byte %" G_GSIZE_FORMAT
        " is not supported (1 to 8)", fmt->channels, at + 2);
  if (fmt->rate < 8000 || fmt->rate > 96000)
    return audio_error (error, "WAVE sample rate %u Hz at byte %" G_GSIZE_FORMAT
        " is not supported (8000 to 96000)", fmt->rate, at + 4);
  gboolean ok = fmt->format_tag == 3 ? fmt->bits == 32
      : (fmt->bits == 8 || fmt->bits == 16 || fmt->bits == 24 || fmt->bits == 32);
  if (!ok)
    return audio_error (error, "WAVE bits per sample %u at byte %" G_GSIZE_FORMAT
        " is not supported for format tag %u (PCM: 8, 16, 24, 32; float: 32)", fmt->bits,
        at + 14, fmt->format_tag);
  return TRUE;
}

gboolean
stt_riff_parse (const guint8 *data, gsize len, SttRiffFormat *fmt, GError **error)
{
  memset (fmt, 0, sizeof *fmt);
  if (len < 12 || memcmp (data, "RIFF", 4) != 0 || memcmp (data + 8, "WAVE", 4) != 0)
    return audio_error (error, "the first audio message of a turn must start with a RIFF/WAVE "
        "header (bytes 0-3 'RIFF', 8-11 'WAVE'); got %" G_GSIZE_FORMAT " bytes without one", len);
  gsize pos = 12;
  gboolean have_fmt = FALSE;
  gsize fmt_at = 0;
  while (pos + 8 <= len) {
    guint32 size = rd32 (data + pos + 4);
    const guint8 *body = data + pos + 8;
    if (memcmp (data + pos, "data", 4) == 0) {
      if (!have_fmt)
        return audio_error (error, "RIFF 'data' chunk at byte %" G_GSIZE_FORMAT
            " comes before any 'fmt ' chunk", pos);
      fmt->header_len = pos + 8;
      return check_format (fmt, fmt_at, error);
    }
    if ((gsize) size > len - pos - 8)
      return audio_error (error, "RIFF chunk '%.4s' at byte %" G_GSIZE_FORMAT " claims %u bytes "
          "but the message ends after %" G_GSIZE_FORMAT, (const char *) data + pos, pos, size,
          len - pos - 8);
    if (memcmp (data + pos, "fmt ", 4) == 0) {
      if (size < 16)
        return audio_error (error, "RIFF 'fmt ' chunk at byte %" G_GSIZE_FORMAT " is %u bytes; "
            "at least 16 are needed", pos, size);
      fmt->format_tag = rd16 (body);
      fmt->channels = rd16 (body + 2);
      fmt->rate = rd32 (body + 4);
      fmt->bits = rd16 (body + 14);
      /* WAVE_FORMAT_EXTENSIBLE: the real tag is the first two bytes of the sub-format GUID. */
      if (fmt->format_tag == 0xfffe && size >= 40)
        fmt->format_tag = rd16 (body + 24);
      have_fmt = TRUE;
      fmt_at = pos + 8;
    }
    pos += 8 + size + (size & 1);
  }
  return audio_error (error, "RIFF header of %" G_GSIZE_FORMAT " bytes has no 'data' chunk; "
      "send the whole header (44 bytes for plain PCM) in the first audio message", len);
}

const char *
stt_riff_gst_format (const SttRiffFormat *fmt)
{
  if (fmt->format_tag == 3)
    return "F32LE";
  switch (fmt->bits) {
    case 8:
      return "U8";
    case 24:
      return "S24LE";
    case 32:
      return "S32LE";
    default:
      return "S16LE";
  }
}
