/* gst-stt — one Speech SDK WebSocket connection and its turns.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Policy (../shared/spec/speech-sdk-protocol.md §2.5): one turn per X-RequestId. The RIFF
 * header opens it (turn.start) and starts a pipeline; results are forwarded as they come;
 * interactive turns end after their first phrase, continuous ones after the empty audio frame
 * once the pipeline has flushed. Every turn ends with speech.endDetected + turn.end, and has at
 * least one speech.phrase (a status-only one when nothing was recognized), so the SDK's
 * promises always resolve. Protocol violations close the socket with the documented code.
 */
#include "service-private.h"
#include "frame.h"
#include "stream.h"
#include "stable.h"

#include <string.h>

#define CLOSE_PROTOCOL 1002     /* missing headers, bad or reused request id */
#define CLOSE_BAD_DATA 1007     /* bad framing or audio format */
#define DEFAULT_INTERACTIVE_INITIAL_SILENCE_MS "5000"

struct _SttSession {
  SttService *service;
  SoupWebsocketConnection *ws;
  char *mode;
  char *connection_id;
  gboolean interactive;
  SttOutputOptions opts;
  char *initial_silence_ms, *end_silence_ms, *segmentation_silence_ms, *max_phrase_ms;
  guint stable_threshold;       /* stableIntermediateThreshold; 0 = every partial in full */
  char *language;               /* the locale served, for PrimaryLanguage */
  GHashTable *finished;         /* request ids whose turn has ended */
  gboolean closing;
  char *language_error;         /* set when the language is not served: close at the RIFF */
  char *bad_request;            /* an option value that is not valid: BadRequest per turn */
  GSource *idle_watch;          /* re-armed by every message: slow or silent clients */

  /* the turn in progress (turn_id != NULL) */
  char *turn_id;
  SttStream *stream;
  SttRiffFormat format;
  guint64 audio_bytes;
  gboolean audio_ended, speech_started, any_phrase, got_partial;
  gint64 speech_end;            /* ticks of the last speech-end event, -1 when none */
  gint64 first_audio_us, end_audio_us;
  SttStableText *stable;        /* stable partials of the phrase in progress, or NULL */
};

static void
send_text (SttSession *s, const char *path, const char *body)
{
  if (soup_websocket_connection_get_state (s->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  char *msg = stt_frame_build_text (path, s->turn_id, body);
  soup_websocket_connection_send_text (s->ws, msg);
  g_free (msg);
}

static double
turn_audio_seconds (SttSession *s)
{
  if (!s->format.rate)
    return 0;
  return (double) s->audio_bytes / (s->format.rate * s->format.channels * (s->format.bits / 8));
}

static void
send_status_phrase (SttSession *s, const char *status, const char *message)
{
  gint64 ticks = (gint64) (turn_audio_seconds (s) * STT_TICKS_PER_SECOND);
  char *body = stt_sdk_status_phrase_json (status, 0, ticks, message);
  send_text (s, "speech.phrase", body);
  g_free (body);
}

static void
close_with (SttSession *s, gushort code, const char *kind, const char *reason)
{
  stt_metrics_error (s->service->metrics, kind);
  g_message ("connection %s: closing with %u: %s", s->connection_id, code, reason);
  if (soup_websocket_connection_get_state (s->ws) == SOUP_WEBSOCKET_STATE_OPEN) {
    /* A close reason is limited to 123 bytes by RFC 6455. */
    char *r = g_utf8_substring (reason, 0, MIN (g_utf8_strlen (reason, -1), 120));
    while (strlen (r) > 123)
      r[strlen (r) - 4] = '\0';
    soup_websocket_connection_close (s->ws, code, r);
    g_free (r);
  }
  s->closing = TRUE;
}

static void arm_idle_watch (SttSession *s);

/* Ends the turn: drops the pipeline, reports usage, sends endDetected + turn.end unless
 * @silent (the connection is going away or the client moved on). */
static void
end_turn (SttSession *s, gboolean silent)
{
  if (!s->turn_id)
    return;
  SttService *svc = s->service;
  double secs = turn_audio_seconds (s);
  g_clear_pointer (&s->stable, stt_stable_text_free);
  if (s->stream) {
    stt_stream_free (s->stream);
    s->stream = NULL;
    double wall = s->first_audio_us ? (g_get_monotonic_time () - s->first_audio_us) / 1e6 : 0;
    stt_metrics_stream_finished (svc->metrics, secs, wall);
  }
  char *endpoint = g_strconcat (STT_PATH_PREFIX, s->mode, STT_PATH_SUFFIX, NULL);
  GError *err = NULL;
  if (secs > 0 && !stt_service_report_usage (svc, secs, endpoint, &err)) {
    g_warning ("usage record for %s failed: %s", s->turn_id, err->message);
    if (!silent)
      send_status_phrase (s, "Error", err->message);
    g_clear_error (&err);
  }
  g_free (endpoint);
  if (!silent) {
    gint64 end = s->speech_end >= 0 ? s->speech_end
        : (gint64) (secs * STT_TICKS_PER_SECOND);
    char *body = stt_sdk_offset_json (end);
    send_text (s, "speech.endDetected", body);
    g_free (body);
    send_text (s, "turn.end", "{}");
  }
  g_hash_table_add (s->finished, s->turn_id);
  s->turn_id = NULL;
  arm_idle_watch (s);           /* the connection's own timeout from now */
}

/* ---- results from the pipeline -------------------------------------------------------------- */

static void
ensure_speech_started (SttSession *s, gint64 offset)
{
  if (s->speech_started)
    return;
  s->speech_started = TRUE;
  char *body = stt_sdk_offset_json (offset);
  send_text (s, "speech.startDetected", body);
  g_free (body);
}

/* The hypothesis with only the words that have been stable for stable_threshold partials, or
 * NULL when that prefix is empty or unchanged. It spans up to the end of its last word when the
 * words line up with the shown tokens (no ITN merged any), else the partial's whole span. */
static char *
stable_hypothesis_json (SttSession *s, const SttResult *r)
{
  SttHypothesis *best = stt_result_get_best (r);
  if (!best)
    return NULL;
  char *shown = stt_sdk_display_text (best, s->opts.profanity);
  guint n = 0;
  char *text = stt_stable_text_update (s->stable, shown, &n);
  char **all = g_strsplit (shown, " ", -1);
  gboolean aligned = g_strv_length (all) == stt_hypothesis_get_n_words (best);
  g_strfreev (all);
  g_free (shown);
  if (!text)
    return NULL;
  gint64 duration = r->duration;
  if (aligned && n > 0) {
    const SttWord *w = stt_hypothesis_get_word (best, n - 1);
    duration = w->offset + w->duration - r->offset;
  }
  char *json = stt_sdk_hypothesis_text_json (r, text, duration, &s->opts);
  g_free (text);
  return json;
}

static void
on_result (SttStream *stream, SttResult *r, gpointer data)
{
  SttSession *s = data;
  SttMetrics *m = s->service->metrics;
  ensure_speech_started (s, r->offset);
  if (r->kind == STT_RESULT_PARTIAL) {
    if (!s->got_partial && s->first_audio_us)
      stt_metrics_first_partial (m, (g_get_monotonic_time () - s->first_audio_us) / 1e6);
    s->got_partial = TRUE;
    char *body = s->stable ? stable_hypothesis_json (s, r) : stt_sdk_hypothesis_json (r, &s->opts);
    if (body)
      send_text (s, "speech.hypothesis", body);
    g_free (body);
    return;
  }
  if (s->stable)
    stt_stable_text_reset (s->stable);
  char *body = stt_sdk_phrase_json (r, &s->opts);
  send_text (s, "speech.phrase", body);
  g_free (body);
  s->any_phrase = TRUE;
  if (s->end_audio_us)
    stt_metrics_final_latency (m, (g_get_monotonic_time () - s->end_audio_us) / 1e6);
  /* Interactive recognition is one utterance: the client stops sending on turn.end. */
  if (s->interactive) {
    if (s->speech_end < 0)
      s->speech_end = r->offset + r->duration;
    end_turn (s, FALSE);
  }
}

static void
on_speech (SttStream *stream, GstSttSpeechEventType type, gint64 offset, gpointer data)
{
  SttSession *s = data;
  if (type == GST_STT_SPEECH_START)
    ensure_speech_started (s, offset);
  else
    s->speech_end = offset;
}

static void
on_eos (SttStream *stream, gpointer data)
{
  SttSession *s = data;
  if (!s->any_phrase)
    send_status_phrase (s, s->speech_started ? "NoMatch" : "InitialSilenceTimeout", NULL);
  end_turn (s, FALSE);
}

static void
on_error (SttStream *stream, const char *message, gpointer data)
{
  SttSession *s = data;
  stt_metrics_error (s->service->metrics, "pipeline");
  g_warning ("turn %s: %s", s->turn_id, message);
  send_status_phrase (s, "Error", message);
  end_turn (s, FALSE);
}

static const SttStreamCallbacks stream_callbacks = { on_result, on_speech, on_eos, on_error };

/* ---- turns ---------------------------------------------------------------------------------- */

static void
begin_turn (SttSession *s, const char *request_id)
{
  s->turn_id = g_strdup (request_id);
  s->stream = NULL;
  memset (&s->format, 0, sizeof s->format);
  s->audio_bytes = 0;
  s->audio_ended = s->speech_started = s->any_phrase = s->got_partial = FALSE;
  s->speech_end = -1;
  s->first_audio_us = s->end_audio_us = 0;
  if (s->stable_threshold)
    s->stable = stt_stable_text_new (s->stable_threshold);
  char *tag = g_uuid_string_random ();
  char *body = g_strdup_printf ("{\"context\":{\"serviceTag\":\"%s\"}}", tag);
  send_text (s, "turn.start", body);
  g_free (body);
  g_free (tag);
}

static void
apply_stream_options (SttSession *s)
{
  const char *profanity = stt_profanity_option_to_string (s->opts.profanity);
  stt_stream_set_factory_property (s->stream, "sttprofanity", "mode", profanity);
  /* sttdecoder's end-silence-timeout is the pause that ends a phrase: the SDK's segmentation
   * silence (in every mode: the SDK sends it for interactive turns too), else its end
   * silence. In interactive mode an explicit end silence wins, as it ends the utterance. */
  const char *end_ms = s->interactive
      ? (s->end_silence_ms ? s->end_silence_ms : s->segmentation_silence_ms)
      : (s->segmentation_silence_ms ? s->segmentation_silence_ms : s->end_silence_ms);
  /* An interactive turn from a microphone ends only when the service says so: without a
   * client value, give up after 5 s of initial silence like the cloud service. */
  const char *initial_ms = s->initial_silence_ms ? s->initial_silence_ms
      : s->interactive ? DEFAULT_INTERACTIVE_INITIAL_SILENCE_MS : NULL;
  struct { const char *prop; const char *value; } props[] = {
    { "initial-silence-timeout", initial_ms },
    { "end-silence-timeout", end_ms },
    { "max-phrase-duration", s->max_phrase_ms },
  };
  for (guint i = 0; i < G_N_ELEMENTS (props); i++) {
    if (!props[i].value || stt_stream_set_property (s->stream, props[i].prop, props[i].value))
      continue;
    /* sttdecoder ends an interactive turn on initial silence itself: its
     * InitialSilenceTimeout final ends the turn like any phrase (tested with the SDK on
     * endless room noise), so the service keeps no copy of that timeout. A fragment without
     * the property leaves such a turn to the client: say so. */
    if (i == 0 && s->interactive)
      g_message ("connection %s: no element of the pipeline has initial-silence-timeout: an "
          "interactive turn without speech ends only when the client ends its audio",
          s->connection_id);
    else
      g_debug ("no element of the pipeline has %s; %s ms ignored", props[i].prop,
          props[i].value);
  }
}

/* The bytes of a frame that fit under max_audio_seconds; FALSE when the limit is passed. */
static gboolean
within_audio_limit (SttSession *s, gsize len)
{
  guint max = s->service->max_audio_seconds;
  if (!max)
    return TRUE;
  guint64 bps = (guint64) s->format.rate * s->format.channels * (s->format.bits / 8);
  return s->audio_bytes + len <= max * bps;
}

static void
push_audio (SttSession *s, const guint8 *data, gsize len)
{
  if (!len)
    return;
  if (!within_audio_limit (s, len)) {
    stt_metrics_error (s->service->metrics, "audio_limit");
    char *msg = g_strdup_printf ("the request has more than %u s of audio, the limit of this "
        "service; send shorter requests", s->service->max_audio_seconds);
    send_status_phrase (s, "BadRequest", msg);
    g_free (msg);
    end_turn (s, FALSE);
    return;
  }
  if (!s->first_audio_us)
    s->first_audio_us = g_get_monotonic_time ();
  s->audio_bytes += len;
  stt_stream_push (s->stream, data, len);
}

static void
end_of_audio (SttSession *s)
{
  if (s->audio_ended)
    return;
  s->audio_ended = TRUE;
  s->end_audio_us = g_get_monotonic_time ();
  stt_stream_end (s->stream);
}

/* First audio message of a turn: RIFF header, limits, pipeline. */
static void
start_turn_with_audio (SttSession *s, const SttFrame *f)
{
  SttService *svc = s->service;
  if (f->body_len == 0) {
    /* End of audio before any audio: an empty turn. */
    begin_turn (s, f->request_id);
    send_status_phrase (s, "InitialSilenceTimeout", NULL);
    end_turn (s, FALSE);
    return;
  }
  SttRiffFormat fmt;
  GError *err = NULL;
  if (!stt_riff_parse (f->body, f->body_len, &fmt, &err)) {
    close_with (s, CLOSE_BAD_DATA, "audio_format", err->message);
    g_error_free (err);
    return;
  }
  begin_turn (s, f->request_id);
  s->format = fmt;
  if (s->bad_request) {
    stt_metrics_error (svc->metrics, "bad_request");
    send_status_phrase (s, "BadRequest", s->bad_request);
    end_turn (s, FALSE);
    return;
  }
  if (!stt_service_has_stream_slot (svc)) {
    stt_metrics_error (svc->metrics, "too_many_streams");
    char *msg = g_strdup_printf ("all %u recognition streams of this service are in use; "
        "retry later", svc->max_streams);
    send_status_phrase (s, "TooManyRequests", msg);
    g_free (msg);
    end_turn (s, FALSE);
    return;
  }
  s->stream = stt_stream_new_raw (svc->pipeline, &fmt, &stream_callbacks, s, &err);
  if (s->stream) {
    apply_stream_options (s);
    if (!stt_stream_start (s->stream, &err))
      g_clear_pointer (&s->stream, stt_stream_free);
  }
  if (!s->stream) {
    stt_metrics_error (svc->metrics, "pipeline");
    send_status_phrase (s, "Error", err->message);
    g_error_free (err);
    end_turn (s, FALSE);
    return;
  }
  stt_metrics_stream_started (svc->metrics);
  push_audio (s, f->body + fmt.header_len, f->body_len - fmt.header_len);
}

static void
handle_audio (SttSession *s, const SttFrame *f)
{
  if (g_hash_table_contains (s->finished, f->request_id))
    return;                     /* in-flight audio or the SDK's second empty frame (§2.3) */
  if (s->language_error) {
    close_with (s, CLOSE_BAD_DATA, "language", s->language_error);
    return;
  }
  if (!s->turn_id) {
    start_turn_with_audio (s, f);
    return;
  }
  if (g_ascii_strcasecmp (f->request_id, s->turn_id) != 0) {
    char *reason = g_strdup_printf ("audio X-RequestId %.32s is not that of the turn in "
        "progress (%.32s)", f->request_id, s->turn_id);
    close_with (s, CLOSE_PROTOCOL, "request_id", reason);
    g_free (reason);
    return;
  }
  if (s->audio_ended)
    return;
  if (f->body_len == 0)
    end_of_audio (s);
  else
    push_audio (s, f->body, f->body_len);
}

/* ---- speech.context ------------------------------------------------------------------------- */

/* A millisecond option: stored when it is a number in range, else every turn of the
 * connection answers BadRequest naming it (a silently ignored timeout would leave the client
 * guessing why its phrases end where they do). NULL @value = not given. */
static void
store_ms (SttSession *s, char **slot, const char *name, const char *value)
{
  if (!value)
    return;
  guint64 ms;
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT, &ms, NULL)) {
    if (!s->bad_request)
      s->bad_request = g_strdup_printf ("%s=%.40s is not a number of milliseconds "
          "(0 to %d)", name, value, G_MAXINT);
    return;
  }
  g_free (*slot);
  *slot = g_strdup_printf ("%" G_GUINT64_FORMAT, ms);
}

/* A member given as a JSON integer or string, as a string (NULL when absent or other). */
static char *
scalar_member (JsonObject *o, const char *member)
{
  if (!o || !json_object_has_member (o, member))
    return NULL;
  JsonNode *n = json_object_get_member (o, member);
  if (!JSON_NODE_HOLDS_VALUE (n))
    return NULL;
  GType t = json_node_get_value_type (n);
  return t == G_TYPE_STRING ? g_strdup (json_node_get_string (n))
      : t == G_TYPE_INT64 ? g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n))
      : NULL;
}

static void
set_ms (SttSession *s, char **slot, JsonObject *o, const char *member)
{
  char *v = scalar_member (o, member);
  store_ms (s, slot, member, v);
  g_free (v);
}

static JsonObject *
object_member (JsonObject *o, const char *name)
{
  if (!o || !json_object_has_member (o, name))
    return NULL;
  JsonNode *n = json_object_get_member (o, name);
  return JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

/* A string member, or NULL when absent or of another type (clients send anything). */
static const char *
string_member (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
      ? json_node_get_string (n) : NULL;
}

static void
store_threshold (SttSession *s, const char *value)
{
  guint64 n;
  if (!value)
    return;
  if (!g_ascii_string_to_unsigned (value, 10, 0, 1000, &n, NULL)) {
    if (!s->bad_request)
      s->bad_request = g_strdup_printf ("stableIntermediateThreshold=%.40s is not a count of "
          "partial results (0 to 1000)", value);
    return;
  }
  s->stable_threshold = n;
}

/* phraseDetection.{interactive,conversation,dictation}.segmentation (the SDK sends the block
 * of its own mode): segmentationSilenceTimeoutMs is the pause that ends a phrase,
 * segmentationForcedTimeoutMs the longest phrase (sttdecoder's max-phrase-duration). */
static void
apply_segmentation (SttSession *s, JsonObject *detection)
{
  static const char *const modes[] = { "interactive", "conversation", "dictation" };
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++) {
    JsonObject *seg = object_member (object_member (detection, modes[i]), "segmentation");
    if (!seg)
      continue;
    set_ms (s, &s->segmentation_silence_ms, seg, "segmentationSilenceTimeoutMs");
    set_ms (s, &s->max_phrase_ms, seg, "segmentationForcedTimeoutMs");
    const char *mode = string_member (seg, "mode");
    if (mode && g_ascii_strcasecmp (mode, "Semantic") == 0)
      g_message ("connection %s: semantic segmentation is not available; phrases end on "
          "pauses", s->connection_id);
  }
}

/* Language identification: the service has one locale, so it can answer only a candidate list
 * made of that locale (PrimaryLanguage is then that locale, by construction). Any other
 * candidate, or open-range detection ("UND"), is refused like a language not served: picking
 * the served locale for audio in another language would be a detection that never ran. */
static void
apply_language_id (SttSession *s, JsonObject *lid)
{
  JsonNode *n = lid && json_object_has_member (lid, "languages")
      ? json_object_get_member (lid, "languages") : NULL;
  if (!n || !JSON_NODE_HOLDS_ARRAY (n))
    return;
  JsonArray *a = json_node_get_array (n);
  GString *others = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (a); i++) {
    JsonNode *e = json_array_get_element (a, i);
    const char *lang = JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING
        ? json_node_get_string (e) : "(not a string)";
    if (!stt_service_language_ok (s->service, lang) || g_ascii_strcasecmp (lang, "UND") == 0)
      g_string_append_printf (others, "%s%.20s", others->len ? ", " : "", lang);
  }
  if (others->len && !s->language_error)
    s->language_error = g_strdup_printf ("language identification is not available for "
        "%.50s: this service serves only %.20s", others->str, s->service->locale);
  else if (!others->len && json_array_get_length (a))
    s->opts.language = s->language;
  g_string_free (others, TRUE);
}

static gboolean
apply_speech_context (SttSession *s, const SttFrame *f, GError **error)
{
  JsonParser *p = json_parser_new ();
  if (!json_parser_load_from_data (p, (const char *) f->body, f->body_len, error)) {
    g_object_unref (p);
    return FALSE;
  }
  JsonNode *root = json_parser_get_root (p);
  JsonObject *o = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonObject *detection = object_member (o, "phraseDetection");
  JsonObject *enrichment = object_member (detection, "enrichment");
  const char *profanity = string_member (enrichment, "profanity");
  if (profanity)
    stt_profanity_option_from_string (profanity, &s->opts.profanity);
  set_ms (s, &s->initial_silence_ms, detection, "initialSilenceTimeout");
  set_ms (s, &s->end_silence_ms, detection, "trailingSilenceTimeout");
  apply_segmentation (s, detection);
  JsonObject *output = object_member (o, "phraseOutput");
  JsonObject *interim = object_member (output, "interimResults");
  char *stable = scalar_member (interim, "stableThreshold");
  store_threshold (s, stable);
  g_free (stable);
  apply_language_id (s, object_member (o, "languageId"));
  JsonObject *dgi = object_member (o, "dgi");
  if (dgi)
    g_message ("connection %s: phrase list (dgi) ignored: the decoder has no phrase biasing; "
        "recognition uses the model's vocabulary and language model only", s->connection_id);
  const char *fmt = string_member (output, "format");
  if (fmt)
    s->opts.detailed = g_ascii_strcasecmp (fmt, "Detailed") == 0;
  JsonObject *detailed = object_member (output, "detailed");
  if (detailed && json_object_has_member (detailed, "options")) {
    JsonNode *n = json_object_get_member (detailed, "options");
    if (JSON_NODE_HOLDS_ARRAY (n)) {
      JsonArray *a = json_node_get_array (n);
      for (guint i = 0; i < json_array_get_length (a); i++) {
        JsonNode *e = json_array_get_element (a, i);
        if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING
            && g_ascii_strcasecmp (json_node_get_string (e), "WordTimings") == 0)
          s->opts.word_timings = TRUE;
      }
    }
  }
  g_object_unref (p);
  return TRUE;
}

/* A text message under a new request id means the client moved on (WSP: a new request id
 * starts a new turn); the old turn is dropped without messages the SDK would discard anyway. */
static void
follow_request_id (SttSession *s, const char *request_id)
{
  if (s->turn_id && g_ascii_strcasecmp (s->turn_id, request_id) != 0)
    end_turn (s, TRUE);
}

/* ---- messages ------------------------------------------------------------------------------- */

static void
frame_error (SttSession *s, GError *err)
{
  gboolean headers = err->code == STT_FRAME_ERROR_HEADERS;
  close_with (s, headers ? CLOSE_PROTOCOL : CLOSE_BAD_DATA, headers ? "request_id" : "framing",
      err->message);
}

/* ---- slow and silent clients ---------------------------------------------------------------- */

/* Nothing came for a while. A turn still taking audio holds a pipeline and a stream slot: it
 * ends with an in-band Error (the SDK cancels with ServiceError) and the connection stays. A
 * turn whose audio has ended is flushing and ends by itself. A connection with no turn is
 * closed once connection_idle_timeout has passed. */
static gboolean
on_idle (gpointer data)
{
  SttSession *s = data;
  g_clear_pointer (&s->idle_watch, g_source_unref);
  SttService *svc = s->service;
  if (s->turn_id && !s->audio_ended) {
    stt_metrics_error (svc->metrics, "timeout");
    char *msg = g_strdup_printf ("no audio for %u s: the turn was ended; send audio "
        "continuously (silence too) or end it with an empty audio message", svc->idle_timeout);
    g_message ("connection %s: %s", s->connection_id, msg);
    send_status_phrase (s, "Error", msg);
    g_free (msg);
    end_turn (s, FALSE);
    arm_idle_watch (s);
  } else if (s->turn_id) {
    arm_idle_watch (s);
  } else {
    stt_metrics_error (svc->metrics, "timeout");
    char *reason = g_strdup_printf ("idle for %u s", svc->connection_idle_timeout);
    g_message ("connection %s: closing: %s", s->connection_id, reason);
    if (soup_websocket_connection_get_state (s->ws) == SOUP_WEBSOCKET_STATE_OPEN)
      soup_websocket_connection_close (s->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, reason);
    s->closing = TRUE;
    g_free (reason);
  }
  return G_SOURCE_REMOVE;
}

/* (Re)start the idle timer: idle_timeout while a turn takes audio, else the connection's. */
static void
arm_idle_watch (SttSession *s)
{
  if (s->idle_watch) {
    g_source_destroy (s->idle_watch);
    g_clear_pointer (&s->idle_watch, g_source_unref);
  }
  if (s->closing)
    return;
  guint secs = s->turn_id && !s->audio_ended ? s->service->idle_timeout
      : s->service->connection_idle_timeout;
  s->idle_watch = g_timeout_source_new_seconds (secs);
  g_source_set_callback (s->idle_watch, on_idle, s, NULL);
  g_source_attach (s->idle_watch, s->service->context);
}

static void
on_message (SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer data)
{
  SttSession *s = data;
  if (s->closing)
    return;
  gsize len;
  const guint8 *bytes = g_bytes_get_data (message, &len);
  SttFrame f;
  GError *err = NULL;
  gboolean ok = type == SOUP_WEBSOCKET_DATA_TEXT ? stt_frame_parse_text (bytes, len, &f, &err)
      : stt_frame_parse_binary (bytes, len, &f, &err);
  if (!ok) {
    frame_error (s, err);
    g_error_free (err);
    return;
  }
  if (f.binary) {
    if (strcmp (f.path, "audio") == 0)
      handle_audio (s, &f);
  } else if (strcmp (f.path, "speech.config") == 0) {
    follow_request_id (s, f.request_id);
  } else if (strcmp (f.path, "speech.context") == 0) {
    follow_request_id (s, f.request_id);
    if (!apply_speech_context (s, &f, &err)) {
      char *reason = g_strdup_printf ("speech.context body is not JSON: %s", err->message);
      close_with (s, CLOSE_BAD_DATA, "framing", reason);
      g_free (reason);
      g_error_free (err);
    }
  }
  /* telemetry and unknown paths are ignored (spec §2.3) */
  stt_frame_clear (&f);
  arm_idle_watch (s);
}

/* ---- connection ----------------------------------------------------------------------------- */

static void
session_free (SttSession *s)
{
  end_turn (s, TRUE);
  if (s->idle_watch) {
    g_source_destroy (s->idle_watch);
    g_clear_pointer (&s->idle_watch, g_source_unref);
  }
  g_signal_handlers_disconnect_by_data (s->ws, s);
  g_object_unref (s->ws);
  g_hash_table_unref (s->finished);
  g_free (s->mode);
  g_free (s->connection_id);
  g_free (s->language_error);
  g_free (s->initial_silence_ms);
  g_free (s->end_silence_ms);
  g_free (s->segmentation_silence_ms);
  g_free (s->max_phrase_ms);
  g_free (s->language);
  g_free (s->bad_request);
  g_free (s);
}

static void
on_closed (SoupWebsocketConnection *ws, gpointer data)
{
  SttSession *s = data;
  s->service->sessions = g_list_remove (s->service->sessions, s);
  session_free (s);
}

void
stt_session_shutdown (SttSession *s)
{
  end_turn (s, TRUE);
  if (soup_websocket_connection_get_state (s->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (s->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "service stopping");
  session_free (s);
}

static gboolean
query_true (GHashTable *q, const char *name)
{
  const char *v = stt_query_get (q, name);
  return v && g_ascii_strcasecmp (v, "true") == 0;
}

SttSession *
stt_session_new (SttService *service, SoupWebsocketConnection *ws, const char *mode,
    SoupServerMessage *msg)
{
  SttSession *s = g_new0 (SttSession, 1);
  s->service = service;
  s->ws = g_object_ref (ws);
  s->mode = g_strdup (mode);
  s->interactive = strcmp (mode, "interactive") == 0;
  s->finished = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->speech_end = -1;

  GUri *uri = soup_server_message_get_uri (msg);
  const char *qs = g_uri_get_query (uri);
  GHashTable *q = qs ? soup_form_decode (qs) : NULL;
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *cid = soup_message_headers_get_one (h, "X-ConnectionId");
  if (!cid)
    cid = stt_query_get (q, "X-ConnectionId");
  if (!cid)
    cid = stt_query_get (q, "connectionId");
  s->connection_id = cid ? g_strdup (cid) : g_uuid_string_random ();
  const char *format = stt_query_get (q, "format");
  s->opts.detailed = format && g_ascii_strcasecmp (format, "detailed") == 0;
  s->opts.word_timings = query_true (q, "wordLevelTimestamps");
  if (s->opts.word_timings)
    s->opts.detailed = TRUE;
  stt_profanity_option_from_string (stt_query_get (q, "profanity"), &s->opts.profanity);
  static const char *const ms_params[] = { "initialSilenceTimeoutMs", "endSilenceTimeoutMs",
    "segmentationSilenceTimeoutMs", "segmentationMaximumTimeMs" };
  char **ms_slots[] = { &s->initial_silence_ms, &s->end_silence_ms,
    &s->segmentation_silence_ms, &s->max_phrase_ms };
  for (guint i = 0; i < G_N_ELEMENTS (ms_params); i++)
    store_ms (s, ms_slots[i], ms_params[i], stt_query_get (q, ms_params[i]));
  store_threshold (s, stt_query_get (q, "stableIntermediateThreshold"));
  const char *strategy = stt_query_get (q, "segmentationStrategy");
  if (strategy && g_ascii_strcasecmp (strategy, "semantic") == 0)
    g_message ("connection %s: semantic segmentation is not available; phrases end on pauses",
        s->connection_id);
  /* The cloud keeps audio for the resource owner when asked; this service never stores
   * audio, so the request is declined in the log and nothing is kept. */
  if (query_true (q, "storeAudio"))
    g_message ("connection %s: storeAudio=true ignored: this service does not store audio",
        s->connection_id);
  const char *language = stt_query_get (q, "language");
  gboolean language_ok = stt_service_language_ok (service, language);
  char *lang_copy = g_strdup (language);
  s->language = g_strdup (service->locale ? service->locale : language);
  /* lidEnabled without a languageId block: the only candidate is the requested language. */
  if (query_true (q, "lidEnabled") && language_ok)
    s->opts.language = s->language;
  if (q)
    g_hash_table_unref (q);

  g_signal_connect (ws, "message", G_CALLBACK (on_message), s);
  g_signal_connect (ws, "closed", G_CALLBACK (on_closed), s);
  /* Refused when the audio starts, not at once: a close before the SDK has sent its
   * configuration surfaces there as a send error instead of BadRequestParameters. */
  if (!language_ok)
    s->language_error = g_strdup_printf ("language %.20s is not served here (model locale "
        "%.20s)", lang_copy, service->locale);
  g_free (lang_copy);
  arm_idle_watch (s);
  return s;
}
