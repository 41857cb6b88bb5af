/* gst-stt — turning a set of n-grams into the own LM format's image (sorted forward trie).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "lm-private.h"

#include <string.h>

SttLmBuilder *
stt_lm_builder_new (guint order)
{
  SttLmBuilder *b = g_new0 (SttLmBuilder, 1);
  b->order = order;
  b->words = g_ptr_array_new_with_free_func (g_free);
  b->uprob = g_array_new (FALSE, FALSE, sizeof (float));
  b->ubo = g_array_new (FALSE, FALSE, sizeof (float));
  b->dropped = g_ptr_array_new_with_free_func (g_free);
  for (guint n = 2; n <= order && n <= STT_LM_MAX_ORDER; n++)
    b->ngrams[n] = g_array_new (FALSE, FALSE, sizeof (SttLmEntry));
  return b;
}

void
stt_lm_builder_free (SttLmBuilder *b)
{
  if (!b)
    return;
  g_ptr_array_unref (b->words);
  g_array_unref (b->uprob);
  g_array_unref (b->ubo);
  g_ptr_array_unref (b->dropped);
  for (guint n = 2; n <= STT_LM_MAX_ORDER; n++)
    if (b->ngrams[n])
      g_array_unref (b->ngrams[n]);
  g_free (b);
}

/* Stable counting sort of @a by word @key (LSD radix step). */
static void
radix_pass (GArray *a, guint key, guint32 n_words)
{
  guint32 *count = g_new0 (guint32, (gsize) n_words + 1);
  SttLmEntry *src = (SttLmEntry *) a->data;
  SttLmEntry *dst = g_new (SttLmEntry, MAX (a->len, 1));
  for (guint i = 0; i < a->len; i++)
    count[src[i].w[key] + 1]++;
  for (guint32 i = 0; i < n_words; i++)
    count[i + 1] += count[i];
  for (guint i = 0; i < a->len; i++)
    dst[count[src[i].w[key]]++] = src[i];
  memcpy (src, dst, (gsize) a->len * sizeof (SttLmEntry));
  g_free (dst);
  g_free (count);
}

static void
sort_entries (GArray *a, guint n, guint32 n_words)
{
  for (gint k = (gint) n - 1; k >= 0; k--)
    radix_pass (a, (guint) k, n_words);
}

static int
cmp_entries (const SttLmEntry *a, const SttLmEntry *b, guint n)
{
  for (guint k = 0; k < n; k++)
    if (a->w[k] != b->w[k])
      return a->w[k] < b->w[k] ? -1 : 1;
  return 0;
}

static gboolean
check_entries (SttLmBuilder *b, guint n, const char *name, GError **error)
{
  GArray *a = b->ngrams[n];
  guint32 n_words = b->words->len;
  for (guint i = 0; i < a->len; i++) {
    const SttLmEntry *e = &g_array_index (a, SttLmEntry, i);
    for (guint k = 0; k < n; k++)
      if (e->w[k] >= n_words) {
        g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_FORMAT,
            "%s: %u-gram %u names word id %u but the vocabulary has %u words", name, n, i,
            e->w[k], n_words);
        return FALSE;
      }
  }
  sort_entries (a, n, n_words);
  for (guint i = 1; i < a->len; i++) {
    const SttLmEntry *e = &g_array_index (a, SttLmEntry, i);
    if (cmp_entries (e - 1, e, n) == 0) {
      GString *s = g_string_new (NULL);
      for (guint k = 0; k < n; k++)
        g_string_append_printf (s, "%s%s", k ? " " : "",
            (const char *) g_ptr_array_index (b->words, e->w[k]));
      g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_FORMAT,
          "%s: the %u-gram \"%s\" is listed twice; remove one of them", name, n, s->str);
      g_string_free (s, TRUE);
      return FALSE;
    }
  }
  return TRUE;
}

/* Every trigram needs its context bigram as the trie node it hangs from; where the source
 * lacks one, add it with the backed-off probability and backoff 0, which is exactly what a
 * lookup of the missing bigram computes (same float additions), so no score changes. */
static void
add_missing_contexts (SttLmBuilder *b)
{
  GArray *bi = b->ngrams[2], *tri = b->ngrams[3];
  const float *uprob = (const float *) b->uprob->data, *ubo = (const float *) b->ubo->data;
  GArray *extra = g_array_new (FALSE, FALSE, sizeof (SttLmEntry));
  guint j = 0;
  for (guint i = 0; i < tri->len; i++) {
    const SttLmEntry *t = &g_array_index (tri, SttLmEntry, i);
    if (i > 0 && cmp_entries (t - 1, t, 2) == 0)
      continue;
    while (j < bi->len && cmp_entries (&g_array_index (bi, SttLmEntry, j), t, 2) < 0)
      j++;
    if (j < bi->len && cmp_entries (&g_array_index (bi, SttLmEntry, j), t, 2) == 0)
      continue;
    SttLmEntry e = { { t->w[0], t->w[1], 0 }, 0, 0 };
    e.prob = uprob[t->w[1]] + ubo[t->w[0]];
    g_array_append_val (extra, e);
  }
  if (extra->len) {
    g_array_append_vals (bi, extra->data, extra->len);
    sort_entries (bi, 2, b->words->len);
  }
  g_array_unref (extra);
}

/* ---- serialisation ---------------------------------------------------------------------- */
static int
cmp_u32 (gconstpointer a, gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  return x < y ? -1 : x > y;
}

/* A value column, quantised (exactly: distinct bit patterns) when it has <= 65536 values. */
static void
add_values (SttImageWriter *w, const char *prefix, const float *v, guint n)
{
  char tag[5];
  guint32 *bits = g_new (guint32, MAX (n, 1));
  memcpy (bits, v, (gsize) n * 4);
  qsort (bits, n, 4, cmp_u32);
  guint k = 0;
  for (guint i = 0; i < n; i++)
    if (k == 0 || bits[k - 1] != bits[i])
      bits[k++] = bits[i];
  if (k > 65536) {
    g_free (bits);
    g_snprintf (tag, sizeof tag, "%sF", prefix);
    stt_image_writer_add (w, tag, g_memdup2 (v, (gsize) n * 4), (gsize) n * 4);
    return;
  }
  guint16 *q = g_new (guint16, MAX (n, 1));
  for (guint i = 0; i < n; i++) {
    guint32 x;
    memcpy (&x, &v[i], 4);
    guint32 *hit = bsearch (&x, bits, k, 4, cmp_u32);
    q[i] = (guint16) (hit - bits);
  }
  g_snprintf (tag, sizeof tag, "%sQ", prefix);
  stt_image_writer_add (w, tag, q, (gsize) n * 2);
  g_snprintf (tag, sizeof tag, "%sT", prefix);
  stt_image_writer_add (w, tag, bits, (gsize) k * 4);
}

/* Children ranges: next[p] = first child of parent p, for entries sorted by parent. */
static guint32 *
child_ranges (GArray *children, guint parent_n, guint32 n_parents, GArray *parents)
{
  guint32 *next = g_new0 (guint32, (gsize) n_parents + 1);
  guint j = 0;
  for (guint32 p = 0; p < n_parents; p++) {
    next[p] = j;
    while (j < children->len) {
      const SttLmEntry *c = &g_array_index (children, SttLmEntry, j);
      int cmp = parents ? cmp_entries (c, &g_array_index (parents, SttLmEntry, p), parent_n)
          : (c->w[0] < p ? -1 : c->w[0] > p);
      if (cmp != 0)
        break;
      j++;
    }
  }
  next[n_parents] = j;
  return next;
}

static gpointer
column_u32 (GArray *a, guint key)
{
  guint32 *out = g_new (guint32, MAX (a->len, 1));
  for (guint i = 0; i < a->len; i++)
    out[i] = g_array_index (a, SttLmEntry, i).w[key];
  return out;
}

static float *
column_f32 (GArray *a, gboolean backoff)
{
  float *out = g_new (float, MAX (a->len, 1));
  for (guint i = 0; i < a->len; i++) {
    const SttLmEntry *e = &g_array_index (a, SttLmEntry, i);
    out[i] = backoff ? e->backoff : e->prob;
  }
  return out;
}

GBytes *
stt_lm_builder_to_bytes (SttLmBuilder *b, const char *name, GError **error)
{
  if (G_BYTE_ORDER != G_LITTLE_ENDIAN) {
    g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_UNSUPPORTED,
        "%s: the LM format is little-endian and this host is not", name);
    return NULL;
  }
  guint n1 = b->words->len;
  if (n1 == 0 || b->uprob->len != n1 || b->ubo->len != n1) {
    g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_FORMAT,
        "%s: the LM has no words (or a unigram table of the wrong size)", name);
    return NULL;
  }
  for (guint n = 2; n <= b->order; n++)
    if (!check_entries (b, n, name, error))
      return NULL;
  if (b->order == 3)
    add_missing_contexts (b);

  SttImageWriter *w = stt_image_writer_new ();
  gint64 dup = stt_strings_write (w, 'V', (const char *const *) b->words->pdata, n1);
  if (dup >= 0) {
    g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_FORMAT,
        "%s: the word \"%s\" is in the vocabulary twice", name,
        (const char *) g_ptr_array_index (b->words, dup));
    stt_image_writer_free (w);
    return NULL;
  }
  stt_image_writer_add (w, "UPRB", g_memdup2 (b->uprob->data, (gsize) n1 * 4), (gsize) n1 * 4);
  stt_image_writer_add (w, "UBOF", g_memdup2 (b->ubo->data, (gsize) n1 * 4), (gsize) n1 * 4);
  guint32 params[4] = { b->order, n1, 0, 0 };
  if (b->order >= 2) {
    GArray *bi = b->ngrams[2];
    params[2] = bi->len;
    stt_image_writer_add (w, "UNXT", child_ranges (bi, 1, n1, NULL), ((gsize) n1 + 1) * 4);
    stt_image_writer_add (w, "BWRD", column_u32 (bi, 1), (gsize) bi->len * 4);
    float *p = column_f32 (bi, FALSE);
    add_values (w, "BPR", p, bi->len);
    g_free (p);
  }
  if (b->order >= 3) {
    GArray *bi = b->ngrams[2], *tri = b->ngrams[3];
    params[3] = tri->len;
    stt_image_writer_add (w, "BNXT", child_ranges (tri, 2, bi->len, bi),
        ((gsize) bi->len + 1) * 4);
    float *bo = column_f32 (bi, TRUE);
    add_values (w, "BBO", bo, bi->len);
    g_free (bo);
    stt_image_writer_add (w, "TWRD", column_u32 (tri, 2), (gsize) tri->len * 4);
    float *p = column_f32 (tri, FALSE);
    add_values (w, "TPR", p, tri->len);
    g_free (p);
  }
  return stt_image_writer_finish (w, STT_LM_MAGIC, STT_LM_VERSION, params);
}
