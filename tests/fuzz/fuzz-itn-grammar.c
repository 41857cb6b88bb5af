/* gst-stt — fuzz target: the ITN grammar compiler and the transducer file checker.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is grammar source. Whatever compiles is run on a few words, then damaged in one
 * place chosen by the input (with the checksum recomputed, so that the structural checks, not
 * the checksum, must catch it) and loaded again: loading must fail cleanly or give a transducer
 * that runs.
 */
#include <stt/itn.h>
#include <stdint.h>
#include <string.h>
#include "grammar.h"
#include "itn-fst.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
run (GBytes *bytes)
{
  GError *err = NULL;
  SttItn *itn = stt_itn_new_from_bytes (bytes, "fuzz.wfst", &err);
  if (!itn) {
    g_assert (err != NULL && err->message[0]);
    g_error_free (err);
    return;
  }
  SttItnRunner *r = stt_itn_runner_new (itn);
  const char *words[] = { "one", "x", "two", "hundred", "and", "", "one", "a" };
  for (guint n = 0; n <= G_N_ELEMENTS (words); n++) {
    SttItnOutput *o = stt_itn_runner_apply (r, words, n);
    for (guint k = 0; k < stt_itn_output_get_n_tokens (o); k++) {
      const SttItnToken *t = stt_itn_output_get_token (o, k);
      g_assert (t->first_word + t->n_words <= n);
    }
    stt_itn_output_free (o);
  }
  stt_itn_runner_free (r);
  stt_itn_unref (itn);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *src = g_strndup ((const char *) data, size);
  GError *err = NULL;
  GBytes *fst = stt_itn_grammar_compile (src, "fuzz.grm", "/nonexistent", NULL, &err);
  g_free (src);
  if (!fst) {
    g_assert (err != NULL && err->message[0]);
    g_error_free (err);
    return 0;
  }
  run (fst);
  gsize len;
  const guint8 *orig = g_bytes_get_data (fst, &len);
  guint32 *copy = g_malloc (len + 4);
  memcpy (copy, orig, len);
  guint8 *b = (guint8 *) copy;
  guint32 h = size ? data[0] | (size > 1 ? data[size - 1] << 8 : 0) : 0;
  gsize at = STT_WFST_HEADER_SIZE + h % (len - STT_WFST_HEADER_SIZE);
  b[at] ^= (guint8) (1u << (h % 8));
  guint64 sum = stt_wfst_checksum (b + STT_WFST_HEADER_SIZE, len - STT_WFST_HEADER_SIZE);
  memcpy (b + 44, &sum, 8);
  GBytes *bad = g_bytes_new_static (copy, len);
  run (bad);
  g_bytes_unref (bad);
  g_free (copy);
  g_bytes_unref (fst);
  return 0;
}
