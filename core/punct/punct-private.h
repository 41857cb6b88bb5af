/* gst-stt — what the punct runtime and trainer share: the file layout and the features.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once
#include "stt/punct.h"

#define PUNCT_MAGIC "STTPUNC1"
#define PUNCT_VERSION 2
#define PUNCT_MIN_BITS 8
#define PUNCT_MAX_BITS 24
#define PUNCT_N_PAUSE_BUCKETS 4

/* punct.bin: this header, then gint16 weights[2^hash_bits][STT_PUNCT_N_LABELS] (times
 * weight_scale), then
 * PunctCaseEntry[n_case_entries] sorted by key (strcmp), then PunctCaseEntry[n_class_entries]
 * (the word classes: key, class number) sorted by key, then the string pool (NUL-terminated
 * UTF-8). Every section starts 8-byte aligned; sizes are exact. */
typedef struct {
  char magic[8];
  guint32 version;
  guint32 hash_bits;
  guint32 n_labels;
  guint32 n_case_entries;
  guint32 strings_size;
  guint32 n_class_entries;
  /* Added to the score of each label when the pause after a word falls in a bucket
   * (see punct_pause_bucket); bucket 0 = unknown or short. */
  float pause_bonus[PUNCT_N_PAUSE_BUCKETS][STT_PUNCT_N_LABELS];
  float weight_scale;           /* a stored weight times this is its value */
  guint32 reserved;
} PunctHeader;

/* Weights are stored as 16-bit integers: half the size of floats, no loss that matters. */
typedef gint16 PunctWeight;
#define PUNCT_WEIGHT_MAX 32767

typedef struct {
  guint32 key;                  /* offset of the lower-case word in the pool */
  guint32 form;                 /* offset of its written form */
} PunctCaseEntry;

G_STATIC_ASSERT (sizeof (PunctHeader) == 40 + 4 * PUNCT_N_PAUSE_BUCKETS * STT_PUNCT_N_LABELS);
G_STATIC_ASSERT (sizeof (PunctCaseEntry) == 8);

#define PUNCT_ALIGN8(x) (((x) + 7) & ~(gsize) 7)

/* The most features one word can have. */
#define PUNCT_MAX_FEATURES 64

/* A word sequence prepared for feature extraction: one 64-bit hash per word, and its classes. */
typedef struct {
  const guint64 *hashes;        /* n words */
  const guint32 *classes;       /* n packed word classes (punct_class_of) */
  guint n;
} PunctSeq;

/* Word classes (punct-classes.c): each frequent word has a class at three granularities (64,
 * 256 and 1024 classes), packed in 6 + 8 + 10 bits at punct_class_shift[level]. */
#define PUNCT_N_CLASS_LEVELS 3
#define PUNCT_NO_CLASS G_MAXUINT32
#define PUNCT_NUMBER_CLASS (G_MAXUINT32 - 1)
#define PUNCT_MAX_CLASS_WORDS 20000
extern const guint punct_class_shift[PUNCT_N_CLASS_LEVELS];
/* The packed classes of each vocabulary entry (PUNCT_NO_CLASS for rare words), newly
 * allocated. */
guint *punct_classes_train (const char *const *words, const guint *counts, guint n_vocab,
    const guint32 *tokens, gsize n_tokens, guint max_words);
/* The packed classes of a word: from the model, or the classes of unknown words. */
guint32 punct_class_of (guint32 packed, const char *word);
/* A feature value for the class at @level. */
guint64 punct_class_hash (guint32 cls, guint level);

/* The decisions made so far, left to right. */
typedef struct {
  guint sentence_start;         /* index of the first word of the current sentence */
  guint clause_start;           /* index of the first word after the last mark */
  SttPunctLabel prev;           /* the label after the previous word */
} PunctHistory;

guint64 punct_hash_word (const char *word);
/* Feature rows (indices into the weight table) of word @i; returns how many. */
guint punct_features (const PunctSeq *seq, guint i, const PunctHistory *hist, guint bits,
    guint32 *rows);
/* Feature rows of the sentence of words @start..@end (inclusive) for the question model,
 * which decides between a period and a question mark where a sentence ends. */
guint punct_sentence_features (const PunctSeq *seq, guint start, guint end, guint bits,
    guint32 *rows);
/* Question minus period score of a sentence. */
static inline float
punct_question_score (const float *weights, const guint32 *rows, guint n)
{
  float s = 0;
  for (guint f = 0; f < n; f++) {
    const float *w = weights + (gsize) rows[f] * STT_PUNCT_N_LABELS;
    s += w[STT_PUNCT_QUESTION] - w[STT_PUNCT_PERIOD];
  }
  return s;
}
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
