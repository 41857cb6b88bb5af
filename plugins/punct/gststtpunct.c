/* gst-stt — sttpunct: punctuation and capitalization of recognition results.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-sttpunct
 * @title: sttpunct
 *
 * Writes the Display text of every hypothesis of a final result: its words punctuated
 * (comma, period, question mark) and capitalized (sentence starts, proper nouns, "I",
 * acronyms) by a punct model (docs/models.md). The words come from the ITN text when an ITN
 * element ran first (ITN is non-empty), else from the hypothesis' words, else from its
 * Lexical text. The silence between words (from the word times) adds to the evidence for a
 * mark when the words are the hypothesis' own (or the ITN text has as many tokens as there
 * are words, so they line up one to one).
 *
 * When ITN ran first, the ITN text is also replaced by its capitalized form (the same words
 * and case as Display, without the marks), so ITN and Display agree.
 *
 * Partial results get only the cheap part: Display is the words in their usual case with a
 * capital first letter, without marks (the marks of a phrase still being spoken would change
 * from one partial to the next).
 *
 * When the model cannot be loaded (missing, not a punct model, corrupt) the element posts one
 * warning naming the model and the problem, and passes results through unchanged.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 ... ! sttdecoder ! sttpunct ! sttsink format=text
 * ]|
 */
#include "config.h"
#include "gststtpunct.h"

#include <stt/punct.h>

GST_DEBUG_CATEGORY_STATIC (stt_punct_debug);
#define GST_CAT_DEFAULT stt_punct_debug

enum {
  PROP_0,
  PROP_MODEL,
  PROP_USE_PAUSES,
};

#define DEFAULT_MODEL STT_PUNCT_DEFAULT_MODEL_ID
#define DEFAULT_USE_PAUSES TRUE

struct _GstSttPunct {
  GstSttResultFilter parent;

  /* properties, under the object lock */
  char *model;
  gboolean use_pauses;

  /* loaded at start; NULL when the model could not be loaded (results pass through) */
  SttPunct *punct;
};

G_DEFINE_TYPE (GstSttPunct, gst_stt_punct, GST_TYPE_STT_RESULT_FILTER);
GST_ELEMENT_REGISTER_DEFINE (sttpunct, "sttpunct", GST_RANK_NONE, GST_TYPE_STT_PUNCT);

/* The words to punctuate of one hypothesis, lower case, and the pause after each (ms, or -1). */
typedef struct {
  GPtrArray *words;             /* char*, owned */
  gint *pause_ms;               /* NULL when unknown */
  gboolean from_itn;
} Words;

static void
words_clear (Words *w)
{
  g_ptr_array_unref (w->words);
  g_free (w->pause_ms);
}

static void
add_tokens (GPtrArray *words, const char *text)
{
  char *lower = g_utf8_strdown (text, -1);
  char **tokens = g_strsplit_set (lower, " \t\r\n", -1);
  for (char **t = tokens; *t; t++)
    if (**t)
      g_ptr_array_add (words, g_strdup (*t));
  g_strfreev (tokens);
  g_free (lower);
}

static void
collect_words (SttHypothesis *hyp, gboolean use_pauses, Words *out)
{
  const char *itn = stt_hypothesis_get_text (hyp, STT_TEXT_ITN);
  guint n_words = stt_hypothesis_get_n_words (hyp);
  out->words = g_ptr_array_new_with_free_func (g_free);
  out->pause_ms = NULL;
  out->from_itn = *itn != '\0';
  if (out->from_itn)
    add_tokens (out->words, itn);
  else if (n_words > 0)
    for (guint i = 0; i < n_words; i++)
      add_tokens (out->words, stt_hypothesis_get_word (hyp, i)->word);
  else
    add_tokens (out->words, stt_hypothesis_get_text (hyp, STT_TEXT_LEXICAL));

  if (!use_pauses || n_words < 2 || out->words->len != n_words)
    return;
  out->pause_ms = g_new (gint, n_words);
  for (guint i = 0; i < n_words; i++) {
    const SttWord *w = stt_hypothesis_get_word (hyp, i);
    if (i + 1 == n_words) {
      out->pause_ms[i] = -1;
      continue;
    }
    gint64 gap = stt_hypothesis_get_word (hyp, i + 1)->offset - (w->offset + w->duration);
    out->pause_ms[i] = (gint) CLAMP (gap / (STT_TICKS_PER_SECOND / 1000), -1, G_MAXINT);
  }
}

static void
punctuate_hypothesis (SttPunct *punct, SttHypothesis *hyp, gboolean final, gboolean use_pauses)
{
  Words w;
  collect_words (hyp, use_pauses, &w);
  guint n = w.words->len;
  if (n == 0) {
    words_clear (&w);
    return;
  }
  const char *const *words = (const char *const *) w.words->pdata;
  SttPunctLabel *labels = NULL;
  if (final) {
    labels = g_new (SttPunctLabel, n);
    stt_punct_predict (punct, words, n, w.pause_ms, STT_PUNCT_FLAG_END_SENTENCE, labels);
  }
  char *display = stt_punct_format (punct, words, n, labels, TRUE);
  stt_hypothesis_set_text (hyp, STT_TEXT_DISPLAY, display);
  if (final && w.from_itn) {
    char *itn = stt_punct_format (punct, words, n, labels, FALSE);
    stt_hypothesis_set_text (hyp, STT_TEXT_ITN, itn);
    g_free (itn);
  }
  g_free (display);
  g_free (labels);
  words_clear (&w);
}

static gboolean
gst_stt_punct_transform_result (GstSttResultFilter *filter, SttResult *result, GError **error)
{
  GstSttPunct *self = GST_STT_PUNCT (filter);
  GST_OBJECT_LOCK (self);
  gboolean use_pauses = self->use_pauses;
  SttPunct *punct = self->punct ? stt_punct_ref (self->punct) : NULL;
  GST_OBJECT_UNLOCK (self);
  if (!punct)
    return TRUE;                /* the load failure was reported once at start */
  gboolean final = result->kind == STT_RESULT_FINAL;
  for (guint i = 0; i < stt_result_get_n_hypotheses (result); i++)
    punctuate_hypothesis (punct, stt_result_get_hypothesis (result, i), final, use_pauses);
  stt_punct_unref (punct);
  return TRUE;
}

static SttPunct *
load_model (const char *id_or_dir, GError **error)
{
  SttModel *model = stt_model_cache_lookup (id_or_dir, error);
  if (!model)
    return NULL;
  SttPunct *punct = stt_punct_new_from_model (model, error);
  stt_model_unref (model);
  return punct;
}

static gboolean
gst_stt_punct_start (GstBaseTransform *trans)
{
  GstSttPunct *self = GST_STT_PUNCT (trans);
  GST_OBJECT_LOCK (self);
  char *model = g_strdup (self->model);
  GST_OBJECT_UNLOCK (self);
  GError *err = NULL;
  SttPunct *punct = load_model (model, &err);
  if (!punct) {
    /* Punctuation is cosmetic: the words must still reach the user. */
    GST_ELEMENT_WARNING (self, RESOURCE, OPEN_READ, ("Could not load punct model %s: %s",
            model, err->message), ("results pass through without punctuation; set model to "
            "a punct model id or folder (stt-punct train builds one)"));
    g_error_free (err);
  }
  GST_OBJECT_LOCK (self);
  g_clear_pointer (&self->punct, stt_punct_unref);
  self->punct = punct;
  GST_OBJECT_UNLOCK (self);
  g_free (model);
  return TRUE;
}

static gboolean
gst_stt_punct_stop (GstBaseTransform *trans)
{
  GstSttPunct *self = GST_STT_PUNCT (trans);
  GST_OBJECT_LOCK (self);
  g_clear_pointer (&self->punct, stt_punct_unref);
  GST_OBJECT_UNLOCK (self);
  return GST_BASE_TRANSFORM_CLASS (gst_stt_punct_parent_class)->stop (trans);
}

static void
gst_stt_punct_set_property (GObject *object, guint prop_id, const GValue *value,
    GParamSpec *pspec)
{
  GstSttPunct *self = GST_STT_PUNCT (object);
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODEL:
      g_free (self->model);
      self->model = g_value_dup_string (value);
      if (!self->model)
        self->model = g_strdup (DEFAULT_MODEL);
      break;
    case PROP_USE_PAUSES:
      self->use_pauses = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_punct_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstSttPunct *self = GST_STT_PUNCT (object);
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_USE_PAUSES:
      g_value_set_boolean (value, self->use_pauses);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_punct_finalize (GObject *object)
{
  GstSttPunct *self = GST_STT_PUNCT (object);
  g_free (self->model);
  g_clear_pointer (&self->punct, stt_punct_unref);
  G_OBJECT_CLASS (gst_stt_punct_parent_class)->finalize (object);
}

static void
gst_stt_punct_class_init (GstSttPunctClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_stt_punct_set_property;
  gobject_class->get_property = gst_stt_punct_get_property;
  gobject_class->finalize = gst_stt_punct_finalize;

  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "Punct model: an id looked up in the model path, or a model folder (default: the "
          "en-US model " DEFAULT_MODEL ")", DEFAULT_MODEL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_USE_PAUSES,
      g_param_spec_boolean ("use-pauses", "Use pauses",
          "Let the silence between words (from the word times; from 250 ms on) add to the "
          "evidence for a comma or a sentence end", DEFAULT_USE_PAUSES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  gst_element_class_set_static_metadata (element_class,
      "Speech-to-text punctuation and capitalization", "Filter/Text",
      "Writes the Display text: the words punctuated and capitalized by a punct model",
      "gst-stt developers");

  GST_BASE_TRANSFORM_CLASS (klass)->start = GST_DEBUG_FUNCPTR (gst_stt_punct_start);
  GST_BASE_TRANSFORM_CLASS (klass)->stop = GST_DEBUG_FUNCPTR (gst_stt_punct_stop);
  GST_STT_RESULT_FILTER_CLASS (klass)->transform_result =
      GST_DEBUG_FUNCPTR (gst_stt_punct_transform_result);

  GST_DEBUG_CATEGORY_INIT (stt_punct_debug, "sttpunct", 0, "gst-stt punctuation");
}

static void
gst_stt_punct_init (GstSttPunct *self)
{
  self->model = g_strdup (DEFAULT_MODEL);
  self->use_pauses = DEFAULT_USE_PAUSES;
}
