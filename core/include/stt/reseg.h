/* gst-stt — resegmentation: split final phrases into display segments.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A final result's best hypothesis is cut after a word that ends a sentence (its Display
 * token ends in '.', '?' or '!', when Display has one token per word), after a pause of at
 * least pause_ms, and wherever the segment would otherwise pass max_words or max_seconds.
 * Every segment is a final result with that hypothesis' words in it, its offset and duration
 * recomputed from the word times, and its texts (Lexical from the words; ITN, MaskedITN and
 * Display cut along with the words when they have one token per word, else left empty for a
 * later element to fill). The other N-best hypotheses and the lattice cannot be cut in time
 * and are not kept on cut results. A result that needs no cut, a partial, or one without
 * words is returned as it is. Concatenated, the segments' words are the input's words.
 *
 * Settings can be shipped as a display model of kind "resegment": a manifest whose
 * "properties" hold pause_ms, max_words and max_seconds (no files).
 *
 * All functions are thread-safe (they touch only their arguments).
 */
#pragma once

#include <stt/model.h>
#include <stt/result.h>

G_BEGIN_DECLS

/* The id of the default resegment model (the defaults below), built into <build>/models. */
#define STT_RESEG_DEFAULT_MODEL_ID "9d4e2b71-3c8a-4f06-b5e1-7a2c6d0f8e13"

#define STT_RESEG_DEFAULT_PAUSE_MS 700
#define STT_RESEG_DEFAULT_MAX_WORDS 40
#define STT_RESEG_DEFAULT_MAX_SECONDS 15.0

typedef struct {
  guint pause_ms;               /* cut at a silence at least this long; 0 = never */
  guint max_words;              /* at most this many words per segment; 0 = no limit */
  double max_seconds;           /* at most this long (first word start to last word end);
                                 * 0 = no limit; a single longer word stays whole */
  gboolean sentences;           /* cut after sentence ends (from Display) */
} SttResegOptions;

void stt_reseg_options_init (SttResegOptions *options);

/* Read the settings of a "resegment" model into @options (members it lacks keep their
 * value); fails for another kind or a setting of the wrong type or range. */
gboolean stt_reseg_options_from_model (SttResegOptions *options, SttModel *model,
    GError **error);
/* Write @options as the properties of a resegment model being built. */
void stt_reseg_options_to_json (const SttResegOptions *options, JsonObject *properties);

/* The segments of @result: a new array of new references (free function stt_result_unref). */
GPtrArray *stt_reseg_split (SttResult *result, const SttResegOptions *options);

G_END_DECLS
