/* gst-stt — fuzz target: the "stt-lattice-1" reader of sttrescore (lattices arrive inside result
 * JSON, from any producer) and the rescoring search over whatever it accepts, with a small LM
 * trained in-process (words of the seed lattices) mixed with itself at weight 0.5.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Seeds: corpus/rescore-lattice/: a real lattice of sttdecoder (a spoken digit).
 */
#include "rescore.h"

#include <math.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char toy_text[] = "one two three\nhull will lol\nall hull\nhello one\n";

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static SttLm *lm;
  if (!lm)
    lm = stt_lm_train (toy_text, sizeof toy_text - 1, 3, NULL);
  GBytes *bytes = g_bytes_new (data, size);
  RescoreLattice *l = rescore_lattice_parse (bytes, NULL);
  g_bytes_unref (bytes);
  if (!l)
    return 0;
  RescoreLm rlm = { lm, lm, 0.5, 6.5, -3 };
  RescoreParams p = { 8.0, -3.0, 0.5 };
  GPtrArray *paths = rescore_lattice_nbest (l, &rlm, &p, 3);
  for (guint i = 0; i < paths->len; i++) {
    const RescorePath *path = g_ptr_array_index (paths, i);
    for (guint w = 0; w < path->words->len; w++) {
      const RescoreWord *word = &g_array_index (path->words, RescoreWord, w);
      g_assert (word->confidence >= 0 && word->confidence <= 1);
      g_assert (word->start <= word->end);
    }
  }
  if (paths->len > 0) {
    /* the acoustic fit and the sentence LM score of the best path, as sttrescore's gates and
     * N-best re-ranking compute them */
    const RescorePath *best = g_ptr_array_index (paths, 0);
    guint n = best->words->len;
    RescoreSpan *spans = g_new (RescoreSpan, MAX (n, 1));
    const char **words = g_new (const char *, MAX (n, 1));
    for (guint w = 0; w < n; w++) {
      const RescoreWord *word = &g_array_index (best->words, RescoreWord, w);
      spans[w] = (RescoreSpan) { word->word, word->start, word->end };
      words[w] = word->word;
    }
    double fit;
    if (rescore_lattice_acoustic_per_frame (l, spans, n, &fit))
      g_assert (isfinite (fit));
    g_assert (rescore_lm_sentence (&rlm, &p, words, n) <= 0);
    g_free (spans);
    g_free (words);
  }
  g_ptr_array_unref (paths);
  rescore_lattice_free (l);
  return 0;
}
