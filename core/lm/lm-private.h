/* gst-stt — LM internals shared by the readers, the writer and the queries.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Own format "STTNGRAM" version 1 (docs/lm.md): the section container of image.h with
 * params = { order, n1, n2, n3 } (n-gram counts) and these sections:
 *     VSTR, VOFF, VSRT  the vocabulary as a string table (word id = index)
 *     UPRB, UBOF  f32[n1] unigram prob and backoff
 *     UNXT  u32[n1+1] bigram children range of each unigram       (order >= 2)
 *     BWRD  u32[n2] second word of each bigram, ascending per parent
 *     BNXT  u32[n2+1] trigram children range of each bigram, BBO* bigram backoffs (order 3)
 *     TWRD  u32[n3] third word of each trigram, ascending per parent
 *     values of a column X (BPR = bigram prob, BBO = bigram backoff, TPR = trigram prob):
 *       "XF" f32[n] (tag BPRF...) or quantised "XQ" u16[n] indices into "XT" f32[k], k <= 65536.
 * The forward trie lets a context state hold its bigram node, so one search both scores the
 * next word and yields the next state.
 */
#pragma once

#include <stt/lm.h>
#include "image.h"

#define STT_LM_MAGIC "STTNGRAM"
#define STT_LM_VERSION 1

/* A value column: either plain floats or 16-bit indices into a table. */
typedef struct {
  const float *f;
  const guint16 *q;
  const float *table;
} SttLmValues;

static inline float
stt_lm_values_get (const SttLmValues *v, guint32 i)
{
  return v->q ? v->table[v->q[i]] : v->f[i];
}

struct _SttLm {
  gint ref_count;
  GBytes *bytes;          /* the own-format image everything below points into */
  char *name;             /* file name for messages */
  guint order;
  guint32 n[STT_LM_MAX_ORDER + 1];  /* n[1..order] */
  SttStrings vocab;
  const float *uprob, *ubo;
  const guint32 *unext;
  const guint32 *bword, *bnext;
  SttLmValues bprob, bbo;
  const guint32 *tword;
  SttLmValues tprob;
};

/* ---- building an image from n-grams (used by the Sphinx and ARPA readers) ------------------ */
typedef struct {
  guint32 w[STT_LM_MAX_ORDER];  /* oldest first */
  float prob, backoff;
} SttLmEntry;

typedef struct {
  guint order;
  GPtrArray *words;       /* char *, word id = index */
  GArray *uprob, *ubo;    /* float per word */
  GArray *ngrams[STT_LM_MAX_ORDER + 1];  /* SttLmEntry for orders 2..order */
  GPtrArray *dropped;     /* "w1 w2 w3" of source n-grams left out (unreachable in Sphinx) */
} SttLmBuilder;

SttLmBuilder *stt_lm_builder_new (guint order);
void stt_lm_builder_free (SttLmBuilder *b);
/* Sort, check, add missing trigram contexts and serialise; @name is used in errors. */
GBytes *stt_lm_builder_to_bytes (SttLmBuilder *b, const char *name, GError **error);

/* Readers of foreign formats into a builder. */
SttLmBuilder *stt_lm_read_sphinx_trie (const guint8 *data, gsize size, const char *name,
    GError **error);
SttLmBuilder *stt_lm_read_arpa (const char *text, gsize size, const char *name,
    GError **error);

/* stt_lm_score before truncation to an integer (raw units, float32). */
float stt_lm_score_float (const SttLm *lm, SttLmWord w, SttLmWord h1, SttLmWord h2);

/* ---- n-gram tables of the estimators (lm-grams.c; training and mixing) -------------------- */
typedef struct {
  guint32 w[STT_LM_MAX_ORDER];
  guint32 raw, adj;       /* raw count, adjusted (continuation) count */
  double prob, bow;       /* p(w|h); backoff of this n-gram as a context (1 if none) */
} SttLmGram;

typedef struct {
  GArray *g;              /* SttLmGram, sorted by words (oldest first) */
  guint n;                /* order */
  double d[4];            /* discounts d[1..3] (training) */
} SttLmGramTable;

int stt_lm_gram_cmp (const guint32 *a, const guint32 *b, guint n);
SttLmGram *stt_lm_gram_lookup (const SttLmGramTable *t, const guint32 *w);
/* Sort and merge equal n-grams, adding their raw counts. */
void stt_lm_gram_table_sort (SttLmGramTable *t);
/* The LM of the probabilities and backoffs of tables[1..b->order] (tables[1] holds every word
 * of b->words, in id order); the builder's words are used, its n-gram arrays filled. */
SttLm *stt_lm_from_grams (SttLmBuilder *b, SttLmGramTable *tables, const char *name,
    GError **error);
