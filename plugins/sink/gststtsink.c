/* gst-stt — sttsink: write recognition results as JSON lines, text, SRT or WebVTT.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-sttsink
 * @title: sttsink
 *
 * Writes each recognition result to a file or to standard output, flushed as it arrives:
 *
 * - `json`: one result per line, the JSON of docs/results.md (partials too when
 *   #GstSttSink:partials is set);
 * - `text`: the display text of each final phrase, one per line;
 * - `srt` / `vtt`: numbered subtitle cues timed by each final phrase's offset and duration.
 *
 * Final phrases with an empty text (NoMatch, silence timeouts) are written only in `json`.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=x.wav ! decodebin ! audioconvert ! audioresample ! \
 *     sttfeatures ! sttacoustic ! sttdecoder ! sttsink format=srt location=x.srt
 * ]|
 */
#include "config.h"
#include "gststtsink.h"

#include <errno.h>
#include <string.h>
#include <stt/gststtresult.h>
#include <gst/gst.h>
#include <glib/gstdio.h>

GST_DEBUG_CATEGORY_STATIC (stt_sink_debug);
#define GST_CAT_DEFAULT stt_sink_debug

enum {
  PROP_0,
  PROP_LOCATION,
  PROP_FORMAT,
  PROP_PARTIALS,
};

#define DEFAULT_FORMAT GST_STT_SINK_FORMAT_TEXT
#define DEFAULT_PARTIALS FALSE

struct _GstSttSink {
  GstBaseSink parent;

  /* properties, under the object lock */
  char *location;
  GstSttSinkFormat format;
  gboolean partials;

  /* streaming state */
  FILE *out;
  gboolean close_out;
  GstSttSinkFormat active_format;       /* format fixed at start, so a file stays consistent */
  guint cue;                            /* last subtitle cue number written */
};

G_DEFINE_TYPE (GstSttSink, gst_stt_sink, GST_TYPE_BASE_SINK);
GST_ELEMENT_REGISTER_DEFINE (sttsink, "sttsink", GST_RANK_NONE, GST_TYPE_STT_SINK);

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (GST_STT_RESULT_CAPS));

#define GST_TYPE_STT_SINK_FORMAT (gst_stt_sink_format_get_type ())
static GType
gst_stt_sink_format_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_STT_SINK_FORMAT_JSON, "One JSON result per line (docs/results.md)", "json"},
    {GST_STT_SINK_FORMAT_TEXT, "Display text of each final phrase, one per line", "text"},
    {GST_STT_SINK_FORMAT_SRT, "SubRip subtitles", "srt"},
    {GST_STT_SINK_FORMAT_VTT, "WebVTT subtitles", "vtt"},
    {0, NULL, NULL},
  };
  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSttSinkFormat", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

/* "HH:MM:SS<sep>mmm" from 100-ns ticks; SRT uses ',' and WebVTT '.'. */
static void
format_cue_time (char *buf, gsize size, gint64 ticks, char sep)
{
  gint64 ms = ticks / 10000;
  g_snprintf (buf, size, "%02" G_GINT64_FORMAT ":%02d:%02d%c%03d", ms / 3600000,
      (int) (ms / 60000 % 60), (int) (ms / 1000 % 60), sep, (int) (ms % 1000));
}

static void
write_cue (GstSttSink *self, const SttResult *r, const char *text, char sep)
{
  char start[32], end[32];
  format_cue_time (start, sizeof start, r->offset, sep);
  format_cue_time (end, sizeof end, r->offset + r->duration, sep);
  self->cue++;
  fprintf (self->out, "%u\n%s --> %s\n%s\n\n", self->cue, start, end, text);
}

static void
write_result (GstSttSink *self, const SttResult *r, gboolean partials)
{
  const char *text = stt_result_get_display_text (r);
  gboolean final = r->kind == STT_RESULT_FINAL;

  switch (self->active_format) {
    case GST_STT_SINK_FORMAT_JSON:
      if (final || partials) {
        char *json = stt_result_to_json (r, NULL);
        fprintf (self->out, "%s\n", json);
        g_free (json);
      }
      break;
    case GST_STT_SINK_FORMAT_TEXT:
      if (final && *text)
        fprintf (self->out, "%s\n", text);
      break;
    case GST_STT_SINK_FORMAT_SRT:
      if (final && *text)
        write_cue (self, r, text, ',');
      break;
    case GST_STT_SINK_FORMAT_VTT:
      if (final && *text)
        write_cue (self, r, text, '.');
      break;
  }
}

static GstFlowReturn
gst_stt_sink_render (GstBaseSink *sink, GstBuffer *buffer)
{
  GstSttSink *self = GST_STT_SINK (sink);
  GError *err = NULL;
  SttResult *r = gst_stt_result_from_buffer (buffer, &err);
  if (!r) {
    GST_ELEMENT_ERROR (self, STREAM, DECODE, ("Input is not a recognition result: %s",
            err->message), (NULL));
    g_error_free (err);
    return GST_FLOW_ERROR;
  }
  GST_OBJECT_LOCK (self);
  gboolean partials = self->partials;
  GST_OBJECT_UNLOCK (self);

  write_result (self, r, partials);
  stt_result_unref (r);
  if (fflush (self->out) != 0 || ferror (self->out)) {
    GST_ELEMENT_ERROR (self, RESOURCE, WRITE, ("Could not write the results: %s",
            g_strerror (errno)), ("is the disk full?"));
    return GST_FLOW_ERROR;
  }
  return GST_FLOW_OK;
}

static gboolean
gst_stt_sink_start (GstBaseSink *sink)
{
  GstSttSink *self = GST_STT_SINK (sink);
  GST_OBJECT_LOCK (self);
  char *location = g_strdup (self->location);
  self->active_format = self->format;
  GST_OBJECT_UNLOCK (self);

  self->cue = 0;
  if (!location || !*location || strcmp (location, "-") == 0) {
    self->out = stdout;
    self->close_out = FALSE;
  } else {
    self->out = g_fopen (location, "w");
    self->close_out = TRUE;
    if (!self->out) {
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_WRITE,
          ("Could not open \"%s\" for writing: %s", location, g_strerror (errno)),
          ("check that the folder exists and is writable, or leave location unset for stdout"));
      g_free (location);
      return FALSE;
    }
  }
  g_free (location);
  if (self->active_format == GST_STT_SINK_FORMAT_VTT)
    fputs ("WEBVTT\n\n", self->out);
  return TRUE;
}

static gboolean
gst_stt_sink_stop (GstBaseSink *sink)
{
  GstSttSink *self = GST_STT_SINK (sink);
  gboolean ok = TRUE;
  if (self->out && self->close_out)
    ok = fclose (self->out) == 0;
  else if (self->out)
    fflush (self->out);
  self->out = NULL;
  if (!ok)
    GST_ELEMENT_ERROR (self, RESOURCE, CLOSE, ("Could not finish writing the results: %s",
            g_strerror (errno)), (NULL));
  return ok;
}

static void
gst_stt_sink_set_property (GObject *object, guint prop_id, const GValue *value,
    GParamSpec *pspec)
{
  GstSttSink *self = GST_STT_SINK (object);
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_LOCATION:
      g_free (self->location);
      self->location = g_value_dup_string (value);
      break;
    case PROP_FORMAT:
      self->format = g_value_get_enum (value);
      break;
    case PROP_PARTIALS:
      self->partials = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_sink_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstSttSink *self = GST_STT_SINK (object);
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_FORMAT:
      g_value_set_enum (value, self->format);
      break;
    case PROP_PARTIALS:
      g_value_set_boolean (value, self->partials);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_sink_finalize (GObject *object)
{
  GstSttSink *self = GST_STT_SINK (object);
  g_free (self->location);
  G_OBJECT_CLASS (gst_stt_sink_parent_class)->finalize (object);
}

static void
gst_stt_sink_class_init (GstSttSinkClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *sink_class = GST_BASE_SINK_CLASS (klass);

  gobject_class->set_property = gst_stt_sink_set_property;
  gobject_class->get_property = gst_stt_sink_get_property;
  gobject_class->finalize = gst_stt_sink_finalize;

  g_object_class_install_property (gobject_class, PROP_LOCATION,
      g_param_spec_string ("location", "Location",
          "File to write the results to; unset or \"-\" writes to standard output",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_FORMAT,
      g_param_spec_enum ("format", "Format",
          "Output format: json (one result per line), text (final phrases), srt or vtt "
          "(subtitles)", GST_TYPE_STT_SINK_FORMAT, DEFAULT_FORMAT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_PARTIALS,
      g_param_spec_boolean ("partials", "Partials",
          "Also write partial results (json format only)", DEFAULT_PARTIALS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class, "Speech-to-text result sink",
      "Sink/Text", "Writes recognition results as JSON lines, text, SRT or WebVTT",
      "gst-stt developers");

  sink_class->render = GST_DEBUG_FUNCPTR (gst_stt_sink_render);
  sink_class->start = GST_DEBUG_FUNCPTR (gst_stt_sink_start);
  sink_class->stop = GST_DEBUG_FUNCPTR (gst_stt_sink_stop);

  gst_type_mark_as_plugin_api (GST_TYPE_STT_SINK_FORMAT, 0);
  GST_DEBUG_CATEGORY_INIT (stt_sink_debug, "sttsink", 0, "gst-stt result sink");
}

static void
gst_stt_sink_init (GstSttSink *self)
{
  self->format = DEFAULT_FORMAT;
  self->partials = DEFAULT_PARTIALS;
  /* Results are written as they come: waiting for the clock would only delay them. */
  gst_base_sink_set_sync (GST_BASE_SINK (self), FALSE);
}
