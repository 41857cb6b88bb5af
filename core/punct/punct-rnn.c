/* gst-stt — the sentence-level network of the punct model: a bidirectional GRU tagger.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The perceptron and the window network see four words either side; what separates a
 * sentence end from a comma often lies further away (how the sentence began, whether a verb
 * has come yet). This network reads the words left to right and right to left with a gated
 * recurrent unit each (Cho et al. 2014) over word embeddings, and gives every word a softmax
 * over the marks from both directions' states. With more layers (the default has three),
 * each further bidirectional GRU reads both directions' states of the layer below at each
 * word, and the softmax reads the top layer's: the first layer sees words, the ones above its
 * reading of them, which is where clause structure can show. Ids are the window network's
 * (the class entries, else unknown or number).
 *
 * Training: windows of `window` words of the whole text (every epoch from a new offset), in
 * mini-batches, truncated back-propagation through each window (and from each layer's input
 * into both directions of the layer below), Adam, in a fixed (seeded) order, single-threaded:
 * the same text gives the same parameters. Optional, for experiments:
 * inverted dropout of the embeddings and of the states the output layer reads (training only,
 * masks from the seeded generator), a learning rate falling linearly over the training, a
 * heavier loss on question marks. A model may hold several networks trained from different
 * seeds; their log-probabilities are averaged (punct_rnn_ensemble_log_probs). At run time a long
 * sequence is cut into windows of the same length overlapping by half, all run as one batch,
 * and each word takes its marks from the window where it lies most central. The input
 * projections of a whole batch are one matrix product per direction; each time step is one
 * product over the batch (OpenBLAS when the build has it).
 */
#include "punct-private.h"
#include "../util/blas.h"

#include <math.h>
#include <string.h>


#define L STT_PUNCT_N_LABELS
/* Windows run together at run time (bounds the memory of one call). */
#define RUN_GROUP 32

/* The input size of @layer: the embeddings, or both directions' states of the layer below. */
static inline gsize
layer_in (const PunctRnnShape *s, guint layer)
{
  return layer == 0 ? s->dim : 2 * (gsize) s->hidden;
}

gsize
punct_rnn_n_params (const PunctRnnShape *s)
{
  gsize h = s->hidden, n = (gsize) s->vocab * s->dim + 2 * L * h + L;
  for (guint layer = 0; layer < s->layers; layer++)
    n += 2 * (3 * h * layer_in (s, layer) + 3 * h * h + 6 * h);
  return n;
}

void
punct_rnn_view (PunctRnn *m, const PunctRnnShape *s, float *params)
{
  gsize h = s->hidden;
  m->shape = *s;
  m->emb = params;
  memset (m->gru, 0, sizeof m->gru);
  float *p = params + (gsize) s->vocab * s->dim;
  for (guint layer = 0; layer < s->layers; layer++)
    for (guint dir = 0; dir < 2; dir++) {
      PunctGru *g = &m->gru[layer][dir];
      g->w = p;
      p += 3 * h * layer_in (s, layer);
      g->u = p;
      p += 3 * h * h;
      g->bw = p;
      p += 3 * h;
      g->bu = p;
      p += 3 * h;
    }
  m->wo[0] = p;
  m->wo[1] = p + L * h;
  m->bo = p + 2 * L * h;
}

static inline float
sigmoid (float x)
{
  return 1.0f / (1.0f + expf (-x));
}

/* What a forward pass over a batch of @b sequences of @t words keeps (time-major rows:
 * row t * b + s). Without @train only h is kept. */
typedef struct {
  gsize t, b;
  float *x;                     /* t*b x dim: the embeddings */
  float *xw;                    /* t*b x 3h: input projections of one direction */
  float *hu;                    /* b x 3h: recurrent projections of one step */
  float *h[2];                  /* t*b x h: each direction's states */
  float *z[2], *r[2], *n[2], *un[2];    /* t*b x h: gates, candidate, U_n h + b_un */
  float *logits;                /* t*b x L */
  /* training with dropout only: the embeddings' mask (t*b x dim) and the states' masks (t*b
   * x h; 0 or 1 / (1 - rate), inverted dropout) and the masked states the output layer
   * reads; NULL otherwise (run time reads the states as they are) */
  float *xmask, *hmask[2], *hd[2];
} Pass;

static void
pass_init (Pass *p, gsize in_dim, gsize h, gsize t, gsize b, gboolean train,
    gboolean drop_x, gboolean drop_h)
{
  gsize rows = t * b;
  memset (p, 0, sizeof *p);
  p->t = t;
  p->b = b;
  p->x = g_new (float, rows * in_dim);
  p->xw = g_new (float, rows * 3 * h);
  p->hu = g_new (float, b * 3 * h);
  p->logits = g_new (float, rows * L);
  if (drop_x)
    p->xmask = g_new (float, rows * in_dim);
  for (guint dir = 0; dir < 2; dir++) {
    p->h[dir] = g_new (float, rows * h);
    if (drop_h) {
      p->hmask[dir] = g_new (float, rows * h);
      p->hd[dir] = g_new (float, rows * h);
    }
    if (train) {
      p->z[dir] = g_new (float, rows * h);
      p->r[dir] = g_new (float, rows * h);
      p->n[dir] = g_new (float, rows * h);
      p->un[dir] = g_new (float, rows * h);
    }
  }
}

static void
pass_clear (Pass *p)
{
  g_free (p->x);
  g_free (p->xw);
  g_free (p->hu);
  g_free (p->logits);
  g_free (p->xmask);
  for (guint dir = 0; dir < 2; dir++) {
    g_free (p->h[dir]);
    g_free (p->hmask[dir]);
    g_free (p->hd[dir]);
    g_free (p->z[dir]);
    g_free (p->r[dir]);
    g_free (p->n[dir]);
    g_free (p->un[dir]);
  }
}

/* One direction: dir 0 runs t = 0..T-1, dir 1 runs T-1..0; the state before the first
 * step is zero. */
static void
run_direction (const PunctGru *g, gsize in, gsize hid, Pass *p, guint dir)
{
  const gsize b = p->b, T = p->t, h3 = 3 * hid;
  punct_gemm (FALSE, TRUE, p->x, g->w, p->xw, T * b, h3, in, FALSE);
  for (gsize step = 0; step < T; step++) {
    gsize t = dir == 0 ? step : T - 1 - step;
    const float *prev = step == 0 ? NULL
        : p->h[dir] + (dir == 0 ? t - 1 : t + 1) * b * hid;
    for (gsize s = 0; s < b; s++)
      memcpy (p->hu + s * h3, g->bu, h3 * sizeof (float));
    if (prev)
      punct_gemm (FALSE, TRUE, prev, g->u, p->hu, b, h3, hid, TRUE);
    float *out = p->h[dir] + t * b * hid;
    for (gsize s = 0; s < b; s++) {
      const float *xw = p->xw + (t * b + s) * h3, *hu = p->hu + s * h3;
      const float *bw = g->bw;
      gsize row = (t * b + s) * hid;
      for (gsize j = 0; j < hid; j++) {
        float z = sigmoid (xw[j] + bw[j] + hu[j]);
        float r = sigmoid (xw[hid + j] + bw[hid + j] + hu[hid + j]);
        float un = hu[2 * hid + j];
        float n = tanhf (xw[2 * hid + j] + bw[2 * hid + j] + r * un);
        float hp = prev ? prev[s * hid + j] : 0.0f;
        out[s * hid + j] = (1.0f - z) * n + z * hp;
        if (p->z[dir]) {
          p->z[dir][row + j] = z;
          p->r[dir][row + j] = r;
          p->n[dir][row + j] = n;
          p->un[dir][row + j] = un;
        }
      }
    }
  }
}

/* Embeddings, both directions of every layer and the output logits of the sequences in
 * @ids (time-major); with the dropout masks of the first layer's pass when it has them
 * (training). @p: one pass per layer; the first holds the logits. */
static void
forward (const PunctRnn *m, Pass *p, const guint32 *ids)
{
  const gsize rows = p->t * p->b, dim = m->shape.dim, hid = m->shape.hidden;
  for (gsize i = 0; i < rows; i++)
    memcpy (p->x + i * dim, m->emb + (gsize) ids[i] * dim, dim * sizeof (float));
  if (p->xmask)
    for (gsize e = 0; e < rows * dim; e++)
      p->x[e] *= p->xmask[e];
  for (guint layer = 0; layer < m->shape.layers; layer++) {
    Pass *in = &p[layer];
    if (layer > 0)
      for (gsize i = 0; i < rows; i++) {
        memcpy (in->x + i * 2 * hid, p[layer - 1].h[0] + i * hid, hid * sizeof (float));
        memcpy (in->x + i * 2 * hid + hid, p[layer - 1].h[1] + i * hid, hid * sizeof (float));
      }
    for (guint dir = 0; dir < 2; dir++)
      run_direction (&m->gru[layer][dir], layer_in (&m->shape, layer), hid, in, dir);
  }
  const Pass *top = &p[m->shape.layers - 1];
  for (gsize i = 0; i < rows; i++)
    memcpy (p->logits + i * L, m->bo, L * sizeof (float));
  for (guint dir = 0; dir < 2; dir++) {
    const float *h = top->h[dir];
    if (p->hmask[dir]) {
      for (gsize e = 0; e < rows * hid; e++)
        p->hd[dir][e] = top->h[dir][e] * p->hmask[dir][e];
      h = p->hd[dir];
    }
    punct_gemm (FALSE, TRUE, h, m->wo[dir], p->logits, rows, L, hid, TRUE);
  }
}

void
punct_rnn_log_probs (const PunctRnn *m, const guint32 *ids, guint n, float *out)
{
  if (n == 0)
    return;
  const gsize win = MIN (m->shape.window, n), stride = MAX (win / 2, 1);
  /* window starts: every stride words, the last one ending at the last word */
  gsize n_win = win >= n ? 1 : (n - win + stride - 1) / stride + 1;
  float *best = g_new (float, n);
  for (guint i = 0; i < n; i++)
    best[i] = -1.0f;
  guint32 *batch_ids = g_new (guint32, win * MIN (n_win, RUN_GROUP));
  for (gsize first = 0; first < n_win; first += RUN_GROUP) {
    gsize b = MIN (RUN_GROUP, n_win - first);
    Pass p[PUNCT_RNN_MAX_LAYERS];
    for (guint layer = 0; layer < m->shape.layers; layer++)
      pass_init (&p[layer], layer_in (&m->shape, layer), m->shape.hidden, win, b, FALSE,
          FALSE, FALSE);
    for (gsize s = 0; s < b; s++) {
      gsize start = MIN ((first + s) * stride, n - win);
      for (gsize t = 0; t < win; t++)
        batch_ids[t * b + s] = ids[start + t];
    }
    forward (m, p, batch_ids);
    for (gsize s = 0; s < b; s++) {
      gsize start = MIN ((first + s) * stride, n - win);
      for (gsize t = 0; t < win; t++) {
        /* how central the word is in this window; ties go to the earlier window */
        float c = MIN (t, win - 1 - t);
        if (c > best[start + t]) {
          best[start + t] = c;
          memcpy (out + (start + t) * L, p->logits + (t * b + s) * L, L * sizeof (float));
        }
      }
    }
    for (guint layer = 0; layer < m->shape.layers; layer++)
      pass_clear (&p[layer]);
  }
  for (guint i = 0; i < n; i++)
    punct_log_softmax (out + (gsize) i * L);
  g_free (batch_ids);
  g_free (best);
}

void
punct_rnn_ensemble_log_probs (const PunctRnn *nets, guint n_nets, const guint32 *ids, guint n,
    float *out)
{
  if (n == 0 || n_nets == 0)
    return;
  punct_rnn_log_probs (&nets[0], ids, n, out);
  if (n_nets == 1)
    return;
  const gsize size = (gsize) n * L;
  float *one = g_new (float, size);
  for (guint k = 1; k < n_nets; k++) {
    punct_rnn_log_probs (&nets[k], ids, n, one);
    for (gsize e = 0; e < size; e++)
      out[e] += one[e];
  }
  for (gsize e = 0; e < size; e++)
    out[e] /= n_nets;
  g_free (one);
}

/* ---- training ---- */

#define ADAM_B1 0.9f
#define ADAM_B2 0.999f
#define ADAM_EPS 1e-8f
/* The gradient's norm is clipped to this (recurrent networks have the odd huge step). */
#define CLIP_NORM 5.0f

typedef struct {
  PunctRnn m, g;                /* the parameters and a gradient of the same layout */
  float *params, *grad, *m1, *m2;
  gsize n_params;
  guint64 step, n_steps;        /* Adam steps taken, and in all */
  PunctRnnTrainParams tp;
  guint64 seed;                 /* draws the dropout masks */
  guint frozen;                 /* the last this many embedding numbers of the rows with
                                 * init_found stay as given */
  Pass p[PUNCT_RNN_MAX_LAYERS];  /* one per layer; the first holds the logits and masks */
  float *dh, *dhn, *dxw, *dhu;
  /* each layer's input gradient (layer 0: the embeddings', t*b x dim; above: t*b x 2h, both
   * directions' states of the layer below), and one direction's share of such a gradient */
  float *dx[PUNCT_RNN_MAX_LAYERS], *dh1;
} Trainer;

/* Back-propagate @dh (t*b x h: the loss' gradient on the states of direction @dir of @layer)
 * through its steps; accumulates the gradients of its parameters and writes (dir 1) or adds
 * (dir 0) the gradient of its input to @dx. */
static void
backward_direction (Trainer *tr, guint layer, const float *dh, float *dx, guint dir)
{
  const PunctRnn *m = &tr->m;
  Pass *p = &tr->p[layer];
  const PunctGru *g = &m->gru[layer][dir], *grad = &tr->g.gru[layer][dir];
  const gsize hid = m->shape.hidden, b = p->b, T = p->t, h3 = 3 * hid;
  const gsize dim = layer_in (&m->shape, layer);
  float *carry = tr->dhn;
  memset (carry, 0, b * hid * sizeof (float));
  for (gsize step = 0; step < T; step++) {
    gsize t = dir == 0 ? T - 1 - step : step;
    gboolean first = dir == 0 ? t == 0 : t == T - 1;
    const float *prev = first ? NULL : p->h[dir] + (dir == 0 ? t - 1 : t + 1) * b * hid;
    for (gsize s = 0; s < b; s++) {
      gsize row = (t * b + s) * hid;
      float *dxw = tr->dxw + (t * b + s) * h3, *dhu = tr->dhu + (t * b + s) * h3;
      for (gsize j = 0; j < hid; j++) {
        float gr = dh[row + j] + carry[s * hid + j];
        float z = p->z[dir][row + j], r = p->r[dir][row + j], n = p->n[dir][row + j];
        float hp = prev ? prev[s * hid + j] : 0.0f;
        float dn = gr * (1.0f - z) * (1.0f - n * n);
        float dz = gr * (hp - n) * z * (1.0f - z);
        float dr = dn * p->un[dir][row + j] * r * (1.0f - r);
        carry[s * hid + j] = gr * z;
        dxw[j] = dz;
        dxw[hid + j] = dr;
        dxw[2 * hid + j] = dn;
        dhu[j] = dz;
        dhu[hid + j] = dr;
        dhu[2 * hid + j] = dn * r;
      }
    }
    if (!first)
      punct_gemm (FALSE, FALSE, tr->dhu + t * b * h3, g->u, carry, b, hid, h3, TRUE);
  }
  const gsize rows = T * b;
  /* U: each step's recurrent gradient times the state it read (none at the first step) */
  if (T > 1) {
    if (dir == 0)
      punct_gemm (TRUE, FALSE, tr->dhu + b * h3, p->h[dir], grad->u, h3, hid, rows - b, TRUE);
    else
      punct_gemm (TRUE, FALSE, tr->dhu, p->h[dir] + b * hid, grad->u, h3, hid, rows - b, TRUE);
  }
  for (gsize i = 0; i < rows; i++)
    for (gsize j = 0; j < h3; j++) {
      grad->bu[j] += tr->dhu[i * h3 + j];
      grad->bw[j] += tr->dxw[i * h3 + j];
    }
  punct_gemm (TRUE, FALSE, tr->dxw, p->x, grad->w, h3, dim, rows, TRUE);
  punct_gemm (FALSE, FALSE, tr->dxw, g->w, dx, rows, dim, h3, dir == 0);
}

/* Inverted dropout: each of the @n entries is 0 with probability @rate, else 1 / (1 - rate). */
static void
draw_mask (guint64 *seed, float *mask, gsize n, float rate)
{
  const float keep = 1.0f / (1.0f - rate);
  const guint64 cut = (guint64) (rate * 16777216.0f);
  for (gsize e = 0; e < n; e++)
    mask[e] = (punct_next_random (seed) >> 40) < cut ? 0.0f : keep;
}

/* One batch's forward pass and the gradient of its mean loss in tr->grad (frozen numbers get
 * none). Returns the summed log loss. */
static double
gradient (Trainer *tr, const guint32 *ids, const guint8 *labels)
{
  Pass *p = tr->p;
  PunctRnn *m = &tr->m;
  const gsize rows = p->t * p->b, hid = m->shape.hidden, dim = m->shape.dim;
  const guint top = m->shape.layers - 1;
  if (p->xmask)
    draw_mask (&tr->seed, p->xmask, rows * dim, tr->tp.dropout_emb);
  for (guint dir = 0; dir < 2; dir++)
    if (p->hmask[dir])
      draw_mask (&tr->seed, p->hmask[dir], rows * hid, tr->tp.dropout_out);
  forward (m, p, ids);
  double loss = 0;
  for (gsize i = 0; i < rows; i++) {
    float *v = p->logits + i * L;
    punct_log_softmax (v);
    loss -= v[labels[i]];
    /* a question mark's loss counts question_weight times (they are rare) */
    float wt = labels[i] == STT_PUNCT_QUESTION ? tr->tp.question_weight : 1.0f;
    for (guint l = 0; l < L; l++)
      v[l] = wt * (expf (v[l]) - (l == labels[i])) / rows;
  }
  memset (tr->grad, 0, tr->n_params * sizeof (float));
  for (guint dir = 0; dir < 2; dir++)
    punct_gemm (TRUE, FALSE, p->logits, p->hd[dir] ? p->hd[dir] : p[top].h[dir], tr->g.wo[dir],
        L, hid, rows, FALSE);
  for (gsize i = 0; i < rows; i++)
    for (guint l = 0; l < L; l++)
      tr->g.bo[l] += p->logits[i * L + l];
  /* the backward direction first: its pass writes dx, the forward one adds to it */
  for (gint dir = 1; dir >= 0; dir--) {
    punct_gemm (FALSE, FALSE, p->logits, m->wo[dir], tr->dh, rows, hid, L, FALSE);
    if (p->hmask[dir])
      for (gsize e = 0; e < rows * hid; e++)
        tr->dh[e] *= p->hmask[dir][e];
    backward_direction (tr, top, tr->dh, tr->dx[top], (guint) dir);
  }
  /* down the layers: the input gradient of a layer above the first is the gradient of both
   * directions' states of the layer below */
  for (guint layer = top; layer > 0; layer--)
    for (gint dir = 1; dir >= 0; dir--) {
      for (gsize i = 0; i < rows; i++)
        memcpy (tr->dh1 + i * hid, tr->dx[layer] + i * 2 * hid + (gsize) dir * hid,
            hid * sizeof (float));
      backward_direction (tr, layer - 1, tr->dh1, tr->dx[layer - 1], (guint) dir);
    }
  if (p->xmask)
    for (gsize e = 0; e < rows * dim; e++)
      tr->dx[0][e] *= p->xmask[e];
  for (gsize i = 0; i < rows; i++) {
    float *g = tr->g.emb + (gsize) ids[i] * dim;
    for (gsize e = 0; e < dim; e++)
      g[e] += tr->dx[0][i * dim + e];
  }
  /* frozen numbers get no gradient, so Adam never moves them */
  for (gsize i = 0; tr->frozen && i < rows; i++)
    if (tr->tp.init_found[ids[i]])
      memset (tr->g.emb + (gsize) ids[i] * dim + dim - tr->frozen, 0,
          tr->frozen * sizeof (float));
  return loss;
}

/* One Adam step along tr->grad, its norm clipped. */
static void
adam_step (Trainer *tr)
{
  double norm = 0;
  for (gsize e = 0; e < tr->n_params; e++)
    norm += (double) tr->grad[e] * tr->grad[e];
  float clip = norm > CLIP_NORM * CLIP_NORM ? CLIP_NORM / (float) sqrt (norm) : 1.0f;
  /* the learning rate falls linearly from lr to lr_end over the whole training */
  double progress = tr->n_steps > 1 ? MIN (1.0, (double) tr->step / (tr->n_steps - 1)) : 0.0;
  float base = tr->tp.lr + (float) progress * (tr->tp.lr_end - tr->tp.lr);
  tr->step++;
  float c1 = 1.0f - powf (ADAM_B1, tr->step), c2 = 1.0f - powf (ADAM_B2, tr->step);
  float lr = base * sqrtf (c2) / c1;
  for (gsize e = 0; e < tr->n_params; e++) {
    float g = tr->grad[e] * clip;
    tr->m1[e] = ADAM_B1 * tr->m1[e] + (1.0f - ADAM_B1) * g;
    tr->m2[e] = ADAM_B2 * tr->m2[e] + (1.0f - ADAM_B2) * g * g;
    tr->params[e] -= lr * tr->m1[e] / (sqrtf (tr->m2[e]) + ADAM_EPS);
  }
}

/* One batch: forward, loss gradient, backward, Adam. Returns the summed log loss. */
static double
train_batch (Trainer *tr, const guint32 *ids, const guint8 *labels)
{
  double loss = gradient (tr, ids, labels);
  adam_step (tr);
  return loss;
}

/* The passes and gradient buffers of batches of @batch windows of @win words. */
static void
buffers_init (Trainer *tr, gsize win, gsize batch)
{
  const PunctRnnShape *s = &tr->m.shape;
  const gsize hid = s->hidden, rows = win * batch;
  for (guint layer = 0; layer < s->layers; layer++) {
    pass_init (&tr->p[layer], layer_in (s, layer), hid, win, batch, TRUE,
        layer == 0 && tr->tp.dropout_emb > 0, layer == 0 && tr->tp.dropout_out > 0);
    tr->dx[layer] = g_new (float, rows * layer_in (s, layer));
  }
  tr->dh = g_new (float, rows * hid);
  tr->dhn = g_new (float, batch * hid);
  tr->dxw = g_new (float, rows * 3 * hid);
  tr->dhu = g_new (float, rows * 3 * hid);
  if (s->layers > 1)
    tr->dh1 = g_new (float, rows * hid);
}

static void
buffers_clear (Trainer *tr)
{
  g_free (tr->dh);
  g_free (tr->dhn);
  g_free (tr->dxw);
  g_free (tr->dhu);
  g_free (tr->dh1);
  for (guint layer = 0; layer < tr->m.shape.layers; layer++) {
    pass_clear (&tr->p[layer]);
    g_free (tr->dx[layer]);
  }
}

double
punct_rnn_gradient (const PunctRnnShape *shape, float *params, const guint32 *ids,
    const guint8 *labels, gsize t, gsize b, float *grad)
{
  Trainer tr;
  memset (&tr, 0, sizeof tr);
  tr.tp.question_weight = 1.0f;
  tr.n_params = punct_rnn_n_params (shape);
  tr.params = params;
  tr.grad = grad;
  punct_rnn_view (&tr.m, shape, params);
  punct_rnn_view (&tr.g, shape, grad);
  buffers_init (&tr, t, b);
  double loss = gradient (&tr, ids, labels);
  buffers_clear (&tr);
  return loss / (double) (t * b);
}

float *
punct_rnn_train (PunctRnnShape *shape, const guint32 *ids, const guint8 *labels,
    gsize n_tokens, const PunctRnnTrainParams *tp)
{
  Trainer tr;
  memset (&tr, 0, sizeof tr);
  tr.tp = *tp;
  tr.tp.dropout_emb = CLAMP (tr.tp.dropout_emb, 0.0f, 0.9f);
  tr.tp.dropout_out = CLAMP (tr.tp.dropout_out, 0.0f, 0.9f);
  guint epochs = tp->epochs, batch = tp->batch;
  stt_blas_single_thread ();
  shape->window = MIN (shape->window, n_tokens);
  PunctRnnShape s = *shape;
  tr.n_params = punct_rnn_n_params (&s);
  tr.params = g_new (float, tr.n_params);
  tr.grad = g_new0 (float, tr.n_params);
  tr.m1 = g_new0 (float, tr.n_params);
  tr.m2 = g_new0 (float, tr.n_params);
  punct_rnn_view (&tr.m, &s, tr.params);
  punct_rnn_view (&tr.g, &s, tr.grad);
  guint64 seed = tp->seed ? tp->seed : G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  tr.seed = seed ^ G_GUINT64_CONSTANT (0xd1b54a32d192ed03);
  const gsize hid = s.hidden, dim = s.dim;
  for (gsize e = 0; e < (gsize) s.vocab * dim; e++)
    tr.params[e] = punct_uniform (&seed, 0.1f);
  const guint init_dim = tp->init_emb ? MIN (tp->init_dim, dim) : 0;
  for (gsize v = 0; init_dim && v < s.vocab; v++)
    if (tp->init_found[v])
      memcpy (tr.params + v * dim + dim - init_dim, tp->init_emb + v * tp->init_dim,
          init_dim * sizeof (float));
  tr.frozen = tp->freeze_init ? init_dim : 0;
  float ru = 1.0f / sqrtf (hid);
  for (guint layer = 0; layer < s.layers; layer++)
    for (guint dir = 0; dir < 2; dir++) {
      PunctGru *g = &tr.m.gru[layer][dir];
      gsize in = layer_in (&s, layer);
      float rw = 1.0f / sqrtf (in);
      for (gsize e = 0; e < 3 * hid * in; e++)
        g->w[e] = punct_uniform (&seed, rw);
      for (gsize e = 0; e < 3 * hid * hid; e++)
        g->u[e] = punct_uniform (&seed, ru);
      memset (g->bw, 0, 3 * hid * sizeof (float));
      memset (g->bu, 0, 3 * hid * sizeof (float));
    }
  for (gsize e = 0; e < 2 * L * hid; e++)
    tr.m.wo[0][e] = punct_uniform (&seed, ru);
  memset (tr.m.bo, 0, L * sizeof (float));

  const gsize win = s.window;
  gsize n_win = n_tokens / win;
  batch = MAX (1, MIN (batch, n_win));
  buffers_init (&tr, win, batch);
  tr.n_steps = (guint64) epochs * ((n_win + batch - 1) / batch);
  gsize rows = win * batch;
  gsize *starts = g_new (gsize, n_win);
  guint32 *b_ids = g_new (guint32, rows);
  guint8 *b_labels = g_new (guint8, rows);
  for (guint ep = 0; ep < epochs; ep++) {
    /* every epoch cuts the text at other places */
    gsize offset = ep == 0 || n_tokens < 2 * win ? 0 : punct_next_random (&seed) % win;
    gsize n = (n_tokens - offset) / win;
    for (gsize w = 0; w < n; w++)
      starts[w] = offset + w * win;
    for (gsize i = n; i > 1; i--) {
      gsize j = punct_next_random (&seed) % i, tmp = starts[i - 1];
      starts[i - 1] = starts[j];
      starts[j] = tmp;
    }
    double loss = 0;
    /* a last partial batch is filled up with the epoch's first windows */
    gsize n_batches = 0;
    for (gsize first = 0; first < n; first += batch, n_batches++) {
      for (gsize sq = 0; sq < batch; sq++) {
        gsize start = starts[(first + sq) % n];
        for (gsize t = 0; t < win; t++) {
          b_ids[t * batch + sq] = ids[start + t];
          b_labels[t * batch + sq] = labels[start + t];
        }
      }
      loss += train_batch (&tr, b_ids, b_labels);
    }
    if (g_getenv ("STT_PUNCT_VERBOSE")) {
      double sq = 0;
      for (gsize e = 0; e < (gsize) s.vocab * dim; e++)
        sq += (double) tr.params[e] * tr.params[e];
      g_printerr ("punct rnn: epoch %u, mean loss %.4f, embedding rms %.4f\n", ep + 1,
          n_batches ? loss / (n_batches * rows) : 0.0, sqrt (sq / ((double) s.vocab * dim)));
    }
  }
  g_free (starts);
  g_free (b_ids);
  g_free (b_labels);
  buffers_clear (&tr);
  g_free (tr.grad);
  g_free (tr.m1);
  g_free (tr.m2);
  return tr.params;
}
