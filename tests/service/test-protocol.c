/* gst-stt — the service's protocol edge cases, health, metrics and API description, through a
 * real libsoup WebSocket/HTTP client against the service on a loopback port.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * These tests need no recognizer: the service runs the fragment "identity", and every case
 * here is decided before audio reaches it (framing, request ids, RIFF headers, limits, auth,
 * language, empty turns). Recognition itself is tested with the Speech SDK (sdk/).
 */
#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "service.h"
#include "frame.h"
#include "testutil.h"

#define KEY "test-key-1234"
#define ID_A "0123456789ABCDEF0123456789ABCDEF"
#define ID_B "FEDCBA9876543210FEDCBA9876543210"

typedef struct {
  SttService *service;
  SoupSession *session;
  char *base;                   /* http://127.0.0.1:PORT */
} Fixture;

typedef struct {
  SoupWebsocketConnection *ws;
  GPtrArray *texts;             /* received text messages */
  gboolean closed;
  gushort close_code;
  char *close_reason;
} Client;

/* The fragment and usage callback of the next fixture_start (recognition tests change them). */
static const char *fixture_pipeline = "identity";
static SttServiceUsageFunc fixture_usage;
static gpointer fixture_usage_data;
/* header, idle and connection idle timeouts (s) of the next fixture_start; 0 = defaults */
static guint fixture_timeouts[3];

static void
fixture_start (Fixture *f, guint max_streams, guint max_audio, const char *key)
{
  SttServiceConfig cfg = {
    .host = "127.0.0.1", .port = 0, .pipeline = fixture_pipeline, .model_id = "test-model",
    .locale = "en-US", .max_streams = max_streams, .max_audio_seconds = max_audio,
    .api_key = key, .usage_func = fixture_usage, .usage_data = fixture_usage_data,
    .header_timeout_seconds = fixture_timeouts[0], .idle_timeout_seconds = fixture_timeouts[1],
    .connection_idle_timeout_seconds = fixture_timeouts[2],
  };
  GError *err = NULL;
  f->service = stt_service_new (&cfg, &err);
  g_assert_no_error (err);
  g_assert_true (stt_service_start (f->service, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (stt_service_get_port (f->service), >, 0);
  f->base = g_strdup_printf ("http://127.0.0.1:%u", stt_service_get_port (f->service));
  f->session = soup_session_new ();
}

static void
fixture_stop (Fixture *f)
{
  g_object_unref (f->session);
  stt_service_free (f->service);
  g_free (f->base);
  /* Let the closed connections' sources run out. */
  while (g_main_context_iteration (NULL, FALSE));
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterate the main context until *flag is set; fails the test after 10 s. */
static void
wait_for (gboolean *flag)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &expired);
  while (!*flag && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  g_assert_false (expired);
}

/* ---- HTTP ----------------------------------------------------------------------------------- */

typedef struct {
  gboolean done;
  GBytes *body;
  GError *error;
} HttpResult;

static void
http_done (GObject *source, GAsyncResult *res, gpointer data)
{
  HttpResult *r = data;
  r->body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &r->error);
  r->done = TRUE;
}

static GBytes *
http (Fixture *f, const char *method, const char *path, GBytes *body, const char *key,
    guint *status)
{
  char *uri = g_strconcat (f->base, path, NULL);
  SoupMessage *msg = soup_message_new (method, uri);
  g_free (uri);
  if (body)
    soup_message_set_request_body_from_bytes (msg, "audio/wav", body);
  if (key)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
        "Ocp-Apim-Subscription-Key", key);
  /* Asynchronous: the service answers from this thread's main context. */
  HttpResult r = { 0 };
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, http_done, &r);
  wait_for (&r.done);
  g_assert_no_error (r.error);
  GBytes *out = r.body;
  *status = soup_message_get_status (msg);
  g_object_unref (msg);
  return out;
}

static JsonObject *
http_json (Fixture *f, const char *path, guint expect_status, JsonParser **parser)
{
  guint status;
  GBytes *b = http (f, "GET", path, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, expect_status);
  *parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (b, &len);
  GError *err = NULL;
  g_assert_true (json_parser_load_from_data (*parser, data, len, &err));
  g_assert_no_error (err);
  g_bytes_unref (b);
  return json_node_get_object (json_parser_get_root (*parser));
}

/* Value of a metric line "name value" in /metrics. */
static double
metric (Fixture *f, const char *name)
{
  guint status;
  GBytes *b = http (f, "GET", "/metrics", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  char *text = g_strndup (g_bytes_get_data (b, NULL), g_bytes_get_size (b));
  g_bytes_unref (b);
  char *needle = g_strconcat ("\n", name, " ", NULL);
  char *at = strstr (text, needle);
  g_assert_nonnull (at);
  double v = g_ascii_strtod (at + strlen (needle), NULL);
  g_free (needle);
  g_free (text);
  return v;
}

/* ---- WebSocket client ----------------------------------------------------------------------- */

static void
on_ws_message (SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer data)
{
  Client *c = data;
  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    g_ptr_array_add (c->texts, g_strndup (g_bytes_get_data (message, NULL),
            g_bytes_get_size (message)));
}

static void
on_ws_closed (SoupWebsocketConnection *ws, gpointer data)
{
  Client *c = data;
  c->closed = TRUE;
  c->close_code = soup_websocket_connection_get_close_code (ws);
  c->close_reason = g_strdup (soup_websocket_connection_get_close_data (ws));
}

typedef struct {
  gboolean done;
  SoupWebsocketConnection *ws;
  GError *error;
} ConnectResult;

static void
connected (GObject *source, GAsyncResult *res, gpointer data)
{
  ConnectResult *r = data;
  r->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), res, &r->error);
  r->done = TRUE;
}

/* Connect to @mode with @query; returns NULL (and the HTTP status) when refused. */
static Client *
ws_connect (Fixture *f, const char *mode, const char *query, const char *header_key,
    guint *status)
{
  char *uri = g_strdup_printf ("ws://127.0.0.1:%u/speech/recognition/%s/cognitiveservices/v1"
      "?%s", stt_service_get_port (f->service), mode, query ? query : "language=en-US");
  SoupMessage *msg = soup_message_new ("GET", uri);
  g_free (uri);
  SoupMessageHeaders *h = soup_message_get_request_headers (msg);
  soup_message_headers_replace (h, "X-ConnectionId", ID_A);
  if (header_key)
    soup_message_headers_replace (h, "Ocp-Apim-Subscription-Key", header_key);
  ConnectResult r = { 0 };
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
      connected, &r);
  wait_for (&r.done);
  if (status)
    *status = soup_message_get_status (msg);
  g_object_unref (msg);
  if (!r.ws) {
    g_clear_error (&r.error);
    return NULL;
  }
  Client *c = g_new0 (Client, 1);
  c->ws = r.ws;
  c->texts = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (c->ws, "message", G_CALLBACK (on_ws_message), c);
  g_signal_connect (c->ws, "closed", G_CALLBACK (on_ws_closed), c);
  return c;
}

static void
client_free (Client *c)
{
  if (!c->closed) {
    soup_websocket_connection_close (c->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    wait_for (&c->closed);
  }
  g_signal_handlers_disconnect_by_data (c->ws, c);
  g_object_unref (c->ws);
  g_ptr_array_unref (c->texts);
  g_free (c->close_reason);
  g_free (c);
}

static void
send_text (Client *c, const char *path, const char *id, const char *body)
{
  char *msg = g_strdup_printf ("Path: %s\r\nX-RequestId: %s\r\nX-Timestamp: "
      "2026-01-01T00:00:00.000Z\r\nContent-Type: application/json\r\n\r\n%s", path, id, body);
  soup_websocket_connection_send_text (c->ws, msg);
  g_free (msg);
}

static void
send_audio (Client *c, const char *id, const guint8 *payload, gsize len)
{
  const char *headers[] = { "Path", "audio", "X-RequestId", id, "X-Timestamp",
    "2026-01-01T00:00:00.000Z", NULL, NULL };
  GBytes *b = stt_frame_build_binary (headers, payload, len);
  soup_websocket_connection_send_message (c->ws, SOUP_WEBSOCKET_DATA_BINARY, b);
  g_bytes_unref (b);
}

/* The 44-byte header the SDK sends: sizes 0 (spec §2.3). */
static void
riff_header (guint8 *h, guint tag, guint channels, guint rate, guint bits)
{
  memset (h, 0, 44);
  memcpy (h, "RIFF", 4);
  memcpy (h + 8, "WAVEfmt ", 8);
  h[16] = 16;
  h[20] = tag & 0xff;
  h[21] = tag >> 8;
  h[22] = channels;
  h[24] = rate & 0xff;
  h[25] = (rate >> 8) & 0xff;
  h[26] = (rate >> 16) & 0xff;
  guint bps = rate * channels * bits / 8;
  h[28] = bps & 0xff;
  h[29] = (bps >> 8) & 0xff;
  h[30] = (bps >> 16) & 0xff;
  h[32] = channels * bits / 8;
  h[34] = bits;
  memcpy (h + 36, "data", 4);
}

static void
wait_closed (Client *c, gushort code)
{
  wait_for (&c->closed);
  g_assert_cmpuint (c->close_code, ==, code);
  g_assert_nonnull (c->close_reason);
  g_assert_cmpuint (strlen (c->close_reason), >, 0);
}

static gboolean
has_path (Client *c, const char *path)
{
  char *needle = g_strdup_printf ("Path: %s\r\n", path);
  gboolean found = FALSE;
  for (guint i = 0; i < c->texts->len && !found; i++)
    found = g_str_has_prefix (c->texts->pdata[i], needle);
  g_free (needle);
  return found;
}

/* Wait for a message with @path; returns its parsed frame body (owned by the client's list). */
static const char *
wait_message (Client *c, const char *path, const char *request_id)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &expired);
  while (!has_path (c, path) && !expired && !c->closed)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  g_assert_true (has_path (c, path));
  char *needle = g_strdup_printf ("Path: %s\r\n", path);
  for (guint i = 0; i < c->texts->len; i++) {
    const char *t = c->texts->pdata[i];
    if (!g_str_has_prefix (t, needle))
      continue;
    g_free (needle);
    SttFrame fr;
    GError *err = NULL;
    g_assert_true (stt_frame_parse_text ((const guint8 *) t, strlen (t), &fr, &err));
    g_assert_no_error (err);
    g_assert_cmpstr (fr.request_id, ==, request_id);
    g_assert_nonnull (stt_frame_get_header (&fr, "x-timestamp"));
    const char *body = (const char *) fr.body;
    stt_frame_clear (&fr);
    return body;
  }
  g_assert_not_reached ();
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void
test_health (void)
{
  Fixture f;
  fixture_start (&f, 2, 0, NULL);
  const char *paths[] = { "/ready", "/ContainerReadiness", "/ContainerLiveness", "/status" };
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++) {
    JsonParser *p;
    JsonObject *o = http_json (&f, paths[i], 200, &p);
    g_assert_cmpstr (json_object_get_string_member (o, "service"), ==, "speechtotext");
    if (i < 2)
      g_assert_cmpstr (json_object_get_string_member (o, "ready"), ==, "ready");
    if (i == 3) {
      g_assert_cmpstr (json_object_get_string_member (o, "apiStatus"), ==, "Valid");
      g_assert_cmpstr (json_object_get_string_member (o, "modelId"), ==, "test-model");
      g_assert_cmpint (json_object_get_int_member (o, "maxStreams"), ==, 2);
    }
    g_object_unref (p);
  }
  guint status;
  GBytes *b = http (&f, "GET", "/", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (b, NULL), g_bytes_get_size (b), "app.js"));
  g_bytes_unref (b);
  b = http (&f, "GET", "/app.js", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (b, NULL), g_bytes_get_size (b),
          "speech.config"));
  g_bytes_unref (b);
  b = http (&f, "GET", "/no/such/page", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  g_bytes_unref (b);
  fixture_stop (&f);
}

/* Every path of the OpenAPI document answers its GET (except the WebSocket upgrades), and
 * every endpoint the service serves is in the document. */
static void
test_swagger (void)
{
  Fixture f;
  fixture_start (&f, 0, 0, NULL);
  JsonParser *p;
  JsonObject *doc = http_json (&f, "/swagger", 200, &p);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (doc, "openapi"), "3."));
  JsonObject *paths = json_object_get_object_member (doc, "paths");
  const char *served[] = { "/", "/app.js", "/ready", "/status", "/ContainerLiveness",
    "/ContainerReadiness", "/metrics", "/swagger", "/swagger/index.html",
    "/speech/recognition/interactive/cognitiveservices/v1",
    "/speech/recognition/conversation/cognitiveservices/v1",
    "/speech/recognition/dictation/cognitiveservices/v1" };
  for (guint i = 0; i < G_N_ELEMENTS (served); i++)
    g_assert_true (json_object_has_member (paths, served[i]));
  GList *names = json_object_get_members (paths);
  for (GList *l = names; l; l = l->next) {
    if (g_str_has_prefix (l->data, "/speech/")) {
      JsonObject *ops = json_object_get_object_member (paths, l->data);
      g_assert_true (json_object_has_member (ops, "post"));
      g_assert_true (json_object_has_member (ops, "get"));
      continue;
    }
    guint status;
    GBytes *b = http (&f, "GET", l->data, NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 200);
    g_bytes_unref (b);
  }
  g_list_free (names);
  g_object_unref (p);
  fixture_stop (&f);
}

static void
test_framing (void)
{
  Fixture f;
  fixture_start (&f, 0, 0, NULL);
  double before = metric (&f, "stt_errors_total{kind=\"framing\"}");

  Client *c = ws_connect (&f, "interactive", NULL, NULL, NULL);
  soup_websocket_connection_send_text (c->ws, "Path: speech.config\r\nX-RequestId: " ID_A);
  wait_closed (c, 1007);
  g_assert_nonnull (strstr (c->close_reason, "empty line"));
  client_free (c);

  c = ws_connect (&f, "interactive", NULL, NULL, NULL);
  guint8 one = 7;
  GBytes *b = g_bytes_new (&one, 1);
  soup_websocket_connection_send_message (c->ws, SOUP_WEBSOCKET_DATA_BINARY, b);
  g_bytes_unref (b);
  wait_closed (c, 1007);
  client_free (c);

  /* header length past the end of the message */
  c = ws_connect (&f, "conversation", NULL, NULL, NULL);
  guint8 bad[] = { 0x01, 0x00, 'P', 'a', 't', 'h' };
  b = g_bytes_new (bad, sizeof bad);
  soup_websocket_connection_send_message (c->ws, SOUP_WEBSOCKET_DATA_BINARY, b);
  g_bytes_unref (b);
  wait_closed (c, 1007);
  g_assert_nonnull (strstr (c->close_reason, "256"));
  client_free (c);

  /* oversized header block */
  c = ws_connect (&f, "conversation", NULL, NULL, NULL);
  GString *big = g_string_new ("Path: speech.config\r\nX-RequestId: " ID_A "\r\nX-Big: ");
  for (int i = 0; i < 9000; i++)
    g_string_append_c (big, 'x');
  g_string_append (big, "\r\n\r\n{}");
  soup_websocket_connection_send_text (c->ws, big->str);
  g_string_free (big, TRUE);
  wait_closed (c, 1007);
  g_assert_nonnull (strstr (c->close_reason, "8192"));
  client_free (c);

  /* garbage: a header block that is not "Name: value" lines */
  c = ws_connect (&f, "dictation", NULL, NULL, NULL);
  guint8 garbage[64];
  garbage[0] = 0;
  garbage[1] = 20;
  for (guint i = 2; i < sizeof garbage; i++)
    garbage[i] = (i * 37) & 0xff;
  b = g_bytes_new (garbage, sizeof garbage);
  soup_websocket_connection_send_message (c->ws, SOUP_WEBSOCKET_DATA_BINARY, b);
  g_bytes_unref (b);
  wait_closed (c, 1007);
  client_free (c);

  /* speech.context that is not JSON */
  c = ws_connect (&f, "conversation", NULL, NULL, NULL);
  send_text (c, "speech.context", ID_A, "{\"phraseDetection\":");
  wait_closed (c, 1007);
  g_assert_nonnull (strstr (c->close_reason, "speech.context"));
  client_free (c);

  g_assert_cmpfloat (metric (&f, "stt_errors_total{kind=\"framing\"}"), ==, before + 6);
  JsonParser *p;
  http_json (&f, "/ready", 200, &p);
  g_object_unref (p);
  fixture_stop (&f);
}

static void
test_request_ids (void)
{
  Fixture f;
  fixture_start (&f, 0, 0, NULL);
  Client *c = ws_connect (&f, "interactive", NULL, NULL, NULL);
  soup_websocket_connection_send_text (c->ws, "Path: speech.config\r\n\r\n{}");
  wait_closed (c, 1002);
  g_assert_nonnull (strstr (c->close_reason, "X-RequestId"));
  client_free (c);

  c = ws_connect (&f, "interactive", NULL, NULL, NULL);
  send_text (c, "speech.config", "1234", "{}");
  wait_closed (c, 1002);
  client_free (c);

  c = ws_connect (&f, "interactive", NULL, NULL, NULL);
  soup_websocket_connection_send_text (c->ws, "X-RequestId: " ID_A "\r\n\r\n{}");
  wait_closed (c, 1002);
  g_assert_nonnull (strstr (c->close_reason, "Path"));
  client_free (c);

  /* audio under another id while a turn is open */
  c = ws_connect (&f, "conversation", NULL, NULL, NULL);
  guint8 h[44];
  riff_header (h, 1, 1, 16000, 16);
  send_text (c, "speech.config", ID_A, "{}");
  send_text (c, "speech.context", ID_A, "{\"phraseOutput\":{}}");
  send_audio (c, ID_A, h, sizeof h);
  wait_message (c, "turn.start", ID_A);
  /* members of unexpected types are ignored, not trusted */
  send_text (c, "speech.context", ID_A, "{\"phraseDetection\":{\"enrichment\":{\"profanity\":7},"
      "\"initialSilenceTimeout\":[1]},\"phraseOutput\":{\"format\":{},\"detailed\":"
      "{\"options\":[1,null,\"WordTimings\"]}}}");
  send_text (c, "speech.context", ID_A, "[1,2]");
  guint8 pcm[320] = { 0 };
  send_audio (c, ID_B, pcm, sizeof pcm);
  wait_closed (c, 1002);
  g_assert_nonnull (strstr (c->close_reason, ID_B));
  client_free (c);
  g_assert_cmpfloat (metric (&f, "stt_streams_active"), ==, 0);
  fixture_stop (&f);
}

static void
test_riff (void)
{
  Fixture f;
  fixture_start (&f, 0, 0, NULL);
  guint8 h[44];
  Client *c = ws_connect (&f, "interactive", NULL, NULL, NULL);
  guint8 pcm[320] = { 0 };
  send_audio (c, ID_A, pcm, sizeof pcm);
  wait_closed (c, 1007);
  g_assert_nonnull (strstr (c->close_reason, "RIFF"));
  client_free (c);

  c = ws_connect (&f, "interactive", NULL, NULL, NULL);
  riff_header (h, 85, 1, 16000, 16);    /* MPEG layer 3 */
  send_audio (c, ID_A, h, sizeof h);
  wait_closed (c, 1007);
  g_assert_nonnull (strstr (c->close_reason, "85"));
  client_free (c);

  c = ws_connect (&f, "interactive", NULL, NULL, NULL);
  riff_header (h, 1, 1, 4000, 16);
  send_audio (c, ID_A, h, sizeof h);
  wait_closed (c, 1007);
  g_assert_nonnull (strstr (c->close_reason, "4000"));
  client_free (c);

  c = ws_connect (&f, "interactive", NULL, NULL, NULL);
  riff_header (h, 1, 1, 16000, 16);
  send_audio (c, ID_A, h, 30);          /* cut inside the fmt chunk */
  wait_closed (c, 1007);
  client_free (c);
  g_assert_cmpfloat (metric (&f, "stt_errors_total{kind=\"audio_format\"}"), ==, 4);
  fixture_stop (&f);
}

/* End of audio before any audio: a complete turn that says nothing was heard. */
static void
test_empty_turn (void)
{
  Fixture f;
  fixture_start (&f, 0, 0, NULL);
  Client *c = ws_connect (&f, "interactive", NULL, NULL, NULL);
  send_text (c, "speech.config", ID_A, "{}");
  send_audio (c, ID_A, NULL, 0);
  const char *end = wait_message (c, "turn.end", ID_A);
  (void) end;
  const char *phrase = wait_message (c, "speech.phrase", ID_A);
  g_assert_nonnull (strstr (phrase, "\"RecognitionStatus\":\"InitialSilenceTimeout\""));
  const char *ended = wait_message (c, "speech.endDetected", ID_A);
  g_assert_nonnull (strstr (ended, "\"Offset\":0"));
  /* order: turn.start, speech.phrase, speech.endDetected, turn.end */
  g_assert_cmpuint (c->texts->len, ==, 4);
  g_assert_true (g_str_has_prefix (c->texts->pdata[0], "Path: turn.start"));
  g_assert_true (g_str_has_prefix (c->texts->pdata[3], "Path: turn.end"));
  /* the SDK's second empty frame after turn.end is ignored, the socket stays open */
  send_audio (c, ID_A, NULL, 0);
  send_text (c, "telemetry", ID_A, "{\"ReceivedMessages\":[]}");
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_false (c->closed);
  client_free (c);
  fixture_stop (&f);
}

static void
test_limits (void)
{
  Fixture f;
  fixture_start (&f, 1, 1, NULL);
  guint8 h[44];
  riff_header (h, 1, 1, 16000, 16);
  Client *a = ws_connect (&f, "conversation", NULL, NULL, NULL);
  send_audio (a, ID_A, h, sizeof h);
  wait_message (a, "turn.start", ID_A);
  g_assert_cmpfloat (metric (&f, "stt_streams_active"), ==, 1);
  JsonParser *p;
  JsonObject *o = http_json (&f, "/ready", 200, &p);
  g_assert_cmpstr (json_object_get_string_member (o, "ready"), ==, "busy");
  g_object_unref (p);

  Client *b = ws_connect (&f, "conversation", NULL, NULL, NULL);
  send_audio (b, ID_B, h, sizeof h);
  wait_message (b, "turn.end", ID_B);
  const char *phrase = wait_message (b, "speech.phrase", ID_B);
  g_assert_nonnull (strstr (phrase, "\"RecognitionStatus\":\"TooManyRequests\""));
  client_free (b);

  guint status;
  GBytes *wav = g_bytes_new (h, sizeof h);
  GBytes *r = http (&f, "POST", "/speech/recognition/conversation/cognitiveservices/v1"
      "?language=en-US", wav, NULL, &status);
  g_assert_cmpuint (status, ==, 429);
  g_bytes_unref (r);

  /* 1.5 s of audio in one message passes the 1 s limit: BadRequest, turn ends */
  gsize n = 48000;
  guint8 *pcm = g_malloc0 (n);
  send_audio (a, ID_A, pcm, n);
  g_free (pcm);
  phrase = wait_message (a, "speech.phrase", ID_A);
  g_assert_nonnull (strstr (phrase, "\"RecognitionStatus\":\"BadRequest\""));
  wait_message (a, "turn.end", ID_A);
  g_assert_cmpfloat (metric (&f, "stt_streams_active"), ==, 0);
  g_assert_cmpfloat (metric (&f, "stt_errors_total{kind=\"audio_limit\"}"), ==, 1);
  g_assert_cmpfloat (metric (&f, "stt_errors_total{kind=\"too_many_streams\"}"), ==, 2);
  client_free (a);
  g_bytes_unref (wav);
  fixture_stop (&f);
}

static void riff_header (guint8 *h, guint tag, guint channels, guint rate, guint bits);

static void
test_auth_and_language (void)
{
  Fixture f;
  fixture_start (&f, 0, 0, KEY);
  guint status = 0;
  g_assert_null (ws_connect (&f, "interactive", NULL, NULL, &status));
  g_assert_cmpuint (status, ==, 401);
  g_assert_null (ws_connect (&f, "interactive", NULL, "wrong", &status));
  g_assert_cmpuint (status, ==, 401);
  Client *c = ws_connect (&f, "interactive", NULL, KEY, &status);
  g_assert_nonnull (c);
  client_free (c);
  c = ws_connect (&f, "interactive", "language=en-US&Ocp-Apim-Subscription-Key=" KEY, NULL,
      &status);
  g_assert_nonnull (c);
  client_free (c);
  g_assert_cmpfloat (metric (&f, "stt_errors_total{kind=\"auth\"}"), ==, 2);

  c = ws_connect (&f, "conversation", "language=de-DE", KEY, &status);
  guint8 h[44];
  riff_header (h, 1, 1, 16000, 16);
  send_audio (c, ID_A, h, sizeof h);
  wait_closed (c, 1007);
  g_assert_nonnull (strstr (c->close_reason, "de-DE"));
  client_free (c);

  const char *rest = "/speech/recognition/conversation/cognitiveservices/v1?language=en-US";
  guint8 junk[100] = { 1, 2, 3 };
  GBytes *body = g_bytes_new (junk, sizeof junk);
  GBytes *r = http (&f, "POST", rest, body, NULL, &status);
  g_assert_cmpuint (status, ==, 403);
  g_bytes_unref (r);
  r = http (&f, "POST", rest, body, "wrong", &status);
  g_assert_cmpuint (status, ==, 401);
  g_bytes_unref (r);
  r = http (&f, "POST", "/speech/recognition/conversation/cognitiveservices/v1", body, KEY,
      &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (r, NULL), g_bytes_get_size (r),
          "language"));
  g_bytes_unref (r);
  r = http (&f, "POST", rest, NULL, KEY, &status);
  g_assert_cmpuint (status, ==, 400);
  g_bytes_unref (r);
  /* bytes GStreamer cannot decode */
  r = http (&f, "POST", rest, body, KEY, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (r, NULL), g_bytes_get_size (r),
          "InvalidAudio"));
  g_bytes_unref (r);
  g_bytes_unref (body);
  fixture_stop (&f);
}

/* ---- raw TCP: bytes that are not HTTP, and oversized HTTP headers ----------------------------- */

typedef struct {
  guint port;
  GBytes *request;
  char *reply;                  /* first bytes of the answer ("" when the server just closed) */
  gboolean done;
} RawCall;

/* Blocking socket I/O runs in a thread: the service answers from this thread's main context. */
static gpointer
raw_thread (gpointer data)
{
  RawCall *c = data;
  GSocketClient *client = g_socket_client_new ();
  g_socket_client_set_timeout (client, 10);
  GError *err = NULL;
  GSocketConnection *conn = g_socket_client_connect_to_host (client, "127.0.0.1", c->port, NULL,
      &err);
  g_assert_no_error (err);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  /* The server may close before everything is written: that is an answer too. */
  g_output_stream_write_all (out, g_bytes_get_data (c->request, NULL),
      g_bytes_get_size (c->request), NULL, NULL, NULL);
  char buf[256] = { 0 };
  gssize n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf,
      sizeof buf - 1, NULL, NULL);
  c->reply = g_strndup (buf, MAX (n, 0));
  g_object_unref (conn);
  g_object_unref (client);
  g_atomic_int_set (&c->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

static char *
raw_request (Fixture *f, GBytes *request)
{
  RawCall c = { stt_service_get_port (f->service), request, NULL, FALSE };
  GThread *t = g_thread_new ("raw-client", raw_thread, &c);
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (15, timeout_cb, &expired);
  while (!g_atomic_int_get (&c.done) && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (id);
  g_thread_join (t);
  return c.reply;
}

static void
test_raw_garbage (void)
{
  Fixture f;
  fixture_start (&f, 0, 0, NULL);
  GRand *r = g_rand_new_with_seed (g_test_rand_int ());
  guint8 junk[4096];
  for (guint i = 0; i < sizeof junk; i++)
    junk[i] = g_rand_int_range (r, 0, 256);
  g_rand_free (r);
  /* ended like a request, so the server has all of it: it must answer 400 */
  memcpy (junk + sizeof junk - 4, "\r\n\r\n", 4);
  GBytes *b = g_bytes_new (junk, sizeof junk);
  char *reply = raw_request (&f, b);
  g_test_message ("reply to garbage: %.40s", reply);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.") && strstr (reply, " 400 "));
  g_free (reply);
  g_bytes_unref (b);

  GString *big = g_string_new ("GET /speech/recognition/interactive/cognitiveservices/v1 "
      "HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nX-Huge: ");
  for (int i = 0; i < 200000; i++)
    g_string_append_c (big, 'a');
  g_string_append (big, "\r\n\r\n");
  b = g_bytes_new (big->str, big->len);
  g_string_free (big, TRUE);
  reply = raw_request (&f, b);
  /* refused, or the connection dropped: never an upgrade */
  g_test_message ("reply to a 200 KB header: %.40s", reply);
  g_assert_true (*reply == '\0' || (g_str_has_prefix (reply, "HTTP/1.") && reply[9] == '4'));
  g_free (reply);
  g_bytes_unref (b);

  JsonParser *p;
  http_json (&f, "/ready", 200, &p);
  g_object_unref (p);
  fixture_stop (&f);
}

/* ---- slow and idle clients ------------------------------------------------------------------ */

/* A raw TCP client driven from the main context: sends @data one byte per @interval_ms (all at
 * once when 0, then nothing), and notices when the server closes the connection. */
typedef struct {
  GSocket *sock;
  const char *data;
  gsize len, sent;
  gboolean closed;
} SlowClient;

static gboolean
slow_tick (gpointer data)
{
  SlowClient *c = data;
  char buf[512];
  GError *err = NULL;
  gssize n = g_socket_receive (c->sock, buf, sizeof buf, NULL, &err);
  if (n == 0 || (n < 0 && !g_error_matches (err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)))
    c->closed = TRUE;
  g_clear_error (&err);
  if (c->closed)
    return G_SOURCE_REMOVE;
  if (c->sent < c->len && g_socket_send (c->sock, c->data + c->sent, 1, NULL, NULL) == 1)
    c->sent++;
  return G_SOURCE_CONTINUE;
}

static SlowClient *
slow_client_new (Fixture *f, const char *data, guint interval_ms)
{
  SlowClient *c = g_new0 (SlowClient, 1);
  GError *err = NULL;
  c->sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
      &err);
  g_assert_no_error (err);
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *addr = g_inet_socket_address_new (lo, stt_service_get_port (f->service));
  g_assert_true (g_socket_connect (c->sock, addr, NULL, &err));
  g_assert_no_error (err);
  g_object_unref (addr);
  g_object_unref (lo);
  g_socket_set_blocking (c->sock, FALSE);
  c->data = data;
  c->len = strlen (data);
  if (!interval_ms) {
    g_assert_cmpint (g_socket_send (c->sock, data, c->len, NULL, &err), ==, c->len);
    c->sent = c->len;
  }
  g_timeout_add (interval_ms ? interval_ms : 50, slow_tick, c);
  return c;
}

/* A fixture with the given timeouts (s; 0 = default). */
static void
fixture_start_timeouts (Fixture *f, guint max_streams, guint header, guint idle, guint conn)
{
  fixture_timeouts[0] = header;
  fixture_timeouts[1] = idle;
  fixture_timeouts[2] = conn;
  fixture_start (f, max_streams, 0, NULL);
  memset (fixture_timeouts, 0, sizeof fixture_timeouts);
}

static void
slow_client_free (SlowClient *c)
{
  g_socket_close (c->sock, NULL);
  g_object_unref (c->sock);
  g_free (c);
}

/* A client that dribbles its headers (slowloris), one that never sends a byte and one whose
 * body stops are dropped after the configured timeouts, while a normal client is served. */
static void
test_slow_http_clients (void)
{
  Fixture f;
  fixture_start_timeouts (&f, 0, 1, 1, 0);
  const char *dribble = "GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
  SlowClient *loris = slow_client_new (&f, dribble, 100);      /* would take ~9 s */
  SlowClient *mute = slow_client_new (&f, "", 0);
  SlowClient *stalled = slow_client_new (&f, "POST /speech/recognition/conversation/"
      "cognitiveservices/v1?language=en-US HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: audio/wav\r\nContent-Length: 100000\r\n\r\nRIFF", 0);
  gint64 start = g_get_monotonic_time ();
  /* a normal client is served while those hang on */
  JsonParser *p;
  JsonObject *o = http_json (&f, "/ready", 200, &p);
  g_assert_cmpstr (json_object_get_string_member (o, "ready"), ==, "ready");
  g_object_unref (p);
  g_assert_false (loris->closed);
  wait_for (&loris->closed);
  wait_for (&mute->closed);
  wait_for (&stalled->closed);
  double took = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("dropped after %.1f s, the slow client had sent %zu of %zu bytes", took,
      loris->sent, loris->len);
  g_assert_cmpuint (loris->sent, <, loris->len);
  g_assert_cmpfloat (took, >=, 0.9);
  g_assert_cmpfloat (metric (&f, "stt_errors_total{kind=\"timeout\"}"), ==, 3);
  o = http_json (&f, "/ready", 200, &p);
  g_object_unref (p);
  slow_client_free (loris);
  slow_client_free (mute);
  slow_client_free (stalled);
  fixture_stop (&f);
}

/* A WebSocket that goes silent mid-turn loses the turn (in-band Error, stream freed) while
 * another connection is served; once idle between turns it is closed with 1000. */
static void
test_silent_websocket (void)
{
  Fixture f;
  fixture_start_timeouts (&f, 1, 0, 1, 2);
  guint8 h[44];
  riff_header (h, 1, 1, 16000, 16);
  /* no audio after the header: the fragment "identity" cannot take any (it gives no results) */
  Client *a = ws_connect (&f, "conversation", NULL, NULL, NULL);
  send_text (a, "speech.config", ID_A, "{}");
  send_audio (a, ID_A, h, sizeof h);
  wait_message (a, "turn.start", ID_A);
  g_assert_cmpfloat (metric (&f, "stt_streams_active"), ==, 1);
  const char *phrase = wait_message (a, "speech.phrase", ID_A);
  g_assert_nonnull (strstr (phrase, "\"RecognitionStatus\":\"Error\""));
  g_assert_nonnull (strstr (phrase, "no audio for 1 s"));
  wait_message (a, "turn.end", ID_A);
  g_assert_false (a->closed);
  g_assert_cmpfloat (metric (&f, "stt_streams_active"), ==, 0);
  /* the one stream slot is free again: a normal client gets a turn */
  Client *b = ws_connect (&f, "conversation", NULL, NULL, NULL);
  send_audio (b, ID_B, h, sizeof h);
  send_audio (b, ID_B, NULL, 0);
  wait_message (b, "turn.end", ID_B);
  g_assert_null (strstr (wait_message (b, "speech.phrase", ID_B), "TooManyRequests"));
  client_free (b);
  wait_closed (a, 1000);
  g_assert_nonnull (strstr (a->close_reason, "idle"));
  g_assert_cmpfloat (metric (&f, "stt_errors_total{kind=\"timeout\"}"), ==, 2);
  client_free (a);
  fixture_stop (&f);
}

/* Option values that are not numbers are answered in band, naming the option; language
 * identification among languages this service does not serve is refused like a language. */
static void
test_bad_options (void)
{
  Fixture f;
  fixture_start (&f, 0, 0, NULL);
  guint8 h[44];
  riff_header (h, 1, 1, 16000, 16);
  Client *c = ws_connect (&f, "conversation",
      "language=en-US&segmentationSilenceTimeoutMs=soon", NULL, NULL);
  send_audio (c, ID_A, h, sizeof h);
  const char *phrase = wait_message (c, "speech.phrase", ID_A);
  g_assert_nonnull (strstr (phrase, "\"RecognitionStatus\":\"BadRequest\""));
  g_assert_nonnull (strstr (phrase, "segmentationSilenceTimeoutMs=soon"));
  wait_message (c, "turn.end", ID_A);
  client_free (c);

  c = ws_connect (&f, "conversation", NULL, NULL, NULL);
  send_text (c, "speech.context", ID_A, "{\"phraseOutput\":{\"interimResults\":"
      "{\"stableThreshold\":-3}}}");
  send_audio (c, ID_A, h, sizeof h);
  phrase = wait_message (c, "speech.phrase", ID_A);
  g_assert_nonnull (strstr (phrase, "stableIntermediateThreshold=-3"));
  client_free (c);

  c = ws_connect (&f, "conversation", "language=en-US&lidEnabled=true", NULL, NULL);
  send_text (c, "speech.context", ID_A, "{\"languageId\":{\"languages\":[\"en-US\","
      "\"de-DE\"],\"mode\":\"DetectAtAudioStart\"}}");
  send_audio (c, ID_A, h, sizeof h);
  wait_closed (c, 1007);
  g_assert_nonnull (strstr (c->close_reason, "de-DE"));
  g_assert_nonnull (strstr (c->close_reason, "identification"));
  client_free (c);
  g_assert_cmpfloat (metric (&f, "stt_errors_total{kind=\"bad_request\"}"), ==, 2);
  fixture_stop (&f);
}

/* ---- with the recognizer (skipped when sttdecoder is not built) ------------------------------ */

typedef struct {
  guint calls;
  double seconds;
  char *endpoint;
  gboolean refuse;
} Usage;

static gboolean
record_usage (const char *model_id, double audio_seconds, const char *endpoint,
    gpointer user_data, GError **error)
{
  Usage *u = user_data;
  g_assert_cmpstr (model_id, ==, "test-model");
  u->calls++;
  u->seconds = audio_seconds;
  g_free (u->endpoint);
  u->endpoint = g_strdup (endpoint);
  if (u->refuse) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "usage disk full");
    return FALSE;
  }
  return TRUE;
}

/* Starts a fixture on the real recognizer; FALSE (test skipped) when it is not built. */
static gboolean
recognizer_start (Fixture *f, Usage *u)
{
  GstElementFactory *dec = gst_element_factory_find ("sttdecoder");
  if (!dec) {
    g_test_skip ("sttdecoder is not built");
    return FALSE;
  }
  gst_object_unref (dec);
  const char *p = g_getenv ("STT_SERVICE_PIPELINE");
  fixture_pipeline = p && *p ? p : "sttfeatures ! sttacoustic ! sttdecoder";
  fixture_usage = record_usage;
  fixture_usage_data = u;
  fixture_start (f, 0, 0, NULL);
  fixture_pipeline = "identity";
  fixture_usage = NULL;
  fixture_usage_data = NULL;
  return TRUE;
}

#define RECORDING "dev/arctic_cathy/cathy_arctic_a0002.wav"

/* Duration of the recording from the corpus' utt2dur. */
static double
recording_seconds (void)
{
  char *path = stt_test_data_path ("dev/arctic_cathy/utt2dur");
  char *text;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  char *at = strstr (text, "cathy_arctic_a0002 ");
  g_assert_nonnull (at);
  double d = g_ascii_strtod (at + strlen ("cathy_arctic_a0002 "), NULL);
  g_free (text);
  g_free (path);
  return d;
}

static gint64
json_int (const char *json, const char *member)
{
  JsonParser *p = json_parser_new ();
  g_assert_true (json_parser_load_from_data (p, json, -1, NULL));
  gint64 v = json_object_get_int_member (json_node_get_object (json_parser_get_root (p)), member);
  g_object_unref (p);
  return v;
}

/* The recording as one turn's audio under ID_A: its RIFF header, then 100 ms messages, then
 * @silence_bytes of digital silence; the end of audio is left to the caller. */
static void
send_recording (Client *c, gsize silence_bytes)
{
  char *path = stt_test_data_path (RECORDING);
  char *wav;
  gsize len;
  g_assert_true (g_file_get_contents (path, &wav, &len, NULL));
  SttRiffFormat fmt;
  g_assert_true (stt_riff_parse ((const guint8 *) wav, len, &fmt, NULL));
  send_audio (c, ID_A, (const guint8 *) wav, fmt.header_len);
  for (gsize at = fmt.header_len; at < len; at += 3200)
    send_audio (c, ID_A, (const guint8 *) wav + at, MIN (3200, len - at));
  if (silence_bytes) {
    guint8 *quiet = g_malloc0 (silence_bytes);
    send_audio (c, ID_A, quiet, silence_bytes);
    g_free (quiet);
  }
  g_free (wav);
  g_free (path);
}

static void
test_recognition_websocket (void)
{
  Fixture f;
  Usage u = { 0 };
  if (!recognizer_start (&f, &u))
    return;
  Client *c = ws_connect (&f, "conversation", "language=en-US&format=detailed"
      "&wordLevelTimestamps=true", NULL, NULL);
  send_text (c, "speech.config", ID_A, "{}");
  send_text (c, "speech.context", ID_A, "{\"phraseOutput\":{}}");
  send_recording (c, 0);
  send_audio (c, ID_A, NULL, 0);
  wait_message (c, "turn.end", ID_A);

  /* order: turn.start, speech.startDetected, hypotheses before the first phrase, phrases,
   * speech.endDetected, turn.end */
  const char *order[] = { "turn.start", "speech.startDetected", "speech.hypothesis",
    "speech.phrase", "speech.endDetected", "turn.end" };
  guint stage = 0;
  for (guint i = 0; i < c->texts->len; i++) {
    const char *t = c->texts->pdata[i];
    guint k = 0;
    while (k < G_N_ELEMENTS (order) && !g_str_has_prefix (t + 6, order[k]))
      k++;
    g_assert_cmpuint (k, <, G_N_ELEMENTS (order));
    g_assert_cmpuint (k, >=, stage);
    if (i < 2 || k < 2)
      g_assert_cmpuint (k, ==, i);          /* the first two come once, in this order */
    stage = k;
  }
  g_assert_cmpuint (stage, ==, 5);
  g_assert_true (has_path (c, "speech.hypothesis"));
  const char *phrase = wait_message (c, "speech.phrase", ID_A);
  g_assert_nonnull (strstr (phrase, "\"RecognitionStatus\":\"Success\""));
  g_assert_nonnull (strstr (phrase, "\"Words\":[{"));
  gint64 audio_ticks = (gint64) (recording_seconds () * STT_TICKS_PER_SECOND);
  g_assert_cmpint (json_int (phrase, "Offset") + json_int (phrase, "Duration"), <=, audio_ticks);
  g_assert_cmpint (json_int (wait_message (c, "speech.endDetected", ID_A), "Offset"), <=,
      audio_ticks);
  /* one usage record, for exactly the audio sent */
  g_assert_cmpuint (u.calls, ==, 1);
  g_assert_cmpfloat_with_epsilon (u.seconds, recording_seconds (), 0.001);
  g_assert_cmpstr (u.endpoint, ==, "/speech/recognition/conversation/cognitiveservices/v1");
  g_assert_cmpfloat (metric (&f, "stt_streams_active"), ==, 0);
  g_assert_cmpfloat (metric (&f, "stt_first_partial_latency_seconds_count"), ==, 1);
  g_assert_cmpfloat (metric (&f, "stt_final_latency_seconds_count"), >=, 1);
  client_free (c);
  g_free (u.endpoint);
  fixture_stop (&f);
}

/* Success phrases of one conversation turn on the recording followed by 1 s of silence, with
 * @query and @context. */
static guint
count_phrases (Fixture *f, const char *query, const char *context)
{
  Client *c = ws_connect (f, "conversation", query, NULL, NULL);
  send_text (c, "speech.context", ID_A, context);
  send_recording (c, 32000);
  send_audio (c, ID_A, NULL, 0);
  wait_message (c, "turn.end", ID_A);
  guint n = 0;
  for (guint i = 0; i < c->texts->len; i++)
    n += g_str_has_prefix (c->texts->pdata[i], "Path: speech.phrase")
        && strstr (c->texts->pdata[i], "\"RecognitionStatus\":\"Success\"");
  client_free (c);
  return n;
}

/* The segmentation silence reaches the stream's decoder from the query and from the
 * speech.context segmentation block alike: a short one splits the recording at a pause that
 * the default 500 ms does not. */
static void
test_recognition_segmentation (void)
{
  Fixture f;
  Usage u = { 0 };
  if (!recognizer_start (&f, &u))
    return;
  guint by_default = count_phrases (&f, NULL, "{}");
  guint by_query = count_phrases (&f, "language=en-US&segmentationSilenceTimeoutMs=200", "{}");
  guint by_context = count_phrases (&f, NULL, "{\"phraseDetection\":{\"mode\":\"Conversation\","
      "\"conversation\":{\"segmentation\":{\"mode\":\"Custom\","
      "\"segmentationSilenceTimeoutMs\":200}}}}");
  g_test_message ("phrases: %u with the default, %u with 200 ms in the query, %u in the context",
      by_default, by_query, by_context);
  g_assert_cmpuint (by_default, >=, 1);
  g_assert_cmpuint (by_query, >, by_default);
  g_assert_cmpuint (by_context, ==, by_query);
  g_free (u.endpoint);
  fixture_stop (&f);
}

static void
test_recognition_rest (void)
{
  Fixture f;
  Usage u = { 0 };
  if (!recognizer_start (&f, &u))
    return;
  char *path = stt_test_data_path (RECORDING);
  char *wav;
  gsize len;
  g_assert_true (g_file_get_contents (path, &wav, &len, NULL));
  GBytes *body = g_bytes_new_take (wav, len);
  const char *rest = "/speech/recognition/conversation/cognitiveservices/v1?language=en-US"
      "&format=detailed";
  guint status;
  GBytes *r = http (&f, "POST", rest, body, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  char *json = g_strndup (g_bytes_get_data (r, NULL), g_bytes_get_size (r));
  g_assert_nonnull (strstr (json, "\"RecognitionStatus\":\"Success\""));
  g_assert_nonnull (strstr (json, "\"Phrases\":[{"));
  g_assert_cmpint (json_int (json, "Offset") + json_int (json, "Duration"), <=,
      (gint64) (recording_seconds () * STT_TICKS_PER_SECOND));
  g_free (json);
  g_bytes_unref (r);
  g_assert_cmpuint (u.calls, ==, 1);
  g_assert_cmpfloat_with_epsilon (u.seconds, recording_seconds (), 0.001);

  /* a usage record that cannot be written: no result */
  u.refuse = TRUE;
  r = http (&f, "POST", rest, body, NULL, &status);
  g_assert_cmpuint (status, ==, 503);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (r, NULL), g_bytes_get_size (r),
          "usage disk full"));
  g_bytes_unref (r);
  g_bytes_unref (body);
  g_free (path);
  g_free (u.endpoint);
  fixture_stop (&f);
}

static void
test_bad_config (void)
{
  SttServiceConfig cfg = { .host = "127.0.0.1", .pipeline = "no-such-element-xyz" };
  GError *err = NULL;
  g_assert_null (stt_service_new (&cfg, &err));
  g_assert_error (err, STT_SERVICE_ERROR, STT_SERVICE_ERROR_CONFIG);
  g_assert_nonnull (strstr (err->message, "no-such-element-xyz"));
  g_clear_error (&err);
  /* the fragment must end in results: a front end alone gives features or audio */
  cfg.pipeline = "audioconvert";
  g_assert_null (stt_service_new (&cfg, &err));
  g_assert_error (err, STT_SERVICE_ERROR, STT_SERVICE_ERROR_CONFIG);
  g_assert_nonnull (strstr (err->message, "application/x-stt-result"));
  g_clear_error (&err);
  cfg.pipeline = "sttprofanity";
  g_assert_null (stt_service_new (&cfg, &err));
  g_assert_error (err, STT_SERVICE_ERROR, STT_SERVICE_ERROR_CONFIG);
  g_assert_nonnull (strstr (err->message, "16 kHz"));
  g_clear_error (&err);
  cfg.pipeline = "identity";
  cfg.host = "not-an-address";
  SttService *s = stt_service_new (&cfg, &err);
  g_assert_no_error (err);
  g_assert_false (stt_service_start (s, &err));
  g_assert_error (err, STT_SERVICE_ERROR, STT_SERVICE_ERROR_CONFIG);
  g_clear_error (&err);
  stt_service_free (s);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/service/health", test_health);
  g_test_add_func ("/service/swagger", test_swagger);
  g_test_add_func ("/service/framing", test_framing);
  g_test_add_func ("/service/request-ids", test_request_ids);
  g_test_add_func ("/service/riff", test_riff);
  g_test_add_func ("/service/empty-turn", test_empty_turn);
  g_test_add_func ("/service/limits", test_limits);
  g_test_add_func ("/service/auth-and-language", test_auth_and_language);
  g_test_add_func ("/service/raw-garbage", test_raw_garbage);
  g_test_add_func ("/service/slow-http-clients", test_slow_http_clients);
  g_test_add_func ("/service/silent-websocket", test_silent_websocket);
  g_test_add_func ("/service/bad-options", test_bad_options);
  g_test_add_func ("/service/bad-config", test_bad_config);
  g_test_add_func ("/service/recognition/websocket", test_recognition_websocket);
  g_test_add_func ("/service/recognition/rest", test_recognition_rest);
  g_test_add_func ("/service/recognition/segmentation", test_recognition_segmentation);
  return g_test_run ();
}
