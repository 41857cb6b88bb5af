/* gst-stt — fuzz target: every LM and lexicon reader (user LMs and dictionaries, downloaded
 * models). The first byte selects the reader:
 *   0 own LM format   1 Sphinx trie LM (compact, see below)   2 ARPA text
 *   3 own lexicon format   4 Sphinx dictionary text: main dictionary, NUL, filler dictionary
 * Sphinx trie files carry 786 KB of quantisation tables whatever their size; the compact input
 * leaves them out and the target inserts zeroed tables after the header, so the mutations hit
 * the structure (counts, pointers, bit arrays, vocabulary).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Besides "no crash": a refused input has a message naming it; an accepted LM answers every
 * query, writes itself as its own format and reads back with the same scores; an accepted
 * lexicon is self-consistent. Seeds: corpus/lm/ (make-lm-seeds.py).
 */
#include "lm-private.h"
#include "lexicon-private.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define NAME "fuzz-input"

static void
check_error (GError *error)
{
  g_assert (error != NULL);
  if (!strstr (error->message, NAME))
    g_error ("the message does not name the input: %s", error->message);
  g_error_free (error);
}

static void
exercise_lm (SttLm *lm)
{
  guint nw = MIN (stt_lm_get_n_words (lm), 40);
  GBytes *bytes = stt_lm_get_bytes (lm);
  SttLm *again = stt_lm_new_from_bytes (bytes, NAME, NULL);
  g_assert (again != NULL);
  SttLmState st;
  stt_lm_state_init_begin (lm, &st);
  for (SttLmWord w = -1; w < (SttLmWord) nw; w++)
    for (SttLmWord h = -1; h < (SttLmWord) nw; h++) {
      SttLmWord h2 = (SttLmWord) ((guint) (w + h + 2) % (nw + 1)) - 1;
      g_assert (stt_lm_score (lm, w, h, h2) == stt_lm_score (again, w, h, h2));
      stt_lm_score_state (lm, &st, w, &st);
    }
  for (SttLmWord w = 0; w < (SttLmWord) nw; w++)
    g_assert (stt_lm_word_id (lm, stt_lm_word (lm, w)) == w);
  stt_lm_unref (again);
  g_bytes_unref (bytes);
}

static void
lm_from_builder (SttLmBuilder *b, GError *error)
{
  /* @error: the reader's error when @b is NULL */
  if (!b) {
    check_error (error);
    return;
  }
  GBytes *bytes = stt_lm_builder_to_bytes (b, NAME, &error);
  stt_lm_builder_free (b);
  if (!bytes) {
    check_error (error);
    return;
  }
  SttLm *lm = stt_lm_new_from_bytes (bytes, NAME, &error);
  g_assert (lm != NULL);    /* what the builder writes must open */
  exercise_lm (lm);
  stt_lm_unref (lm);
  g_bytes_unref (bytes);
}

/* Insert the zeroed quantisation tables after the header of a compact trie input. */
static GByteArray *
inflate_trie (const guint8 *d, gsize n)
{
  GByteArray *out = g_byte_array_new ();
  g_byte_array_append (out, d, n);
  if (n < 20 || d[19] < 2 || d[19] > 3)
    return out;
  gsize at = 20 + 4 * (gsize) d[19] + 4;
  if (at > n)
    return out;
  gsize tables = (d[19] == 3 ? 3 : 1) * 65536 * 4;
  g_byte_array_set_size (out, n + tables);
  memmove (out->data + at + tables, out->data + at, n - at);
  memset (out->data + at, 0, tables);
  return out;
}

static void
exercise_lexicon (SttLexicon *lex)
{
  for (guint32 i = 0; i < stt_lexicon_get_n_words (lex); i++) {
    guint n;
    const guint16 *p = stt_lexicon_get_pron (lex, i, &n);
    for (guint k = 0; k < n; k++)
      g_assert (stt_lexicon_get_phone (lex, p[k]) != NULL);
    g_assert (stt_lexicon_lookup (lex, stt_lexicon_get_word (lex, i)) == (gint32) i);
    guint32 b = stt_lexicon_get_base (lex, i);
    g_assert (stt_lexicon_get_base (lex, b) == b);
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  GError *error = NULL;
  const guint8 *d = data + 1;
  gsize n = size - 1;
  switch (data[0] % 5) {
    case 0:{
      GBytes *b = g_bytes_new (d, n);
      SttLm *lm = stt_lm_new_from_bytes (b, NAME, &error);
      if (lm) {
        exercise_lm (lm);
        stt_lm_unref (lm);
      } else {
        check_error (error);
      }
      g_bytes_unref (b);
      break;
    }
    case 1:{
      GByteArray *t = inflate_trie (d, n);
      SttLmBuilder *b = stt_lm_read_sphinx_trie (t->data, t->len, NAME, &error);
      lm_from_builder (b, error);
      g_byte_array_unref (t);
      break;
    }
    case 2:{
      SttLmBuilder *b = stt_lm_read_arpa ((const char *) d, n, NAME, &error);
      lm_from_builder (b, error);
      break;
    }
    case 3:{
      GBytes *b = g_bytes_new (d, n);
      SttLexicon *lex = stt_lexicon_new_from_bytes (b, NAME, &error);
      if (lex) {
        exercise_lexicon (lex);
        stt_lexicon_unref (lex);
      } else {
        check_error (error);
      }
      g_bytes_unref (b);
      break;
    }
    default:{
      const guint8 *nul = memchr (d, 0, n);
      gsize dn = nul ? (gsize) (nul - d) : n;
      SttLexicon *lex = stt_lexicon_parse_sphinx ((const char *) d, dn, NAME,
          nul ? (const char *) nul + 1 : NULL, nul ? n - dn - 1 : 0, NAME "-fillers", NULL,
          &error);
      if (lex) {
        exercise_lexicon (lex);
        stt_lexicon_unref (lex);
      } else {
        check_error (error);
      }
      break;
    }
  }
  return 0;
}
