/* gst-stt — front-end signal processing of one frame: real FFT, mel filterbank, log, DCT,
 * lifter (spec §2.6, 2.7, 2.9-2.11).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fe-private.h"

#include <math.h>

/* In-place radix-2 FFT of @n complex values (re, im interleaved), decimation in time. The
 * twiddles of p are those of nfft = 2n, so W_n^m = table[2m]. */
static void
complex_fft (const SttFeParams *p, double *z, int n)
{
  const int *rev = p->fft_bitrev;
  for (int i = 0; i < n; i++) {
    int j = rev[i];
    if (j > i) {
      double t0 = z[2 * i], t1 = z[2 * i + 1];
      z[2 * i] = z[2 * j];
      z[2 * i + 1] = z[2 * j + 1];
      z[2 * j] = t0;
      z[2 * j + 1] = t1;
    }
  }
  for (int size = 2; size <= n; size <<= 1) {
    int half = size / 2, step = 2 * (n / size);
    for (int start = 0; start < n; start += size) {
      for (int j = 0; j < half; j++) {
        double wr = p->fft_cos[j * step], wi = p->fft_sin[j * step];
        double *a = z + 2 * (start + j), *b = z + 2 * (start + j + half);
        double tr = wr * b[0] - wi * b[1];
        double ti = wr * b[1] + wi * b[0];
        b[0] = a[0] - tr;
        b[1] = a[1] - ti;
        a[0] += tr;
        a[1] += ti;
      }
    }
  }
}

void
stt_fe_power_spectrum (const SttFeParams *p, double *frame, double *power)
{
  /* The nfft reals are read as nfft/2 complex numbers (even samples real, odd imaginary);
   * one half-size complex FFT and a split step give the spectrum of the real signal. */
  int n = p->nfft / 2;
  complex_fft (p, frame, n);
  double *z = frame;
  double r0 = z[0] + z[1], rn = z[0] - z[1];
  power[0] = r0 * r0;
  power[n] = rn * rn;
  for (int k = 1; k < n; k++) {
    double a = z[2 * k], b = z[2 * k + 1];
    double c = z[2 * (n - k)], d = z[2 * (n - k) + 1];
    double er = 0.5 * (a + c), ei = 0.5 * (b - d);
    double orr = 0.5 * (b + d), oi = -0.5 * (a - c);
    double wr = p->fft_cos[k], wi = p->fft_sin[k];
    double re = er + wr * orr - wi * oi;
    double im = ei + wr * oi + wi * orr;
    power[k] = re * re + im * im;
  }
}

void
stt_fe_mel_energies (const SttFeParams *p, const double *power, double *mel)
{
  for (int i = 0; i < p->nfilt; i++) {
    const SttFeMelFilter *f = &p->filters[i];
    const double *pw = power + f->first;
    double e = 0.0;
    for (int k = 0; k < f->n; k++)
      e += pw[k] * f->weights[k];
    mel[i] = e;
  }
}

void
stt_fe_mel_cepstrum (const SttFeParams *p, double *mel, float *cep)
{
  int nf = p->nfilt;
  for (int j = 0; j < nf; j++)
    mel[j] = log (mel[j] + 1e-4);
  /* float32 running sums, as sphinx's mfcc_t accumulators */
  float a = 0.0f;
  for (int j = 0; j < nf; j++)
    a = (float) (a + mel[j]);
  cep[0] = a * p->dct_c0;
  for (int i = 1; i < STT_FE_NCEP; i++) {
    const float *c = p->dct + (i - 1) * nf;
    a = 0.0f;
    for (int j = 0; j < nf; j++)
      a = (float) (a + mel[j] * c[j]);
    cep[i] = a * p->dct_ci;
  }
  for (int i = 1; i < STT_FE_NCEP; i++)
    cep[i] = cep[i] * p->lifter_coef[i];
}
