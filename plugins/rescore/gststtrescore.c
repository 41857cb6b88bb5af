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
 * over the rescored lattice. A result without a lattice whose hypotheses carry their
 * AcousticScore (sttdecoder lattice=false) has its N-best list re-ranked instead, with
 * confidences = posteriors over that list. Left unchanged: partial results, results the
 * first pass is confident of (keep-confidence) or whose words fit the audio well
 * (keep-acoustic-score, lattice only), results without lattice or scores, lattices without a
 * complete path. When the
 * model or its LM cannot be used, the element posts a warning once and passes every result
 * through unchanged.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 ... ! sttdecoder ! sttrescore model=<rescore model id> ! sttsink
 * ]|
 */
#include "config.h"
#include "gststtrescore.h"
#include "rescore.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (stt_rescore_debug);
#define GST_CAT_DEFAULT stt_rescore_debug

enum {
  PROP_0,
  PROP_MODEL,
  PROP_LM_WEIGHT,
  PROP_WIP,
  PROP_INTERPOLATION_WEIGHT,
  PROP_NBEST,
  PROP_KEEP_CONFIDENCE,
  PROP_KEEP_ACOUSTIC_SCORE,
};

#define TICKS_PER_SECOND 10000000

struct _GstSttRescore {
  GstSttResultFilter parent;

  /* properties, under the object lock; negative / unset = the model's value */
  char *model_id;
  double lm_weight, wip, interpolation_weight, keep_confidence, keep_acoustic;
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
  JsonObject *extra = stt_hypothesis_get_extra (h);
  json_object_set_double_member (extra, STT_RESCORE_ACOUSTIC_MEMBER, path->acoustic_score);
  json_object_set_double_member (extra, STT_RESCORE_LM_MEMBER, path->lm_score);
}

typedef struct {
  RescoreParams p;
  guint nbest;
  double keep_confidence, keep_acoustic;
} Settings;

/* The settings: properties where set, else the model's. */
static Settings
get_settings (GstSttRescore *self)
{
  const RescoreLm *lm = self->lm;
  Settings s = { { lm->lm_weight, lm->wip, lm->lambda }, 0, lm->keep_confidence,
    lm->keep_acoustic };
  GST_OBJECT_LOCK (self);
  if (self->lm_weight > 0)
    s.p.lm_weight = self->lm_weight;
  if (self->wip_set)
    s.p.wip = self->wip;
  if (self->interpolation_weight >= 0)
    s.p.lambda = self->interpolation_weight;
  if (self->keep_confidence >= 0)
    s.keep_confidence = self->keep_confidence;
  if (self->keep_acoustic <= 0)
    s.keep_acoustic = self->keep_acoustic;
  s.nbest = self->nbest;
  GST_OBJECT_UNLOCK (self);
  return s;
}

static void
set_span (SttResult *r)
{
  SttHypothesis *best = stt_result_get_best (r);
  guint n = stt_hypothesis_get_n_words (best);
  if (n == 0)
    return;
  const SttWord *first = stt_hypothesis_get_word (best, 0);
  const SttWord *last = stt_hypothesis_get_word (best, n - 1);
  r->offset = first->offset;
  r->duration = last->offset + last->duration - first->offset;
}

/* Whether the words of @h fit the audio well: their acoustic score per frame in the lattice
 * is at least @keep (sttdecoder's word times are exact lattice frames). */
static gboolean
fits_well (GstSttRescore *self, const RescoreLattice *l, const SttHypothesis *h, double keep)
{
  guint n = stt_hypothesis_get_n_words (h);
  if (keep >= 0 || n == 0)
    return FALSE;
  RescoreSpan *spans = g_new (RescoreSpan, n);
  gint64 rate = rescore_lattice_get_frame_rate (l), first = rescore_lattice_get_first_frame (l);
  for (guint i = 0; i < n; i++) {
    const SttWord *w = stt_hypothesis_get_word (h, i);
    spans[i].word = w->word;
    spans[i].start = w->offset * rate / TICKS_PER_SECOND - first;
    spans[i].end = (w->offset + w->duration) * rate / TICKS_PER_SECOND - first - 1;
  }
  double fit = 0;
  gboolean found = rescore_lattice_acoustic_per_frame (l, spans, n, &fit);
  g_free (spans);
  GST_LOG_OBJECT (self, "acoustic score %g per frame (found: %d)", fit, found);
  if (found && fit >= keep)
    GST_DEBUG_OBJECT (self, "acoustic score %g >= keep-acoustic-score %g per frame, result "
        "kept", fit, keep);
  return found && fit >= keep;
}

/* Lattice rescoring: the N-best list is replaced by the rescored one. */
static gboolean
rescore_lattice (GstSttRescore *self, SttResult *result, GBytes *bytes, const Settings *s,
    GError **error)
{
  guint nbest = s->nbest ? s->nbest : MAX (stt_result_get_n_hypotheses (result), 1);
  RescoreLattice *l = rescore_lattice_parse (bytes, error);
  if (!l)
    return FALSE;
  if (fits_well (self, l, stt_result_get_best (result), s->keep_acoustic)) {
    rescore_lattice_free (l);
    return TRUE;
  }
  GPtrArray *paths = rescore_lattice_nbest (l, self->lm, &s->p, nbest);
  if (paths->len > 0 && ((RescorePath *) g_ptr_array_index (paths, 0))->words->len > 0) {
    while (stt_result_get_n_hypotheses (result) > 0)
      stt_result_remove_hypothesis (result, 0);
    for (guint i = 0; i < paths->len; i++)
      add_path (result, l, g_ptr_array_index (paths, i));
    set_span (result);
    GST_DEBUG_OBJECT (self, "rescored: \"%s\"", stt_result_get_display_text (result));
  }
  g_ptr_array_unref (paths);
  rescore_lattice_free (l);
  return TRUE;
}

/* A number member of a hypothesis, or FALSE. */
static gboolean
get_score (SttHypothesis *h, const char *member, double *out)
{
  JsonNode *n = json_object_get_member (stt_hypothesis_get_extra (h), member);
  if (!n || !JSON_NODE_HOLDS_VALUE (n) || (json_node_get_value_type (n) != G_TYPE_DOUBLE &&
          json_node_get_value_type (n) != G_TYPE_INT64))
    return FALSE;
  *out = json_node_get_double (n);
  return isfinite (*out);
}

typedef struct {
  SttHypothesis *h;
  guint index;                  /* in the incoming list: ties keep its order */
  double score, lm, post;
} Ranked;

static int
ranked_cmp (const void *a, const void *b)
{
  const Ranked *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Copy of @src appended to @r: texts, extra members, words with posteriors over @rk. */
static void
add_ranked (SttResult *r, const Ranked *src, const Ranked *rk, guint n)
{
  SttHypothesis *h = stt_result_add_hypothesis (r);
  for (guint f = 0; f < STT_N_TEXTS; f++)
    stt_hypothesis_set_text (h, f, stt_hypothesis_get_text (src->h, f));
  JsonObject *from = stt_hypothesis_get_extra (src->h), *to = stt_hypothesis_get_extra (h);
  JsonObjectIter it;
  const char *name;
  JsonNode *value;
  json_object_iter_init (&it, from);
  while (json_object_iter_next (&it, &name, &value))
    json_object_set_member (to, name, json_node_copy (value));
  json_object_set_double_member (to, STT_RESCORE_LM_MEMBER, src->lm);
  guint nw = stt_hypothesis_get_n_words (src->h);
  double sum = 0;
  for (guint i = 0; i < nw; i++) {
    const SttWord *w = stt_hypothesis_get_word (src->h, i);
    gint64 mid = w->offset + w->duration / 2;
    double conf = 0;
    for (guint j = 0; j < n; j++) {
      for (guint k = 0; k < stt_hypothesis_get_n_words (rk[j].h); k++) {
        const SttWord *v = stt_hypothesis_get_word (rk[j].h, k);
        if (v->offset <= mid && mid < v->offset + MAX (v->duration, 1) &&
            strcmp (v->word, w->word) == 0) {
          conf += rk[j].post;
          break;
        }
      }
    }
    conf = MIN (conf, 1.0);
    stt_hypothesis_add_word (h, w->word, w->offset, w->duration, conf);
    sum += conf;
  }
  stt_hypothesis_set_confidence (h, nw ? sum / nw : src->post);
}

/* N-best re-ranking (no lattice): score = AcousticScore + lm-weight · ln P + wip · words. */
static gboolean
rescore_nbest (GstSttRescore *self, SttResult *result, const Settings *s)
{
  guint n = stt_result_get_n_hypotheses (result);
  Ranked *rk = g_new0 (Ranked, MAX (n, 1));
  for (guint i = 0; i < n; i++) {
    SttHypothesis *h = stt_result_get_hypothesis (result, i);
    double ac;
    if (!get_score (h, STT_RESCORE_ACOUSTIC_MEMBER, &ac)) {
      GST_DEBUG_OBJECT (self, "hypothesis %u has no %s, result passed through", i,
          STT_RESCORE_ACOUSTIC_MEMBER);
      g_free (rk);
      return TRUE;
    }
    char **words = g_strsplit_set (stt_hypothesis_get_text (h, STT_TEXT_LEXICAL), " ", -1);
    guint nw = 0;
    for (guint k = 0; words[k]; k++) {
      if (*words[k])
        words[nw++] = words[k];
      else
        g_free (words[k]);
    }
    words[nw] = NULL;
    rk[i].h = h;
    rk[i].index = i;
    rk[i].lm = rescore_lm_sentence (self->lm, &s->p, (const char *const *) words, nw);
    rk[i].score = ac + s->p.lm_weight * rk[i].lm + s->p.wip * nw;
    g_strfreev (words);
  }
  qsort (rk, n, sizeof (Ranked), ranked_cmp);
  double total = -INFINITY;
  for (guint i = 0; i < n; i++) {
    double x = rk[i].score / s->p.lm_weight;
    total = MAX (total, x) + log1p (exp (-fabs (total - x)));
  }
  for (guint i = 0; i < n; i++)
    rk[i].post = exp (rk[i].score / s->p.lm_weight - total);
  /* The new list is appended after the incoming one (whose hypotheses @rk points to: each is
   * its own allocation, kept until removed), which is then removed. */
  guint keep = s->nbest ? MIN (s->nbest, n) : n;
  for (guint i = 0; i < keep; i++)
    add_ranked (result, &rk[i], rk, n);
  g_free (rk);
  for (guint i = 0; i < n; i++)
    stt_result_remove_hypothesis (result, 0);
  set_span (result);
  GST_DEBUG_OBJECT (self, "re-ranked: \"%s\"", stt_result_get_display_text (result));
  return TRUE;
}

static gboolean
gst_stt_rescore_transform_result (GstSttResultFilter *filter, SttResult *result,
    GError **error)
{
  GstSttRescore *self = GST_STT_RESCORE (filter);
  const char *format = NULL;
  GBytes *bytes = stt_result_get_lattice (result, &format);
  SttHypothesis *best = stt_result_get_best (result);
  /* NoMatch & co.: the first pass heard no words; a heavier LM must not invent some */
  if (result->kind != STT_RESULT_FINAL || result->status != STT_STATUS_SUCCESS || !self->lm ||
      !best)
    return TRUE;
  Settings s = get_settings (self);
  double conf = stt_hypothesis_get_confidence (best);
  if (conf >= 0 && conf >= s.keep_confidence) {
    GST_DEBUG_OBJECT (self, "confidence %g >= keep-confidence %g, result kept", conf,
        s.keep_confidence);
    return TRUE;
  }
  if (!bytes)
    return rescore_nbest (self, result, &s);
  if (g_strcmp0 (format, "stt-lattice-1") != 0) {
    GST_DEBUG_OBJECT (self, "lattice format \"%s\" unknown, result passed through", format);
    return TRUE;
  }
  return rescore_lattice (self, result, bytes, &s, error);
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
    case PROP_KEEP_CONFIDENCE:
      self->keep_confidence = g_value_get_double (value);
      break;
    case PROP_KEEP_ACOUSTIC_SCORE:
      self->keep_acoustic = g_value_get_double (value);
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
    case PROP_KEEP_CONFIDENCE:
      g_value_set_double (value, self->keep_confidence);
      break;
    case PROP_KEEP_ACOUSTIC_SCORE:
      g_value_set_double (value, self->keep_acoustic);
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
  g_object_class_install_property (oc, PROP_KEEP_CONFIDENCE,
      g_param_spec_double ("keep-confidence", "Keep confidence",
          "Final results whose incoming best hypothesis has at least this confidence (0..1) "
          "are left unchanged; above 1 = rescore every result; -1 = the rescore model's value",
          -1.0, 2.0, -1.0, rw | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (oc, PROP_KEEP_ACOUSTIC_SCORE,
      g_param_spec_double ("keep-acoustic-score", "Keep acoustic score",
          "Lattice rescoring: final results whose incoming best hypothesis's words score at "
          "least this acoustic log-likelihood per frame (natural log, relative to each "
          "frame's best senone, so <= 0) are also left unchanged; 0 = keep none this way; "
          "above 0 (default 1) = the rescore model's value", -100.0, 1.0, 1.0,
          rw | GST_PARAM_MUTABLE_PLAYING));

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
  self->keep_confidence = -1.0;
  self->keep_acoustic = 1.0;
}
