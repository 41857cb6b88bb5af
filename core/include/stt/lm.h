/* gst-stt — n-gram language models (orders 1 to 3): loading, queries, writing.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One runtime representation, the project's own LM format (docs/lm.md, "STTNGRAM"
 * version 1): a forward trie of sorted arrays, little-endian, read in place from a mapping.
 * Three readers produce it: the own format itself (mapped, e.g. through stt_model_map so N
 * pipelines share one mapping), Sphinx's trie binary ("en-us.lm.bin") and ARPA text; the
 * latter two are converted in memory on load.
 *
 * Scores. Probabilities are stored as float32 log values in base exactly 1.0001
 * ("raw units", log10 p * 23027.002, the unit of Sphinx's LM files). stt_lm_score returns the
 * raw score of sphinxbase's ngram_prob bit for bit: with history h1 (most recent) and h2,
 *   trigram "h2 h1 w" present          -> its prob
 *   else bigram "h1 w" present         -> its prob + bo(h2 h1)
 *   else                               -> prob(w) + bo(h1) + bo(h2 h1)
 * (float32 additions in that order, truncated to int; bo of an absent n-gram is 0). An unknown
 * or negative w gives STT_LM_LOGZERO; a negative or unknown history word shortens the
 * history (h1 < 0: unigram; h2 < 0: bigram). Conversions to log10, natural log and the
 * decoder's weighted units are below.
 *
 * Decoder hot path: keep one SttLmState per hypothesis. stt_lm_score_state scores a word from
 * a state and returns the successor state in the same lookup (at most two binary searches),
 * so a word transition costs one call. States are small values (copy them freely); two
 * states that compare equal give equal scores for every next word, so they can be used to
 * recombine hypotheses (minimal context, as KenLM's State).
 *
 * Ownership: SttLm is reference counted and immutable after loading.
 * Thread-safety: every function taking a const SttLm * may be called from any number of
 * threads at once on a shared model. Per-stream caches (e.g. of scores per state) belong to
 * the caller; this library keeps none.
 */
#pragma once

#include <glib.h>
#include <stt/model.h>

G_BEGIN_DECLS

#define STT_LM_ERROR (stt_lm_error_quark ())
GQuark stt_lm_error_quark (void);
typedef enum {
  STT_LM_ERROR_IO,        /* the file cannot be opened, read or written */
  STT_LM_ERROR_FORMAT,    /* not an LM file of the expected kind, or corrupt/truncated */
  STT_LM_ERROR_UNSUPPORTED, /* valid file but a feature we do not handle (e.g. order > 3) */
} SttLmError;

/* Raw score of an impossible event (Sphinx's logzero), and the largest order supported. */
#define STT_LM_LOGZERO (-536870912)
#define STT_LM_MAX_ORDER 3
/* Word ids are 0 .. n_words-1; negative = "no word". */
typedef gint32 SttLmWord;
#define STT_LM_NO_WORD (-1)

/* Raw units per log10 unit: 1 / log10(1.0001). */
#define STT_LM_RAW_PER_LOG10 23027.002203302243
/* Natural-log value of one raw unit: ln(1.0001). */
#define STT_LM_LN_PER_RAW 9.999500033329732e-05

typedef struct _SttLm SttLm;

/* An LM context. Treat as opaque; compare with stt_lm_state_equal. Only states made by
 * stt_lm_state_init* or stt_lm_score_state of the same LM are valid. */
typedef struct {
  SttLmWord w1;   /* most recent word, or STT_LM_NO_WORD (empty context) */
  guint32 ctx;    /* 1 + index of the bigram "w2 w1" when it has successors/backoff, or 0 */
} SttLmState;

typedef enum {
  STT_LM_FORMAT_AUTO,        /* by content: own, Sphinx trie, else ARPA */
  STT_LM_FORMAT_OWN,         /* "STTNGRAM" */
  STT_LM_FORMAT_SPHINX_TRIE, /* "Trie Language Model" (sphinx_lm_convert output) */
  STT_LM_FORMAT_ARPA,        /* ARPA text (\data\ ...) */
} SttLmFormat;

/* ---- loading ------------------------------------------------------------------------------
 * Errors name the file, the byte offset (binary) or line (ARPA) and what is wrong. */

/* Load @path in @format (AUTO: detect). Own-format files are mapped, not copied. */
SttLm *stt_lm_load (const char *path, SttLmFormat format, GError **error);
/* An own-format LM from bytes (kept referenced; nothing copied). @name is used in errors. */
SttLm *stt_lm_new_from_bytes (GBytes *bytes, const char *name, GError **error);
/* An own-format LM that is file @name of @model, through the model's shared mapping. */
SttLm *stt_lm_new_from_model (SttModel *model, const char *name, GError **error);

SttLm *stt_lm_ref (SttLm *lm);
void stt_lm_unref (SttLm *lm);

/* ---- writing (the own format is written atomically: temporary file, fsync, rename) ------- */
gboolean stt_lm_write (const SttLm *lm, const char *path, GError **error);
/* The own-format bytes of @lm (a new reference), e.g. for stt_model_writer_add_bytes. */
GBytes *stt_lm_get_bytes (const SttLm *lm);
/* ARPA text, probabilities in log10 printed so that reading them back gives the same floats. */
gboolean stt_lm_write_arpa (const SttLm *lm, const char *path, GError **error);

/* ---- vocabulary and sizes ------------------------------------------------------------------ */
guint stt_lm_get_order (const SttLm *lm);
/* Number of stored n-grams of order @n (1..order); includes context-only n-grams added so
 * that every trigram's two-word context exists (their values equal the backed-off ones). */
guint stt_lm_get_count (const SttLm *lm, guint n);
guint stt_lm_get_n_words (const SttLm *lm);
/* The id of @word (case-sensitive), or STT_LM_NO_WORD. O(log n_words). */
SttLmWord stt_lm_word_id (const SttLm *lm, const char *word);
/* The string of word @id (owned by @lm), or NULL if out of range. */
const char *stt_lm_word (const SttLm *lm, SttLmWord id);

/* ---- scores (raw units, see the top of this file) ----------------------------------------- */
gint32 stt_lm_score (const SttLm *lm, SttLmWord w, SttLmWord h1, SttLmWord h2);
/* Same, also setting *n_used to the length of the n-gram found (1..3; 0 if w is unknown). */
gint32 stt_lm_score_full (const SttLm *lm, SttLmWord w, SttLmWord h1, SttLmWord h2,
    guint *n_used);

/* Contexts. The empty state (no history); the state after the sentence start <s> (empty if
 * the LM has no <s>); the state of history h1 (most recent), h2. */
void stt_lm_state_init_empty (const SttLm *lm, SttLmState *state);
void stt_lm_state_init_begin (const SttLm *lm, SttLmState *state);
void stt_lm_state_init (const SttLm *lm, SttLmState *state, SttLmWord h1, SttLmWord h2);
/* Raw score of @w after @in; @out (may be @in, or NULL) receives the context "... w".
 * Equal to stt_lm_score (lm, w, h1, h2) for the state's history. */
gint32 stt_lm_score_state (const SttLm *lm, const SttLmState *in, SttLmWord w,
    SttLmState *out);

static inline gboolean
stt_lm_state_equal (const SttLmState *a, const SttLmState *b)
{
  return a->w1 == b->w1 && a->ctx == b->ctx;
}

static inline guint
stt_lm_state_hash (const SttLmState *s)
{
  return (guint) s->w1 * 2654435761u ^ s->ctx;
}

/* Unit conversions of raw scores. */
static inline double
stt_lm_raw_to_log10 (gint32 raw)
{
  return raw / STT_LM_RAW_PER_LOG10;
}

static inline double
stt_lm_raw_to_ln (gint32 raw)
{
  return raw * STT_LM_LN_PER_RAW;
}

/* The decoder's LM score as pocketsphinx applies it (spec §7.6): int(raw * lw + wip) in
 * float32, then >> 10 into acoustic units. @wip is the word insertion penalty in the decoder's
 * log base (pocketsphinx default 0.65 -> -4307), @lw the language weight (6.5 first pass). */
static inline gint32
stt_lm_weight_score (gint32 raw, float lw, gint32 wip)
{
  return ((gint32) ((float) raw * lw + (float) wip)) >> 10;
}

/* ---- n-gram access (tools, tests, writers) ------------------------------------------------ */
/* Look up the stored n-gram @words[0..n-1] (oldest first); sets its prob and backoff (raw
 * units; backoff 0 for the highest order). FALSE if not stored. */
gboolean stt_lm_find_ngram (const SttLm *lm, const SttLmWord *words, guint n, float *prob,
    float *backoff);
/* Call @func for every stored n-gram of order @n, in lexicographic order of word ids (oldest
 * first); stop early if it returns FALSE. */
typedef gboolean (*SttLmNgramFunc) (const SttLmWord *words, guint n, float prob, float backoff,
    gpointer user_data);
void stt_lm_foreach_ngram (const SttLm *lm, guint n, SttLmNgramFunc func, gpointer user_data);

/* ---- estimating LMs ------------------------------------------------------------------------ */
/* An LM of @order (1..3) from @text: one sentence per line, words separated by blanks (<s> and
 * </s> are added around every non-empty line). Interpolated modified Kneser-Ney smoothing
 * (Chen & Goodman; as KenLM's lmplz), three discounts per order from the counts of counts;
 * <unk> is in the vocabulary. Counts are kept in memory (about 40 bytes per n-gram window). */
SttLm *stt_lm_train (const char *text, gsize len, guint order, GError **error);
/* The mixture @weight * A + (1 - @weight) * B as one backoff LM over the union of both
 * vocabularies and n-grams: every stored n-gram gets the exact mixed probability, every
 * context a backoff weight that renormalises its distribution (SRILM's static mixing). */
SttLm *stt_lm_interpolate (const SttLm *a, const SttLm *b, double weight, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttLm, stt_lm_unref)

G_END_DECLS
