/* gst-stt — sttreseg: resegmentation of final phrases into display segments.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-sttreseg
 * @title: sttreseg
 *
 * Splits every final result into display segments: after a word that ends a sentence (from
 * the Display punctuation of sttpunct, when Display has one token per word), at a silence of
 * at least pause-ms between words, and wherever a segment would pass max-words or
 * max-seconds. Each segment goes out as its own final result, with offset and duration
 * recomputed from its word times; no word is lost or repeated. Partial results and results
 * without words pass through. The rules are those of core/include/stt/reseg.h.
 *
 * The model property names a display model of kind "resegment" (a manifest holding these
 * settings); when set, its settings replace pause-ms, max-words and max-seconds when the
 * element starts.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 ... ! sttdecoder ! sttpunct ! sttreseg pause-ms=500 max-words=20 ! sttsink
 * ]|
 */
#include "config.h"
#include "gststtreseg.h"

#include <stt/reseg.h>

GST_DEBUG_CATEGORY_STATIC (stt_reseg_debug);
#define GST_CAT_DEFAULT stt_reseg_debug

enum {
  PROP_0,
  PROP_MODEL,
  PROP_PAUSE_MS,
  PROP_MAX_WORDS,
  PROP_MAX_SECONDS,
  PROP_SENTENCES,
};

struct _GstSttReseg {
  GstSttResultFilter parent;

  /* properties, under the object lock */
  char *model;
  SttResegOptions options;
};

G_DEFINE_TYPE (GstSttReseg, gst_stt_reseg, GST_TYPE_STT_RESULT_FILTER);
GST_ELEMENT_REGISTER_DEFINE (sttreseg, "sttreseg", GST_RANK_NONE, GST_TYPE_STT_RESEG);

static GPtrArray *
gst_stt_reseg_split_result (GstSttResultFilter *filter, SttResult *result, GError **error)
{
  GstSttReseg *self = GST_STT_RESEG (filter);
  GST_OBJECT_LOCK (self);
  SttResegOptions options = self->options;
  GST_OBJECT_UNLOCK (self);
  GPtrArray *out = stt_reseg_split (result, &options);
  GST_LOG_OBJECT (self, "%u segment(s)", out->len);
  return out;
}

static gboolean
gst_stt_reseg_start (GstBaseTransform *trans)
{
  GstSttReseg *self = GST_STT_RESEG (trans);
  GST_OBJECT_LOCK (self);
  char *id = g_strdup (self->model);
  SttResegOptions options = self->options;
  GST_OBJECT_UNLOCK (self);
  if (!id)
    return TRUE;
  GError *err = NULL;
  SttModel *model = stt_model_cache_lookup (id, &err);
  gboolean ok = model && stt_reseg_options_from_model (&options, model, &err);
  g_clear_pointer (&model, stt_model_unref);
  if (!ok) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ, ("Could not load resegment model %s: %s", id,
            err->message), ("set model to a resegment model id or folder, or unset it and use "
            "the pause-ms, max-words and max-seconds properties"));
    g_error_free (err);
    g_free (id);
    return FALSE;
  }
  g_free (id);
  GST_OBJECT_LOCK (self);
  self->options = options;
  GST_OBJECT_UNLOCK (self);
  g_object_notify (G_OBJECT (self), "pause-ms");
  g_object_notify (G_OBJECT (self), "max-words");
  g_object_notify (G_OBJECT (self), "max-seconds");
  g_object_notify (G_OBJECT (self), "sentences");
  return TRUE;
}

static void
gst_stt_reseg_set_property (GObject *object, guint prop_id, const GValue *value,
    GParamSpec *pspec)
{
  GstSttReseg *self = GST_STT_RESEG (object);
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODEL:
      g_free (self->model);
      self->model = g_value_dup_string (value);
      break;
    case PROP_PAUSE_MS:
      self->options.pause_ms = g_value_get_uint (value);
      break;
    case PROP_MAX_WORDS:
      self->options.max_words = g_value_get_uint (value);
      break;
    case PROP_MAX_SECONDS:
      self->options.max_seconds = g_value_get_double (value);
      break;
    case PROP_SENTENCES:
      self->options.sentences = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_reseg_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstSttReseg *self = GST_STT_RESEG (object);
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_PAUSE_MS:
      g_value_set_uint (value, self->options.pause_ms);
      break;
    case PROP_MAX_WORDS:
      g_value_set_uint (value, self->options.max_words);
      break;
    case PROP_MAX_SECONDS:
      g_value_set_double (value, self->options.max_seconds);
      break;
    case PROP_SENTENCES:
      g_value_set_boolean (value, self->options.sentences);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_reseg_finalize (GObject *object)
{
  g_free (GST_STT_RESEG (object)->model);
  G_OBJECT_CLASS (gst_stt_reseg_parent_class)->finalize (object);
}

static void
gst_stt_reseg_class_init (GstSttResegClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  gobject_class->set_property = gst_stt_reseg_set_property;
  gobject_class->get_property = gst_stt_reseg_get_property;
  gobject_class->finalize = gst_stt_reseg_finalize;

  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "Resegment model id or folder whose settings replace pause-ms, max-words and "
          "max-seconds at start (default: none, the properties apply)", NULL,
          rw | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_PAUSE_MS,
      g_param_spec_uint ("pause-ms", "Pause",
          "Start a new segment after a silence between words of at least this many "
          "milliseconds (0 = never)", 0, 3600000, STT_RESEG_DEFAULT_PAUSE_MS,
          rw | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_MAX_WORDS,
      g_param_spec_uint ("max-words", "Maximum words",
          "Most words in one segment (0 = no limit)", 0, 100000, STT_RESEG_DEFAULT_MAX_WORDS,
          rw | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_MAX_SECONDS,
      g_param_spec_double ("max-seconds", "Maximum seconds",
          "Longest segment in seconds, first word start to last word end (0 = no limit; a "
          "single longer word stays whole)", 0, 3600, STT_RESEG_DEFAULT_MAX_SECONDS,
          rw | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_SENTENCES,
      g_param_spec_boolean ("sentences", "Sentences",
          "Start a new segment after every sentence end of the Display punctuation", TRUE,
          rw | GST_PARAM_MUTABLE_PLAYING));

  gst_element_class_set_static_metadata (element_class,
      "Speech-to-text resegmentation", "Filter/Text",
      "Splits final phrases into display segments at sentence ends and long pauses",
      "gst-stt developers");

  GST_BASE_TRANSFORM_CLASS (klass)->start = GST_DEBUG_FUNCPTR (gst_stt_reseg_start);
  GST_STT_RESULT_FILTER_CLASS (klass)->split_result =
      GST_DEBUG_FUNCPTR (gst_stt_reseg_split_result);

  GST_DEBUG_CATEGORY_INIT (stt_reseg_debug, "sttreseg", 0, "gst-stt resegmentation");
}

static void
gst_stt_reseg_init (GstSttReseg *self)
{
  stt_reseg_options_init (&self->options);
}
