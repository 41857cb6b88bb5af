/* gst-stt — sttprofanity: the example post-processor; fills MaskedITN from a word list.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Copy this folder to start your own post-processor: the whole element is the
 * transform_result function plus its properties; GstSttResultFilter does the rest.
 */
/**
 * SECTION:element-sttprofanity
 * @title: sttprofanity
 *
 * Fills the MaskedITN text of every hypothesis from its ITN text (or its Lexical text when no
 * ITN element ran before), masking the words of a list the way the Speech SDK's profanity
 * option does: `masked` replaces each letter with `*`, `removed` drops the word, `raw` copies
 * the text unchanged. Words match whole and case-insensitively.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 ... ! sttdecoder ! sttprofanity words="darn,heck" ! sttsink format=json
 * ]|
 */
#include "config.h"
#include "gststtprofanity.h"

#include <string.h>

GST_DEBUG_CATEGORY_STATIC (stt_profanity_debug);
#define GST_CAT_DEFAULT stt_profanity_debug

enum {
  PROP_0,
  PROP_WORDS,
  PROP_LOCATION,
  PROP_MODE,
};

#define DEFAULT_MODE GST_STT_PROFANITY_MASKED

struct _GstSttProfanity {
  GstSttResultFilter parent;

  /* properties, under the object lock */
  char *words;                  /* comma-separated */
  char *location;               /* file, one word per line */
  GstSttProfanityMode mode;

  /* the word set, rebuilt at start; lower-case keys */
  GHashTable *list;
};

G_DEFINE_TYPE (GstSttProfanity, gst_stt_profanity, GST_TYPE_STT_RESULT_FILTER);
GST_ELEMENT_REGISTER_DEFINE (sttprofanity, "sttprofanity", GST_RANK_NONE,
    GST_TYPE_STT_PROFANITY);

#define GST_TYPE_STT_PROFANITY_MODE (gst_stt_profanity_mode_get_type ())
static GType
gst_stt_profanity_mode_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_STT_PROFANITY_MASKED, "Replace each letter of a listed word with *", "masked"},
    {GST_STT_PROFANITY_REMOVED, "Drop listed words", "removed"},
    {GST_STT_PROFANITY_RAW, "Copy the text unchanged", "raw"},
    {0, NULL, NULL},
  };
  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstSttProfanityMode", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

static void
add_words (GHashTable *list, char **words)
{
  for (char **w = words; *w; w++) {
    char *word = g_utf8_strdown (g_strstrip (*w), -1);
    if (*word && word[0] != '#')
      g_hash_table_add (list, word);
    else
      g_free (word);
  }
}

/* Build the word set from both properties; FALSE (and an error) when the file cannot be read. */
static gboolean
load_list (GstSttProfanity *self, GError **error)
{
  GST_OBJECT_LOCK (self);
  char *words = g_strdup (self->words);
  char *location = g_strdup (self->location);
  GST_OBJECT_UNLOCK (self);

  GHashTable *list = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean ok = TRUE;
  if (words) {
    char **v = g_strsplit (words, ",", -1);
    add_words (list, v);
    g_strfreev (v);
  }
  if (location) {
    char *contents;
    ok = g_file_get_contents (location, &contents, NULL, error);
    if (ok) {
      char **v = g_strsplit (contents, "\n", -1);
      add_words (list, v);
      g_strfreev (v);
      g_free (contents);
    }
  }
  g_free (words);
  g_free (location);
  g_clear_pointer (&self->list, g_hash_table_unref);
  self->list = list;
  return ok;
}

static char *
mask_text (GHashTable *list, GstSttProfanityMode mode, const char *text)
{
  char **tokens = g_strsplit (text, " ", -1);
  GString *out = g_string_new (NULL);
  for (char **t = tokens; *t; t++) {
    if (!**t)
      continue;
    char *key = g_utf8_strdown (*t, -1);
    gboolean listed = mode != GST_STT_PROFANITY_RAW && g_hash_table_contains (list, key);
    g_free (key);
    if (listed && mode == GST_STT_PROFANITY_REMOVED)
      continue;
    if (out->len)
      g_string_append_c (out, ' ');
    if (listed) {
      for (glong i = 0; i < g_utf8_strlen (*t, -1); i++)
        g_string_append_c (out, '*');
    } else {
      g_string_append (out, *t);
    }
  }
  g_strfreev (tokens);
  return g_string_free (out, FALSE);
}

static gboolean
gst_stt_profanity_transform_result (GstSttResultFilter *filter, SttResult *result,
    GError **error)
{
  GstSttProfanity *self = GST_STT_PROFANITY (filter);
  GST_OBJECT_LOCK (self);
  GstSttProfanityMode mode = self->mode;
  GST_OBJECT_UNLOCK (self);

  for (guint i = 0; i < stt_result_get_n_hypotheses (result); i++) {
    SttHypothesis *hyp = stt_result_get_hypothesis (result, i);
    const char *src = stt_hypothesis_get_text (hyp, STT_TEXT_ITN);
    if (!*src)
      src = stt_hypothesis_get_text (hyp, STT_TEXT_LEXICAL);
    char *masked = mask_text (self->list, mode, src);
    stt_hypothesis_set_text (hyp, STT_TEXT_MASKED_ITN, masked);
    g_free (masked);
  }
  return TRUE;
}

static gboolean
gst_stt_profanity_start (GstBaseTransform *trans)
{
  GstSttProfanity *self = GST_STT_PROFANITY (trans);
  GError *err = NULL;
  if (!load_list (self, &err)) {
    /* A masker that silently stops masking would leak the words it exists to hide. */
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ, ("Could not read the word list: %s",
            err->message), ("set location to a readable file with one word per line"));
    g_error_free (err);
    return FALSE;
  }
  return TRUE;
}

static void
gst_stt_profanity_set_property (GObject *object, guint prop_id, const GValue *value,
    GParamSpec *pspec)
{
  GstSttProfanity *self = GST_STT_PROFANITY (object);
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_WORDS:
      g_free (self->words);
      self->words = g_value_dup_string (value);
      break;
    case PROP_LOCATION:
      g_free (self->location);
      self->location = g_value_dup_string (value);
      break;
    case PROP_MODE:
      self->mode = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_profanity_get_property (GObject *object, guint prop_id, GValue *value,
    GParamSpec *pspec)
{
  GstSttProfanity *self = GST_STT_PROFANITY (object);
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_WORDS:
      g_value_set_string (value, self->words);
      break;
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_profanity_finalize (GObject *object)
{
  GstSttProfanity *self = GST_STT_PROFANITY (object);
  g_free (self->words);
  g_free (self->location);
  g_clear_pointer (&self->list, g_hash_table_unref);
  G_OBJECT_CLASS (gst_stt_profanity_parent_class)->finalize (object);
}

static void
gst_stt_profanity_class_init (GstSttProfanityClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_stt_profanity_set_property;
  gobject_class->get_property = gst_stt_profanity_get_property;
  gobject_class->finalize = gst_stt_profanity_finalize;

  g_object_class_install_property (gobject_class, PROP_WORDS,
      g_param_spec_string ("words", "Words",
          "Comma-separated words to mask (case-insensitive), added to those of location",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_LOCATION,
      g_param_spec_string ("location", "Location",
          "File with one word to mask per line ('#' starts a comment line)",
          NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MODE,
      g_param_spec_enum ("mode", "Mode",
          "What to do with a listed word: masked, removed or raw (as the Speech SDK's "
          "profanity option)", GST_TYPE_STT_PROFANITY_MODE, DEFAULT_MODE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  gst_element_class_set_static_metadata (element_class, "Speech-to-text profanity masker",
      "Filter/Text", "Fills MaskedITN by masking the words of a list (example post-processor)",
      "gst-stt developers");

  GST_BASE_TRANSFORM_CLASS (klass)->start = GST_DEBUG_FUNCPTR (gst_stt_profanity_start);
  GST_STT_RESULT_FILTER_CLASS (klass)->transform_result =
      GST_DEBUG_FUNCPTR (gst_stt_profanity_transform_result);

  gst_type_mark_as_plugin_api (GST_TYPE_STT_PROFANITY_MODE, 0);
  GST_DEBUG_CATEGORY_INIT (stt_profanity_debug, "sttprofanity", 0, "gst-stt profanity masker");
}

static void
gst_stt_profanity_init (GstSttProfanity *self)
{
  self->mode = DEFAULT_MODE;
}
