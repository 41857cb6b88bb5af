/* gst-stt — inverse text normalization: spoken-form words to written form with a WFST.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An ITN model (kind "wfstitn", docs/models.md) holds one weighted transducer compiled from the
 * grammars in models/itn/<locale>/ by stt-itn-compile. Its input labels are spoken words, its
 * output labels pieces of written text; class markers on its output split the best path into
 * spans ("cardinal", "money", ..., "word" for a word passed through). SttItn applies it to a
 * word sequence: composition with the linear input and shortest path, done together as one
 * Viterbi pass over (position, state).
 *
 * Every written token knows the spoken words it came from (first index and count), so word
 * timing survives normalization.
 *
 * Ownership and thread-safety: SttItn is reference counted and read-only once made; one SttItn
 * (one mapping of the file) may be shared by any number of threads. SttItnRunner holds the
 * scratch memory of one call at a time: use one runner per thread. An SttItnOutput belongs to
 * the caller (stt_itn_output_free).
 */
#pragma once

#include <glib.h>
#include <stt/model.h>

G_BEGIN_DECLS

/* The id of the default en-US ITN model, built from models/itn/en-US/ into <build>/models. */
#define STT_ITN_DEFAULT_MODEL_ID "9eac36b6-299d-4ea9-97e6-3c6218a6da78"

/* The model kind and the name of the transducer file inside an ITN model. */
#define STT_ITN_MODEL_KIND "wfstitn"
#define STT_ITN_FST_FILE "itn.wfst"

#define STT_ITN_ERROR (stt_itn_error_quark ())
GQuark stt_itn_error_quark (void);
typedef enum {
  STT_ITN_ERROR_FORMAT,         /* the transducer file is corrupt or not one of ours */
  STT_ITN_ERROR_MODEL,          /* the model is not an ITN model */
  STT_ITN_ERROR_GRAMMAR,        /* grammar source errors (stt-itn-compile) */
} SttItnError;

typedef struct _SttItn SttItn;

/* Load from the bytes of a transducer file (kept referenced; may be a mapping). Checks the
 * whole file (checksum and every index) so that a corrupt file fails here, not later. */
SttItn *stt_itn_new_from_bytes (GBytes *bytes, const char *name, GError **error);
SttItn *stt_itn_new_from_file (const char *path, GError **error);
/* The ITN of a "wfstitn" model, made once per model and shared (stt_model_get_shared). */
SttItn *stt_itn_new_from_model (SttModel *model, GError **error);
/* @id_or_dir: a model id or folder (stt_model_cache_lookup), or a transducer file path. */
SttItn *stt_itn_open (const char *id_or_dir, GError **error);
SttItn *stt_itn_ref (SttItn *itn);
void stt_itn_unref (SttItn *itn);

guint stt_itn_get_n_states (const SttItn *itn);
guint stt_itn_get_n_arcs (const SttItn *itn);

/* One written token and where it came from. */
typedef struct {
  const char *text;             /* written form, no spaces */
  guint first_word;             /* index of the first spoken word it came from */
  guint n_words;                /* how many spoken words (>= 1 unless the input was empty) */
  const char *klass;            /* class of its span: "cardinal", "money", ..., "word" */
} SttItnToken;

typedef struct _SttItnOutput SttItnOutput;

guint stt_itn_output_get_n_tokens (const SttItnOutput *out);
const SttItnToken *stt_itn_output_get_token (const SttItnOutput *out, guint index);
/* The tokens joined by single spaces (owned by @out). */
const char *stt_itn_output_get_text (const SttItnOutput *out);
void stt_itn_output_free (SttItnOutput *out);

typedef struct _SttItnRunner SttItnRunner;

SttItnRunner *stt_itn_runner_new (SttItn *itn);
void stt_itn_runner_free (SttItnRunner *runner);

/* Normalize @n_words words. Never fails: a grammar that does not accept the input passes the
 * words through unchanged. Inputs longer than STT_ITN_MAX_SPAN words are normalized in pieces
 * of that many words (a number spread over a piece boundary is then split). */
#define STT_ITN_MAX_SPAN 256
SttItnOutput *stt_itn_runner_apply (SttItnRunner *runner, const char *const *words,
    guint n_words);
/* Convenience: split @text on white space, normalize, return the written text (newly
 * allocated). */
char *stt_itn_runner_apply_text (SttItnRunner *runner, const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttItn, stt_itn_unref)

G_END_DECLS
