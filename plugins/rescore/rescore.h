/* gst-stt — lattice rescoring: the "stt-lattice-1" reader, the rescoring LM and the search.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Shared by the sttrescore element and the stt-rescore-model tool (static library
 * libsttrescore). The lattice format is docs/lattice.md; the rescore model is docs/rescore.md.
 *
 * Ownership: RescoreLattice and RescoreLm are plain owned objects (free with their _free).
 * Thread-safety: a RescoreLm is immutable and may be shared; a lattice belongs to one caller.
 */
#pragma once

#include <stt/lm.h>
#include <stt/model.h>

G_BEGIN_DECLS

/* The default en-US rescore model (the base model's full trigram LM with the rescoring LM
 * weight tuned on the dev set), built by `meson compile -C build default-rescore-model`. */
#define STT_DEFAULT_RESCORE_MODEL_ID "7c3e9a52-1d4b-4f6e-8a27-5b9d0c4e2f13"
/* Hypothesis members (docs/results.md) with the parts of its score that sttdecoder sets and
 * the N-best re-ranking reads: Σ acoustic + filler scores, and Σ ln P of its words. */
#define STT_RESCORE_ACOUSTIC_MEMBER "AcousticScore"
#define STT_RESCORE_LM_MEMBER "LmScore"
/* Manifest file name of a rescore model's own LM (absent when it rescores with the base LM). */
#define STT_RESCORE_LM_FILE "lm/rescore.bin"

#define STT_RESCORE_ERROR (stt_rescore_error_quark ())
GQuark stt_rescore_error_quark (void);
typedef enum {
  STT_RESCORE_ERROR_LATTICE,    /* the lattice text is malformed */
  STT_RESCORE_ERROR_MODEL,      /* not a rescore model, or its LM cannot be used */
} SttRescoreError;

/* ---- the rescoring LM: P = λ·P_own + (1−λ)·P_base, or one of them alone ------------------- */
typedef struct {
  SttLm *base;                  /* the base model's LM, or NULL when λ = 1 */
  SttLm *own;                   /* the rescore model's LM, or NULL (λ = 0) */
  double lambda;                /* weight of @own */
  double lm_weight, wip;        /* the model's settings */
  double keep_confidence;       /* results at least this confident are kept (> 1: none) */
  double keep_acoustic;         /* ... or whose words' acoustic score per frame is at least
                                   this (nats; 0: none) */
} RescoreLm;

/* Open the LMs of rescore model @model: its own LM and/or its base model's LM. */
RescoreLm *rescore_lm_new (SttModel *model, GError **error);
void rescore_lm_free (RescoreLm *lm);

/* ---- lattices ----------------------------------------------------------------------------- */
typedef struct _RescoreLattice RescoreLattice;

RescoreLattice *rescore_lattice_parse (GBytes *bytes, GError **error);
void rescore_lattice_free (RescoreLattice *lattice);
gint64 rescore_lattice_get_first_frame (const RescoreLattice *lattice);
guint rescore_lattice_get_frame_rate (const RescoreLattice *lattice);

typedef struct {
  const char *word;
  gint32 start, end;            /* phrase frames, inclusive */
} RescoreSpan;

/* The acoustic fit of a hypothesis: Σ acoustic score / Σ frames of the lattice nodes with the
 * words and spans of @words (n of them; a word without such a node is left out), natural log
 * per frame. FALSE when no word is found. */
gboolean rescore_lattice_acoustic_per_frame (const RescoreLattice *lattice,
    const RescoreSpan *words, guint n, double *per_frame);

typedef struct {
  const char *word;             /* owned by the lattice */
  gint32 start, end;            /* phrase frames, inclusive */
  double confidence;            /* posterior over the rescored lattice */
} RescoreWord;

typedef struct {
  GArray *words;                /* RescoreWord, fillers left out */
  double score;
  double acoustic_score;        /* Σ acoustic scores + filler penalties (nats) */
  double lm_score;              /* Σ ln P of the words and </s> under the rescoring LM */
} RescorePath;

typedef struct {
  double lm_weight, wip, lambda;
} RescoreParams;

/* The @n best distinct word sequences of @lattice under @lm with @params (best first; empty
 * when no path reaches the end), word confidences by forward-backward over the rescored
 * lattice. Free the array with g_ptr_array_unref. */
GPtrArray *rescore_lattice_nbest (RescoreLattice *lattice, const RescoreLm *lm,
    const RescoreParams *params, guint n);

/* Σ ln P(w | two previous words) of the @n @words and of </s>, after <s>, under @lm mixed at
 * @params->lambda (natural log; every term is floored at -50, as in the lattice search). */
double rescore_lm_sentence (const RescoreLm *lm, const RescoreParams *params,
    const char *const *words, guint n);

G_END_DECLS
