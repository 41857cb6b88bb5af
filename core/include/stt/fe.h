/* gst-stt — the front end: 16 kHz S16 audio to Sphinx MFCC cepstra and 1s_c_d_dd features.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Reproduces Debian's pocketsphinx-en-us front end (sphinx_fe, float build) as described in
 * ../shared/spec/sphinx-model-formats.md §2: 410-sample Hamming frames every 160 samples,
 * pre-emphasis 0.97, 512-point power spectrum, 25 mel filters (130-6800 Hz), noise removal,
 * log, unitary DCT-II to 13 cepstra, sine lifter 22; then optional VAD frame selection,
 * cepstral mean normalisation (live or batch) and 1s_c_d_dd deltas (39 floats per frame).
 *
 * Usage:
 *   SttFeParams *p = stt_fe_params_load ("…/feat.params", &error);
 *   SttFe *fe = stt_fe_new (p);
 *   stt_fe_process (fe, samples, n);       (any chunking gives identical output)
 *   while ((n = stt_fe_read (fe, out, idx, max)) > 0) …
 *   stt_fe_end_utterance (fe);             (final partial frame, trailing deltas, batch CMN)
 *   … read again …
 *
 * Frame indices count frames from the start of the current utterance (0, 1, …); they restart
 * at 0 after stt_fe_end_utterance and stt_fe_reset. With VAD frame selection on, indices of
 * dropped frames are skipped, so a jump in indices marks removed silence; the feature
 * context (deltas) restarts at each speech segment as at an utterance start.
 *
 * Ownership: SttFeParams is reference counted and immutable once loaded. SttFe belongs to
 * its creator and holds a reference to its params.
 * Thread-safety: SttFeParams may be shared between threads; one SttFe is used by one thread
 * at a time.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define STT_FE_ERROR (stt_fe_error_quark ())
GQuark stt_fe_error_quark (void);
typedef enum {
  STT_FE_ERROR_IO,              /* the feat.params file cannot be read */
  STT_FE_ERROR_PARSE,           /* a line or value of feat.params is malformed */
  STT_FE_ERROR_UNSUPPORTED,     /* a valid option value this front end does not implement */
} SttFeError;

typedef enum {
  STT_FE_CMN_NONE,      /* cepstra are passed on unnormalised */
  STT_FE_CMN_LIVE,      /* running mean seeded from -cmninit, updated every frame (below) */
  STT_FE_CMN_BATCH,     /* mean of the whole utterance; output waits for its end */
  STT_FE_CMN_LIVE_SPHINX,  /* pocketsphinx's live CMN: -cmninit until 800 frames or an
                            * utterance end (for comparison) */
} SttFeCmn;

typedef enum {
  STT_FE_OUTPUT_FEATURES,  /* CMN + deltas: stt_fe_params_get_dimension floats per frame */
  STT_FE_OUTPUT_CEPSTRA,   /* raw cepstra before CMN and deltas (13 floats), like sphinx_fe */
} SttFeOutput;

/* The number of cepstra per frame and the feature dimension of 1s_c_d_dd. */
#define STT_FE_NCEP 13
#define STT_FE_FEAT_DIM 39

typedef struct _SttFeParams SttFeParams;

/* The parameters of Debian's pocketsphinx-en-us (spec §1: its feat.params on top of the
 * sphinx defaults): 16 kHz, 100 frames/s, 410-sample window, 512-point FFT, 25 filters
 * 130-6800 Hz, dct, lifter 22, 1s_c_d_dd, cmn batch, its -cmninit, remove_noise yes,
 * remove_silence yes (VAD threshold 2.0, prespeech 20, startspeech 10, postspeech 50).
 * stt_fe_params_load starts from these too. */
SttFeParams *stt_fe_params_new_default (void);

/* Read a Sphinx `feat.params` file (`-option value` pairs, one or more per line, '#' comments)
 * on top of the defaults. Options that change the algorithm to one not implemented here
 * (e.g. -transform htk, -feat s2_4x, -agc max, -varnorm yes, -dither yes) are refused with
 * STT_FE_ERROR_UNSUPPORTED; options of other stages (e.g. -model, -svspec) are accepted and
 * unknown ones ignored, as the decoder does. The error names the file, line and option. */
SttFeParams *stt_fe_params_load (const char *path, GError **error);
/* The same from the text of such a file (@len bytes, or NUL-terminated if @len < 0); @name
 * stands for the file in error messages. */
SttFeParams *stt_fe_params_parse (const char *text, gssize len, const char *name,
    GError **error);

SttFeParams *stt_fe_params_ref (SttFeParams *params);
void stt_fe_params_unref (SttFeParams *params);

int stt_fe_params_get_sample_rate (const SttFeParams *params);   /* Hz (16000) */
int stt_fe_params_get_frame_rate (const SttFeParams *params);    /* frames per second (100) */
int stt_fe_params_get_frame_size (const SttFeParams *params);    /* samples per frame (410) */
int stt_fe_params_get_frame_shift (const SttFeParams *params);   /* samples between frames (160) */
int stt_fe_params_get_dimension (const SttFeParams *params);     /* 39 */
const char *stt_fe_params_get_feature_type (const SttFeParams *params);  /* "1s_c_d_dd" */
/* The file's -cmn: batch (or current), none, or live (or prior), which selects
 * STT_FE_CMN_LIVE, not pocketsphinx's rule. */
SttFeCmn stt_fe_params_get_cmn (const SttFeParams *params);
gboolean stt_fe_params_get_remove_noise (const SttFeParams *params);
gboolean stt_fe_params_get_remove_silence (const SttFeParams *params);
/* The 13 initial means of live CMN (-cmninit). */
const float *stt_fe_params_get_cmninit (const SttFeParams *params);

typedef struct _SttFe SttFe;

/* A front end for one stream, initially with the params' remove_noise, remove_silence and
 * cmn settings and STT_FE_OUTPUT_FEATURES. */
SttFe *stt_fe_new (SttFeParams *params);
void stt_fe_free (SttFe *fe);

/* Settings; change them only at the start of a stream or utterance (before any sample of it
 * was processed) — they take effect at the next frame. */
void stt_fe_set_cmn (SttFe *fe, SttFeCmn cmn);
void stt_fe_set_remove_noise (SttFe *fe, gboolean remove_noise);
void stt_fe_set_remove_silence (SttFe *fe, gboolean remove_silence);
void stt_fe_set_output (SttFe *fe, SttFeOutput output);
/* Floats per output vector: 13 for cepstra, the params' dimension for features. */
int stt_fe_get_output_dimension (const SttFe *fe);

/* Feed @n_samples samples of the current utterance. Complete output vectors become readable
 * with stt_fe_read: a feature vector needs the cepstra of the 3 following frames, so frame t
 * is out once sample shift·(t+3) + size − 1 arrived (55.6 ms after its start at 16 kHz);
 * with batch CMN nothing is out before stt_fe_end_utterance.
 *
 * Live CMN (STT_FE_CMN_LIVE) subtracts from each frame a running mean that starts at the
 * params' -cmninit and follows the channel from the first frames on: a MAP estimate with
 * exponential forgetting. With x_0 … x_{K−1} the cepstra of the frames so far (this one
 * included) with c0 ≥ 0 (others are not counted, as in pocketsphinx), N0 = 100 (the weight
 * of -cmninit, in frames) and λ = 1 − 1/3000 (a time constant of 30 s):
 *   mean = (λ^K·N0·cmninit + Σ_k λ^(K−1−k)·x_k) / (λ^K·N0 + Σ_k λ^(K−1−k))
 * The sums are updated frame by frame and carried over utterances (reset by stt_fe_reset).
 * pocketsphinx's rule keeps -cmninit for the first 800 frames of a stream, far from the
 * channel of many recordings (docs/benchmarks.md "Live CMN").
 * STT_FE_CMN_LIVE_SPHINX follows pocketsphinx (spec §2.14) except that its mean is
 * re-estimated after every frame once more than 800 frames were summed, where pocketsphinx
 * checks after each block it was given: that keeps the output independent of chunking. */
void stt_fe_process (SttFe *fe, const gint16 *samples, gsize n_samples);

/* End the utterance: the final partial frame (if samples remain), batch CMN, the trailing
 * deltas (last frame replicated), the end-of-utterance update of STT_FE_CMN_LIVE_SPHINX.
 * Noise estimates and the live CMN mean carry over to the next utterance, as in
 * pocketsphinx. */
void stt_fe_end_utterance (SttFe *fe);

/* Back to the state of a new stream (noise estimates and live CMN mean too); pending output
 * is dropped. */
void stt_fe_reset (SttFe *fe);

/* Number of output vectors waiting to be read. */
gsize stt_fe_n_pending (const SttFe *fe);
/* Length of the run of consecutive frame indices at the head of the output; its first index
 * in @first_index (may be NULL). 0 when nothing is pending. */
gsize stt_fe_pending_run (const SttFe *fe, gint64 *first_index);
/* Move up to @max_vectors vectors into @out (output-dimension floats each) and their frame
 * indices into @indices (may be NULL). Returns the number moved. */
gsize stt_fe_read (SttFe *fe, float *out, gint64 *indices, gsize max_vectors);

/* The frames whose cepstra are computed but whose feature vectors are not out yet: the up to
 * 3 newest frames a vector's deltas wait for. Returns how many (0 with batch CMN, VAD frame
 * selection or cepstra output, where held frames are not simply the newest), their first
 * index in @first_index (may be NULL) and in @speech (may be NULL) whether the voice activity
 * detector (the one remove_silence uses, spec §2.12) deems any of them speech. This lets a
 * decoder end a phrase on a pause without waiting the 30 ms those frames' vectors need. */
gsize stt_fe_get_lookahead (const SttFe *fe, gint64 *first_index, gboolean *speech);
/* The index of the first frame of the run of frames the voice activity detector deems
 * non-speech that reaches to the newest frame; -1 when the newest frame is speech or none was
 * computed in this utterance. Where the speaker stopped, as the detector hears it. */
gint64 stt_fe_get_quiet_since (const SttFe *fe);

/* Frames produced since stt_fe_new / stt_fe_reset (before VAD selection). */
guint64 stt_fe_get_n_frames (const SttFe *fe);

G_END_DECLS
