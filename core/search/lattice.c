/* gst-stt — word lattice of an utterance: best path and N-best with the trigram LM, word
 * posteriors by forward-backward, and the "stt-lattice-1" text form (docs/lattice.md).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Nodes are word instances (word, first frame, last frame) taken from every word exit of the
 * search's backpointer table (the search keeps one exit per word and frame, so every exit is a
 * node of its own). An edge joins A to B when B starts the frame after A ends. Forward-backward
 * uses, on each edge, the LM score given the history of A's best predecessor chain (as
 * pocketsphinx's bestpath does); the N-best search carries the exact two-word history of every
 * partial path.
 *
 * The lattice grows with the search: after every frame the frame's exits become nodes and get
 * their forward scores at once (their predecessors all ended earlier), so that ending a phrase
 * costs only the backward pass and not a pass over the whole phrase while a client waits for
 * its final. Nodes are therefore in order of their last frame, which is a topological order.
 */
#include "search-private.h"

#include <math.h>
#include <stt/topk.h>
#include <string.h>

/* The lattice's LM cache: 2^12 entries (64 KiB) live beside the search's 1 MiB one in every
 * stream while it speaks. */
#define LATTICE_CACHE_BITS 12

typedef struct {
  gint32 word;
  gint32 start, end;            /* utterance frames, inclusive */
  float ascr;
  gint32 h1, h2;                /* LM history after this node along its best predecessor */
  double fv, bv;                /* Viterbi forward (incl. this node) and backward scores */
  double fa, ba;                /* scaled log-sum forward / backward */
  double post;
  gboolean keep;                /* within the lattice beam */
} Node;

struct _SttLattice {
  SttGraph *graph;
  const SttSearchLm *lm;
  const SttSearchLmMap *map;
  SttSearchConfig cfg;
  SttLmCache cache;
  GArray *nodes;                /* Node, in order of their end frame */
  gint32 n_frames, last_end;
  gint64 first_frame;
  GArray **ends;                /* [ends_cap]: node ids ending at a frame */
  gint32 ends_cap;
  guint n_bp;                   /* backpointer entries made into nodes so far */
  double best, total;
  gboolean valid;               /* some path reaches last_end */
};

static inline gboolean
is_filler (const SttLattice *l, gint32 word)
{
  return (l->graph->word[word].flags & STT_GRAPH_WORD_FILLER) != 0;
}

/* Score of entering @word after history (h1,h2): LM or filler penalty. */
static float
term (SttLattice *l, gint32 word, gint32 h1, gint32 h2)
{
  const SttGraph *g = l->graph;
  if (is_filler (l, word))
    return (g->word[word].flags & STT_GRAPH_WORD_SILENCE) ? l->cfg.silence_penalty
        : l->cfg.filler_penalty;
  gint32 id = l->map->lm_id[word];
  return id < 0 ? STT_SEARCH_WORST : stt_lm_cache_score (&l->cache, id, h1, h2);
}

static void
history_after (const SttLattice *l, gint32 word, gint32 h1, gint32 h2, gint32 *o1, gint32 *o2)
{
  if (is_filler (l, word)) {
    *o1 = h1;
    *o2 = h2;
  } else {
    *o1 = l->map->lm_id[word];
    *o2 = h1;
  }
}

static inline double
logadd (double a, double b)
{
  if (a < b) {
    double t = a;
    a = b;
    b = t;
  }
  if (b <= -1e29)
    return a;
  return a + log1p (exp (b - a));
}

/* The forward scores of node @i (its predecessors already have theirs). */
static void
forward_node (SttLattice *l, guint i)
{
  double scale = l->cfg.posterior_scale;
  Node *b = &g_array_index (l->nodes, Node, i);
  b->fv = b->fa = -1e30;
  gint32 h1 = -1, h2 = -1;
  if (b->start == 0) {
    double w = b->ascr + term (l, b->word, l->lm->bos, -1);
    b->fv = w;
    b->fa = scale * w;
    h1 = l->lm->bos;
  } else {
    GArray *preds = l->ends[b->start - 1];
    for (guint j = 0; preds && j < preds->len; j++) {
      Node *a = &g_array_index (l->nodes, Node, g_array_index (preds, guint32, j));
      if (a->fv <= -1e29)
        continue;
      double w = b->ascr + term (l, b->word, a->h1, a->h2);
      if (a->fv + w > b->fv) {
        b->fv = a->fv + w;
        h1 = a->h1;
        h2 = a->h2;
      }
      b->fa = logadd (b->fa, a->fa + scale * w);
    }
  }
  if (b->start == 0)
    history_after (l, b->word, l->lm->bos, -1, &b->h1, &b->h2);
  else
    history_after (l, b->word, h1, h2, &b->h1, &b->h2);
}

static void
index_end (SttLattice *l, gint32 end, guint32 id)
{
  if (end >= l->ends_cap) {
    gint32 cap = MAX (end + 1, 2 * l->ends_cap);
    l->ends = g_renew (GArray *, l->ends, cap);
    memset (l->ends + l->ends_cap, 0, sizeof (GArray *) * (cap - l->ends_cap));
    l->ends_cap = cap;
  }
  if (!l->ends[end])
    l->ends[end] = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_append_val (l->ends[end], id);
}

SttLattice *
stt_lattice_begin (SttGraph *graph, const SttSearchLm *lm, const SttSearchLmMap *map,
    const SttSearchConfig *config, gint64 first_frame)
{
  SttLattice *l = g_new0 (SttLattice, 1);
  l->graph = stt_graph_ref (graph);
  l->lm = lm;
  l->map = map;
  l->nodes = g_array_new (FALSE, FALSE, sizeof (Node));
  stt_lattice_set_config (l, config);
  l->first_frame = first_frame;
  l->last_end = -1;
  l->n_bp = 1;                  /* entry 0 is the utterance start */
  return l;
}

void
stt_lattice_add_exits (SttLattice *l, const GArray *bp)
{
  for (guint k = l->n_bp; k < bp->len; k++) {
    const SttBp *b = &g_array_index (bp, SttBp, k);
    const SttBp *p = &g_array_index (bp, SttBp, b->prev);
    Node n = { b->word, p->frame + 1, b->frame, b->score - p->score - b->pen };
    g_array_append_val (l->nodes, n);
    forward_node (l, l->nodes->len - 1);
    index_end (l, b->frame, l->nodes->len - 1);
    l->last_end = MAX (l->last_end, b->frame);
  }
  l->n_bp = bp->len;
}

static void
backward (SttLattice *l)
{
  double scale = l->cfg.posterior_scale;
  l->best = l->total = -1e30;
  for (guint i = l->nodes->len; i > 0; i--) {
    Node *a = &g_array_index (l->nodes, Node, i - 1);
    a->bv = a->ba = -1e30;
    if (a->fv <= -1e29)
      continue;
    if (a->end == l->last_end) {
      double w = stt_lm_cache_score (&l->cache, l->lm->eos, a->h1, a->h2);
      a->bv = w;
      a->ba = scale * w;
      l->best = MAX (l->best, a->fv + w);
      l->total = logadd (l->total, a->fa + scale * w);
      continue;
    }
  }
  /* Successors start right after a node ends; walking nodes by decreasing end frame reaches
   * every successor of a node before the node itself. */
  for (guint i = l->nodes->len; i > 0; i--) {
    Node *b = &g_array_index (l->nodes, Node, i - 1);
    if (b->bv <= -1e29 || b->start == 0)
      continue;
    GArray *preds = l->ends[b->start - 1];
    for (guint j = 0; preds && j < preds->len; j++) {
      Node *a = &g_array_index (l->nodes, Node, g_array_index (preds, guint32, j));
      if (a->fv <= -1e29)
        continue;
      double w = b->ascr + term (l, b->word, a->h1, a->h2);
      a->bv = MAX (a->bv, w + b->bv);
      a->ba = logadd (a->ba, scale * w + b->ba);
    }
  }
  l->valid = l->best > -1e29;
  for (guint i = 0; i < l->nodes->len; i++) {
    Node *n = &g_array_index (l->nodes, Node, i);
    n->post = l->valid && n->ba > -1e29 ? exp (MIN (0.0, n->fa + n->ba - l->total)) : 0.0;
    n->keep = l->valid && n->fv + n->bv >= l->best - l->cfg.lattice_beam;
  }
}

void
stt_lattice_set_config (SttLattice *l, const SttSearchConfig *config)
{
  l->cfg = *config;
  stt_lm_cache_init (&l->cache, l->lm, config->lattice_lm_weight > 0
      ? config->lattice_lm_weight : config->lm_weight, config->wip, LATTICE_CACHE_BITS);
  for (guint i = 0; i < l->nodes->len; i++)
    forward_node (l, i);
}

void
stt_lattice_end (SttLattice *l, gint32 n_frames)
{
  l->n_frames = n_frames;
  backward (l);
}

void
stt_lattice_free (SttLattice *l)
{
  if (!l)
    return;
  for (gint32 f = 0; f < l->ends_cap; f++) {
    if (l->ends[f])
      g_array_unref (l->ends[f]);
  }
  g_free (l->ends);
  g_array_unref (l->nodes);
  g_free (l->cache.entries);
  stt_graph_unref (l->graph);
  g_free (l);
}

guint
stt_lattice_get_n_nodes (const SttLattice *l)
{
  return l->nodes->len;
}

/* ---- N-best: K best partial paths with distinct word sequences per node ------------------ */

typedef struct {
  double score;
  double ac;                    /* acoustic scores + filler penalties of the partial path */
  double lm;                    /* ln P of its words (unweighted) */
  gint32 node;                  /* -1: utterance start */
  gint32 prev;                  /* entry index */
  gint32 h1, h2;
  guint64 hash;                 /* of the non-filler word sequence */
} Entry;

static guint64
hash_word (guint64 h, gint32 id)
{
  return (h ^ (guint64) (id + 7)) * 0x100000001b3ull + 0x9e3779b97f4a7c15ull;
}


static double
word_confidence (const SttLattice *l, const Node *x)
{
  gint32 id = l->map->lm_id[x->word];
  gint32 mid = (x->start + x->end) / 2;
  /* nodes are in order of their end frame: skip those that end before the middle */
  guint lo = 0, hi = l->nodes->len;
  while (lo < hi) {
    guint m = lo + (hi - lo) / 2;
    if (g_array_index (l->nodes, Node, m).end < mid)
      lo = m + 1;
    else
      hi = m;
  }
  double sum = 0;
  for (guint i = lo; i < l->nodes->len; i++) {
    const Node *y = &g_array_index (l->nodes, Node, i);
    if (y->start <= mid && (y->word == x->word || (id >= 0 && l->map->lm_id[y->word] == id)))
      sum += y->post;
  }
  return MIN (sum, 1.0);
}

/* ln P back from a weighted LM term (lw · ln P + wip) of the lattice's cache. */
static double
lm_ln (const SttLattice *l, double term)
{
  return (term - l->cache.wip) / l->cache.lw;
}

static void
path_free (gpointer p)
{
  SttLatticePath *path = p;
  g_array_unref (path->words);
  g_free (path);
}

GPtrArray *
stt_lattice_nbest (SttLattice *l, guint n)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (path_free);
  if (!l->valid || n == 0)
    return out;
  guint k = n;
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  gint32 *lists = g_new (gint32, (gsize) l->nodes->len * k);
  memset (lists, 0xff, sizeof (gint32) * l->nodes->len * k);
  Entry start = { 0, 0, 0, -1, -1, l->lm->bos, -1, 0 };
  g_array_append_val (entries, start);
  for (guint i = 0; i < l->nodes->len; i++) {
    const Node *b = &g_array_index (l->nodes, Node, i);
    if (!b->keep)
      continue;
    gint32 *list = lists + (gsize) i * k;
    GArray *preds = b->start > 0 ? l->ends[b->start - 1] : NULL;
    guint np = b->start == 0 ? 1 : preds ? preds->len : 0;
    for (guint j = 0; j < np; j++) {
      gint32 a = b->start == 0 ? -1 : (gint32) g_array_index (preds, guint32, j);
      if (a >= 0 && !g_array_index (l->nodes, Node, a).keep)
        continue;
      for (guint r = 0; r < (a < 0 ? 1 : k); r++) {
        gint32 eid = a < 0 ? 0 : lists[(gsize) a * k + r];
        if (eid < 0)
          break;
        Entry p = g_array_index (entries, Entry, eid);
        double t = term (l, b->word, p.h1, p.h2);
        Entry e = { p.score + b->ascr + t, p.ac + b->ascr, p.lm, i, eid, 0, 0, p.hash };
        history_after (l, b->word, p.h1, p.h2, &e.h1, &e.h2);
        if (is_filler (l, b->word))
          e.ac += t;
        else {
          e.lm += lm_ln (l, t);
          e.hash = hash_word (p.hash, l->map->lm_id[b->word] >= 0 ? l->map->lm_id[b->word]
              : b->word);
        }
        stt_topk_insert (entries, list, k, &e, G_STRUCT_OFFSET (Entry, score),
            G_STRUCT_OFFSET (Entry, hash));
      }
    }
  }
  /* Complete paths: add </s>, keep the k best distinct ones. */
  gint32 *final = g_new (gint32, k);
  memset (final, 0xff, sizeof (gint32) * k);
  for (guint i = 0; i < l->nodes->len; i++) {
    const Node *b = &g_array_index (l->nodes, Node, i);
    if (!b->keep || b->end != l->last_end)
      continue;
    for (guint r = 0; r < k; r++) {
      gint32 eid = lists[(gsize) i * k + r];
      if (eid < 0)
        break;
      Entry p = g_array_index (entries, Entry, eid);
      Entry e = p;
      double t = stt_lm_cache_score (&l->cache, l->lm->eos, p.h1, p.h2);
      e.score += t;
      e.lm += lm_ln (l, t);
      e.prev = eid;
      stt_topk_insert (entries, final, k, &e, G_STRUCT_OFFSET (Entry, score),
          G_STRUCT_OFFSET (Entry, hash));
    }
  }
  double scale = l->cfg.posterior_scale;
  for (guint r = 0; r < k && final[r] >= 0; r++) {
    const Entry *fe = &g_array_index (entries, Entry, final[r]);
    SttLatticePath *path = g_new0 (SttLatticePath, 1);
    path->words = g_array_new (FALSE, FALSE, sizeof (SttLatticeWord));
    path->score = fe->score;
    path->acoustic_score = fe->ac;
    path->lm_score = fe->lm;
    path->posterior = exp (MIN (0.0, scale * fe->score - l->total));
    for (gint32 eid = fe->prev; eid > 0; eid = g_array_index (entries, Entry, eid).prev) {
      const Node *x = &g_array_index (l->nodes, Node, g_array_index (entries, Entry, eid).node);
      if (is_filler (l, x->word))
        continue;
      SttLatticeWord w = { l->graph->text + l->graph->word[x->word].text,
        l->first_frame + x->start, l->first_frame + x->end, word_confidence (l, x) };
      g_array_prepend_val (path->words, w);
    }
    g_ptr_array_add (out, path);
  }
  g_free (final);
  g_free (lists);
  g_array_unref (entries);
  return out;
}

GBytes *
stt_lattice_serialize (const SttLattice *l)
{
  GString *s = g_string_new ("stt-lattice-1\n");
  char buf[3][G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append_printf (s, "first-frame %" G_GINT64_FORMAT "\nframes %d\nframe-rate 100\n",
      l->first_frame, l->n_frames);
  g_string_append_printf (s, "lm-weight %s\nwip %s\n",
      g_ascii_dtostr (buf[0], sizeof buf[0], l->cfg.lm_weight),
      g_ascii_dtostr (buf[1], sizeof buf[1], l->cfg.wip));
  guint n = 0;
  for (guint i = 0; i < l->nodes->len; i++)
    n += g_array_index (l->nodes, Node, i).keep;
  gint32 *id = g_new (gint32, l->nodes->len);
  g_string_append_printf (s, "nodes %u\n", n);
  n = 0;
  for (guint i = 0; i < l->nodes->len; i++) {
    const Node *x = &g_array_index (l->nodes, Node, i);
    id[i] = x->keep ? (gint32) n++ : -1;
    if (!x->keep)
      continue;
    g_string_append_printf (s, "%d %s %d %d %s %s %d\n", id[i],
        l->graph->text + l->graph->word[x->word].text, x->start, x->end,
        g_ascii_formatd (buf[0], sizeof buf[0], "%.3f", x->ascr),
        g_ascii_formatd (buf[1], sizeof buf[1], "%.4f", x->post),
        is_filler (l, x->word) ? 1 : 0);
  }
  GString *edges = g_string_new (NULL);
  guint ne = 0;
  for (guint i = 0; i < l->nodes->len; i++) {
    const Node *b = &g_array_index (l->nodes, Node, i);
    if (!b->keep || b->start == 0)
      continue;
    GArray *preds = l->ends[b->start - 1];
    for (guint j = 0; preds && j < preds->len; j++) {
      guint32 a = g_array_index (preds, guint32, j);
      if (id[a] < 0)
        continue;
      g_string_append_printf (edges, "%d %d\n", id[a], id[i]);
      ne++;
    }
  }
  g_string_append_printf (s, "edges %u\n%s", ne, edges->str);
  g_string_free (edges, TRUE);
  g_string_append (s, "start");
  for (guint i = 0; i < l->nodes->len; i++) {
    const Node *x = &g_array_index (l->nodes, Node, i);
    if (id[i] >= 0 && x->start == 0)
      g_string_append_printf (s, " %d", id[i]);
  }
  g_string_append (s, "\nfinal");
  for (guint i = 0; i < l->nodes->len; i++) {
    const Node *x = &g_array_index (l->nodes, Node, i);
    if (id[i] >= 0 && x->end == l->last_end)
      g_string_append_printf (s, " %d", id[i]);
  }
  g_string_append_c (s, '\n');
  g_free (id);
  return g_string_free_to_bytes (s);
}
