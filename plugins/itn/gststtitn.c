/* gst-stt — sttitn: fills ITN, MaskedITN and Display of every hypothesis from its words.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-sttitn
 * @title: sttitn
 *
 * Inverse text normalization with a weighted transducer model ("wfstitn", built from the
 * grammars in models/itn/): "twenty five dollars and ten cents" becomes "$25.10". For every
 * hypothesis it fills ITN from the spoken words (its Words, else its Lexical text), MaskedITN
 * from ITN with the words of a profanity list masked, removed or kept (Speech SDK semantics),
 * and Display: the masked ITN text, or, when a punctuator that ran before already wrote
 * Display, that Display with the converted spans put in (docs/itn.md says how). Hypotheses
 * with timed words also get a "DisplayWords" member: one entry per written token with its
 * Offset, Duration and the range of spoken words it came from.
 *
 * A model that cannot be loaded (missing, corrupt) is reported as a warning naming the file,
 * and results pass through unchanged.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 ... ! sttdecoder ! sttitn profanity=removed profanity-words="darn" ! sttsink
 * ]|
 */
#include "config.h"
#include "gststtitn.h"
#include "gststtitn-display.h"

#include <stt/itn.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (stt_itn_debug);
#define GST_CAT_DEFAULT stt_itn_debug

enum {
  PROP_0,
  PROP_MODEL,
  PROP_PROFANITY,
  PROP_PROFANITY_WORDS,
  PROP_PROFANITY_LOCATION,
};

#define DEFAULT_PROFANITY GST_STT_ITN_PROFANITY_MASKED

struct _GstSttItn {
  GstSttResultFilter parent;

  /* properties, under the object lock */
  char *model;
  GstSttItnProfanity profanity;
  char *profanity_words;
  char *profanity_location;

  /* streaming state, made in start() */
  SttItn *itn;
  SttItnRunner *runner;
  GError *load_error;           /* why there is no itn: every result passes through */
  GHashTable *listed;           /* case-folded profanity words */
};

G_DEFINE_TYPE (GstSttItn, gst_stt_itn, GST_TYPE_STT_RESULT_FILTER);
GST_ELEMENT_REGISTER_DEFINE (sttitn, "sttitn", GST_RANK_NONE, GST_TYPE_STT_ITN);

#define GST_TYPE_STT_ITN_PROFANITY (gst_stt_itn_profanity_get_type ())
static GType
gst_stt_itn_profanity_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_STT_ITN_PROFANITY_MASKED, "Replace each character of a listed word with *", "masked"},
    {GST_STT_ITN_PROFANITY_REMOVED, "Leave listed words out", "removed"},
    {GST_STT_ITN_PROFANITY_RAW, "Keep listed words", "raw"},
    {0, NULL, NULL},
  };
  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSttItnProfanity", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

/* ---- the profanity list ------------------------------------------------------------------ */

static void
list_add (GHashTable *set, const char *text, const char *separators)
{
  char **v = g_strsplit_set (text, separators, -1);
  for (char **w = v; *w; w++) {
    char *word = g_strstrip (*w);
    if (*word && *word != '#')
      g_hash_table_add (set, g_utf8_casefold (word, -1));
  }
  g_strfreev (v);
}

static GHashTable *
load_list (const char *words, const char *location, GError **error)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (words)
    list_add (set, words, ",");
  char *text = NULL;
  if (location && !g_file_get_contents (location, &text, NULL, error)) {
    g_hash_table_unref (set);
    return NULL;
  }
  if (text)
    list_add (set, text, "\n");
  g_free (text);
  return set;
}

/* The token as MaskedITN shows it (newly allocated), NULL when removed. */
static char *
mask_token (GHashTable *listed, GstSttItnProfanity mode, const char *text)
{
  if (mode == GST_STT_ITN_PROFANITY_RAW || g_hash_table_size (listed) == 0)
    return g_strdup (text);
  char *key = g_utf8_casefold (text, -1);
  gboolean hit = g_hash_table_contains (listed, key);
  g_free (key);
  if (!hit)
    return g_strdup (text);
  if (mode == GST_STT_ITN_PROFANITY_REMOVED)
    return NULL;
  GString *s = g_string_new (NULL);
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    g_string_append_c (s, '*');
  return g_string_free (s, FALSE);
}

/* ---- one hypothesis ---------------------------------------------------------------------- */

static void
add_display_words (SttHypothesis *hyp, const SttItnOutput *out, char **written)
{
  JsonArray *arr = json_array_new ();
  for (guint k = 0; k < stt_itn_output_get_n_tokens (out); k++) {
    const SttItnToken *t = stt_itn_output_get_token (out, k);
    if (!written[k] || t->n_words == 0)
      continue;
    const SttWord *a = stt_hypothesis_get_word (hyp, t->first_word);
    const SttWord *b = stt_hypothesis_get_word (hyp, t->first_word + t->n_words - 1);
    JsonObject *o = json_object_new ();
    json_object_set_string_member (o, "DisplayText", written[k]);
    json_object_set_int_member (o, "Offset", a->offset);
    json_object_set_int_member (o, "Duration", b->offset + b->duration - a->offset);
    json_object_set_int_member (o, "FirstWord", t->first_word);
    json_object_set_int_member (o, "WordCount", t->n_words);
    json_object_set_string_member (o, "Class", t->klass);
    json_array_add_object_element (arr, o);
  }
  json_object_set_array_member (stt_hypothesis_get_extra (hyp), "DisplayWords", arr);
}

static char *
join (char **parts, guint n)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < n; i++) {
    if (!parts[i])
      continue;
    if (s->len)
      g_string_append_c (s, ' ');
    g_string_append (s, parts[i]);
  }
  return g_string_free (s, FALSE);
}

static void
normalize_hypothesis (GstSttItn *self, SttHypothesis *hyp, GstSttItnProfanity mode)
{
  guint n_words = stt_hypothesis_get_n_words (hyp);
  char **spoken;
  if (n_words > 0) {
    spoken = g_new0 (char *, n_words + 1);
    for (guint i = 0; i < n_words; i++)
      spoken[i] = g_strdup (stt_hypothesis_get_word (hyp, i)->word);
  } else {
    char **v = g_strsplit_set (stt_hypothesis_get_text (hyp, STT_TEXT_LEXICAL), " \t\n", -1);
    spoken = g_new0 (char *, g_strv_length (v) + 1);
    guint n = 0;
    for (char **p = v; *p; p++)
      if (**p)
        spoken[n++] = g_strdup (*p);
    g_strfreev (v);
  }
  guint n = g_strv_length (spoken);
  SttItnOutput *out = stt_itn_runner_apply (self->runner, (const char *const *) spoken, n);
  guint n_tok = stt_itn_output_get_n_tokens (out);
  char **written = g_new0 (char *, n_tok + 1);
  for (guint k = 0; k < n_tok; k++)
    written[k] = mask_token (self->listed, mode, stt_itn_output_get_token (out, k)->text);

  stt_hypothesis_set_text (hyp, STT_TEXT_ITN, stt_itn_output_get_text (out));
  char *masked = join (written, n_tok);
  stt_hypothesis_set_text (hyp, STT_TEXT_MASKED_ITN, masked);
  const char *display = stt_hypothesis_get_text (hyp, STT_TEXT_DISPLAY);
  if (*display) {
    char *merged = gst_stt_itn_merge_display (display, (const char *const *) spoken, n, out,
        (const char *const *) written);
    if (merged)
      stt_hypothesis_set_text (hyp, STT_TEXT_DISPLAY, merged);
    else
      GST_DEBUG_OBJECT (self, "Display \"%s\" does not line up with the words; kept", display);
    g_free (merged);
  } else {
    stt_hypothesis_set_text (hyp, STT_TEXT_DISPLAY, masked);
  }
  if (n_words > 0)
    add_display_words (hyp, out, written);
  g_free (masked);
  for (guint k = 0; k < n_tok; k++)
    g_free (written[k]);
  g_free (written);
  stt_itn_output_free (out);
  g_strfreev (spoken);
}

static gboolean
gst_stt_itn_transform_result (GstSttResultFilter *filter, SttResult *result, GError **error)
{
  GstSttItn *self = GST_STT_ITN (filter);
  if (!self->itn) {
    if (self->load_error)
      g_propagate_error (error, g_error_copy (self->load_error));
    else
      g_set_error (error, STT_ITN_ERROR, STT_ITN_ERROR_MODEL, "sttitn is not started");
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  GstSttItnProfanity mode = self->profanity;
  GST_OBJECT_UNLOCK (self);
  for (guint i = 0; i < stt_result_get_n_hypotheses (result); i++)
    normalize_hypothesis (self, stt_result_get_hypothesis (result, i), mode);
  return TRUE;
}

/* ---- state changes and properties -------------------------------------------------------- */

static gboolean
gst_stt_itn_start (GstBaseTransform *trans)
{
  GstSttItn *self = GST_STT_ITN (trans);
  GST_OBJECT_LOCK (self);
  char *model = g_strdup (self->model);
  char *words = g_strdup (self->profanity_words);
  char *location = g_strdup (self->profanity_location);
  GST_OBJECT_UNLOCK (self);

  GError *err = NULL;
  GHashTable *listed = load_list (words, location, &err);
  g_free (words);
  g_free (location);
  if (!listed) {
    /* a masker that silently stops masking would show the words it exists to hide */
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ, ("Could not read the profanity list: %s",
            err->message), ("set profanity-location to a readable file, one word per line"));
    g_error_free (err);
    g_free (model);
    return FALSE;
  }
  self->listed = listed;
  self->itn = stt_itn_open (model, &err);
  if (self->itn) {
    self->runner = stt_itn_runner_new (self->itn);
  } else {
    /* no ITN is not fatal: results pass through (the base class posts a warning each) */
    g_prefix_error (&err, "ITN model \"%s\": ", model);
    GST_ELEMENT_WARNING (self, RESOURCE, OPEN_READ, ("%s", err->message),
        ("results pass through without ITN; build the model (ninja) or set model= to an "
            "ITN model id, folder or .wfst file"));
    self->load_error = err;
  }
  g_free (model);
  return TRUE;
}

static gboolean
gst_stt_itn_stop (GstBaseTransform *trans)
{
  GstSttItn *self = GST_STT_ITN (trans);
  g_clear_pointer (&self->runner, stt_itn_runner_free);
  g_clear_pointer (&self->itn, stt_itn_unref);
  g_clear_error (&self->load_error);
  g_clear_pointer (&self->listed, g_hash_table_unref);
  return TRUE;
}

static void
gst_stt_itn_set_property (GObject *object, guint prop_id, const GValue *value,
    GParamSpec *pspec)
{
  GstSttItn *self = GST_STT_ITN (object);
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODEL:
      g_free (self->model);
      self->model = g_value_dup_string (value);
      if (!self->model)
        self->model = g_strdup (STT_ITN_DEFAULT_MODEL_ID);
      break;
    case PROP_PROFANITY:
      self->profanity = g_value_get_enum (value);
      break;
    case PROP_PROFANITY_WORDS:
      g_free (self->profanity_words);
      self->profanity_words = g_value_dup_string (value);
      break;
    case PROP_PROFANITY_LOCATION:
      g_free (self->profanity_location);
      self->profanity_location = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_itn_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstSttItn *self = GST_STT_ITN (object);
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_PROFANITY:
      g_value_set_enum (value, self->profanity);
      break;
    case PROP_PROFANITY_WORDS:
      g_value_set_string (value, self->profanity_words);
      break;
    case PROP_PROFANITY_LOCATION:
      g_value_set_string (value, self->profanity_location);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_itn_finalize (GObject *object)
{
  GstSttItn *self = GST_STT_ITN (object);
  gst_stt_itn_stop (GST_BASE_TRANSFORM (object));
  g_free (self->model);
  g_free (self->profanity_words);
  g_free (self->profanity_location);
  G_OBJECT_CLASS (gst_stt_itn_parent_class)->finalize (object);
}

static void
gst_stt_itn_class_init (GstSttItnClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_stt_itn_set_property;
  gobject_class->get_property = gst_stt_itn_get_property;
  gobject_class->finalize = gst_stt_itn_finalize;

  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "ITN model: a model id (looked up in the model path), a model folder, or a .wfst "
          "transducer file", STT_ITN_DEFAULT_MODEL_ID,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_PROFANITY,
      g_param_spec_enum ("profanity", "Profanity",
          "What MaskedITN and Display do with listed words: masked (each character becomes "
          "*), removed or raw, as the Speech SDK's profanity option",
          GST_TYPE_STT_ITN_PROFANITY, DEFAULT_PROFANITY,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_PROFANITY_WORDS,
      g_param_spec_string ("profanity-words", "Profanity words",
          "Comma-separated words to mask (case-insensitive), added to profanity-location's",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_PROFANITY_LOCATION,
      g_param_spec_string ("profanity-location", "Profanity word list",
          "File with one word to mask per line ('#' starts a comment line)",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));

  gst_element_class_set_static_metadata (element_class,
      "Speech-to-text inverse text normalization", "Filter/Text",
      "Writes spoken-form words in written form (numbers, money, dates, times, ...) with a "
      "weighted transducer; fills ITN, MaskedITN and Display", "gst-stt developers");

  GST_BASE_TRANSFORM_CLASS (klass)->start = GST_DEBUG_FUNCPTR (gst_stt_itn_start);
  GST_BASE_TRANSFORM_CLASS (klass)->stop = GST_DEBUG_FUNCPTR (gst_stt_itn_stop);
  GST_STT_RESULT_FILTER_CLASS (klass)->transform_result =
      GST_DEBUG_FUNCPTR (gst_stt_itn_transform_result);

  gst_type_mark_as_plugin_api (GST_TYPE_STT_ITN_PROFANITY, 0);
  GST_DEBUG_CATEGORY_INIT (stt_itn_debug, "sttitn", 0, "gst-stt inverse text normalization");
}

static void
gst_stt_itn_init (GstSttItn *self)
{
  self->model = g_strdup (STT_ITN_DEFAULT_MODEL_ID);
  self->profanity = DEFAULT_PROFANITY;
}
