/* gst-stt — training a punct model: an averaged perceptron and a casing lexicon.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The perceptron sees its own decisions as history (the sentence so far), visits the documents in
 * the order they were added, and averages its weights over every step (Collins 2002, with the
 * usual lazy-averaging trick), so training is deterministic and needs no learning rate.
 */
#include "punct-private.h"

#include <math.h>
#include <string.h>

#define DEFAULT_BITS 20
#define DEFAULT_EPOCHS 5
/* The window network (punct-mlp.c): 32-number embeddings of 4 words either side, 128 hidden
 * units, 2 passes (development split, period / comma F1: 1 pass 0.607 / 0.507, 2 passes
 * 0.614 / 0.515, 3 passes 0.606 / 0.515, 5 passes 0.598 / 0.503: more passes overfit).
 * Larger networks (48 numbers, 5 words, 256 units) did no better and take three times as
 * long. */
#define MLP_DIM 32
#define MLP_CONTEXT 4
#define MLP_HIDDEN 128
#define MLP_EPOCHS 2
#define MLP_LEARNING_RATE 0.05f
/* How the scores are combined, in units of the linear model's mean winning margin: the
 * network's log-probabilities weigh 0.75; commas and periods get a bonus that trades
 * precision for recall (the linear model alone finds too few), and the question model a
 * small one. Chosen on the development split (training years ending in 0, trained on the
 * other training years), never on the held-out years. */
#define MLP_WEIGHT 0.75f
#define COMMA_BIAS 0.7f
#define PERIOD_BIAS 0.8f
/* The network and the biases were chosen for about 1.4 million words of training text; a
 * network trained on a few thousand words puts marks almost anywhere (sentence ends after
 * "what should"), so below this many words the default is the linear model alone, as are the
 * biases (a network asked for explicitly is trained anyway). */
#define MLP_MIN_WORDS 200000
/* The sentence network (punct-rnn.c): a bidirectional GRU of 128 units each way over 64-number
 * embeddings, windows of 128 words, batches of 8 windows, Adam at 0.003, 3 passes. On the
 * development split (alone, period / comma F1): batches of 16 at 0.002 0.638 / 0.475, of 8 at
 * 0.003 0.664 / 0.500, at 0.006 0.620 / 0.448; 5 passes 0.647 / 0.519 (overfits); word dropout
 * 0.1 with a falling learning rate 0.657 / 0.488 (5 passes 0.650 / 0.512). With the other
 * models its log-probabilities weigh 1.5 (1: 0.667 / 0.532, 2: 0.670 / 0.521, 3: 0.672 /
 * 0.516), and commas then get +1.3 and periods +1.0 (see docs/benchmarks.md); the same
 * without the window network. Its question
 * against period log-probability adds to the question model's logit with weight 1, and 5 more
 * to make up for how much rarer question marks are than periods (RNN_QUESTION_OFFSET; with the
 * logistic question model, development split, question F1 in the text: weight 0 0.156, 0.5
 * with 2 more 0.230, 1 with 4 / 5 / 6 / 7 more 0.222 / 0.254 / 0.253 / 0.204, 1.5 with 5.75 /
 * 7.75 more 0.226 / 0.237, 2 with 7.75 / 10.75 more 0.190 / 0.220; with the perceptron question
 * model it was before, any weight above 0 found fewer of the 48 questions).
 * Two such networks from different seeds, their log-probabilities averaged (an ensemble), with
 * periods at +1.3: 0.684 / 0.554 against 0.673 / 0.542 for one network with the same biases.
 * Dropout (0.25 of the embeddings and of the output states) with 5 passes and a learning rate
 * falling to a tenth: 0.676 / 0.538 alone, and two such networks (4 passes) 0.678 / 0.536;
 * 192 units 0.671 / 0.540; a third or fourth member, or members of mixed recipes, no better
 * than two (docs/benchmarks.md). A second layer over the first's states changed that: with
 * the LM vectors, two members of two layers give 0.722 / 0.620 (3 passes, no dropout) and
 * 0.735 / 0.626 with dropout 0.25 and 4 passes at a rate falling to a tenth, 0.742 / 0.630
 * with dropout 0.3 and 5 passes, 0.744 / 0.634 with 0.35 and 6 (but 2 questions fewer of 48,
 * and 20 % more training), against 0.699 / 0.565 for one layer (the deeper network fits the
 * text further, training loss 0.117 against 0.129 after 3 passes, and dropout now pays); 64
 * learnt embedding numbers instead of 32 0.734 / 0.622. A third layer gains again: 0.749 /
 * 0.645 (question 0.364, capitalization 0.841, against 0.299 / 0.838), for 1.4 times the
 * training; 192 units in two layers 0.747 / 0.639 for 1.66 times; dropout 0.25 of the states
 * between the layers 0.736 / 0.621, and with it an average of the parameters over the last
 * steps (exponential, 0.999) 0.734 / 0.617; a fourth layer 0.752 / 0.652, but question 0.219
 * (6 fewer of 48) for 1.2 times the training of three. So three layers, dropout 0.3, 5
 * passes and a falling rate by default; question weight 1. With three layers more members
 * pay again, as they did not with one: three 0.755 / 0.652 (question 0.333), four 0.755 /
 * 0.653 (0.351), capitalization 0.843 for both against 0.841. Four stay: on two processors
 * they train in the time of three, and the mean of more seeds leaves the model less at the
 * mercy of the rounding of the processor that trains it. */
#define RNN_DIM 64
#define RNN_HIDDEN 128
#define RNN_EPOCHS 5
#define RNN_DROPOUT 0.3f
#define RNN_LR_END 0.1f
#define RNN_WINDOW 128
#define RNN_BATCH 8
#define RNN_LEARNING_RATE 0.003f
#define RNN_MEMBERS 4
#define RNN_LAYERS 3
#define RNN_QUESTION_LOSS_WEIGHT 1.0f
#define RNN_WEIGHT 1.5f
#define RNN_QUESTION_WEIGHT 1.0f
#define RNN_QUESTION_OFFSET 5.0f
/* With the sentence networks, question marks get +1 margin in the mark decision, so that more
 * sentence ends where a question mark is likely are found (development split, question F1
 * with the question model above: +0 0.250, +0.5 / 1 / 1.5 0.278, +2 0.297, +3 0.240; periods
 * and commas unchanged). */
#define RNN_QUESTION_BIAS 1.0f
/* Comma margin, chosen again with the LM vectors and the question model on the development
 * split (period / comma / question F1): 1.0 0.703 / 0.547 / 0.286, 1.15 0.702 / 0.554 / 0.289,
 * 1.3 0.700 / 0.560 / 0.297, 1.45 0.699 / 0.565 / 0.297, 1.6 0.696 / 0.570 / 0.225, 1.8 0.694
 * / 0.572 / 0.235: the largest period + comma sum that keeps the questions. */
#define RNN_COMMA_BIAS 1.45f
#define RNN_PERIOD_BIAS 1.3f
/* Given embedding rows (--rnn-init-lm, --rnn-init-vectors) get this root mean square per
 * number: that of all rows after the default 3 passes (0.11 after 1, 0.15 after 2, 0.19 after
 * 3). The default model's networks have 32 learnt and 64 fixed LM numbers (--rnn-dim 96
 * --rnn-init-dim 64 --rnn-freeze-init, given by tools/punct/meson.build): development period /
 * comma F1 0.700 / 0.560 against 0.684 / 0.554 with 64 learnt; the LM numbers fine-tuned, or
 * alone, did worse; GloVe's vectors beside them added nothing (docs/benchmarks.md). */
#define RNN_INIT_LENGTH 0.19f
/* Words scored after training to measure the typical score margin (scales the pause priors). */
#define MARGIN_SAMPLE 200000

struct _SttPunctTrainer {
  guint bits;
  guint epochs;
  GArray *hashes;               /* guint64 per word, every document in order */
  GArray *labels;               /* guint8 per word */
  GArray *doc_ends;             /* guint: index one past each document's last word */
  GHashTable *forms;            /* lower-case word -> GHashTable (written form -> count) */
  GHashTable *vocab;            /* lower-case word -> id + 1 (ids in order of first sight) */
  GPtrArray *vocab_words;       /* id -> word (owned by vocab's keys) */
  GArray *vocab_counts;         /* id -> occurrences (guint) */
  GArray *ids;                  /* guint32 per word */
  GArray *classes;              /* guint32 per word (punct_class_of), made by finish */
  guint mlp_dim, mlp_left, mlp_right, mlp_hidden, mlp_epochs;
  gboolean mlp_default;         /* no network was asked for: one when the text is large */
  guint rnn_dim, rnn_hidden, rnn_epochs, rnn_window, rnn_members, rnn_layers;
  float rnn_dropout, rnn_lr_end, rnn_question_weight;
  gboolean rnn_default;
  char *rnn_init_lm;            /* punct-embed.c; NULL = random embeddings */
  guint rnn_init_dim;           /* numbers from the LM */
  char *rnn_init_vectors;       /* punct-vectors.c; NULL = none */
  gboolean rnn_freeze_init;
  float mlp_lr;
  GHashTable *cased_ids;        /* written form -> id + 1 */
  GPtrArray *cased_strings;     /* id -> written form (owned by cased_ids' keys) */
  GArray *cased;                /* guint32 per word: its written form's id, CASED_START set
                                 * at a sentence start */
  /* text for the question model only (stt_punct_trainer_add_question_document) */
  GArray *q_hashes;             /* guint64 per word */
  GArray *q_labels;             /* guint8 per word */
  GArray *q_doc_ends;           /* guint per document */
  GHashTable *q_vocab;          /* word -> id + 1 */
  GPtrArray *q_words;           /* id -> word (owned by q_vocab's keys) */
  GArray *q_ids;                /* guint32 per word */
};

#define CASED_START 0x80000000u

SttPunctTrainer *
stt_punct_trainer_new (const SttPunctTrainOptions *options)
{
  SttPunctTrainer *t = g_new0 (SttPunctTrainer, 1);
  t->bits = options && options->hash_bits ? options->hash_bits : DEFAULT_BITS;
  t->bits = CLAMP (t->bits, PUNCT_MIN_BITS, PUNCT_MAX_BITS);
  t->epochs = options && options->epochs ? options->epochs : DEFAULT_EPOCHS;
  t->mlp_dim = MLP_DIM;
  t->mlp_left = MLP_CONTEXT;
  t->mlp_right = MLP_CONTEXT;
  t->mlp_hidden = !options || !options->mlp_hidden ? MLP_HIDDEN
      : options->mlp_hidden < 0 ? 0 : MIN ((guint) options->mlp_hidden, PUNCT_MLP_MAX_HIDDEN);
  t->mlp_default = !options || !options->mlp_hidden;
  t->mlp_epochs = options && options->mlp_epochs ? options->mlp_epochs : MLP_EPOCHS;
  t->mlp_lr = MLP_LEARNING_RATE;
  t->rnn_hidden = !options || !options->rnn_hidden ? RNN_HIDDEN
      : options->rnn_hidden < 0 ? 0 : MIN ((guint) options->rnn_hidden, PUNCT_RNN_MAX_HIDDEN);
  t->rnn_default = !options || !options->rnn_hidden;
  t->rnn_epochs = options && options->rnn_epochs ? options->rnn_epochs : RNN_EPOCHS;
  t->rnn_dim = options && options->rnn_dim ? MIN (options->rnn_dim, PUNCT_RNN_MAX_DIM) : RNN_DIM;
  t->rnn_window = options && options->rnn_window
      ? MIN (options->rnn_window, PUNCT_RNN_MAX_WINDOW) : RNN_WINDOW;
  t->rnn_members = options && options->rnn_members
      ? CLAMP (options->rnn_members, 1, PUNCT_RNN_MAX_MEMBERS) : RNN_MEMBERS;
  t->rnn_layers = options && options->rnn_layers
      ? CLAMP (options->rnn_layers, 1, PUNCT_RNN_MAX_LAYERS) : RNN_LAYERS;
  t->rnn_dropout = !options || options->rnn_dropout == 0 ? RNN_DROPOUT
      : (float) CLAMP (options->rnn_dropout, 0.0, 0.9);
  t->rnn_lr_end = options && options->rnn_lr_end > 0 ? (float) MIN (options->rnn_lr_end, 1.0)
      : RNN_LR_END;
  t->rnn_question_weight = options && options->rnn_question_weight > 0
      ? (float) options->rnn_question_weight : RNN_QUESTION_LOSS_WEIGHT;
  t->rnn_init_lm = options ? g_strdup (options->rnn_init_lm) : NULL;
  t->rnn_init_vectors = options ? g_strdup (options->rnn_init_vectors) : NULL;
  t->rnn_init_dim = options ? options->rnn_init_dim : 0;
  t->rnn_freeze_init = options && options->rnn_freeze_init;
  t->hashes = g_array_new (FALSE, FALSE, sizeof (guint64));
  t->labels = g_array_new (FALSE, FALSE, sizeof (guint8));
  t->doc_ends = g_array_new (FALSE, FALSE, sizeof (guint));
  t->forms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_hash_table_unref);
  t->vocab = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  t->vocab_words = g_ptr_array_new ();
  t->vocab_counts = g_array_new (FALSE, FALSE, sizeof (guint));
  t->ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  t->classes = g_array_new (FALSE, FALSE, sizeof (guint32));
  t->cased_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  t->cased_strings = g_ptr_array_new ();
  t->cased = g_array_new (FALSE, FALSE, sizeof (guint32));
  t->q_hashes = g_array_new (FALSE, FALSE, sizeof (guint64));
  t->q_labels = g_array_new (FALSE, FALSE, sizeof (guint8));
  t->q_doc_ends = g_array_new (FALSE, FALSE, sizeof (guint));
  t->q_vocab = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  t->q_words = g_ptr_array_new ();
  t->q_ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  return t;
}

void
stt_punct_trainer_free (SttPunctTrainer *t)
{
  if (!t)
    return;
  g_array_unref (t->hashes);
  g_array_unref (t->labels);
  g_array_unref (t->doc_ends);
  g_hash_table_unref (t->forms);
  g_ptr_array_unref (t->vocab_words);
  g_hash_table_unref (t->vocab);
  g_array_unref (t->vocab_counts);
  g_array_unref (t->ids);
  g_array_unref (t->classes);
  g_ptr_array_unref (t->cased_strings);
  g_hash_table_unref (t->cased_ids);
  g_array_unref (t->cased);
  g_free (t->rnn_init_lm);
  g_free (t->rnn_init_vectors);
  g_array_unref (t->q_hashes);
  g_array_unref (t->q_labels);
  g_array_unref (t->q_doc_ends);
  g_ptr_array_unref (t->q_words);
  g_hash_table_unref (t->q_vocab);
  g_array_unref (t->q_ids);
  g_free (t);
}

guint64
stt_punct_trainer_get_n_words (const SttPunctTrainer *t)
{
  return t->hashes->len;
}

static gboolean
is_acronym (const char *form)
{
  guint upper = 0;
  for (const char *p = form; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    if (g_unichar_islower (c))
      return FALSE;
    upper += g_unichar_isupper (c);
  }
  return upper >= 2;
}

/* Count written forms; a sentence start says nothing about a word's case unless the word is
 * all capitals (an acronym). */
static void
count_form (SttPunctTrainer *t, const SttPunctToken *tok, gboolean sentence_start)
{
  if (sentence_start && !is_acronym (tok->cased))
    return;
  GHashTable *forms = g_hash_table_lookup (t->forms, tok->word);
  if (!forms) {
    forms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_hash_table_insert (t->forms, g_strdup (tok->word), forms);
  }
  gpointer n = g_hash_table_lookup (forms, tok->cased);
  g_hash_table_replace (forms, g_strdup (tok->cased), GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
}

/* The id of @s in @ids (string -> id + 1) and @strings (id -> string, owned by @ids' keys),
 * added when new. */
static guint32
intern (GHashTable *ids, GPtrArray *strings, const char *s)
{
  gpointer v = g_hash_table_lookup (ids, s);
  if (v)
    return GPOINTER_TO_UINT (v) - 1;
  char *key = g_strdup (s);
  g_hash_table_insert (ids, key, GUINT_TO_POINTER (strings->len + 1));
  g_ptr_array_add (strings, key);
  return strings->len - 1;
}

static guint32
vocab_id (SttPunctTrainer *t, const char *word)
{
  guint32 id = intern (t->vocab, t->vocab_words, word);
  if (id == t->vocab_counts->len) {
    guint zero = 0;
    g_array_append_val (t->vocab_counts, zero);
  }
  g_array_index (t->vocab_counts, guint, id)++;
  return id;
}

void
stt_punct_trainer_add_document (SttPunctTrainer *t, const char *text)
{
  GArray *tokens = stt_punct_tokenize (text);
  gboolean start = TRUE;
  for (guint i = 0; i < tokens->len; i++) {
    const SttPunctToken *tok = &g_array_index (tokens, SttPunctToken, i);
    guint64 h = punct_hash_word (tok->word);
    guint8 label = tok->label;
    g_array_append_val (t->hashes, h);
    g_array_append_val (t->labels, label);
    guint32 id = vocab_id (t, tok->word);
    g_array_append_val (t->ids, id);
    count_form (t, tok, start);
    guint32 cid = intern (t->cased_ids, t->cased_strings, tok->cased)
        | (start ? CASED_START : 0);
    g_array_append_val (t->cased, cid);
    start = label == STT_PUNCT_PERIOD || label == STT_PUNCT_QUESTION;
  }
  if (tokens->len) {
    guint end = t->hashes->len;
    g_array_append_val (t->doc_ends, end);
  }
  g_array_unref (tokens);
}

typedef struct {
  float *w;                     /* current weights */
  double *u;                    /* sum of step * update, for the average */
  guint64 step;
} Perceptron;

static void
update (Perceptron *p, const guint32 *rows, guint n, SttPunctLabel gold, SttPunctLabel pred,
    float by)
{
  for (guint f = 0; f < n; f++) {
    gsize r = (gsize) rows[f] * STT_PUNCT_N_LABELS;
    p->w[r + gold] += by;
    p->w[r + pred] -= by;
    p->u[r + gold] += (double) by * p->step;
    p->u[r + pred] -= (double) by * p->step;
  }
}

static void
average (Perceptron *p, gsize n_weights)
{
  for (gsize i = 0; i < n_weights; i++)
    p->w[i] = (float) (p->w[i] - p->u[i] / (double) p->step);
}

void
stt_punct_trainer_add_question_document (SttPunctTrainer *t, const char *text)
{
  GArray *tokens = stt_punct_tokenize (text);
  for (guint i = 0; i < tokens->len; i++) {
    const SttPunctToken *tok = &g_array_index (tokens, SttPunctToken, i);
    guint64 h = punct_hash_word (tok->word);
    guint8 label = tok->label;
    guint32 id = intern (t->q_vocab, t->q_words, tok->word);
    g_array_append_val (t->q_hashes, h);
    g_array_append_val (t->q_labels, label);
    g_array_append_val (t->q_ids, id);
  }
  if (tokens->len) {
    guint end = t->q_hashes->len;
    g_array_append_val (t->q_doc_ends, end);
  }
  g_array_unref (tokens);
}

/* The question model: logistic regression over the opening of every sentence of the text
 * (punct_sentence_features; the text's own sentence ends), question against period, with an
 * L2 penalty and questions weighted QUESTION_CLASS_WEIGHT (they are rare: 444 among about
 * 60,000 sentences of the training addresses); AdaGrad, QUESTION_EPOCHS passes in a seeded
 * order, so it is deterministic. Its own table of 2^QUESTION_BITS weights (at most the
 * perceptron's). The decision threshold (QUESTION_BIAS, added to the logit) was chosen on the
 * development split. There, the model alone at the text's own sentence ends (question F1, 48
 * questions; punct-bench): the averaged perceptron it replaces 0.442 (17 found), this one
 * 0.486 (18 found; 0.507 at threshold 0); with the old features 0.457; with the last words,
 * the length and a bag of the sentence's words as well 0.31-0.40 (they overfit); questions
 * weighted 1 / 3 / 10 and 3 / 10 / 30 passes within 0.03 of each other at their best
 * thresholds (docs/benchmarks.md). */
#define QUESTION_BITS 18
#define QUESTION_EPOCHS 10
#define QUESTION_LEARNING_RATE 0.1f
#define QUESTION_L2 1e-4f
#define QUESTION_CLASS_WEIGHT 3.0f
#define QUESTION_BIAS 0.25f

typedef struct {
  GArray *rows;                 /* guint32: every sentence's feature rows, one after the other */
  GArray *ends;                 /* guint: one past each sentence's last row */
  GArray *gold;                 /* guint8: 1 for a question */
} Sentences;

/* The sentences of the documents (@doc_ends: one past each one's last word) at their marked
 * ends; a document's last word ends a sentence. */
static void
collect_sentences (Sentences *out, const guint64 *hashes, const guint32 *classes,
    const guint8 *labels, const guint *doc_ends, guint n_docs, guint bits)
{
  guint32 rows[PUNCT_MAX_SENTENCE_FEATURES];
  guint start = 0;
  for (guint d = 0; d < n_docs; d++) {
    guint end = doc_ends[d];
    PunctSeq seq = { hashes + start, classes + start, end - start };
    guint first = 0;
    for (guint i = 0; i < seq.n; i++) {
      SttPunctLabel gold = labels[start + i];
      if (gold != STT_PUNCT_PERIOD && gold != STT_PUNCT_QUESTION && i + 1 < seq.n)
        continue;
      guint n = punct_sentence_features (&seq, first, i, bits, rows);
      g_array_append_vals (out->rows, rows, n);
      guint row_end = out->rows->len;
      guint8 q = gold == STT_PUNCT_QUESTION;
      g_array_append_val (out->ends, row_end);
      g_array_append_val (out->gold, q);
      first = i + 1;
    }
    start = end;
  }
}

static float *
train_question_model (const Sentences *sn, guint bits)
{
  gsize n_w = (gsize) 1 << bits;
  float *w = g_new0 (float, n_w), *g2 = g_new0 (float, n_w);
  guint n = sn->ends->len;
  guint *order = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    order[i] = i;
  const guint32 *rows = (const guint32 *) sn->rows->data;
  const guint *ends = (const guint *) sn->ends->data;
  const guint8 *gold = (const guint8 *) sn->gold->data;
  guint64 seed = G_GUINT64_CONSTANT (0x51afd7ed558ccd1d);
  const float lr = QUESTION_LEARNING_RATE, l2 = QUESTION_L2, cw = QUESTION_CLASS_WEIGHT;
  for (guint e = 0; e < QUESTION_EPOCHS; e++) {
    for (guint i = n; i > 1; i--) {
      guint j = punct_next_random (&seed) % i;
      guint tmp = order[i - 1];
      order[i - 1] = order[j];
      order[j] = tmp;
    }
    for (guint k = 0; k < n; k++) {
      guint s = order[k], from = s ? ends[s - 1] : 0, to = ends[s];
      float z = punct_question_score (w, rows + from, to - from);
      float p = 1.0f / (1.0f + expf (-CLAMP (z, -30.0f, 30.0f)));
      float g = (p - gold[s]) * (gold[s] ? cw : 1.0f);
      for (guint r = from; r < to; r++) {
        float *wr = &w[rows[r]];
        float grad = g + l2 * *wr;
        g2[rows[r]] += grad * grad;
        *wr -= lr * grad / sqrtf (g2[rows[r]] + 1e-8f);
      }
    }
  }
  g_free (order);
  g_free (g2);
  return w;
}

/* Run @fn over every word; the history (the sentence so far) follows what @fn predicted, as
 * it will when the model runs, not the gold marks. */
typedef SttPunctLabel (*VisitFunc) (gpointer data, const guint32 *rows, guint n,
    SttPunctLabel gold);

static void
visit (SttPunctTrainer *t, guint64 limit, VisitFunc fn, gpointer data)
{
  guint32 rows[PUNCT_MAX_FEATURES];
  guint start = 0;
  const guint8 *labels = (const guint8 *) t->labels->data;
  guint64 seen = 0;
  for (guint d = 0; d < t->doc_ends->len && seen < limit; d++) {
    guint end = g_array_index (t->doc_ends, guint, d);
    PunctSeq seq = { (const guint64 *) t->hashes->data + start,
      (const guint32 *) t->classes->data + start, end - start };
    PunctHistory hist = { 0, 0, STT_PUNCT_NONE };
    for (guint i = 0; i < seq.n && seen < limit; i++, seen++) {
      guint n = punct_features (&seq, i, &hist, t->bits, rows);
      SttPunctLabel pred = fn (data, rows, n, labels[start + i]);
      punct_history_advance (&hist, i, pred);
    }
    start = end;
  }
}

static SttPunctLabel
train_step (gpointer data, const guint32 *rows, guint n, SttPunctLabel gold)
{
  Perceptron *p = data;
  float score[STT_PUNCT_N_LABELS];
  punct_score (p->w, rows, n, score);
  SttPunctLabel pred = punct_argmax (score);
  if (pred != gold)
    update (p, rows, n, gold, pred, 1.0f);
  p->step++;
  return pred;
}

typedef struct {
  const float *w;
  double sum;
  guint64 n;
} Margin;

static SttPunctLabel
margin_step (gpointer data, const guint32 *rows, guint n, SttPunctLabel gold)
{
  Margin *m = data;
  float score[STT_PUNCT_N_LABELS];
  punct_score (m->w, rows, n, score);
  float lo = score[0], hi = score[0];
  for (guint l = 1; l < STT_PUNCT_N_LABELS; l++) {
    lo = MIN (lo, score[l]);
    hi = MAX (hi, score[l]);
  }
  m->sum += hi - lo;
  m->n++;
  return punct_argmax (score);
}

/* The network's mean spread of log-probabilities (best minus worst mark) over the first
 * words of @ids: with the linear model's margin, the unit of the pause priors. */
/* The mean spread of a network's log-probabilities (best minus worst mark) over the first
 * words of the text, @lp (@n words): with the linear model's margin, the unit of the pause
 * priors. */
static float
log_prob_margin (const float *lp, guint n)
{
  double sum = 0;
  for (guint i = 0; i < n; i++) {
    const float *v = lp + (gsize) i * STT_PUNCT_N_LABELS;
    float lo = v[0], hi = v[0];
    for (guint l = 1; l < STT_PUNCT_N_LABELS; l++) {
      lo = MIN (lo, v[l]);
      hi = MAX (hi, v[l]);
    }
    sum += hi - lo;
  }
  return n ? (float) (sum / n) : 0.0f;
}

static gint
compare_ids (gconstpointer a, gconstpointer b, gpointer words)
{
  const char *const *w = (const char *const *) ((GPtrArray *) words)->pdata;
  return strcmp (w[GPOINTER_TO_UINT (*(gpointer *) a)], w[GPOINTER_TO_UINT (*(gpointer *) b)]);
}

/* The most frequent form in @forms (form -> count); ties go to the smaller string so the
 * result does not depend on hash table order. @second: the count of the runner-up. */
static const char *
best_form (GHashTable *forms, guint *best_n, guint *second, guint *total)
{
  GHashTableIter it;
  gpointer form, count;
  const char *best = NULL;
  *best_n = *second = *total = 0;
  g_hash_table_iter_init (&it, forms);
  while (g_hash_table_iter_next (&it, &form, &count)) {
    guint n = GPOINTER_TO_UINT (count);
    *total += n;
    if (n > *best_n || (n == *best_n && strcmp (form, best) < 0)) {
      *second = MAX (*second, *best_n);
      best = form;
      *best_n = n;
    } else {
      *second = MAX (*second, n);
    }
  }
  return best;
}

/* The most frequent written form of each word that is not its lower-case self. */
static GPtrArray *
casing_pairs (SttPunctTrainer *t)
{
  GPtrArray *pairs = g_ptr_array_new ();   /* key, form, key, form, ... */
  GList *keys = g_list_sort (g_hash_table_get_keys (t->forms), (GCompareFunc) strcmp);
  for (GList *k = keys; k; k = k->next) {
    guint best_n, second, total;
    const char *best = best_form (g_hash_table_lookup (t->forms, k->data), &best_n, &second,
        &total);
    if (best && strcmp (best, k->data) != 0) {
      g_ptr_array_add (pairs, k->data);
      g_ptr_array_add (pairs, (gpointer) best);
    }
  }
  g_list_free (keys);
  return pairs;
}

/* Bump @key's count of @form in @table (key -> GHashTable form -> count). */
static void
count_in (GHashTable *table, char *key, const char *form)
{
  GHashTable *forms = g_hash_table_lookup (table, key);
  if (!forms) {
    forms = g_hash_table_new (g_str_hash, g_str_equal);
    g_hash_table_insert (table, key, forms);
  } else {
    g_free (key);
  }
  gpointer n = g_hash_table_lookup (forms, form);
  g_hash_table_replace (forms, (gpointer) form, GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
}

/* Written forms that depend on a neighbour ("great britain", "united nations", "the state
 * of ..." against "a state"): for the words written more than one way, the most frequent form
 * next to each word before (key PUNCT_CONTEXT_LEFT prev ' ' word) and after (key
 * PUNCT_CONTEXT_RIGHT word ' ' next), kept where it differs from the word's usual form, was
 * seen at least CONTEXT_MIN_COUNT times and in two thirds of the cases. Sentence starts do not
 * count, as for the usual forms. */
#define CONTEXT_MIN_COUNT 2
static GPtrArray *
context_pairs (SttPunctTrainer *t)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_hash_table_unref);
  const guint32 *ids = (const guint32 *) t->ids->data;
  const guint32 *cased = (const guint32 *) t->cased->data;
  const char *const *words = (const char *const *) t->vocab_words->pdata;
  guint8 *ambiguous = g_new0 (guint8, t->vocab_words->len);
  for (guint id = 0; id < t->vocab_words->len; id++) {
    GHashTable *forms = g_hash_table_lookup (t->forms, words[id]);
    guint best_n, second, total;
    ambiguous[id] = forms && best_form (forms, &best_n, &second, &total) && second >= 2;
  }
  guint start = 0;
  for (guint d = 0; d < t->doc_ends->len; d++) {
    guint end = g_array_index (t->doc_ends, guint, d);
    for (guint i = start; i < end; i++) {
      if (!ambiguous[ids[i]] || (cased[i] & CASED_START))
        continue;
      const char *form = t->cased_strings->pdata[cased[i] & ~CASED_START];
      if (i > start)
        count_in (table, g_strdup_printf ("%c%s %s", PUNCT_CONTEXT_LEFT, words[ids[i - 1]],
                words[ids[i]]), form);
      if (i + 1 < end)
        count_in (table, g_strdup_printf ("%c%s %s", PUNCT_CONTEXT_RIGHT, words[ids[i]],
                words[ids[i + 1]]), form);
    }
    start = end;
  }
  g_free (ambiguous);
  GPtrArray *pairs = g_ptr_array_new_with_free_func (g_free);
  GList *keys = g_list_sort (g_hash_table_get_keys (table), (GCompareFunc) strcmp);
  for (GList *k = keys; k; k = k->next) {
    guint best_n, second, total, u_n, u_second, u_total;
    const char *best = best_form (g_hash_table_lookup (table, k->data), &best_n, &second,
        &total);
    const char *key = k->data, *space = strchr (key, ' ');
    char *word = key[0] == PUNCT_CONTEXT_LEFT ? g_strdup (space + 1)
        : g_strndup (key + 1, space - key - 1);
    const char *usual = best_form (g_hash_table_lookup (t->forms, word), &u_n, &u_second,
        &u_total);
    if (best_n >= CONTEXT_MIN_COUNT && 3 * best_n >= 2 * total && strcmp (best, usual) != 0) {
      g_ptr_array_add (pairs, g_strdup (key));
      g_ptr_array_add (pairs, g_strdup (best));
    }
    g_free (word);
  }
  g_list_free (keys);
  g_hash_table_unref (table);
  return pairs;
}

static guint32
pool_add (GString *pool, const char *s)
{
  guint32 off = pool->len;
  g_string_append_len (pool, s, strlen (s) + 1);
  return off;
}

/* The class entries: every word that has a class, sorted; @mlp_id gets each vocabulary
 * word's id in the network. */
static PunctCaseEntry *
class_entries (SttPunctTrainer *t, const guint *cls, GString *pool, guint *n_out,
    guint32 *mlp_id)
{
  GPtrArray *words = g_ptr_array_new ();
  for (guint id = 0; id < t->vocab_words->len; id++)
    if (cls[id] != PUNCT_NO_CLASS)
      g_ptr_array_add (words, GUINT_TO_POINTER (id));
  g_ptr_array_sort_with_data (words, compare_ids, t->vocab_words);
  PunctCaseEntry *e = g_new0 (PunctCaseEntry, MAX (words->len, 1));
  for (guint i = 0; i < words->len; i++) {
    guint id = GPOINTER_TO_UINT (words->pdata[i]);
    e[i].key = pool_add (pool, t->vocab_words->pdata[id]);
    e[i].form = cls[id];
    mlp_id[id] = PUNCT_MLP_FIRST + i;
  }
  *n_out = words->len;
  g_ptr_array_unref (words);
  return e;
}

static GBytes *
serialise (SttPunctTrainer *t, const float *weights, float margin, GString *pool,
    const PunctCaseEntry *classes, guint n_classes, const PunctMlpShape *mlp,
    const float *mlp_params, float mlp_margin, const PunctRnnShape *rnn,
    const float *rnn_params, float rnn_margin, const float *q_weights, guint q_bits)
{
  GPtrArray *pairs = casing_pairs (t);
  guint n_cases = pairs->len / 2;
  PunctCaseEntry *cases = g_new0 (PunctCaseEntry, MAX (n_cases, 1));
  for (guint i = 0; i < n_cases; i++) {
    cases[i].key = pool_add (pool, pairs->pdata[2 * i]);
    cases[i].form = pool_add (pool, pairs->pdata[2 * i + 1]);
  }
  g_ptr_array_unref (pairs);
  pairs = context_pairs (t);
  guint n_contexts = pairs->len / 2;
  PunctCaseEntry *contexts = g_new0 (PunctCaseEntry, MAX (n_contexts, 1));
  for (guint i = 0; i < n_contexts; i++) {
    contexts[i].key = pool_add (pool, pairs->pdata[2 * i]);
    contexts[i].form = pool_add (pool, pairs->pdata[2 * i + 1]);
  }
  g_ptr_array_unref (pairs);

  PunctHeader h;
  memset (&h, 0, sizeof h);
  memcpy (h.magic, PUNCT_MAGIC, 8);
  h.version = PUNCT_VERSION;
  h.hash_bits = t->bits;
  h.n_labels = STT_PUNCT_N_LABELS;
  h.n_case_entries = n_cases;
  h.strings_size = pool->len;
  h.n_class_entries = n_classes;
  h.mlp = *mlp;
  if (mlp->hidden)
    h.mlp_weight = MLP_WEIGHT * margin;
  if ((mlp->hidden || rnn->hidden) && t->hashes->len >= MLP_MIN_WORDS) {
    h.label_bias[STT_PUNCT_COMMA] = (rnn->hidden ? RNN_COMMA_BIAS : COMMA_BIAS) * margin;
    h.label_bias[STT_PUNCT_PERIOD] = (rnn->hidden ? RNN_PERIOD_BIAS : PERIOD_BIAS) * margin;
    h.label_bias[STT_PUNCT_QUESTION] = rnn->hidden ? RNN_QUESTION_BIAS * margin : 0.0f;
  }
  h.question_bias = QUESTION_BIAS;
  h.question_bits = q_bits;
  h.n_context_entries = n_contexts;
  h.rnn = *rnn;
  h.rnn_members = rnn->hidden ? t->rnn_members : 0;
  if (rnn->hidden) {
    h.rnn_weight = RNN_WEIGHT * margin;
    h.rnn_question_weight = RNN_QUESTION_WEIGHT;
    h.rnn_question_offset = RNN_QUESTION_OFFSET;
  }
  punct_default_pause_bonus (margin + h.mlp_weight * mlp_margin + h.rnn_weight * rnn_margin,
      h.pause_bonus);

  gsize n_weights = ((gsize) 1 << t->bits) * STT_PUNCT_N_LABELS;
  float top = 0;
  for (gsize i = 0; i < n_weights; i++)
    top = MAX (top, fabsf (weights[i]));
  h.weight_scale = top > 0 ? top / PUNCT_WEIGHT_MAX : 1.0f;
  PunctWeight *q = g_new (PunctWeight, n_weights);
  for (gsize i = 0; i < n_weights; i++)
    q[i] = (PunctWeight) CLAMP (lrintf (weights[i] / h.weight_scale), -PUNCT_WEIGHT_MAX,
        PUNCT_WEIGHT_MAX);
  GByteArray *out = g_byte_array_new ();
  static const guint8 zeros[8] = { 0 };
  g_byte_array_append (out, (const guint8 *) &h, sizeof h);
  g_byte_array_append (out, zeros, PUNCT_ALIGN8 (out->len) - out->len);
  g_byte_array_append (out, (const guint8 *) q, n_weights * sizeof (PunctWeight));
  g_free (q);
  if (mlp->hidden) {
    g_byte_array_append (out, (const guint8 *) mlp_params,
        punct_mlp_n_params (mlp) * sizeof (float));
    g_byte_array_append (out, zeros, PUNCT_ALIGN8 (out->len) - out->len);
  }
  if (rnn->hidden) {
    g_byte_array_append (out, (const guint8 *) rnn_params,
        punct_rnn_n_params (rnn) * t->rnn_members * sizeof (float));
    g_byte_array_append (out, zeros, PUNCT_ALIGN8 (out->len) - out->len);
  }
  g_byte_array_append (out, (const guint8 *) cases, n_cases * sizeof (PunctCaseEntry));
  g_byte_array_append (out, (const guint8 *) classes, n_classes * sizeof (PunctCaseEntry));
  g_byte_array_append (out, (const guint8 *) contexts, n_contexts * sizeof (PunctCaseEntry));
  g_byte_array_append (out, zeros, PUNCT_ALIGN8 (out->len) - out->len);
  g_byte_array_append (out, (const guint8 *) pool->str, pool->len);
  g_byte_array_append (out, zeros, PUNCT_ALIGN8 (out->len) - out->len);
  g_byte_array_append (out, (const guint8 *) q_weights, (sizeof (float) << q_bits));
  g_free (cases);
  g_free (contexts);
  return g_byte_array_free_to_bytes (out);
}

/* The fixed part of each network word's embedding row (@mlp_id: vocabulary id -> network
 * id): the vector file's numbers, then @lm_dim numbers from @lm's bigrams (punct-vectors.c,
 * punct-embed.c); a source that lacks the word leaves its part zero, and a row neither has is
 * not found. Sets *@dim to the width; NULL with @error when the vector file is bad. */
static float *
init_embeddings (const SttPunctTrainer *t, const SttLm *lm, guint lm_dim,
    const guint32 *mlp_id, guint n_ids, guint *dim, guint8 **found, GError **error)
{
  const char **words = g_new0 (const char *, n_ids);
  for (guint id = 0; id < t->vocab_words->len; id++)
    if (mlp_id[id] >= PUNCT_MLP_FIRST && mlp_id[id] < n_ids)
      words[mlp_id[id]] = t->vocab_words->pdata[id];
  guint vec_dim = 0, n_vec = 0, n_lm = 0;
  guint8 *vec_found = g_new0 (guint8, n_ids), *lm_found = g_new0 (guint8, n_ids);
  float *vec = NULL, *lmv = NULL;
  if (t->rnn_init_vectors && !(vec = punct_file_embeddings (t->rnn_init_vectors, words, n_ids,
              RNN_INIT_LENGTH, &vec_dim, vec_found, &n_vec, error))) {
    g_free (words);
    g_free (vec_found);
    g_free (lm_found);
    return NULL;
  }
  if (lm)
    lmv = punct_lm_embeddings (lm, words, n_ids, lm_dim, RNN_INIT_LENGTH * sqrtf (lm_dim),
        lm_found, &n_lm);
  else
    lm_dim = 0;
  *dim = vec_dim + lm_dim;
  float *emb = g_new0 (float, (gsize) n_ids * *dim);
  *found = g_new (guint8, n_ids);
  for (guint v = 0; v < n_ids; v++) {
    if (vec)
      memcpy (emb + (gsize) v * *dim, vec + (gsize) v * vec_dim, vec_dim * sizeof (float));
    if (lmv)
      memcpy (emb + (gsize) v * *dim + vec_dim, lmv + (gsize) v * lm_dim,
          lm_dim * sizeof (float));
    (*found)[v] = vec_found[v] || lm_found[v];
  }
  if (g_getenv ("STT_PUNCT_VERBOSE"))
    g_printerr ("punct rnn: of %u network words, %u start from the vector file (%u numbers), "
        "%u from LM vectors (%u numbers)\n", n_ids, n_vec, vec_dim, n_lm, lm_dim);
  g_free (vec);
  g_free (lmv);
  g_free (vec_found);
  g_free (lm_found);
  g_free (words);
  return emb;
}

/* One sentence network of an ensemble, trained on a thread of its own. */
typedef struct {
  PunctRnnShape shape;
  const guint32 *ids;
  const guint8 *labels;
  gsize n;
  PunctRnnTrainParams tp;
  float *params;                /* the result */
} Member;

static gpointer
train_member (gpointer data)
{
  Member *m = data;
  m->params = punct_rnn_train (&m->shape, m->ids, m->labels, m->n, &m->tp);
  return NULL;
}

/* The members are independent and each is deterministic, so they train side by side, as
 * many at a time as there are processors: the same networks, in a fraction of the time. */
static void
train_members (Member *jobs, guint n)
{
  const guint width = MAX (1, MIN (n, g_get_num_processors ()));
  for (guint first = 0; first < n; first += width) {
    GThread *threads[PUNCT_RNN_MAX_MEMBERS] = { NULL };
    for (guint k = first + 1; k < MIN (first + width, n); k++)
      threads[k] = g_thread_new ("punct-rnn", train_member, &jobs[k]);
    train_member (&jobs[first]);
    for (guint k = first + 1; k < MIN (first + width, n); k++)
      g_thread_join (threads[k]);
  }
}

GBytes *
stt_punct_trainer_finish (SttPunctTrainer *t, GError **error)
{
  if (t->hashes->len == 0) {
    g_set_error (error, STT_PUNCT_ERROR, STT_PUNCT_ERROR_TRAIN,
        "the training text has no words; give punctuated text (one document per file)");
    return NULL;
  }
  g_autoptr (SttLm) init_lm = NULL;
  if (t->rnn_init_lm && !(init_lm = punct_load_init_lm (t->rnn_init_lm, error)))
    return NULL;
  guint *cls = punct_classes_train ((const char *const *) t->vocab_words->pdata,
      (const guint *) t->vocab_counts->data, t->vocab_words->len,
      (const guint32 *) t->ids->data, t->ids->len, PUNCT_MAX_CLASS_WORDS);
  g_array_set_size (t->classes, t->ids->len);
  for (guint i = 0; i < t->ids->len; i++) {
    guint32 id = g_array_index (t->ids, guint32, i);
    g_array_index (t->classes, guint32, i) = punct_class_of (cls[id], t->vocab_words->pdata[id]);
  }
  /* the class entries (sorted) also number the network's words */
  GString *pool = g_string_new (NULL);
  guint n_classes;
  guint32 *mlp_id = g_new (guint32, t->vocab_words->len);
  for (guint id = 0; id < t->vocab_words->len; id++)
    mlp_id[id] = punct_class_of (PUNCT_NO_CLASS, t->vocab_words->pdata[id])
        == PUNCT_NUMBER_CLASS ? PUNCT_MLP_NUMBER : PUNCT_MLP_UNKNOWN;
  PunctCaseEntry *classes = class_entries (t, cls, pool, &n_classes, mlp_id);
  /* by default the sentence network replaces the window network: with it the window network
   * adds nothing (development split, period / comma / question F1 0.668 / 0.544 / 0.098 with
   * it, 0.669 / 0.545 / 0.152 without) */
  gboolean rnn_on = t->rnn_hidden && (!t->rnn_default || t->hashes->len >= MLP_MIN_WORDS);
  /* the fixed embedding numbers first: a bad vector file fails before minutes of training */
  guint lm_dim = t->rnn_init_dim ? MIN (t->rnn_init_dim, t->rnn_dim) : t->rnn_dim, init_dim = 0;
  guint8 *init_found = NULL;
  float *init_emb = NULL;
  if (rnn_on && (init_lm || t->rnn_init_vectors)) {
    init_emb = init_embeddings (t, init_lm, lm_dim, mlp_id, PUNCT_MLP_FIRST + n_classes,
        &init_dim, &init_found, error);
    if (init_emb && init_dim > t->rnn_dim) {
      g_set_error (error, STT_PUNCT_ERROR, STT_PUNCT_ERROR_TRAIN, "the sentence network's "
          "embeddings have %u numbers (--rnn-dim), fewer than the %u fixed ones from "
          "--rnn-init-vectors and --rnn-init-lm; give a larger --rnn-dim", t->rnn_dim,
          init_dim);
      g_clear_pointer (&init_emb, g_free);
    }
    if (!init_emb) {
      g_free (init_found);
      g_free (classes);
      g_string_free (pool, TRUE);
      g_free (mlp_id);
      g_free (cls);
      return NULL;
    }
  }
  gsize n_weights = ((gsize) 1 << t->bits) * STT_PUNCT_N_LABELS;
  Perceptron p = { g_new0 (float, n_weights), g_new0 (double, n_weights), 1 };
  for (guint e = 0; e < t->epochs; e++)
    visit (t, G_MAXUINT64, train_step, &p);
  average (&p, n_weights);
  g_free (p.u);
  guint q_bits = MIN (QUESTION_BITS, t->bits);
  Sentences sn = { g_array_new (FALSE, FALSE, sizeof (guint32)),
    g_array_new (FALSE, FALSE, sizeof (guint)), g_array_new (FALSE, FALSE, sizeof (guint8)) };
  collect_sentences (&sn, (const guint64 *) t->hashes->data, (const guint32 *) t->classes->data,
      (const guint8 *) t->labels->data, (const guint *) t->doc_ends->data, t->doc_ends->len,
      q_bits);
  if (t->q_hashes->len) {
    /* the question-only text's words get the classes of the main text's vocabulary */
    guint32 *q_cls = g_new (guint32, t->q_words->len);
    for (guint id = 0; id < t->q_words->len; id++) {
      const char *w = t->q_words->pdata[id];
      gpointer v = g_hash_table_lookup (t->vocab, w);
      q_cls[id] = punct_class_of (v ? cls[GPOINTER_TO_UINT (v) - 1] : PUNCT_NO_CLASS, w);
    }
    guint32 *q_classes = g_new (guint32, t->q_ids->len);
    for (guint i = 0; i < t->q_ids->len; i++)
      q_classes[i] = q_cls[g_array_index (t->q_ids, guint32, i)];
    collect_sentences (&sn, (const guint64 *) t->q_hashes->data, q_classes,
        (const guint8 *) t->q_labels->data, (const guint *) t->q_doc_ends->data,
        t->q_doc_ends->len, q_bits);
    g_free (q_classes);
    g_free (q_cls);
  }
  float *q_weights = train_question_model (&sn, q_bits);
  g_array_unref (sn.rows);
  g_array_unref (sn.ends);
  g_array_unref (sn.gold);

  Margin m = { p.w, 0.0, 0 };
  visit (t, MARGIN_SAMPLE, margin_step, &m);
  float margin = m.n ? (float) (m.sum / m.n) : 1.0f;

  PunctMlpShape shape = { 0 };
  PunctRnnShape rnn_shape = { 0 };
  float *mlp_params = NULL, *rnn_params = NULL, mlp_m = 0, rnn_m = 0;
  guint32 *ids = g_new (guint32, t->ids->len);
  for (guint i = 0; i < t->ids->len; i++)
    ids[i] = mlp_id[g_array_index (t->ids, guint32, i)];
  guint n_sample = MIN (MARGIN_SAMPLE, t->ids->len);
  float *lp = g_new (float, (gsize) n_sample * STT_PUNCT_N_LABELS);
  if (t->mlp_hidden && (!t->mlp_default || (t->hashes->len >= MLP_MIN_WORDS && !rnn_on))) {
    shape = (PunctMlpShape) { t->mlp_dim, t->mlp_left, t->mlp_right, t->mlp_hidden,
      PUNCT_MLP_FIRST + n_classes };
    mlp_params = punct_mlp_train (&shape, ids, (const guint8 *) t->labels->data, t->ids->len,
        (const guint *) t->doc_ends->data, t->doc_ends->len, t->mlp_epochs, t->mlp_lr);
    PunctMlp net;
    punct_mlp_view (&net, &shape, mlp_params);
    punct_mlp_log_probs (&net, ids, n_sample, lp);
    mlp_m = log_prob_margin (lp, n_sample);
  }
  if (rnn_on) {
    rnn_shape = (PunctRnnShape) { t->rnn_dim, t->rnn_hidden, PUNCT_MLP_FIRST + n_classes,
      t->rnn_window, t->rnn_layers };
    /* the members differ in their seed: initial weights, window offsets, order, dropout */
    Member jobs[PUNCT_RNN_MAX_MEMBERS];
    for (guint k = 0; k < t->rnn_members; k++)
      jobs[k] = (Member) { rnn_shape, ids, (const guint8 *) t->labels->data, t->ids->len,
        { t->rnn_epochs, RNN_BATCH, RNN_LEARNING_RATE, RNN_LEARNING_RATE * t->rnn_lr_end,
          t->rnn_dropout, t->rnn_dropout, t->rnn_question_weight,
          k == 0 ? 0 : G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) + k, init_emb, init_found,
          init_dim, t->rnn_freeze_init }, NULL };
    train_members (jobs, t->rnn_members);
    rnn_shape = jobs[0].shape;          /* the window, lowered to a short text */
    gsize n_one = punct_rnn_n_params (&rnn_shape);
    PunctRnn nets[PUNCT_RNN_MAX_MEMBERS];
    rnn_params = g_new (float, n_one * t->rnn_members);
    for (guint k = 0; k < t->rnn_members; k++) {
      memcpy (rnn_params + k * n_one, jobs[k].params, n_one * sizeof (float));
      g_free (jobs[k].params);
    }
    g_free (init_emb);
    g_free (init_found);
    for (guint k = 0; k < t->rnn_members; k++)
      punct_rnn_view (&nets[k], &rnn_shape, rnn_params + k * n_one);
    punct_rnn_ensemble_log_probs (nets, t->rnn_members, ids, n_sample, lp);
    rnn_m = log_prob_margin (lp, n_sample);
  }
  GBytes *bytes = serialise (t, p.w, margin, pool, classes, n_classes, &shape, mlp_params,
      mlp_m, &rnn_shape, rnn_params, rnn_m, q_weights, q_bits);
  g_free (q_weights);
  g_free (lp);
  g_free (mlp_params);
  g_free (rnn_params);
  g_free (ids);
  g_free (classes);
  g_string_free (pool, TRUE);
  g_free (mlp_id);
  g_free (cls);
  g_free (p.w);
  return bytes;
}
