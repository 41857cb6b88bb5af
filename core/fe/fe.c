/* gst-stt — the per-stream front end: framing, VAD frame selection, CMN and deltas
 * (spec §2.2, 2.4, 2.5, 2.12, 2.14, 2.15).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fe-private.h"

#include <string.h>

#define CMN_WIN 500             /* frames the live mean keeps after a decay */
#define CMN_WIN_HWM 800         /* decay when more frames than this were summed */
#define DELTA_WIN 7             /* frames t-3 .. t+3 */
#define DITHER_SEED 12345u
#define DITHER_LSB 2            /* digital silence becomes uniform noise in [-2, 2] */
/* STT_FE_CMN_LIVE: the weight of -cmninit in frames and the forgetting time constant in
 * frames (chosen on the dev set, docs/benchmarks.md "Live CMN"). */
#define CMN_PRIOR_FRAMES 100.0
#define CMN_FORGET_FRAMES 3000.0

struct _SttFe {
  SttFeParams *p;
  SttFeCmn cmn;
  gboolean remove_noise, remove_silence;
  SttFeOutput output;

  /* framing: samples from the start of the next frame on */
  gint16 *samples;
  gsize n_samples, cap_samples;
  double prior;                 /* the sample before the next frame (0 at utterance start) */
  gint64 utt_frames;            /* frames of this utterance so far */
  guint64 total_frames;
  double *frame, *power, *mel;
  guint32 dither;               /* state of the digital-silence dither (see frame_cepstrum) */

  SttFeNoise noise;

  /* VAD frame selection: the frames before speech was confirmed, oldest first */
  gboolean in_speech;
  int pre, post;
  float *ring;                  /* ring_cap x NCEP */
  gint64 *ring_idx;
  int ring_cap, ring_head, ring_n;

  /* live CMN, Sphinx's rule */
  float live_mean[STT_FE_NCEP], live_sum[STT_FE_NCEP];
  int live_n;
  /* live CMN, running mean: forgotten sums of the prior and the counted frames */
  double run_sum[STT_FE_NCEP], run_n;

  /* batch CMN: the cepstra of the current segment */
  GArray *batch_cep, *batch_idx;

  /* deltas: the last DELTA_WIN normalised cepstra of the segment, padding included */
  float win[DELTA_WIN][STT_FE_NCEP];
  gint64 win_idx[DELTA_WIN];
  gboolean win_real[DELTA_WIN];
  int win_n;
  int win_held;                 /* real frames in the window whose vector is not out yet */

  /* the voice activity decisions of the latest frames, bit 0 the newest (stt_fe_get_lookahead) */
  guint32 vad_bits;
  gint64 quiet_since;           /* first frame of the newest run of non-speech frames, or -1 */

  /* output queue; vectors before out_head were read */
  GArray *out, *out_idx;
  gsize out_head;
};

SttFe *
stt_fe_new (SttFeParams *params)
{
  SttFe *fe = g_new0 (SttFe, 1);
  fe->p = stt_fe_params_ref (params);
  fe->cmn = params->cmn;
  fe->remove_noise = params->remove_noise;
  fe->remove_silence = params->remove_silence;
  fe->output = STT_FE_OUTPUT_FEATURES;
  fe->frame = g_new0 (double, params->nfft);
  fe->power = g_new0 (double, params->nfft / 2 + 1);
  fe->mel = g_new0 (double, params->nfilt);
  fe->ring_cap = params->vad_prespeech + 1;
  fe->ring = g_new0 (float, fe->ring_cap * STT_FE_NCEP);
  fe->ring_idx = g_new0 (gint64, fe->ring_cap);
  fe->batch_cep = g_array_new (FALSE, FALSE, sizeof (float));
  fe->batch_idx = g_array_new (FALSE, FALSE, sizeof (gint64));
  fe->out = g_array_new (FALSE, FALSE, sizeof (float));
  fe->out_idx = g_array_new (FALSE, FALSE, sizeof (gint64));
  stt_fe_reset (fe);
  return fe;
}

void
stt_fe_free (SttFe *fe)
{
  if (!fe)
    return;
  stt_fe_params_unref (fe->p);
  g_free (fe->samples);
  g_free (fe->frame);
  g_free (fe->power);
  g_free (fe->mel);
  g_free (fe->ring);
  g_free (fe->ring_idx);
  g_array_unref (fe->batch_cep);
  g_array_unref (fe->batch_idx);
  g_array_unref (fe->out);
  g_array_unref (fe->out_idx);
  g_free (fe);
}

void stt_fe_set_cmn (SttFe *fe, SttFeCmn cmn) { fe->cmn = cmn; }
void stt_fe_set_remove_noise (SttFe *fe, gboolean v) { fe->remove_noise = v; }
void stt_fe_set_remove_silence (SttFe *fe, gboolean v) { fe->remove_silence = v; }
void stt_fe_set_output (SttFe *fe, SttFeOutput output) { fe->output = output; }
guint64 stt_fe_get_n_frames (const SttFe *fe) { return fe->total_frames; }

int
stt_fe_get_output_dimension (const SttFe *fe)
{
  return fe->output == STT_FE_OUTPUT_CEPSTRA ? STT_FE_NCEP : STT_FE_FEAT_DIM;
}

/* Forget the current utterance's framing and selection state. */
static void
clear_utterance (SttFe *fe)
{
  fe->n_samples = 0;
  fe->prior = 0.0;
  fe->utt_frames = 0;
  fe->in_speech = FALSE;
  fe->pre = fe->post = 0;
  fe->ring_head = fe->ring_n = 0;
  g_array_set_size (fe->batch_cep, 0);
  g_array_set_size (fe->batch_idx, 0);
  fe->win_n = 0;
  fe->win_held = 0;
  fe->vad_bits = 0;
  fe->quiet_since = -1;
}

void
stt_fe_reset (SttFe *fe)
{
  clear_utterance (fe);
  memset (&fe->noise, 0, sizeof fe->noise);
  memcpy (fe->live_mean, fe->p->cmninit, sizeof fe->live_mean);
  memset (fe->live_sum, 0, sizeof fe->live_sum);
  fe->live_n = 0;
  for (int i = 0; i < STT_FE_NCEP; i++)
    fe->run_sum[i] = CMN_PRIOR_FRAMES * fe->p->cmninit[i];
  fe->run_n = CMN_PRIOR_FRAMES;
  fe->total_frames = 0;
  fe->dither = DITHER_SEED;
  g_array_set_size (fe->out, 0);
  g_array_set_size (fe->out_idx, 0);
  fe->out_head = 0;
}

/* ---- output queue ---------------------------------------------------------------------- */

static void
emit (SttFe *fe, const float *v, gint64 idx)
{
  g_array_append_vals (fe->out, v, stt_fe_get_output_dimension (fe));
  g_array_append_val (fe->out_idx, idx);
}

gsize
stt_fe_n_pending (const SttFe *fe)
{
  return fe->out_idx->len - fe->out_head;
}

gsize
stt_fe_pending_run (const SttFe *fe, gint64 *first_index)
{
  gsize n = stt_fe_n_pending (fe);
  if (n == 0)
    return 0;
  const gint64 *idx = &g_array_index (fe->out_idx, gint64, fe->out_head);
  gsize run = 1;
  while (run < n && idx[run] == idx[0] + (gint64) run)
    run++;
  if (first_index)
    *first_index = idx[0];
  return run;
}

gsize
stt_fe_read (SttFe *fe, float *out, gint64 *indices, gsize max_vectors)
{
  gsize n = MIN (max_vectors, stt_fe_n_pending (fe));
  gsize dim = stt_fe_get_output_dimension (fe);
  if (n == 0)
    return 0;
  memcpy (out, &g_array_index (fe->out, float, fe->out_head * dim), n * dim * sizeof (float));
  if (indices)
    memcpy (indices, &g_array_index (fe->out_idx, gint64, fe->out_head), n * sizeof (gint64));
  fe->out_head += n;
  if (fe->out_head == fe->out_idx->len) {
    g_array_set_size (fe->out, 0);
    g_array_set_size (fe->out_idx, 0);
    fe->out_head = 0;
  }
  return n;
}

/* ---- deltas (§2.15) -------------------------------------------------------------------- */

static void
window_push (SttFe *fe, const float *c, gint64 idx, gboolean real)
{
  if (fe->win_n == DELTA_WIN) {
    memmove (fe->win[0], fe->win[1], sizeof fe->win[0] * (DELTA_WIN - 1));
    memmove (fe->win_idx, fe->win_idx + 1, sizeof fe->win_idx[0] * (DELTA_WIN - 1));
    memmove (fe->win_real, fe->win_real + 1, sizeof fe->win_real[0] * (DELTA_WIN - 1));
    fe->win_n--;
  }
  memcpy (fe->win[fe->win_n], c, sizeof fe->win[0]);
  fe->win_idx[fe->win_n] = idx;
  fe->win_real[fe->win_n] = real;
  fe->win_n++;
  fe->win_held += real;
  if (fe->win_n < DELTA_WIN || !fe->win_real[3])
    return;
  fe->win_held--;
  float f[STT_FE_FEAT_DIM];
  float (*w)[STT_FE_NCEP] = fe->win;
  for (int i = 0; i < STT_FE_NCEP; i++) {
    f[i] = w[3][i];
    f[STT_FE_NCEP + i] = w[5][i] - w[1][i];
    float d1 = w[6][i] - w[2][i];
    float d2 = w[4][i] - w[0][i];
    f[2 * STT_FE_NCEP + i] = d1 - d2;
  }
  emit (fe, f, fe->win_idx[3]);
}

/* A normalised frame of the segment: the first is also replicated 3 times before it. */
static void
deltas_push (SttFe *fe, const float *c, gint64 idx)
{
  if (fe->win_n == 0)
    for (int i = 0; i < 3; i++)
      window_push (fe, c, idx, FALSE);
  window_push (fe, c, idx, TRUE);
}

/* End of segment: the last frame replicated 3 times after it. */
static void
deltas_end (SttFe *fe)
{
  if (fe->win_n == 0)
    return;
  float last[STT_FE_NCEP];
  memcpy (last, fe->win[fe->win_n - 1], sizeof last);
  gint64 idx = fe->win_idx[fe->win_n - 1];
  for (int i = 0; i < 3; i++)
    window_push (fe, last, idx, FALSE);
  fe->win_n = 0;
  fe->win_held = 0;
}

/* ---- CMN (§2.14) ----------------------------------------------------------------------- */

static void
live_update (SttFe *fe)
{
  for (int i = 0; i < STT_FE_NCEP; i++)
    fe->live_mean[i] = fe->live_sum[i] / fe->live_n;
  if (fe->live_n > CMN_WIN_HWM) {
    float sf = (1.0f / fe->live_n) * CMN_WIN;
    for (int i = 0; i < STT_FE_NCEP; i++)
      fe->live_sum[i] *= sf;
    fe->live_n = CMN_WIN;
  }
}

/* Normalise @c in place with the running mean; the window check runs after every frame so
 * that the output does not depend on how the input was chunked. */
static void
live_cmn (SttFe *fe, float *c)
{
  if (c[0] < 0.0f)
    return;
  for (int i = 0; i < STT_FE_NCEP; i++) {
    fe->live_sum[i] += c[i];
    c[i] -= fe->live_mean[i];
  }
  fe->live_n++;
  if (fe->live_n > CMN_WIN_HWM)
    live_update (fe);
}

/* STT_FE_CMN_LIVE (fe.h): fold @c into the forgotten sums if it counts, then subtract their
 * mean. The sums start as the prior (CMN_PRIOR_FRAMES frames at -cmninit). */
static void
running_cmn (SttFe *fe, float *c)
{
  if (c[0] >= 0.0f) {
    const double keep = 1.0 - 1.0 / CMN_FORGET_FRAMES;
    for (int i = 0; i < STT_FE_NCEP; i++)
      fe->run_sum[i] = keep * fe->run_sum[i] + c[i];
    fe->run_n = keep * fe->run_n + 1.0;
  }
  for (int i = 0; i < STT_FE_NCEP; i++)
    c[i] = (float) (c[i] - fe->run_sum[i] / fe->run_n);
}

static void
batch_cmn_flush (SttFe *fe)
{
  guint n = fe->batch_idx->len;
  float *cep = (float *) fe->batch_cep->data;
  float sum[STT_FE_NCEP] = {0};
  int counted = 0;
  for (guint f = 0; f < n; f++) {
    const float *c = cep + f * STT_FE_NCEP;
    if (c[0] < 0.0f)
      continue;
    for (int i = 0; i < STT_FE_NCEP; i++)
      sum[i] += c[i];
    counted++;
  }
  /* No frame with c0 >= 0 (silence only): there is no mean to subtract. */
  if (counted > 0)
    for (int i = 0; i < STT_FE_NCEP; i++)
      sum[i] /= counted;
  for (guint f = 0; f < n; f++) {
    float *c = cep + f * STT_FE_NCEP;
    for (int i = 0; i < STT_FE_NCEP; i++)
      c[i] -= sum[i];
    deltas_push (fe, c, g_array_index (fe->batch_idx, gint64, f));
  }
  g_array_set_size (fe->batch_cep, 0);
  g_array_set_size (fe->batch_idx, 0);
}

/* ---- segments: the frames between utterance (or VAD speech) start and end --------------- */

static void
segment_push (SttFe *fe, const float *cep, gint64 idx)
{
  if (fe->output == STT_FE_OUTPUT_CEPSTRA) {
    emit (fe, cep, idx);
    return;
  }
  if (fe->cmn == STT_FE_CMN_BATCH) {
    g_array_append_vals (fe->batch_cep, cep, STT_FE_NCEP);
    g_array_append_val (fe->batch_idx, idx);
    return;
  }
  float c[STT_FE_NCEP];
  memcpy (c, cep, sizeof c);
  if (fe->cmn == STT_FE_CMN_LIVE_SPHINX)
    live_cmn (fe, c);
  else if (fe->cmn == STT_FE_CMN_LIVE)
    running_cmn (fe, c);
  deltas_push (fe, c, idx);
}

static void
segment_end (SttFe *fe)
{
  if (fe->output == STT_FE_OUTPUT_CEPSTRA)
    return;
  if (fe->cmn == STT_FE_CMN_BATCH)
    batch_cmn_flush (fe);
  else if (fe->cmn == STT_FE_CMN_LIVE_SPHINX && fe->live_n > 0)
    live_update (fe);
  deltas_end (fe);
}

/* ---- VAD frame selection (§2.12) ------------------------------------------------------- */

static void
ring_push (SttFe *fe, const float *cep, gint64 idx)
{
  int slot = (fe->ring_head + fe->ring_n) % fe->ring_cap;
  if (fe->ring_n == fe->ring_cap) {
    fe->ring_head = (fe->ring_head + 1) % fe->ring_cap;
    fe->ring_n--;
  }
  memcpy (fe->ring + slot * STT_FE_NCEP, cep, STT_FE_NCEP * sizeof (float));
  fe->ring_idx[slot] = idx;
  fe->ring_n++;
}

static void
vad_select (SttFe *fe, const float *cep, gint64 idx, gboolean speech)
{
  const SttFeParams *p = fe->p;
  if (!fe->in_speech)
    ring_push (fe, cep, idx);
  if (speech) {
    fe->post = 0;
    if (!fe->in_speech && ++fe->pre >= p->vad_startspeech) {
      fe->pre = 0;
      fe->in_speech = TRUE;
    }
  } else {
    fe->pre = 0;
    if (fe->in_speech && ++fe->post >= p->vad_postspeech) {
      fe->post = 0;
      fe->in_speech = FALSE;
      fe->ring_n = fe->ring_head = 0;
      segment_end (fe);
    }
  }
  if (!fe->in_speech)
    return;
  if (fe->ring_n == 0) {
    segment_push (fe, cep, idx);
    return;
  }
  for (int i = 0; i < fe->ring_n; i++) {
    int slot = (fe->ring_head + i) % fe->ring_cap;
    segment_push (fe, fe->ring + slot * STT_FE_NCEP, fe->ring_idx[slot]);
  }
  fe->ring_n = fe->ring_head = 0;
}

/* ---- framing (§2.2-2.5) ---------------------------------------------------------------- */

/* Cepstra of the frame made of @len samples (len <= frame_size, zero-padded). */
static gboolean
frame_cepstrum (SttFe *fe, const gint16 *s, int len, float *cep)
{
  const SttFeParams *p = fe->p;
  double alpha = p->alpha, prev = fe->prior;
  double *frame = fe->frame;
  int nonzero = 0;
  for (int i = 0; i < len && !nonzero; i++)
    nonzero = s[i] != 0;
  if (nonzero) {
    for (int i = 0; i < len; i++) {
      frame[i] = (s[i] - alpha * prev) * p->window[i];
      prev = s[i];
    }
  } else {
    /* Digital silence (every sample exactly 0) has no spectrum: its log energies sit at the
     * 1e-4 floor, far from anything the acoustic model was trained on, and it scores as
     * speech. It gets the quietest real-room noise instead, a few LSB of deterministic
     * pseudo-random dither (sphinx's -dither, but on silent frames only, so recordings
     * with any signal are unchanged). */
    for (int i = 0; i < len; i++) {
      fe->dither = fe->dither * 1664525u + 1013904223u;
      double d = (double) ((fe->dither >> 16) % (2 * DITHER_LSB + 1)) - DITHER_LSB;
      frame[i] = (d - alpha * prev) * p->window[i];
      prev = d;
    }
  }
  for (int i = len; i < p->nfft; i++)
    frame[i] = 0.0;
  stt_fe_power_spectrum (p, frame, fe->power);
  stt_fe_mel_energies (p, fe->power, fe->mel);
  gboolean speech = stt_fe_noise_process (&fe->noise, p, fe->mel, fe->remove_noise);
  stt_fe_mel_cepstrum (p, fe->mel, cep);
  fe->total_frames++;
  return speech;
}

static void
process_frame (SttFe *fe, const gint16 *s, int len, gboolean last)
{
  float cep[STT_FE_NCEP];
  gboolean speech = frame_cepstrum (fe, s, len, cep);
  fe->vad_bits = (fe->vad_bits << 1) | (speech ? 1u : 0u);
  gint64 idx = fe->utt_frames++;
  if (speech)
    fe->quiet_since = -1;
  else if (fe->quiet_since < 0)
    fe->quiet_since = idx;
  /* with VAD, the utterance's final partial frame is kept only if speech is going on */
  if (!fe->remove_silence || (last && fe->in_speech))
    segment_push (fe, cep, idx);
  else if (!last)
    vad_select (fe, cep, idx, speech);
}

void
stt_fe_process (SttFe *fe, const gint16 *samples, gsize n_samples)
{
  const SttFeParams *p = fe->p;
  if (fe->n_samples + n_samples > fe->cap_samples) {
    fe->cap_samples = MAX (fe->n_samples + n_samples, 2 * fe->cap_samples);
    fe->samples = g_renew (gint16, fe->samples, fe->cap_samples);
  }
  memcpy (fe->samples + fe->n_samples, samples, n_samples * sizeof (gint16));
  fe->n_samples += n_samples;
  gsize pos = 0;
  while (fe->n_samples - pos >= (gsize) p->frame_size) {
    process_frame (fe, fe->samples + pos, p->frame_size, FALSE);
    fe->prior = fe->samples[pos + p->frame_shift - 1];
    pos += p->frame_shift;
  }
  if (pos > 0) {
    memmove (fe->samples, fe->samples + pos, (fe->n_samples - pos) * sizeof (gint16));
    fe->n_samples -= pos;
  }
}

gsize
stt_fe_get_lookahead (const SttFe *fe, gint64 *first_index, gboolean *speech)
{
  /* Only where every frame goes straight into the delta window are the held frames the
   * newest ones: batch CMN holds the whole segment, VAD selection drops and delays frames. */
  gsize n = fe->output == STT_FE_OUTPUT_FEATURES && fe->cmn != STT_FE_CMN_BATCH
      && !fe->remove_silence ? (gsize) fe->win_held : 0;
  if (first_index)
    *first_index = fe->utt_frames - (gint64) n;
  if (speech)
    *speech = n > 0 && (fe->vad_bits & ((1u << n) - 1)) != 0;
  return n;
}

gint64
stt_fe_get_quiet_since (const SttFe *fe)
{
  return fe->quiet_since;
}

void
stt_fe_end_utterance (SttFe *fe)
{
  if (fe->n_samples > 0)
    process_frame (fe, fe->samples, (int) fe->n_samples, TRUE);
  if (!fe->remove_silence || fe->in_speech)
    segment_end (fe);
  clear_utterance (fe);
}
