/* gst-stt — what the punct runtime and trainer share: the file layout and the features.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once
#include "stt/punct.h"
#include "stt/lm.h"

#define PUNCT_MAGIC "STTPUNC1"
#define PUNCT_VERSION 7
#define PUNCT_MIN_BITS 8
#define PUNCT_MAX_BITS 24
#define PUNCT_N_PAUSE_BUCKETS 4

/* The shape of the window network (punct-mlp.c); hidden 0 = no network. */
typedef struct {
  guint32 dim;                  /* embedding size */
  guint32 left, right;          /* words of context before and after the word */
  guint32 hidden;               /* units of the hidden layer */
  guint32 vocab;                /* embeddings: PUNCT_MLP_FIRST + the class entries */
} PunctMlpShape;

/* The shape of the sentence-level network (punct-rnn.c); hidden 0 = no network. */
typedef struct {
  guint32 dim;                  /* embedding size */
  guint32 hidden;               /* GRU units of each direction */
  guint32 vocab;                /* embeddings: PUNCT_MLP_FIRST + the class entries */
  guint32 window;               /* words per training window, and per window at run time */
  guint32 layers;               /* stacked bidirectional layers, 1..PUNCT_RNN_MAX_LAYERS
                                 * (each above the first reads both directions' states of
                                 * the one below) */
} PunctRnnShape;

/* punct.bin: this header, then gint16 weights[2^hash_bits][STT_PUNCT_N_LABELS] (times
 * weight_scale), then the network's float parameters (punct_mlp_n_params, zero-padded to 8
 * bytes), then the sentence networks' float parameters (rnn_members times punct_rnn_n_params,
 * one network after the other, zero-padded to 8 bytes), then
 * PunctCaseEntry[n_case_entries] sorted by key (strcmp), then PunctCaseEntry[n_class_entries]
 * (the word classes: key, class number) sorted by key, then PunctCaseEntry[n_context_entries]
 * (written forms next to a given word: keys PUNCT_CONTEXT_LEFT "prev word" and
 * PUNCT_CONTEXT_RIGHT "word next") sorted by key, then the string pool (NUL-terminated
 * UTF-8), then the question model's float weights[2^question_bits]. Every section starts
 * 8-byte aligned; sizes are exact. */
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
  /* How many sentence networks of the shape rnn follow one another (an ensemble whose
   * log-probabilities are averaged): 1..PUNCT_RNN_MAX_MEMBERS, 0 when rnn.hidden is 0. */
  guint32 rnn_members;
  PunctMlpShape mlp;
  float mlp_weight;             /* the network's log-probabilities count this much */
  /* Added to the score of each label (none, comma, period, question; the first is 0), and to
   * the question model's score: chosen on the development split. */
  float label_bias[STT_PUNCT_N_LABELS];
  float question_bias;
  guint32 n_context_entries;
  PunctRnnShape rnn;
  /* The sentence network's log-probabilities count rnn_weight; where a sentence ends, its
   * question minus period log-probability plus rnn_question_offset adds rnn_question_weight
   * times itself to the question model's score. */
  float rnn_weight;
  float rnn_question_weight;
  /* The question model (punct_sentence_features, punct_question_score): a table of
   * 2^question_bits floats at the end of the file. */
  guint32 question_bits;
  /* Added to the sentence networks' question minus period log-probability before it is
   * weighed (question marks are much rarer than periods). */
  float rnn_question_offset;
  guint32 reserved;             /* 0 (keeps the header a multiple of 8 bytes) */
} PunctHeader;

/* Weights are stored as 16-bit integers: half the size of floats, no loss that matters. */
typedef gint16 PunctWeight;
#define PUNCT_WEIGHT_MAX 32767

#define PUNCT_CONTEXT_LEFT '<'
#define PUNCT_CONTEXT_RIGHT '>'

typedef struct {
  guint32 key;                  /* offset of the lower-case word in the pool */
  guint32 form;                 /* offset of its written form */
} PunctCaseEntry;

G_STATIC_ASSERT (sizeof (PunctHeader) == 128 + 4 * PUNCT_N_PAUSE_BUCKETS * STT_PUNCT_N_LABELS);
G_STATIC_ASSERT (sizeof (PunctCaseEntry) == 8);

#define PUNCT_ALIGN8(x) (((x) + 7) & ~(gsize) 7)

/* The most features one word can have, and one sentence of the question model. */
#define PUNCT_MAX_FEATURES 64
#define PUNCT_MAX_SENTENCE_FEATURES 32

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
/* Feature rows (indices into a table of 2^@bits) of the sentence of words @start..@end
 * (inclusive) for the question model, which decides between a period and a question mark
 * where a sentence ends; returns how many (at most PUNCT_MAX_SENTENCE_FEATURES). */
guint punct_sentence_features (const PunctSeq *seq, guint start, guint end, guint bits,
    guint32 *rows);
/* The question model's score of a sentence's feature rows (a logit: > 0 leans to a question). */
static inline float
punct_question_score (const float *weights, const guint32 *rows, guint n)
{
  float s = 0;
  for (guint f = 0; f < n; f++)
    s += weights[rows[f]];
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

/* The window network (punct-mlp.c). Word ids: the word's index among the class entries plus
 * PUNCT_MLP_FIRST, or one of these. */
#define PUNCT_MLP_OUTSIDE 0     /* beyond either end of the text */
#define PUNCT_MLP_UNKNOWN 1
#define PUNCT_MLP_NUMBER 2
#define PUNCT_MLP_FIRST 3
#define PUNCT_MLP_MAX_DIM 256
#define PUNCT_MLP_MAX_CONTEXT 8
#define PUNCT_MLP_MAX_HIDDEN 1024

typedef struct {
  PunctMlpShape shape;
  guint in;                     /* (left + 1 + right) * dim */
  float *emb, *w1, *b1, *w2, *b2;
} PunctMlp;

gsize punct_mlp_n_params (const PunctMlpShape *shape);
/* Point @m at the parameters in @params (punct_mlp_n_params floats). */
void punct_mlp_view (PunctMlp *m, const PunctMlpShape *shape, float *params);
/* The log-probability of each mark after each of the @n words (@out: n x STT_PUNCT_N_LABELS). */
void punct_mlp_log_probs (const PunctMlp *m, const guint32 *ids, guint n, float *out);
/* Train a network on the word ids and marks of documents (@doc_ends: one past each one's last
 * word); returns its parameters, newly allocated. Deterministic. */
float *punct_mlp_train (const PunctMlpShape *shape, const guint32 *ids, const guint8 *labels,
    gsize n_tokens, const guint *doc_ends, guint n_docs, guint epochs, float lr);

/* The sentence-level network (punct-rnn.c): a bidirectional GRU over the same word ids. */
#define PUNCT_RNN_MAX_DIM 256
#define PUNCT_RNN_MAX_HIDDEN 512
#define PUNCT_RNN_MAX_WINDOW 1024
#define PUNCT_RNN_MAX_MEMBERS 4
#define PUNCT_RNN_MAX_LAYERS 3

/* One direction of one GRU layer: input weights [3h][in], recurrent weights [3h][h] (rows:
 * update gate, reset gate, candidate), their biases [3h]. */
typedef struct {
  float *w, *u, *bw, *bu;
} PunctGru;

typedef struct {
  PunctRnnShape shape;
  float *emb;
  /* per layer (shape.layers of them) and direction (0: left to right, 1: right to left);
   * layer 0 reads the embeddings (in = dim), each layer above both directions' states of
   * the one below, forward then backward (in = 2h) */
  PunctGru gru[PUNCT_RNN_MAX_LAYERS][2];
  float *wo[2], *bo;            /* output: [labels][h] per direction of the top layer,
                                 * [labels] */
} PunctRnn;

/* What both networks use (punct-nn.c). C (m x n) = op(A) op(B), plus C when @accumulate
 * (row-major): op(A) is m x k, stored k x m when @ta; op(B) is k x n, stored n x k when @tb;
 * through OpenBLAS when the build has it. */
void punct_gemm (gboolean ta, gboolean tb, const float *a, const float *b, float *c, gsize m,
    gsize n, gsize k, gboolean accumulate);
/* @v (STT_PUNCT_N_LABELS scores) becomes log-probabilities. */
void punct_log_softmax (float *v);
/* xorshift64*: fixed sequences for initial weights and the order of examples. */
guint64 punct_next_random (guint64 *s);
/* Uniform in [-@range, @range). */
float punct_uniform (guint64 *s, float range);
gsize punct_rnn_n_params (const PunctRnnShape *shape);
/* Point @m at the parameters in @params (punct_rnn_n_params floats). */
void punct_rnn_view (PunctRnn *m, const PunctRnnShape *shape, float *params);
/* The log-probability of each mark after each of the @n words (@out: n x STT_PUNCT_N_LABELS). */
void punct_rnn_log_probs (const PunctRnn *m, const guint32 *ids, guint n, float *out);
/* The mean of the @n_nets networks' log-probabilities (an ensemble; one network: its own). */
void punct_rnn_ensemble_log_probs (const PunctRnn *nets, guint n_nets, const guint32 *ids,
    guint n, float *out);

/* How a sentence network is trained. */
typedef struct {
  guint epochs;                 /* passes over the text */
  guint batch;                  /* windows per mini-batch */
  float lr, lr_end;             /* Adam's learning rate falls linearly from lr to lr_end */
  float dropout_emb;            /* inverted dropout of the embeddings (training only) */
  float dropout_out;            /* ... and of the states the output layer reads */
  float question_weight;        /* a question mark's loss counts this much (others 1) */
  guint64 seed;                 /* initial weights, window offsets and order, dropout; 0 =
                                 * the default seed */
  /* Initial embeddings (punct_lm_embeddings): vocab x init_dim numbers that replace the random
   * last init_dim numbers of each row whose init_found is set; with freeze_init those stay as
   * they are in training. NULL: all random. */
  const float *init_emb;
  const guint8 *init_found;
  guint init_dim;
  gboolean freeze_init;
} PunctRnnTrainParams;

/* Train a network on the word ids and marks of the text (@n_tokens words; windows of
 * shape->window words, lowered to @n_tokens when the text is shorter); returns its
 * parameters, newly allocated. Deterministic. */
float *punct_rnn_train (PunctRnnShape *shape, const guint32 *ids, const guint8 *labels,
    gsize n_tokens, const PunctRnnTrainParams *params);

/* For tests: the mean log loss of @b windows of @t words (@ids, @labels: time-major, row t * b
 * + s) under the parameters @params of a network of @shape, and its gradient in @grad
 * (punct_rnn_n_params floats, overwritten); no dropout, question marks weigh 1. */
double punct_rnn_gradient (const PunctRnnShape *shape, float *params, const guint32 *ids,
    const guint8 *labels, gsize t, gsize b, float *grad);

/* Word vectors from an n-gram LM (punct-embed.c): @n_words x @dim numbers, the row of each
 * of @words (lower-case; NULL entries allowed) from its LM bigrams, every found row of length
 * @length; rows of words the LM lacks (or whose stored bigrams have no frequent neighbour)
 * are zero with @found 0. Newly allocated; deterministic. */
float *punct_lm_embeddings (const SttLm *lm, const char *const *words, guint n_words, guint dim,
    float length, guint8 *found, guint *n_found);
/* The LM of --rnn-init-lm: an LM file (own format, Sphinx trie or ARPA) or a model folder
 * holding lm/lm.bin. Errors name the path and what to give instead. */
SttLm *punct_load_init_lm (const char *path, GError **error);
/* Word vectors from a word-vector text file (punct-vectors.c; GloVe, word2vec or fastText text
 * format): @n_words x *@dim numbers (*@dim: the file's vector size), the row of each of @words
 * (NULL entries allowed) from the line of that word (exact, else lower-cased), every found row
 * scaled to a root mean square of @rms per number; rows of words the file lacks are zero with
 * @found 0. Newly allocated; NULL with @error naming the file and line when it is unreadable or
 * malformed. */
float *punct_file_embeddings (const char *path, const char *const *words, guint n_words,
    float rms, guint *dim, guint8 *found, guint *n_found, GError **error);
