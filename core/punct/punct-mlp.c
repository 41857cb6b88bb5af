/* gst-stt — the window network of the punct model: word embeddings -> hidden layer -> marks.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The linear model sees words and n-grams as unrelated symbols; this network learns an
 * embedding per word, so what it learns about one word carries over to words used alike, and
 * its hidden layer combines the words of the window without listing n-grams. For the word at
 * i it concatenates the embeddings of words i-left..i+right, applies a ReLU layer and a softmax
 * over the marks. Trained with mini-batch Adagrad in a fixed (seeded) order, so the same text
 * gives the same model; the matrix products go through OpenBLAS when the build has it.
 */
#include "punct-private.h"

#include <math.h>
#include <string.h>


#define BATCH 128

gsize
punct_mlp_n_params (const PunctMlpShape *s)
{
  gsize in = (gsize) (s->left + 1 + s->right) * s->dim;
  return (gsize) s->vocab * s->dim + (gsize) s->hidden * in + s->hidden
      + (gsize) STT_PUNCT_N_LABELS * s->hidden + STT_PUNCT_N_LABELS;
}

void
punct_mlp_view (PunctMlp *m, const PunctMlpShape *s, float *params)
{
  m->shape = *s;
  m->in = (s->left + 1 + s->right) * s->dim;
  m->emb = params;
  m->w1 = m->emb + (gsize) s->vocab * s->dim;
  m->b1 = m->w1 + (gsize) s->hidden * m->in;
  m->w2 = m->b1 + s->hidden;
  m->b2 = m->w2 + (gsize) STT_PUNCT_N_LABELS * s->hidden;
}

/* The window of word @i as embedding rows, into @x (in floats). */
static void
gather (const PunctMlp *m, const guint32 *ids, gint64 n, gint64 i, float *x)
{
  const guint dim = m->shape.dim;
  for (gint64 k = i - m->shape.left, j = 0; k <= i + m->shape.right; k++, j++) {
    guint32 id = k < 0 || k >= n ? PUNCT_MLP_OUTSIDE : ids[k];
    memcpy (x + j * dim, m->emb + (gsize) id * dim, dim * sizeof (float));
  }
}

static void
hidden_layer (const PunctMlp *m, const float *x, float *h, guint rows)
{
  const guint hid = m->shape.hidden;
  for (guint r = 0; r < rows; r++)
    memcpy (h + (gsize) r * hid, m->b1, hid * sizeof (float));
  punct_gemm (FALSE, TRUE, x, m->w1, h, rows, hid, m->in, TRUE);
  for (gsize e = 0; e < (gsize) rows * hid; e++)
    h[e] = h[e] > 0 ? h[e] : 0;
}

static void
output_layer (const PunctMlp *m, const float *h, float *out, guint rows)
{
  for (guint r = 0; r < rows; r++)
    memcpy (out + (gsize) r * STT_PUNCT_N_LABELS, m->b2, sizeof (float) * STT_PUNCT_N_LABELS);
  punct_gemm (FALSE, TRUE, h, m->w2, out, rows, STT_PUNCT_N_LABELS, m->shape.hidden, TRUE);
}

void
punct_mlp_log_probs (const PunctMlp *m, const guint32 *ids, guint n, float *out)
{
  float *x = g_new (float, (gsize) BATCH * m->in);
  float *h = g_new (float, (gsize) BATCH * m->shape.hidden);
  for (guint start = 0; start < n; start += BATCH) {
    guint rows = MIN (BATCH, n - start);
    for (guint r = 0; r < rows; r++)
      gather (m, ids, n, start + r, x + (gsize) r * m->in);
    hidden_layer (m, x, h, rows);
    float *o = out + (gsize) start * STT_PUNCT_N_LABELS;
    output_layer (m, h, o, rows);
    for (guint r = 0; r < rows; r++)
      punct_log_softmax (o + (gsize) r * STT_PUNCT_N_LABELS);
  }
  g_free (x);
  g_free (h);
}

/* ---- training ---- */

typedef struct {
  PunctMlp m;
  float *params, *g2;           /* the parameters and their squared-gradient sums */
  float *grad;                  /* gradient of one batch, same layout */
  float lr;
} Trainer;

static void
adagrad (Trainer *t, gsize off, gsize len)
{
  for (gsize e = off; e < off + len; e++) {
    float g = t->grad[e];
    if (g == 0)
      continue;
    t->g2[e] += g * g;
    t->params[e] -= t->lr * g / sqrtf (t->g2[e] + 1e-8f);
    t->grad[e] = 0;
  }
}

/* One batch of examples at token positions @pos. */
static void
train_batch (Trainer *t, const guint32 *ids, const guint8 *labels, gsize n_tokens,
    const gsize *pos, const gsize *doc_start, const gsize *doc_len, guint rows,
    const float *class_weight, float *x, float *h, float *o, float *dh, float *dx)
{
  PunctMlp *m = &t->m;
  const guint hid = m->shape.hidden, dim = m->shape.dim, L = STT_PUNCT_N_LABELS;
  for (guint r = 0; r < rows; r++)
    gather (m, ids + doc_start[r], doc_len[r], pos[r] - doc_start[r], x + (gsize) r * m->in);
  hidden_layer (m, x, h, rows);
  output_layer (m, h, o, rows);
  for (guint r = 0; r < rows; r++) {
    float *v = o + (gsize) r * L;
    punct_log_softmax (v);
    guint8 gold = labels[pos[r]];
    for (guint l = 0; l < L; l++)
      v[l] = (expf (v[l]) - (l == gold)) * class_weight[gold] / rows;
  }
  (void) n_tokens;
  /* output layer */
  float *gw1 = t->grad + (m->w1 - t->params), *gb1 = t->grad + (m->b1 - t->params);
  float *gw2 = t->grad + (m->w2 - t->params), *gb2 = t->grad + (m->b2 - t->params);
  punct_gemm (TRUE, FALSE, o, h, gw2, L, hid, rows, FALSE);
  for (guint r = 0; r < rows; r++)
    for (guint l = 0; l < L; l++)
      gb2[l] += o[(gsize) r * L + l];
  punct_gemm (FALSE, FALSE, o, m->w2, dh, rows, hid, L, FALSE);
  for (gsize e = 0; e < (gsize) rows * hid; e++)
    dh[e] = h[e] > 0 ? dh[e] : 0;
  punct_gemm (TRUE, FALSE, dh, x, gw1, hid, m->in, rows, FALSE);
  for (guint r = 0; r < rows; r++)
    for (guint j = 0; j < hid; j++)
      gb1[j] += dh[(gsize) r * hid + j];
  punct_gemm (FALSE, FALSE, dh, m->w1, dx, rows, m->in, hid, FALSE);
  /* the embeddings of the words in the windows: sparse */
  float *gemb = t->grad;
  for (guint r = 0; r < rows; r++) {
    gint64 i = pos[r] - doc_start[r], n = doc_len[r];
    const guint32 *d_ids = ids + doc_start[r];
    for (gint64 k = i - m->shape.left, j = 0; k <= i + m->shape.right; k++, j++) {
      guint32 id = k < 0 || k >= n ? PUNCT_MLP_OUTSIDE : d_ids[k];
      float *g = gemb + (gsize) id * dim;
      const float *src = dx + (gsize) r * m->in + j * dim;
      for (guint e = 0; e < dim; e++)
        g[e] += src[e];
    }
  }
  gsize n_emb = (gsize) m->shape.vocab * dim;
  for (guint r = 0; r < rows; r++) {
    gint64 i = pos[r] - doc_start[r], n = doc_len[r];
    const guint32 *d_ids = ids + doc_start[r];
    for (gint64 k = i - m->shape.left; k <= i + m->shape.right; k++) {
      guint32 id = k < 0 || k >= n ? PUNCT_MLP_OUTSIDE : d_ids[k];
      adagrad (t, (gsize) id * dim, dim);
    }
  }
  adagrad (t, n_emb, punct_mlp_n_params (&m->shape) - n_emb);
}

float *
punct_mlp_train (const PunctMlpShape *shape, const guint32 *ids, const guint8 *labels,
    gsize n_tokens, const guint *doc_ends, guint n_docs, guint epochs, float lr)
{
  gsize n_params = punct_mlp_n_params (shape);
  Trainer t = { { 0 }, g_new (float, n_params), g_new0 (float, n_params),
    g_new0 (float, n_params), lr };
  punct_mlp_view (&t.m, shape, t.params);
  guint64 seed = G_GUINT64_CONSTANT (0x2545f4914f6cdd1d);
  gsize n_emb = (gsize) shape->vocab * shape->dim;
  for (gsize e = 0; e < n_emb; e++)
    t.params[e] = punct_uniform (&seed, 0.1f);
  float r1 = sqrtf (6.0f / (t.m.in + shape->hidden));
  float r2 = sqrtf (6.0f / (shape->hidden + STT_PUNCT_N_LABELS));
  for (gsize e = 0; e < (gsize) shape->hidden * t.m.in; e++)
    t.m.w1[e] = punct_uniform (&seed, r1);
  memset (t.m.b1, 0, shape->hidden * sizeof (float));
  for (gsize e = 0; e < (gsize) STT_PUNCT_N_LABELS * shape->hidden; e++)
    t.m.w2[e] = punct_uniform (&seed, r2);
  memset (t.m.b2, 0, STT_PUNCT_N_LABELS * sizeof (float));

  /* each token's document */
  gsize *order = g_new (gsize, n_tokens);
  guint *doc_of = g_new (guint, n_tokens);
  for (guint d = 0, s = 0; d < n_docs; s = doc_ends[d], d++)
    for (gsize i = s; i < doc_ends[d]; i++)
      doc_of[i] = d;
  for (gsize i = 0; i < n_tokens; i++)
    order[i] = i;
  static const float class_weight[STT_PUNCT_N_LABELS] = { 1.0f, 1.0f, 1.0f, 1.0f };
  float *x = g_new (float, (gsize) BATCH * t.m.in), *dx = g_new (float, (gsize) BATCH * t.m.in);
  float *h = g_new (float, (gsize) BATCH * shape->hidden);
  float *dh = g_new (float, (gsize) BATCH * shape->hidden);
  float *o = g_new (float, (gsize) BATCH * STT_PUNCT_N_LABELS);
  gsize pos[BATCH], dstart[BATCH], dlen[BATCH];
  for (guint ep = 0; ep < epochs; ep++) {
    for (gsize i = n_tokens; i > 1; i--) {
      gsize j = punct_next_random (&seed) % i, tmp = order[i - 1];
      order[i - 1] = order[j];
      order[j] = tmp;
    }
    for (gsize b = 0; b < n_tokens; b += BATCH) {
      guint rows = MIN (BATCH, n_tokens - b);
      for (guint r = 0; r < rows; r++) {
        pos[r] = order[b + r];
        guint d = doc_of[pos[r]];
        dstart[r] = d ? doc_ends[d - 1] : 0;
        dlen[r] = doc_ends[d] - dstart[r];
      }
      train_batch (&t, ids, labels, n_tokens, pos, dstart, dlen, rows, class_weight, x, h, o,
          dh, dx);
    }
  }
  g_free (x);
  g_free (dx);
  g_free (h);
  g_free (dh);
  g_free (o);
  g_free (order);
  g_free (doc_of);
  g_free (t.g2);
  g_free (t.grad);
  return t.params;
}
