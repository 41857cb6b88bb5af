/* gst-stt — front-end parameters: Sphinx feat.params parsing and the derived tables.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fe-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

G_DEFINE_QUARK (stt-fe-error-quark, stt_fe_error)

SttFeParams *
stt_fe_params_new_default (void)
{
  SttFeParams *p = g_new0 (SttFeParams, 1);
  p->ref_count = 1;
  p->samprate = 16000;
  p->frate = 100;
  p->wlen = 0.025625f;
  p->nfft = 512;
  p->alpha = 0.97f;
  p->lowerf = 130.0f;
  p->upperf = 6800.0f;
  p->nfilt = 25;
  p->lifter = 22;
  p->cmn = STT_FE_CMN_BATCH;
  p->remove_noise = TRUE;
  p->remove_silence = TRUE;
  p->vad_threshold = 2.0f;
  p->vad_prespeech = 20;
  p->vad_startspeech = 10;
  p->vad_postspeech = 50;
  static const float cmninit[STT_FE_NCEP] = {
    41.00f, -5.29f, -0.12f, 5.09f, 2.48f, -4.07f, -1.37f, -1.78f, -5.08f, -2.05f, -6.45f,
    -1.42f, 1.17f,
  };
  memcpy (p->cmninit, cmninit, sizeof cmninit);
  if (!stt_fe_params_build (p, NULL))
    g_assert_not_reached ();    /* the defaults are in range */
  return p;
}

static void
free_tables (SttFeParams *p)
{
  if (p->filters)
    for (int i = 0; i < p->nfilt; i++)
      g_free (p->filters[i].weights);
  g_clear_pointer (&p->filters, g_free);
  g_clear_pointer (&p->window, g_free);
  g_clear_pointer (&p->dct, g_free);
  g_clear_pointer (&p->fft_cos, g_free);
  g_clear_pointer (&p->fft_sin, g_free);
  g_clear_pointer (&p->fft_bitrev, g_free);
}

SttFeParams *
stt_fe_params_ref (SttFeParams *params)
{
  g_atomic_int_inc (&params->ref_count);
  return params;
}

void
stt_fe_params_unref (SttFeParams *params)
{
  if (params && g_atomic_int_dec_and_test (&params->ref_count)) {
    free_tables (params);
    g_free (params);
  }
}

int stt_fe_params_get_sample_rate (const SttFeParams *p) { return p->samprate; }
int stt_fe_params_get_frame_rate (const SttFeParams *p) { return p->frate; }
int stt_fe_params_get_frame_size (const SttFeParams *p) { return p->frame_size; }
int stt_fe_params_get_frame_shift (const SttFeParams *p) { return p->frame_shift; }
int stt_fe_params_get_dimension (const SttFeParams *p) { return STT_FE_FEAT_DIM; }
const char *stt_fe_params_get_feature_type (const SttFeParams *p) { return "1s_c_d_dd"; }
SttFeCmn stt_fe_params_get_cmn (const SttFeParams *p) { return p->cmn; }
gboolean stt_fe_params_get_remove_noise (const SttFeParams *p) { return p->remove_noise; }
gboolean stt_fe_params_get_remove_silence (const SttFeParams *p) { return p->remove_silence; }
const float *stt_fe_params_get_cmninit (const SttFeParams *p) { return p->cmninit; }

/* ---- parsing ---------------------------------------------------------------------------- */

typedef struct {
  const char *path;
  int line;
  const char *key;
} Where;

static gboolean
fail (GError **error, int code, const Where *w, const char *fmt, const char *value)
{
  char *what = g_strdup_printf (fmt, value);
  g_set_error (error, STT_FE_ERROR, code, "%s:%d: option %s: %s", w->path, w->line, w->key,
      what);
  g_free (what);
  return FALSE;
}

static gboolean
parse_double (const char *value, double lo, double hi, double *out, const Where *w,
    GError **error)
{
  char *end;
  errno = 0;
  double v = g_ascii_strtod (value, &end);
  if (errno || end == value || *end || !isfinite (v))
    return fail (error, STT_FE_ERROR_PARSE, w, "'%s' is not a number", value);
  if (v < lo || v > hi) {
    char *range = g_strdup_printf ("%%s is out of range [%g, %g]", lo, hi);
    gboolean r = fail (error, STT_FE_ERROR_PARSE, w, range, value);
    g_free (range);
    return r;
  }
  *out = v;
  return TRUE;
}

static gboolean
parse_int (const char *value, int lo, int hi, int *out, const Where *w, GError **error)
{
  double v;
  if (!parse_double (value, lo, hi, &v, w, error))
    return FALSE;
  if (v != (int) v)
    return fail (error, STT_FE_ERROR_PARSE, w, "'%s' is not an integer", value);
  *out = (int) v;
  return TRUE;
}

static gboolean
parse_bool (const char *value, gboolean *out, const Where *w, GError **error)
{
  static const char *yes[] = {"yes", "true", "1", "y", "t", NULL};
  static const char *no[] = {"no", "false", "0", "n", "f", NULL};
  for (int i = 0; yes[i]; i++) {
    if (!g_ascii_strcasecmp (value, yes[i])) {
      *out = TRUE;
      return TRUE;
    }
    if (!g_ascii_strcasecmp (value, no[i])) {
      *out = FALSE;
      return TRUE;
    }
  }
  return fail (error, STT_FE_ERROR_PARSE, w, "'%s' is not yes or no", value);
}

/* The option must have one value; anything else is a model this front end cannot reproduce. */
static gboolean
require (const char *value, const char *wanted, const Where *w, GError **error)
{
  if (!g_ascii_strcasecmp (value, wanted))
    return TRUE;
  char *fmt = g_strdup_printf ("'%%s' is not supported (only '%s' is implemented)", wanted);
  gboolean r = fail (error, STT_FE_ERROR_UNSUPPORTED, w, fmt, value);
  g_free (fmt);
  return r;
}

static gboolean
parse_cmninit (const char *value, float *cmninit, const Where *w, GError **error)
{
  char **parts = g_strsplit (value, ",", -1);
  guint n = g_strv_length (parts);
  gboolean ok = n >= 1 && n <= STT_FE_NCEP;
  if (!ok)
    fail (error, STT_FE_ERROR_PARSE, w, "'%s' must be 1 to 13 comma-separated numbers", value);
  float v[STT_FE_NCEP] = {0};
  for (guint i = 0; ok && i < n; i++) {
    double d;
    ok = parse_double (g_strstrip (parts[i]), -1e6, 1e6, &d, w, error);
    v[i] = (float) d;
  }
  g_strfreev (parts);
  if (ok)
    memcpy (cmninit, v, sizeof v);
  return ok;
}

static gboolean
set_option (SttFeParams *p, const char *key, const char *value, const Where *w,
    GError **error)
{
  double d;
  if (!strcmp (key, "-samprate")) {
    if (!parse_double (value, 8000, 96000, &d, w, error))
      return FALSE;
    p->samprate = (int) d;
    return TRUE;
  }
  if (!strcmp (key, "-frate"))
    return parse_int (value, 1, 1000, &p->frate, w, error);
  if (!strcmp (key, "-nfft"))
    return parse_int (value, 64, STT_FE_MAX_NFFT, &p->nfft, w, error);
  if (!strcmp (key, "-nfilt"))
    return parse_int (value, 1, STT_FE_MAX_FILT, &p->nfilt, w, error);
  if (!strcmp (key, "-lifter"))
    return parse_int (value, 0, 1000, &p->lifter, w, error);
  if (!strcmp (key, "-ncep") || !strcmp (key, "-ceplen"))
    return require (value, "13", w, error);
  if (!strcmp (key, "-vad_prespeech"))
    return parse_int (value, 0, 1000, &p->vad_prespeech, w, error);
  if (!strcmp (key, "-vad_startspeech"))
    return parse_int (value, 1, 1000, &p->vad_startspeech, w, error);
  if (!strcmp (key, "-vad_postspeech"))
    return parse_int (value, 1, 100000, &p->vad_postspeech, w, error);
  struct { const char *key; float *dst; double lo, hi; } floats[] = {
    {"-wlen", &p->wlen, 0.001, 1.0},
    {"-alpha", &p->alpha, 0.0, 1.0},
    {"-lowerf", &p->lowerf, 0.0, 48000.0},
    {"-upperf", &p->upperf, 0.0, 48000.0},
    {"-vad_threshold", &p->vad_threshold, 0.0, 1000.0},
  };
  for (guint i = 0; i < G_N_ELEMENTS (floats); i++) {
    if (strcmp (key, floats[i].key))
      continue;
    if (!parse_double (value, floats[i].lo, floats[i].hi, &d, w, error))
      return FALSE;
    *floats[i].dst = (float) d;
    return TRUE;
  }
  if (!strcmp (key, "-remove_noise"))
    return parse_bool (value, &p->remove_noise, w, error);
  if (!strcmp (key, "-remove_silence"))
    return parse_bool (value, &p->remove_silence, w, error);
  if (!strcmp (key, "-cmninit"))
    return parse_cmninit (value, p->cmninit, w, error);
  if (!strcmp (key, "-cmn")) {
    if (!g_ascii_strcasecmp (value, "batch") || !g_ascii_strcasecmp (value, "current"))
      p->cmn = STT_FE_CMN_BATCH;
    else if (!g_ascii_strcasecmp (value, "live") || !g_ascii_strcasecmp (value, "prior"))
      p->cmn = STT_FE_CMN_LIVE;
    else if (!g_ascii_strcasecmp (value, "none"))
      p->cmn = STT_FE_CMN_NONE;
    else
      return fail (error, STT_FE_ERROR_PARSE, w, "'%s' is not none, live or batch", value);
    return TRUE;
  }
  /* Options whose only implemented value is the one Debian's model uses. */
  struct { const char *key, *value; } fixed[] = {
    {"-transform", "dct"}, {"-feat", "1s_c_d_dd"}, {"-agc", "none"}, {"-varnorm", "no"},
    {"-dither", "no"}, {"-remove_dc", "no"}, {"-unit_area", "yes"},
    {"-round_filters", "yes"}, {"-doublebw", "no"}, {"-warp_type", "inverse_linear"},
    {"-input_endian", "little"}, {"-logspec", "no"}, {"-smoothspec", "no"},
  };
  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++) {
    if (strcmp (key, fixed[i].key))
      continue;
    gboolean b;
    /* booleans may be spelled in any of Sphinx's ways */
    if (!strcmp (fixed[i].value, "yes") || !strcmp (fixed[i].value, "no")) {
      if (!parse_bool (value, &b, w, error))
        return FALSE;
      return b == !strcmp (fixed[i].value, "yes") ? TRUE
          : require (value, fixed[i].value, w, error);
    }
    return require (value, fixed[i].value, w, error);
  }
  if (!strcmp (key, "-warp_params") && *value)
    return fail (error, STT_FE_ERROR_UNSUPPORTED, w, "'%s': frequency warping is not "
        "implemented", value);
  return TRUE;                  /* an option of another stage (-model, -svspec, ...) */
}

static gboolean
parse_text (SttFeParams *p, const char *path, const char *text, GError **error)
{
  char **lines = g_strsplit (text, "\n", -1);
  gboolean ok = TRUE;
  Where w = {path, 0, ""};
  for (int l = 0; ok && lines[l]; l++) {
    w.line = l + 1;
    char *hash = strchr (lines[l], '#');
    if (hash)
      *hash = '\0';
    char **tok = g_strsplit_set (g_strstrip (lines[l]), " \t\r", -1);
    int n = 0;
    for (int i = 0; tok[i]; i++)
      if (*tok[i])
        tok[n++] = tok[i];
      else
        g_free (tok[i]);
    tok[n] = NULL;
    for (int i = 0; ok && i < n; i += 2) {
      w.key = tok[i];
      if (tok[i][0] != '-') {
        ok = fail (error, STT_FE_ERROR_PARSE, &w, "expected '-option value', found '%s'",
            tok[i]);
      } else if (i + 1 >= n) {
        ok = fail (error, STT_FE_ERROR_PARSE, &w, "%s", "has no value");
      } else {
        ok = set_option (p, tok[i], tok[i + 1], &w, error);
      }
    }
    g_strfreev (tok);
  }
  g_strfreev (lines);
  return ok;
}

SttFeParams *
stt_fe_params_parse (const char *text, gssize len, const char *name, GError **error)
{
  gsize n = len < 0 ? strlen (text) : (gsize) len;
  const char *nul = memchr (text, '\0', n);
  if (nul) {
    g_set_error (error, STT_FE_ERROR, STT_FE_ERROR_PARSE, "%s is not a text file (NUL byte at "
        "offset %zu); give the feat.params of a Sphinx acoustic model", name,
        (gsize) (nul - text));
    return NULL;
  }
  char *copy = g_strndup (text, n);
  SttFeParams *p = stt_fe_params_new_default ();
  free_tables (p);
  gboolean ok = parse_text (p, name, copy, error);
  g_free (copy);
  if (ok && !stt_fe_params_build (p, error)) {
    g_prefix_error (error, "%s: ", name);
    ok = FALSE;
  }
  if (!ok) {
    stt_fe_params_unref (p);
    return NULL;
  }
  return p;
}

SttFeParams *
stt_fe_params_load (const char *path, GError **error)
{
  char *text;
  gsize len;
  GError *err = NULL;
  if (!g_file_get_contents (path, &text, &len, &err)) {
    g_set_error (error, STT_FE_ERROR, STT_FE_ERROR_IO, "cannot read feat.params %s: %s", path,
        err->message);
    g_error_free (err);
    return NULL;
  }
  SttFeParams *p = stt_fe_params_parse (text, len, path, error);
  g_free (text);
  return p;
}

/* ---- derived tables (spec §2.2, 2.5, 2.7, 2.10, 2.11) ------------------------------------- */

static float
mel (double f)
{
  return (float) (2595.0 * log10 (1.0 + f / 700.0));
}

static float
mel_inverse (double m)
{
  return (float) (700.0 * (pow (10.0, m / 2595.0) - 1.0));
}

static gboolean
build_filters (SttFeParams *p, GError **error)
{
  float bin_hz = (float) p->samprate / (float) p->nfft;
  float mmin = mel (p->lowerf), mmax = mel (p->upperf);
  float bw = (float) (mmax - mmin) / (float) (p->nfilt + 1);
  int half = p->nfft / 2;
  p->filters = g_new0 (SttFeMelFilter, p->nfilt);
  for (int i = 0; i < p->nfilt; i++) {
    float e[3];
    for (int j = 0; j < 3; j++) {
      float m = (float) ((float) ((i + j) * bw) + mmin);
      float hz = mel_inverse (m);
      e[j] = (float) ((int) ((float) (hz / bin_hz) + 0.5) * bin_hz);
    }
    if (!(e[0] < e[1] && e[1] < e[2])) {
      g_set_error (error, STT_FE_ERROR, STT_FE_ERROR_UNSUPPORTED, "mel filter %d is empty "
          "(-nfilt %d is too many for -lowerf %g -upperf %g -nfft %d)", i, p->nfilt,
          p->lowerf, p->upperf, p->nfft);
      return FALSE;
    }
    int k = 0;
    while (k < half && k * bin_hz < e[0])
      k++;
    SttFeMelFilter *f = &p->filters[i];
    f->first = k;
    f->weights = g_new0 (float, half + 1);
    float area = (float) (2.0f / (float) (e[2] - e[0]));
    for (; k < half && !(k * bin_hz > e[2]); k++) {
      float h = k * bin_hz;
      float lo = (float) ((float) (h - e[0]) / (float) (e[1] - e[0]));
      float hi = (float) ((float) (e[2] - h) / (float) (e[2] - e[1]));
      lo = lo * area;
      hi = hi * area;
      f->weights[f->n++] = lo < hi ? lo : hi;
    }
  }
  return TRUE;
}

static void
build_fft (SttFeParams *p)
{
  int n = p->nfft / 2, bits = 0;
  while ((1 << bits) < n)
    bits++;
  p->fft_bitrev = g_new (int, n);
  for (int i = 0; i < n; i++) {
    int r = 0;
    for (int b = 0; b < bits; b++)
      if (i & (1 << b))
        r |= 1 << (bits - 1 - b);
    p->fft_bitrev[i] = r;
  }
  /* e^{-2 pi i k / nfft} for k < nfft/2: the half-size FFT uses every other one */
  p->fft_cos = g_new (double, n);
  p->fft_sin = g_new (double, n);
  for (int k = 0; k < n; k++) {
    p->fft_cos[k] = cos (2.0 * G_PI * k / p->nfft);
    p->fft_sin[k] = -sin (2.0 * G_PI * k / p->nfft);
  }
}

gboolean
stt_fe_params_build (SttFeParams *p, GError **error)
{
  if (p->nfft & (p->nfft - 1)) {
    g_set_error (error, STT_FE_ERROR, STT_FE_ERROR_UNSUPPORTED, "-nfft %d is not a power of 2",
        p->nfft);
    return FALSE;
  }
  p->frame_shift = (int) (p->samprate / (double) p->frate + 0.5);
  p->frame_size = (int) (p->wlen * p->samprate + 0.5);
  if (p->frame_size > p->nfft || p->frame_size < 2 || p->frame_shift < 1) {
    g_set_error (error, STT_FE_ERROR, STT_FE_ERROR_PARSE, "window of %d samples (-wlen %g at "
        "-samprate %d) does not fit -nfft %d; raise -nfft", p->frame_size, p->wlen,
        p->samprate, p->nfft);
    return FALSE;
  }
  if (p->frame_shift > p->frame_size) {
    g_set_error (error, STT_FE_ERROR, STT_FE_ERROR_UNSUPPORTED, "frames of %d samples every %d "
        "samples would skip audio (-wlen %g, -frate %d); raise -wlen or -frate",
        p->frame_size, p->frame_shift, p->wlen, p->frate);
    return FALSE;
  }
  if (!(p->lowerf < p->upperf && p->upperf <= p->samprate / 2.0)) {
    g_set_error (error, STT_FE_ERROR, STT_FE_ERROR_PARSE, "-lowerf %g and -upperf %g must "
        "satisfy lowerf < upperf <= samprate/2 (%d)", p->lowerf, p->upperf, p->samprate / 2);
    return FALSE;
  }
  if (p->nfilt < STT_FE_NCEP) {
    g_set_error (error, STT_FE_ERROR, STT_FE_ERROR_PARSE, "-nfilt %d is less than 13 cepstra",
        p->nfilt);
    return FALSE;
  }
  p->window = g_new (double, p->frame_size);
  for (int i = 0; i < p->frame_size; i++)
    p->window[i] = 0.54 - 0.46 * cos (2.0 * G_PI * i / (p->frame_size - 1));
  if (!build_filters (p, error))
    return FALSE;
  p->dct_c0 = (float) sqrt (1.0 / p->nfilt);
  p->dct_ci = (float) sqrt (2.0 / p->nfilt);
  p->dct = g_new (float, (STT_FE_NCEP - 1) * p->nfilt);
  for (int i = 1; i < STT_FE_NCEP; i++)
    for (int j = 0; j < p->nfilt; j++)
      p->dct[(i - 1) * p->nfilt + j] = (float) cos (G_PI * i * (j + 0.5) / p->nfilt);
  for (int i = 0; i < STT_FE_NCEP; i++)
    p->lifter_coef[i] = p->lifter > 0
        ? (float) (1.0 + (p->lifter / 2) * sin (G_PI * i / p->lifter)) : 1.0f;
  build_fft (p);
  return TRUE;
}
