/* gst-stt — front end internals shared by the files of core/fe.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stt/fe.h>

#define STT_FE_MAX_FILT 128
#define STT_FE_MAX_NFFT 4096

/* One mel filter: weights of DFT bins [first, first + n). */
typedef struct {
  int first;
  int n;
  float *weights;
} SttFeMelFilter;

struct _SttFeParams {
  gint ref_count;

  /* options (spec §1) */
  int samprate;
  int frate;
  float wlen;
  int nfft;
  float alpha;
  float lowerf, upperf;
  int nfilt;
  int lifter;
  SttFeCmn cmn;
  gboolean remove_noise;
  gboolean remove_silence;
  float vad_threshold;
  int vad_prespeech, vad_startspeech, vad_postspeech;
  float cmninit[STT_FE_NCEP];

  /* tables derived from the options (stt_fe_params_build) */
  int frame_shift;              /* samples between frame starts (160) */
  int frame_size;               /* samples per frame (410) */
  double *window;               /* frame_size Hamming weights */
  SttFeMelFilter *filters;      /* nfilt filters */
  float *dct;                   /* (ncep-1) x nfilt cosines, rows 1..ncep-1 */
  float dct_c0, dct_ci;         /* sqrt(1/nfilt), sqrt(2/nfilt) as float32 */
  float lifter_coef[STT_FE_NCEP];
  double *fft_cos, *fft_sin;    /* nfft/2 twiddles of the complex half-size FFT + split */
  int *fft_bitrev;              /* bit reversal of nfft/2 */
};

/* Compute the derived tables of @p from its options; FALSE + error if they are out of range. */
gboolean stt_fe_params_build (SttFeParams *p, GError **error);

/* Power spectrum of @frame (nfft doubles, destroyed) into @power (nfft/2+1 doubles). */
void stt_fe_power_spectrum (const SttFeParams *p, double *frame, double *power);

/* Mel energies (nfilt doubles) of a power spectrum. */
void stt_fe_mel_energies (const SttFeParams *p, const double *power, double *mel);

/* Log, DCT and lifter of mel energies (nfilt doubles, destroyed) into STT_FE_NCEP floats. */
void stt_fe_mel_cepstrum (const SttFeParams *p, double *mel, float *cep);

/* Noise removal and VAD decision state (spec §2.8). */
typedef struct {
  gboolean initialized;
  double power[STT_FE_MAX_FILT];
  double noise[STT_FE_MAX_FILT];
  double floor[STT_FE_MAX_FILT];
  double peak[STT_FE_MAX_FILT];
  double slow_peak;
} SttFeNoise;

/* Update the noise estimates from mel energies @mel (nfilt); when @remove_noise, scale @mel in
 * place. Returns the voice activity decision: whether the frame is speech (spec §2.12; used
 * for VAD frame selection and for stt_fe_get_lookahead). */
gboolean stt_fe_noise_process (SttFeNoise *noise, const SttFeParams *p, double *mel,
    gboolean remove_noise);
