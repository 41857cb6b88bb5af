/* gst-stt — the decoder search: lexicon-tree decoding graph, Viterbi beam search, word lattice.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Three objects (docs/decoder.md):
 *
 * - SttGraph: the lexicon prefix tree of triphone HMMs compiled from an acoustic model's phone
 *   set (mdef + transition matrices) and a pronunciation dictionary. Built once at model-build
 *   time (stt_graph_build + stt_graph_write, file format "stt-graph-1"), loaded at run time
 *   from read-only bytes (stt_graph_new_from_bytes) that may be an mmap shared by every
 *   pipeline of a process.
 * - SttSearch: one decoding state (per element instance). Frames of senone log-likelihoods go
 *   in; the trigram LM is applied on the fly at word ends, the history taken from the word
 *   backpointers. All scores are natural logarithms ("nats").
 * - SttLattice: the word lattice of one utterance (from the backpointer table): best path with
 *   the trigram LM, N-best, word posteriors (forward-backward), and a serialised form
 *   "stt-lattice-1" for rescoring.
 *
 * Ownership: SttGraph is reference counted and immutable (thread-safe to share). SttSearch and
 * SttLattice belong to their creator and must not be used from two threads at once.
 */
#pragma once

#include <glib.h>
#include <stt/am.h>
#include <stt/lm.h>
#include <stt/model.h>

G_BEGIN_DECLS

#define STT_SEARCH_ERROR (stt_search_error_quark ())
GQuark stt_search_error_quark (void);
typedef enum {
  STT_SEARCH_ERROR_FORMAT,      /* a graph or lattice is malformed */
  STT_SEARCH_ERROR_INPUT,       /* the inputs given to a builder are inconsistent */
  STT_SEARCH_ERROR_LM,          /* the LM does not fit the graph */
} SttSearchError;

/* ---- building the graph -------------------------------------------------------------------- */

/* The acoustic model's phone inventory as the graph builder sees it. */
typedef struct {
  guint n_ci;                   /* context-independent phones */
  guint sil;                    /* the CI silence phone */
  const gboolean *ci_filler;    /* [n_ci]: filler phones (silence, noise) */
  guint n_tmat;
  const float *tmat;            /* [n_tmat][3][4] log transition probabilities (nats);
                                   impossible arcs <= -1e29 */
  /* The phone id of the triphone (base, left, right) at @pos, with the mdef's "nearest"
   * fallback (never fails for a valid base phone). */
  gint (*phone_id) (gpointer data, guint base, guint left, guint right, SttWordPosition pos);
  /* The three senones and the transition matrix of phone @pid. */
  void (*phone_hmm) (gpointer data, gint pid, guint senones[3], guint *tmat);
  gpointer data;
} SttGraphPhoneSet;

typedef struct _SttGraphBuilder SttGraphBuilder;

SttGraphBuilder *stt_graph_builder_new (const SttGraphPhoneSet *phones);
/* A builder on an acoustic model's phone set (mdef + transition matrices, both kept). */
SttGraphBuilder *stt_graph_builder_new_for_am (SttMdef *mdef, SttTmat *tmat, GError **error);
/* Add a pronunciation. @word is the dictionary spelling ("read(2)" for alternates: the text
 * before a final "(N)" is the word that is output and looked up in the LM). @filler marks
 * noise/silence words (entered with the filler penalties, never looked up in the LM).
 * Fails when a phone id is out of range or the word has no phones. */
gboolean stt_graph_builder_add_word (SttGraphBuilder *builder, const char *word,
    const guint *phones, guint n_phones, gboolean filler, GError **error);
/* The serialised graph ("stt-graph-1", docs/decoder.md). Consumes nothing; may be called
 * once. */
GBytes *stt_graph_builder_finish (SttGraphBuilder *builder, GError **error);
void stt_graph_builder_free (SttGraphBuilder *builder);

/* ---- the graph at run time ----------------------------------------------------------------- */

typedef struct _SttGraph SttGraph;

/* Check and index a serialised graph (@bytes is kept, not copied). Every count, offset and
 * index is validated; errors name the section and byte offset. */
SttGraph *stt_graph_new_from_bytes (GBytes *bytes, GError **error);
SttGraph *stt_graph_ref (SttGraph *graph);
void stt_graph_unref (SttGraph *graph);

guint stt_graph_get_n_words (const SttGraph *graph);
guint stt_graph_get_n_nodes (const SttGraph *graph);
guint stt_graph_get_n_senones (const SttGraph *graph);  /* 1 + highest senone id used */
/* Output spelling of word @w (alternate marker removed). */
const char *stt_graph_get_word (const SttGraph *graph, guint w);
gboolean stt_graph_word_is_filler (const SttGraph *graph, guint w);

/* ---- the language model, as the search sees it -------------------------------------------- */

typedef struct {
  gpointer data;
  /* LM id of a word (its output spelling), or -1 when the LM does not know it. */
  gint32 (*word_id) (gpointer data, const char *word);
  /* log P(w | h1 h2) in nats; h1 is the most recent word, -1 shortens the history. */
  float (*score) (gpointer data, gint32 w, gint32 h1, gint32 h2);
  gint32 bos;                   /* <s> */
  gint32 eos;                   /* </s> */
} SttSearchLm;

/* The search's view of an SttLm (which must outlive @out). */
void stt_search_lm_init (SttSearchLm *out, SttLm *lm);

/* The graph's words mapped to LM ids (shareable, read-only once built). */
typedef struct _SttSearchLmMap SttSearchLmMap;
SttSearchLmMap *stt_search_lm_map_new (const SttGraph *graph, const SttSearchLm *lm,
    GError **error);
void stt_search_lm_map_free (SttSearchLmMap *map);

/* ---- a model's decoding resources -------------------------------------------------------
 * The decoding graph is the model's file STT_SEARCH_GRAPH_FILE; the LM is the file named by
 * the manifest property "lm" (default STT_SEARCH_LM_FILE), in the LM library's own format. */
#define STT_SEARCH_GRAPH_FILE "decoder/graph.bin"
#define STT_SEARCH_LM_FILE "lm/lm.bin"

typedef struct {
  SttGraph *graph;
  SttLm *lm;
  SttSearchLm search_lm;
  SttSearchLmMap *map;
} SttSearchResources;

/* The resources of @model, loaded once per model and shared (owned by the model: valid while
 * the caller holds a reference to @model). Errors name the file and what is wrong. */
const SttSearchResources *stt_search_resources_get (SttModel *model, GError **error);

/* ---- search configuration ------------------------------------------------------------------ */

typedef struct {
  float beam;                   /* HMM beam, nats below the frame's best (default 90) */
  float pbeam;                  /* phone-exit beam (default 90) */
  float lpbeam;                 /* beam for entering word-final phones (default 92.1) */
  float lponlybeam;             /* beam of word-final HMMs among themselves (64.8) */
  float wbeam;                  /* word-exit beam: which exits enter the lattice (64.8) */
  guint max_active;             /* histogram pruning: at most this many active HMMs (30000) */
  float lm_weight;              /* LM scale (6.5) */
  float lattice_lm_weight;      /* LM scale of the lattice best path / N-best (8; 0: lm_weight) */
  float wip;                    /* word insertion penalty, nats (default -3) */
  float silence_penalty;        /* <sil> entry, nats (ln 0.005 = -5.30) */
  float filler_penalty;         /* other fillers, nats (ln 1e-8 = -18.42) */
  float lattice_beam;           /* lattice pruning beam in nats (for N-best/posteriors) */
  float posterior_scale;        /* score scale for posteriors (default 0.09, calibrated) */
} SttSearchConfig;

void stt_search_config_init (SttSearchConfig *config);

/* ---- the search ---------------------------------------------------------------------------- */

typedef struct _SttSearch SttSearch;
typedef struct _SttLattice SttLattice;

/* @graph, @lm and @map must outlive the search. */
SttSearch *stt_search_new (SttGraph *graph, const SttSearchLm *lm, const SttSearchLmMap *map,
    const SttSearchConfig *config);
void stt_search_free (SttSearch *search);
void stt_search_set_config (SttSearch *search, const SttSearchConfig *config);

/* Start an utterance whose first frame is stream frame @first_frame. */
void stt_search_start (SttSearch *search, gint64 first_frame);
/* One frame of senone log-likelihoods (n_senones floats, at least stt_graph_get_n_senones). */
void stt_search_step (SttSearch *search, const float *senone_scores);
guint stt_search_get_n_frames (const SttSearch *search);

/* Where the best hypothesis is now: whether it is inside a silence/filler word (or before any
 * word), and the stream frame where its last real word ended (-1 if none). */
gboolean stt_search_best_in_silence (const SttSearch *search, gint64 *last_word_end);

/* The current best word sequence (partial result), space separated, fillers removed. */
char *stt_search_get_partial (SttSearch *search);

/* End the utterance: returns its word lattice (NULL when no frame was decoded). */
SttLattice *stt_search_finish (SttSearch *search);

/* ---- lattices ------------------------------------------------------------------------------ */

typedef struct {
  const char *word;             /* owned by the lattice */
  gint64 start_frame;           /* stream frames */
  gint64 end_frame;             /* last frame, inclusive */
  double posterior;             /* in [0,1] */
} SttLatticeWord;

typedef struct {
  GArray *words;                /* SttLatticeWord, fillers removed */
  double score;                 /* total path score, nats */
  double posterior;             /* path posterior over the lattice, in [0,1] */
  /* The parts of @score, so that another LM can re-rank the N-best list without the lattice:
   * score = acoustic_score + lw · lm_score + wip · (words + 1), with the lattice's LM weight
   * lw and penalty wip (a wip is also added for </s>). */
  double acoustic_score;        /* Σ acoustic log-likelihoods + silence/filler penalties, nats */
  double lm_score;              /* Σ ln P(w | h) over the words and </s>, unweighted, nats */
} SttLatticePath;

void stt_lattice_free (SttLattice *lattice);
/* Up to @n distinct word sequences, best first (the first is the best path).
 * Returns a GPtrArray of SttLatticePath (freed with the array). */
GPtrArray *stt_lattice_nbest (SttLattice *lattice, guint n);
/* Serialised form "stt-lattice-1" (docs/lattice.md). */
GBytes *stt_lattice_serialize (const SttLattice *lattice);
guint stt_lattice_get_n_nodes (const SttLattice *lattice);

G_END_DECLS
