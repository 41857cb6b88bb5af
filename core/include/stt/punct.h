/* gst-stt — punctuation and capitalization: the runtime and the trainer of `punct` models.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A punct model turns a stream of lower-case words into display text: after every word it
 * predicts nothing, a comma, a period or a question mark, and it restores each word's case.
 * The marks: the scores of an averaged perceptron over hashed sparse features (the surrounding
 * words, their bigrams, trigrams and skip-grams on both sides, their word classes, the first
 * words and length of the current sentence and clause, the previous decision) plus the
 * log-probabilities of a small window network (word embeddings of four words either side, one
 * hidden layer), plus per-mark biases; where a sentence ends, a question model (logistic
 * regression over how the sentence opens) picks period or question mark. The case: a
 * truecasing lexicon (the most frequent written form of each word outside sentence starts), a
 * table of forms that depend on the next or previous word ("Great Britain"), and a capital at
 * every sentence start. Pauses
 * between words, when known, add fixed priors for a mark (text has no timing, so they are not
 * learned; see docs/models.md). Decoding is greedy, left to right.
 *
 * The model is one file, `punct.bin`, little-endian, laid out to be used straight from a
 * read-only mapping (stt_model_map): a header, the weight table, the network's parameters, a
 * sorted casing lexicon, the sorted word classes, the sorted context forms and their string
 * pool. Every size and offset is checked when it is opened.
 *
 * Ownership: SttPunct is reference counted and immutable: one instance may be used by any
 * number of threads at once. The trainer is a plain single-threaded object.
 */
#pragma once

#include <glib.h>
#include <stt/model.h>

G_BEGIN_DECLS

/* The id of the default en-US punct model, trained from the State of the Union addresses
 * by the build (`models/punct`, target `punct-model`); fixed so every build names it alike. */
#define STT_PUNCT_DEFAULT_MODEL_ID "5b0c3e8e-7d1a-4f52-9c6b-2a8e4d1f7c02"
/* The name of the model file inside a punct model folder. */
#define STT_PUNCT_MODEL_FILE "punct.bin"

#define STT_PUNCT_ERROR (stt_punct_error_quark ())
GQuark stt_punct_error_quark (void);
typedef enum {
  STT_PUNCT_ERROR_FORMAT,       /* the model file is not a valid punct model */
  STT_PUNCT_ERROR_KIND,         /* the model is not of kind "punct" */
  STT_PUNCT_ERROR_TRAIN,        /* training text unusable (empty, ...) */
} SttPunctError;

/* What follows a word. Ordered by strength: when two marks meet, the larger wins. */
typedef enum {
  STT_PUNCT_NONE,
  STT_PUNCT_COMMA,
  STT_PUNCT_PERIOD,
  STT_PUNCT_QUESTION,
  STT_PUNCT_N_LABELS,
} SttPunctLabel;

/* The character a label writes ('\0' for NONE). */
char stt_punct_label_char (SttPunctLabel label);

/* ---- text ---------------------------------------------------------------------------------
 * Punctuated text as tokens: each whitespace-separated token loses its leading and trailing
 * punctuation; the trailing marks become the label of the word (? -> QUESTION, . ! -> PERIOD,
 * , ; : and dashes -> COMMA). Periods inside a token ("U.S.") belong to the word. Tokens that
 * are only punctuation give their mark to the word before them. */
typedef struct {
  char *word;                   /* lower case */
  char *cased;                  /* as written */
  SttPunctLabel label;          /* the mark after the word */
} SttPunctToken;

/* A new array of SttPunctToken (freed with g_array_unref, which frees the strings). */
GArray *stt_punct_tokenize (const char *text);

/* ---- runtime ------------------------------------------------------------------------------ */
typedef struct _SttPunct SttPunct;

/* A model from the bytes of a punct.bin (kept referenced, not copied). @where names the
 * bytes in error messages (a file path). */
SttPunct *stt_punct_new_from_bytes (GBytes *bytes, const char *where, GError **error);
/* The model's punct.bin, mapped once and shared by every caller on the same SttModel. */
SttPunct *stt_punct_new_from_model (SttModel *model, GError **error);
SttPunct *stt_punct_ref (SttPunct *punct);
void stt_punct_unref (SttPunct *punct);

/* Flags of stt_punct_predict. */
typedef enum {
  STT_PUNCT_FLAG_NONE = 0,
  /* The words are a whole phrase: the last word ends a sentence (period or question mark, as
   * the question model decides). */
  STT_PUNCT_FLAG_END_SENTENCE = 1 << 0,
} SttPunctFlags;

/* Predict the mark after each of the @n lower-case @words into @labels (@n entries).
 * @pause_ms: the silence after each word in milliseconds, negative when unknown; may be NULL. */
void stt_punct_predict (const SttPunct *punct, const char *const *words, guint n,
    const gint *pause_ms, SttPunctFlags flags, SttPunctLabel *labels);

/* The question model alone on one whole sentence of @n (> 0) lower-case @words: a score
 * above 0 makes it a question, else a statement (what stt_punct_predict writes where it ends
 * a sentence, leaving out the sentence network's share, by default none). For callers that
 * know where sentences end, and for measuring the question model by itself. */
float stt_punct_question_score (const SttPunct *punct, const char *const *words, guint n);

/* The written form of lower-case @word (newly allocated): its most frequent case in the
 * training text, with a capital first letter when @sentence_start. */
char *stt_punct_case_word (const SttPunct *punct, const char *word, gboolean sentence_start);

/* The written form of each of the @n lower-case @words (a newly allocated NULL-terminated
 * array): the form the training text used next to the same neighbour where it differs from
 * the word's usual one ("Great" before "britain"), else the usual form; a capital first letter
 * at the first word and after every period and question mark of @labels (may be NULL). Empty
 * words stay empty and their labels do not end a sentence. */
char **stt_punct_case_words (const SttPunct *punct, const char *const *words, guint n,
    const SttPunctLabel *labels);

/* Cased words (stt_punct_case_words), space separated, with their marks when @write_marks
 * (newly allocated). A sentence starts at the first word and after every period and question
 * mark of @labels; @labels may be NULL (no marks; only the first word starts a sentence). */
char *stt_punct_format (const SttPunct *punct, const char *const *words, guint n,
    const SttPunctLabel *labels, gboolean write_marks);

/* Convenience: predict and format a whole phrase of whitespace-separated words (any case). */
char *stt_punct_punctuate (const SttPunct *punct, const char *text, SttPunctFlags flags);

/* ---- training ------------------------------------------------------------------------------ */
typedef struct {
  guint hash_bits;              /* weight table of 2^hash_bits rows; 0 = default (20) */
  guint epochs;                 /* passes over the text; 0 = default (5) */
  gint mlp_hidden;              /* the window network's hidden units: 0 = default (128
                                 * when the text has 200,000 words or more, else none),
                                 * negative = no network */
  guint mlp_epochs;             /* the network's passes over the text; 0 = default (2) */
  gint rnn_hidden;              /* the sentence network's GRU units per direction: 0 =
                                 * default (128 when the text has 200,000 words or more,
                                 * else none), negative = no network */
  guint rnn_epochs;             /* its passes over the text; 0 = default */
  guint rnn_dim;                /* its word embedding size; 0 = default */
  guint rnn_window;             /* its training window in words; 0 = default */
  guint rnn_members;            /* sentence networks trained with different seeds, their
                                 * log-probabilities averaged (1..4); 0 = default */
  double rnn_dropout;           /* dropout of its embeddings and of the states its output
                                 * layer reads, in training (0..0.9); 0 = default (0.3),
                                 * negative = none */
  double rnn_lr_end;            /* its learning rate falls linearly to this fraction of the
                                 * first (0..1]; 1 = no fall, 0 = default (0.1) */
  double rnn_question_weight;   /* a question mark counts this much in its loss; 0 = default */
  const char *rnn_init_lm;      /* start its embeddings from word vectors of this LM's bigrams
                                 * (an LM file or a model folder with lm/lm.bin; words the LM
                                 * lacks start random); NULL = all random (the default) */
  guint rnn_init_dim;           /* the LM vectors fill the last this many numbers of each
                                 * embedding (the rest start random); 0 = all of them */
  gboolean rnn_freeze_init;     /* the LM vectors (and the file's) stay fixed in training */
  const char *rnn_init_vectors; /* also start them from this word-vector text file (GloVe,
                                 * word2vec or fastText text format): its vectors fill the
                                 * numbers before the LM's (words it lacks start random);
                                 * NULL = none (the default) */
  guint rnn_layers;             /* stacked bidirectional layers of each sentence network (1..3);
                                 * 0 = default (3) */
} SttPunctTrainOptions;

typedef struct _SttPunctTrainer SttPunctTrainer;

SttPunctTrainer *stt_punct_trainer_new (const SttPunctTrainOptions *options);
/* Add one document of punctuated text (an address, an article); documents are trained on in
 * the order they were added, so the same inputs give the same model, byte for byte. */
void stt_punct_trainer_add_document (SttPunctTrainer *trainer, const char *text);
/* Add one document of punctuated text that only the question model learns from (its
 * sentences, question or statement), not the marks, casing or networks. */
void stt_punct_trainer_add_question_document (SttPunctTrainer *trainer, const char *text);
guint64 stt_punct_trainer_get_n_words (const SttPunctTrainer *trainer);
/* Train and return the bytes of punct.bin; fails when no word was added. */
GBytes *stt_punct_trainer_finish (SttPunctTrainer *trainer, GError **error);
void stt_punct_trainer_free (SttPunctTrainer *trainer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttPunct, stt_punct_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttPunctTrainer, stt_punct_trainer_free)

G_END_DECLS
