/* gst-stt — letter-to-sound: pronunciations for words a dictionary does not have.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A model trained from a pronunciation dictionary (cmudict, as shipped in Debian's
 * pocketsphinx-en-us) guesses the phones of an unknown word from its letters. The algorithm
 * and the file format "STTG2P" are described in docs/g2p.md. The default base model carries
 * one trained from its own dictionary as the model file "g2p/g2p.bin" (manifest member
 * properties.g2p), so custom models built from it can pronounce new words.
 *
 * Words are lowercased UTF-8; letters outside the training alphabet are an error, not a guess.
 * Phones are the dictionary's phone names (e.g. "HH AH L OW"), so they are the acoustic
 * model's CI phones when the model was trained from that model's dictionary.
 *
 * Ownership: SttG2p is reference counted and immutable after training or loading.
 * Thread-safety: stt_g2p_pronounce and the getters may be called from any number of threads at
 * once on one model; training and writing touch only their own objects.
 */
#pragma once

#include <glib.h>
#include <stt/lexicon.h>
#include <stt/model.h>

G_BEGIN_DECLS

#define STT_G2P_ERROR (stt_g2p_error_quark ())
GQuark stt_g2p_error_quark (void);
typedef enum {
  STT_G2P_ERROR_IO,        /* a file cannot be opened, read or written */
  STT_G2P_ERROR_FORMAT,    /* a corrupt model file, or an unusable training dictionary */
  STT_G2P_ERROR_WORD,      /* a word that cannot be pronounced (empty, letters never seen) */
} SttG2pError;

typedef struct _SttG2p SttG2p;

/* Which dictionary entries training leaves out so they can measure the phone error rate:
 * an entry is held out when a hash of its word (docs/g2p.md) falls in 1/@held_out_every of
 * the range; 0 holds out nothing. The same word is held out on every machine and run. */
typedef struct {
  guint held_out_every;    /* e.g. 20 = 5% held out; 0 = none */
  guint order;             /* graphone n-gram order 1..8; 0 = the default (docs/g2p.md) */
} SttG2pTrainOptions;

/* Train from a Sphinx dictionary file (word phones..., "word(2)" alternates, ";;" comments).
 * @phones: the allowed phone names (NULL-terminated), entries with other phones are skipped;
 * NULL = any. @options may be NULL (nothing held out). */
SttG2p *stt_g2p_train (const char *dict_path, const char *const *phones,
    const SttG2pTrainOptions *options, GError **error);
/* Whether training held out @word (same rule as training used; FALSE for a loaded model
 * trained without holding out). */
gboolean stt_g2p_is_held_out (const SttG2p *g2p, const char *word);

/* The model file: from a path (mapped), bytes, or file @name of @model (shared mapping). */
SttG2p *stt_g2p_load (const char *path, GError **error);
SttG2p *stt_g2p_new_from_bytes (GBytes *bytes, const char *name, GError **error);
SttG2p *stt_g2p_new_from_model (SttModel *model, const char *name, GError **error);
/* The file a model carries its letter-to-sound model in (the import writes it). */
#define STT_G2P_MODEL_FILE "g2p/g2p.bin"
/* The letter-to-sound model @model carries (STT_G2P_MODEL_FILE); a model without one gives
 * STT_G2P_ERROR_IO saying to import it again. */
SttG2p *stt_g2p_new_for_model (SttModel *model, GError **error);
GBytes *stt_g2p_get_bytes (const SttG2p *g2p);              /* new reference */
gboolean stt_g2p_write (const SttG2p *g2p, const char *path, GError **error);  /* atomic */

SttG2p *stt_g2p_ref (SttG2p *g2p);
void stt_g2p_unref (SttG2p *g2p);

/* One guessed pronunciation. */
typedef struct {
  char **phones;   /* NULL-terminated phone names */
  double score;    /* natural-log probability of the pronunciation given the spelling model
                    * (joint probability of both, summed over the segmentations the search
                    * kept; docs/g2p.md) */
} SttG2pPron;

/* Up to @n pronunciations of @word, best first, distinct (a GPtrArray of SttG2pPron*, freed
 * with g_ptr_array_unref). NULL with STT_G2P_ERROR_WORD when the word has no letter the model
 * knows or is empty. */
GPtrArray *stt_g2p_pronounce (const SttG2p *g2p, const char *word, guint n, GError **error);
void stt_g2p_pron_free (SttG2pPron *pron);

guint stt_g2p_get_n_phones (const SttG2p *g2p);
const char *stt_g2p_get_phone (const SttG2p *g2p, guint phone);

/* What the model was trained with: n-gram order, the held-out rule's divisor (0 = none), the
 * alphabet (a new UTF-8 string of every letter it knows, in code point order). */
guint stt_g2p_get_order (const SttG2p *g2p);
guint stt_g2p_get_held_out_every (const SttG2p *g2p);
char *stt_g2p_get_alphabet (const SttG2p *g2p);

/* Accuracy on the words of a Sphinx dictionary that @g2p's training held out. */
typedef struct {
  guint n_words;           /* held-out words (alternates of a word count once) */
  guint n_failed;          /* of which the model could not pronounce (letters it never saw) */
  guint n_word_errors;     /* best guess differs from every reference pronunciation */
  guint64 n_ref_phones;    /* phones of the closest reference of each word */
  guint64 n_phone_errors;  /* edit distance to the closest reference, summed */
  double per, wer;         /* n_phone_errors / n_ref_phones, n_word_errors / n_words */
  double seconds;          /* time spent pronouncing */
} SttG2pEval;

/* Pronounce the held-out words of @dict_path (the first @max_words of them in file order;
 * 0 = all) and compare the best guess with the closest of the word's pronunciations. An
 * error (STT_G2P_ERROR_FORMAT) when @g2p held nothing out or the dictionary has none of its
 * held-out words. */
gboolean stt_g2p_evaluate (const SttG2p *g2p, const char *dict_path, guint max_words,
    SttG2pEval *eval, GError **error);
/* The same on a loaded lexicon (e.g. a model's lm/lexicon.bin: its main dictionary entries). */
gboolean stt_g2p_evaluate_lexicon (const SttG2p *g2p, const SttLexicon *lex,
    guint max_words, SttG2pEval *eval, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttG2p, stt_g2p_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttG2pPron, stt_g2p_pron_free)

G_END_DECLS
