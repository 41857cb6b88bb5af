/* gst-stt — letter-to-sound search: the best segmentations of a word into graphones.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A beam search over letter positions: a hypothesis at position p has spelled the first p
 * letters with graphones and carries its n-gram state (a trie node, reduced to the longest
 * context that still has children). Hypotheses with the same state and the same phones so far
 * are merged (Viterbi); each position keeps the best G2P_BEAM. The pronunciations of the
 * complete hypotheses are then made distinct, the probabilities of their segmentations summed.
 */
#include "g2p-private.h"

#include <math.h>
#include <string.h>

#define G2P_BEAM 24
#define NO_HYP G_MAXUINT32

typedef struct {
  guint32 back;     /* previous hypothesis in the arena */
  guint32 node;     /* n-gram state: index at @level (level 0 = no context) */
  float score;
  guint32 phash;    /* hash of the phones so far */
  guint16 tok;
  guint16 n_phones;
  guint8 level;
} Hyp;

/* Reduce a state to the longest suffix that can still be extended. */
static inline void
reduce (const SttG2p *g, guint *k, guint32 *i)
{
  while (*k > 0 && (*k == g->order || g->level[*k].next[*i] == g->level[*k].next[*i + 1])) {
    if (*k == 1)
      *i = 0;
    else
      *i = g->level[*k].link[*i];
    (*k)--;
  }
}

/* log p(@tok | state), moving the state past @tok. */
static float
score_token (const SttG2p *g, guint *lvl, guint32 *node, guint tok)
{
  guint k = *lvl;
  guint32 i = *node;
  float s = 0.0f;
  for (;;) {
    if (k == 0) {
      i = tok;
      k = 1;
      break;
    }
    const SttG2pLevel *l = &g->level[k], *up = &g->level[k + 1];
    guint32 lo = l->next[i], hi = l->next[i + 1];
    while (lo < hi) {
      guint32 mid = lo + (hi - lo) / 2;
      if (up->token[mid] < tok)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo < l->next[i + 1] && up->token[lo] == tok) {
      i = lo;
      k++;
      break;
    }
    s += l->bow[i];
    i = k == 1 ? 0 : l->link[i];
    k--;
  }
  s += g->level[k].prob[i];
  reduce (g, &k, &i);
  *lvl = k;
  *node = i;
  return s;
}

static int
cmp_state (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const Hyp *arena = user_data, *x = &arena[*(const guint32 *) a], *y = &arena[*(const guint32 *) b];
  if (x->level != y->level)
    return x->level < y->level ? -1 : 1;
  if (x->node != y->node)
    return x->node < y->node ? -1 : 1;
  if (x->n_phones != y->n_phones)
    return x->n_phones < y->n_phones ? -1 : 1;
  if (x->phash != y->phash)
    return x->phash < y->phash ? -1 : 1;
  return x->score > y->score ? -1 : x->score < y->score;
}

static int
cmp_score (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const Hyp *arena = user_data, *x = &arena[*(const guint32 *) a], *y = &arena[*(const guint32 *) b];
  return x->score > y->score ? -1 : x->score < y->score;
}

/* Merge hypotheses of equal state and phones, keep the best @beam. */
static void
prune (GArray *list, const Hyp *arena, guint beam)
{
  if (list->len < 2)
    return;
  g_array_sort_with_data (list, cmp_state, (gpointer) arena);
  guint n = 1;
  guint32 *ids = (guint32 *) list->data;
  for (guint i = 1; i < list->len; i++) {
    const Hyp *x = &arena[ids[n - 1]], *y = &arena[ids[i]];
    if (x->level == y->level && x->node == y->node && x->n_phones == y->n_phones
        && x->phash == y->phash)
      continue;
    ids[n++] = ids[i];
  }
  g_array_set_size (list, n);
  g_array_sort_with_data (list, cmp_score, (gpointer) arena);
  if (list->len > beam)
    g_array_set_size (list, beam);
}

static void
extend (const SttG2p *g, GArray *arena, guint32 from, const guint16 *letters, guint n_letters,
    guint p, GArray **lists)
{
  Hyp h = g_array_index (arena, Hyp, from);
  guint a = letters[p];
  for (guint32 gi = g->by_letter[a]; gi < g->by_letter[a + 1]; gi++) {
    const SttG2pGraphone *gr = &g->graphones[gi];
    if (gr->n_letters == 2 && (p + 1 >= n_letters || gr->letters[1] != letters[p + 1]))
      continue;
    Hyp x = { .back = from, .tok = (guint16) (gi + G2P_FIRST), .level = h.level,
      .node = h.node, .phash = h.phash, .n_phones = h.n_phones + gr->n_phones };
    guint lvl = h.level;
    x.score = h.score + score_token (g, &lvl, &x.node, x.tok);
    x.level = (guint8) lvl;
    for (guint k = 0; k < gr->n_phones; k++)
      x.phash = x.phash * 1000003u + gr->phones[k] + 1;
    guint32 id = arena->len;
    g_array_append_val (arena, x);
    g_array_append_val (lists[p + gr->n_letters], id);
  }
}

static SttG2pPron *
make_pron (const SttG2p *g, const GArray *arena, guint32 id, double score)
{
  const Hyp *h = &g_array_index (arena, Hyp, id);
  SttG2pPron *pron = g_new0 (SttG2pPron, 1);
  pron->phones = g_new0 (char *, h->n_phones + 1);
  pron->score = score;
  guint k = h->n_phones;
  for (; h->back != NO_HYP; h = &g_array_index (arena, Hyp, h->back)) {
    const SttG2pGraphone *gr = &g->graphones[h->tok - G2P_FIRST];
    for (guint j = gr->n_phones; j-- > 0;)
      pron->phones[--k] = g_strdup (stt_strings_get (&g->phones, gr->phones[j]));
  }
  return pron;
}

static gboolean
same_phones (const SttG2pPron *a, const SttG2pPron *b)
{
  return g_strv_equal ((const char *const *) a->phones, (const char *const *) b->phones);
}

static int
cmp_pron (gconstpointer a, gconstpointer b)
{
  const SttG2pPron *x = *(SttG2pPron *const *) a, *y = *(SttG2pPron *const *) b;
  return x->score > y->score ? -1 : x->score < y->score;
}

GPtrArray *
stt_g2p_pronounce (const SttG2p *g2p, const char *word, guint n, GError **error)
{
  guint n_letters;
  g_autofree guint16 *letters = stt_g2p_word_letters (g2p, word, &n_letters, error);
  if (!letters)
    return NULL;
  guint beam = MAX (G2P_BEAM, 4 * MIN (n, 1000));
  GArray *arena = g_array_sized_new (FALSE, FALSE, sizeof (Hyp), 1024);
  GArray **lists = g_new (GArray *, n_letters + 1);
  for (guint p = 0; p <= n_letters; p++)
    lists[p] = g_array_new (FALSE, FALSE, sizeof (guint32));
  Hyp root = { .back = NO_HYP, .tok = G2P_BOS, .level = 1, .node = G2P_BOS };
  guint lvl = 1;
  reduce (g2p, &lvl, &root.node);
  root.level = (guint8) lvl;
  g_array_append_val (arena, root);
  guint32 zero = 0;
  g_array_append_val (lists[0], zero);
  for (guint p = 0; p < n_letters; p++) {
    prune (lists[p], (const Hyp *) arena->data, beam);
    for (guint i = 0; i < lists[p]->len; i++)
      extend (g2p, arena, g_array_index (lists[p], guint32, i), letters, n_letters, p, lists);
  }
  GArray *final = lists[n_letters];
  for (guint i = 0; i < final->len; i++) {
    Hyp *h = &g_array_index (arena, Hyp, g_array_index (final, guint32, i));
    guint k = h->level;
    guint32 node = h->node;
    h->score += score_token (g2p, &k, &node, G2P_EOS);
  }
  prune (final, (const Hyp *) arena->data, beam);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_g2p_pron_free);
  for (guint i = 0; i < final->len; i++) {
    guint32 id = g_array_index (final, guint32, i);
    SttG2pPron *pron = make_pron (g2p, arena, id, g_array_index (arena, Hyp, id).score);
    SttG2pPron *dup = NULL;
    for (guint j = 0; j < out->len && !dup; j++)
      if (same_phones (out->pdata[j], pron))
        dup = out->pdata[j];
    if (dup) {
      double hi = MAX (dup->score, pron->score), lo = MIN (dup->score, pron->score);
      dup->score = hi + log1p (exp (lo - hi));
      stt_g2p_pron_free (pron);
    } else
      g_ptr_array_add (out, pron);
  }
  g_ptr_array_sort (out, cmp_pron);
  if (out->len > n)
    g_ptr_array_set_size (out, n);
  for (guint p = 0; p <= n_letters; p++)
    g_array_unref (lists[p]);
  g_free (lists);
  g_array_unref (arena);
  if (out->len == 0 && n > 0) {
    g_set_error (error, STT_G2P_ERROR, STT_G2P_ERROR_WORD, "the letter-to-sound model %s has "
        "no graphone sequence that spells \"%s\"", g2p->name, word);
    g_ptr_array_unref (out);
    return NULL;
  }
  return out;
}

void
stt_g2p_pron_free (SttG2pPron *pron)
{
  if (!pron)
    return;
  g_strfreev (pron->phones);
  g_free (pron);
}
