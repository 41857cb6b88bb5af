/* gst-stt — the service's shared state, between service.c, session.c and rest.c.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libsoup/soup.h>
#include "service.h"
#include "metrics.h"
#include "sdkjson.h"

struct _SttService {
  char *host, *pipeline, *model_id, *locale, *api_key;
  guint port, max_streams, max_audio_seconds;
  guint header_timeout, idle_timeout, connection_idle_timeout;   /* seconds, never 0 */
  SttServiceUsageFunc usage_func;
  gpointer usage_data;

  GMainContext *context;
  SoupServer *server;
  SttMetrics *metrics;
  GList *sessions;              /* SttSession*, open WebSocket connections */
  GList *rest_calls;            /* SttRestCall*, REST requests in progress */
  gboolean started;
};

typedef struct _SttSession SttSession;
typedef struct _SttRestCall SttRestCall;

/* The three WebSocket paths and their modes. */
#define STT_PATH_PREFIX "/speech/recognition/"
#define STT_PATH_SUFFIX "/cognitiveservices/v1"

/* TRUE when the client sent the configured key (header, Bearer token or query parameter), or
 * when no key is configured. */
gboolean stt_service_key_ok (SttService *service, SoupServerMessage *msg, GHashTable *query);
/* TRUE when @language (may be NULL = the service's locale) is the one the service serves. */
gboolean stt_service_language_ok (SttService *service, const char *language);
/* TRUE when one more stream may start (max_streams). */
gboolean stt_service_has_stream_slot (SttService *service);
/* Calls the usage callback; FALSE (and a message) when it refused. */
gboolean stt_service_report_usage (SttService *service, double audio_seconds,
    const char *endpoint, GError **error);

/* WebSocket connection of mode "interactive", "conversation" or "dictation". */
SttSession *stt_session_new (SttService *service, SoupWebsocketConnection *ws,
    const char *mode, SoupServerMessage *msg);
/* Close with 1001 (going away) and drop the session. */
void stt_session_shutdown (SttSession *session);

/* POST of a whole audio file; responds asynchronously. */
void stt_rest_handle (SttService *service, SoupServerMessage *msg, GHashTable *query);
void stt_rest_cancel (SttRestCall *call);

/* Lookup in a query table whose keys may come in any case. */
const char *stt_query_get (GHashTable *query, const char *name);
