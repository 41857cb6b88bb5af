/* gst-stt — fuzz target: the "stt-lattice-1" reader of sttrescore (lattices arrive inside result
 * JSON, from any producer) and the rescoring search over whatever it accepts, with a small LM
 * trained in-process (words of the seed lattices) mixed with itself at weight 0.5.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Seeds: corpus/rescore-lattice/: a real lattice of sttdecoder (a spoken digit).
 */
#include "rescore.h"

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
  g_ptr_array_unref (paths);
  rescore_lattice_free (l);
  return 0;
}
