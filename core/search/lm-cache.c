/* gst-stt — the search's view of the LM: word-id map and a cache of weighted scores.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "search-private.h"

SttSearchLmMap *
stt_search_lm_map_new (const SttGraph *g, const SttSearchLm *lm, GError **error)
{
  SttSearchLmMap *map = g_new0 (SttSearchLmMap, 1);
  map->lm_id = g_new (gint32, g->n_word);
  guint known = 0, real = 0;
  for (guint w = 0; w < g->n_word; w++) {
    map->lm_id[w] = -1;
    if (g->word[w].flags & STT_GRAPH_WORD_FILLER)
      continue;
    real++;
    map->lm_id[w] = lm->word_id (lm->data, g->text + g->word[w].text);
    if (map->lm_id[w] >= 0)
      known++;
  }
  if (lm->bos < 0 || lm->eos < 0 || (real > 0 && known == 0)) {
    g_set_error (error, STT_SEARCH_ERROR, STT_SEARCH_ERROR_LM,
        "the language model knows none of the decoding graph's %u words (or lacks <s>/</s>); "
        "the graph and LM must come from the same model", real);
    stt_search_lm_map_free (map);
    return NULL;
  }
  /* Children have higher ids than their parents (breadth-first layout). */
  map->lookahead = g_new (float, g->n_node);
  for (guint i = g->n_node; i > 0; i--) {
    const SttGraphNode *n = &g->node[i - 1];
    float la = STT_LA_NONE;
    if (n->word >= 0) {
      if (g->word[n->word].flags & STT_GRAPH_WORD_FILLER)
        la = 0;
      else if (map->lm_id[n->word] >= 0)
        la = lm->score (lm->data, map->lm_id[n->word], -1, -1);
    }
    for (guint32 c = n->first_child; c < n->first_child + n->n_child; c++)
      la = MAX (la, map->lookahead[c]);
    map->lookahead[i - 1] = la;
  }
  return map;
}

void
stt_search_lm_map_free (SttSearchLmMap *map)
{
  if (!map)
    return;
  g_free (map->lm_id);
  g_free (map->lookahead);
  g_free (map);
}

void
stt_lm_cache_init (SttLmCache *c, const SttSearchLm *lm, float lw, float wip, guint bits)
{
  c->lm = lm;
  c->lw = lw;
  c->wip = wip;
  if (c->entries && c->bits != bits)
    g_clear_pointer (&c->entries, g_free);
  c->bits = bits;
  if (!c->entries)
    c->entries = g_new (SttLmCacheEntry, 1u << bits);
  stt_lm_cache_clear (c);
}

void
stt_lm_cache_clear (SttLmCache *c)
{
  for (guint i = 0; i < (1u << c->bits); i++)
    c->entries[i].w = -2;
}

float
stt_lm_cache_score (SttLmCache *c, gint32 w, gint32 h1, gint32 h2)
{
  guint32 h = (guint32) w * 2654435761u ^ (guint32) h1 * 40503u ^ (guint32) h2 * 2246822519u;
  SttLmCacheEntry *e = &c->entries[(h ^ (h >> 16)) & ((1u << c->bits) - 1)];
  if (e->w != w || e->h1 != h1 || e->h2 != h2) {
    e->w = w;
    e->h1 = h1;
    e->h2 = h2;
    e->score = c->lw * c->lm->score (c->lm->data, w, h1, h2) + c->wip;
  }
  return e->score;
}
