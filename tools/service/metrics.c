/* gst-stt — the service's Prometheus metrics.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "metrics.h"

#include <string.h>

static const double latency_bounds[] = { 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10 };
static const double rtf_bounds[] = { 0.05, 0.1, 0.25, 0.5, 1, 2, 4 };
static const char *const error_kinds[] = { STT_ERROR_KINDS };

typedef struct {
  const double *bounds;
  guint n_bounds;
  guint64 *counts;              /* per bucket, not cumulative */
  guint64 count;
  double sum;
} Histogram;

struct _SttMetrics {
  guint active;
  guint64 total;
  double audio_seconds;
  Histogram first_partial, final_latency, rtf;
  guint64 errors[G_N_ELEMENTS (error_kinds)];
};

static void
histogram_init (Histogram *h, const double *bounds, guint n)
{
  h->bounds = bounds;
  h->n_bounds = n;
  h->counts = g_new0 (guint64, n);
}

static void
histogram_observe (Histogram *h, double v)
{
  for (guint i = 0; i < h->n_bounds; i++) {
    if (v <= h->bounds[i]) {
      h->counts[i]++;
      break;
    }
  }
  h->count++;
  h->sum += v;
}

static void
histogram_render (const Histogram *h, GString *out, const char *name, const char *help)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
  guint64 cum = 0;
  char num[G_ASCII_DTOSTR_BUF_SIZE];
  for (guint i = 0; i < h->n_bounds; i++) {
    cum += h->counts[i];
    g_string_append_printf (out, "%s_bucket{le=\"%s\"} %" G_GUINT64_FORMAT "\n", name,
        g_ascii_dtostr (num, sizeof num, h->bounds[i]), cum);
  }
  g_string_append_printf (out, "%s_bucket{le=\"+Inf\"} %" G_GUINT64_FORMAT "\n", name, h->count);
  g_string_append_printf (out, "%s_sum %s\n", name, g_ascii_dtostr (num, sizeof num, h->sum));
  g_string_append_printf (out, "%s_count %" G_GUINT64_FORMAT "\n", name, h->count);
}

SttMetrics *
stt_metrics_new (void)
{
  SttMetrics *m = g_new0 (SttMetrics, 1);
  histogram_init (&m->first_partial, latency_bounds, G_N_ELEMENTS (latency_bounds));
  histogram_init (&m->final_latency, latency_bounds, G_N_ELEMENTS (latency_bounds));
  histogram_init (&m->rtf, rtf_bounds, G_N_ELEMENTS (rtf_bounds));
  return m;
}

void
stt_metrics_free (SttMetrics *m)
{
  if (!m)
    return;
  g_free (m->first_partial.counts);
  g_free (m->final_latency.counts);
  g_free (m->rtf.counts);
  g_free (m);
}

void
stt_metrics_stream_started (SttMetrics *m)
{
  m->active++;
  m->total++;
}

void
stt_metrics_stream_finished (SttMetrics *m, double audio_seconds, double wall_seconds)
{
  g_return_if_fail (m->active > 0);
  m->active--;
  m->audio_seconds += audio_seconds;
  if (audio_seconds > 0)
    histogram_observe (&m->rtf, wall_seconds / audio_seconds);
}

void
stt_metrics_first_partial (SttMetrics *m, double seconds)
{
  histogram_observe (&m->first_partial, seconds);
}

void
stt_metrics_final_latency (SttMetrics *m, double seconds)
{
  histogram_observe (&m->final_latency, seconds);
}

void
stt_metrics_error (SttMetrics *m, const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_kinds); i++) {
    if (strcmp (kind, error_kinds[i]) == 0) {
      m->errors[i]++;
      return;
    }
  }
  g_warn_if_reached ();
}

guint
stt_metrics_get_active (const SttMetrics *m)
{
  return m->active;
}

char *
stt_metrics_render (const SttMetrics *m)
{
  GString *out = g_string_new (NULL);
  char num[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append_printf (out, "# HELP stt_streams_active Recognition streams running now.\n"
      "# TYPE stt_streams_active gauge\nstt_streams_active %u\n", m->active);
  g_string_append_printf (out, "# HELP stt_streams_total Recognition streams started.\n"
      "# TYPE stt_streams_total counter\nstt_streams_total %" G_GUINT64_FORMAT "\n", m->total);
  g_string_append_printf (out, "# HELP stt_audio_seconds_total Seconds of audio recognized "
      "by finished streams.\n# TYPE stt_audio_seconds_total counter\n"
      "stt_audio_seconds_total %s\n", g_ascii_dtostr (num, sizeof num, m->audio_seconds));
  histogram_render (&m->rtf, out, "stt_real_time_factor",
      "Wall time from first audio to last result divided by audio duration, per stream.");
  histogram_render (&m->first_partial, out, "stt_first_partial_latency_seconds",
      "Time from a stream's first audio to its first partial result.");
  histogram_render (&m->final_latency, out, "stt_final_latency_seconds",
      "Time from the end of a stream's audio to its last final result.");
  g_string_append (out, "# HELP stt_errors_total Requests refused or failed, by kind.\n"
      "# TYPE stt_errors_total counter\n");
  for (guint i = 0; i < G_N_ELEMENTS (error_kinds); i++)
    g_string_append_printf (out, "stt_errors_total{kind=\"%s\"} %" G_GUINT64_FORMAT "\n",
        error_kinds[i], m->errors[i]);
  return g_string_free (out, FALSE);
}
