/* gst-stt — results (core/include/stt/result.h) as Speech SDK message bodies.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * speech.hypothesis, speech.phrase (simple and detailed), status-only phrases and the REST
 * body, following ../shared/spec/speech-sdk-protocol.md §2.4 and §3. All bodies are compact
 * JSON (the SDK truncates a body at the first CRLF CRLF). Thread-safety: pure functions.
 */
#pragma once

#include <stt/result.h>

G_BEGIN_DECLS

typedef enum {
  STT_PROFANITY_MASKED,         /* the SDK's default */
  STT_PROFANITY_REMOVED,
  STT_PROFANITY_RAW,
} SttProfanityOption;

typedef struct {
  gboolean detailed;            /* format=detailed */
  gboolean word_timings;        /* wordLevelTimestamps / WordTimings: add Words */
  SttProfanityOption profanity;
  /* With language identification: PrimaryLanguage {Language, Confidence "Unknown"} in every
   * hypothesis and Success phrase; NULL = not asked for. */
  const char *language;
} SttOutputOptions;

/* "masked" / "removed" / "raw" (any case) */
gboolean stt_profanity_option_from_string (const char *s, SttProfanityOption *out);
const char *stt_profanity_option_to_string (SttProfanityOption p);

/* The text a client sees for a hypothesis: Display (else ITN, else Lexical), with the words
 * that the profanity element masked in MaskedITN masked or removed the same way. */
char *stt_sdk_display_text (const SttHypothesis *hyp, SttProfanityOption profanity);

char *stt_sdk_hypothesis_json (const SttResult *partial, const SttOutputOptions *opts);
/* A hypothesis showing only @text (stable partials), spanning @duration ticks. */
char *stt_sdk_hypothesis_text_json (const SttResult *partial, const char *text,
    gint64 duration, const SttOutputOptions *opts);
char *stt_sdk_phrase_json (const SttResult *final, const SttOutputOptions *opts);
/* A phrase with only a status (NoMatch, InitialSilenceTimeout, Error, TooManyRequests, ...);
 * @message (may be NULL) goes into DisplayText so a client can show why. */
char *stt_sdk_status_phrase_json (const char *status, gint64 offset, gint64 duration,
    const char *message);
/* {"Offset":N} for speech.startDetected / speech.endDetected. */
char *stt_sdk_offset_json (gint64 offset);

/* The REST body for a whole file: the phrases' texts joined (simple), plus NBest (the joined
 * best hypotheses) and Phrases (one detailed phrase each) when detailed. */
char *stt_sdk_rest_json (GPtrArray *finals, gint64 audio_ticks, const SttOutputOptions *opts);

G_END_DECLS
