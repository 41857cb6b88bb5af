/* gst-stt — REST recognition of a whole audio file (spec §3 shape, all phrases).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The body is decoded by GStreamer (any container and codec it can play), recognized by one
 * stream, and answered with one JSON: simple (joined DisplayText) or detailed (joined NBest
 * plus one detailed phrase per segment in "Phrases").
 */
#include "service-private.h"
#include "stream.h"

#include <string.h>

struct _SttRestCall {
  SttService *service;
  SoupServerMessage *msg;
  SttStream *stream;
  SttOutputOptions opts;
  GPtrArray *finals;            /* SttResult* */
  gint64 start_us;
  char *endpoint;
  GSource *limit_source;        /* polls the decoded duration against max_audio_seconds */
};

static void
set_json (SoupServerMessage *msg, guint status, const char *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY,
      json, strlen (json));
}

static void
set_error (SoupServerMessage *msg, guint status, const char *code, const char *message)
{
  JsonBuilder *b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  JsonNode *root = json_builder_get_root (b);
  char *s = json_to_string (root, FALSE);
  set_json (msg, status, s);
  g_free (s);
  json_node_unref (root);
  g_object_unref (b);
}

/* Finish the call: answer (unless cancelled), release everything. */
static void
call_finish (SttRestCall *c, gboolean answer, guint status, const char *code, const char *text)
{
  SttService *svc = c->service;
  svc->rest_calls = g_list_remove (svc->rest_calls, c);
  if (c->limit_source) {
    g_source_destroy (c->limit_source);
    g_source_unref (c->limit_source);
  }
  double secs = c->stream ? stt_stream_get_audio_seconds (c->stream) : 0;
  if (c->stream) {
    stt_stream_free (c->stream);
    stt_metrics_stream_finished (svc->metrics, secs,
        (g_get_monotonic_time () - c->start_us) / 1e6);
  }
  if (answer) {
    GError *err = NULL;
    if (status == 200 && !stt_service_report_usage (svc, secs, c->endpoint, &err)) {
      set_error (c->msg, 503, "UsageNotRecorded", err->message);
      g_error_free (err);
    } else if (status == 200) {
      char *body = stt_sdk_rest_json (c->finals, (gint64) (secs * STT_TICKS_PER_SECOND),
          &c->opts);
      set_json (c->msg, 200, body);
      g_free (body);
    } else {
      set_error (c->msg, status, code, text);
    }
  }
  soup_server_message_unpause (c->msg);
  g_object_unref (c->msg);
  g_ptr_array_unref (c->finals);
  g_free (c->endpoint);
  g_free (c);
}

static void
on_result (SttStream *stream, SttResult *r, gpointer data)
{
  SttRestCall *c = data;
  if (r->kind == STT_RESULT_FINAL)
    g_ptr_array_add (c->finals, stt_result_ref (r));
}

static void
on_speech (SttStream *stream, GstSttSpeechEventType type, gint64 offset, gpointer data)
{
}

static gboolean check_limit (gpointer data);

static void
on_eos (SttStream *stream, gpointer data)
{
  SttRestCall *c = data;
  if (check_limit (c) == G_SOURCE_REMOVE)
    return;
  stt_metrics_final_latency (c->service->metrics, (g_get_monotonic_time () - c->start_us) / 1e6);
  call_finish (c, TRUE, 200, NULL, NULL);
}

static void
on_error (SttStream *stream, const char *message, gpointer data)
{
  SttRestCall *c = data;
  /* Decoding errors come from the demuxers/decoders: the client sent something unplayable. */
  gboolean input = strstr (message, "decodebin") || strstr (message, "typefind")
      || stt_stream_get_audio_seconds (stream) == 0;
  stt_metrics_error (c->service->metrics, input ? "audio_format" : "pipeline");
  char *text = g_strdup_printf ("%s%s", input ? "the audio could not be decoded: " : "", message);
  call_finish (c, TRUE, input ? 400 : 500, input ? "InvalidAudio" : "InternalError", text);
  g_free (text);
}

static const SttStreamCallbacks rest_callbacks = { on_result, on_speech, on_eos, on_error };

void
stt_rest_cancel (SttRestCall *call)
{
  call_finish (call, TRUE, 503, "ServiceStopping", "the service is stopping");
}

static gboolean
check_request (SttService *svc, SoupServerMessage *msg, GHashTable *query, GBytes *body)
{
  const char *language = stt_query_get (query, "language");
  SttMetrics *m = svc->metrics;
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  if (svc->api_key && !stt_service_key_ok (svc, msg, query)) {
    gboolean missing = !soup_message_headers_get_one (h, "Ocp-Apim-Subscription-Key")
        && !soup_message_headers_get_one (h, "Authorization")
        && !stt_query_get (query, "Ocp-Apim-Subscription-Key");
    stt_metrics_error (m, "auth");
    set_error (msg, missing ? 403 : 401, missing ? "Forbidden" : "Unauthorized", missing
        ? "send the service's key in Ocp-Apim-Subscription-Key" : "the key is not valid");
    return FALSE;
  }
  if (!language) {
    stt_metrics_error (m, "bad_request");
    set_error (msg, 400, "BadRequest", "the language query parameter is required, e.g. "
        "?language=en-US");
    return FALSE;
  }
  if (!stt_service_language_ok (svc, language)) {
    stt_metrics_error (m, "language");
    char *t = g_strdup_printf ("language %s is not served here (model locale %s)", language,
        svc->locale);
    set_error (msg, 400, "BadRequest", t);
    g_free (t);
    return FALSE;
  }
  if (!body || g_bytes_get_size (body) == 0) {
    stt_metrics_error (m, "bad_request");
    set_error (msg, 400, "BadRequest", "the request has no audio; POST the file as the body");
    return FALSE;
  }
  if (!stt_service_has_stream_slot (svc)) {
    stt_metrics_error (m, "too_many_streams");
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
        "Retry-After", "1");
    set_error (msg, 429, "TooManyRequests", "all recognition streams are in use; retry later");
    return FALSE;
  }
  return TRUE;
}

/* Stops the call as soon as the decoded audio passes the limit (the length of a compressed
 * body is only known once it is decoded). */
static gboolean
check_limit (gpointer data)
{
  SttRestCall *c = data;
  guint max = c->service->max_audio_seconds;
  if (max && stt_stream_get_audio_seconds (c->stream) > max) {
    stt_metrics_error (c->service->metrics, "audio_limit");
    char *t = g_strdup_printf ("the audio is longer than %u s, the limit of this service", max);
    call_finish (c, TRUE, 413, "AudioTooLong", t);
    g_free (t);
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

void
stt_rest_handle (SttService *svc, SoupServerMessage *msg, GHashTable *query)
{
  SoupMessageBody *req = soup_server_message_get_request_body (msg);
  GBytes *body = soup_message_body_flatten (req);
  if (!check_request (svc, msg, query, body)) {
    g_bytes_unref (body);
    return;
  }
  SttRestCall *c = g_new0 (SttRestCall, 1);
  c->service = svc;
  c->msg = g_object_ref (msg);
  c->finals = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_result_unref);
  c->start_us = g_get_monotonic_time ();
  c->endpoint = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  const char *format = stt_query_get (query, "format");
  c->opts.detailed = format && g_ascii_strcasecmp (format, "detailed") == 0;
  c->opts.word_timings = c->opts.detailed;
  stt_profanity_option_from_string (stt_query_get (query, "profanity"), &c->opts.profanity);
  GError *err = NULL;
  c->stream = stt_stream_new_decoded (svc->pipeline, &rest_callbacks, c, &err);
  if (c->stream) {
    stt_stream_set_factory_property (c->stream, "sttprofanity", "mode",
        stt_profanity_option_to_string (c->opts.profanity));
    if (!stt_stream_start (c->stream, &err))
      g_clear_pointer (&c->stream, stt_stream_free);
  }
  /* A status must be set before returning, or the WebSocket handler of this path would
   * answer 400; the real one replaces it when the call finishes. */
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_pause (msg);
  svc->rest_calls = g_list_prepend (svc->rest_calls, c);
  if (!c->stream) {
    stt_metrics_error (svc->metrics, "pipeline");
    call_finish (c, TRUE, 500, "InternalError", err->message);
    g_error_free (err);
    g_bytes_unref (body);
    return;
  }
  stt_metrics_stream_started (svc->metrics);
  gsize len;
  const guint8 *data = g_bytes_get_data (body, &len);
  stt_stream_push (c->stream, data, len);
  stt_stream_end (c->stream);
  g_bytes_unref (body);
  if (svc->max_audio_seconds) {
    c->limit_source = g_timeout_source_new (20);
    g_source_set_callback (c->limit_source, check_limit, c, NULL);
    g_source_attach (c->limit_source, svc->context);
  }
}
