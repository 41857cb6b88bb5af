/* gst-stt — the speech service on port 5000 (Speech SDK WebSocket protocol, REST, health,
 * metrics, web page). Used by stt-container (tools/container/), which builds the config.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Ownership: the service copies what it needs from the config. Thread-safety: create, run and
 * stop from one thread (the one running the GMainContext the service was created in); the
 * usage callback is called from that thread too.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define STT_SERVICE_ERROR (stt_service_error_quark ())
GQuark stt_service_error_quark (void);
typedef enum {
  STT_SERVICE_ERROR_CONFIG,     /* the config is unusable (bad pipeline, port in use, ...) */
} SttServiceError;

/* Called once per finished request (a WebSocket turn or a REST call) with the audio it
 * consumed, so the container can append a usage record before the result is returned. */
typedef gboolean (*SttServiceUsageFunc) (const char *model_id, double audio_seconds,
    const char *endpoint, gpointer user_data, GError **error);

typedef struct {
  const char *host;             /* address to bind; NULL = all interfaces */
  guint port;                   /* 0 = any free port (see stt_service_get_port) */
  /* gst-launch fragment from audio/x-raw S16LE 16 kHz mono to application/x-stt-result, e.g.
   * "sttfeatures ! sttacoustic model=ID ! sttdecoder model=ID ! sttitn". One copy per stream. */
  const char *pipeline;
  const char *model_id;         /* reported in /status and results */
  const char *locale;           /* e.g. "en-US"; requests for another language are refused */
  guint max_streams;            /* concurrent streams; 0 = unlimited */
  guint max_audio_seconds;      /* per request; 0 = unlimited */
  const char *api_key;          /* when set, clients must send it; NULL = no client auth */
  /* Slow or idle clients (0 = the default in brackets). A request whose headers have not all
   * arrived this long after it started (for a kept-alive connection: after the previous
   * response) is dropped by closing its connection [10 s]. */
  guint header_timeout_seconds;
  /* A request body, or a WebSocket turn in progress, that receives nothing for this long is
   * dropped: the body's connection is closed, the turn ends with an in-band Error [30 s]. */
  guint idle_timeout_seconds;
  /* A WebSocket connection with no turn in progress that receives nothing for this long is
   * closed with 1000 [180 s, the cloud service's idle limit]. */
  guint connection_idle_timeout_seconds;
  SttServiceUsageFunc usage_func;
  gpointer usage_data;
} SttServiceConfig;

typedef struct _SttService SttService;

SttService *stt_service_new (const SttServiceConfig *config, GError **error);
/* Start listening; returns at once (the service runs in the thread-default main context). */
gboolean stt_service_start (SttService *service, GError **error);
guint stt_service_get_port (const SttService *service);
void stt_service_stop (SttService *service);
void stt_service_free (SttService *service);

G_END_DECLS
