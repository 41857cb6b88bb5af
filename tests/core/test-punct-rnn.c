/* gst-stt — the sentence network's training and ensembles (core/punct/punct-rnn.c, private API):
 * the gradient against finite differences (one to three layers), dropout only in training,
 * determinism, two and three layers learning, the mean of an ensemble, the question weight.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <string.h>
#include "punct-private.h"

#define L STT_PUNCT_N_LABELS
#define VOCAB 8

/* A synthetic text of @n words (ids PUNCT_MLP_FIRST + 0..VOCAB-1): a period after word 0, a
 * question mark after word 2, a comma after any word followed by word 1 (the network needs
 * the right context for that), nothing elsewhere. */
static void
make_text (guint64 seed, guint32 *ids, guint8 *labels, gsize n)
{
  for (gsize i = 0; i < n; i++)
    ids[i] = PUNCT_MLP_FIRST + (guint32) (punct_next_random (&seed) % VOCAB);
  for (gsize i = 0; i < n; i++) {
    guint32 w = ids[i] - PUNCT_MLP_FIRST;
    labels[i] = w == 0 ? STT_PUNCT_PERIOD : w == 2 ? STT_PUNCT_QUESTION
        : i + 1 < n && ids[i + 1] == PUNCT_MLP_FIRST + 1 ? STT_PUNCT_COMMA : STT_PUNCT_NONE;
  }
}

#define N_TRAIN 4000
#define N_TEST 1000

static float *
train_layers (PunctRnnShape *shape, guint layers, const guint32 *ids, const guint8 *labels,
    float dropout, float question_weight, guint64 seed)
{
  *shape = (PunctRnnShape) { 8, 16, PUNCT_MLP_FIRST + VOCAB, 32, layers };
  PunctRnnTrainParams tp = { 6, 8, 0.01f, 0.002f, dropout, dropout, question_weight, seed };
  return punct_rnn_train (shape, ids, labels, N_TRAIN, &tp);
}

static float *
train (PunctRnnShape *shape, const guint32 *ids, const guint8 *labels, float dropout,
    float question_weight, guint64 seed)
{
  return train_layers (shape, 1, ids, labels, dropout, question_weight, seed);
}

/* Share of the words whose most probable mark is the text's. */
static double
accuracy (const float *lp, const guint8 *labels, gsize n)
{
  gsize hits = 0;
  for (gsize i = 0; i < n; i++) {
    guint best = 0;
    for (guint l = 1; l < L; l++)
      if (lp[i * L + l] > lp[i * L + best])
        best = l;
    hits += best == labels[i];
  }
  return (double) hits / n;
}

/* Trained with dropout, the network is the same every time (seeded masks), differs from one
 * trained without, learns the task, and at run time (no dropout) gives the same
 * probabilities on every call, summing to 1. */
static void
test_dropout (void)
{
  guint32 *ids = g_new (guint32, N_TRAIN), *test_ids = g_new (guint32, N_TEST);
  guint8 *labels = g_new (guint8, N_TRAIN), *test_labels = g_new (guint8, N_TEST);
  make_text (1, ids, labels, N_TRAIN);
  make_text (2, test_ids, test_labels, N_TEST);
  PunctRnnShape s;
  float *a = train (&s, ids, labels, 0.3f, 1.0f, 0);
  float *b = train (&s, ids, labels, 0.3f, 1.0f, 0);
  float *plain = train (&s, ids, labels, 0.0f, 1.0f, 0);
  gsize n_params = punct_rnn_n_params (&s);
  g_assert_cmpmem (a, n_params * sizeof (float), b, n_params * sizeof (float));
  g_assert_true (memcmp (a, plain, n_params * sizeof (float)) != 0);

  PunctRnn net;
  punct_rnn_view (&net, &s, a);
  float *lp = g_new (float, N_TEST * L), *again = g_new (float, N_TEST * L);
  punct_rnn_log_probs (&net, test_ids, N_TEST, lp);
  punct_rnn_log_probs (&net, test_ids, N_TEST, again);
  g_assert_cmpmem (lp, N_TEST * L * sizeof (float), again, N_TEST * L * sizeof (float));
  for (gsize i = 0; i < N_TEST; i++) {
    double sum = 0;
    for (guint l = 0; l < L; l++)
      sum += exp (lp[i * L + l]);
    g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-4);
  }
  double acc = accuracy (lp, test_labels, N_TEST);
  g_test_message ("accuracy with dropout 0.3: %.3f", acc);
  g_assert_cmpfloat (acc, >, 0.97);
  g_free (lp);
  g_free (again);
  g_free (a);
  g_free (b);
  g_free (plain);
  g_free (ids);
  g_free (labels);
  g_free (test_ids);
  g_free (test_labels);
}

/* The gradient of the mean loss (punct_rnn_gradient: forward, softmax, back-propagation
 * through the output layer, the layers, both directions and the embeddings) matches central
 * finite differences, for one layer and for two. */
static void
test_gradient (void)
{
  for (guint layers = 1; layers <= PUNCT_RNN_MAX_LAYERS; layers++) {
    const PunctRnnShape s = { 3, 4, PUNCT_MLP_FIRST + 5, 6, layers };
    const gsize t = 6, b = 2, n = punct_rnn_n_params (&s);
    guint64 seed = 11 + layers;
    float *params = g_new (float, n), *grad = g_new (float, n), *scratch = g_new (float, n);
    for (gsize e = 0; e < n; e++)
      params[e] = punct_uniform (&seed, 0.8f);
    guint32 ids[12];
    guint8 labels[12];
    for (gsize i = 0; i < t * b; i++) {
      ids[i] = PUNCT_MLP_FIRST + (guint32) (punct_next_random (&seed) % 5);
      labels[i] = (guint8) (punct_next_random (&seed) % L);
    }
    punct_rnn_gradient (&s, params, ids, labels, t, b, grad);
    double worst = 0;
    guint checked = 0;
    for (gsize e = 0; e < n; e++) {
      /* only the embedding rows of words in the windows have a gradient */
      if (e < (gsize) s.vocab * s.dim && e / s.dim < PUNCT_MLP_FIRST)
        continue;
      const float eps = 1e-2f, keep = params[e];
      params[e] = keep + eps;
      double up = punct_rnn_gradient (&s, params, ids, labels, t, b, scratch);
      params[e] = keep - eps;
      double down = punct_rnn_gradient (&s, params, ids, labels, t, b, scratch);
      params[e] = keep;
      double numeric = (up - down) / (2 * eps);
      double err = fabs (numeric - grad[e]) / (1e-3 + fabs (numeric) + fabs (grad[e]));
      worst = MAX (worst, err);
      if (err > 0.05)
        g_error ("%u layers, parameter %" G_GSIZE_FORMAT ": gradient %g, finite difference %g",
            layers, e, grad[e], numeric);
      checked++;
    }
    g_test_message ("%u layers: %u parameters, worst relative difference %.4f", layers,
        checked, worst);
    g_assert_cmpuint (checked, >, 100);
    g_free (params);
    g_free (grad);
    g_free (scratch);
  }
}

/* Two and three layers learn the task too, the same way every time, and each layer adds its
 * parameters. */
static void
test_layers (void)
{
  guint32 *ids = g_new (guint32, N_TRAIN), *test_ids = g_new (guint32, N_TEST);
  guint8 *labels = g_new (guint8, N_TRAIN), *test_labels = g_new (guint8, N_TEST);
  make_text (5, ids, labels, N_TRAIN);
  make_text (6, test_ids, test_labels, N_TEST);
  PunctRnnShape one;
  float *c = train_layers (&one, 1, ids, labels, 0.1f, 1.0f, 0);
  gsize below = punct_rnn_n_params (&one);
  for (guint layers = 2; layers <= PUNCT_RNN_MAX_LAYERS; layers++) {
    PunctRnnShape s;
    float *a = train_layers (&s, layers, ids, labels, 0.1f, 1.0f, 0);
    float *b = train_layers (&s, layers, ids, labels, 0.1f, 1.0f, 0);
    /* each layer above the first: per direction 3 gates over both states below and its own */
    gsize n_params = punct_rnn_n_params (&s);
    g_assert_cmpuint (n_params, ==, below + 2 * (3 * 16 * 32 + 3 * 16 * 16 + 6 * 16));
    below = n_params;
    g_assert_cmpmem (a, n_params * sizeof (float), b, n_params * sizeof (float));
    PunctRnn net;
    punct_rnn_view (&net, &s, a);
    float *lp = g_new (float, N_TEST * L);
    punct_rnn_log_probs (&net, test_ids, N_TEST, lp);
    double acc = accuracy (lp, test_labels, N_TEST);
    g_test_message ("accuracy with %u layers: %.3f", layers, acc);
    g_assert_cmpfloat (acc, >, 0.97);
    g_free (lp);
    g_free (a);
    g_free (b);
  }
  g_free (c);
  g_free (ids);
  g_free (labels);
  g_free (test_ids);
  g_free (test_labels);
}

/* Members trained with other seeds differ; the ensemble's log-probabilities are their mean,
 * and an ensemble of one is that network. */
static void
test_ensemble (void)
{
  guint32 *ids = g_new (guint32, N_TRAIN);
  guint8 *labels = g_new (guint8, N_TRAIN);
  make_text (3, ids, labels, N_TRAIN);
  PunctRnnShape s;
  float *p0 = train (&s, ids, labels, 0.1f, 1.0f, 0);
  float *p1 = train (&s, ids, labels, 0.1f, 1.0f, 77);
  gsize n_params = punct_rnn_n_params (&s);
  g_assert_true (memcmp (p0, p1, n_params * sizeof (float)) != 0);
  PunctRnn nets[2];
  punct_rnn_view (&nets[0], &s, p0);
  punct_rnn_view (&nets[1], &s, p1);
  /* longer than a window: several overlapping windows */
  const guint n = 300;
  float *a = g_new (float, n * L), *b = g_new (float, n * L), *mean = g_new (float, n * L);
  punct_rnn_log_probs (&nets[0], ids, n, a);
  punct_rnn_log_probs (&nets[1], ids, n, b);
  punct_rnn_ensemble_log_probs (nets, 2, ids, n, mean);
  gboolean differ = FALSE;
  for (gsize e = 0; e < (gsize) n * L; e++) {
    g_assert_cmpfloat_with_epsilon (mean[e], (a[e] + b[e]) / 2, 1e-5);
    differ |= fabsf (a[e] - b[e]) > 1e-4f;
  }
  g_assert_true (differ);
  punct_rnn_ensemble_log_probs (nets, 1, ids, n, mean);
  g_assert_cmpmem (mean, (gsize) n * L * sizeof (float), a, (gsize) n * L * sizeof (float));
  g_free (a);
  g_free (b);
  g_free (mean);
  g_free (p0);
  g_free (p1);
  g_free (ids);
  g_free (labels);
}

/* Mean log-probability of the question mark where the text has one. */
static double
question_log_prob (const float *params, const PunctRnnShape *s, const guint32 *ids,
    const guint8 *labels, gsize n)
{
  PunctRnn net;
  punct_rnn_view (&net, s, (float *) params);
  float *lp = g_new (float, n * L);
  punct_rnn_log_probs (&net, ids, n, lp);
  double sum = 0;
  gsize count = 0;
  for (gsize i = 0; i < n; i++)
    if (labels[i] == STT_PUNCT_QUESTION) {
      sum += lp[i * L + STT_PUNCT_QUESTION];
      count++;
    }
  g_free (lp);
  g_assert_cmpuint (count, >, 0);
  return sum / count;
}

/* A heavier question mark in the loss makes the network surer of the question marks. */
static void
test_question_weight (void)
{
  guint32 *ids = g_new (guint32, N_TRAIN);
  guint8 *labels = g_new (guint8, N_TRAIN);
  make_text (4, ids, labels, N_TRAIN);
  PunctRnnShape s;
  /* one short pass: neither network has learned the task to the end */
  s = (PunctRnnShape) { 8, 16, PUNCT_MLP_FIRST + VOCAB, 32, 1 };
  PunctRnnTrainParams tp = { 1, 8, 0.003f, 0.003f, 0.0f, 0.0f, 1.0f, 0 };
  float *one = punct_rnn_train (&s, ids, labels, N_TRAIN, &tp);
  tp.question_weight = 4.0f;
  float *four = punct_rnn_train (&s, ids, labels, N_TRAIN, &tp);
  double q1 = question_log_prob (one, &s, ids, labels, N_TRAIN);
  double q4 = question_log_prob (four, &s, ids, labels, N_TRAIN);
  g_test_message ("question log-probability: weight 1 %.3f, weight 4 %.3f", q1, q4);
  g_assert_cmpfloat (q4, >, q1);
  g_free (one);
  g_free (four);
  g_free (ids);
  g_free (labels);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/punct-rnn/gradient", test_gradient);
  g_test_add_func ("/punct-rnn/dropout", test_dropout);
  g_test_add_func ("/punct-rnn/layers", test_layers);
  g_test_add_func ("/punct-rnn/ensemble", test_ensemble);
  g_test_add_func ("/punct-rnn/question-weight", test_question_weight);
  return g_test_run ();
}
