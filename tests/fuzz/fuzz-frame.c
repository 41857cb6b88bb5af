/* gst-stt — fuzz target: the service's WebSocket frame and RIFF parsers (tools/service/frame.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The first byte picks the parser (odd: binary, even: text), the rest is the message; seeds in
 * corpus/frame/ are messages as the Speech SDK sends them. Checks invariants, not only "no
 * crash": a parsed frame's body lies inside the input, its request id is valid, and a RIFF
 * header that parses ends inside the body.
 */
#include <string.h>

#include "frame.h"

static void
check_frame (const guint8 *data, gsize len, gboolean binary)
{
  SttFrame f;
  GError *err = NULL;
  gboolean ok = binary ? stt_frame_parse_binary (data, len, &f, &err)
      : stt_frame_parse_text (data, len, &f, &err);
  if (ok) {
    g_assert_no_error (err);
    g_assert_true (f.body >= data && f.body + f.body_len <= data + len);
    g_assert_true (stt_frame_request_id_is_valid (f.request_id));
    g_assert_nonnull (f.path);
    SttRiffFormat fmt;
    if (stt_riff_parse (f.body, f.body_len, &fmt, &err))
      g_assert_cmpuint (fmt.header_len, <=, f.body_len);
    else
      g_assert_error (err, STT_FRAME_ERROR, STT_FRAME_ERROR_AUDIO_FORMAT);
    g_clear_error (&err);
    stt_frame_clear (&f);
  } else {
    g_assert_nonnull (err);
    g_assert_true (err->domain == STT_FRAME_ERROR);
    g_assert_nonnull (err->message);
    g_clear_error (&err);
    g_assert_null (f.headers);
  }
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t len);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t len)
{
  if (len == 0)
    return 0;
  /* First byte picks the parser; text frames must be UTF-8 on the wire but the parser must
   * not rely on that. */
  check_frame (data + 1, len - 1, data[0] & 1);
  return 0;
}
