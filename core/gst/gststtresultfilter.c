/* gst-stt — GstSttResultFilter: parse, let the subclass change, serialise, post.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Implemented with GstBaseTransform's generate_output so that the output buffer can differ in
 * size from the input (a result's JSON grows as fields are filled).
 */
#include "stt/gststtresultfilter.h"
#include "stt/gststtresult.h"

GST_DEBUG_CATEGORY_STATIC (stt_result_filter_debug);
#define GST_CAT_DEFAULT stt_result_filter_debug

enum {
  PROP_0,
  PROP_POST_MESSAGES,
};

#define DEFAULT_POST_MESSAGES TRUE

typedef struct {
  gboolean post_messages;
} GstSttResultFilterPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (GstSttResultFilter, gst_stt_result_filter,
    GST_TYPE_BASE_TRANSFORM, G_ADD_PRIVATE (GstSttResultFilter)
    GST_DEBUG_CATEGORY_INIT (stt_result_filter_debug, "sttresultfilter", 0,
        "gst-stt result filter base class"));

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (GST_STT_RESULT_CAPS));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (GST_STT_RESULT_CAPS));

static void
gst_stt_result_filter_set_property (GObject *object, guint prop_id, const GValue *value,
    GParamSpec *pspec)
{
  GstSttResultFilterPrivate *priv =
      gst_stt_result_filter_get_instance_private (GST_STT_RESULT_FILTER (object));
  GST_OBJECT_LOCK (object);
  switch (prop_id) {
    case PROP_POST_MESSAGES:
      priv->post_messages = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (object);
}

static void
gst_stt_result_filter_get_property (GObject *object, guint prop_id, GValue *value,
    GParamSpec *pspec)
{
  GstSttResultFilterPrivate *priv =
      gst_stt_result_filter_get_instance_private (GST_STT_RESULT_FILTER (object));
  GST_OBJECT_LOCK (object);
  switch (prop_id) {
    case PROP_POST_MESSAGES:
      g_value_set_boolean (value, priv->post_messages);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (object);
}

/* Run the subclass; on failure warn and hand back the untouched input. */
static SttResult *
run_transform (GstSttResultFilter *self, SttResult *in)
{
  GstSttResultFilterClass *klass = GST_STT_RESULT_FILTER_GET_CLASS (self);
  if (!klass->transform_result)
    return stt_result_ref (in);
  SttResult *work = stt_result_copy (in);
  GError *err = NULL;
  if (klass->transform_result (self, work, &err)) {
    return work;
  }
  GST_ELEMENT_WARNING (self, STREAM, FAILED, ("%s",
          err ? err->message : "post-processing failed"),
      ("the result was passed through unchanged"));
  g_clear_error (&err);
  stt_result_unref (work);
  return stt_result_ref (in);
}

static GstFlowReturn
gst_stt_result_filter_generate_output (GstBaseTransform *trans, GstBuffer **outbuf)
{
  GstSttResultFilter *self = GST_STT_RESULT_FILTER (trans);
  GstSttResultFilterPrivate *priv = gst_stt_result_filter_get_instance_private (self);
  GstBuffer *inbuf = trans->queued_buf;
  *outbuf = NULL;
  if (!inbuf)
    return GST_FLOW_OK;
  trans->queued_buf = NULL;

  GError *err = NULL;
  SttResult *in = gst_stt_result_from_buffer (inbuf, &err);
  if (!in) {
    GST_ELEMENT_ERROR (self, STREAM, DECODE, ("Input is not a recognition result: %s",
            err->message), ("connect this element after sttdecoder or another result producer"));
    g_error_free (err);
    gst_buffer_unref (inbuf);
    return GST_FLOW_ERROR;
  }
  SttResult *out = run_transform (self, in);
  stt_result_unref (in);

  *outbuf = gst_stt_result_to_buffer (out);
  gst_buffer_copy_into (*outbuf, inbuf, GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_TIMESTAMPS |
      GST_BUFFER_COPY_META, 0, -1);
  gst_buffer_unref (inbuf);

  GST_OBJECT_LOCK (self);
  gboolean post = priv->post_messages;
  GST_OBJECT_UNLOCK (self);
  if (post)
    gst_element_post_message (GST_ELEMENT (self),
        gst_stt_result_message_new (GST_OBJECT (self), out));
  stt_result_unref (out);
  return GST_FLOW_OK;
}

static void
gst_stt_result_filter_class_init (GstSttResultFilterClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  gobject_class->set_property = gst_stt_result_filter_set_property;
  gobject_class->get_property = gst_stt_result_filter_get_property;

  /**
   * GstSttResultFilter:post-messages:
   *
   * Post an "stt-result" element message on the bus for every result this element outputs.
   */
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post an \"stt-result\" element message for every result output",
          DEFAULT_POST_MESSAGES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);

  trans_class->generate_output = gst_stt_result_filter_generate_output;
  trans_class->passthrough_on_same_caps = FALSE;

  gst_type_mark_as_plugin_api (GST_TYPE_STT_RESULT_FILTER, 0);
}

static void
gst_stt_result_filter_init (GstSttResultFilter *self)
{
  GstSttResultFilterPrivate *priv = gst_stt_result_filter_get_instance_private (self);
  priv->post_messages = DEFAULT_POST_MESSAGES;
}
