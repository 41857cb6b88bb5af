/* gst-stt — builds the recognition pipeline text from a base model and its display models.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "sttpipeline.h"

#include <string.h>
#include <gst/gst.h>

G_DEFINE_QUARK (stt-pipeline-error-quark, stt_pipeline_error)

static const struct {
  const char *word, *kind, *element, *id_key;
} display_types[STT_DISPLAY_N] = {
  [STT_DISPLAY_RESCORE] = { "Rescore", "rescore", "sttrescore", "RescoreId" },
  [STT_DISPLAY_PUNCT] = { "Punct", "punct", "sttpunct", "PunctId" },
  [STT_DISPLAY_RESEGMENT] = { "Resegment", "resegment", "sttreseg", "ResegmentId" },
  [STT_DISPLAY_WFSTITN] = { "Wfstitn", "wfstitn", "sttitn", "WfstitnId" },
};

const char *
stt_display_type_word (SttDisplayType type)
{
  g_return_val_if_fail (type < STT_DISPLAY_N, NULL);
  return display_types[type].word;
}

const char *
stt_display_type_kind (SttDisplayType type)
{
  g_return_val_if_fail (type < STT_DISPLAY_N, NULL);
  return display_types[type].kind;
}

const char *
stt_display_type_element (SttDisplayType type)
{
  g_return_val_if_fail (type < STT_DISPLAY_N, NULL);
  return display_types[type].element;
}

const char *
stt_display_type_id_key (SttDisplayType type)
{
  g_return_val_if_fail (type < STT_DISPLAY_N, NULL);
  return display_types[type].id_key;
}

gboolean
stt_display_type_from_kind (const char *kind, SttDisplayType *type)
{
  for (int t = 0; t < STT_DISPLAY_N; t++) {
    if (kind && g_ascii_strcasecmp (kind, display_types[t].kind) == 0) {
      *type = t;
      return TRUE;
    }
  }
  return FALSE;
}

/* Whether element @factory_name takes a `model` property. The registry answers when
 * GStreamer is initialised and the element is installed; otherwise the project's convention
 * (docs/CONTRIBUTING.md: gst-stt elements that need a model take `model`) decides. */
static gboolean
element_takes_model (const char *factory_name)
{
  if (gst_is_initialized ()) {
    GstElementFactory *factory = gst_element_factory_find (factory_name);
    if (factory) {
      gboolean has = FALSE;
      GstPluginFeature *loaded = gst_plugin_feature_load (GST_PLUGIN_FEATURE (factory));
      if (loaded) {
        GType type = gst_element_factory_get_element_type (GST_ELEMENT_FACTORY (loaded));
        GObjectClass *klass = type ? g_type_class_ref (type) : NULL;
        has = klass && g_object_class_find_property (klass, "model") != NULL;
        if (klass)
          g_type_class_unref (klass);
        gst_object_unref (loaded);
      }
      gst_object_unref (factory);
      return has;
    }
  }
  return g_str_has_prefix (factory_name, "stt");
}

/* Append one element of the base fragment, adding model=<id> where it belongs. */
static void
append_base_element (GString *out, const char *segment, const char *model_id)
{
  g_autofree char *text = g_strstrip (g_strdup (segment));
  size_t name_len = strcspn (text, " \t");
  g_autofree char *name = g_strndup (text, name_len);

  if (out->len)
    g_string_append (out, " ! ");
  g_string_append (out, text);
  /* caps filters ("audio/x-raw,...") and elements already given a model stay as written */
  if (strchr (name, '/') || strchr (name, ',') || strstr (text, "model="))
    return;
  if (element_takes_model (name))
    g_string_append_printf (out, " model=%s", model_id);
}

static gboolean
check_display_model (SttModel *base, SttModel *model, SttDisplayType type, GError **error)
{
  const char *kind = stt_model_get_kind (model);
  if (g_strcmp0 (kind, display_types[type].kind) != 0) {
    g_set_error (error, STT_PIPELINE_ERROR, STT_PIPELINE_ERROR_MODEL,
        "model %s (%s) is a \"%s\" model, not a %s display model: give its id to the "
        "setting of its own kind", stt_model_get_id (model), stt_model_get_dir (model),
        kind ? kind : "(no kind)", display_types[type].word);
    return FALSE;
  }
  if (g_ascii_strcasecmp (stt_model_get_locale (model), stt_model_get_locale (base)) != 0) {
    g_set_error (error, STT_PIPELINE_ERROR, STT_PIPELINE_ERROR_MODEL,
        "%s display model %s is for locale %s but the base model %s is for %s: use a display "
        "model of the base model's locale", display_types[type].word,
        stt_model_get_id (model), stt_model_get_locale (model), stt_model_get_id (base),
        stt_model_get_locale (base));
    return FALSE;
  }
  return TRUE;
}

char *
stt_pipeline_build (SttModel *base, SttModel *const display[STT_DISPLAY_N], GError **error)
{
  const char *fragment = stt_model_get_pipeline (base);
  const char *kind = stt_model_get_kind (base);

  if (g_strcmp0 (kind, "base") != 0 && g_strcmp0 (kind, "custom") != 0) {
    g_set_error (error, STT_PIPELINE_ERROR, STT_PIPELINE_ERROR_MODEL,
        "model %s (%s) is a \"%s\" model; ModelId must name a base or custom model",
        stt_model_get_id (base), stt_model_get_dir (base), kind ? kind : "(no kind)");
    return NULL;
  }
  if (!fragment || strspn (fragment, " \t\n!") == strlen (fragment)) {
    g_set_error (error, STT_PIPELINE_ERROR, STT_PIPELINE_ERROR_MODEL,
        "model %s (%s) has no \"pipeline\" member in its manifest.json, so there is no "
        "recognition pipeline to run: rebuild the model with stt-model", stt_model_get_id (base),
        stt_model_get_dir (base));
    return NULL;
  }

  GString *out = g_string_new (NULL);
  g_auto (GStrv) segments = g_strsplit (fragment, "!", -1);
  for (char **s = segments; *s; s++) {
    g_autofree char *trimmed = g_strstrip (g_strdup (*s));
    if (*trimmed)
      append_base_element (out, trimmed, stt_model_get_id (base));
  }
  for (int t = 0; t < STT_DISPLAY_N; t++) {
    if (!display || !display[t])
      continue;
    if (!check_display_model (base, display[t], t, error)) {
      g_string_free (out, TRUE);
      return NULL;
    }
    g_string_append_printf (out, " ! %s model=%s", display_types[t].element,
        stt_model_get_id (display[t]));
  }
  return g_string_free (out, FALSE);
}

char *
stt_pipeline_launch_line (const char *fragment, const char *model_path)
{
  GString *out = g_string_new (NULL);
  if (model_path) {
    g_autofree char *quoted = g_shell_quote (model_path);
    g_string_append_printf (out, "STT_MODEL_PATH=%s ", quoted);
  }
  g_string_append_printf (out, "gst-launch-1.0 filesrc location=audio.wav ! decodebin ! "
      "audioconvert ! audioresample ! audio/x-raw,format=S16LE,rate=16000,channels=1 ! "
      "%s ! sttsink", fragment);
  return g_string_free (out, FALSE);
}
