/* gst-stt — reader of Sphinx's trie LM binary ("Trie Language Model", en-us.lm.bin).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Layout and semantics: /work/shared/spec/sphinx-model-formats.md §7 (a reversed trie of
 * bit-packed entries, predicted word first, with 16-bit quantised values). We walk it once and
 * hand every n-gram, in forward order, to the builder.
 */
#include "lm-private.h"

#include <string.h>

#define TRIE_MAGIC "Trie Language Model"
#define TRIE_MAGIC_LEN 19
#define QUANT_SIZE 65536

typedef struct {
  const guint8 *data;
  gsize size;
  const char *name;
} Reader;

static gboolean
fail (GError **error, const Reader *r, gsize offset, const char *fmt, ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (GError **error, const Reader *r, gsize offset, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_FORMAT, "%s: byte %" G_GSIZE_FORMAT
      ": %s; not a valid Sphinx trie LM (en-us.lm.bin as written by sphinx_lm_convert)",
      r->name, offset, msg);
  g_free (msg);
  return FALSE;
}

/* Bytes [pos, pos+len) must exist. */
static gboolean
need (const Reader *r, gsize pos, gsize len, const char *what, GError **error)
{
  if (pos > r->size || len > r->size - pos)
    return fail (error, r, pos, "the file ends (at %" G_GSIZE_FORMAT ") inside the %s "
        "(%" G_GSIZE_FORMAT " bytes); it is truncated", r->size, what, len);
  return TRUE;
}

static guint
bits_of (guint64 v)
{
  guint b = 0;
  while (v) {
    b++;
    v >>= 1;
  }
  return b;
}

/* A bit-packed array: entries of @bits bits, read as 64-bit little-endian windows. */
typedef struct {
  const guint8 *base;
  guint bits, word_bits, next_bits;  /* next_bits 0: top order (16-bit prob index) */
  guint64 n_entries;                 /* addressable entries (count + 1) */
} Packed;

static inline guint64
read_bits (const guint8 *base, guint64 bit, guint len)
{
  guint64 w;
  memcpy (&w, base + (bit >> 3), 8);
  w = GUINT64_FROM_LE (w) >> (bit & 7);
  return len >= 64 ? w : w & ((G_GUINT64_CONSTANT (1) << len) - 1);
}

static inline guint32
packed_word (const Packed *a, guint64 e)
{
  return (guint32) read_bits (a->base, e * a->bits, a->word_bits);
}

/* middle: backoff index low 16, prob index high 16; top: prob index */
static inline guint32
packed_quant (const Packed *a, guint64 e)
{
  return (guint32) read_bits (a->base, e * a->bits + a->word_bits, a->next_bits ? 32 : 16);
}

static inline guint64
packed_next (const Packed *a, guint64 e)
{
  return read_bits (a->base, e * a->bits + a->word_bits + 32, a->next_bits);
}

typedef struct {
  const float *prob, *backoff;  /* QUANT_SIZE each; backoff NULL for the top order */
} Quant;

static float
load_f32 (const float *table, guint32 i)
{
  float f;
  memcpy (&f, (const guint8 *) table + (gsize) i * 4, 4);
  return f;
}

typedef struct {
  const Reader *r;
  SttLmBuilder *b;
  guint order;
  guint64 counts[STT_LM_MAX_ORDER + 1];
  Packed arr[STT_LM_MAX_ORDER + 1];  /* orders 2..N */
  Quant quant[STT_LM_MAX_ORDER + 1];
  guint32 n_words;
} Walk;

/* Whether sphinxbase's lookup finds entry @e of [lo, hi). It uses an interpolation search
 * (bracketing (lo-1, id 0) and (hi, n_words), probing in proportion to the key), which on a
 * sorted range finds every entry; a few ranges of en-us.lm.bin are not sorted (2 trigram
 * ranges), and there it misses some entries. Those n-grams never score in Sphinx, so to give
 * the same scores we leave them out. Checked against ngram_prob for all four such entries. */
static gboolean
reachable (const Packed *a, guint64 lo, guint64 hi, guint64 e, guint32 n_words)
{
  guint32 key = packed_word (a, e);
  gint64 before = (gint64) lo - 1, after = (gint64) hi;
  guint64 before_v = 0, after_v = n_words;
  if (key > after_v)
    return FALSE;
  while (after - before > 1) {
    guint64 width = (guint64) (after - before - 1);
    gint64 pivot = before + 1 + (gint64) ((key - before_v) * width / (after_v - before_v + 1));
    if (pivot <= before || pivot >= after)
      return FALSE;
    guint32 mid = packed_word (a, (guint64) pivot);
    if (mid < key) {
      before = pivot;
      before_v = mid;
    } else if (mid > key) {
      after = pivot;
      after_v = mid;
    } else {
      return (guint64) pivot == e;
    }
    if (after_v < before_v || key < before_v || key > after_v)
      return FALSE;
  }
  return FALSE;
}

static void
note_dropped (Walk *wk, const guint32 *rev, guint n)
{
  GString *s = g_string_new (NULL);
  for (guint k = 0; k < n; k++)
    g_string_append_printf (s, "%s%s", k ? " " : "",
        (const char *) g_ptr_array_index (wk->b->words, rev[n - 1 - k]));
  g_ptr_array_add (wk->b->dropped, g_string_free (s, FALSE));
}

/* Children [lo, hi) of a node at depth @n-1 (words @hist) in the order-@n array. */
static gboolean
walk_children (Walk *wk, guint n, guint64 lo, guint64 hi, guint32 *rev, GError **error)
{
  if (n < 2 || n > STT_LM_MAX_ORDER || n > wk->order)
    return TRUE;    /* cannot happen (next_bits is 0 at the top order); keeps indexes provable */
  const Packed *a = &wk->arr[n];
  guint64 count = wk->counts[n];
  if (lo > hi || hi > count)
    return fail (error, wk->r, (gsize) (a->base - wk->r->data), "the %u-gram children range "
        "[%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT ") runs backwards or past the %"
        G_GUINT64_FORMAT " entries", n, lo, hi, count);
  gboolean sorted = TRUE;
  for (guint64 e = lo; e < hi; e++) {
    gsize at = (gsize) (a->base - wk->r->data) + (gsize) (e * a->bits / 8);
    guint32 w = packed_word (a, e);
    if (w >= wk->n_words)
      return fail (error, wk->r, at, "%u-gram entry %" G_GUINT64_FORMAT " has word id %u of "
          "%u", n, e, w, wk->n_words);
    if (e > lo && w <= packed_word (a, e - 1))
      sorted = FALSE;
  }
  for (guint64 e = lo; e < hi; e++) {
    rev[n - 1] = packed_word (a, e);
    if (!sorted && !reachable (a, lo, hi, e, wk->n_words)) {
      note_dropped (wk, rev, n);
      continue;
    }
    guint32 q = packed_quant (a, e);
    SttLmEntry ent = { { 0 } };
    for (guint k = 0; k < n; k++)   /* reversed (predicted word first) -> oldest first */
      ent.w[k] = rev[n - 1 - k];
    if (a->next_bits) {
      ent.prob = load_f32 (wk->quant[n].prob, q >> 16);
      ent.backoff = load_f32 (wk->quant[n].backoff, q & 0xffff);
    } else {
      ent.prob = load_f32 (wk->quant[n].prob, q);
    }
    g_array_append_val (wk->b->ngrams[n], ent);
    if (a->next_bits
        && !walk_children (wk, n + 1, packed_next (a, e), packed_next (a, e + 1), rev, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
read_vocabulary (const Reader *r, gsize pos, SttLmBuilder *b, guint32 n_words, GError **error)
{
  gint32 k;
  if (!need (r, pos, 4, "vocabulary size", error))
    return FALSE;
  memcpy (&k, r->data + pos, 4);
  k = GINT32_FROM_LE (k);
  pos += 4;
  if (k < 0)
    return fail (error, r, pos - 4, "negative vocabulary size %d", k);
  if (!need (r, pos, (gsize) k, "vocabulary", error))
    return FALSE;
  if (pos + (gsize) k != r->size)
    return fail (error, r, pos + (gsize) k, "%" G_GSIZE_FORMAT " unexpected bytes after the "
        "vocabulary", r->size - pos - (gsize) k);
  const char *s = (const char *) r->data + pos, *end = s + k;
  for (guint32 i = 0; i < n_words; i++) {
    const char *nul = memchr (s, '\0', (gsize) (end - s));
    if (!nul)
      return fail (error, r, (gsize) ((const guint8 *) s - r->data), "the vocabulary holds %u "
          "words, the header says %u", i, n_words);
    if (nul == s || !g_utf8_validate (s, nul - s, NULL))
      return fail (error, r, (gsize) ((const guint8 *) s - r->data), "word %u is empty or "
          "not UTF-8", i);
    g_ptr_array_add (b->words, g_strndup (s, nul - s));
    s = nul + 1;
  }
  if (s != end)
    return fail (error, r, (gsize) ((const guint8 *) s - r->data), "%" G_GSIZE_FORMAT " bytes "
        "after word %u in the vocabulary", (gsize) (end - s), n_words);
  return TRUE;
}

SttLmBuilder *
stt_lm_read_sphinx_trie (const guint8 *data, gsize size, const char *name, GError **error)
{
  Reader r = { data, size, name };
  Walk wk = { &r };
  if (size < TRIE_MAGIC_LEN + 1 || memcmp (data, TRIE_MAGIC, TRIE_MAGIC_LEN) != 0) {
    fail (error, &r, 0, "no \"" TRIE_MAGIC "\" magic");
    return NULL;
  }
  gsize pos = TRIE_MAGIC_LEN;
  wk.order = data[pos++];
  if (wk.order < 1 || wk.order > STT_LM_MAX_ORDER) {
    g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_UNSUPPORTED, "%s: byte %d: order %u; "
        "supported orders are 1 to %d", name, TRIE_MAGIC_LEN, wk.order, STT_LM_MAX_ORDER);
    return NULL;
  }
  if (!need (&r, pos, 4 * wk.order, "n-gram counts", error))
    return NULL;
  for (guint n = 1; n <= wk.order; n++, pos += 4) {
    guint32 c;
    memcpy (&c, data + pos, 4);
    wk.counts[n] = GUINT32_FROM_LE (c);
    if (c == 0 || c >= G_MAXINT32) {
      fail (error, &r, pos, "%u-gram count %u", n, c);
      return NULL;
    }
  }
  wk.n_words = (guint32) wk.counts[1];
  if (wk.order > 1) {
    pos += 4;   /* quantisation type (1), not used */
    for (guint n = 2; n <= wk.order; n++) {
      gsize len = (n < wk.order ? 2 : 1) * QUANT_SIZE * 4;
      if (!need (&r, pos, len, "quantisation tables", error))
        return NULL;
      wk.quant[n].prob = (const float *) (data + pos);
      wk.quant[n].backoff = n < wk.order ? (const float *) (data + pos + QUANT_SIZE * 4) : NULL;
      pos += len;
    }
  }
  gsize uni_pos = pos, uni_len = (wk.counts[1] + 1) * 12;
  if (!need (&r, pos, uni_len, "unigram table", error))
    return NULL;
  pos += uni_len;
  for (guint n = 2; n <= wk.order; n++) {
    Packed *a = &wk.arr[n];
    a->word_bits = bits_of (wk.counts[1]);
    a->next_bits = n < wk.order ? bits_of (wk.counts[n + 1]) : 0;
    a->bits = a->word_bits + (n < wk.order ? 32 + a->next_bits : 16);
    a->n_entries = wk.counts[n] + 1;
    gsize len = (gsize) ((a->n_entries * a->bits + 7) / 8 + 8);
    if (!need (&r, pos, len, "bit-packed n-gram array", error))
      return NULL;
    a->base = data + pos;
    pos += len;
  }

  SttLmBuilder *b = stt_lm_builder_new (wk.order);
  wk.b = b;
  if (!read_vocabulary (&r, pos, b, wk.n_words, error))
    goto fail;
  guint32 prev_next = 0;
  for (guint32 w = 0; w <= wk.n_words; w++) {
    const guint8 *u = data + uni_pos + (gsize) w * 12;
    float p, bo;
    guint32 next;
    memcpy (&p, u, 4);
    memcpy (&bo, u + 4, 4);
    memcpy (&next, u + 8, 4);
    next = GUINT32_FROM_LE (next);
    if (w < wk.n_words) {
      g_array_append_val (b->uprob, p);
      g_array_append_val (b->ubo, bo);
    }
    if (wk.order > 1 && w > 0) {
      guint32 rev[STT_LM_MAX_ORDER] = { w - 1 };
      if (!walk_children (&wk, 2, prev_next, next, rev, error))
        goto fail;
    }
    prev_next = next;
  }
  return b;
fail:
  stt_lm_builder_free (b);
  return NULL;
}
