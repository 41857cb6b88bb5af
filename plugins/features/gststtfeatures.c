/* gst-stt — sttfeatures: 16 kHz speech to Sphinx 1s_c_d_dd feature frames (core/fe).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-sttfeatures
 * @title: sttfeatures
 *
 * Computes the acoustic features of the Sphinx models (13 MFCC cepstra with noise removal,
 * cepstral mean normalisation, deltas and double deltas: 39 floats per 10 ms frame) from
 * 16 kHz mono S16LE audio, exactly as pocketsphinx's front end does. Output is
 * `application/x-stt-features` (see stt/gststttypes.h): buffers of whole frames whose
 * OFFSET/OFFSET_END are frame indices and whose PTS is index / 100 s.
 *
 * Frame indices follow the input timeline: an utterance whose first sample has PTS t starts
 * at frame round(t × 100), so a non-zero first PTS gives a non-zero first offset. A buffer
 * flagged DISCONT, a timestamp jump of more than 20 ms, or a GAP event ends the utterance:
 * its last frames (the final partial frame and the 3 frames whose deltas replicate the last
 * one) are pushed, framing restarts at the new position and the next output buffer is
 * flagged DISCONT. Live CMN keeps its running mean across such a gap (live-sphinx after its
 * end-of-utterance update), as pocketsphinx does between utterances; noise estimates are kept
 * too. A flush or a new stream starts from scratch. EOS pushes the pending frames.
 *
 * With `cmn=batch` the whole utterance is held until EOS (or a gap) and normalised by its
 * own mean: use it for files. With `remove-silence=true` frames the voice activity detector
 * deems silence are dropped (the remaining runs are flagged DISCONT); by default every frame
 * is passed on because the decoder does its own endpointing.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=x.wav ! decodebin ! audioconvert ! audioresample !
 *     sttfeatures feat-params=/usr/share/pocketsphinx/model/en-us/en-us/feat.params !
 *     fakesink
 * ]|
 */
#include "config.h"
#include "gststtfeatures.h"

#include <stt/fe.h>
#include <stt/gststttypes.h>
#include <stt/model.h>

GST_DEBUG_CATEGORY_STATIC (stt_features_debug);
#define GST_CAT_DEFAULT stt_features_debug

enum {
  PROP_0,
  PROP_MODEL,
  PROP_FEAT_PARAMS,
  PROP_CMN,
  PROP_REMOVE_NOISE,
  PROP_REMOVE_SILENCE,
  PROP_LOOKAHEAD_EVENTS,
};

#define DEFAULT_CMN GST_STT_FEATURES_CMN_LIVE
#define DEFAULT_REMOVE_SILENCE FALSE
#define DEFAULT_LOOKAHEAD_EVENTS TRUE
/* A timestamp further than this from where the samples so far end is a gap. */
#define GAP_TOLERANCE (20 * GST_MSECOND)

struct _GstSttFeatures {
  GstElement parent;
  GstPad *sinkpad, *srcpad;

  /* properties, under the object lock */
  char *model;
  char *feat_params;
  GstSttFeaturesCmn cmn;
  gboolean remove_noise, remove_noise_set;   /* unset: the model's -remove_noise */
  gboolean remove_silence;
  gboolean lookahead_events;

  /* streaming state */
  SttFeParams *params;          /* loaded on READY -> PAUSED */
  SttFe *fe;
  int rate;                     /* frames per second */
  gboolean have_caps;           /* the sink pad accepted caps */
  gboolean in_utterance;        /* samples of the current utterance were processed */
  gint64 utt_base;              /* frame index of the utterance's first frame */
  GstClockTime utt_start;       /* PTS of its first sample (NONE if unknown) */
  guint64 utt_samples;
  gint64 next_offset;           /* the frame index after the last pushed frame */
  gboolean discont;             /* flag the next output buffer */
};

G_DEFINE_TYPE (GstSttFeatures, gst_stt_features, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (sttfeatures, "sttfeatures", GST_RANK_NONE,
    GST_TYPE_STT_FEATURES);

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("audio/x-raw, format=(string)S16LE, rate=(int)16000, channels=(int)1, "
        "layout=(string)interleaved"));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_STT_FEATURES_MEDIA_TYPE ", dimension=(int)39, rate=(fraction)100/1, "
        "feature-type=(string)1s_c_d_dd"));

#define GST_TYPE_STT_FEATURES_CMN (gst_stt_features_cmn_get_type ())
static GType
gst_stt_features_cmn_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_STT_FEATURES_CMN_LIVE, "Running mean from the model's -cmninit, updated every frame "
      "(streaming)", "live"},
    {GST_STT_FEATURES_CMN_BATCH, "Mean of the whole utterance; output waits for EOS or a gap "
      "(files)", "batch"},
    {GST_STT_FEATURES_CMN_NONE, "No cepstral mean normalisation", "none"},
    {GST_STT_FEATURES_CMN_LIVE_SPHINX, "pocketsphinx's live CMN: -cmninit until 800 frames or "
      "an utterance end (for comparison)", "live-sphinx"},
    {0, NULL, NULL},
  };
  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSttFeaturesCmn", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

/* ---- output ---------------------------------------------------------------------------- */

static GstFlowReturn
push_run (GstSttFeatures *self, gsize n, gint64 first)
{
  int dim = STT_FE_FEAT_DIM;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, n * dim * sizeof (float), NULL);
  GstMapInfo map;
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  stt_fe_read (self->fe, (float *) map.data, NULL, n);
  gst_buffer_unmap (buf, &map);

  gint64 offset = self->utt_base + first;
  if (offset != self->next_offset)
    self->discont = TRUE;       /* frames dropped by the VAD, or a new utterance position */
  GST_BUFFER_OFFSET (buf) = offset;
  GST_BUFFER_OFFSET_END (buf) = offset + n;
  GST_BUFFER_PTS (buf) = gst_util_uint64_scale (offset, GST_SECOND, self->rate);
  GST_BUFFER_DURATION (buf) =
      gst_util_uint64_scale (offset + n, GST_SECOND, self->rate) - GST_BUFFER_PTS (buf);
  if (self->discont) {
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
    self->discont = FALSE;
  }
  self->next_offset = offset + n;
  GST_LOG_OBJECT (self, "%zu frames from %" G_GINT64_FORMAT, n, offset);
  return gst_pad_push (self->srcpad, buf);
}

static GstFlowReturn
push_pending (GstSttFeatures *self)
{
  GstFlowReturn ret = GST_FLOW_OK;
  gint64 first;
  gsize n;
  while (ret == GST_FLOW_OK && (n = stt_fe_pending_run (self->fe, &first)) > 0)
    ret = push_run (self, n, first);
  return ret;
}

/* Tell downstream about the frames held back for the deltas (stt-lookahead, gststttypes.h):
 * a decoder can then end a phrase on a pause 30 ms of audio sooner. */
static void
push_lookahead (GstSttFeatures *self)
{
  GST_OBJECT_LOCK (self);
  gboolean enabled = self->lookahead_events;
  GST_OBJECT_UNLOCK (self);
  gint64 first;
  gboolean speech;
  gsize n = enabled ? stt_fe_get_lookahead (self->fe, &first, &speech) : 0;
  if (n == 0)
    return;
  gint64 quiet = stt_fe_get_quiet_since (self->fe);
  gst_pad_push_event (self->srcpad, gst_stt_lookahead_event_new (self->utt_base + first,
          (guint) n, speech, quiet >= 0 ? self->utt_base + quiet : -1));
}

/* ---- utterances ------------------------------------------------------------------------ */

static GstFlowReturn
end_utterance (GstSttFeatures *self)
{
  if (!self->in_utterance)
    return GST_FLOW_OK;
  stt_fe_end_utterance (self->fe);
  self->in_utterance = FALSE;
  GstFlowReturn ret = push_pending (self);
  self->discont = TRUE;
  return ret;
}

static void
start_utterance (GstSttFeatures *self, GstClockTime pts)
{
  GST_OBJECT_LOCK (self);
  SttFeCmn cmn = self->cmn == GST_STT_FEATURES_CMN_BATCH ? STT_FE_CMN_BATCH
      : self->cmn == GST_STT_FEATURES_CMN_NONE ? STT_FE_CMN_NONE
      : self->cmn == GST_STT_FEATURES_CMN_LIVE_SPHINX ? STT_FE_CMN_LIVE_SPHINX : STT_FE_CMN_LIVE;
  gboolean remove_noise = self->remove_noise_set ? self->remove_noise
      : stt_fe_params_get_remove_noise (self->params);
  gboolean remove_silence = self->remove_silence;
  GST_OBJECT_UNLOCK (self);
  stt_fe_set_cmn (self->fe, cmn);
  stt_fe_set_remove_noise (self->fe, remove_noise);
  stt_fe_set_remove_silence (self->fe, remove_silence);

  /* without timestamps the utterance follows the previous one */
  self->utt_base = GST_CLOCK_TIME_IS_VALID (pts)
      ? (gint64) gst_util_uint64_scale_round (pts, self->rate, GST_SECOND) : self->next_offset;
  self->utt_start = pts;
  self->utt_samples = 0;
  self->in_utterance = TRUE;
}

/* Whether @buf does not continue the samples of the current utterance. */
static gboolean
is_gap (GstSttFeatures *self, GstBuffer *buf)
{
  if (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DISCONT))
    return TRUE;
  GstClockTime pts = GST_BUFFER_PTS (buf);
  if (!GST_CLOCK_TIME_IS_VALID (pts) || !GST_CLOCK_TIME_IS_VALID (self->utt_start))
    return FALSE;
  GstClockTime expected = self->utt_start +
      gst_util_uint64_scale (self->utt_samples, GST_SECOND,
      stt_fe_params_get_sample_rate (self->params));
  GstClockTimeDiff d = GST_CLOCK_DIFF (expected, pts);
  return d > (GstClockTimeDiff) GAP_TOLERANCE || d < -(GstClockTimeDiff) GAP_TOLERANCE;
}

static GstFlowReturn
gst_stt_features_chain (GstPad *pad, GstObject *parent, GstBuffer *buf)
{
  GstSttFeatures *self = GST_STT_FEATURES (parent);
  GstFlowReturn ret = GST_FLOW_OK;
  if (!self->fe) {
    gst_buffer_unref (buf);
    return GST_FLOW_FLUSHING;
  }
  if (!self->have_caps) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("No audio format was agreed before data."),
        ("sttfeatures needs caps " "audio/x-raw, format=S16LE, rate=16000, channels=1; put "
            "audioconvert ! audioresample before it"));
    gst_buffer_unref (buf);
    return GST_FLOW_NOT_NEGOTIATED;
  }
  if (self->in_utterance && is_gap (self, buf)) {
    GST_DEBUG_OBJECT (self, "discontinuity at %" GST_TIME_FORMAT,
        GST_TIME_ARGS (GST_BUFFER_PTS (buf)));
    ret = end_utterance (self);
  }
  if (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DISCONT))
    self->discont = TRUE;
  if (ret != GST_FLOW_OK) {
    gst_buffer_unref (buf);
    return ret;
  }
  if (!self->in_utterance)
    start_utterance (self, GST_BUFFER_PTS (buf));

  GstMapInfo map;
  if (!gst_buffer_map (buf, &map, GST_MAP_READ)) {
    GST_ELEMENT_ERROR (self, RESOURCE, READ, ("Cannot read an audio buffer."),
        ("gst_buffer_map failed"));
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }
  if (map.size % 2)
    GST_WARNING_OBJECT (self, "buffer of %zu bytes is not whole S16 samples; last byte dropped",
        map.size);
  gsize n = map.size / 2;
  stt_fe_process (self->fe, (const gint16 *) map.data, n);
  self->utt_samples += n;
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);
  ret = push_pending (self);
  if (ret == GST_FLOW_OK)
    push_lookahead (self);
  return ret;
}

/* ---- events and queries ---------------------------------------------------------------- */

static gboolean
send_caps (GstSttFeatures *self)
{
  GstCaps *caps = gst_caps_new_simple (GST_STT_FEATURES_MEDIA_TYPE,
      "dimension", G_TYPE_INT, stt_fe_params_get_dimension (self->params),
      "rate", GST_TYPE_FRACTION, self->rate, 1,
      "feature-type", G_TYPE_STRING, stt_fe_params_get_feature_type (self->params), NULL);
  gboolean ok = gst_pad_push_event (self->srcpad, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  return ok;
}

static gboolean
gst_stt_features_sink_event (GstPad *pad, GstObject *parent, GstEvent *event)
{
  GstSttFeatures *self = GST_STT_FEATURES (parent);
  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:
      gst_event_unref (event);
      self->have_caps = self->params && send_caps (self);
      return self->have_caps;
    case GST_EVENT_EOS:
    case GST_EVENT_GAP:
      if (self->fe)
        end_utterance (self);
      break;
    case GST_EVENT_STREAM_START:
    case GST_EVENT_FLUSH_STOP:
      if (self->fe) {
        stt_fe_reset (self->fe);
        self->in_utterance = FALSE;
        self->next_offset = 0;
        self->discont = TRUE;
      }
      break;
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}

/* The front end delays a frame's output until 3 more frames are complete (deltas). */
static gboolean
gst_stt_features_src_query (GstPad *pad, GstObject *parent, GstQuery *query)
{
  GstSttFeatures *self = GST_STT_FEATURES (parent);
  if (GST_QUERY_TYPE (query) != GST_QUERY_LATENCY)
    return gst_pad_query_default (pad, parent, query);
  GST_OBJECT_LOCK (self);
  SttFeParams *p = self->params ? stt_fe_params_ref (self->params) : NULL;
  GST_OBJECT_UNLOCK (self);
  gboolean ok = gst_pad_peer_query (self->sinkpad, query);
  if (ok && p) {
    gboolean live;
    GstClockTime min, max;
    gst_query_parse_latency (query, &live, &min, &max);
    GstClockTime ours = gst_util_uint64_scale (stt_fe_params_get_frame_size (p)
        + 3 * stt_fe_params_get_frame_shift (p), GST_SECOND,
        stt_fe_params_get_sample_rate (p));
    gst_query_set_latency (query, live, min + ours,
        GST_CLOCK_TIME_IS_VALID (max) ? max + ours : max);
  }
  if (p)
    stt_fe_params_unref (p);
  return ok;
}

/* ---- model loading --------------------------------------------------------------------- */

static SttFeParams *
load_params (GstSttFeatures *self)
{
  GST_OBJECT_LOCK (self);
  char *feat_params = g_strdup (self->feat_params);
  char *model_id = g_strdup (self->model ? self->model : STT_DEFAULT_MODEL_ID);
  GST_OBJECT_UNLOCK (self);

  GError *error = NULL;
  SttFeParams *params = NULL;
  if (feat_params && *feat_params) {
    params = stt_fe_params_load (feat_params, &error);
    if (!params)
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
          ("Cannot use the feat-params file \"%s\".", feat_params),
          ("%s; set feat-params to the feat.params of a Sphinx acoustic model, or unset it to "
              "use the model's", error->message));
  } else {
    SttModel *model = stt_model_cache_lookup (model_id, &error);
    char *path = model ? stt_model_get_path (model, "feat.params", &error) : NULL;
    if (path)
      params = stt_fe_params_load (path, &error);
    if (!params)
      GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
          ("Cannot load the front-end parameters of model \"%s\".", model_id),
          ("%s; set model to an installed model id or folder (see stt-model list) whose "
              "manifest lists feat.params, or set feat-params", error->message));
    g_free (path);
    if (model)
      stt_model_unref (model);
  }
  g_clear_error (&error);
  g_free (feat_params);
  g_free (model_id);
  return params;
}

static GstStateChangeReturn
gst_stt_features_change_state (GstElement *element, GstStateChange transition)
{
  GstSttFeatures *self = GST_STT_FEATURES (element);
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    SttFeParams *params = load_params (self);
    if (!params)
      return GST_STATE_CHANGE_FAILURE;
    GST_OBJECT_LOCK (self);     /* get_property reads it */
    self->params = params;
    GST_OBJECT_UNLOCK (self);
    self->fe = stt_fe_new (self->params);
    self->rate = stt_fe_params_get_frame_rate (self->params);
    self->in_utterance = FALSE;
    self->next_offset = 0;
    self->discont = TRUE;
    self->have_caps = FALSE;
  }
  GstStateChangeReturn ret =
      GST_ELEMENT_CLASS (gst_stt_features_parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    g_clear_pointer (&self->fe, stt_fe_free);
    GST_OBJECT_LOCK (self);
    g_clear_pointer (&self->params, stt_fe_params_unref);
    GST_OBJECT_UNLOCK (self);
  }
  return ret;
}

/* ---- properties ------------------------------------------------------------------------ */

static void
gst_stt_features_set_property (GObject *object, guint prop_id, const GValue *value,
    GParamSpec *pspec)
{
  GstSttFeatures *self = GST_STT_FEATURES (object);
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODEL:
      g_free (self->model);
      self->model = g_value_dup_string (value);
      break;
    case PROP_FEAT_PARAMS:
      g_free (self->feat_params);
      self->feat_params = g_value_dup_string (value);
      break;
    case PROP_CMN:
      self->cmn = g_value_get_enum (value);
      break;
    case PROP_REMOVE_NOISE:
      self->remove_noise = g_value_get_boolean (value);
      self->remove_noise_set = TRUE;
      break;
    case PROP_REMOVE_SILENCE:
      self->remove_silence = g_value_get_boolean (value);
      break;
    case PROP_LOOKAHEAD_EVENTS:
      self->lookahead_events = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_features_get_property (GObject *object, guint prop_id, GValue *value,
    GParamSpec *pspec)
{
  GstSttFeatures *self = GST_STT_FEATURES (object);
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_FEAT_PARAMS:
      g_value_set_string (value, self->feat_params);
      break;
    case PROP_CMN:
      g_value_set_enum (value, self->cmn);
      break;
    case PROP_REMOVE_NOISE:
      g_value_set_boolean (value, self->remove_noise_set || !self->params ? self->remove_noise
          : stt_fe_params_get_remove_noise (self->params));
      break;
    case PROP_REMOVE_SILENCE:
      g_value_set_boolean (value, self->remove_silence);
      break;
    case PROP_LOOKAHEAD_EVENTS:
      g_value_set_boolean (value, self->lookahead_events);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_features_finalize (GObject *object)
{
  GstSttFeatures *self = GST_STT_FEATURES (object);
  g_free (self->model);
  g_free (self->feat_params);
  stt_fe_free (self->fe);
  if (self->params)
    stt_fe_params_unref (self->params);
  G_OBJECT_CLASS (gst_stt_features_parent_class)->finalize (object);
}

static void
gst_stt_features_class_init (GstSttFeaturesClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_stt_features_set_property;
  gobject_class->get_property = gst_stt_features_get_property;
  gobject_class->finalize = gst_stt_features_finalize;

  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "Acoustic model whose front end to reproduce: a model id (looked up in the model "
          "path) or a model folder; its manifest lists the Sphinx feat.params file. "
          "Default: the en-US base model " STT_DEFAULT_MODEL_ID,
          STT_DEFAULT_MODEL_ID,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_FEAT_PARAMS,
      g_param_spec_string ("feat-params", "feat.params file",
          "Path of a Sphinx feat.params file, used instead of the model's when set "
          "(e.g. /usr/share/pocketsphinx/model/en-us/en-us/feat.params). Default: unset",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_CMN,
      g_param_spec_enum ("cmn", "Cepstral mean normalisation",
          "live: running mean of the cepstra (frames with c0 >= 0), updated every frame, "
          "starting from the model's -cmninit weighted as 100 frames and forgetting with a "
          "30 s time constant (streaming); live-sphinx: pocketsphinx's rule, -cmninit until "
          "800 frames were seen or an utterance ended; batch: mean of each utterance, output "
          "held until EOS or a gap (files); none. Takes effect at the next utterance. "
          "Default: live", GST_TYPE_STT_FEATURES_CMN, DEFAULT_CMN,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_REMOVE_NOISE,
      g_param_spec_boolean ("remove-noise", "Remove noise",
          "Spectral noise subtraction before the log (sphinx -remove_noise). Default: the "
          "model's feat.params value (yes for the en-US model). Takes effect at the next "
          "utterance", TRUE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_REMOVE_SILENCE,
      g_param_spec_boolean ("remove-silence", "Remove silence",
          "Drop the frames pocketsphinx's voice activity detector deems silence (sphinx "
          "-remove_silence); the kept runs are flagged DISCONT. Takes effect at the next "
          "utterance. Default: false (the decoder does endpointing)", DEFAULT_REMOVE_SILENCE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_LOOKAHEAD_EVENTS,
      g_param_spec_boolean ("lookahead-events", "Lookahead events",
          "After each input buffer, send downstream the stt-lookahead event: how many frames "
          "wait for the deltas' 3-frame lookahead and whether the voice activity detector "
          "hears speech in them, so that sttdecoder can end a phrase on a pause 30 ms of audio "
          "sooner. sttacoustic scores its batch at each, so with input buffers much shorter "
          "than its batch-frames, FALSE saves CPU. Default: true", DEFAULT_LOOKAHEAD_EVENTS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Speech-to-text front end",
      "Filter/Analyzer/Audio", "Computes the MFCC features (cepstra, CMN, deltas) of the "
      "Sphinx acoustic models from 16 kHz speech, bit-exact with sphinx_fe",
      "gst-stt developers");
  element_class->change_state = GST_DEBUG_FUNCPTR (gst_stt_features_change_state);
  gst_type_mark_as_plugin_api (GST_TYPE_STT_FEATURES_CMN, 0);
  GST_DEBUG_CATEGORY_INIT (stt_features_debug, "sttfeatures", 0, "speech front end");
}

static void
gst_stt_features_init (GstSttFeatures *self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad, GST_DEBUG_FUNCPTR (gst_stt_features_chain));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_stt_features_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->lookahead_events = DEFAULT_LOOKAHEAD_EVENTS;
  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_set_query_function (self->srcpad, GST_DEBUG_FUNCPTR (gst_stt_features_src_query));
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->model = g_strdup (STT_DEFAULT_MODEL_ID);
  self->cmn = DEFAULT_CMN;
  self->remove_noise = TRUE;
  self->remove_silence = DEFAULT_REMOVE_SILENCE;
}
