/* gst-stt — estimating an n-gram LM from text: interpolated modified Kneser-Ney.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Chen & Goodman (1998), as KenLM's lmplz computes it:
 * - counts: every n-gram of every sentence "<s> w1 ... wk </s>"; the highest order keeps raw
 *   counts, lower orders use continuation counts a(g) = number of distinct words seen before
 *   g, except n-grams starting with <s>, which keep raw counts;
 * - discounts per order: Y = t1/(t1+2 t2), D1 = 1-2Y t2/t1, D2 = 2-3Y t3/t2, D3+ = 3-4Y t4/t3
 *   from the counts of counts t1..t4 of a(); when some t is 0 or a discount leaves its range
 *   (tiny corpora), every discount of that order is Y (0.5 if t1 or t2 is 0);
 * - p(w|h) = (a(hw) - D(a(hw))) / S(h) + gamma(h) p(w|h'), S(h) = sum of a(hx),
 *   gamma(h) = (D1 N1(h) + D2 N2(h) + D3 N3+(h)) / S(h); unigrams interpolate with the uniform
 *   distribution over the vocabulary without <s> (which includes <unk>);
 * - as a backoff LM: stored n-grams carry p(w|h), contexts carry backoff gamma(h) (exact for
 *   interpolated models); <s> gets log10 p = -99 as in ARPA files.
 */
#include "lm-private.h"

#include <math.h>
#include <string.h>

#define BOS 0
#define EOS 1
#define UNK 2

/* Split @text into sentences of word ids and add every n-gram window. */
static gboolean
count (const char *text, gsize len, guint order, GPtrArray *words, SttLmGramTable *tables,
    GError **error)
{
  GHashTable *ids = g_hash_table_new (g_str_hash, g_str_equal);
  const char *const fixed[] = { "<s>", "</s>", "<unk>" };
  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++) {
    g_ptr_array_add (words, g_strdup (fixed[i]));
    g_hash_table_insert (ids, g_ptr_array_index (words, i), GUINT_TO_POINTER (i + 1));
  }
  GArray *sent = g_array_new (FALSE, FALSE, sizeof (guint32));
  const char *p = text, *end = text + len;
  guint line = 0;
  gboolean ok = TRUE;
  while (p < end && ok) {
    const char *nl = memchr (p, '\n', (gsize) (end - p));
    const char *e = nl ? nl : end;
    line++;
    g_array_set_size (sent, 0);
    guint32 bos = BOS;
    g_array_append_val (sent, bos);
    while (p < e) {
      while (p < e && g_ascii_isspace (*p))
        p++;
      const char *w = p;
      while (p < e && !g_ascii_isspace (*p))
        p++;
      if (p == w)
        break;
      char *word = g_strndup (w, (gsize) (p - w));
      if (!g_utf8_validate (word, -1, NULL) || strlen (word) != (gsize) (p - w)
          || strcmp (word, "<s>") == 0 || strcmp (word, "</s>") == 0) {
        g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_FORMAT, "line %u: \"%s\" is not a "
            "usable word (UTF-8, no NUL, not <s> or </s>: they are added)", line, word);
        g_free (word);
        ok = FALSE;
        break;
      }
      guint id = GPOINTER_TO_UINT (g_hash_table_lookup (ids, word));
      if (!id) {
        g_ptr_array_add (words, word);
        id = words->len;
        g_hash_table_insert (ids, word, GUINT_TO_POINTER (id));
      } else {
        g_free (word);
      }
      guint32 wid = id - 1;
      g_array_append_val (sent, wid);
    }
    p = nl ? nl + 1 : end;
    if (sent->len == 1)
      continue;   /* empty line */
    guint32 eos = EOS;
    g_array_append_val (sent, eos);
    const guint32 *s = (const guint32 *) sent->data;
    for (guint n = 1; n <= order; n++)
      for (guint i = 0; i + n <= sent->len; i++) {
        SttLmGram g = { { 0 }, 1, 0, 0, 1 };
        memcpy (g.w, s + i, n * sizeof (guint32));
        g_array_append_val (tables[n].g, g);
      }
  }
  g_array_unref (sent);
  g_hash_table_unref (ids);
  return ok;
}

/* Continuation counts of the lower orders, from the next order's distinct n-grams. */
static void
adjust (SttLmGramTable *tables, guint order)
{
  for (guint n = 1; n <= order; n++)
    for (guint i = 0; i < tables[n].g->len; i++) {
      SttLmGram *g = &g_array_index (tables[n].g, SttLmGram, i);
      g->adj = (n == order || g->w[0] == BOS) ? g->raw : 0;
    }
  for (guint n = 2; n <= order; n++)
    for (guint i = 0; i < tables[n].g->len; i++) {
      SttLmGram *g = &g_array_index (tables[n].g, SttLmGram, i);
      SttLmGram *suffix = stt_lm_gram_lookup (&tables[n - 1], g->w + 1);
      if (suffix->w[0] != BOS)
        suffix->adj++;
    }
}

static void
discounts (SttLmGramTable *t)
{
  double c[5] = { 0 };
  for (guint i = 0; i < t->g->len; i++) {
    SttLmGram *g = &g_array_index (t->g, SttLmGram, i);
    if (g->adj >= 1 && g->adj <= 4 && !(t->n == 1 && g->w[0] == BOS))
      c[g->adj]++;
  }
  double y = c[1] > 0 && c[2] > 0 ? c[1] / (c[1] + 2 * c[2]) : 0.5;
  gboolean ok = c[1] > 0 && c[2] > 0 && c[3] > 0 && c[4] > 0;
  if (ok) {
    t->d[1] = 1 - 2 * y * c[2] / c[1];
    t->d[2] = 2 - 3 * y * c[3] / c[2];
    t->d[3] = 3 - 4 * y * c[4] / c[3];
    for (guint k = 1; k <= 3; k++)
      ok = ok && t->d[k] > 0 && t->d[k] < k;
  }
  if (!ok)
    t->d[1] = t->d[2] = t->d[3] = y;
}

static double
discount (const SttLmGramTable *t, guint32 a)
{
  return t->d[MIN (a, 3)];
}

/* Probabilities of order @n and the backoffs of order n-1 (contexts: runs of equal prefix). */
static void
estimate (SttLmGramTable *tables, guint n, guint n_words)
{
  SttLmGramTable *t = &tables[n];
  guint i = 0;
  while (i < t->g->len) {
    guint j = i;
    double sum = 0, nk[4] = { 0 };
    const guint32 *h = g_array_index (t->g, SttLmGram, i).w;
    for (; j < t->g->len
        && stt_lm_gram_cmp (g_array_index (t->g, SttLmGram, j).w, h, n - 1) == 0; j++) {
      SttLmGram *g = &g_array_index (t->g, SttLmGram, j);
      if (n == 1 && g->w[0] == BOS)
        continue;
      sum += g->adj;
      nk[MIN (g->adj, 3)] += g->adj > 0;
    }
    double gamma = sum > 0 ? (t->d[1] * nk[1] + t->d[2] * nk[2] + t->d[3] * nk[3]) / sum : 1;
    for (guint k = i; k < j; k++) {
      SttLmGram *g = &g_array_index (t->g, SttLmGram, k);
      double lower = n == 1 ? 1.0 / (n_words - 1)
          : stt_lm_gram_lookup (&tables[n - 1], g->w + 1)->prob;
      double own = g->adj > 0 ? (g->adj - discount (t, g->adj)) / sum : 0;
      g->prob = (n == 1 && g->w[0] == BOS) ? 0 : own + gamma * lower;
    }
    if (n > 1)
      stt_lm_gram_lookup (&tables[n - 1], h)->bow = gamma;
    i = j;
  }
}

SttLm *
stt_lm_train (const char *text, gsize len, guint order, GError **error)
{
  if (order < 1 || order > STT_LM_MAX_ORDER) {
    g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_UNSUPPORTED, "order %u: orders 1 to %d "
        "are supported", order, STT_LM_MAX_ORDER);
    return NULL;
  }
  SttLmGramTable tables[STT_LM_MAX_ORDER + 1] = { { 0 } };
  for (guint n = 1; n <= order; n++) {
    tables[n].g = g_array_new (FALSE, FALSE, sizeof (SttLmGram));
    tables[n].n = n;
  }
  SttLmBuilder *b = stt_lm_builder_new (order);
  SttLm *lm = NULL;
  if (!count (text, len, order, b->words, tables, error))
    goto out;
  guint n_words = b->words->len;
  if (n_words <= 3) {
    g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_FORMAT, "the text has no words");
    goto out;
  }
  /* every vocabulary word is a unigram, seen or not (<unk>): entries of count 0 */
  for (guint32 w = 0; w < n_words; w++) {
    SttLmGram g = { { w }, 0, 0, 0, 1 };
    g_array_append_val (tables[1].g, g);
  }
  for (guint n = 1; n <= order; n++)
    stt_lm_gram_table_sort (&tables[n]);
  adjust (tables, order);
  for (guint n = 1; n <= order; n++) {
    discounts (&tables[n]);
    estimate (tables, n, n_words);
  }
  lm = stt_lm_from_grams (b, tables, "(trained LM)", error);
out:
  for (guint n = 1; n <= order; n++)
    g_array_unref (tables[n].g);
  stt_lm_builder_free (b);
  return lm;
}
