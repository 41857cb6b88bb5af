/* gst-stt — word vectors for the punct sentence networks from an n-gram LM's bigrams.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The networks learn their embeddings from about 1.5 million words of addresses; a large LM
 * has seen far more text. A word's stored bigrams tell which words precede and follow it, so
 * words used alike get alike rows (distributional vectors, Levy & Goldberg 2014): the joint
 * probability of each stored bigram, P(w1) P(w2 | w1), against the product of the unigram
 * probabilities gives a positive pointwise mutual information (PPMI) of the word with each of
 * the most frequent words as its left and as its right neighbour (<s> and </s> among them:
 * what starts and ends sentences). The word x context PPMI matrix (sparse) is reduced to the
 * embedding size by a randomised truncated SVD (Halko, Martinsson & Tropp 2011: a seeded
 * Gaussian sketch, two power iterations, Gram-Schmidt, the small problem by Jacobi
 * rotations); a word's vector is its row of U S^(1/2), scaled to a common length. Bigrams the
 * LM does not store (backed-off) count as no association. Deterministic: the same LM and
 * words give the same vectors.
 */
#include "punct-private.h"

#include <math.h>
#include <string.h>

/* Left and right contexts: this many most probable LM words each. */
#define N_CONTEXTS 2000
/* Sketch columns beyond the embedding size, and power iterations. */
#define OVERSAMPLE 10
#define POWER_ITERATIONS 2
#define JACOBI_SWEEPS 30

typedef struct {
  guint32 row, col;
  float v;
} Entry;

typedef struct {
  double *p1;                   /* unigram probability per LM word */
  gint32 *row;                  /* LM word -> row (word index), or -1 */
  gint32 *ctx;                  /* LM word -> context index, or -1 */
  GArray *entries;              /* Entry, in the order of the LM's bigrams */
} Collect;

static gboolean
collect_unigram (const SttLmWord *words, guint n, float prob, float backoff, gpointer data)
{
  (void) n;
  (void) backoff;
  Collect *c = data;
  c->p1[words[0]] = prob <= STT_LM_LOGZERO / 2 ? 0.0 : exp (stt_lm_raw_to_ln ((gint32) prob));
  return TRUE;
}

static inline void
add_ppmi (Collect *c, gint32 row, guint32 col, double joint, double pw, double pc)
{
  if (pw <= 0 || pc <= 0 || joint <= 0)
    return;
  double pmi = log (joint / (pw * pc));
  if (pmi > 0)
    g_array_append_val (c->entries, ((Entry) { (guint32) row, col, (float) pmi }));
}

static gboolean
collect_bigram (const SttLmWord *words, guint n, float prob, float backoff, gpointer data)
{
  (void) n;
  (void) backoff;
  Collect *c = data;
  SttLmWord a = words[0], b = words[1];
  double joint = c->p1[a] * exp (stt_lm_raw_to_ln ((gint32) prob));
  /* a's right neighbour b; b's left neighbour a */
  if (c->row[a] >= 0 && c->ctx[b] >= 0)
    add_ppmi (c, c->row[a], N_CONTEXTS + (guint32) c->ctx[b], joint, c->p1[a], c->p1[b]);
  if (c->row[b] >= 0 && c->ctx[a] >= 0)
    add_ppmi (c, c->row[b], (guint32) c->ctx[a], joint, c->p1[b], c->p1[a]);
  return TRUE;
}

static gint
by_probability (gconstpointer x, gconstpointer y, gpointer data)
{
  const double *p1 = data;
  SttLmWord a = *(const SttLmWord *) x, b = *(const SttLmWord *) y;
  if (p1[a] != p1[b])
    return p1[a] > p1[b] ? -1 : 1;
  return a < b ? -1 : a > b;
}

/* Orthonormalise the @k columns of the row-major @n x @k matrix @a in place (modified
 * Gram-Schmidt, twice for accuracy). A column (nearly) in the span of the earlier ones becomes
 * zero: with fewer rows than columns (a small LM) the rest is rounding noise. */
static void
orthonormalise (float *a, gsize n, guint k)
{
  for (guint pass = 0; pass < 2; pass++)
    for (guint j = 0; j < k; j++) {
      double before = 0;
      for (gsize r = 0; r < n; r++)
        before += (double) a[r * k + j] * a[r * k + j];
      for (guint i = 0; i < j; i++) {
        double dot = 0;
        for (gsize r = 0; r < n; r++)
          dot += (double) a[r * k + i] * a[r * k + j];
        for (gsize r = 0; r < n; r++)
          a[r * k + j] -= (float) dot * a[r * k + i];
      }
      double norm = 0;
      for (gsize r = 0; r < n; r++)
        norm += (double) a[r * k + j] * a[r * k + j];
      float s = norm > 1e-8 * before && norm > 1e-30 ? (float) (1.0 / sqrt (norm)) : 0.0f;
      for (gsize r = 0; r < n; r++)
        a[r * k + j] *= s;
    }
}

/* y (n_rows x k) = M x (x: n_cols x k), or with @transpose y (n_cols x k) = M^T x (x: n_rows x
 * k); M given by its entries. */
static void
sparse_product (const GArray *entries, gboolean transpose, const float *x, float *y,
    gsize n_out, guint k)
{
  memset (y, 0, n_out * k * sizeof (float));
  for (guint e = 0; e < entries->len; e++) {
    const Entry *en = &g_array_index (entries, Entry, e);
    gsize in = transpose ? en->row : en->col, out = transpose ? en->col : en->row;
    const float *xr = x + in * k;
    float *yr = y + out * k;
    for (guint j = 0; j < k; j++)
      yr[j] += en->v * xr[j];
  }
}

/* Eigen-decomposition of the symmetric @k x @k @a (destroyed) by cyclic Jacobi rotations:
 * eigenvalues in @eval, eigenvectors as the columns of @evec (row-major). */
static void
jacobi_eigen (double *a, guint k, double *eval, double *evec)
{
  for (guint i = 0; i < k; i++)
    for (guint j = 0; j < k; j++)
      evec[i * k + j] = i == j;
  for (guint sweep = 0; sweep < JACOBI_SWEEPS; sweep++) {
    double off = 0, diag = 0;
    for (guint i = 0; i < k; i++)
      for (guint j = 0; j < k; j++)
        if (i != j)
          off += a[i * k + j] * a[i * k + j];
        else
          diag += a[i * k + j] * a[i * k + j];
    if (off <= 1e-24 * diag)
      break;
    for (guint p = 0; p + 1 < k; p++)
      for (guint q = p + 1; q < k; q++) {
        double apq = a[p * k + q];
        if (fabs (apq) < 1e-300)
          continue;
        double theta = (a[q * k + q] - a[p * k + p]) / (2 * apq);
        double t = (theta >= 0 ? 1.0 : -1.0) / (fabs (theta) + sqrt (theta * theta + 1));
        double c = 1 / sqrt (t * t + 1), s = t * c;
        for (guint r = 0; r < k; r++) {
          double arp = a[r * k + p], arq = a[r * k + q];
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (guint r = 0; r < k; r++) {
          double apr = a[p * k + r], aqr = a[q * k + r];
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        for (guint r = 0; r < k; r++) {
          double vrp = evec[r * k + p], vrq = evec[r * k + q];
          evec[r * k + p] = c * vrp - s * vrq;
          evec[r * k + q] = s * vrp + c * vrq;
        }
      }
  }
  for (guint i = 0; i < k; i++)
    eval[i] = a[i * k + i];
}

/* A standard normal number (Box-Muller) from the seeded generator. */
static float
gaussian (guint64 *seed)
{
  double u1 = ((punct_next_random (seed) >> 11) + 1.0) / 9007199254740993.0;
  double u2 = (punct_next_random (seed) >> 11) / 9007199254740992.0;
  return (float) (sqrt (-2 * log (u1)) * cos (2 * G_PI * u2));
}

float *
punct_lm_embeddings (const SttLm *lm, const char *const *words, guint n_words, guint dim,
    float length, guint8 *found, guint *n_found)
{
  const guint n_lm = stt_lm_get_n_words (lm);
  Collect c = { g_new0 (double, n_lm), g_new (gint32, n_lm), g_new (gint32, n_lm),
    g_array_new (FALSE, FALSE, sizeof (Entry)) };
  stt_lm_foreach_ngram (lm, 1, collect_unigram, &c);
  /* <s> is never predicted (its unigram is logzero), yet it precedes every sentence: it is as
   * frequent as </s> */
  SttLmWord bos = stt_lm_word_id (lm, "<s>"), eos = stt_lm_word_id (lm, "</s>");
  if (bos >= 0 && eos >= 0 && c.p1[bos] == 0)
    c.p1[bos] = c.p1[eos];
  SttLmWord *order = g_new (SttLmWord, n_lm);
  for (guint w = 0; w < n_lm; w++) {
    order[w] = (SttLmWord) w;
    c.row[w] = -1;
    c.ctx[w] = -1;
  }
  g_qsort_with_data (order, (gint) n_lm, sizeof *order, by_probability, c.p1);
  for (guint i = 0; i < MIN (N_CONTEXTS, n_lm); i++)
    if (c.p1[order[i]] > 0)
      c.ctx[order[i]] = (gint32) i;
  g_free (order);
  for (guint i = 0; i < n_words; i++) {
    SttLmWord w = words[i] ? stt_lm_word_id (lm, words[i]) : STT_LM_NO_WORD;
    if (w >= 0 && c.row[w] < 0)
      c.row[w] = (gint32) i;
  }
  if (stt_lm_get_order (lm) >= 2)
    stt_lm_foreach_ngram (lm, 2, collect_bigram, &c);

  const guint k = dim + OVERSAMPLE;
  const gsize n_cols = 2 * N_CONTEXTS;
  guint64 seed = G_GUINT64_CONSTANT (0x2545f4914f6cdd1d);
  float *omega = g_new (float, n_cols * k);
  for (gsize e = 0; e < n_cols * k; e++)
    omega[e] = gaussian (&seed);
  float *q = g_new (float, (gsize) n_words * k);
  sparse_product (c.entries, FALSE, omega, q, n_words, k);
  orthonormalise (q, n_words, k);
  for (guint it = 0; it < POWER_ITERATIONS; it++) {
    sparse_product (c.entries, TRUE, q, omega, n_cols, k);
    orthonormalise (omega, n_cols, k);
    sparse_product (c.entries, FALSE, omega, q, n_words, k);
    orthonormalise (q, n_words, k);
  }
  /* B^T = M^T Q (n_cols x k); B B^T = V S^2 V^T; M ~ (Q V) S (...) */
  sparse_product (c.entries, TRUE, q, omega, n_cols, k);
  float *gram = g_new (float, (gsize) k * k);
  punct_gemm (TRUE, FALSE, omega, omega, gram, k, k, n_cols, FALSE);
  double *a = g_new (double, (gsize) k * k), *eval = g_new (double, k),
      *evec = g_new (double, (gsize) k * k);
  for (gsize e = 0; e < (gsize) k * k; e++)
    a[e] = gram[e];
  jacobi_eigen (a, k, eval, evec);
  /* the @dim largest eigenvalues, in falling order (ties by index) */
  guint *top = g_new (guint, k);
  for (guint i = 0; i < k; i++)
    top[i] = i;
  for (guint i = 0; i < k; i++)
    for (guint j = i + 1; j < k; j++)
      if (eval[top[j]] > eval[top[i]]) {
        guint tmp = top[i];
        top[i] = top[j];
        top[j] = tmp;
      }
  /* W (k x dim): eigenvector columns times S^(1/2) = eigenvalue^(1/4) */
  float *wmat = g_new (float, (gsize) k * dim);
  for (guint r = 0; r < k; r++)
    for (guint j = 0; j < dim; j++)
      wmat[r * dim + j] = (float) (evec[r * k + top[j]] * pow (MAX (eval[top[j]], 0.0), 0.25));
  float *emb = g_new (float, (gsize) n_words * dim);
  punct_gemm (FALSE, FALSE, q, wmat, emb, n_words, dim, k, FALSE);
  /* every found word's vector gets the same length: the direction carries the meaning, and
   * rare words (fewer stored bigrams) would otherwise sit near zero */
  guint n = 0;
  for (guint i = 0; i < n_words; i++) {
    float *v = emb + (gsize) i * dim;
    double norm = 0;
    for (guint j = 0; j < dim; j++)
      norm += (double) v[j] * v[j];
    found[i] = norm > 1e-12;
    float s = found[i] ? (float) (length / sqrt (norm)) : 0.0f;
    for (guint j = 0; j < dim; j++)
      v[j] *= s;
    n += found[i];
  }
  if (n_found)
    *n_found = n;
  g_free (wmat);
  g_free (top);
  g_free (a);
  g_free (eval);
  g_free (evec);
  g_free (gram);
  g_free (q);
  g_free (omega);
  g_free (c.p1);
  g_free (c.row);
  g_free (c.ctx);
  g_array_free (c.entries, TRUE);
  return emb;
}

SttLm *
punct_load_init_lm (const char *path, GError **error)
{
  g_autofree char *file = NULL;
  if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
    file = g_build_filename (path, "lm", "lm.bin", NULL);
    if (!g_file_test (file, G_FILE_TEST_IS_REGULAR)) {
      g_set_error (error, STT_PUNCT_ERROR, STT_PUNCT_ERROR_TRAIN,
          "--rnn-init-lm %s: the folder has no lm/lm.bin; give an LM file (own format, "
          "Sphinx trie or ARPA) or a model folder with an LM (e.g. the imported base model)",
          path);
      return NULL;
    }
  } else
    file = g_strdup (path);
  GError *err = NULL;
  SttLm *lm = stt_lm_load (file, STT_LM_FORMAT_AUTO, &err);
  if (!lm) {
    g_set_error (error, STT_PUNCT_ERROR, STT_PUNCT_ERROR_TRAIN, "--rnn-init-lm: %s",
        err->message);
    g_error_free (err);
    return NULL;
  }
  if (stt_lm_get_order (lm) < 2 || stt_lm_get_count (lm, 2) == 0) {
    g_set_error (error, STT_PUNCT_ERROR, STT_PUNCT_ERROR_TRAIN,
        "--rnn-init-lm %s: the LM has no bigrams, and word vectors come from bigrams; give "
        "an LM of order 2 or 3", file);
    stt_lm_unref (lm);
    return NULL;
  }
  return lm;
}
