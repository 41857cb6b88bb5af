/* gst-stt — rescoring a word lattice: N-best with exact trigram histories, word posteriors.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Path score = Σ ascr + Σ_words (lw · ln P(w | h) + wip) + fillers' penalties + lw · ln P(</s>),
 * as the first pass (docs/lattice.md), with P the rescoring LM. The N-best search keeps, per
 * node, the K best partial paths with distinct word sequences and their exact two-word
 * histories, so the best path is exact unless more than K distinct sequences beat it at a
 * node. Posteriors come from forward-backward over the lattice with each edge scored in the
 * history of its source's best predecessor chain (as pocketsphinx's bestpath), scaled 1/lw.
 */
#include "rescore-private.h"

#include <stt/topk.h>
#include <string.h>

#define SILENCE_PENALTY (-5.298317366548036)  /* ln 0.005 */
#define FILLER_PENALTY (-18.420680743952367)  /* ln 1e-8 */
#define UNKNOWN_LN (-50.0)                     /* a word no LM knows */
#define MIN_K 16                               /* partial paths kept per node */

typedef struct {
  gint32 b, o;                  /* id in the base LM, in the own LM; -1 = unknown/none */
} Ids;

typedef struct {
  const RescoreLm *lm;
  RescoreParams p;
  RescoreLattice *l;
  Ids *ids;                     /* per node */
  Ids bos, eos, none;
} Ctx;

static inline double
logadd (double a, double b)
{
  if (a < b) {
    double t = a;
    a = b;
    b = t;
  }
  return b <= -1e29 ? a : a + log1p (exp (b - a));
}

static Ids
word_ids (const RescoreLm *lm, const char *w)
{
  Ids id = { lm->base ? stt_lm_word_id (lm->base, w) : -1,
    lm->own ? stt_lm_word_id (lm->own, w) : -1 };
  return id;
}

static double
raw_ln (const SttLm *lm, gint32 w, gint32 h1, gint32 h2)
{
  if (!lm || w < 0)
    return -1e30;
  gint32 raw = stt_lm_score (lm, w, h1, h2);
  return raw <= STT_LM_LOGZERO ? -1e30 : stt_lm_raw_to_ln (raw);
}

/* ln P(w | h1 h2) under the mixture. */
static double
lm_ln (const Ctx *c, Ids w, Ids h1, Ids h2)
{
  double lambda = c->p.lambda;
  double v;
  if (lambda <= 0)
    v = raw_ln (c->lm->base, w.b, h1.b, h2.b);
  else if (lambda >= 1)
    v = raw_ln (c->lm->own, w.o, h1.o, h2.o);
  else
    v = logadd (log (lambda) + raw_ln (c->lm->own, w.o, h1.o, h2.o),
        log1p (-lambda) + raw_ln (c->lm->base, w.b, h1.b, h2.b));
  return MAX (v, UNKNOWN_LN);
}

/* Score of entering node @n after history (h1, h2). */
static double
term (const Ctx *c, guint n, Ids h1, Ids h2)
{
  const LatNode *x = &c->l->nodes[n];
  if (x->filler)
    return strcmp (x->word, "<sil>") == 0 ? SILENCE_PENALTY : FILLER_PENALTY;
  return c->p.lm_weight * lm_ln (c, c->ids[n], h1, h2) + c->p.wip;
}

static double
end_term (const Ctx *c, Ids h1, Ids h2)
{
  return c->p.lm_weight * lm_ln (c, c->eos, h1, h2);
}

static void
history_after (const Ctx *c, guint n, Ids h1, Ids h2, Ids *o1, Ids *o2)
{
  if (c->l->nodes[n].filler) {
    *o1 = h1;
    *o2 = h2;
  } else {
    *o1 = c->ids[n];
    *o2 = h1;
  }
}

static void
ctx_init (Ctx *c, const RescoreLm *lm, const RescoreParams *params)
{
  c->lm = lm;
  c->p = *params;
  if (!lm->own)
    c->p.lambda = 0;
  else if (!lm->base)
    c->p.lambda = 1;
  c->bos = word_ids (lm, "<s>");
  c->eos = word_ids (lm, "</s>");
  c->none.b = c->none.o = STT_LM_NO_WORD;
}

double
rescore_lm_sentence (const RescoreLm *lm, const RescoreParams *params,
    const char *const *words, guint n)
{
  Ctx c = { 0 };
  ctx_init (&c, lm, params);
  Ids h1 = c.bos, h2 = c.none;
  double sum = 0;
  for (guint i = 0; i < n; i++) {
    Ids w = word_ids (lm, words[i]);
    sum += lm_ln (&c, w, h1, h2);
    h2 = h1;
    h1 = w;
  }
  return sum + lm_ln (&c, c.eos, h1, h2);
}

/* ---- posteriors ------------------------------------------------------------------------- */

typedef struct {
  double fv, fa, ba, post;
  Ids h1, h2;
} Fb;

static double
forward_backward (const Ctx *c, Fb *fb)
{
  const RescoreLattice *l = c->l;
  double scale = 1.0 / c->p.lm_weight, total = -1e30;
  for (guint k = 0; k < l->n_nodes; k++) {
    guint i = l->order[k];
    const LatNode *b = &l->nodes[i];
    Fb *f = &fb[i];
    f->fv = f->fa = f->ba = -1e30;
    Ids h1 = c->bos, h2 = c->none;
    if (b->is_start) {
      f->fv = b->ascr + term (c, i, c->bos, c->none);
      f->fa = scale * f->fv;
    }
    for (guint j = 0; j < b->n_pred; j++) {
      const Fb *a = &fb[b->pred[j]];
      if (a->fv <= -1e29)
        continue;
      double w = b->ascr + term (c, i, a->h1, a->h2);
      if (a->fv + w > f->fv) {
        f->fv = a->fv + w;
        h1 = a->h1;
        h2 = a->h2;
      }
      f->fa = logadd (f->fa, a->fa + scale * w);
    }
    history_after (c, i, h1, h2, &f->h1, &f->h2);
    if (b->is_final && f->fv > -1e29) {
      f->ba = scale * end_term (c, f->h1, f->h2);
      total = logadd (total, f->fa + f->ba);
    }
  }
  for (guint k = l->n_nodes; k > 0; k--) {
    guint i = l->order[k - 1];
    const LatNode *b = &l->nodes[i];
    if (fb[i].ba <= -1e29)
      continue;
    for (guint j = 0; j < b->n_pred; j++) {
      Fb *a = &fb[b->pred[j]];
      if (a->fv > -1e29)
        a->ba = logadd (a->ba, scale * (b->ascr + term (c, i, a->h1, a->h2)) + fb[i].ba);
    }
  }
  for (guint i = 0; i < l->n_nodes; i++)
    fb[i].post = total > -1e29 && fb[i].ba > -1e29 && fb[i].fa > -1e29 ?
        exp (MIN (0.0, fb[i].fa + fb[i].ba - total)) : 0.0;
  return total;
}

/* Posterior that word @n's word is spoken at its middle frame. */
static double
confidence (const RescoreLattice *l, const Fb *fb, guint n)
{
  const LatNode *x = &l->nodes[n];
  gint32 mid = (x->start + x->end) / 2;
  double sum = 0;
  for (guint i = 0; i < l->n_nodes; i++) {
    const LatNode *y = &l->nodes[i];
    if (y->word == x->word && y->start <= mid && y->end >= mid)
      sum += fb[i].post;
  }
  return MIN (sum, 1.0);
}

/* ---- N-best ------------------------------------------------------------------------------ */

typedef struct {
  double score;
  double ac, lm;                /* acoustic + filler penalties; Σ ln P of the words */
  gint32 node, prev;            /* prev: entry index, -1 at the start */
  Ids h1, h2;
  guint64 hash;                 /* of the non-filler word sequence */
} Entry;

static guint64
hash_word (guint64 h, const char *word)
{
  return (h ^ (guint64) (guintptr) word) * 0x100000001b3ull + 0x9e3779b97f4a7c15ull;
}


static void
extend (const Ctx *c, GArray *entries, gint32 *list, guint k, guint n, gint32 prev)
{
  Entry p = { 0, 0, 0, -1, -1, c->bos, c->none, 0 };
  if (prev >= 0)
    p = g_array_index (entries, Entry, prev);
  const LatNode *x = &c->l->nodes[n];
  double t = term (c, n, p.h1, p.h2);
  Entry e = { p.score + x->ascr + t, p.ac + x->ascr, p.lm, n, prev, { 0, 0 }, { 0, 0 },
    p.hash };
  history_after (c, n, p.h1, p.h2, &e.h1, &e.h2);
  if (x->filler)
    e.ac += t;
  else {
    e.lm += lm_ln (c, c->ids[n], p.h1, p.h2);
    e.hash = hash_word (p.hash, x->word);
  }
  stt_topk_insert (entries, list, k, &e, G_STRUCT_OFFSET (Entry, score),
      G_STRUCT_OFFSET (Entry, hash));
}

static void
path_free (gpointer p)
{
  RescorePath *path = p;
  g_array_unref (path->words);
  g_free (path);
}

static RescorePath *
make_path (const Ctx *c, GArray *entries, const Fb *fb, gint32 final)
{
  RescorePath *path = g_new0 (RescorePath, 1);
  path->words = g_array_new (FALSE, FALSE, sizeof (RescoreWord));
  const Entry *fe = &g_array_index (entries, Entry, final);
  path->score = fe->score;
  path->acoustic_score = fe->ac;
  path->lm_score = fe->lm;
  for (gint32 e = g_array_index (entries, Entry, final).prev; e >= 0;
      e = g_array_index (entries, Entry, e).prev) {
    gint32 n = g_array_index (entries, Entry, e).node;
    const LatNode *x = &c->l->nodes[n];
    if (x->filler)
      continue;
    RescoreWord w = { x->word, x->start, x->end, confidence (c->l, fb, n) };
    g_array_prepend_val (path->words, w);
  }
  return path;
}

GPtrArray *
rescore_lattice_nbest (RescoreLattice *l, const RescoreLm *lm, const RescoreParams *params,
    guint n)
{
  Ctx c = { 0 };
  ctx_init (&c, lm, params);
  c.l = l;
  c.ids = g_new (Ids, MAX (l->n_nodes, 1));
  for (guint i = 0; i < l->n_nodes; i++)
    c.ids[i] = l->nodes[i].filler ? c.none : word_ids (lm, l->nodes[i].word);

  GPtrArray *out = g_ptr_array_new_with_free_func (path_free);
  Fb *fb = g_new0 (Fb, MAX (l->n_nodes, 1));
  guint k = MAX (n, MIN_K);
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  gint32 *lists = g_new (gint32, (gsize) MAX (l->n_nodes, 1) * k);
  memset (lists, 0xff, sizeof (gint32) * MAX (l->n_nodes, 1) * k);
  gint32 *final = g_new (gint32, k);
  memset (final, 0xff, sizeof (gint32) * k);
  if (n == 0 || forward_backward (&c, fb) <= -1e29)
    goto done;
  for (guint s = 0; s < l->n_nodes; s++) {
    guint i = l->order[s];
    const LatNode *b = &l->nodes[i];
    gint32 *list = lists + (gsize) i * k;
    if (b->is_start)
      extend (&c, entries, list, k, i, -1);
    for (guint j = 0; j < b->n_pred; j++) {
      const gint32 *pl = lists + (gsize) b->pred[j] * k;
      for (guint r = 0; r < k && pl[r] >= 0; r++)
        extend (&c, entries, list, k, i, pl[r]);
    }
    for (guint r = 0; b->is_final && r < k && list[r] >= 0; r++) {
      Entry e = g_array_index (entries, Entry, list[r]);
      e.score += end_term (&c, e.h1, e.h2);
      e.lm += lm_ln (&c, c.eos, e.h1, e.h2);
      e.prev = list[r];
      stt_topk_insert (entries, final, k, &e, G_STRUCT_OFFSET (Entry, score),
          G_STRUCT_OFFSET (Entry, hash));
    }
  }
  for (guint r = 0; r < n && r < k && final[r] >= 0; r++)
    g_ptr_array_add (out, make_path (&c, entries, fb, final[r]));
done:
  g_free (final);
  g_free (lists);
  g_array_unref (entries);
  g_free (fb);
  g_free (c.ids);
  return out;
}
