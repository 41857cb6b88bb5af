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
  /* split_result's outputs not pushed yet, and the input buffer they came from */
  GQueue pending;
  GstBuffer *pending_from;
  gboolean pending_first;
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

static void
post_result (GstSttResultFilter *self, SttResult *out)
{
  GstSttResultFilterPrivate *priv = gst_stt_result_filter_get_instance_private (self);
  GST_OBJECT_LOCK (self);
  gboolean post = priv->post_messages;
  GST_OBJECT_UNLOCK (self);
  if (post)
    gst_element_post_message (GST_ELEMENT (self),
        gst_stt_result_message_new (GST_OBJECT (self), out));
}

static void
clear_pending (GstSttResultFilterPrivate *priv)
{
  SttResult *r;
  while ((r = g_queue_pop_head (&priv->pending)))
    stt_result_unref (r);
  gst_clear_buffer (&priv->pending_from);
}

/* Run split_result and queue its outputs; on failure queue the untouched input. */
static void
run_split (GstSttResultFilter *self, SttResult *in, GstBuffer *inbuf)
{
  GstSttResultFilterPrivate *priv = gst_stt_result_filter_get_instance_private (self);
  SttResult *work = stt_result_copy (in);
  GError *err = NULL;
  GPtrArray *outs = GST_STT_RESULT_FILTER_GET_CLASS (self)->split_result (self, work, &err);
  stt_result_unref (work);
  clear_pending (priv);
  if (outs) {
    for (guint i = 0; i < outs->len; i++)
      g_queue_push_tail (&priv->pending, stt_result_ref (outs->pdata[i]));
    g_ptr_array_unref (outs);
  } else {
    GST_ELEMENT_WARNING (self, STREAM, FAILED, ("%s",
            err ? err->message : "post-processing failed"),
        ("the result was passed through unchanged"));
    g_clear_error (&err);
    g_queue_push_tail (&priv->pending, stt_result_ref (in));
  }
  priv->pending_from = gst_buffer_ref (inbuf);
  priv->pending_first = TRUE;
}

/* The next queued output of split_result, or NULL. */
static GstBuffer *
next_pending (GstSttResultFilter *self)
{
  GstSttResultFilterPrivate *priv = gst_stt_result_filter_get_instance_private (self);
  SttResult *out = g_queue_pop_head (&priv->pending);
  if (!out) {
    gst_clear_buffer (&priv->pending_from);
    return NULL;
  }
  GstBuffer *buf = gst_stt_result_to_buffer (out);
  gst_buffer_copy_into (buf, priv->pending_from, GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_META,
      0, -1);
  if (!priv->pending_first)
    GST_BUFFER_FLAG_UNSET (buf, GST_BUFFER_FLAG_DISCONT);
  priv->pending_first = FALSE;
  post_result (self, out);
  stt_result_unref (out);
  return buf;
}

static GstFlowReturn
gst_stt_result_filter_generate_output (GstBaseTransform *trans, GstBuffer **outbuf)
{
  GstSttResultFilter *self = GST_STT_RESULT_FILTER (trans);
  GstSttResultFilterClass *klass = GST_STT_RESULT_FILTER_GET_CLASS (self);
  GstBuffer *inbuf = trans->queued_buf;
  *outbuf = NULL;
  if (!inbuf) {
    /* GstBaseTransform calls again after every output until there is none. */
    if (klass->split_result)
      *outbuf = next_pending (self);
    return GST_FLOW_OK;
  }
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
  if (klass->split_result) {
    run_split (self, in, inbuf);
    stt_result_unref (in);
    gst_buffer_unref (inbuf);
    *outbuf = next_pending (self);
    return GST_FLOW_OK;
  }
  SttResult *out = run_transform (self, in);
  stt_result_unref (in);

  *outbuf = gst_stt_result_to_buffer (out);
  gst_buffer_copy_into (*outbuf, inbuf, GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_TIMESTAMPS |
      GST_BUFFER_COPY_META, 0, -1);
  gst_buffer_unref (inbuf);
  post_result (self, out);
  stt_result_unref (out);
  return GST_FLOW_OK;
}

static gboolean
gst_stt_result_filter_stop (GstBaseTransform *trans)
{
  clear_pending (gst_stt_result_filter_get_instance_private (GST_STT_RESULT_FILTER (trans)));
  return TRUE;
}

static gboolean
gst_stt_result_filter_sink_event (GstBaseTransform *trans, GstEvent *event)
{
  if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP)
    clear_pending (gst_stt_result_filter_get_instance_private (GST_STT_RESULT_FILTER (trans)));
  return GST_BASE_TRANSFORM_CLASS (gst_stt_result_filter_parent_class)->sink_event (trans,
      event);
}

static void
gst_stt_result_filter_finalize (GObject *object)
{
  clear_pending (gst_stt_result_filter_get_instance_private (GST_STT_RESULT_FILTER (object)));
  G_OBJECT_CLASS (gst_stt_result_filter_parent_class)->finalize (object);
}

static void
gst_stt_result_filter_class_init (GstSttResultFilterClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  gobject_class->set_property = gst_stt_result_filter_set_property;
  gobject_class->get_property = gst_stt_result_filter_get_property;
  gobject_class->finalize = gst_stt_result_filter_finalize;

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
  trans_class->stop = gst_stt_result_filter_stop;
  trans_class->sink_event = gst_stt_result_filter_sink_event;
  trans_class->passthrough_on_same_caps = FALSE;

  gst_type_mark_as_plugin_api (GST_TYPE_STT_RESULT_FILTER, 0);
}

static void
gst_stt_result_filter_init (GstSttResultFilter *self)
{
  GstSttResultFilterPrivate *priv = gst_stt_result_filter_get_instance_private (self);
  priv->post_messages = DEFAULT_POST_MESSAGES;
  g_queue_init (&priv->pending);
}
