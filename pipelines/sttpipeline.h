/* gst-stt — the recognition pipeline of a base model and its display models, as gst-launch text.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The base (or custom) model's manifest names the fragment from 16 kHz audio to results
 * ("pipeline" member, e.g. "sttfeatures ! sttacoustic ! sttdecoder"); each element of it that
 * takes a model gets `model=<id>` unless the fragment already sets one. The display models
 * follow in the fixed order rescore, punct, resegment, wfstitn, each as `<element> model=<id>`.
 *
 * Thread-safety: the functions keep no state; they may be called from any thread.
 */
#pragma once

#include <stt/model.h>

G_BEGIN_DECLS

typedef enum {
  STT_DISPLAY_RESCORE,
  STT_DISPLAY_PUNCT,
  STT_DISPLAY_RESEGMENT,
  STT_DISPLAY_WFSTITN,
  STT_DISPLAY_N,
} SttDisplayType;

#define STT_PIPELINE_ERROR (stt_pipeline_error_quark ())
GQuark stt_pipeline_error_quark (void);
typedef enum {
  STT_PIPELINE_ERROR_MODEL,     /* a model cannot take the place it was given */
} SttPipelineError;

/* The container's word ("Rescore"), the manifest kind ("rescore"), the element ("sttrescore")
 * and the container's id setting ("RescoreId") of a display type. */
const char *stt_display_type_word (SttDisplayType type);
const char *stt_display_type_kind (SttDisplayType type);
const char *stt_display_type_element (SttDisplayType type);
const char *stt_display_type_id_key (SttDisplayType type);
/* Look a display type up by its manifest kind; FALSE when @kind is not a display kind. */
gboolean stt_display_type_from_kind (const char *kind, SttDisplayType *type);

/* The fragment for @base followed by the display models present in @display (indexed by
 * SttDisplayType, NULL entries are skipped). Newly allocated; NULL with an error naming the
 * model when @base has no pipeline or a display model has the wrong kind or locale. */
char *stt_pipeline_build (SttModel *base, SttModel *const display[STT_DISPLAY_N],
    GError **error);

/* A gst-launch-1.0 command line running @fragment on an audio file and printing the results
 * with sttsink. @model_path, when not NULL, is put in front as STT_MODEL_PATH=... so the
 * elements find models installed outside the default model path. Newly allocated. */
char *stt_pipeline_launch_line (const char *fragment, const char *model_path);

G_END_DECLS
