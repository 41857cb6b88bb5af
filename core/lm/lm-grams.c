/* gst-stt — sorted n-gram tables shared by the LM estimators (training, mixing).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "lm-private.h"

#include <math.h>
#include <string.h>

int
stt_lm_gram_cmp (const guint32 *a, const guint32 *b, guint n)
{
  for (guint k = 0; k < n; k++)
    if (a[k] != b[k])
      return a[k] < b[k] ? -1 : 1;
  return 0;
}

SttLmGram *
stt_lm_gram_lookup (const SttLmGramTable *t, const guint32 *w)
{
  guint lo = 0, hi = t->g->len;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    SttLmGram *g = &g_array_index (t->g, SttLmGram, mid);
    int c = stt_lm_gram_cmp (g->w, w, t->n);
    if (c == 0)
      return g;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

static int
cmp_grams (gconstpointer a, gconstpointer b, gpointer n)
{
  return stt_lm_gram_cmp (((const SttLmGram *) a)->w, ((const SttLmGram *) b)->w,
      GPOINTER_TO_UINT (n));
}

void
stt_lm_gram_table_sort (SttLmGramTable *t)
{
  g_qsort_with_data (t->g->data, (gint) t->g->len, sizeof (SttLmGram), cmp_grams,
      GUINT_TO_POINTER (t->n));
  guint k = 0;
  for (guint i = 0; i < t->g->len; i++) {
    SttLmGram *g = &g_array_index (t->g, SttLmGram, i);
    if (k > 0 && stt_lm_gram_cmp (g_array_index (t->g, SttLmGram, k - 1).w, g->w, t->n) == 0)
      g_array_index (t->g, SttLmGram, k - 1).raw += g->raw;
    else
      g_array_index (t->g, SttLmGram, k++) = *g;
  }
  g_array_set_size (t->g, k);
}

/* log10 p in raw units; p = 0 gives log10 p = -99 as ARPA files write it */
static float
to_raw (double p)
{
  if (!(p > 0))
    return (float) (-99 * STT_LM_RAW_PER_LOG10);
  return (float) (log10 (p) * STT_LM_RAW_PER_LOG10);
}

SttLm *
stt_lm_from_grams (SttLmBuilder *b, SttLmGramTable *tables, const char *name, GError **error)
{
  guint order = b->order;
  for (guint i = 0; i < b->words->len; i++) {
    SttLmGram *g = &g_array_index (tables[1].g, SttLmGram, i);
    float p = to_raw (g->prob), bo = order > 1 ? to_raw (g->bow) : 0;
    g_array_append_val (b->uprob, p);
    g_array_append_val (b->ubo, bo);
  }
  for (guint n = 2; n <= order; n++)
    for (guint i = 0; i < tables[n].g->len; i++) {
      SttLmGram *g = &g_array_index (tables[n].g, SttLmGram, i);
      SttLmEntry e = { { 0 }, to_raw (g->prob), n < order ? to_raw (g->bow) : 0 };
      memcpy (e.w, g->w, sizeof e.w);
      g_array_append_val (b->ngrams[n], e);
    }
  GBytes *bytes = stt_lm_builder_to_bytes (b, name, error);
  if (!bytes)
    return NULL;
  SttLm *lm = stt_lm_new_from_bytes (bytes, name, error);
  g_bytes_unref (bytes);
  return lm;
}
