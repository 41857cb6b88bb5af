/* gst-stt — word classes for the punct model: k-means over each word's neighbours.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Words that appear between the same neighbours play the same part in a sentence ("nation",
 * "country", "world"; "we", "they"). Grouping them lets the model carry what it learned about
 * one word to the others, which n-grams of the words themselves cannot. Each of the most
 * frequent words is described by how often each of the most frequent words stands just before
 * and just after it (square-rooted, unit length); k-means with cosine similarity, started from
 * the most frequent words, groups them. Deterministic: no random numbers, fixed orders.
 */
#include "punct-private.h"

#include <math.h>
#include <string.h>

#define N_CONTEXT 300
#define MIN_COUNT 3
#define ITERATIONS 8

typedef struct {
  const char *const *words;
  const guint *counts;
} Vocab;

static int
by_count (gconstpointer a, gconstpointer b, gpointer data)
{
  const Vocab *v = data;
  guint ia = *(const guint *) a, ib = *(const guint *) b;
  if (v->counts[ia] != v->counts[ib])
    return v->counts[ia] > v->counts[ib] ? -1 : 1;
  return strcmp (v->words[ia], v->words[ib]);
}

static void
normalise (float *v, guint n)
{
  double s = 0;
  for (guint i = 0; i < n; i++)
    s += (double) v[i] * v[i];
  if (s > 0) {
    float inv = (float) (1.0 / sqrt (s));
    for (guint i = 0; i < n; i++)
      v[i] *= inv;
  }
}

typedef struct {
  gsize *start;                 /* n + 1 offsets into idx/val */
  guint16 *idx;
  float *val;
  guint n;
} Sparse;

/* Cosine k-means over the unit rows of @x, started from its first @k rows (@dense holds the
 * same rows densely); returns the class of each row. */
static guint *
kmeans (const Sparse *x, const float *dense, guint dim, guint k)
{
  float *c = g_memdup2 (dense, (gsize) k * dim * sizeof (float));
  float *sum = g_new (float, (gsize) k * dim);
  float *score = g_new (float, k);
  guint *assign = g_new0 (guint, x->n);
  for (guint it = 0; it < ITERATIONS; it++) {
    for (guint r = 0; r < x->n; r++) {
      for (guint j = 0; j < k; j++)
        score[j] = 0;
      for (gsize p = x->start[r]; p < x->start[r + 1]; p++) {
        const float v = x->val[p];
        const float *col = c + x->idx[p];
        for (guint j = 0; j < k; j++)
          score[j] += v * col[(gsize) j * dim];
      }
      guint best = 0;
      for (guint j = 1; j < k; j++)
        if (score[j] > score[best])
          best = j;
      assign[r] = best;
    }
    memset (sum, 0, (gsize) k * dim * sizeof (float));
    for (guint r = 0; r < x->n; r++) {
      float *s = sum + (gsize) assign[r] * dim;
      for (gsize p = x->start[r]; p < x->start[r + 1]; p++)
        s[x->idx[p]] += x->val[p];
    }
    for (guint j = 0; j < k; j++) {
      float *s = sum + (gsize) j * dim;
      normalise (s, dim);
      gboolean empty = TRUE;
      for (guint e = 0; e < dim && empty; e++)
        empty = s[e] == 0;
      if (!empty)               /* an empty class keeps its centre */
        memcpy (c + (gsize) j * dim, s, dim * sizeof (float));
    }
  }
  g_free (score);
  g_free (sum);
  g_free (c);
  return assign;
}

guint *
punct_classes_train (const char *const *words, const guint *counts, guint n_vocab,
    const guint32 *tokens, gsize n_tokens, guint max_words)
{
  guint *order = g_new (guint, n_vocab);
  for (guint i = 0; i < n_vocab; i++)
    order[i] = i;
  Vocab v = { words, counts };
  g_qsort_with_data (order, n_vocab, sizeof (guint), by_count, &v);
  guint *rank = g_new (guint, n_vocab);
  for (guint i = 0; i < n_vocab; i++)
    rank[order[i]] = i;
  guint n = 0;
  while (n < MIN (max_words, n_vocab) && counts[order[n]] >= MIN_COUNT)
    n++;
  guint *cls = g_new (guint, n_vocab);
  for (guint i = 0; i < n_vocab; i++)
    cls[i] = PUNCT_NO_CLASS;
  if (n == 0) {
    g_free (order);
    g_free (rank);
    return cls;
  }

  /* each word's neighbour counts, sparse (most words have few distinct neighbours) */
  const guint dim = 2 * N_CONTEXT;
  float *dense = g_new0 (float, (gsize) n * dim);
  for (gsize i = 0; i < n_tokens; i++) {
    guint r = rank[tokens[i]];
    if (r >= n)
      continue;
    if (i > 0 && rank[tokens[i - 1]] < N_CONTEXT)
      dense[(gsize) r * dim + rank[tokens[i - 1]]] += 1;
    if (i + 1 < n_tokens && rank[tokens[i + 1]] < N_CONTEXT)
      dense[(gsize) r * dim + N_CONTEXT + rank[tokens[i + 1]]] += 1;
  }
  Sparse x = { g_new (gsize, n + 1), NULL, NULL, n };
  GArray *idx = g_array_new (FALSE, FALSE, sizeof (guint16));
  GArray *val = g_array_new (FALSE, FALSE, sizeof (float));
  for (guint r = 0; r < n; r++) {
    float *row = dense + (gsize) r * dim;
    for (guint e = 0; e < dim; e++)
      row[e] = sqrtf (row[e]);
    normalise (row, dim);
    x.start[r] = idx->len;
    for (guint16 e = 0; e < dim; e++)
      if (row[e] != 0) {
        g_array_append_val (idx, e);
        g_array_append_val (val, row[e]);
      }
  }
  x.start[n] = idx->len;
  x.idx = (guint16 *) idx->data;
  x.val = (float *) val->data;

  static const guint levels[PUNCT_N_CLASS_LEVELS] = { 64, 256, 1024 };
  for (guint l = 0; l < PUNCT_N_CLASS_LEVELS; l++) {
    guint k = MIN (levels[l], n);
    guint *assign = kmeans (&x, dense, dim, k);
    for (guint r = 0; r < n; r++)
      cls[order[r]] = (l == 0 ? 0 : cls[order[r]]) | (assign[r] << punct_class_shift[l]);
    g_free (assign);
  }
  g_array_unref (idx);
  g_array_unref (val);
  g_free (x.start);
  g_free (dense);
  g_free (order);
  g_free (rank);
  return cls;
}

const guint punct_class_shift[PUNCT_N_CLASS_LEVELS] = { 0, 6, 14 };
static const guint32 class_mask[PUNCT_N_CLASS_LEVELS] = { 0x3f, 0xff, 0x3ff };

guint32
punct_class_of (guint32 packed, const char *word)
{
  if (packed != PUNCT_NO_CLASS)
    return packed;
  /* unknown words: numbers apart from the rest */
  for (const char *p = word; *p; p++)
    if (g_ascii_isdigit (*p))
      return PUNCT_NUMBER_CLASS;
  return PUNCT_NO_CLASS;
}

guint64
punct_class_hash (guint32 cls, guint level)
{
  guint64 v = cls >= PUNCT_NUMBER_CLASS ? cls : (cls >> punct_class_shift[level])
      & class_mask[level];
  return (v + 1) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) ^ (level + 1);
}
