/* gst-stt — parsing stt-container's KEY=VALUE settings and display-type words.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "settings.h"

#include <stdlib.h>
#include <string.h>

typedef enum {
  K_EULA, K_BILLING, K_APIKEY, K_MODELID, K_BASELOCALE, K_DISPLAYLOCALE, K_DOWNLOADLICENSE,
  K_LICENSE, K_OUTPUT, K_MODELS, K_LICENSEKEY, K_PORT,
  K_RESCOREID, K_PUNCTID, K_RESEGMENTID, K_WFSTITNID,
} Key;

static const struct {
  const char *name;
  Key key;
} keys[] = {
  { "Eula", K_EULA }, { "Billing", K_BILLING }, { "ApiKey", K_APIKEY },
  { "ModelId", K_MODELID }, { "BaseModelLocale", K_BASELOCALE },
  { "DisplayLocale", K_DISPLAYLOCALE }, { "DownloadLicense", K_DOWNLOADLICENSE },
  { "Mounts:License", K_LICENSE }, { "Mounts:Output", K_OUTPUT },
  { "Mounts:Models", K_MODELS }, { "ModelsDir", K_MODELS }, { "LicenseKey", K_LICENSEKEY },
  { "Port", K_PORT }, { "RescoreId", K_RESCOREID }, { "PunctId", K_PUNCTID },
  { "ResegmentId", K_RESEGMENTID }, { "WfstitnId", K_WFSTITNID },
};

/* settings of the real container that are accepted and ignored */
static const char *const ignored_prefixes[] = {
  "Logging:", "ApplicationInsights:", "Fluentd:", "HTTP_PROXY", "DECODER_MAX_COUNT",
};

const char *
stt_container_settings_usage (void)
{
  return "usage: stt-container Eula=accept [KEY=VALUE ...] [Rescore Punct Resegment Wfstitn "
      "FullDisplay] [--print-pipeline]\n"
      "  Eula=accept               required\n"
      "  Billing=URL ApiKey=KEY    the model hub (checked at start); without them: local mode\n"
      "  ModelId=ID                download (unless present) and serve that model; default: the\n"
      "                            en-US model " STT_DEFAULT_MODEL_ID "\n"
      "  BaseModelLocale=xx-XX     list the hub's base models (or, with display types, the\n"
      "                            latest display model of each type) and exit\n"
      "  DisplayLocale=xx-XX       download the latest display model of each type named\n"
      "  RescoreId= PunctId= ResegmentId= WfstitnId=   download that display model\n"
      "  DownloadLicense=True Mounts:License=DIR       fetch a disconnected-use license, exit\n"
      "  Mounts:Output=DIR         usage records (required without Billing for hub models)\n"
      "  Mounts:Models=DIR         models folder (also ModelsDir=; default /usr/local/models)\n"
      "  LicenseKey=FILE           hub public key to check licenses with (default:\n"
      "                            Mounts:License/hub-key.pub, saved by DownloadLicense)\n"
      "  Port=N                    service port (default 5000)\n"
      "  --print-pipeline          check everything, print the gst-launch line, exit\n"
      "Priority: BaseModelLocale, then ModelId, then DisplayLocale.\n";
}

static gboolean
parse_bool (const char *value, gboolean *out)
{
  const char *yes[] = { "true", "1", "yes", "on" }, *no[] = { "false", "0", "no", "off" };
  for (guint i = 0; i < G_N_ELEMENTS (yes); i++) {
    if (g_ascii_strcasecmp (value, yes[i]) == 0)
      return (*out = TRUE);
    if (g_ascii_strcasecmp (value, no[i]) == 0)
      return (*out = FALSE, TRUE);
  }
  return FALSE;
}

static gboolean
parse_word (SttContainerSettings *s, const char *word)
{
  if (g_ascii_strcasecmp (word, "FullDisplay") == 0) {
    for (int t = 0; t < STT_DISPLAY_N; t++)
      s->display[t] = TRUE;
    return TRUE;
  }
  for (int t = 0; t < STT_DISPLAY_N; t++) {
    if (g_ascii_strcasecmp (word, stt_display_type_word (t)) == 0) {
      s->display[t] = TRUE;
      return TRUE;
    }
  }
  return FALSE;
}

static gboolean
set_value (SttContainerSettings *s, Key key, const char *name, const char *value,
    GError **error)
{
  char **slot = NULL;
  switch (key) {
    case K_EULA: slot = &s->eula; break;
    case K_BILLING: slot = &s->billing; break;
    case K_APIKEY: slot = &s->api_key; break;
    case K_MODELID: slot = &s->model_id; break;
    case K_BASELOCALE: slot = &s->base_model_locale; break;
    case K_DISPLAYLOCALE: slot = &s->display_locale; break;
    case K_LICENSE: slot = &s->license_dir; break;
    case K_OUTPUT: slot = &s->output_dir; break;
    case K_MODELS: slot = &s->models_dir; break;
    case K_LICENSEKEY: slot = &s->license_key; break;
    case K_RESCOREID: slot = &s->display_id[STT_DISPLAY_RESCORE]; break;
    case K_PUNCTID: slot = &s->display_id[STT_DISPLAY_PUNCT]; break;
    case K_RESEGMENTID: slot = &s->display_id[STT_DISPLAY_RESEGMENT]; break;
    case K_WFSTITNID: slot = &s->display_id[STT_DISPLAY_WFSTITN]; break;
    case K_DOWNLOADLICENSE:
      if (!parse_bool (value, &s->download_license)) {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
            "%s=%s: expected True or False", name, value);
        return FALSE;
      }
      return TRUE;
    case K_PORT: {
      char *end = NULL;
      guint64 port = g_ascii_strtoull (value, &end, 10);
      if (!*value || *end || port > 65535) {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
            "%s=%s: expected a TCP port number from 0 to 65535", name, value);
        return FALSE;
      }
      s->port = port;
      return TRUE;
    }
  }
  if (!*value) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "%s= has an empty value: give one or leave the setting out", name);
    return FALSE;
  }
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

static gboolean
parse_setting (SttContainerSettings *s, const char *arg, GError **error)
{
  const char *eq = strchr (arg, '=');
  g_autofree char *name = g_strndup (arg, eq - arg);
  const char *value = eq + 1;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_ascii_strcasecmp (name, keys[i].name) == 0)
      return set_value (s, keys[i].key, keys[i].name, value, error);
  for (guint i = 0; i < G_N_ELEMENTS (ignored_prefixes); i++) {
    if (g_ascii_strncasecmp (name, ignored_prefixes[i], strlen (ignored_prefixes[i])) == 0) {
      g_ptr_array_add (s->ignored, g_strdup (name));
      return TRUE;
    }
  }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
      "unknown setting \"%s\" in \"%s\": the settings are Eula, Billing, ApiKey, ModelId, "
      "BaseModelLocale, DisplayLocale, RescoreId, PunctId, ResegmentId, WfstitnId, "
      "DownloadLicense, Mounts:License, Mounts:Output, Mounts:Models, LicenseKey, Port",
      name, arg);
  return FALSE;
}

SttContainerSettings *
stt_container_settings_parse (int argc, char **argv, GError **error)
{
  g_autoptr (SttContainerSettings) s = g_new0 (SttContainerSettings, 1);
  s->port = STT_CONTAINER_DEFAULT_PORT;
  s->ignored = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp (arg, "--print-pipeline") == 0) {
      s->print_pipeline = TRUE;
    } else if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0) {
      s->help = TRUE;
    } else if (strchr (arg, '=')) {
      if (!parse_setting (s, arg, error))
        return NULL;
    } else if (!parse_word (s, arg)) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
          "unknown word \"%s\": bare words name display types (Rescore Punct Resegment "
          "Wfstitn FullDisplay); settings are KEY=VALUE", arg);
      return NULL;
    }
  }
  if (!s->models_dir)
    s->models_dir = g_strdup (STT_CONTAINER_DEFAULT_MODELS_DIR);
  return g_steal_pointer (&s);
}

gboolean
stt_container_settings_any_display (const SttContainerSettings *s)
{
  for (int t = 0; t < STT_DISPLAY_N; t++)
    if (s->display[t])
      return TRUE;
  return FALSE;
}

void
stt_container_settings_free (SttContainerSettings *s)
{
  if (!s)
    return;
  g_free (s->eula);
  g_free (s->billing);
  g_free (s->api_key);
  g_free (s->model_id);
  g_free (s->base_model_locale);
  g_free (s->display_locale);
  for (int t = 0; t < STT_DISPLAY_N; t++)
    g_free (s->display_id[t]);
  g_free (s->license_dir);
  g_free (s->output_dir);
  g_free (s->models_dir);
  g_free (s->license_key);
  if (s->ignored)
    g_ptr_array_unref (s->ignored);
  g_free (s);
}
