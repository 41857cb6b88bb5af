/* gst-stt — what the punct runtime and trainer share: the file layout and the features.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once
#include "stt/punct.h"

#define PUNCT_MAGIC "STTPUNC1"
#define PUNCT_VERSION 1
#define PUNCT_MIN_BITS 8
#define PUNCT_MAX_BITS 24
#define PUNCT_N_PAUSE_BUCKETS 4

/* punct.bin: this header, then float weights[2^hash_bits][STT_PUNCT_N_LABELS], then
 * PunctCaseEntry[n_case_entries] sorted by key (strcmp), then the string pool
 * (NUL-terminated UTF-8). Every section starts 8-byte aligned; sizes are exact. */
typedef struct {
  char magic[8];
  guint32 version;
  guint32 hash_bits;
  guint32 n_labels;
  guint32 n_case_entries;
  guint32 strings_size;
  guint32 reserved;
  /* Added to the score of each label when the pause after a word falls in a bucket
   * (see punct_pause_bucket); bucket 0 = unknown or short. */
  float pause_bonus[PUNCT_N_PAUSE_BUCKETS][STT_PUNCT_N_LABELS];
} PunctHeader;

typedef struct {
  guint32 key;                  /* offset of the lower-case word in the pool */
  guint32 form;                 /* offset of its written form */
} PunctCaseEntry;

G_STATIC_ASSERT (sizeof (PunctHeader) == 32 + 4 * PUNCT_N_PAUSE_BUCKETS * STT_PUNCT_N_LABELS);
G_STATIC_ASSERT (sizeof (PunctCaseEntry) == 8);

#define PUNCT_ALIGN8(x) (((x) + 7) & ~(gsize) 7)

/* The most features one word can have. */
#define PUNCT_MAX_FEATURES 32

/* A word sequence prepared for feature extraction: one 64-bit hash per word. */
typedef struct {
  const guint64 *hashes;        /* n words */
  guint n;
} PunctSeq;

/* The decisions made so far, left to right. */
typedef struct {
  guint sentence_start;         /* index of the first word of the current sentence */
  SttPunctLabel prev;           /* the label after the previous word */
} PunctHistory;

guint64 punct_hash_word (const char *word);
/* Feature rows (indices into the weight table) of word @i; returns how many. */
guint punct_features (const PunctSeq *seq, guint i, const PunctHistory *hist, guint bits,
    guint32 *rows);
void punct_history_advance (PunctHistory *hist, guint i, SttPunctLabel label);
guint punct_pause_bucket (gint pause_ms);
/* The default pause priors, scaled by the model's typical score margin. */
void punct_default_pause_bonus (float margin,
    float bonus[PUNCT_N_PAUSE_BUCKETS][STT_PUNCT_N_LABELS]);

/* Scores of every label for the feature @rows (summed weight rows). */
static inline void
punct_score (const float *weights, const guint32 *rows, guint n_rows,
    float score[STT_PUNCT_N_LABELS])
{
  for (guint l = 0; l < STT_PUNCT_N_LABELS; l++)
    score[l] = 0.0f;
  for (guint f = 0; f < n_rows; f++) {
    const float *w = weights + (gsize) rows[f] * STT_PUNCT_N_LABELS;
    for (guint l = 0; l < STT_PUNCT_N_LABELS; l++)
      score[l] += w[l];
  }
}

static inline SttPunctLabel
punct_argmax (const float score[STT_PUNCT_N_LABELS])
{
  SttPunctLabel best = STT_PUNCT_NONE;
  for (guint l = 1; l < STT_PUNCT_N_LABELS; l++)
    if (score[l] > score[best])
      best = l;
  return best;
}
