/* gst-stt — the speech service: HTTP server, routing, health, metrics, API description, page.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * WebSocket turns live in session.c, REST requests in rest.c; this file owns the server and
 * the small endpoints. Everything runs in the main context the service was created in.
 */
#include "service-private.h"
#include "stream.h"

#include <gio/gio.h>
#include <gst/gst.h>
#include <string.h>

G_DEFINE_QUARK (stt-service-error-quark, stt_service_error)

#define RESOURCE_PREFIX "/org/gst-stt/service/"

static const char *const modes[] = { "interactive", "conversation", "dictation" };

const char *
stt_query_get (GHashTable *query, const char *name)
{
  if (!query)
    return NULL;
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, query);
  while (g_hash_table_iter_next (&it, &k, &v))
    if (g_ascii_strcasecmp (k, name) == 0)
      return v;
  return NULL;
}

gboolean
stt_service_key_ok (SttService *service, SoupServerMessage *msg, GHashTable *query)
{
  if (!service->api_key)
    return TRUE;
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (h, "Ocp-Apim-Subscription-Key");
  const char *auth = soup_message_headers_get_one (h, "Authorization");
  if (!key && auth && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    key = auth + 7;
  if (!key)
    key = stt_query_get (query, "Ocp-Apim-Subscription-Key");
  return key && strcmp (key, service->api_key) == 0;
}

gboolean
stt_service_language_ok (SttService *service, const char *language)
{
  return !language || !service->locale || g_ascii_strcasecmp (language, service->locale) == 0;
}

gboolean
stt_service_has_stream_slot (SttService *service)
{
  return !service->max_streams
      || stt_metrics_get_active (service->metrics) < service->max_streams;
}

gboolean
stt_service_report_usage (SttService *service, double audio_seconds, const char *endpoint,
    GError **error)
{
  if (!service->usage_func)
    return TRUE;
  return service->usage_func (service->model_id, audio_seconds, endpoint, service->usage_data,
      error);
}

/* ---- small endpoints ------------------------------------------------------------------------ */

static void
respond (SoupServerMessage *msg, guint status, const char *type, const char *body, gsize len)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, len);
}

static void
respond_json (SoupServerMessage *msg, guint status, JsonBuilder *b)
{
  JsonNode *root = json_builder_get_root (b);
  char *s = json_to_string (root, FALSE);
  respond (msg, status, "application/json; charset=utf-8", s, strlen (s));
  g_free (s);
  json_node_unref (root);
  g_object_unref (b);
}

static void
serve_health (SttService *service, SoupServerMessage *msg, const char *path)
{
  JsonBuilder *b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "service");
  json_builder_add_string_value (b, "speechtotext");
  if (strcmp (path, "/status") == 0) {
    /* The container checks its ApiKey against the hub before serving; here the question is
     * whether client auth is on. */
    json_builder_set_member_name (b, "apiStatus");
    json_builder_add_string_value (b, "Valid");
    json_builder_set_member_name (b, "apiStatusMessage");
    json_builder_add_string_value (b, service->api_key
        ? "Api Key is valid, clients must send it." : "Api Key is valid, no action needed.");
    json_builder_set_member_name (b, "modelId");
    json_builder_add_string_value (b, service->model_id ? service->model_id : "");
    json_builder_set_member_name (b, "locale");
    json_builder_add_string_value (b, service->locale ? service->locale : "");
    json_builder_set_member_name (b, "activeStreams");
    json_builder_add_int_value (b, stt_metrics_get_active (service->metrics));
    json_builder_set_member_name (b, "maxStreams");
    json_builder_add_int_value (b, service->max_streams);
  } else if (strcmp (path, "/ContainerLiveness") == 0) {
    json_builder_set_member_name (b, "live");
    json_builder_add_string_value (b, "live");
    json_builder_set_member_name (b, "message");
    json_builder_add_string_value (b, "The service is running.");
  } else {
    gboolean free_slot = stt_service_has_stream_slot (service);
    json_builder_set_member_name (b, "ready");
    json_builder_add_string_value (b, free_slot ? "ready" : "busy");
    json_builder_set_member_name (b, "message");
    json_builder_add_string_value (b, free_slot ? "Api Key is valid, no action needed."
        : "All recognition streams are in use; retry later.");
  }
  json_builder_end_object (b);
  respond_json (msg, 200, b);
}

static void
serve_resource (SoupServerMessage *msg, const char *name, const char *type)
{
  char *path = g_strconcat (RESOURCE_PREFIX, name, NULL);
  GBytes *bytes = g_resources_lookup_data (path, 0, NULL);
  g_free (path);
  if (!bytes) {
    respond (msg, 404, "text/plain", "not found\n", 10);
    return;
  }
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  respond (msg, 200, type, data, len);
  g_bytes_unref (bytes);
}

static void
serve_metrics (SttService *service, SoupServerMessage *msg)
{
  char *text = stt_metrics_render (service->metrics);
  respond (msg, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen (text));
  g_free (text);
}

static void
get_handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
    gpointer data)
{
  SttService *service = data;
  const char *method = soup_server_message_get_method (msg);
  if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0) {
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
        "GET, HEAD");
    respond (msg, 405, "text/plain", "method not allowed: use GET\n", 28);
    return;
  }
  if (strcmp (path, "/ready") == 0 || strcmp (path, "/status") == 0
      || strcmp (path, "/ContainerLiveness") == 0 || strcmp (path, "/ContainerReadiness") == 0)
    serve_health (service, msg, path);
  else if (strcmp (path, "/metrics") == 0)
    serve_metrics (service, msg);
  else if (strcmp (path, "/swagger") == 0 || strcmp (path, "/swagger/v1/swagger.json") == 0)
    serve_resource (msg, "openapi.json", "application/json; charset=utf-8");
  else if (strcmp (path, "/swagger/index.html") == 0 || strcmp (path, "/swagger/") == 0)
    serve_resource (msg, "swagger.html", "text/html; charset=utf-8");
  else if (strcmp (path, "/") == 0 || strcmp (path, "/index.html") == 0)
    serve_resource (msg, "index.html", "text/html; charset=utf-8");
  else if (strcmp (path, "/app.js") == 0)
    serve_resource (msg, "app.js", "text/javascript; charset=utf-8");
  else
    respond (msg, 404, "text/plain", "not found\n", 10);
}

/* ---- recognition paths ---------------------------------------------------------------------- */

static const char *
mode_of_path (const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++) {
    char *p = g_strconcat (STT_PATH_PREFIX, modes[i], STT_PATH_SUFFIX, NULL);
    gboolean match = strcmp (p, path) == 0;
    g_free (p);
    if (match)
      return modes[i];
  }
  return NULL;
}

/* Runs before the WebSocket handshake: a status set here refuses the upgrade. */
static void
speech_handler (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
    gpointer data)
{
  SttService *service = data;
  const char *method = soup_server_message_get_method (msg);
  const char *mode = mode_of_path (path);
  if (!mode) {
    respond (msg, 404, "text/plain", "not found\n", 10);
    return;
  }
  if (strcmp (method, "POST") == 0) {
    stt_rest_handle (service, msg, query);
    return;
  }
  if (strcmp (method, "GET") != 0) {
    respond (msg, 405, "text/plain", "use GET with a WebSocket upgrade, or POST audio\n", 48);
    return;
  }
  if (!stt_service_key_ok (service, msg, query)) {
    stt_metrics_error (service->metrics, "auth");
    const char *m = "missing or wrong key: send Ocp-Apim-Subscription-Key\n";
    respond (msg, 401, "text/plain", m, strlen (m));
  }
}

static void
websocket_handler (SoupServer *server, SoupServerMessage *msg, const char *path,
    SoupWebsocketConnection *ws, gpointer data)
{
  SttService *service = data;
  const char *mode = mode_of_path (path);
  if (!mode) {
    soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "unknown path");
    return;
  }
  SttSession *session = stt_session_new (service, ws, mode, msg);
  if (session)
    service->sessions = g_list_prepend (service->sessions, session);
}

/* ---- slow and idle clients ------------------------------------------------------------------ */

/* libsoup 3 has no read timeouts on a server: each request gets a timer from the moment the
 * server starts waiting for it (request-started, before its first byte; for a kept-alive
 * connection, after the previous response). The headers must be complete within
 * header_timeout; then a body must make progress at least every idle_timeout. On expiry the
 * connection's socket is shut down: libsoup sees the end of the stream, aborts the request and
 * frees the connection. A WebSocket is watched by its session (session.c) once upgraded. */
typedef struct {
  SttService *service;
  SoupServerMessage *msg;       /* not owned: the watch is the message's data */
  GSource *timer;
  const char *waiting_for;
  guint seconds;
} RequestWatch;

static void
watch_disarm (RequestWatch *w)
{
  if (w->timer) {
    g_source_destroy (w->timer);
    g_clear_pointer (&w->timer, g_source_unref);
  }
}

static void
watch_free (gpointer data)
{
  watch_disarm (data);
  g_free (data);
}

static gboolean
request_expired (gpointer data)
{
  RequestWatch *w = data;
  g_clear_pointer (&w->timer, g_source_unref);
  stt_metrics_error (w->service->metrics, "timeout");
  GSocketAddress *peer = soup_server_message_get_remote_address (w->msg);
  char *who = peer ? g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (peer))
      : g_strdup ("?");
  g_message ("dropping the connection from %s: no complete %s within %u s", who,
      w->waiting_for, w->seconds);
  g_free (who);
  GSocket *sock = soup_server_message_get_socket (w->msg);
  if (sock)
    g_socket_shutdown (sock, TRUE, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

static void
watch_arm (RequestWatch *w, guint seconds, const char *waiting_for)
{
  watch_disarm (w);
  w->waiting_for = waiting_for;
  w->seconds = seconds;
  w->timer = g_timeout_source_new_seconds (seconds);
  g_source_set_callback (w->timer, request_expired, w, NULL);
  g_source_attach (w->timer, w->service->context);
}

static void
on_got_headers (SoupServerMessage *msg, gpointer data)
{
  RequestWatch *w = data;
  watch_arm (w, w->service->idle_timeout, "request body (no data)");
}

static void
on_got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer data)
{
  RequestWatch *w = data;
  watch_arm (w, w->service->idle_timeout, "request body (no data)");
}

static void
on_request_read (SoupServerMessage *msg, gpointer data)
{
  watch_disarm (data);
}

static void
on_request_started (SoupServer *server, SoupServerMessage *msg, gpointer data)
{
  RequestWatch *w = g_new0 (RequestWatch, 1);
  w->service = data;
  w->msg = msg;
  g_object_set_data_full (G_OBJECT (msg), "stt-request-watch", w, watch_free);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), w);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), w);
  g_signal_connect (msg, "got-body", G_CALLBACK (on_request_read), w);
  g_signal_connect (msg, "finished", G_CALLBACK (on_request_read), w);
  watch_arm (w, w->service->header_timeout, "request headers");
}

/* ---- life cycle ----------------------------------------------------------------------------- */

SttService *
stt_service_new (const SttServiceConfig *config, GError **error)
{
  g_return_val_if_fail (config != NULL, NULL);
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  GError *err = NULL;
  if (!stt_stream_check_fragment (config->pipeline, &err)) {
    g_set_error (error, STT_SERVICE_ERROR, STT_SERVICE_ERROR_CONFIG, "%s", err->message);
    g_error_free (err);
    return NULL;
  }
  SttService *s = g_new0 (SttService, 1);
  s->host = g_strdup (config->host);
  s->port = config->port;
  s->pipeline = g_strdup (config->pipeline);
  s->model_id = g_strdup (config->model_id);
  s->locale = g_strdup (config->locale);
  s->max_streams = config->max_streams;
  s->max_audio_seconds = config->max_audio_seconds;
  s->header_timeout = config->header_timeout_seconds ? config->header_timeout_seconds : 10;
  s->idle_timeout = config->idle_timeout_seconds ? config->idle_timeout_seconds : 30;
  s->connection_idle_timeout = config->connection_idle_timeout_seconds
      ? config->connection_idle_timeout_seconds : 180;
  s->api_key = config->api_key && *config->api_key ? g_strdup (config->api_key) : NULL;
  s->usage_func = config->usage_func;
  s->usage_data = config->usage_data;
  s->context = g_main_context_ref_thread_default ();
  s->metrics = stt_metrics_new ();
  return s;
}

gboolean
stt_service_start (SttService *service, GError **error)
{
  g_return_val_if_fail (!service->started, FALSE);
  service->server = soup_server_new ("server-header", "gst-stt/" "0.1", NULL);
  g_signal_connect (service->server, "request-started", G_CALLBACK (on_request_started),
      service);
  soup_server_add_handler (service->server, NULL, get_handler, service, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++) {
    char *p = g_strconcat (STT_PATH_PREFIX, modes[i], STT_PATH_SUFFIX, NULL);
    soup_server_add_handler (service->server, p, speech_handler, service, NULL);
    soup_server_add_websocket_handler (service->server, p, NULL, NULL, websocket_handler,
        service, NULL);
    g_free (p);
  }
  GError *err = NULL;
  gboolean ok;
  if (service->host) {
    GInetAddress *addr = g_inet_address_new_from_string (service->host);
    if (!addr) {
      g_set_error (error, STT_SERVICE_ERROR, STT_SERVICE_ERROR_CONFIG,
          "host '%s' is not an IP address; give e.g. 127.0.0.1 or 0.0.0.0", service->host);
      return FALSE;
    }
    GSocketAddress *sa = g_inet_socket_address_new (addr, service->port);
    ok = soup_server_listen (service->server, sa, 0, &err);
    g_object_unref (sa);
    g_object_unref (addr);
  } else {
    ok = soup_server_listen_all (service->server, service->port, 0, &err);
  }
  if (!ok) {
    g_set_error (error, STT_SERVICE_ERROR, STT_SERVICE_ERROR_CONFIG,
        "cannot listen on %s port %u: %s", service->host ? service->host : "all addresses",
        service->port, err->message);
    g_error_free (err);
    g_clear_object (&service->server);
    return FALSE;
  }
  GSList *uris = soup_server_get_uris (service->server);
  if (uris)
    service->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  service->started = TRUE;
  return TRUE;
}

guint
stt_service_get_port (const SttService *service)
{
  return service->port;
}

void
stt_service_stop (SttService *service)
{
  if (!service->started)
    return;
  while (service->sessions) {
    SttSession *s = service->sessions->data;
    service->sessions = g_list_delete_link (service->sessions, service->sessions);
    stt_session_shutdown (s);
  }
  while (service->rest_calls)
    stt_rest_cancel (service->rest_calls->data);
  soup_server_disconnect (service->server);
  g_clear_object (&service->server);
  service->started = FALSE;
}

void
stt_service_free (SttService *service)
{
  if (!service)
    return;
  stt_service_stop (service);
  stt_metrics_free (service->metrics);
  g_main_context_unref (service->context);
  g_free (service->host);
  g_free (service->pipeline);
  g_free (service->model_id);
  g_free (service->locale);
  g_free (service->api_key);
  g_free (service);
}
