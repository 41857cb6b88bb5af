/* gst-stt — letter-to-sound training, step 1: EM alignment of letters to phones.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every entry is a path through a grid (letters consumed, phones consumed) made of chunks of
 * 1 letter : 0, 1 or 2 phones, or 2 letters : 1 phone (as Phonetisaurus' default, which leaves
 * out 2:2 and 2:0). EM estimates a joint probability per chunk with forward-backward over all
 * paths; the Viterbi path of each entry under the final estimate is its graphone sequence.
 */
#include "g2p-private.h"

#include <string.h>

#define N_MOVES 4
static const guint8 moves[N_MOVES][2] = { {1, 0}, {1, 1}, {1, 2}, {2, 1} };
#define MAX_TABLE (1u << 26)

typedef struct {
  guint A, F;           /* letters, phones; index A / F = "none" */
  gint32 *table;        /* dense (l0, l1, p0, p1) -> unit id, -1 = unseen */
  guint n_units;
  GArray *keys;         /* unit id -> dense index */
} Units;

static inline gsize
dense (const Units *u, const SttG2pEntry *e, guint i, guint j, guint m)
{
  /* the chunk ending at letter i, phone j taking move m */
  guint a = moves[m][0], b = moves[m][1];
  guint l0 = e->letters[i - a], l1 = a == 2 ? e->letters[i - 1] : u->A;
  guint p0 = b >= 1 ? e->phones[j - b] : u->F, p1 = b == 2 ? e->phones[j - 1] : u->F;
  return (((gsize) l0 * (u->A + 1) + l1) * (u->F + 1) + p0) * (u->F + 1) + p1;
}

static inline gboolean
fits (const SttG2pEntry *e, guint i, guint j, guint m)
{
  return i >= moves[m][0] && j >= moves[m][1] && i <= e->n_letters && j <= e->n_phones;
}

/* Assign ids to every chunk some entry can use. */
static void
enumerate_units (Units *u, const SttG2pEntry *entries, guint n_entries)
{
  for (guint k = 0; k < n_entries; k++) {
    const SttG2pEntry *e = &entries[k];
    for (guint i = 1; i <= e->n_letters; i++)
      for (guint j = 0; j <= e->n_phones; j++)
        for (guint m = 0; m < N_MOVES; m++) {
          if (!fits (e, i, j, m))
            continue;
          gsize d = dense (u, e, i, j, m);
          if (u->table[d] < 0) {
            u->table[d] = (gint32) u->n_units++;
            guint64 d64 = d;
            g_array_append_val (u->keys, d64);
          }
        }
  }
}

/* Whether cell (i, j) lies on some path: reachable from (0, 0) (at most 2 phones a letter)
 * and able to reach the end. */
static inline gboolean
in_band (const SttG2pEntry *e, guint i, guint j)
{
  return j <= 2 * i && e->n_phones - j <= 2 * (e->n_letters - i);
}

/* The unit of every chunk ending in cell (i, j) by move m, at ids[(i * P + j) * N_MOVES + m]
 * (-1: no such chunk on a path). */
static void
edge_units (const Units *u, const SttG2pEntry *e, gint32 *ids)
{
  guint P = e->n_phones + 1;
  for (guint i = 0; i <= e->n_letters; i++)
    for (guint j = 0; j <= e->n_phones; j++)
      for (guint m = 0; m < N_MOVES; m++) {
        gint32 *id = &ids[(i * P + j) * N_MOVES + m];
        *id = -1;
        if (fits (e, i, j, m) && in_band (e, i, j)
            && in_band (e, i - moves[m][0], j - moves[m][1]))
          *id = u->table[dense (u, e, i, j, m)];
      }
}

/* Forward (or, with @back, Viterbi) scores of entry @e into @alpha ((L+1) x (P+1)). */
static void
forward (const double *prob, const SttG2pEntry *e, const gint32 *ids, double *alpha,
    guint8 *back)
{
  guint P = e->n_phones + 1;
  for (guint i = 0; i <= e->n_letters; i++)
    for (guint j = 0; j <= e->n_phones; j++) {
      double s = i == 0 && j == 0 ? 1.0 : 0.0;
      guint8 bm = 0xff;
      const gint32 *id = &ids[(i * P + j) * N_MOVES];
      for (guint m = 0; m < N_MOVES; m++) {
        if (id[m] < 0)
          continue;
        double v = alpha[(i - moves[m][0]) * P + j - moves[m][1]] * prob[id[m]];
        if (!back)
          s += v;
        else if (v > s) {
          s = v;
          bm = (guint8) m;
        }
      }
      alpha[i * P + j] = s;
      if (back)
        back[i * P + j] = bm;
    }
}

static void
backward (const double *prob, const SttG2pEntry *e, const gint32 *ids, double *beta)
{
  guint L = e->n_letters, P = e->n_phones + 1;
  for (guint i = L + 1; i-- > 0;)
    for (guint j = e->n_phones + 1; j-- > 0;) {
      double s = i == L && j == e->n_phones ? 1.0 : 0.0;
      for (guint m = 0; m < N_MOVES; m++) {
        guint ni = i + moves[m][0], nj = j + moves[m][1];
        if (ni > L || nj > e->n_phones)
          continue;
        gint32 id = ids[(ni * P + nj) * N_MOVES + m];
        if (id >= 0)
          s += prob[id] * beta[ni * P + nj];
      }
      beta[i * P + j] = s;
    }
}

static void
em_iteration (const Units *u, double *prob, double *count, const SttG2pEntry *entries,
    guint n_entries, double *alpha, double *beta, gint32 *ids)
{
  memset (count, 0, u->n_units * sizeof (double));
  for (guint k = 0; k < n_entries; k++) {
    const SttG2pEntry *e = &entries[k];
    guint P = e->n_phones + 1;
    edge_units (u, e, ids);
    forward (prob, e, ids, alpha, NULL);
    double z = alpha[e->n_letters * P + e->n_phones];
    if (!(z > 0.0))
      continue;
    backward (prob, e, ids, beta);
    for (guint i = 1; i <= e->n_letters; i++)
      for (guint j = 0; j <= e->n_phones; j++) {
        double b = beta[i * P + j] / z;
        if (b == 0.0)
          continue;
        const gint32 *id = &ids[(i * P + j) * N_MOVES];
        for (guint m = 0; m < N_MOVES; m++)
          if (id[m] >= 0)
            count[id[m]] += alpha[(i - moves[m][0]) * P + j - moves[m][1]] * prob[id[m]] * b;
      }
  }
  double total = 0.0;
  for (guint i = 0; i < u->n_units; i++)
    total += count[i];
  for (guint i = 0; i < u->n_units; i++)
    prob[i] = total > 0.0 ? count[i] / total : 0.0;
}

/* Sort key of a graphone: letters[0], n_letters, letters[1], n_phones, phones (12 bits each). */
static guint64
graphone_key (guint l0, guint nl, guint l1, guint np, guint p0, guint p1)
{
  return ((guint64) l0 << 40) | ((guint64) nl << 38) | ((guint64) l1 << 26)
      | ((guint64) np << 24) | ((guint64) p0 << 12) | p1;
}

static int
cmp_u64 (gconstpointer a, gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;
  return x < y ? -1 : x > y;
}

/* The Viterbi chunks of @e as graphone keys (appended to @out); FALSE if unalignable. */
static gboolean
viterbi (const Units *u, const double *prob, const SttG2pEntry *e, double *alpha,
    guint8 *back, gint32 *ids, GArray *out)
{
  guint P = e->n_phones + 1;
  edge_units (u, e, ids);
  forward (prob, e, ids, alpha, back);
  if (!(alpha[e->n_letters * P + e->n_phones] > 0.0))
    return FALSE;
  guint start = out->len;
  guint i = e->n_letters, j = e->n_phones;
  while (i > 0) {
    guint m = back[i * P + j];
    guint a = moves[m][0], b = moves[m][1];
    guint64 key = graphone_key (e->letters[i - a], a, a == 2 ? e->letters[i - 1] : 0, b,
        b >= 1 ? e->phones[j - b] : 0, b == 2 ? e->phones[j - 1] : 0);
    g_array_append_val (out, key);
    i -= a;
    j -= b;
  }
  /* collected end to start */
  guint64 *k = &g_array_index (out, guint64, start);
  for (guint x = 0, y = out->len - start; x + 1 < y; x++, y--) {
    guint64 t = k[x];
    k[x] = k[y - 1];
    k[y - 1] = t;
  }
  return TRUE;
}

SttG2pGraphone *
stt_g2p_align (const SttG2pEntry *entries, guint n_entries, guint n_letters, guint n_phones,
    guint iterations, GPtrArray *seqs, guint *n_graphones, guint *n_skipped, GError **error)
{
  Units u = { .A = n_letters, .F = n_phones };
  guint64 size = (guint64) u.A * (u.A + 1) * (u.F + 1) * (u.F + 1);
  if (n_letters >= 4096 || n_phones >= 4096 || size > MAX_TABLE) {
    g_set_error (error, STT_G2P_ERROR, STT_G2P_ERROR_FORMAT, "the dictionary has %u letters "
        "and %u phones, more than letter-to-sound training handles (letters x letters x "
        "phones x phones must stay below %u): check that it is a pronunciation dictionary",
        n_letters, n_phones, MAX_TABLE);
    return NULL;
  }
  u.table = g_new (gint32, size);
  memset (u.table, 0xff, size * sizeof (gint32));
  u.keys = g_array_new (FALSE, FALSE, sizeof (guint64));
  enumerate_units (&u, entries, n_entries);
  guint max_cells = 1;
  for (guint k = 0; k < n_entries; k++)
    max_cells = MAX (max_cells, (entries[k].n_letters + 1) * (entries[k].n_phones + 1));
  double *alpha = g_new (double, max_cells), *beta = g_new (double, max_cells);
  guint8 *back = g_new (guint8, max_cells);
  gint32 *ids = g_new (gint32, (gsize) max_cells * N_MOVES);
  double *prob = g_new (double, MAX (u.n_units, 1)), *count = g_new (double, MAX (u.n_units, 1));
  for (guint i = 0; i < u.n_units; i++)
    prob[i] = 1.0 / u.n_units;
  for (guint it = 0; it < iterations; it++)
    em_iteration (&u, prob, count, entries, n_entries, alpha, beta, ids);

  /* Viterbi chunks, then graphone ids in key order */
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint *ends = g_new (guint, n_entries + 1);
  *n_skipped = 0;
  for (guint k = 0; k < n_entries; k++) {
    ends[k] = keys->len;
    if (!viterbi (&u, prob, &entries[k], alpha, back, ids, keys))
      (*n_skipped)++;
  }
  ends[n_entries] = keys->len;
  GArray *sorted = g_array_copy (keys);
  /* every letter can be silent, so any word of the alphabet has a path through the model */
  for (guint a = 0; a < n_letters; a++) {
    guint64 key = graphone_key (a, 1, 0, 0, 0, 0);
    g_array_append_val (sorted, key);
  }
  g_array_sort (sorted, cmp_u64);
  guint n = 0;
  for (guint i = 0; i < sorted->len; i++)
    if (n == 0 || g_array_index (sorted, guint64, i) != g_array_index (sorted, guint64, n - 1))
      g_array_index (sorted, guint64, n++) = g_array_index (sorted, guint64, i);
  g_array_set_size (sorted, n);

  SttG2pGraphone *g = NULL;
  if (n + G2P_FIRST >= G2P_NONE)
    g_set_error (error, STT_G2P_ERROR, STT_G2P_ERROR_FORMAT, "the alignment found %u distinct "
        "letter-phone chunks, more than the model holds (%u)", n, G2P_NONE - G2P_FIRST - 1);
  else {
    g = g_new0 (SttG2pGraphone, MAX (n, 1));
    for (guint i = 0; i < n; i++) {
      guint64 key = g_array_index (sorted, guint64, i);
      g[i].letters[0] = (guint16) (key >> 40);
      g[i].n_letters = (guint8) ((key >> 38) & 3);
      g[i].letters[1] = (guint16) ((key >> 26) & 0xfff);
      g[i].n_phones = (guint8) ((key >> 24) & 3);
      g[i].phones[0] = (guint16) ((key >> 12) & 0xfff);
      g[i].phones[1] = (guint16) (key & 0xfff);
    }
    for (guint k = 0; k < n_entries; k++) {
      guint len = ends[k + 1] - ends[k];
      if (len == 0) {
        g_ptr_array_add (seqs, NULL);
        continue;
      }
      guint16 *s = g_new (guint16, len + 2);
      s[0] = G2P_BOS;
      for (guint x = 0; x < len; x++) {
        guint64 *hit = bsearch (&g_array_index (keys, guint64, ends[k] + x), sorted->data, n,
            sizeof (guint64), cmp_u64);
        s[x + 1] = (guint16) (G2P_FIRST + (hit - (guint64 *) sorted->data));
      }
      s[len + 1] = G2P_EOS;
      g_ptr_array_add (seqs, s);
    }
    *n_graphones = n;
  }
  g_array_unref (sorted);
  g_array_unref (keys);
  g_free (ends);
  g_free (prob);
  g_free (count);
  g_free (alpha);
  g_free (beta);
  g_free (back);
  g_free (ids);
  g_free (u.table);
  g_array_unref (u.keys);
  return g;
}
