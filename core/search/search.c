/* gst-stt — time-synchronous Viterbi beam search over the lexicon tree (token passing).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Per frame: evaluate every active HMM, prune (beam + histogram), pass phone exits to the
 * children (adding the trigram LM score when a child is a word's last phone, history from the
 * token's backpointer), record word exits in the backpointer table, and enter every root from
 * the frame's best word exit (left context = that word's last phone). docs/decoder.md.
 */
#include "search-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  float s[3];
  gint32 bp[3];
  guint32 hmm[3];               /* per state: roots change HMM with the entering left context */
  float in;                     /* entry score for the next frame */
  gint32 in_bp;
  guint32 in_hmm;
  guint32 node;
  guint32 slot;                 /* node, or a right-context variant of a word-final node */
  guint32 var;
  float exit;
  gint32 exit_bp;
} Chan;

struct _SttSearch {
  SttGraph *graph;
  const SttSearchLm *lm;
  const SttSearchLmMap *map;
  SttSearchConfig cfg;
  SttLmCache cache;

  gint32 *chan_of_slot;
  GArray *rcscore;              /* float: per-variant exit scores of this utterance's exits */
  struct {
    float score;
    gint32 bp;
  } *best_rc;                   /* [n_ci]: best exit of the frame per next first phone */
  GArray *chans;                /* Chan pool */
  GArray *free_chans;           /* guint32 */
  GArray *active, *next;        /* guint32 chan ids */
  float *chan_best;             /* scratch: best state per active chan */
  GArray *cands;                /* scratch: LastPhoneCand */

  GArray *bp;                   /* SttBp */
  gint32 *word_bp_frame;        /* per word: frame of its latest exit entry */
  gint32 *word_bp_idx;
  gint32 frame;                 /* frames decoded in this utterance */
  gint64 first_frame;
  gboolean started;
  SttLattice *lat;              /* of this utterance, grown every frame */

  float best_score;
  gint32 best_chan_node;
  gint32 best_bp;               /* bp of the best token of the last frame */
};

void
stt_search_config_init (SttSearchConfig *c)
{
  c->beam = 90.0f;              /* pocketsphinx: ln 1e-48 = 110.5; with the LM lookahead 90
                                   gives the same accuracy at 60% of the search time */
  c->pbeam = 90.0f;
  c->lpbeam = 92.10f;           /* ln 1e-40 */
  c->wbeam = 64.82f;            /* ln 7e-29, relative to the best word-final HMM */
  c->lponlybeam = 64.82f;       /* ln 7e-29: word-final HMMs among themselves */
  c->max_active = 30000;
  c->lm_weight = 6.5f;
  c->lattice_lm_weight = 8.0f;  /* the second look at the lattice weighs the LM more, as
                                   pocketsphinx's later passes do (8.5, 9.5); 8 measured best */
  c->wip = -3.0f;               /* pocketsphinx: ln 0.65 = -0.43; -3 measured better on the dev set */
  c->silence_penalty = -5.298f; /* ln 0.005 */
  c->filler_penalty = -18.42f;  /* ln 1e-8 */
  c->lattice_beam = 50.0f;
  c->posterior_scale = 0.09f;   /* measured: normalised cross entropy of word confidences
                                   0.26 on the dev set (0.003 at 1/lm_weight) */
}

SttSearch *
stt_search_new (SttGraph *graph, const SttSearchLm *lm, const SttSearchLmMap *map,
    const SttSearchConfig *config)
{
  SttSearch *s = g_new0 (SttSearch, 1);
  s->graph = stt_graph_ref (graph);
  s->lm = lm;
  s->map = map;
  s->cfg = *config;
  stt_lm_cache_init (&s->cache, lm, config->lm_weight, config->wip, STT_LM_CACHE_BITS);
  s->chan_of_slot = g_new (gint32, graph->n_slots);
  memset (s->chan_of_slot, 0xff, sizeof (gint32) * graph->n_slots);
  s->rcscore = g_array_new (FALSE, FALSE, sizeof (float));
  s->best_rc = g_malloc (sizeof (*s->best_rc) * graph->n_ci);
  s->chans = g_array_new (FALSE, FALSE, sizeof (Chan));
  s->free_chans = g_array_new (FALSE, FALSE, sizeof (guint32));
  s->active = g_array_new (FALSE, FALSE, sizeof (guint32));
  s->next = g_array_new (FALSE, FALSE, sizeof (guint32));
  s->bp = g_array_new (FALSE, FALSE, sizeof (SttBp));
  s->cands = g_array_new (FALSE, FALSE, 12);
  s->word_bp_frame = g_new (gint32, graph->n_word);
  s->word_bp_idx = g_new (gint32, graph->n_word);
  return s;
}

void
stt_search_free (SttSearch *s)
{
  if (!s)
    return;
  stt_lattice_free (s->lat);
  stt_graph_unref (s->graph);
  g_free (s->cache.entries);
  g_free (s->chan_of_slot);
  g_array_unref (s->rcscore);
  g_free (s->best_rc);
  g_array_unref (s->chans);
  g_array_unref (s->free_chans);
  g_array_unref (s->active);
  g_array_unref (s->next);
  g_free (s->chan_best);
  g_array_unref (s->cands);
  if (s->bp)
    g_array_unref (s->bp);
  g_free (s->word_bp_frame);
  g_free (s->word_bp_idx);
  g_free (s);
}

void
stt_search_set_config (SttSearch *s, const SttSearchConfig *config)
{
  s->cfg = *config;
  stt_lm_cache_init (&s->cache, s->lm, config->lm_weight, config->wip, STT_LM_CACHE_BITS);
  if (s->lat)
    stt_lattice_set_config (s->lat, config);
}

static inline Chan *
chan_at (SttSearch *s, guint32 id)
{
  return &g_array_index (s->chans, Chan, id);
}

static void
chan_free (SttSearch *s, guint32 id)
{
  s->chan_of_slot[chan_at (s, id)->slot] = -1;
  g_array_append_val (s->free_chans, id);
}

/* Offer a token to @node for the next frame. */
static void
enter (SttSearch *s, guint32 node, guint32 slot, guint32 var, float score, gint32 bp,
    guint32 hmm)
{
  gint32 id = s->chan_of_slot[slot];
  Chan *c;
  if (id < 0) {
    if (s->free_chans->len > 0) {
      id = g_array_index (s->free_chans, guint32, s->free_chans->len - 1);
      g_array_set_size (s->free_chans, s->free_chans->len - 1);
    } else {
      id = s->chans->len;
      g_array_set_size (s->chans, id + 1);
    }
    c = chan_at (s, id);
    c->node = node;
    c->slot = slot;
    c->var = var;
    c->s[0] = c->s[1] = c->s[2] = STT_SEARCH_WORST;
    c->bp[0] = c->bp[1] = c->bp[2] = 0;
    c->hmm[0] = c->hmm[1] = c->hmm[2] = hmm;
    c->in = STT_SEARCH_WORST;
    c->exit = STT_SEARCH_WORST;
    s->chan_of_slot[slot] = id;
    guint32 uid = id;
    g_array_append_val (s->next, uid);
  } else {
    c = chan_at (s, id);
  }
  if (score > c->in) {
    c->in = score;
    c->in_bp = bp;
    c->in_hmm = hmm;
  }
}

static inline float
lm_term (SttSearch *s, gint32 word, gint32 bp_idx)
{
  const SttGraph *g = s->graph;
  if (g->word[word].flags & STT_GRAPH_WORD_FILLER)
    return (g->word[word].flags & STT_GRAPH_WORD_SILENCE) ? s->cfg.silence_penalty
        : s->cfg.filler_penalty;
  gint32 id = s->map->lm_id[word];
  if (id < 0)
    return STT_SEARCH_WORST;
  const SttBp *b = &g_array_index (s->bp, SttBp, bp_idx);
  return stt_lm_cache_score (&s->cache, id, b->h1, b->h2);
}

/* Enter every root from the best word exit for its first phone (exits from @first_bp on),
 * the left context being that exit's last phone. */
static void
word_transition (SttSearch *s, gint32 first_bp, float floor)
{
  const SttGraph *g = s->graph;
  for (guint c = 0; c < g->n_ci; c++) {
    s->best_rc[c].score = STT_SEARCH_WORST;
    s->best_rc[c].bp = -1;
  }
  for (guint k = first_bp; k < s->bp->len; k++) {
    const SttBp *b = &g_array_index (s->bp, SttBp, k);
    const float *rs = b->rc_off >= 0 ? &g_array_index (s->rcscore, float, b->rc_off) : NULL;
    const guint8 *rv = b->rc_off >= 0 ? g->rc_var + b->rc_row * g->rc_stride : NULL;
    for (guint c = 0; c < g->n_ci; c++) {
      float sc = rs ? rs[rv[c]] : b->score;
      if (sc > s->best_rc[c].score) {
        s->best_rc[c].score = sc;
        s->best_rc[c].bp = k;
      }
    }
  }
  for (guint r = 0; r < g->n_root; r++) {
    const SttGraphNode *n = &g->node[r];
    gint32 bp_idx = s->best_rc[n->ci].bp;
    if (bp_idx < 0)
      continue;
    float sc = s->best_rc[n->ci].score;
    if (n->word >= 0)
      sc += lm_term (s, n->word, bp_idx);
    else if (s->map->lookahead[r] <= STT_LA_NONE)
      continue;
    else
      sc += s->cfg.lm_weight * s->map->lookahead[r];
    if (sc < floor)
      continue;
    guint32 lc = g_array_index (s->bp, SttBp, bp_idx).last_ci;
    enter (s, r, r, 0, sc, bp_idx, g->mpx[r * g->n_ci + lc]);
  }
}

void
stt_search_start (SttSearch *s, gint64 first_frame)
{
  const SttGraph *g = s->graph;
  for (guint i = 0; i < s->active->len; i++)
    s->chan_of_slot[chan_at (s, g_array_index (s->active, guint32, i))->slot] = -1;
  for (guint i = 0; i < s->next->len; i++)
    s->chan_of_slot[chan_at (s, g_array_index (s->next, guint32, i))->slot] = -1;
  g_array_set_size (s->rcscore, 0);
  g_array_set_size (s->active, 0);
  g_array_set_size (s->next, 0);
  g_array_set_size (s->chans, 0);
  g_array_set_size (s->free_chans, 0);
  if (!s->bp)
    s->bp = g_array_new (FALSE, FALSE, sizeof (SttBp));
  g_array_set_size (s->bp, 0);
  memset (s->word_bp_frame, 0xff, sizeof (gint32) * g->n_word);
  SttBp start = { -1, -1, 0.0f, -1, s->lm->bos, -1, 0.0f, g->sil, -1, -1 };
  g_array_append_val (s->bp, start);
  s->frame = 0;
  s->first_frame = first_frame;
  s->started = TRUE;
  stt_lattice_free (s->lat);
  s->lat = stt_lattice_begin (s->graph, s->lm, s->map, &s->cfg, first_frame);
  s->best_bp = 0;
  s->best_chan_node = -1;
  s->best_score = 0;
  word_transition (s, 0, STT_SEARCH_WORST);
  GArray *t = s->active;
  s->active = s->next;
  s->next = t;
}

/* One HMM step of a chan whose states all use one HMM (every node but the roots). */
static inline float
chan_eval_fixed (const SttGraph *g, Chan *c, const float *S)
{
  const SttGraphHmmFast *h = &g->hmm_fast[c->hmm[0]];
  float s0 = c->s[0], s1 = c->s[1], s2 = c->s[2];
  float a = s2 + h->t22, b = s1 + h->t12;
  if (b > a) {
    a = b;
    c->bp[2] = c->bp[1];
  }
  float n2 = MAX (a + S[h->sen[2]], STT_SEARCH_WORST);
  a = s1 + h->t11;
  b = s0 + h->t01;
  if (b > a) {
    a = b;
    c->bp[1] = c->bp[0];
  }
  float n1 = MAX (a + S[h->sen[1]], STT_SEARCH_WORST);
  a = s0 + h->t00;
  if (c->in > a) {
    a = c->in;
    c->bp[0] = c->in_bp;
  }
  float n0 = MAX (a + S[h->sen[0]], STT_SEARCH_WORST);
  c->in = STT_SEARCH_WORST;
  c->s[0] = n0;
  c->s[1] = n1;
  c->s[2] = n2;
  c->exit = n2 + h->t23;
  c->exit_bp = c->bp[2];
  return MAX (n0, MAX (n1, n2));
}

/* One HMM step with token identity (backpointer and per-state HMM) carried along. */
static inline float
chan_eval (const SttGraph *g, Chan *c, const float *S)
{
  if (c->node >= g->n_root)
    return chan_eval_fixed (g, c, S);
  const float *T0 = g->tmat + 12 * g->hmm[c->hmm[0]].tmat;
  const float *T1 = g->tmat + 12 * g->hmm[c->hmm[1]].tmat;
  const float *T2 = g->tmat + 12 * g->hmm[c->hmm[2]].tmat;
  float s0 = c->s[0], s1 = c->s[1], s2 = c->s[2];
  /* state 2 */
  float a = s2 + T2[2 * 4 + 2], b = s1 + T1[1 * 4 + 2];
  if (b > a) {
    a = b;
    c->bp[2] = c->bp[1];
    c->hmm[2] = c->hmm[1];
  }
  float n2 = a + S[g->hmm[c->hmm[2]].sen[2]];
  /* state 1 */
  a = s1 + T1[1 * 4 + 1];
  b = s0 + T0[0 * 4 + 1];
  if (b > a) {
    a = b;
    c->bp[1] = c->bp[0];
    c->hmm[1] = c->hmm[0];
  }
  float n1 = a + S[g->hmm[c->hmm[1]].sen[1]];
  /* state 0 */
  a = s0 + T0[0];
  if (c->in > a) {
    a = c->in;
    c->bp[0] = c->in_bp;
    c->hmm[0] = c->in_hmm;
  }
  float n0 = a + S[g->hmm[c->hmm[0]].sen[0]];
  c->in = STT_SEARCH_WORST;
  c->s[0] = MAX (n0, STT_SEARCH_WORST);
  c->s[1] = MAX (n1, STT_SEARCH_WORST);
  c->s[2] = MAX (n2, STT_SEARCH_WORST);
  c->exit = c->s[2] + g->tmat[12 * g->hmm[c->hmm[2]].tmat + 2 * 4 + 3];
  c->exit_bp = c->bp[2];
  return MAX (c->s[0], MAX (c->s[1], c->s[2]));
}

/* Histogram pruning: the threshold keeping about max_active HMMs. */
static float
histogram_threshold (SttSearch *s, guint n, float best, float thresh)
{
  enum { BINS = 256 };
  guint hist[BINS] = { 0 };
  float width = (best - thresh) / BINS;
  if (width <= 0)
    return thresh;
  for (guint i = 0; i < n; i++) {
    float v = s->chan_best[i];
    if (v < thresh)
      continue;
    int k = (int) ((best - v) / width);
    hist[MIN (k, BINS - 1)]++;
  }
  guint total = 0;
  for (guint k = 0; k < BINS; k++) {
    total += hist[k];
    if (total > s->cfg.max_active)
      return best - (k + 1) * width;
  }
  return thresh;
}

static void
word_exit (SttSearch *s, const Chan *c, gint32 word)
{
  const SttGraph *g = s->graph;
  float pen = lm_term (s, word, c->exit_bp);
  const SttBp *p = &g_array_index (s->bp, SttBp, c->exit_bp);
  SttBp b = { word, s->frame, c->exit, c->exit_bp, p->h1, p->h2, pen, g->node[c->node].ci,
    -1, -1 };
  if (!(g->word[word].flags & STT_GRAPH_WORD_FILLER)) {
    b.h2 = p->h1;
    b.h1 = s->map->lm_id[word];
  }
  gboolean rc = stt_graph_node_has_rc (g, c->node);
  SttBp *old = NULL;
  if (s->word_bp_frame[word] == s->frame) {
    old = &g_array_index (s->bp, SttBp, s->word_bp_idx[word]);
    b.rc_off = old->rc_off;
    b.rc_row = old->rc_row;
    if (old->score < b.score)
      *old = b;
  } else {
    if (rc) {
      guint nv = stt_graph_node_n_var (g, c->node);
      b.rc_off = s->rcscore->len;
      b.rc_row = g->node[c->node].hmm;
      g_array_set_size (s->rcscore, b.rc_off + nv);
      for (guint v = 0; v < nv; v++)
        g_array_index (s->rcscore, float, b.rc_off + v) = STT_SEARCH_WORST;
    }
    s->word_bp_frame[word] = s->frame;
    s->word_bp_idx[word] = s->bp->len;
    g_array_append_val (s->bp, b);
  }
  if (rc) {
    float *v = &g_array_index (s->rcscore, float, b.rc_off + c->var);
    *v = MAX (*v, c->exit);
  }
}

/* A candidate for entering a word's last phone (its LM score known). */
typedef struct {
  guint32 node;
  gint32 bp;
  float score;
} LastPhoneCand;

void
stt_search_step (SttSearch *s, const float *S)
{
  const SttGraph *g = s->graph;
  const SttSearchConfig *cfg = &s->cfg;
  guint n = s->active->len;
  const guint32 *act = (const guint32 *) s->active->data;
  s->chan_best = g_renew (float, s->chan_best, MAX (n, 1));

  /* Evaluate. Word-final HMMs (their LM score paid) are pruned among themselves, as
   * pocketsphinx does: the global best is usually a token that has not paid its LM yet. */
  float best = STT_SEARCH_WORST, lp_best = STT_SEARCH_WORST;
  guint best_i = 0;
  for (guint i = 0; i < n; i++) {
    Chan *c = chan_at (s, act[i]);
    float m = chan_eval (g, c, S);
    s->chan_best[i] = m;
    if (m > best) {
      best = m;
      best_i = i;
    }
    if (g->node[c->node].word >= 0 && m > lp_best)
      lp_best = m;
  }
  float thresh = best - cfg->beam;
  if (n > cfg->max_active)
    thresh = histogram_threshold (s, n, best, thresh);
  float pthresh = MAX (thresh, best - cfg->pbeam);
  float lpthresh = best - cfg->lpbeam;

  if (n > 0) {
    const Chan *bc = chan_at (s, act[best_i]);
    int k = bc->s[0] >= bc->s[1] && bc->s[0] >= bc->s[2] ? 0 : bc->s[1] >= bc->s[2] ? 1 : 2;
    s->best_bp = bc->bp[k];
    s->best_chan_node = bc->node;
    s->best_score = best;
  }

  /* Candidates for last phones: their best LM-weighted score raises the last-phone best. */
  g_array_set_size (s->cands, 0);
  for (guint i = 0; i < n; i++) {
    Chan *c = chan_at (s, act[i]);
    const SttGraphNode *nd = &g->node[c->node];
    if (nd->word >= 0 || s->chan_best[i] < thresh || c->exit < pthresh)
      continue;
    float la_here = cfg->lm_weight * s->map->lookahead[c->node];
    for (guint32 k = nd->first_child; k < nd->first_child + nd->n_child; k++) {
      const SttGraphNode *ch = &g->node[k];
      if (ch->word < 0 || c->exit < lpthresh)
        continue;
      LastPhoneCand cand = { k, c->exit_bp, c->exit - la_here + lm_term (s, ch->word,
            c->exit_bp) };
      if (cand.score <= STT_SEARCH_WORST)
        continue;
      g_array_append_val (s->cands, cand);
      lp_best = MAX (lp_best, cand.score);
    }
  }
  /* With the lookahead, LM-paid and unpaid scores are comparable: the global beam bounds
   * word-final HMMs too, so a drifting last phone cannot keep exiting far below the best. */
  float lp_thresh = MAX (lp_best - cfg->lponlybeam, thresh);
  float wthresh = lp_best - cfg->wbeam;

  gint32 frame_first_bp = s->bp->len;
  g_array_set_size (s->next, 0);
  for (guint i = 0; i < n; i++) {
    guint32 id = act[i];
    Chan *c = chan_at (s, id);
    const SttGraphNode *nd = &g->node[c->node];
    gboolean final = nd->word >= 0;
    if (s->chan_best[i] < (final ? lp_thresh : thresh) && c->in <= STT_SEARCH_WORST) {
      chan_free (s, id);
      continue;
    }
    g_array_append_val (s->next, id);
    if (final) {
      if (c->exit >= wthresh)
        word_exit (s, c, nd->word);
      continue;
    }
    if (c->exit < pthresh)
      continue;
    float exit = c->exit - cfg->lm_weight * s->map->lookahead[c->node];
    gint32 ebp = c->exit_bp;
    const float *la = s->map->lookahead;
    for (guint32 k = nd->first_child; k < nd->first_child + nd->n_child; k++) {
      const SttGraphNode *ch = &g->node[k];
      if (ch->word < 0 && la[k] > STT_LA_NONE)
        enter (s, k, k, 0, exit + cfg->lm_weight * la[k], ebp, ch->hmm);
    }
  }
  for (guint i = 0; i < s->cands->len; i++) {
    const LastPhoneCand *cand = &g_array_index (s->cands, LastPhoneCand, i);
    if (cand->score < lp_thresh)
      continue;
    guint row = g->node[cand->node].hmm, first = g->rc_first[row];
    guint nv = g->rc_first[row + 1] - first;
    for (guint v = 0; v < nv; v++)
      enter (s, cand->node, g->var_base[cand->node] + v, v, cand->score, cand->bp,
          g->rc_hmm[first + v]);
  }
  /* Word transitions from this frame's exits. */
  gint32 best_exit = -1;
  for (guint k = frame_first_bp; k < s->bp->len; k++) {
    if (best_exit < 0 || g_array_index (s->bp, SttBp, k).score >
        g_array_index (s->bp, SttBp, best_exit).score)
      best_exit = k;
  }
  if (best_exit >= 0)
    word_transition (s, frame_first_bp, best - cfg->beam);

  GArray *t = s->active;
  s->active = s->next;
  s->next = t;
  if (G_UNLIKELY (g_getenv ("STT_SEARCH_TRACE")))
    g_printerr ("frame %d: %u evaluated, %u next, best %.1f lp %.1f (node %d word %d), "
        "%u exits, best exit %d (%s)\n", s->frame, n, s->active->len, best, lp_best,
        s->best_chan_node, s->best_chan_node >= 0 ? g->node[s->best_chan_node].word : -2,
        s->bp->len - frame_first_bp, best_exit, best_exit >= 0 ? g->text + g->word[
            g_array_index (s->bp, SttBp, best_exit).word].text : "");
  if (s->lat)
    stt_lattice_add_exits (s->lat, s->bp);
  s->frame++;
}

guint
stt_search_get_n_frames (const SttSearch *s)
{
  return s->frame;
}

gboolean
stt_search_best_in_silence (const SttSearch *s, gint64 *last_word_end)
{
  const SttGraph *g = s->graph;
  gint32 k = s->best_bp;
  gint64 end = -1;
  while (k > 0) {
    const SttBp *b = &g_array_index (s->bp, SttBp, k);
    if (!(g->word[b->word].flags & STT_GRAPH_WORD_FILLER)) {
      end = s->first_frame + b->frame;
      break;
    }
    k = b->prev;
  }
  if (last_word_end)
    *last_word_end = end;
  if (s->best_chan_node < 0)
    return TRUE;
  gint32 w = g->node[s->best_chan_node].word;
  return w >= 0 && (g->word[w].flags & STT_GRAPH_WORD_FILLER);
}

char *
stt_search_get_partial (SttSearch *s)
{
  const SttGraph *g = s->graph;
  GPtrArray *words = g_ptr_array_new ();
  for (gint32 k = s->best_bp; k > 0; k = g_array_index (s->bp, SttBp, k).prev) {
    gint32 w = g_array_index (s->bp, SttBp, k).word;
    if (!(g->word[w].flags & STT_GRAPH_WORD_FILLER))
      g_ptr_array_add (words, (gpointer) (g->text + g->word[w].text));
  }
  GString *out = g_string_new (NULL);
  for (guint i = words->len; i > 0; i--) {
    if (out->len)
      g_string_append_c (out, ' ');
    g_string_append (out, g_ptr_array_index (words, i - 1));
  }
  g_ptr_array_unref (words);
  return g_string_free (out, FALSE);
}

SttLattice *
stt_search_finish (SttSearch *s)
{
  SttLattice *lat = s->lat;
  s->lat = NULL;
  gboolean empty = !s->started || s->frame == 0;
  s->started = FALSE;
  if (empty) {
    stt_lattice_free (lat);
    return NULL;
  }
  stt_lattice_end (lat, s->frame);
  return lat;
}
