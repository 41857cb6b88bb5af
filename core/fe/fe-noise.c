/* gst-stt — front-end noise removal and the per-frame speech decision (spec §2.8).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fe-private.h"

#include <math.h>

#define LAMBDA_POWER 0.7
#define LAMBDA_A 0.995
#define LAMBDA_B 0.5
#define LAMBDA_T 0.85
#define MU_T 0.2
#define MAX_GAIN 20.0
#define SLOW_PEAK_FORGET 0.9995
#define SLOW_PEAK_LEARN 0.9
#define SPEECH_VOLUME_RANGE 8.0
#define SMOOTH_WINDOW 4

/* Track the lower envelope of @buf in @floor: rise slowly, fall fast. */
static void
lower_envelope (const double *buf, double *floor, int n)
{
  for (int i = 0; i < n; i++) {
    if (buf[i] >= floor[i])
      floor[i] = LAMBDA_A * floor[i] + (1.0 - LAMBDA_A) * buf[i];
    else
      floor[i] = LAMBDA_B * floor[i] + (1.0 - LAMBDA_B) * buf[i];
  }
}

/* Whether the frame is far below the slowly tracked speech level. */
static gboolean
is_quiet (SttFeNoise *s, const double *signal, int n)
{
  double sum = 0.0;
  for (int i = 0; i < n; i++)
    sum += signal[i];
  sum = log (sum);
  double a = sum > s->slow_peak ? SLOW_PEAK_LEARN : SLOW_PEAK_FORGET;
  s->slow_peak = s->slow_peak * a + sum * (1.0 - a);
  return s->slow_peak - SPEECH_VOLUME_RANGE > sum;
}

static void
temporal_masking (double *signal, double *peak, int n)
{
  for (int i = 0; i < n; i++) {
    double in = signal[i];
    peak[i] *= LAMBDA_T;
    if (signal[i] < LAMBDA_T * peak[i])
      signal[i] = peak[i] * MU_T;
    if (in > peak[i])
      peak[i] = in;
  }
}

/* Multiply each energy by the mean gain of its neighbourhood of +-SMOOTH_WINDOW filters. */
static void
weight_smooth (double *mel, const double *gain, int n)
{
  for (int i = 0; i < n; i++) {
    int lo = MAX (i - SMOOTH_WINDOW, 0), hi = MIN (i + SMOOTH_WINDOW, n - 1);
    double g = 0.0;
    for (int j = lo; j <= hi; j++)
      g += gain[j];
    mel[i] *= g / (hi - lo + 1);
  }
}

gboolean
stt_fe_noise_process (SttFeNoise *s, const SttFeParams *p, double *mel,
    gboolean remove_noise)
{
  int n = p->nfilt;
  double signal[STT_FE_MAX_FILT], gain[STT_FE_MAX_FILT];

  if (!s->initialized) {
    s->slow_peak = 0.0;
    for (int i = 0; i < n; i++) {
      s->power[i] = mel[i];
      s->noise[i] = s->floor[i] = mel[i] / MAX_GAIN;
      s->peak[i] = 0.0;
    }
    s->initialized = TRUE;
  }
  for (int i = 0; i < n; i++)
    s->power[i] = LAMBDA_POWER * s->power[i] + (1.0 - LAMBDA_POWER) * mel[i];
  lower_envelope (s->power, s->noise, n);

  double lrt = 0.0;
  for (int i = 0; i < n; i++) {
    signal[i] = s->power[i] - s->noise[i];
    if (signal[i] < 1.0)
      signal[i] = 1.0;
    double snr = log (s->power[i] / s->noise[i]);
    if (snr > lrt)
      lrt = snr;
  }
  gboolean quiet = is_quiet (s, signal, n);
  gboolean speech = !(lrt < p->vad_threshold || quiet);

  lower_envelope (signal, s->floor, n);
  temporal_masking (signal, s->peak, n);
  if (!remove_noise)
    return speech;

  for (int i = 0; i < n; i++) {
    if (signal[i] < s->floor[i])
      signal[i] = s->floor[i];
    gain[i] = signal[i] < MAX_GAIN * s->power[i] ? signal[i] / s->power[i] : MAX_GAIN;
    if (gain[i] < 1.0 / MAX_GAIN)
      gain[i] = 1.0 / MAX_GAIN;
  }
  weight_smooth (mel, gain, n);
  return speech;
}
