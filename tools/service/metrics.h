/* gst-stt — the service's Prometheus metrics.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Counters, gauges and histograms kept by the service and rendered in the Prometheus text
 * exposition format (version 0.0.4) on GET /metrics. Thread-safety: main context only.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SttMetrics SttMetrics;

/* Error kinds counted by stt_metrics_error (label "kind" of stt_errors_total). */
#define STT_ERROR_KINDS "framing", "request_id", "audio_format", "auth", "language", \
    "too_many_streams", "audio_limit", "pipeline", "bad_request", "timeout"

SttMetrics *stt_metrics_new (void);
void stt_metrics_free (SttMetrics *m);

void stt_metrics_stream_started (SttMetrics *m);
/* @audio_seconds of audio recognized in @wall_seconds (from first audio to the last result). */
void stt_metrics_stream_finished (SttMetrics *m, double audio_seconds, double wall_seconds);
void stt_metrics_first_partial (SttMetrics *m, double seconds);   /* first audio -> partial */
void stt_metrics_final_latency (SttMetrics *m, double seconds);   /* end of audio -> final */
void stt_metrics_error (SttMetrics *m, const char *kind);
guint stt_metrics_get_active (const SttMetrics *m);

char *stt_metrics_render (const SttMetrics *m);

G_END_DECLS
