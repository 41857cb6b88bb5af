/* gst-stt — the layout of the shared scoring tables (core/am internal).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "am-private.h"

#define STT_AM_MAX_STREAMS 8

struct _SttAcousticTables {
  gint refcount;
  SttMdef *mdef;
  SttGauden *means, *vars;
  SttMixw *mixw;
  int n_mgau, n_feat, n_density, dim, n_sen;
  int veclen[STT_AM_MAX_STREAMS], offset[STT_AM_MAX_STREAMS];
  /* per stream f, G = n_mgau·n_density Gaussians, column m·n_density + g: */
  float *w[STT_AM_MAX_STREAMS];    /* (2·veclen+1) × G: rows −h (x²), 2hμ (x), constant */
  float *h[STT_AM_MAX_STREAMS];    /* G × veclen: 1/(2σ²) (plain path) */
  float *cst[STT_AM_MAX_STREAMS];  /* G: −½Σ ln 2πσ² (plain path) */
  int *sen2cb;                     /* codebook of each senone */
  int *cb_senones;                 /* senone ids grouped by codebook (n_sen) */
  int *cb_start;                   /* codebook m's senones: cb_senones[cb_start[m] ..
                                    * cb_start[m + 1]) */
  gboolean no_underflow;           /* a product over the streams cannot underflow a float */
  const guint8 *q;                 /* mixture weights [f][codeword][senone] */
  float wlin[256];                 /* linear weight of each quantised value */
};

