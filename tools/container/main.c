/* gst-stt — stt-container: the container's entry program (settings, hub, models, license,
 * usage records, then the speech service).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stt/json.h>
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <stt/model.h>

#include "settings.h"
#include "hubclient.h"
#include "download.h"
#include "disconnected.h"
#include "usage.h"
#include "sttpipeline.h"
#ifdef STT_HAVE_SERVICE
#include <glib-unix.h>
#include "service.h"
#endif

#define LOG(...) g_printerr ("stt-container: " __VA_ARGS__)

typedef struct {
  SttContainerSettings *s;
  SttHubClient *hub;            /* NULL in local mode */
  gboolean progress;
} Run;

static int
fail (GError *error)
{
  g_printerr ("stt-container: %s\n", error->message);
  g_error_free (error);
  return 1;
}

/* Folder of model @id: the models folder first, then the model path. */
static char *
find_model_dir (const char *models_dir, const char *id)
{
  g_autofree char *dir = g_build_filename (models_dir, id, NULL);
  g_autofree char *manifest = g_build_filename (dir, "manifest.json", NULL);
  if (g_file_test (manifest, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&dir);
  g_auto (GStrv) path = stt_model_path_get ();
  for (char **p = path; p && *p; p++) {
    g_autofree char *d = g_build_filename (*p, id, NULL);
    g_autofree char *m = g_build_filename (d, "manifest.json", NULL);
    if (g_file_test (m, G_FILE_TEST_IS_REGULAR))
      return g_steal_pointer (&d);
  }
  return NULL;
}

static gboolean
need_hub (Run *run, const char *what, GError **error)
{
  if (run->hub)
    return TRUE;
  g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_URL,
      "%s needs a model hub: give Billing=<hub URL> and ApiKey=<key>", what);
  return FALSE;
}

/* The hub's models of @locale and @kind, newest first. */
static JsonArray *
hub_list (Run *run, const char *locale, const char *kind, JsonObject **holder, GError **error)
{
  g_autofree char *l = g_uri_escape_string (locale, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("api/v1/models?locale=%s&kind=%s", l, kind);
  *holder = stt_hub_client_get_json (run->hub, path, error);
  if (!*holder)
    return NULL;
  JsonNode *n = json_object_get_member (*holder, "models");
  if (!n || !JSON_NODE_HOLDS_ARRAY (n)) {
    g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_PROTOCOL,
        "the model hub at %s answered the model list without a \"models\" array",
        stt_hub_client_get_url (run->hub));
    return NULL;
  }
  return json_node_get_array (n);
}

static const char *
member (JsonObject *o, const char *name)
{
  return stt_json_string (o, name, "");
}

/* BaseModelLocale: print the base models, or the latest display model of each type named. */
static int
list_models (Run *run)
{
  SttContainerSettings *s = run->s;
  GError *error = NULL;
  if (!need_hub (run, "BaseModelLocale", &error))
    return fail (error);
  if (s->model_id || s->display_locale)
    LOG ("BaseModelLocale comes first: only listing, ModelId/DisplayLocale are not used\n");
  if (!stt_container_settings_any_display (s)) {
    g_autoptr (JsonObject) holder = NULL;
    JsonArray *models = hub_list (run, s->base_model_locale, "base", &holder, &error);
    if (!models)
      return fail (error);
    printf ("%-8s %-22s %-38s %s\n", "locale", "created", "id", "name");
    for (guint i = 0; i < json_array_get_length (models); i++) {
      JsonObject *m = json_array_get_object_element (models, i);
      printf ("%-8s %-22s %-38s %s\n", member (m, "locale"), member (m, "created"),
          member (m, "id"), member (m, "name"));
    }
    if (json_array_get_length (models) == 0)
      LOG ("the hub has no base model for locale %s\n", s->base_model_locale);
    return 0;
  }
  printf ("%-10s %-8s %-22s %s\n", "type", "locale", "created", "id");
  for (int t = 0; t < STT_DISPLAY_N; t++) {
    if (!s->display[t])
      continue;
    g_autoptr (JsonObject) holder = NULL;
    JsonArray *models = hub_list (run, s->base_model_locale, stt_display_type_kind (t),
        &holder, &error);
    if (!models)
      return fail (error);
    if (json_array_get_length (models) == 0) {
      LOG ("the hub has no %s model for locale %s\n", stt_display_type_word (t),
          s->base_model_locale);
      continue;
    }
    JsonObject *m = json_array_get_object_element (models, 0);
    printf ("%-10s %-8s %-22s %s\n", stt_display_type_word (t), member (m, "locale"),
        member (m, "created"), member (m, "id"));
  }
  return 0;
}

/* Model @id present locally, or downloaded now. Returns its folder. */
static char *
obtain_model (Run *run, const char *id, const char *setting, GError **error)
{
  char *dir = find_model_dir (run->s->models_dir, id);
  if (dir) {
    if (run->hub)
      LOG ("model %s is already present in %s: not downloading it\n", id, dir);
    return dir;
  }
  if (!run->hub) {
    g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_NOT_FOUND,
        "%s=%s: that model is not installed in %s (nor in the model path), and without "
        "Billing=<hub URL> ApiKey=<key> it cannot be downloaded", setting, id,
        run->s->models_dir);
    return NULL;
  }
  return stt_download_model (run->hub, run->s->models_dir, id, run->progress, error);
}

/* DisplayLocale: the id of the hub's latest model of type @t. */
static char *
latest_on_hub (Run *run, SttDisplayType t, GError **error)
{
  const char *locale = run->s->display_locale;
  g_autoptr (JsonObject) holder = NULL;
  JsonArray *models = hub_list (run, locale, stt_display_type_kind (t), &holder, error);
  if (!models)
    return NULL;
  if (json_array_get_length (models) == 0) {
    g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_NOT_FOUND,
        "DisplayLocale=%s %s: the hub at %s has no %s model for %s", locale,
        stt_display_type_word (t), stt_hub_client_get_url (run->hub),
        stt_display_type_kind (t), locale);
    return NULL;
  }
  return g_strdup (member (json_array_get_object_element (models, 0), "id"));
}

/* Display types named without DisplayLocale: the newest installed model of that kind and of
 * the base model's locale. */
static char *
latest_installed (Run *run, SttDisplayType t, const char *locale, GError **error)
{
  g_autoptr (SttModel) best = NULL;
  g_autoptr (GDir) d = g_dir_open (run->s->models_dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d))) {
    if (name[0] == '.')
      continue;
    g_autofree char *dir = g_build_filename (run->s->models_dir, name, NULL);
    g_autoptr (SttModel) m = stt_model_open (dir, NULL);
    if (m && g_strcmp0 (stt_model_get_kind (m), stt_display_type_kind (t)) == 0
        && g_ascii_strcasecmp (stt_model_get_locale (m), locale) == 0
        && (!best || g_strcmp0 (stt_model_get_created (m), stt_model_get_created (best)) > 0)) {
      g_clear_pointer (&best, stt_model_unref);
      best = g_steal_pointer (&m);
    }
  }
  if (!best) {
    g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_NOT_FOUND,
        "%s was named but no %s model for %s is installed in %s: download one with "
        "DisplayLocale=%s %s Billing=<hub URL> ApiKey=<key>", stt_display_type_word (t),
        stt_display_type_kind (t), locale, run->s->models_dir, locale,
        stt_display_type_word (t));
    return NULL;
  }
  return g_strdup (stt_model_get_dir (best));
}

/* The display models asked for: by id, by DisplayLocale (latest on the hub), or by type words
 * alone (latest installed of the base model's locale). Fills @dirs; FALSE on error. */
static gboolean
obtain_display_models (Run *run, const char *base_locale, char *dirs[STT_DISPLAY_N],
    GError **error)
{
  SttContainerSettings *s = run->s;
  for (int t = 0; t < STT_DISPLAY_N; t++) {
    if (s->display_id[t]
        && !(dirs[t] = obtain_model (run, s->display_id[t], stt_display_type_id_key (t), error)))
      return FALSE;
  }
  if (s->display_locale && !stt_container_settings_any_display (s)) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "DisplayLocale=%s needs the display types to download: add some of Rescore Punct "
        "Resegment Wfstitn, or FullDisplay", s->display_locale);
    return FALSE;
  }
  if (s->display_locale && !need_hub (run, "DisplayLocale", error))
    return FALSE;
  for (int t = 0; t < STT_DISPLAY_N; t++) {
    if (!s->display[t] || dirs[t])
      continue;
    if (s->display_locale) {
      g_autofree char *id = latest_on_hub (run, t, error);
      if (!id || !(dirs[t] = obtain_model (run, id, "DisplayLocale", error)))
        return FALSE;
    } else if (base_locale) {
      if (!(dirs[t] = latest_installed (run, t, base_locale, error)))
        return FALSE;
    }
  }
  return TRUE;
}

static int
download_license (Run *run)
{
  GError *error = NULL;
  if (!need_hub (run, "DownloadLicense", &error))
    return fail (error);
  if (!run->s->license_dir) {
    LOG ("DownloadLicense=True needs Mounts:License=DIR: the folder to write the license to\n");
    return 1;
  }
  g_autofree char *expires = stt_disconnected_fetch_license (run->hub, run->s->license_dir,
      &error);
  if (!expires)
    return fail (error);
  LOG ("license valid until %s written to %s\n", expires, run->s->license_dir);
  return 0;
}

#ifdef STT_HAVE_SERVICE
static gboolean
record_usage (const char *model_id, double audio_seconds, const char *endpoint,
    gpointer user_data, GError **error)
{
  SttUsageLog *log = user_data;
  return !log || stt_usage_log_append (log, model_id, audio_seconds, endpoint, error);
}

static gboolean
quit_on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;     /* both handlers are removed after the loop */
}
#endif

static int
serve (Run *run, SttModel *base, const char *pipeline, SttUsageLog *usage)
{
#ifdef STT_HAVE_SERVICE
  SttServiceConfig config = {
    .port = run->s->port,
    .pipeline = pipeline,
    .model_id = stt_model_get_id (base),
    .locale = stt_model_get_locale (base),
    .usage_func = record_usage,
    .usage_data = usage,
  };
  GError *error = NULL;
  SttService *service = stt_service_new (&config, &error);
  if (!service || !stt_service_start (service, &error)) {
    if (service)
      stt_service_free (service);
    return fail (error);
  }
  LOG ("serving model %s (%s) on port %u: %s\n", stt_model_get_id (base),
      stt_model_get_locale (base), stt_service_get_port (service), pipeline);
  GMainLoop *loop = g_main_loop_new (NULL, FALSE);
  guint sigint = g_unix_signal_add (SIGINT, quit_on_signal, loop);
  guint sigterm = g_unix_signal_add (SIGTERM, quit_on_signal, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  LOG ("stopping\n");
  stt_service_stop (service);
  stt_service_free (service);
  g_main_loop_unref (loop);
  return 0;
#else
  LOG ("serving is unavailable: this stt-container was built without the speech service "
      "(tools/service); --print-pipeline shows the pipeline it would serve: %s\n", pipeline);
  return 3;
#endif
}

/* The model path as it was before the models folder was put first, to tell whether the
 * printed gst-launch line needs STT_MODEL_PATH. */
static gboolean
models_dir_in_path (char **path, const char *models_dir)
{
  g_autofree char *canon = g_canonicalize_filename (models_dir, NULL);
  for (char **p = path; p && *p; p++) {
    g_autofree char *c = g_canonicalize_filename (*p, NULL);
    if (g_strcmp0 (c, canon) == 0)
      return TRUE;
  }
  return FALSE;
}

static void
put_models_dir_first (const char *models_dir)
{
  const char *old = g_getenv ("STT_MODEL_PATH");
  g_autofree char *abs = g_canonicalize_filename (models_dir, NULL);
  g_autofree char *value = old && *old ? g_strconcat (abs, ":", old, NULL) : g_strdup (abs);
  g_setenv ("STT_MODEL_PATH", value, TRUE);
}

/* Models from a hub served without Billing need a valid license and an output folder. */
static gboolean
check_disconnected (Run *run, const char *const dirs[], guint n, GError **error)
{
  gboolean from_hub = FALSE;
  for (guint i = 0; i < n; i++)
    from_hub |= dirs[i] && stt_disconnected_model_is_from_hub (dirs[i]);
  if (run->hub || !from_hub)
    return TRUE;
  if (!run->s->license_dir || !run->s->output_dir) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "disconnected mode: these models came from a model hub and no Billing was given, so "
        "Mounts:License=DIR (holding the license from DownloadLicense=True) and "
        "Mounts:Output=DIR (for usage records) are required");
    return FALSE;
  }
  g_autofree char *expires = stt_disconnected_check (run->s->license_dir, run->s->license_key,
      error);
  if (!expires)
    return FALSE;
  LOG ("disconnected mode: license valid until %s\n", expires);
  return TRUE;
}

/* The models of a run: the base (or custom) model, a custom model's base, display models. */
typedef struct {
  char *base_dir, *parent_dir, *dirs[STT_DISPLAY_N];
  SttModel *base, *display[STT_DISPLAY_N];
} Models;

static void
models_clear (Models *m)
{
  g_free (m->base_dir);
  g_free (m->parent_dir);
  g_clear_pointer (&m->base, stt_model_unref);
  for (int t = 0; t < STT_DISPLAY_N; t++) {
    g_free (m->dirs[t]);
    g_clear_pointer (&m->display[t], stt_model_unref);
  }
}

/* Custom models written by `stt-model custom` carry every file of their base
 * (properties.custom.self_contained); others may leave files to the base model. */
static gboolean
needs_base_model (SttModel *model)
{
  JsonObject *props = stt_model_get_properties (model);
  JsonNode *custom = json_object_get_member (props, "custom");
  if (!custom || !JSON_NODE_HOLDS_OBJECT (custom))
    return TRUE;
  JsonNode *sc = json_object_get_member (json_node_get_object (custom), "self_contained");
  return !(sc && JSON_NODE_HOLDS_VALUE (sc) && json_node_get_value_type (sc) == G_TYPE_BOOLEAN
      && json_node_get_boolean (sc));
}

/* Find (or download) and open every model of the run. */
static gboolean
obtain_models (Run *run, Models *m, GError **error)
{
  SttContainerSettings *s = run->s;
  const char *id = s->model_id ? s->model_id : STT_DEFAULT_MODEL_ID;
  if (s->model_id) {
    m->base_dir = obtain_model (run, id, "ModelId", error);
  } else if (!(m->base_dir = find_model_dir (s->models_dir, id))) {
    g_auto (GStrv) path = stt_model_path_get ();
    g_autofree char *searched = g_strjoinv (", ", path);
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_NOT_FOUND,
        "the default en-US model %s is not installed (searched %s): run the README's "
        "setup (make setup), which imports it, or give ModelId=", id, searched);
  }
  if (!m->base_dir || !(m->base = stt_model_open (m->base_dir, error)))
    return FALSE;
  /* a custom model that leaves files to its base model runs on the base's files too */
  const char *parent = needs_base_model (m->base) ? stt_model_get_base_model (m->base) : NULL;
  if (parent && !(m->parent_dir = obtain_model (run, parent, "base_model of ModelId", error)))
    return FALSE;
  if (!obtain_display_models (run, stt_model_get_locale (m->base), m->dirs, error))
    return FALSE;
  for (int t = 0; t < STT_DISPLAY_N; t++)
    if (m->dirs[t] && !(m->display[t] = stt_model_open (m->dirs[t], error)))
      return FALSE;
  return TRUE;
}

/* Print the pipeline, or serve it with usage records in Mounts:Output. */
static int
print_or_serve (Run *run, Models *m, const char *pipeline, gboolean models_dir_was_in_path)
{
  SttContainerSettings *s = run->s;
  GError *error = NULL;
  if (s->print_pipeline) {
    g_autofree char *line = stt_pipeline_launch_line (pipeline, models_dir_was_in_path ? NULL
        : s->models_dir);
    printf ("%s\n", line);
    return 0;
  }
  SttUsageLog *usage = NULL;
  if (s->output_dir && !(usage = stt_usage_log_open (s->output_dir, &error)))
    return fail (error);
  if (usage)
    LOG ("usage records go to %s\n", stt_usage_log_get_path (usage));
  int status = serve (run, m->base, pipeline, usage);
  stt_usage_log_close (usage);
  return status;
}

/* Everything after listing: obtain the models, check the license, then print or serve. */
static int
prepare_and_serve (Run *run, gboolean models_dir_was_in_path)
{
  SttContainerSettings *s = run->s;
  GError *error = NULL;
  Models m = { NULL };
  g_autofree char *pipeline = NULL;
  int status = 1;
  gboolean license_only = s->download_license && !s->model_id
      && !stt_container_settings_any_display (s);

  if (!license_only && !obtain_models (run, &m, &error))
    goto out;
  if (s->download_license) {
    status = download_license (run);
    goto out;
  }
  const char *all_dirs[STT_DISPLAY_N + 2] = { m.base_dir, m.parent_dir };
  for (int t = 0; t < STT_DISPLAY_N; t++)
    all_dirs[t + 2] = m.dirs[t];
  if (!check_disconnected (run, all_dirs, G_N_ELEMENTS (all_dirs), &error)
      || !(pipeline = stt_pipeline_build (m.base, m.display, &error)))
    goto out;
  status = print_or_serve (run, &m, pipeline, models_dir_was_in_path);

out:
  if (error)
    status = fail (error);
  models_clear (&m);
  return status;
}

int
main (int argc, char **argv)
{
  GError *error = NULL;
  g_autoptr (SttContainerSettings) s = stt_container_settings_parse (argc - 1, argv + 1,
      &error);
  if (!s) {
    g_printerr ("stt-container: %s (stt-container --help lists the settings)\n",
        error->message);
    g_error_free (error);
    return 2;
  }
  if (s->help) {
    fputs (stt_container_settings_usage (), stdout);
    return 0;
  }
  if (!s->eula || g_ascii_strcasecmp (s->eula, "accept") != 0) {
    LOG ("refusing to start: the end-user license agreement has not been accepted (%s%s); "
        "start with Eula=accept\n", s->eula ? "Eula=" : "no Eula setting", s->eula ? s->eula
        : "");
    return 1;
  }
  Run run = { .s = s, .progress = isatty (STDERR_FILENO) };
  if (s->billing) {
    LOG ("connected mode: model hub %s\n", s->billing);
    if (!s->api_key) {
      LOG ("Billing=%s needs ApiKey=<key> too\n", s->billing);
      return 1;
    }
    g_autoptr (JsonObject) status = NULL;
    if (!(run.hub = stt_hub_client_new (s->billing, s->api_key, &error))
        || !(status = stt_hub_client_get_json (run.hub, "api/v1/status", &error))) {
      stt_hub_client_free (run.hub);
      return fail (error);
    }
    LOG ("the hub accepted the ApiKey\n");
  } else {
    LOG ("local mode: no Billing given, no model hub is contacted; serving %s%s\n",
        s->model_id ? "model " : "the default en-US model ", s->model_id ? s->model_id
        : STT_DEFAULT_MODEL_ID);
    if (s->api_key)
      LOG ("ApiKey is only used with Billing: ignored\n");
  }
  for (guint i = 0; i < s->ignored->len; i++)
    LOG ("setting %s is not implemented by gst-stt: ignored\n",
        (char *) g_ptr_array_index (s->ignored, i));

  int status;
  if (s->base_model_locale) {
    status = list_models (&run);
  } else {
    g_auto (GStrv) path = stt_model_path_get ();
    gboolean in_path = models_dir_in_path (path, s->models_dir);
    put_models_dir_first (s->models_dir);
    gst_init (NULL, NULL);
    status = prepare_and_serve (&run, in_path);
  }
  stt_hub_client_free (run.hub);
  return status;
}
