/* gst-stt — fuzz target: the punct model reader (punct.bin comes from model folders and
 * downloads); whatever it accepts must be safe to predict and case with.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Seed: tests/fuzz/corpus/punct-model/tiny.bin (version 7), `stt-punct train --bits 8
 * --epochs 2 --hidden 4 --rnn-hidden 2 --rnn-dim 2 --rnn-window 8 --rnn-members 2
 * --rnn-layers 2` on two lines of text ("We met in Washington. What should we do? I think
 * NATO agreed, and we did." and "Shall we go on? We will, in 2024, build 42 new schools.", a
 * blank line between them):
 * a window network, an ensemble of two sentence networks of two layers whose 8-word windows
 * the 14 words below overlap, and a question model of 2^8 weights.
 */
#include <stt/punct.h>
#include <math.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GBytes *bytes = g_bytes_new (data, size);
  GError *err = NULL;
  SttPunct *p = stt_punct_new_from_bytes (bytes, "fuzz", &err);
  if (p) {
    static const char *const words[] = { "we", "met", "in", "washington", "what", "should",
      "we", "do", "i", "think", "nato", "agreed", "zzz", "42" };
    SttPunctLabel labels[G_N_ELEMENTS (words)];
    stt_punct_predict (p, words, G_N_ELEMENTS (words), NULL, STT_PUNCT_FLAG_END_SENTENCE,
        labels);
    for (guint i = 0; i < G_N_ELEMENTS (words); i++)
      g_assert (labels[i] < STT_PUNCT_N_LABELS);
    g_assert (isfinite (stt_punct_question_score (p, words, G_N_ELEMENTS (words))));
    char *line = stt_punct_format (p, words, G_N_ELEMENTS (words), labels, TRUE);
    g_assert (g_utf8_validate (line, -1, NULL));
    g_free (line);
    stt_punct_unref (p);
  } else {
    g_assert (err != NULL && err->message[0]);
    g_error_free (err);
  }
  g_bytes_unref (bytes);
  return 0;
}
