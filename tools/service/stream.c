/* gst-stt — one recognition stream: appsrc ! [convert] ! <pipeline fragment> ! appsink.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Streaming threads only queue items; one idle source per batch hands them to the callbacks
 * in the owner's context, so the owner never needs locks and sees items in stream order.
 */
#include "stream.h"

#include <gst/app/app.h>
#include <string.h>

#define SERVICE_CAPS "audio/x-raw,format=S16LE,rate=16000,channels=1,layout=interleaved"

typedef enum { ITEM_RESULT, ITEM_SPEECH, ITEM_EOS, ITEM_ERROR } ItemKind;

typedef struct {
  ItemKind kind;
  SttResult *result;
  GstSttSpeechEventType speech;
  gint64 offset;
  char *message;
} Item;

struct _SttStream {
  gint refcount;
  GMainContext *context;
  SttStreamCallbacks callbacks;
  gpointer user_data;
  GstElement *pipeline, *src, *sink;
  guint64 bytes_in;             /* raw mode: bytes pushed, for timestamps */
  guint bytes_per_second;       /* raw mode; 0 when decoding */
  guint64 samples_16k;          /* samples that reached the fragment (under lock) */

  GMutex lock;
  GQueue items;
  gboolean scheduled;
  gboolean cancelled;           /* set by stt_stream_free: no more callbacks */
  gboolean failed;              /* an error was queued: later errors are consequences */
};

static void
item_free (Item *it)
{
  if (it->result)
    stt_result_unref (it->result);
  g_free (it->message);
  g_free (it);
}

static SttStream *
stream_ref (SttStream *s)
{
  g_atomic_int_inc (&s->refcount);
  return s;
}

static void
stream_unref (SttStream *s)
{
  if (!g_atomic_int_dec_and_test (&s->refcount))
    return;
  g_queue_clear_full (&s->items, (GDestroyNotify) item_free);
  g_mutex_clear (&s->lock);
  g_main_context_unref (s->context);
  g_free (s);
}

static gboolean
dispatch (gpointer data)
{
  SttStream *s = data;
  for (;;) {
    g_mutex_lock (&s->lock);
    Item *it = s->cancelled ? NULL : g_queue_pop_head (&s->items);
    if (!it)
      s->scheduled = FALSE;
    g_mutex_unlock (&s->lock);
    if (!it)
      break;
    /* A callback may free the stream; the idle's own reference keeps the struct alive. */
    switch (it->kind) {
      case ITEM_RESULT:
        s->callbacks.result (s, it->result, s->user_data);
        break;
      case ITEM_SPEECH:
        s->callbacks.speech (s, it->speech, it->offset, s->user_data);
        break;
      case ITEM_EOS:
        s->callbacks.eos (s, s->user_data);
        break;
      case ITEM_ERROR:
        s->callbacks.error (s, it->message, s->user_data);
        break;
    }
    item_free (it);
  }
  return G_SOURCE_REMOVE;
}

static void
enqueue (SttStream *s, Item *it)
{
  g_mutex_lock (&s->lock);
  if (it->kind == ITEM_ERROR) {
    if (s->failed) {
      g_mutex_unlock (&s->lock);
      item_free (it);
      return;
    }
    s->failed = TRUE;
  }
  g_queue_push_tail (&s->items, it);
  gboolean schedule = !s->scheduled && !s->cancelled;
  s->scheduled = TRUE;
  g_mutex_unlock (&s->lock);
  if (schedule)
    g_main_context_invoke_full (s->context, G_PRIORITY_DEFAULT, dispatch, stream_ref (s),
        (GDestroyNotify) stream_unref);
}

static void
enqueue_error (SttStream *s, const char *message)
{
  Item *it = g_new0 (Item, 1);
  it->kind = ITEM_ERROR;
  it->message = g_strdup (message);
  enqueue (s, it);
}

static void
handle_object (SttStream *s, GstMiniObject *obj)
{
  if (GST_IS_SAMPLE (obj)) {
    GError *err = NULL;
    SttResult *r = gst_stt_result_from_buffer (gst_sample_get_buffer (GST_SAMPLE (obj)), &err);
    if (r) {
      Item *it = g_new0 (Item, 1);
      it->kind = ITEM_RESULT;
      it->result = r;
      enqueue (s, it);
    } else {
      char *msg = g_strdup_printf ("the pipeline produced a result that is not valid: %s",
          err->message);
      enqueue_error (s, msg);
      g_free (msg);
      g_error_free (err);
    }
  } else if (GST_IS_EVENT (obj)) {
    GstSttSpeechEventType type;
    gint64 offset;
    if (gst_stt_speech_event_parse (GST_EVENT (obj), &type, &offset)) {
      Item *it = g_new0 (Item, 1);
      it->kind = ITEM_SPEECH;
      it->speech = type;
      it->offset = offset;
      enqueue (s, it);
    }
  }
  gst_mini_object_unref (obj);
}

static void
drain_sink (SttStream *s)
{
  GstMiniObject *obj;
  while ((obj = gst_app_sink_try_pull_object (GST_APP_SINK (s->sink), 0)))
    handle_object (s, obj);
}

static GstFlowReturn
on_new_sample (GstAppSink *sink, gpointer data)
{
  drain_sink (data);
  return GST_FLOW_OK;
}

static gboolean
on_new_event (GstAppSink *sink, gpointer data)
{
  drain_sink (data);
  return FALSE;
}

static void
on_eos (GstAppSink *sink, gpointer data)
{
  SttStream *s = data;
  drain_sink (s);
  Item *it = g_new0 (Item, 1);
  it->kind = ITEM_EOS;
  enqueue (s, it);
}

static GstBusSyncReply
on_bus_message (GstBus *bus, GstMessage *msg, gpointer data)
{
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err = NULL;
    char *debug = NULL;
    gst_message_parse_error (msg, &err, &debug);
    char *text = g_strdup_printf ("%s: %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)),
        err->message);
    g_debug ("stream error: %s (%s)", text, debug ? debug : "");
    enqueue_error (data, text);
    g_free (text);
    g_free (debug);
    g_error_free (err);
  }
  gst_message_unref (msg);
  return GST_BUS_DROP;
}

/* The fragment as a bin with one free input and one free output (ghost pads "sink", "src"). */
static GstElement *
fragment_bin (const char *fragment, GError **error)
{
  if (!fragment || !*fragment) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "no pipeline fragment given; pass the elements from 16 kHz audio to results, "
        "e.g. \"sttfeatures ! sttacoustic ! sttdecoder\"");
    return NULL;
  }
  GError *err = NULL;
  GstElement *bin = gst_parse_bin_from_description_full (fragment, TRUE, NULL,
      GST_PARSE_FLAG_FATAL_ERRORS, &err);
  if (!bin) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "cannot build the pipeline fragment '%s': %s", fragment, err ? err->message : "?");
    g_clear_error (&err);
    return NULL;
  }
  GstPad *sink = gst_element_get_static_pad (bin, "sink");
  GstPad *src = gst_element_get_static_pad (bin, "src");
  gboolean ok = sink && src;
  g_clear_object (&sink);
  g_clear_object (&src);
  if (!ok) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "the pipeline fragment '%s' needs exactly one free input and one free output "
        "(audio in, results out)", fragment);
    gst_object_unref (gst_object_ref_sink (bin));
    return NULL;
  }
  return bin;
}

/* @head (ending in a capsfilter named sttin) ! fragment ! appsink. The links into and out of
 * the fragment are not caps-checked here: a fragment that cannot take 16 kHz audio or give
 * results fails at negotiation and is reported on that stream, like any runtime error. */
static GstElement *
build_pipeline (const char *head, const char *fragment, GError **error)
{
  GstElement *frag = fragment_bin (fragment, error);
  if (!frag)
    return NULL;
  GError *err = NULL;
  GstElement *p = gst_parse_launch_full (head, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &err);
  if (!p) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot build '%s': %s", head,
        err ? err->message : "?");
    g_clear_error (&err);
    gst_object_unref (gst_object_ref_sink (frag));
    return NULL;
  }
  GstElement *sink = gst_element_factory_make ("appsink", "sttsink");
  GstCaps *caps = gst_caps_from_string (GST_STT_RESULT_CAPS);
  g_object_set (sink, "caps", caps, NULL);
  gst_caps_unref (caps);
  gst_bin_add_many (GST_BIN (p), frag, sink, NULL);
  GstElement *in = gst_bin_get_by_name (GST_BIN (p), "sttin");
  GstPad *a = gst_element_get_static_pad (in, "src"), *b = gst_element_get_static_pad (frag,
      "sink");
  GstPad *c = gst_element_get_static_pad (frag, "src"), *d = gst_element_get_static_pad (sink,
      "sink");
  gboolean ok = gst_pad_link_full (a, b, GST_PAD_LINK_CHECK_NOTHING) == GST_PAD_LINK_OK
      && gst_pad_link_full (c, d, GST_PAD_LINK_CHECK_NOTHING) == GST_PAD_LINK_OK;
  gst_object_unref (a);
  gst_object_unref (b);
  gst_object_unref (c);
  gst_object_unref (d);
  gst_object_unref (in);
  if (!ok) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot link the fragment '%s'",
        fragment);
    gst_object_unref (p);
    return NULL;
  }
  return p;
}

/* decodebin's pads are linked by on_decoded_pad, not by the parser: the parser's delayed
 * linking checks caps against the whole downstream chain and fails silently. */
#define DECODED_HEAD "appsrc name=sttsrc format=bytes ! decodebin name=sttdec " \
    "audioconvert name=sttconv ! audioresample ! capsfilter name=sttin caps=" SERVICE_CAPS

/* FALSE when what @pad can carry (asked while unlinked) cannot include @want. */
static gboolean
pad_can_carry (GstElement *bin, const char *pad_name, const char *want, char **got)
{
  GstPad *pad = gst_element_get_static_pad (bin, pad_name);
  GstCaps *caps = gst_pad_query_caps (pad, NULL);
  GstCaps *wanted = gst_caps_from_string (want);
  gboolean ok = gst_caps_can_intersect (caps, wanted);
  if (!ok)
    *got = gst_caps_to_string (caps);
  gst_caps_unref (wanted);
  gst_caps_unref (caps);
  gst_object_unref (pad);
  return ok;
}

gboolean
stt_stream_check_fragment (const char *fragment, GError **error)
{
  GstElement *bin = fragment_bin (fragment, error);
  if (!bin)
    return FALSE;
  char *got = NULL;
  gboolean in_ok = pad_can_carry (bin, "sink", SERVICE_CAPS, &got);
  if (!in_ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "the pipeline fragment '%s' "
        "does not take 16 kHz mono S16LE audio (it takes %s); start it with sttfeatures",
        fragment, got);
  else if (!pad_can_carry (bin, "src", GST_STT_RESULT_CAPS, &got))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "the pipeline fragment '%s' "
        "does not produce " GST_STT_RESULT_CAPS " (it gives %s); end it with sttdecoder or a "
        "result filter", fragment, got);
  g_free (got);
  gst_object_unref (gst_object_ref_sink (bin));
  if (error && *error)
    return FALSE;
  GstElement *p = build_pipeline (DECODED_HEAD, fragment, error);
  if (!p)
    return FALSE;
  gst_object_unref (p);
  return TRUE;
}

/* Counts the samples entering the fragment (after conversion to 16 kHz mono S16). */
static GstPadProbeReturn
count_samples (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  SttStream *s = data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  g_mutex_lock (&s->lock);
  s->samples_16k += gst_buffer_get_size (buf) / 2;
  g_mutex_unlock (&s->lock);
  return GST_PAD_PROBE_OK;
}

/* The first audio stream of the decoded body goes to audioconvert. */
static void
on_decoded_pad (GstElement *dec, GstPad *pad, gpointer data)
{
  SttStream *s = data;
  GstCaps *caps = gst_pad_get_current_caps (pad);
  if (!caps)
    caps = gst_pad_query_caps (pad, NULL);
  const GstStructure *st = gst_caps_get_size (caps) ? gst_caps_get_structure (caps, 0) : NULL;
  gboolean audio = st && g_str_has_prefix (gst_structure_get_name (st), "audio/");
  gst_caps_unref (caps);
  GstElement *conv = gst_bin_get_by_name (GST_BIN (s->pipeline), "sttconv");
  GstPad *sink = gst_element_get_static_pad (conv, "sink");
  if (audio && !gst_pad_is_linked (sink)
      && gst_pad_link_full (pad, sink, GST_PAD_LINK_CHECK_NOTHING) != GST_PAD_LINK_OK)
    enqueue_error (s, "cannot link the decoded audio to the converter");
  gst_object_unref (sink);
  gst_object_unref (conv);
}

static void
on_no_more_pads (GstElement *dec, gpointer data)
{
  SttStream *s = data;
  GstElement *conv = gst_bin_get_by_name (GST_BIN (s->pipeline), "sttconv");
  GstPad *sink = gst_element_get_static_pad (conv, "sink");
  if (!gst_pad_is_linked (sink))
    enqueue_error (s, "the data holds no audio stream GStreamer can decode");
  gst_object_unref (sink);
  gst_object_unref (conv);
}

static SttStream *
stream_new (const char *head, const char *fragment, const SttStreamCallbacks *callbacks,
    gpointer user_data, GError **error)
{
  GstElement *p = build_pipeline (head, fragment, error);
  if (!p)
    return NULL;
  SttStream *s = g_new0 (SttStream, 1);
  s->refcount = 1;
  s->context = g_main_context_ref_thread_default ();
  s->callbacks = *callbacks;
  s->user_data = user_data;
  g_mutex_init (&s->lock);
  s->pipeline = p;
  s->src = gst_bin_get_by_name (GST_BIN (p), "sttsrc");
  s->sink = gst_bin_get_by_name (GST_BIN (p), "sttsink");
  GstElement *conv = gst_bin_get_by_name (GST_BIN (p), "sttin");
  if (conv) {
    GstPad *pad = gst_element_get_static_pad (conv, "src");
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_samples, s, NULL);
    gst_object_unref (pad);
    gst_object_unref (conv);
  }
  GstElement *dec = gst_bin_get_by_name (GST_BIN (p), "sttdec");
  if (dec) {
    g_signal_connect (dec, "pad-added", G_CALLBACK (on_decoded_pad), s);
    g_signal_connect (dec, "no-more-pads", G_CALLBACK (on_no_more_pads), s);
    gst_object_unref (dec);
  }
  g_object_set (s->sink, "sync", FALSE, "emit-signals", FALSE, NULL);
  GstAppSinkCallbacks cb = { 0 };
  cb.eos = on_eos;
  cb.new_sample = on_new_sample;
  cb.new_event = on_new_event;
  gst_app_sink_set_callbacks (GST_APP_SINK (s->sink), &cb, s, NULL);
  GstBus *bus = gst_element_get_bus (p);
  gst_bus_set_sync_handler (bus, on_bus_message, s, NULL);
  gst_object_unref (bus);
  return s;
}

SttStream *
stt_stream_new_raw (const char *fragment, const SttRiffFormat *fmt,
    const SttStreamCallbacks *callbacks, gpointer user_data, GError **error)
{
  char *head = g_strdup_printf ("appsrc name=sttsrc format=time is-live=false "
      "caps=audio/x-raw,format=%s,rate=%u,channels=%u,layout=interleaved ! audioconvert ! "
      "audioresample ! capsfilter name=sttin caps=" SERVICE_CAPS, stt_riff_gst_format (fmt),
      fmt->rate, fmt->channels);
  SttStream *s = stream_new (head, fragment, callbacks, user_data, error);
  g_free (head);
  if (s)
    s->bytes_per_second = fmt->rate * fmt->channels * (fmt->bits / 8);
  return s;
}

SttStream *
stt_stream_new_decoded (const char *fragment, const SttStreamCallbacks *callbacks,
    gpointer user_data, GError **error)
{
  return stream_new (DECODED_HEAD, fragment, callbacks, user_data, error);
}

static guint
set_on_elements (SttStream *s, const char *factory, const char *property, const char *value)
{
  guint n = 0;
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (s->pipeline));
  GValue item = G_VALUE_INIT;
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);
    GstElementFactory *f = gst_element_get_factory (e);
    gboolean match = !factory || (f && strcmp (GST_OBJECT_NAME (f), factory) == 0);
    if (match && e != s->src && e != s->sink
        && g_object_class_find_property (G_OBJECT_GET_CLASS (e), property)) {
      gst_util_set_object_arg (G_OBJECT (e), property, value);
      n++;
    }
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return n;
}

guint
stt_stream_set_property (SttStream *stream, const char *property, const char *value)
{
  return set_on_elements (stream, NULL, property, value);
}

guint
stt_stream_set_factory_property (SttStream *stream, const char *factory, const char *property,
    const char *value)
{
  return set_on_elements (stream, factory, property, value);
}

gboolean
stt_stream_start (SttStream *stream, GError **error)
{
  if (gst_element_set_state (stream->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "the recognition pipeline did not start (see the server log)");
    return FALSE;
  }
  return TRUE;
}

void
stt_stream_push (SttStream *stream, const guint8 *data, gsize len)
{
  if (!len)
    return;
  GstBuffer *buf = gst_buffer_new_memdup (data, len);
  if (stream->bytes_per_second) {
    GST_BUFFER_PTS (buf) = gst_util_uint64_scale (stream->bytes_in, GST_SECOND,
        stream->bytes_per_second);
    GST_BUFFER_DURATION (buf) = gst_util_uint64_scale (len, GST_SECOND,
        stream->bytes_per_second);
  }
  stream->bytes_in += len;
  gst_app_src_push_buffer (GST_APP_SRC (stream->src), buf);
}

void
stt_stream_end (SttStream *stream)
{
  gst_app_src_end_of_stream (GST_APP_SRC (stream->src));
}

double
stt_stream_get_audio_seconds (SttStream *stream)
{
  g_mutex_lock (&stream->lock);
  double sec = stream->samples_16k / 16000.0;
  g_mutex_unlock (&stream->lock);
  return sec;
}

void
stt_stream_free (SttStream *stream)
{
  if (!stream)
    return;
  g_mutex_lock (&stream->lock);
  stream->cancelled = TRUE;
  g_mutex_unlock (&stream->lock);
  /* Joins the streaming threads: nothing is queued after this. */
  gst_element_set_state (stream->pipeline, GST_STATE_NULL);
  GstBus *bus = gst_element_get_bus (stream->pipeline);
  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  gst_object_unref (bus);
  gst_object_unref (stream->src);
  gst_object_unref (stream->sink);
  gst_object_unref (stream->pipeline);
  stream_unref (stream);
}
