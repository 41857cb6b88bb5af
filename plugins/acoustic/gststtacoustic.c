/* gst-stt — sttacoustic: feature frames to senone log-likelihoods (core/am scorer).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-sttacoustic
 * @title: sttacoustic
 *
 * Scores every frame of `application/x-stt-features` against every senone (tied HMM state)
 * of a PTM acoustic model and outputs `application/x-stt-scores` (see stt/gststttypes.h):
 * per frame, `senones` float32 natural-log likelihoods shifted so that the best is 0.
 * Buffer offsets (frame indices), timestamps and DISCONT flags are carried through.
 *
 * Frames are collected into batches of `batch-frames` and each batch's Gaussians are
 * evaluated as one matrix product per feature stream (OpenBLAS, one thread; run one pipeline
 * per stream for parallelism). The batch is the element's latency (reported in LATENCY
 * queries); a partial batch is scored at EOS, before a DISCONT or gap and before an
 * stt-lookahead event (sttfeatures sends one per input buffer). Every element on
 * the same model in one process shares one read-only mapping of the model's arrays and one
 * copy of the precomputed tables.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=x.wav ! decodebin ! audioconvert ! audioresample !
 *     sttfeatures ! sttacoustic batch-frames=10 top-n=4 ! fakesink
 * ]|
 */
#include "config.h"
#include "gststtacoustic.h"

#include <stt/am.h>
#include <stt/gststttypes.h>
#include <stt/model.h>

#include <math.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (stt_acoustic_debug);
#define GST_CAT_DEFAULT stt_acoustic_debug

enum {
  PROP_0,
  PROP_MODEL,
  PROP_BATCH_FRAMES,
  PROP_TOP_N,
  PROP_USE_BLAS,
};

#define DEFAULT_BATCH_FRAMES 10
#define MAX_BATCH_FRAMES 1000
#define DEFAULT_TOP_N 4
#define DEFAULT_USE_BLAS TRUE

struct _GstSttAcoustic {
  GstElement parent;
  GstPad *sinkpad, *srcpad;

  /* properties, under the object lock; used from the next READY -> PAUSED */
  char *model_name;
  int batch_frames;
  int top_n;
  gboolean use_blas;

  /* running state, streaming thread (set up on READY -> PAUSED) */
  SttModel *model;
  SttAcousticTables *tables;
  SttAcousticScorer *scorer;
  int batch;                /* batch-frames in use */
  int dim, n_sen;
  int rate_n, rate_d;       /* frames per second, from the sink caps */
  GArray *pending;          /* floats of frames not yet scored */
  guint64 pending_offset;   /* frame index of the first pending frame */
  GstClockTime pending_pts;
  gboolean pending_discont;
  guint64 next_offset;      /* frame index expected next */
};

G_DEFINE_TYPE (GstSttAcoustic, gst_stt_acoustic, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (sttacoustic, "sttacoustic", GST_RANK_NONE,
    GST_TYPE_STT_ACOUSTIC);

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_STT_FEATURES_MEDIA_TYPE ", dimension = (int) [ 1, 1024 ], "
        "rate = (fraction) [ 1/1, 10000/1 ]"));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_STT_SCORES_MEDIA_TYPE ", senones = (int) [ 1, 65535 ], "
        "rate = (fraction) [ 1/1, 10000/1 ], model-id = (string) ANY"));

/* ---- scoring ------------------------------------------------------------------------- */

static GstClockTime
frames_to_time (GstSttAcoustic *self, guint64 frames)
{
  return gst_util_uint64_scale (frames, GST_SECOND * (guint64) self->rate_d, self->rate_n);
}

/* Score every pending frame and push them as one buffer. */
static GstFlowReturn
flush_pending (GstSttAcoustic *self)
{
  guint n = self->pending->len / self->dim;
  if (n == 0)
    return GST_FLOW_OK;
  GstBuffer *out = gst_buffer_new_allocate (NULL, (gsize) n * self->n_sen * sizeof (float),
      NULL);
  GstMapInfo map;
  gst_buffer_map (out, &map, GST_MAP_WRITE);
  stt_acoustic_scorer_score (self->scorer, (const float *) self->pending->data, n,
      (float *) map.data);
  gst_buffer_unmap (out, &map);
  GST_BUFFER_OFFSET (out) = self->pending_offset;
  GST_BUFFER_OFFSET_END (out) = self->pending_offset + n;
  GST_BUFFER_PTS (out) = self->pending_pts;
  GST_BUFFER_DURATION (out) = frames_to_time (self, n);
  if (self->pending_discont)
    GST_BUFFER_FLAG_SET (out, GST_BUFFER_FLAG_DISCONT);
  g_array_set_size (self->pending, 0);
  self->pending_discont = FALSE;
  return gst_pad_push (self->srcpad, out);
}

/* Index of the first NaN or infinity in @v, or G_MAXSIZE: they would poison every score. */
static gsize
first_non_finite (const float *v, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (v[i]))
      return i;
  return G_MAXSIZE;
}

static GstFlowReturn
gst_stt_acoustic_chain (GstPad *pad, GstObject *parent, GstBuffer *buf)
{
  GstSttAcoustic *self = GST_STT_ACOUSTIC (parent);
  GstFlowReturn ret = GST_FLOW_OK;
  if (!self->rate_n) {
    gst_buffer_unref (buf);
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("No caps before the first feature buffer"),
        ("upstream must send %s caps", GST_STT_FEATURES_MEDIA_TYPE));
    return GST_FLOW_NOT_NEGOTIATED;
  }
  gsize frame_bytes = (gsize) self->dim * sizeof (float);
  if (gst_buffer_get_size (buf) % frame_bytes != 0) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT, ("Feature buffer is not whole frames"),
        ("%" G_GSIZE_FORMAT " bytes is not a multiple of %" G_GSIZE_FORMAT " (dimension %d)",
            gst_buffer_get_size (buf), frame_bytes, self->dim));
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }
  guint64 n = gst_buffer_get_size (buf) / frame_bytes;
  guint64 offset = GST_BUFFER_OFFSET_IS_VALID (buf) ? GST_BUFFER_OFFSET (buf)
      : self->next_offset;
  gboolean gap = GST_BUFFER_IS_DISCONT (buf) || offset != self->next_offset;
  if (gap)   /* frames before a gap go out on their own, flagged as they came */
    ret = flush_pending (self);
  if (ret == GST_FLOW_OK && n > 0) {
    if (self->pending->len == 0) {
      self->pending_offset = offset;
      self->pending_pts = GST_BUFFER_PTS_IS_VALID (buf) ? GST_BUFFER_PTS (buf)
          : frames_to_time (self, offset);
    }
    self->pending_discont |= gap;
    GstMapInfo map;
    gst_buffer_map (buf, &map, GST_MAP_READ);
    gsize bad = first_non_finite ((const float *) map.data, n * self->dim);
    if (bad != G_MAXSIZE) {
      gst_buffer_unmap (buf, &map);
      gst_buffer_unref (buf);
      GST_ELEMENT_ERROR (self, STREAM, DECODE, ("Feature frames hold invalid numbers"),
          ("frame %" G_GUINT64_FORMAT " value %" G_GSIZE_FORMAT " is not finite (NaN or "
              "infinity); the front end upstream is broken", offset + bad / self->dim,
              bad % self->dim));
      return GST_FLOW_ERROR;
    }
    g_array_append_vals (self->pending, map.data, n * self->dim);
    gst_buffer_unmap (buf, &map);
    self->next_offset = offset + n;
    if (self->pending->len / self->dim >= (guint) self->batch)
      ret = flush_pending (self);
  }
  gst_buffer_unref (buf);
  return ret;
}

/* ---- events and queries -------------------------------------------------------------- */

static gboolean
set_caps (GstSttAcoustic *self, GstCaps *caps)
{
  GstStructure *s = gst_caps_get_structure (caps, 0);
  int dim, rn, rd;
  if (!gst_structure_get_int (s, "dimension", &dim)
      || !gst_structure_get_fraction (s, "rate", &rn, &rd) || rn <= 0 || rd <= 0)
    return FALSE;
  if (dim != self->dim) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("Features do not fit the acoustic model"),
        ("upstream sends %d floats per frame, model %s expects %d", dim,
            stt_model_get_id (self->model), self->dim));
    return FALSE;
  }
  self->rate_n = rn;
  self->rate_d = rd;
  GstCaps *out = gst_caps_new_simple (GST_STT_SCORES_MEDIA_TYPE,
      "senones", G_TYPE_INT, self->n_sen, "rate", GST_TYPE_FRACTION, rn, rd,
      "model-id", G_TYPE_STRING, stt_model_get_id (self->model), NULL);
  gboolean ok = gst_pad_push_event (self->srcpad, gst_event_new_caps (out));
  gst_caps_unref (out);
  return ok;
}

static gboolean
gst_stt_acoustic_sink_event (GstPad *pad, GstObject *parent, GstEvent *event)
{
  GstSttAcoustic *self = GST_STT_ACOUSTIC (parent);
  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS: {
      GstCaps *caps;
      gst_event_parse_caps (event, &caps);
      if (self->scorer && self->rate_n)   /* frames of the old format go out first */
        flush_pending (self);
      gboolean ok = self->tables && set_caps (self, caps);
      gst_event_unref (event);
      return ok;
    }
    case GST_EVENT_EOS:
    case GST_EVENT_GAP:
      if (self->scorer)
        flush_pending (self);
      break;
    case GST_EVENT_CUSTOM_DOWNSTREAM:
      /* the decoder reads it as "every frame before this one is here" */
      if (self->scorer && gst_stt_lookahead_event_parse (event, NULL, NULL, NULL, NULL))
        flush_pending (self);
      break;
    case GST_EVENT_STREAM_START:
    case GST_EVENT_FLUSH_STOP:
      if (self->pending)
        g_array_set_size (self->pending, 0);
      self->next_offset = 0;
      self->pending_discont = TRUE;
      break;
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}

/* Batching holds up to batch-frames frames: that is added to upstream's latency. */
static gboolean
gst_stt_acoustic_src_query (GstPad *pad, GstObject *parent, GstQuery *query)
{
  GstSttAcoustic *self = GST_STT_ACOUSTIC (parent);
  if (GST_QUERY_TYPE (query) != GST_QUERY_LATENCY)
    return gst_pad_query_default (pad, parent, query);
  if (!gst_pad_peer_query (self->sinkpad, query))
    return FALSE;
  gboolean live;
  GstClockTime min, max;
  gst_query_parse_latency (query, &live, &min, &max);
  GST_OBJECT_LOCK (self);
  int batch = self->scorer ? self->batch : self->batch_frames;
  GST_OBJECT_UNLOCK (self);
  GstClockTime ours = self->rate_n ? frames_to_time (self, batch)
      : gst_util_uint64_scale (batch, GST_SECOND, 100);
  min += ours;
  if (GST_CLOCK_TIME_IS_VALID (max))
    max += ours;
  gst_query_set_latency (query, live, min, max);
  return TRUE;
}

/* ---- state --------------------------------------------------------------------------- */

static gboolean
start (GstSttAcoustic *self)
{
  GST_OBJECT_LOCK (self);
  char *name = g_strdup (self->model_name);
  int batch = self->batch_frames, top_n = self->top_n;
  gboolean blas = self->use_blas;
  GST_OBJECT_UNLOCK (self);
  GError *error = NULL;
  self->model = stt_model_cache_lookup (name, &error);
  if (self->model)
    self->tables = stt_acoustic_tables_from_model (self->model, &error);
  if (!self->tables) {
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
        ("Cannot open the acoustic model \"%s\"", name),
        ("%s (set the model property to an installed model id or a model folder; "
            "`stt-model import-sphinx` builds the default one)", error->message));
    g_clear_error (&error);
    g_free (name);
    g_clear_pointer (&self->model, stt_model_unref);
    return FALSE;
  }
  g_free (name);
  self->batch = batch;
  self->dim = stt_acoustic_tables_dim (self->tables);
  self->n_sen = stt_acoustic_tables_n_senones (self->tables);
  self->scorer = stt_acoustic_scorer_new (self->tables, top_n, blas, batch);
  self->pending = g_array_sized_new (FALSE, FALSE, sizeof (float), batch * self->dim);
  self->rate_n = self->rate_d = 0;
  self->next_offset = 0;
  self->pending_discont = TRUE;
  GST_INFO_OBJECT (self, "model %s: %d senones, batch %d, top-n %d, %s",
      stt_model_get_id (self->model), self->n_sen, batch, top_n,
      blas && stt_acoustic_have_blas () ? "OpenBLAS" : "plain C");
  return TRUE;
}

static void
stop (GstSttAcoustic *self)
{
  g_clear_pointer (&self->scorer, stt_acoustic_scorer_free);
  g_clear_pointer (&self->tables, stt_acoustic_tables_unref);
  g_clear_pointer (&self->model, stt_model_unref);
  g_clear_pointer (&self->pending, g_array_unref);
  self->rate_n = 0;
}

static GstStateChangeReturn
gst_stt_acoustic_change_state (GstElement *element, GstStateChange transition)
{
  GstSttAcoustic *self = GST_STT_ACOUSTIC (element);
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED && !start (self))
    return GST_STATE_CHANGE_FAILURE;
  GstStateChangeReturn ret =
      GST_ELEMENT_CLASS (gst_stt_acoustic_parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    stop (self);
  return ret;
}

/* ---- properties ---------------------------------------------------------------------- */

static void
gst_stt_acoustic_set_property (GObject *object, guint id, const GValue *value,
    GParamSpec *pspec)
{
  GstSttAcoustic *self = GST_STT_ACOUSTIC (object);
  GST_OBJECT_LOCK (self);
  switch (id) {
    case PROP_MODEL:
      g_free (self->model_name);
      self->model_name = g_value_dup_string (value);
      if (!self->model_name)
        self->model_name = g_strdup (STT_DEFAULT_MODEL_ID);
      break;
    case PROP_BATCH_FRAMES:
      self->batch_frames = g_value_get_int (value);
      break;
    case PROP_TOP_N:
      self->top_n = g_value_get_int (value);
      break;
    case PROP_USE_BLAS:
      self->use_blas = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_acoustic_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  GstSttAcoustic *self = GST_STT_ACOUSTIC (object);
  GST_OBJECT_LOCK (self);
  switch (id) {
    case PROP_MODEL:
      g_value_set_string (value, self->model_name);
      break;
    case PROP_BATCH_FRAMES:
      g_value_set_int (value, self->batch_frames);
      break;
    case PROP_TOP_N:
      g_value_set_int (value, self->top_n);
      break;
    case PROP_USE_BLAS:
      g_value_set_boolean (value, self->use_blas);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_acoustic_finalize (GObject *object)
{
  GstSttAcoustic *self = GST_STT_ACOUSTIC (object);
  stop (self);
  g_free (self->model_name);
  G_OBJECT_CLASS (gst_stt_acoustic_parent_class)->finalize (object);
}

static void
gst_stt_acoustic_class_init (GstSttAcousticClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  gobject_class->set_property = gst_stt_acoustic_set_property;
  gobject_class->get_property = gst_stt_acoustic_get_property;
  gobject_class->finalize = gst_stt_acoustic_finalize;
  element_class->change_state = gst_stt_acoustic_change_state;

  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY;
  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "Acoustic model: an installed model id (UUID, searched in $STT_MODEL_PATH and the "
          "model folders) or a model folder; read when the element starts (READY->PAUSED)",
          STT_DEFAULT_MODEL_ID, rw));
  g_object_class_install_property (gobject_class, PROP_BATCH_FRAMES,
      g_param_spec_int ("batch-frames", "Batch frames",
          "Frames scored together as one matrix product per feature stream. This is the "
          "latency the element adds: batch-frames / frame rate (10 = 100 ms at 100 frames/s); "
          "a partial batch is scored at EOS and before a DISCONT",
          1, MAX_BATCH_FRAMES, DEFAULT_BATCH_FRAMES, rw));
  g_object_class_install_property (gobject_class, PROP_TOP_N,
      g_param_spec_int ("top-n", "Top N",
          "Gaussians per codebook and feature stream that enter the mixtures: the N with the "
          "highest density (4 = pocketsphinx's default; >= the codebook size (128) = the exact "
          "full mixture, about 17x slower)", 1, 1024, DEFAULT_TOP_N, rw));
  g_object_class_install_property (gobject_class, PROP_USE_BLAS,
      g_param_spec_boolean ("use-blas", "Use BLAS",
          "Evaluate the Gaussians of a batch with OpenBLAS (one thread); FALSE: frame by frame "
          "in plain C (for comparison). Ignored when built without OpenBLAS",
          DEFAULT_USE_BLAS, rw));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "STT acoustic scorer",
      "Filter/Analyzer/Audio", "Senone log-likelihoods of speech feature frames (PTM "
      "Gaussian mixtures, batched with OpenBLAS)", "gst-stt");
  GST_DEBUG_CATEGORY_INIT (stt_acoustic_debug, "sttacoustic", 0, "acoustic scorer");
}

static void
gst_stt_acoustic_init (GstSttAcoustic *self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad, gst_stt_acoustic_chain);
  gst_pad_set_event_function (self->sinkpad, gst_stt_acoustic_sink_event);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_set_query_function (self->srcpad, gst_stt_acoustic_src_query);
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);
  self->model_name = g_strdup (STT_DEFAULT_MODEL_ID);
  self->batch_frames = DEFAULT_BATCH_FRAMES;
  self->top_n = DEFAULT_TOP_N;
  self->use_blas = DEFAULT_USE_BLAS;
}
