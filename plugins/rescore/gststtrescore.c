/* gst-stt — sttrescore: rescores each final result's word lattice with another LM.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-sttrescore
 * @title: sttrescore
 *
 * Takes the word lattice that sttdecoder attaches to every final result ("stt-lattice-1",
 * docs/lattice.md) and searches it again with the language model of a rescore model
 * (docs/rescore.md): the base model's full LM with a rescoring LM weight, a larger LM, or the
 * base LM interpolated with a domain LM built from a user's text. The result's N-best list is
 * replaced by the rescored one (Lexical text and words), with word confidences = posteriors
 * over the rescored lattice. Partial results, results without a lattice and results whose
 * lattice has no complete path pass through unchanged. When the model or its LM cannot be
 * used, the element posts a warning once and passes every result through unchanged.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 ... ! sttdecoder ! sttrescore model=<rescore model id> ! sttsink
 * ]|
 */
#include "config.h"
#include "gststtrescore.h"
#include "rescore.h"

GST_DEBUG_CATEGORY_STATIC (stt_rescore_debug);
#define GST_CAT_DEFAULT stt_rescore_debug

enum {
  PROP_0,
  PROP_MODEL,
  PROP_LM_WEIGHT,
  PROP_WIP,
  PROP_INTERPOLATION_WEIGHT,
  PROP_NBEST,
};

#define TICKS_PER_SECOND 10000000

struct _GstSttRescore {
  GstSttResultFilter parent;

  /* properties, under the object lock; negative / unset = the model's value */
  char *model_id;
  double lm_weight, wip, interpolation_weight;
  gboolean wip_set;
  guint nbest;

  /* from start to stop, used on the streaming thread */
  RescoreLm *lm;                /* NULL: the model could not be used, pass through */
};

G_DEFINE_TYPE (GstSttRescore, gst_stt_rescore, GST_TYPE_STT_RESULT_FILTER);
GST_ELEMENT_REGISTER_DEFINE (sttrescore, "sttrescore", GST_RANK_NONE, GST_TYPE_STT_RESCORE);

static gboolean
gst_stt_rescore_start (GstBaseTransform *trans)
{
  GstSttRescore *self = GST_STT_RESCORE (trans);
  GST_OBJECT_LOCK (self);
  char *id = g_strdup (self->model_id);
  GST_OBJECT_UNLOCK (self);
  GError *err = NULL;
  SttModel *model = stt_model_cache_lookup (id, &err);
  if (model) {
    self->lm = rescore_lm_new (model, &err);
    stt_model_unref (model);
  }
  if (!self->lm) {
    /* Rescoring only refines results: without it the pipeline still transcribes. */
    GST_ELEMENT_WARNING (self, RESOURCE, OPEN_READ,
        ("Rescoring is off, results pass through unchanged: %s", err->message),
        ("set model to a model of kind \"rescore\" (id or folder; stt-rescore-model builds "
            "one); model was \"%s\"", id));
    g_error_free (err);
  }
  g_free (id);
  return TRUE;
}

static gboolean
gst_stt_rescore_stop (GstBaseTransform *trans)
{
  GstSttRescore *self = GST_STT_RESCORE (trans);
  g_clear_pointer (&self->lm, rescore_lm_free);
  return TRUE;
}

static gint64
frame_ticks (const RescoreLattice *l, gint64 frame)
{
  return (rescore_lattice_get_first_frame (l) + frame) * TICKS_PER_SECOND /
      rescore_lattice_get_frame_rate (l);
}

static void
add_path (SttResult *r, const RescoreLattice *l, const RescorePath *path)
{
  SttHypothesis *h = stt_result_add_hypothesis (r);
  double sum = 0;
  for (guint i = 0; i < path->words->len; i++) {
    const RescoreWord *w = &g_array_index (path->words, RescoreWord, i);
    gint64 off = frame_ticks (l, w->start);
    stt_hypothesis_add_word (h, w->word, off, frame_ticks (l, w->end + 1) - off, w->confidence);
    sum += w->confidence;
  }
  char *text = stt_hypothesis_join_words (h);
  stt_hypothesis_set_text (h, STT_TEXT_LEXICAL, text);
  g_free (text);
  stt_hypothesis_set_confidence (h, path->words->len ? sum / path->words->len : 0.0);
}

/* The settings: properties where set, else the model's. */
static RescoreParams
get_params (GstSttRescore *self, guint *nbest)
{
  RescoreParams p = { self->lm->lm_weight, self->lm->wip, self->lm->lambda };
  GST_OBJECT_LOCK (self);
  if (self->lm_weight > 0)
    p.lm_weight = self->lm_weight;
  if (self->wip_set)
    p.wip = self->wip;
  if (self->interpolation_weight >= 0)
    p.lambda = self->interpolation_weight;
  *nbest = self->nbest;
  GST_OBJECT_UNLOCK (self);
  return p;
}

static gboolean
gst_stt_rescore_transform_result (GstSttResultFilter *filter, SttResult *result,
    GError **error)
{
  GstSttRescore *self = GST_STT_RESCORE (filter);
  const char *format = NULL;
  GBytes *bytes = stt_result_get_lattice (result, &format);
  if (result->kind != STT_RESULT_FINAL || !self->lm || !bytes)
    return TRUE;
  if (g_strcmp0 (format, "stt-lattice-1") != 0) {
    GST_DEBUG_OBJECT (self, "lattice format \"%s\" unknown, result passed through", format);
    return TRUE;
  }
  guint nbest;
  RescoreParams p = get_params (self, &nbest);
  if (nbest == 0)
    nbest = MAX (stt_result_get_n_hypotheses (result), 1);
  RescoreLattice *l = rescore_lattice_parse (bytes, error);
  if (!l)
    return FALSE;
  GPtrArray *paths = rescore_lattice_nbest (l, self->lm, &p, nbest);
  if (paths->len > 0 && ((RescorePath *) g_ptr_array_index (paths, 0))->words->len > 0) {
    while (stt_result_get_n_hypotheses (result) > 0)
      stt_result_remove_hypothesis (result, 0);
    for (guint i = 0; i < paths->len; i++)
      add_path (result, l, g_ptr_array_index (paths, i));
    SttHypothesis *best = stt_result_get_best (result);
    const SttWord *first = stt_hypothesis_get_word (best, 0);
    const SttWord *last = stt_hypothesis_get_word (best, stt_hypothesis_get_n_words (best) - 1);
    result->offset = first->offset;
    result->duration = last->offset + last->duration - first->offset;
    GST_DEBUG_OBJECT (self, "rescored: \"%s\"", stt_result_get_display_text (result));
  }
  g_ptr_array_unref (paths);
  rescore_lattice_free (l);
  return TRUE;
}

static void
gst_stt_rescore_set_property (GObject *object, guint prop_id, const GValue *value,
    GParamSpec *pspec)
{
  GstSttRescore *self = GST_STT_RESCORE (object);
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODEL:
      g_free (self->model_id);
      self->model_id = g_value_dup_string (value);
      if (!self->model_id)
        self->model_id = g_strdup (STT_DEFAULT_RESCORE_MODEL_ID);
      break;
    case PROP_LM_WEIGHT:
      self->lm_weight = g_value_get_double (value);
      break;
    case PROP_WIP:
      self->wip = g_value_get_double (value);
      self->wip_set = TRUE;
      break;
    case PROP_INTERPOLATION_WEIGHT:
      self->interpolation_weight = g_value_get_double (value);
      break;
    case PROP_NBEST:
      self->nbest = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_rescore_get_property (GObject *object, guint prop_id, GValue *value,
    GParamSpec *pspec)
{
  GstSttRescore *self = GST_STT_RESCORE (object);
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODEL:
      g_value_set_string (value, self->model_id);
      break;
    case PROP_LM_WEIGHT:
      g_value_set_double (value, self->lm_weight);
      break;
    case PROP_WIP:
      g_value_set_double (value, self->wip);
      break;
    case PROP_INTERPOLATION_WEIGHT:
      g_value_set_double (value, self->interpolation_weight);
      break;
    case PROP_NBEST:
      g_value_set_uint (value, self->nbest);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_rescore_finalize (GObject *object)
{
  GstSttRescore *self = GST_STT_RESCORE (object);
  g_free (self->model_id);
  g_clear_pointer (&self->lm, rescore_lm_free);
  G_OBJECT_CLASS (gst_stt_rescore_parent_class)->finalize (object);
}

static void
gst_stt_rescore_class_init (GstSttRescoreClass *klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);
  GstElementClass *ec = GST_ELEMENT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  oc->set_property = gst_stt_rescore_set_property;
  oc->get_property = gst_stt_rescore_get_property;
  oc->finalize = gst_stt_rescore_finalize;

  g_object_class_install_property (oc, PROP_MODEL, g_param_spec_string ("model", "Model",
          "Rescore model: id (looked up in the model path) or folder of a model of kind "
          "\"rescore\" (default: the en-US rescore model, the base model's full LM)",
          STT_DEFAULT_RESCORE_MODEL_ID, rw | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (oc, PROP_LM_WEIGHT, g_param_spec_double ("lm-weight",
          "LM weight", "Weight of the rescoring LM's natural-log probabilities against the "
          "acoustic scores; 0 = the rescore model's value", 0.0, 100.0, 0.0,
          rw | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (oc, PROP_WIP, g_param_spec_double ("word-insertion-penalty",
          "Word insertion penalty", "Natural-log score added per word when rescoring "
          "(negative = fewer words); the rescore model's value until set", -100.0, 100.0, 0.0,
          rw | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (oc, PROP_INTERPOLATION_WEIGHT,
      g_param_spec_double ("interpolation-weight", "Interpolation weight",
          "Weight of the rescore model's own (domain) LM in the linear mixture with the base "
          "model's LM, 0..1; -1 = the rescore model's value (ignored when the model has only "
          "one of the two LMs)", -1.0, 1.0, -1.0, rw | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (oc, PROP_NBEST, g_param_spec_uint ("nbest", "N-best",
          "Hypotheses per rescored final result (distinct word sequences); 0 = as many as "
          "the incoming result has", 0, 100, 0, rw | GST_PARAM_MUTABLE_PLAYING));

  gst_element_class_set_static_metadata (ec, "Speech-to-text lattice rescorer", "Filter/Text",
      "Rescores the word lattice of each final result with another language model",
      "gst-stt developers");

  GST_BASE_TRANSFORM_CLASS (klass)->start = GST_DEBUG_FUNCPTR (gst_stt_rescore_start);
  GST_BASE_TRANSFORM_CLASS (klass)->stop = GST_DEBUG_FUNCPTR (gst_stt_rescore_stop);
  GST_STT_RESULT_FILTER_CLASS (klass)->transform_result =
      GST_DEBUG_FUNCPTR (gst_stt_rescore_transform_result);
  GST_DEBUG_CATEGORY_INIT (stt_rescore_debug, "sttrescore", 0, "gst-stt lattice rescorer");
}

static void
gst_stt_rescore_init (GstSttRescore *self)
{
  self->model_id = g_strdup (STT_DEFAULT_RESCORE_MODEL_ID);
  self->interpolation_weight = -1.0;
}
