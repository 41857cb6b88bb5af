/* gst-stt — acoustic model: phone set, triphone lookup, transition matrices (and, below, the
 * Gaussian tables and mixture weights the scorer uses).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Two sources of the same objects:
 *  - Sphinx files (Debian pocketsphinx-en-us): binary mdef "BMDF", s3 transition_matrices,
 *    means, variances, sendump. Used by `stt-model import-sphinx` only.
 *  - The project's own files inside a model (written by the importer, mmap-able, always
 *    little-endian, fixed headers; formats documented in core/am/README.md):
 *    am/mdef.bin, am/tmat.bin, am/means.bin, am/variances.bin, am/mixw.bin.
 * The runtime uses the second kind through stt_am_model_get (one shared copy per SttModel).
 *
 * Every parser takes the bytes and a @name used in error messages (the file name); on a
 * truncated, corrupt or foreign file it returns NULL with an STT_AM_ERROR naming the file, the
 * byte offset and what was expected versus found. Parsers never crash on any input.
 *
 * Ownership: the objects are reference counted and immutable once built, so they may be shared
 * between threads freely. Pointers returned by getters belong to the object.
 */
#pragma once

#include <glib.h>
#include <stt/model.h>

G_BEGIN_DECLS

#define STT_AM_ERROR (stt_am_error_quark ())
GQuark stt_am_error_quark (void);
typedef enum {
  STT_AM_ERROR_TRUNCATED,   /* the file ends before the data it announces */
  STT_AM_ERROR_FOREIGN,     /* not the expected kind of file (wrong magic / header) */
  STT_AM_ERROR_CORRUPT,     /* a value is out of range, inconsistent, or the checksum differs */
  STT_AM_ERROR_UNSUPPORTED, /* a valid variant this reader does not implement */
} SttAmError;

/* ---- phone set and triphones (mdef) ------------------------------------------------------ */

/* Word position of a context-dependent phone (values as stored by Sphinx). */
typedef enum {
  STT_WPOS_INTERNAL = 0,   /* inside a word */
  STT_WPOS_BEGIN = 1,      /* first phone of a word */
  STT_WPOS_END = 2,        /* last phone of a word */
  STT_WPOS_SINGLE = 3,     /* the only phone of a word */
  STT_N_WPOS = 4,
} SttWordPosition;

typedef struct _SttMdef SttMdef;

/* Sphinx binary mdef ("BMDF", either byte order). */
SttMdef *stt_mdef_parse_sphinx (GBytes *bytes, const char *name, GError **error);
/* The project's am/mdef.bin. */
SttMdef *stt_mdef_parse (GBytes *bytes, const char *name, GError **error);
/* Serialise to the project's am/mdef.bin layout. */
GBytes *stt_mdef_serialize (const SttMdef *mdef);
/* The model's am/mdef.bin, parsed once per SttModel and shared (a new reference). */
SttMdef *stt_mdef_from_model (SttModel *model, GError **error);
SttMdef *stt_mdef_ref (SttMdef *mdef);
void stt_mdef_unref (SttMdef *mdef);

int stt_mdef_n_ciphones (const SttMdef *mdef);    /* CI phones: ids 0 .. n-1 (42) */
int stt_mdef_n_phones (const SttMdef *mdef);      /* CI + CD phones (137095) */
int stt_mdef_n_emit_states (const SttMdef *mdef); /* emitting states per phone HMM (3) */
int stt_mdef_n_senones (const SttMdef *mdef);     /* tied states (5126) */
int stt_mdef_n_ci_senones (const SttMdef *mdef);  /* senones of CI phones: 0 .. n-1 (126) */
int stt_mdef_n_tmats (const SttMdef *mdef);       /* transition matrices (42) */

/* Name of CI phone @ci ("AA", "SIL", "+NSN+"...), or NULL when out of range. */
const char *stt_mdef_ciphone_name (const SttMdef *mdef, int ci);
/* Id of the CI phone called @name, or -1. */
int stt_mdef_ciphone_id (const SttMdef *mdef, const char *name);
/* TRUE for filler CI phones (SIL, +NSN+, +SPN+): they take no context. */
gboolean stt_mdef_is_filler (const SttMdef *mdef, int ci);
/* The silence CI phone ("SIL"), or -1 if the phone set has none. */
int stt_mdef_silence (const SttMdef *mdef);

/* Phone @pid (0 <= pid < n_phones): its base CI phone, contexts and word position. For a CI
 * phone, left = right = -1 and wpos = STT_WPOS_INTERNAL. Any out pointer may be NULL. */
void stt_mdef_phone_info (const SttMdef *mdef, int pid, int *base, int *left, int *right,
    SttWordPosition *wpos);
/* Its n_emit_states senone ids, one per emitting state. */
const guint16 *stt_mdef_phone_senones (const SttMdef *mdef, int pid);
/* Its transition matrix id (for triphones, always the base phone's). */
int stt_mdef_phone_tmat (const SttMdef *mdef, int pid);

/* The triphone base(left,right) at @wpos, exactly, or -1 if the model does not have it.
 * Filler contexts are replaced by SIL first (as Sphinx does). */
int stt_mdef_phone_lookup (const SttMdef *mdef, int base, int left, int right,
    SttWordPosition wpos);
/* As Sphinx builds word HMMs: the exact triphone, else the same contexts at the other word
 * positions, else with the word-boundary (and filler) contexts replaced by SIL at @wpos and
 * then the other positions, else the CI phone @base. Always a valid phone id for a valid
 * @base; -1 only if @base is out of range. */
int stt_mdef_phone_nearest (const SttMdef *mdef, int base, int left, int right,
    SttWordPosition wpos);

/* Codebook (= base CI phone in a PTM model) whose Gaussians senone @sen mixes. */
int stt_mdef_senone_codebook (const SttMdef *mdef, int sen);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttMdef, stt_mdef_unref)

/* ---- transition matrices ----------------------------------------------------------------- */

typedef struct _SttTmat SttTmat;

/* Sphinx s3 transition_matrices (raw counts; normalised with the 1e-4 floor on load). */
SttTmat *stt_tmat_parse_sphinx (GBytes *bytes, const char *name, GError **error);
/* The project's am/tmat.bin. */
SttTmat *stt_tmat_parse (GBytes *bytes, const char *name, GError **error);
GBytes *stt_tmat_serialize (const SttTmat *tmat);
/* The model's am/tmat.bin, parsed once per SttModel and shared (a new reference). */
SttTmat *stt_tmat_from_model (SttModel *model, GError **error);
SttTmat *stt_tmat_ref (SttTmat *tmat);
void stt_tmat_unref (SttTmat *tmat);

int stt_tmat_n_tmats (const SttTmat *tmat);
int stt_tmat_n_emit_states (const SttTmat *tmat);   /* N: from-states 0..N-1, to 0..N (N = exit) */

/* Natural-log transition probability of matrix @t from emitting state @from to state @to
 * (@to == N is the non-emitting exit); -INFINITY where there is no arc. */
float stt_tmat_logprob (const SttTmat *tmat, int t, int from, int to);
/* The whole matrix @t as N × (N+1) floats, row-major (same values as stt_tmat_logprob). */
const float *stt_tmat_logprobs (const SttTmat *tmat, int t);
/* Sphinx's integer cost of the same arc, min(255, -log_B(p) >> 10) in units of 1024·ln B
 * (§5.4 of the Sphinx format notes); 255 where there is no arc. For bit-compatibility work. */
int stt_tmat_sphinx_cost (const SttTmat *tmat, int t, int from, int to);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttTmat, stt_tmat_unref)

/* ---- Gaussian codebooks (means, variances) ----------------------------------------------- */

typedef struct _SttGauden SttGauden;

/* Sphinx s3 means or variances (@variances: values must also be >= 0). */
SttGauden *stt_gauden_parse_sphinx (GBytes *bytes, const char *name, gboolean variances,
    GError **error);
/* The project's am/means.bin / am/variances.bin; the values are used in place (no copy) from
 * @bytes, which the object keeps referenced. */
SttGauden *stt_gauden_parse (GBytes *bytes, const char *name, gboolean variances,
    GError **error);
GBytes *stt_gauden_serialize (const SttGauden *gauden);
SttGauden *stt_gauden_ref (SttGauden *gauden);
void stt_gauden_unref (SttGauden *gauden);

int stt_gauden_n_codebooks (const SttGauden *gauden);   /* 42 (one per CI phone: PTM) */
int stt_gauden_n_streams (const SttGauden *gauden);     /* 3 */
int stt_gauden_n_densities (const SttGauden *gauden);   /* 128 Gaussians per codebook/stream */
int stt_gauden_dim (const SttGauden *gauden);           /* Σ stream lengths (39) */
int stt_gauden_veclen (const SttGauden *gauden, int stream);         /* 13 */
int stt_gauden_stream_offset (const SttGauden *gauden, int stream);  /* first feature dim */
/* Codebook @m, stream @f: n_densities × veclen floats, density after density. */
const float *stt_gauden_values (const SttGauden *gauden, int m, int f);
/* The bytes holding the values (for sharing checks); owned by the object. */
GBytes *stt_gauden_get_bytes (const SttGauden *gauden);
gboolean stt_gauden_same_shape (const SttGauden *a, const SttGauden *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttGauden, stt_gauden_unref)

/* ---- mixture weights --------------------------------------------------------------------- */

typedef struct _SttMixw SttMixw;

/* Sphinx sendump (8-bit quantised weights); the values are used in place from @bytes. */
SttMixw *stt_mixw_parse_sphinx (GBytes *bytes, const char *name, GError **error);
/* The project's am/mixw.bin, used in place. */
SttMixw *stt_mixw_parse (GBytes *bytes, const char *name, GError **error);
GBytes *stt_mixw_serialize (const SttMixw *mixw);
SttMixw *stt_mixw_ref (SttMixw *mixw);
void stt_mixw_unref (SttMixw *mixw);

int stt_mixw_n_streams (const SttMixw *mixw);
int stt_mixw_n_codewords (const SttMixw *mixw);
int stt_mixw_n_senones (const SttMixw *mixw);
/* Nats per quantisation step: ln weight = -q · unit. */
float stt_mixw_unit (const SttMixw *mixw);
/* q of every senone for stream @f, codeword @cw (n_senones bytes). */
const guint8 *stt_mixw_row (const SttMixw *mixw, int f, int cw);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttMixw, stt_mixw_unref)

/* ---- filler dictionary ------------------------------------------------------------------- */

/* Check a Sphinx noisedict: "WORD PHONE..." lines, every phone a CI phone of @mdef, no word
 * twice. The error names the file, line and what is wrong. */
gboolean stt_noisedict_check (GBytes *bytes, const char *name, const SttMdef *mdef,
    GError **error);

/* ---- senone scoring ---------------------------------------------------------------------- */

/* The tables every scorer of one model shares: the model's files plus the precomputed
 * Gaussian weights (W = [x², x, 1] coefficients per stream) and weight lookups. Immutable. */
typedef struct _SttAcousticTables SttAcousticTables;

/* Check that the parts fit together (PTM: one codebook per CI phone, same streams and senone
 * count) and precompute. Takes its own references. */
SttAcousticTables *stt_acoustic_tables_new (SttMdef *mdef, SttGauden *means,
    SttGauden *variances, SttMixw *mixw, GError **error);
/* The tables of model @model (files am/mdef.bin, am/means.bin, am/variances.bin,
 * am/mixw.bin), built once per SttModel and shared by every caller (a new reference). */
SttAcousticTables *stt_acoustic_tables_from_model (SttModel *model, GError **error);
SttAcousticTables *stt_acoustic_tables_ref (SttAcousticTables *tables);
void stt_acoustic_tables_unref (SttAcousticTables *tables);
int stt_acoustic_tables_dim (const SttAcousticTables *tables);        /* features per frame */
int stt_acoustic_tables_n_senones (const SttAcousticTables *tables);
int stt_acoustic_tables_n_densities (const SttAcousticTables *tables);
SttMdef *stt_acoustic_tables_get_mdef (const SttAcousticTables *tables);
SttGauden *stt_acoustic_tables_get_means (const SttAcousticTables *tables);
SttGauden *stt_acoustic_tables_get_variances (const SttAcousticTables *tables);
SttMixw *stt_acoustic_tables_get_mixw (const SttAcousticTables *tables);
/* The variance floor applied before precomputing (Sphinx -varfloor). */
#define STT_AM_VARIANCE_FLOOR 1e-4f

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttAcousticTables, stt_acoustic_tables_unref)

/* One stream's scorer: scratch buffers over shared tables. Not thread-safe (one per stream);
 * any number of scorers may share one SttAcousticTables from different threads.
 *
 * Per frame, for every senone s of codebook m: score(s) = Σ_streams ln Σ_{g ∈ top-N(m,f)}
 * w_{s,f,g} N(x_f; μ_g, σ_g²), over the @top_n best Gaussians of each codebook and stream
 * (top_n >= n_densities = the exact full mixture), then shifted so that the best senone of
 * the frame is 0. Natural log, float32, as application/x-stt-scores. */
typedef struct _SttAcousticScorer SttAcousticScorer;

/* @use_blas: evaluate the Gaussians of up to @max_batch frames at once as one matrix product
 * per stream (OpenBLAS, one thread); FALSE: frame by frame in plain C. Without OpenBLAS at
 * build time, @use_blas is ignored. */
SttAcousticScorer *stt_acoustic_scorer_new (SttAcousticTables *tables, int top_n,
    gboolean use_blas, int max_batch);
void stt_acoustic_scorer_free (SttAcousticScorer *scorer);
/* Score @n_frames frames of @dim floats each (@feat, frame after frame) into @out
 * (@n_frames × n_senones floats). */
void stt_acoustic_scorer_score (SttAcousticScorer *scorer, const float *feat, int n_frames,
    float *out);
/* TRUE when this build has OpenBLAS. */
gboolean stt_acoustic_have_blas (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttAcousticScorer, stt_acoustic_scorer_free)

G_END_DECLS
