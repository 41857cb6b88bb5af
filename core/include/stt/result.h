/* gst-stt — recognition results.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * SttResult is the one record every stage after the decoder passes on: a partial or final
 * recognition of one phrase, with its N-best hypotheses, their texts (Lexical, ITN, MaskedITN,
 * Display), their words with times, and an optional opaque lattice for rescoring. The JSON form
 * is documented in docs/results.md; it is what travels in `application/x-stt-result` buffers.
 *
 * Ownership: SttResult is reference counted (stt_result_ref / stt_result_unref). Hypotheses and
 * words belong to their result: pointers returned by the getters stay valid until the result is
 * freed or the hypothesis list is changed. Strings passed in are copied.
 *
 * Thread-safety: ref/unref are atomic; anything else must not run concurrently on one result.
 * A result with more than one reference should be treated as read-only: copy it
 * (stt_result_copy) before changing it.
 *
 * Times are in 100-ns ticks (10,000,000 per second) from the start of the stream, as the
 * Speech SDK counts them.
 */
#pragma once

#include <glib.h>
#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define STT_TICKS_PER_SECOND G_GINT64_CONSTANT (10000000)

/* Convert between GStreamer nanoseconds and 100-ns ticks. */
#define STT_TICKS_FROM_NS(ns) ((gint64) (ns) / 100)
#define STT_TICKS_TO_NS(t) ((guint64) (t) * 100)

typedef enum {
  STT_RESULT_PARTIAL,           /* an interim hypothesis of a phrase still being spoken */
  STT_RESULT_FINAL,             /* the recognition of a whole phrase */
} SttResultKind;

/* The Speech SDK's RecognitionStatus values, in its spelling. */
typedef enum {
  STT_STATUS_SUCCESS,
  STT_STATUS_NO_MATCH,
  STT_STATUS_INITIAL_SILENCE_TIMEOUT,
  STT_STATUS_BABBLE_TIMEOUT,
  STT_STATUS_ERROR,
} SttRecognitionStatus;

/* The four texts of a hypothesis, as the Speech SDK names them. */
typedef enum {
  STT_TEXT_LEXICAL,             /* the words as recognized, lower case, spoken form */
  STT_TEXT_ITN,                 /* inverse-text-normalized ("twenty five" -> "25") */
  STT_TEXT_MASKED_ITN,          /* ITN with profanity masked */
  STT_TEXT_DISPLAY,             /* ITN with punctuation and capitalization */
  STT_N_TEXTS,
} SttTextField;

typedef struct {
  char *word;                   /* spoken form */
  gint64 offset;                /* ticks from stream start */
  gint64 duration;              /* ticks */
  double confidence;            /* posterior in [0,1]; negative when unknown */
} SttWord;

typedef struct _SttHypothesis SttHypothesis;

typedef struct _SttResult {
  SttResultKind kind;
  SttRecognitionStatus status;
  gint64 offset;                /* ticks from stream start to the phrase's first audio */
  gint64 duration;              /* ticks */
  char *model_id;               /* UUID of the model that produced it; may be NULL */

  /*< private >*/
  GPtrArray *nbest;             /* SttHypothesis*, best first */
  char *lattice_format;
  GBytes *lattice;
  JsonObject *extra;            /* members the schema does not know, kept verbatim */
  gint refcount;
} SttResult;

GType stt_result_get_type (void);
#define STT_TYPE_RESULT (stt_result_get_type ())

SttResult *stt_result_new (SttResultKind kind);
SttResult *stt_result_ref (SttResult *result);
void stt_result_unref (SttResult *result);
SttResult *stt_result_copy (const SttResult *result);

/* N-best list. stt_result_add_hypothesis appends an empty hypothesis and returns it (owned by
 * the result). */
guint stt_result_get_n_hypotheses (const SttResult *result);
SttHypothesis *stt_result_get_hypothesis (const SttResult *result, guint index);
SttHypothesis *stt_result_get_best (const SttResult *result); /* NULL when empty */
SttHypothesis *stt_result_add_hypothesis (SttResult *result);
void stt_result_remove_hypothesis (SttResult *result, guint index);

/* The text of the best hypothesis for display: Display, else ITN, else Lexical; "" if none. */
const char *stt_result_get_display_text (const SttResult *result);

/* Opaque lattice for rescoring; format names the producer's encoding (e.g. "stt-lattice-1"). */
void stt_result_set_lattice (SttResult *result, const char *format, GBytes *lattice);
GBytes *stt_result_get_lattice (const SttResult *result, const char **format);

/* Members of the JSON object the schema does not define; kept across parse and serialise.
 * The returned object is owned by the result (created on first use). */
JsonObject *stt_result_get_extra (SttResult *result);
JsonObject *stt_hypothesis_get_extra (SttHypothesis *hyp);

double stt_hypothesis_get_confidence (const SttHypothesis *hyp);
void stt_hypothesis_set_confidence (SttHypothesis *hyp, double confidence);
const char *stt_hypothesis_get_text (const SttHypothesis *hyp, SttTextField field); /* never NULL */
void stt_hypothesis_set_text (SttHypothesis *hyp, SttTextField field, const char *text);
guint stt_hypothesis_get_n_words (const SttHypothesis *hyp);
const SttWord *stt_hypothesis_get_word (const SttHypothesis *hyp, guint index);
void stt_hypothesis_add_word (SttHypothesis *hyp, const char *word, gint64 offset,
    gint64 duration, double confidence);
void stt_hypothesis_clear_words (SttHypothesis *hyp);

/* Lexical text rebuilt from the words, space separated (newly allocated). */
char *stt_hypothesis_join_words (const SttHypothesis *hyp);

const char *stt_recognition_status_to_string (SttRecognitionStatus status);
gboolean stt_recognition_status_from_string (const char *str, SttRecognitionStatus *status);

/* JSON (docs/results.md). to_json returns compact UTF-8 JSON (newly allocated).
 * from_json fails with STT_RESULT_ERROR and a message naming the offending member. */
#define STT_RESULT_ERROR (stt_result_error_quark ())
GQuark stt_result_error_quark (void);
typedef enum {
  STT_RESULT_ERROR_PARSE,       /* not JSON */
  STT_RESULT_ERROR_SCHEMA,      /* JSON, but not a result */
} SttResultError;

char *stt_result_to_json (const SttResult *result, gsize *length);
JsonNode *stt_result_to_json_node (const SttResult *result);
SttResult *stt_result_from_json (const char *json, gssize length, GError **error);
SttResult *stt_result_from_json_node (JsonNode *node, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttResult, stt_result_unref)

G_END_DECLS
