/* gst-stt — fuzz target for the service's frame and RIFF parsers (tools/service/frame.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Built two ways: with -Dfuzzing=true and clang as a libFuzzer target (LLVMFuzzerTestOneInput),
 * and always as `fuzz-frame-mutate`, a bounded random-mutation run over valid seed messages
 * that the suite runs under the sanitizers. Both check invariants, not just "no crash":
 * a parsed frame's body lies inside the input and its ids are valid.
 */
#include <stdlib.h>
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

#ifndef STT_LIBFUZZER
/* Valid messages as the SDK sends them, to mutate. */
static GBytes *
seed (guint i)
{
  static const char *const texts[] = {
    "Path: speech.config\r\nX-RequestId: 0123456789ABCDEF0123456789ABCDEF\r\n"
        "X-Timestamp: 2026-01-01T00:00:00.000Z\r\nContent-Type: application/json\r\n\r\n"
        "{\"context\":{\"system\":{\"version\":\"1.52.0\"}}}",
    "Path: speech.context\r\nX-RequestId: 0123456789abcdef0123456789abcdef\r\n\r\n"
        "{\"phraseDetection\":{\"enrichment\":{\"profanity\":\"Raw\"}}}",
  };
  if (i < G_N_ELEMENTS (texts)) {
    GByteArray *a = g_byte_array_new ();
    guint8 kind = 0;
    g_byte_array_append (a, &kind, 1);
    g_byte_array_append (a, (const guint8 *) texts[i], strlen (texts[i]));
    return g_byte_array_free_to_bytes (a);
  }
  guint8 riff[44] = { 'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E', 'f', 'm', 't', ' ',
    16, 0, 0, 0, 1, 0, 1, 0, 0x80, 0x3e, 0, 0, 0, 0x7d, 0, 0, 2, 0, 16, 0,
    'd', 'a', 't', 'a', 0, 0, 0, 0 };
  const char *h[] = { "Path", "audio", "X-RequestId", "0123456789ABCDEF0123456789ABCDEF",
    "Content-Type", "audio/x-wav", NULL, NULL };
  GBytes *b = stt_frame_build_binary (h, riff, i == 2 ? sizeof riff : 20);
  GByteArray *a = g_byte_array_new ();
  guint8 kind = 1;
  g_byte_array_append (a, &kind, 1);
  g_byte_array_append (a, g_bytes_get_data (b, NULL), g_bytes_get_size (b));
  g_bytes_unref (b);
  return g_byte_array_free_to_bytes (a);
}

static void
mutate (GRand *r, GByteArray *a)
{
  guint n = g_rand_int_range (r, 1, 6);
  for (guint k = 0; k < n && a->len > 1; k++) {
    guint pos = g_rand_int_range (r, 1, a->len);
    switch (g_rand_int_range (r, 0, 5)) {
      case 0:
        a->data[pos] = g_rand_int_range (r, 0, 256);
        break;
      case 1:
        a->data[pos] ^= 1 << g_rand_int_range (r, 0, 8);
        break;
      case 2:{
        guint cut = g_rand_int_range (r, 1, 9);
        g_byte_array_remove_range (a, pos, MIN (a->len - pos, cut));
        break;
      }
      case 3:{
        static const char *const tokens[] = { "\r\n", "\r\n\r\n", ":", "RIFF", "data", "fmt ",
          "\xff\xff", "\0" };
        const char *t = tokens[g_rand_int_range (r, 0, G_N_ELEMENTS (tokens))];
        gsize tl = MAX (1, strlen (t)), old = a->len;
        g_byte_array_set_size (a, old + tl);
        memmove (a->data + pos + tl, a->data + pos, old - pos);
        memcpy (a->data + pos, t, tl);
        break;
      }
      default:
        g_byte_array_set_size (a, pos);
        break;
    }
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* STT_FUZZ_ITERATIONS bounds the run (default 20000: a few seconds under ASan). */
  const char *env = g_getenv ("STT_FUZZ_ITERATIONS");
  guint iterations = env ? atoi (env) : 20000;
  guint32 s = g_test_rand_int ();
  g_test_message ("seed %u, %u iterations", s, iterations);
  GRand *r = g_rand_new_with_seed (s);
  for (guint i = 0; i < 3; i++) {
    GBytes *b = seed (i);
    LLVMFuzzerTestOneInput (g_bytes_get_data (b, NULL), g_bytes_get_size (b));
    g_bytes_unref (b);
  }
  for (guint it = 0; it < iterations; it++) {
    GBytes *b = seed (it % 4);
    GByteArray *a = g_byte_array_new ();
    g_byte_array_append (a, g_bytes_get_data (b, NULL), g_bytes_get_size (b));
    mutate (r, a);
    /* Exact-size copy so ASan sees reads past the end. */
    guint8 *copy = g_memdup2 (a->data, a->len);
    LLVMFuzzerTestOneInput (copy, a->len);
    g_free (copy);
    g_byte_array_unref (a);
    g_bytes_unref (b);
  }
  g_rand_free (r);
  return 0;
}
#endif
