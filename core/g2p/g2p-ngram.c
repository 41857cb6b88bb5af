/* gst-stt — letter-to-sound training, step 2: the graphone n-gram model (modified Kneser-Ney).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Counting sorts the n-grams of every order (tokens packed 16 bits each into 128-bit keys,
 * oldest first, so key order is the trie's order). Lower orders use continuation counts
 * (distinct left extensions) except n-grams starting at the word start, which keep raw counts
 * (as KenLM). Discounts D1, D2, D3+ per order from the count-of-counts (Chen & Goodman).
 * Probabilities are interpolated; a context's backoff weight renormalises the mass its kept
 * children leave (equal to the interpolation weight when nothing is pruned).
 */
#include "g2p-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  guint64 hi, lo;
} Key;

static inline Key
key_set (Key k, guint pos, guint tok)
{
  if (pos < 4)
    k.hi |= (guint64) tok << ((3 - pos) * 16);
  else
    k.lo |= (guint64) tok << ((7 - pos) * 16);
  return k;
}

static inline guint
key_get (Key k, guint pos)
{
  return pos < 4 ? (guint) (k.hi >> ((3 - pos) * 16)) & 0xffff
      : (guint) (k.lo >> ((7 - pos) * 16)) & 0xffff;
}

/* The n-gram without its oldest token. */
static inline Key
key_suffix (Key k)
{
  Key s = { (k.hi << 16) | (k.lo >> 48), k.lo << 16 };
  return s;
}

/* The n-gram (of @n tokens) without its newest token. */
static inline Key
key_prefix (Key k, guint n)
{
  guint pos = n - 1;
  if (pos < 4)
    k.hi &= ~((guint64) 0xffff << ((3 - pos) * 16));
  else
    k.lo &= ~((guint64) 0xffff << ((7 - pos) * 16));
  return k;
}

static inline int
key_cmp (const Key *a, const Key *b)
{
  if (a->hi != b->hi)
    return a->hi < b->hi ? -1 : 1;
  return a->lo < b->lo ? -1 : a->lo > b->lo;
}

static int
key_cmp_cb (gconstpointer a, gconstpointer b)
{
  return key_cmp (a, b);
}

static gint64
key_find (const Key *keys, guint32 n, Key k)
{
  guint32 lo = 0, hi = n;
  while (lo < hi) {
    guint32 mid = lo + (hi - lo) / 2;
    int c = key_cmp (&keys[mid], &k);
    if (c == 0)
      return mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

/* Distinct n-grams of one order, sorted, with raw and adjusted counts. */
typedef struct {
  Key *keys;
  guint32 *raw, *adj;
  guint32 n;
} Counts;

static guint
seq_len (const guint16 *s)
{
  guint m = 1;
  while (s[m] != G2P_EOS)
    m++;
  return m + 1;
}

static void
count_order (GPtrArray *seqs, guint n, Counts *c)
{
  gsize total = 0;
  for (guint i = 0; i < seqs->len; i++)
    if (seqs->pdata[i])
      total += seq_len (seqs->pdata[i]);
  Key *all = g_new (Key, MAX (total, 1));
  gsize m = 0;
  for (guint i = 0; i < seqs->len; i++) {
    const guint16 *s = seqs->pdata[i];
    if (!s)
      continue;
    guint len = seq_len (s);
    for (guint t = 1; t < len; t++) {
      if (t + 1 < n)
        continue;
      Key k = { 0, 0 };
      for (guint p = 0; p < n; p++)
        k = key_set (k, p, s[t + 1 - n + p]);
      all[m++] = k;
    }
  }
  qsort (all, m, sizeof (Key), key_cmp_cb);
  c->raw = g_new (guint32, MAX (m, 1));
  guint32 d = 0;
  for (gsize i = 0; i < m; i++) {
    if (d > 0 && key_cmp (&all[d - 1], &all[i]) == 0) {
      c->raw[d - 1]++;
      continue;
    }
    all[d] = all[i];
    c->raw[d++] = 1;
  }
  c->keys = g_renew (Key, all, MAX (d, 1));
  c->raw = g_renew (guint32, c->raw, MAX (d, 1));
  c->n = d;
}

/* Continuation counts of order @n from the distinct n+1-grams. */
static void
adjust (Counts *c, const Counts *up)
{
  c->adj = g_new0 (guint32, MAX (c->n, 1));
  for (guint32 i = 0; i < c->n; i++)
    if (key_get (c->keys[i], 0) == G2P_BOS)
      c->adj[i] = c->raw[i];
  if (!up) {
    memcpy (c->adj, c->raw, c->n * sizeof (guint32));
    return;
  }
  for (guint32 i = 0; i < up->n; i++) {
    gint64 j = key_find (c->keys, c->n, key_suffix (up->keys[i]));
    if (j >= 0)
      c->adj[j]++;
  }
}

static void
discounts (const Counts *c, double d[4])
{
  guint64 nk[5] = { 0 };
  for (guint32 i = 0; i < c->n; i++)
    if (c->adj[i] <= 4)
      nk[c->adj[i]]++;
  d[0] = 0.0;
  if (nk[1] == 0 || nk[2] == 0 || nk[3] == 0 || nk[4] == 0) {
    d[1] = d[2] = d[3] = 0.5;
    return;
  }
  double y = (double) nk[1] / (nk[1] + 2.0 * nk[2]);
  for (guint k = 1; k <= 3; k++) {
    double v = k - (k + 1) * y * nk[k + 1] / nk[k];
    d[k] = CLAMP (v, 0.05, (double) k);
  }
}

static inline double
discount (const double d[4], guint32 c)
{
  return d[MIN (c, 3)];
}

/* One level of the trie as written, plus what the next level needs while building. */
typedef struct {
  guint32 n;
  Key *keys;
  guint16 *token;
  double *prob;
  float *bow;
  guint32 *next, *link;
} Level;

static void
level_free (Level *l)
{
  g_free (l->keys);
  g_free (l->token);
  g_free (l->prob);
  g_free (l->bow);
  g_free (l->next);
  g_free (l->link);
}

static void
build_unigrams (const Counts *c, guint n_tokens, const double d[4], Level *l)
{
  l->n = n_tokens;
  l->keys = g_new0 (Key, n_tokens);
  l->token = g_new (guint16, n_tokens);
  l->prob = g_new (double, n_tokens);
  l->bow = g_new0 (float, n_tokens);
  guint32 *adj = g_new0 (guint32, n_tokens);
  for (guint32 i = 0; i < c->n; i++)
    adj[key_get (c->keys[i], 0)] = c->adj[i];
  double total = 0.0, left = 0.0;
  for (guint t = 0; t < n_tokens; t++) {
    total += adj[t];
    if (adj[t])
      left += discount (d, adj[t]);
  }
  double gamma = left / total, uniform = 1.0 / (n_tokens - 1);
  for (guint t = 0; t < n_tokens; t++) {
    l->keys[t] = key_set (l->keys[t], 0, t);
    l->token[t] = (guint16) t;
    l->prob[t] = t == G2P_BOS ? 0.0
        : MAX (adj[t] - (adj[t] ? discount (d, adj[t]) : 0.0), 0.0) / total + gamma * uniform;
  }
  g_free (adj);
}

/* Level @n (>= 2) from its full counts @c under the finished level @lo (gets next and bow).
 * N-grams of order >= 3 seen fewer than @cutoff times are left out. */
static void
build_level (const Counts *c, guint n, const double d[4], guint cutoff, Level *lo, Level *l)
{
  l->keys = g_new (Key, MAX (c->n, 1));
  l->token = g_new (guint16, MAX (c->n, 1));
  l->prob = g_new (double, MAX (c->n, 1));
  l->link = g_new (guint32, MAX (c->n, 1));
  lo->next = g_new0 (guint32, lo->n + 1);
  guint32 m = 0;
  for (guint32 i = 0; i < c->n;) {
    Key ctx = key_prefix (c->keys[i], n);
    guint32 end = i;
    double sum = 0.0, left = 0.0;
    while (end < c->n && key_cmp (&ctx, (Key[]) { key_prefix (c->keys[end], n) }) == 0) {
      sum += c->adj[end];
      left += discount (d, c->adj[end]);
      end++;
    }
    gint64 parent = key_find (lo->keys, lo->n, ctx);
    if (parent >= 0) {
      double gamma = left / sum, kept = 0.0, kept_lower = 0.0;
      for (guint32 j = i; j < end; j++) {
        if (n >= 3 && c->raw[j] < cutoff)
          continue;
        gint64 s = key_find (lo->keys, lo->n, key_suffix (c->keys[j]));
        g_assert (s >= 0);   /* counts are suffix-closed, cutoffs keep that */
        double p = (c->adj[j] - discount (d, c->adj[j])) / sum + gamma * lo->prob[s];
        l->keys[m] = c->keys[j];
        l->token[m] = (guint16) key_get (c->keys[j], n - 1);
        l->prob[m] = p;
        l->link[m] = (guint32) s;
        kept += p;
        kept_lower += lo->prob[s];
        lo->next[parent + 1]++;
        m++;
      }
      double bow = gamma;
      if (1.0 - kept_lower > 1e-9 && 1.0 - kept > 1e-12)
        bow = (1.0 - kept) / (1.0 - kept_lower);
      lo->bow[parent] = (float) log (bow > 0.0 ? bow : 1e-12);
    }
    i = end;
  }
  for (guint32 p = 0; p < lo->n; p++)
    lo->next[p + 1] += lo->next[p];
  l->n = m;
  l->bow = g_new0 (float, MAX (m, 1));
}

static gpointer
floats (const double *v, guint32 n)
{
  float *f = g_new (float, MAX (n, 1));
  for (guint32 i = 0; i < n; i++)
    f[i] = (float) (v[i] > 0.0 ? log (v[i]) : -99.0);
  return f;
}

gboolean
stt_g2p_ngram_build (GPtrArray *seqs, guint n_tokens, guint order, guint cutoff,
    SttImageWriter *w, GError **error)
{
  g_return_val_if_fail (order >= 1 && order <= STT_G2P_MAX_ORDER, FALSE);
  Counts c[STT_G2P_MAX_ORDER + 2] = { 0 };
  for (guint n = 1; n <= order; n++)
    count_order (seqs, n, &c[n]);
  if (c[1].n == 0) {
    g_set_error (error, STT_G2P_ERROR, STT_G2P_ERROR_FORMAT, "no training sequence to count");
    for (guint n = 1; n <= order; n++) {
      g_free (c[n].keys);
      g_free (c[n].raw);
    }
    return FALSE;
  }
  for (guint n = order; n >= 1; n--)
    adjust (&c[n], n < order ? &c[n + 1] : NULL);
  Level lv[STT_G2P_MAX_ORDER + 1] = { 0 };
  double d[4];
  discounts (&c[1], d);
  build_unigrams (&c[1], n_tokens, d, &lv[1]);
  for (guint n = 2; n <= order; n++) {
    discounts (&c[n], d);
    build_level (&c[n], n, d, cutoff, &lv[n - 1], &lv[n]);
  }
  guint32 *counts = g_new (guint32, order);
  for (guint n = 1; n <= order; n++) {
    Level *l = &lv[n];
    counts[n - 1] = l->n;
    char tag[5];
    g_snprintf (tag, 5, "WRD%u", n);
    stt_image_writer_add (w, tag, g_steal_pointer (&l->token), l->n * sizeof (guint16));
    g_snprintf (tag, 5, "PRB%u", n);
    stt_image_writer_add (w, tag, floats (l->prob, l->n), l->n * sizeof (float));
    if (n < order) {
      g_snprintf (tag, 5, "BOW%u", n);
      stt_image_writer_add (w, tag, g_steal_pointer (&l->bow), l->n * sizeof (float));
      g_snprintf (tag, 5, "NXT%u", n);
      stt_image_writer_add (w, tag, g_steal_pointer (&l->next), (l->n + 1) * sizeof (guint32));
    }
    if (n >= 2) {
      g_snprintf (tag, 5, "LNK%u", n);
      stt_image_writer_add (w, tag, g_steal_pointer (&l->link), l->n * sizeof (guint32));
    }
    level_free (l);
    g_free (c[n].keys);
    g_free (c[n].raw);
    g_free (c[n].adj);
  }
  stt_image_writer_add (w, "NGRM", counts, order * sizeof (guint32));
  return TRUE;
}
