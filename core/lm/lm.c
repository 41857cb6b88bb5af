/* gst-stt — LM queries (the decoder's hot path) and loading by format.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "lm-private.h"

#include <string.h>
#include <glib/gstdio.h>

/* ---- queries ------------------------------------------------------------------------------ */

/* Index of @w in the ascending @word[lo, hi), or -1. */
static inline gint64
find_child (const guint32 *word, guint32 lo, guint32 hi, guint32 w)
{
  while (lo < hi) {
    guint32 mid = lo + (hi - lo) / 2;
    guint32 x = word[mid];
    if (x == w)
      return mid;
    if (x < w)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

static inline gint64
find_bigram (const SttLm *lm, guint32 h1, guint32 w)
{
  return find_child (lm->bword, lm->unext[h1], lm->unext[h1 + 1], w);
}

static inline gboolean
valid_word (const SttLm *lm, SttLmWord w)
{
  return w >= 0 && (guint32) w < lm->n[1];
}

void
stt_lm_state_init_empty (const SttLm *lm, SttLmState *state)
{
  state->w1 = STT_LM_NO_WORD;
  state->ctx = 0;
}

void
stt_lm_state_init (const SttLm *lm, SttLmState *state, SttLmWord h1, SttLmWord h2)
{
  stt_lm_state_init_empty (lm, state);
  if (!valid_word (lm, h1) || lm->order < 2)
    return;
  state->w1 = h1;
  if (lm->order >= 3 && valid_word (lm, h2)) {
    gint64 j = find_bigram (lm, (guint32) h2, (guint32) h1);
    if (j >= 0)
      state->ctx = (guint32) j + 1;
  }
}

void
stt_lm_state_init_begin (const SttLm *lm, SttLmState *state)
{
  stt_lm_state_init (lm, state, stt_lm_word_id (lm, "<s>"), STT_LM_NO_WORD);
}

/* (gint32) of a float, saturating: values from a damaged file must not be undefined. */
static inline gint32
to_int (float p)
{
  if (G_LIKELY (p > -2147483648.0f && p < 2147483648.0f))
    return (gint32) p;
  return p > 0 ? G_MAXINT32 : G_MININT32;
}

/* The float sum is rounded to float32 at each step, as sphinxbase does. */
static float
score_float (const SttLm *lm, const SttLmState *in, SttLmWord w, SttLmState *out,
    guint *n_used)
{
  if (!valid_word (lm, w)) {
    *n_used = 0;
    if (out)
      stt_lm_state_init_empty (lm, out);
    return (float) STT_LM_LOGZERO;
  }
  SttLmState next = { lm->order >= 2 ? w : STT_LM_NO_WORD, 0 };
  float p;
  if (in->w1 < 0) {
    p = lm->uprob[w];
    *n_used = 1;
  } else {
    guint32 h1 = (guint32) in->w1, ctx = in->ctx;
    gint64 j = find_bigram (lm, h1, (guint32) w);
    gint64 t = -1;
    if (ctx)
      t = find_child (lm->tword, lm->bnext[ctx - 1], lm->bnext[ctx], (guint32) w);
    if (t >= 0) {
      p = stt_lm_values_get (&lm->tprob, (guint32) t);
      *n_used = 3;
    } else {
      float bo2 = ctx ? stt_lm_values_get (&lm->bbo, ctx - 1) : 0.0f;
      if (j >= 0) {
        p = stt_lm_values_get (&lm->bprob, (guint32) j);
        *n_used = 2;
      } else {
        p = lm->uprob[w];
        p += lm->ubo[h1];
        *n_used = 1;
      }
      if (ctx)
        p += bo2;
    }
    if (j >= 0 && lm->order >= 3)
      next.ctx = (guint32) j + 1;
  }
  if (out)
    *out = next;
  return p;
}

static gint32
score_state (const SttLm *lm, const SttLmState *in, SttLmWord w, SttLmState *out,
    guint *n_used)
{
  return to_int (score_float (lm, in, w, out, n_used));
}

float
stt_lm_score_float (const SttLm *lm, SttLmWord w, SttLmWord h1, SttLmWord h2)
{
  SttLmState st;
  guint n_used;
  stt_lm_state_init (lm, &st, h1, h2);
  return score_float (lm, &st, w, NULL, &n_used);
}

gint32
stt_lm_score_state (const SttLm *lm, const SttLmState *in, SttLmWord w, SttLmState *out)
{
  guint n_used;
  return score_state (lm, in, w, out, &n_used);
}

gint32
stt_lm_score_full (const SttLm *lm, SttLmWord w, SttLmWord h1, SttLmWord h2, guint *n_used)
{
  SttLmState st;
  guint dummy;
  stt_lm_state_init (lm, &st, h1, h2);
  return score_state (lm, &st, w, NULL, n_used ? n_used : &dummy);
}

gint32
stt_lm_score (const SttLm *lm, SttLmWord w, SttLmWord h1, SttLmWord h2)
{
  return stt_lm_score_full (lm, w, h1, h2, NULL);
}

/* ---- vocabulary ---------------------------------------------------------------------------- */
guint
stt_lm_get_order (const SttLm *lm)
{
  return lm->order;
}

guint
stt_lm_get_count (const SttLm *lm, guint n)
{
  return n >= 1 && n <= lm->order ? lm->n[n] : 0;
}

guint
stt_lm_get_n_words (const SttLm *lm)
{
  return lm->n[1];
}

const char *
stt_lm_word (const SttLm *lm, SttLmWord id)
{
  return valid_word (lm, id) ? stt_strings_get (&lm->vocab, (guint32) id) : NULL;
}

SttLmWord
stt_lm_word_id (const SttLm *lm, const char *word)
{
  g_return_val_if_fail (word != NULL, STT_LM_NO_WORD);
  return (SttLmWord) stt_strings_lookup (&lm->vocab, word);
}

/* ---- n-gram access ------------------------------------------------------------------------- */
gboolean
stt_lm_find_ngram (const SttLm *lm, const SttLmWord *words, guint n, float *prob,
    float *backoff)
{
  float p = 0, b = 0;
  if (n < 1 || n > lm->order)
    return FALSE;
  for (guint k = 0; k < n; k++)
    if (!valid_word (lm, words[k]))
      return FALSE;
  if (n == 1) {
    p = lm->uprob[words[0]];
    b = lm->order > 1 ? lm->ubo[words[0]] : 0;
  } else {
    gint64 j = find_bigram (lm, (guint32) words[0], (guint32) words[1]);
    if (j < 0)
      return FALSE;
    if (n == 2) {
      p = stt_lm_values_get (&lm->bprob, (guint32) j);
      b = lm->order > 2 ? stt_lm_values_get (&lm->bbo, (guint32) j) : 0;
    } else {
      gint64 t = find_child (lm->tword, lm->bnext[j], lm->bnext[j + 1], (guint32) words[2]);
      if (t < 0)
        return FALSE;
      p = stt_lm_values_get (&lm->tprob, (guint32) t);
    }
  }
  if (prob)
    *prob = p;
  if (backoff)
    *backoff = b;
  return TRUE;
}

void
stt_lm_foreach_ngram (const SttLm *lm, guint n, SttLmNgramFunc func, gpointer user_data)
{
  SttLmWord w[STT_LM_MAX_ORDER];
  if (n < 1 || n > lm->order)
    return;
  for (guint32 a = 0; a < lm->n[1]; a++) {
    w[0] = (SttLmWord) a;
    if (n == 1) {
      if (!func (w, 1, lm->uprob[a], lm->order > 1 ? lm->ubo[a] : 0, user_data))
        return;
      continue;
    }
    for (guint32 j = lm->unext[a]; j < lm->unext[a + 1]; j++) {
      w[1] = (SttLmWord) lm->bword[j];
      if (n == 2) {
        if (!func (w, 2, stt_lm_values_get (&lm->bprob, j),
                lm->order > 2 ? stt_lm_values_get (&lm->bbo, j) : 0, user_data))
          return;
        continue;
      }
      for (guint32 t = lm->bnext[j]; t < lm->bnext[j + 1]; t++) {
        w[2] = (SttLmWord) lm->tword[t];
        if (!func (w, 3, stt_lm_values_get (&lm->tprob, t), 0, user_data))
          return;
      }
    }
  }
}

/* ---- loading and writing ------------------------------------------------------------------- */
static SttLmFormat
detect (const guint8 *data, gsize size)
{
  if (size >= 8 && memcmp (data, STT_LM_MAGIC, 8) == 0)
    return STT_LM_FORMAT_OWN;
  if (size >= 19 && memcmp (data, "Trie Language Model", 19) == 0)
    return STT_LM_FORMAT_SPHINX_TRIE;
  return STT_LM_FORMAT_ARPA;
}

SttLm *
stt_lm_load (const char *path, SttLmFormat format, GError **error)
{
  GError *err = NULL;
  g_autoptr (GMappedFile) map = g_mapped_file_new (path, FALSE, &err);
  if (!map) {
    g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_IO, "cannot open the LM %s: %s", path,
        err->message);
    g_error_free (err);
    return NULL;
  }
  g_autoptr (GBytes) bytes = g_mapped_file_get_bytes (map);
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  if (!data)
    data = (const guint8 *) "";
  if (format == STT_LM_FORMAT_AUTO)
    format = detect (data, size);
  if (format == STT_LM_FORMAT_OWN)
    return stt_lm_new_from_bytes (bytes, path, error);

  SttLmBuilder *b = format == STT_LM_FORMAT_SPHINX_TRIE
      ? stt_lm_read_sphinx_trie (data, size, path, error)
      : stt_lm_read_arpa ((const char *) data, size, path, error);
  if (!b)
    return NULL;
  if (b->dropped->len)
    g_info ("%s: %u n-grams left out because sphinxbase's search cannot reach them (unsorted "
        "trie ranges), e.g. \"%s\"", path, b->dropped->len,
        (const char *) g_ptr_array_index (b->dropped, 0));
  g_autoptr (GBytes) image = stt_lm_builder_to_bytes (b, path, error);
  stt_lm_builder_free (b);
  if (!image)
    return NULL;
  return stt_lm_new_from_bytes (image, path, error);
}

gboolean
stt_lm_write (const SttLm *lm, const char *path, GError **error)
{
  gsize size;
  gconstpointer data = g_bytes_get_data (lm->bytes, &size);
  GError *err = NULL;
  /* g_file_set_contents_full writes a temporary file, fsyncs it and renames it into place */
  if (!g_file_set_contents_full (path, data, (gssize) size,
          G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, &err)) {
    g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_IO, "cannot write the LM %s: %s", path,
        err->message);
    g_error_free (err);
    return FALSE;
  }
  return TRUE;
}
