/* gst-stt — linear interpolation of two LMs into one backoff LM (static mixing).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The result stores the union of both models' n-grams. A stored n-gram "h w" gets
 * p(w|h) = weight pA(w|h) + (1 - weight) pB(w|h), each model's probability computed with its
 * own backoffs (0 when the model lacks w). A context h then gets the backoff that makes its
 * distribution sum to one:
 *   bow(h) = (1 - sum over stored hw of p(w|h)) / (1 - sum over the same w of p(w|h'))
 * with p(w|h') from the mixed model's lower orders. Unseen continuations therefore follow the
 * mixed lower order rather than the exact mixture, as in SRILM's `ngram -mix-lm`.
 */
#include "lm-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  const SttLm *lm;
  SttLmWord *id;          /* union word id -> this model's id (or -1) */
} Side;

typedef struct {
  SttLmGramTable *t;
  const Side *side;
} Collect;

static gboolean
collect (const SttLmWord *words, guint n, float prob, float backoff, gpointer data)
{
  Collect *c = data;
  SttLmGram g = { { 0 }, 0, 0, 0, 1 };
  for (guint k = 0; k < n; k++)
    g.w[k] = (guint32) c->side->id[words[k]];   /* here: model id -> union id */
  g_array_append_val (c->t->g, g);
  return TRUE;
}

/* Probability of union n-gram @w[0..n-1] (last word predicted) in one model. */
static double
model_prob (const Side *s, const guint32 *w, guint n)
{
  SttLmWord x = s->id[w[n - 1]];
  if (x < 0)
    return 0;
  SttLmWord h1 = n >= 2 ? s->id[w[n - 2]] : -1, h2 = n >= 3 ? s->id[w[n - 3]] : -1;
  float raw = stt_lm_score_float (s->lm, x, h1, h2);
  return pow (10.0, raw / STT_LM_RAW_PER_LOG10);
}

/* p(w | @h of @hn words) in the mixed model being built (orders below the current one). */
static double
mixed_prob (SttLmGramTable *tables, const guint32 *h, guint hn, guint32 w)
{
  guint32 g[STT_LM_MAX_ORDER];
  memcpy (g, h, hn * sizeof (guint32));
  g[hn] = w;
  SttLmGram *hit = stt_lm_gram_lookup (&tables[hn + 1], g);
  if (hit || hn == 0)
    return hit ? hit->prob : 0;
  SttLmGram *ctx = stt_lm_gram_lookup (&tables[hn], h);
  return (ctx ? ctx->bow : 1) * mixed_prob (tables, h + 1, hn - 1, w);
}

/* Backoffs of order @n's n-grams as contexts of order n+1 (runs of equal prefix). */
static void
backoffs (SttLmGramTable *tables, guint n)
{
  SttLmGramTable *t = &tables[n + 1];
  guint i = 0;
  while (i < t->g->len) {
    const guint32 *h = g_array_index (t->g, SttLmGram, i).w;
    double seen = 0, lower = 0;
    guint j = i;
    for (; j < t->g->len && stt_lm_gram_cmp (g_array_index (t->g, SttLmGram, j).w, h, n) == 0;
        j++) {
      SttLmGram *g = &g_array_index (t->g, SttLmGram, j);
      seen += g->prob;
      lower += mixed_prob (tables, h + 1, n - 1, g->w[n]);
    }
    /* a context whose stored words take (almost) all mass keeps a tiny backoff */
    stt_lm_gram_lookup (&tables[n], h)->bow = MAX (1 - seen, 1e-12) / MAX (1 - lower, 1e-12);
    i = j;
  }
}

SttLm *
stt_lm_interpolate (const SttLm *a, const SttLm *b, double weight, GError **error)
{
  if (!(weight >= 0 && weight <= 1)) {
    g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_UNSUPPORTED, "interpolation weight %g is "
        "not between 0 and 1", weight);
    return NULL;
  }
  guint order = MAX (stt_lm_get_order (a), stt_lm_get_order (b));
  SttLmBuilder *bld = stt_lm_builder_new (order);
  /* union vocabulary: A's words, then B's new ones */
  GHashTable *ids = g_hash_table_new (g_str_hash, g_str_equal);
  const SttLm *lms[2] = { a, b };
  SttLmWord *to_union[2];
  for (guint m = 0; m < 2; m++) {
    guint nw = stt_lm_get_n_words (lms[m]);
    to_union[m] = g_new (SttLmWord, nw);
    for (SttLmWord w = 0; w < (SttLmWord) nw; w++) {
      const char *s = stt_lm_word (lms[m], w);
      gpointer v = g_hash_table_lookup (ids, s);
      if (!v) {
        g_ptr_array_add (bld->words, g_strdup (s));
        v = GUINT_TO_POINTER (bld->words->len);
        g_hash_table_insert (ids, g_ptr_array_index (bld->words, bld->words->len - 1), v);
      }
      to_union[m][w] = (SttLmWord) GPOINTER_TO_UINT (v) - 1;
    }
  }
  guint nu = bld->words->len;
  Side sides[2];
  for (guint m = 0; m < 2; m++) {
    sides[m].lm = lms[m];
    sides[m].id = g_new (SttLmWord, nu);
    for (guint u = 0; u < nu; u++)
      sides[m].id[u] = stt_lm_word_id (lms[m], g_ptr_array_index (bld->words, u));
  }
  SttLmGramTable tables[STT_LM_MAX_ORDER + 1] = { { 0 } };
  for (guint n = 1; n <= order; n++) {
    tables[n].g = g_array_new (FALSE, FALSE, sizeof (SttLmGram));
    tables[n].n = n;
    for (guint m = 0; m < 2; m++) {
      Side to = { lms[m], to_union[m] };
      Collect c = { &tables[n], &to };
      stt_lm_foreach_ngram (lms[m], n, collect, &c);
    }
    stt_lm_gram_table_sort (&tables[n]);
    for (guint i = 0; i < tables[n].g->len; i++) {
      SttLmGram *g = &g_array_index (tables[n].g, SttLmGram, i);
      gboolean bos = n == 1 && strcmp (g_ptr_array_index (bld->words, g->w[0]), "<s>") == 0;
      g->prob = bos ? 0 : weight * model_prob (&sides[0], g->w, n)
          + (1 - weight) * model_prob (&sides[1], g->w, n);
    }
  }
  for (guint n = 1; n < order; n++)
    backoffs (tables, n);
  SttLm *lm = stt_lm_from_grams (bld, tables, "(interpolated LM)", error);
  for (guint n = 1; n <= order; n++)
    g_array_unref (tables[n].g);
  for (guint m = 0; m < 2; m++) {
    g_free (to_union[m]);
    g_free (sides[m].id);
  }
  g_hash_table_unref (ids);
  stt_lm_builder_free (bld);
  return lm;
}
