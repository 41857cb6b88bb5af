/* gst-stt — verified, resumable, atomic model installation from the hub.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stt/json.h>
#include "download.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <glib/gstdio.h>
#include <stt/model.h>

gboolean
stt_download_name_is_safe (const char *name)
{
  if (!name || !*name || name[0] == '/' || strchr (name, '\\'))
    return FALSE;
  g_auto (GStrv) parts = g_strsplit (name, "/", -1);
  for (char **p = parts; *p; p++)
    if (!**p || (*p)[0] == '.')
      return FALSE;
  return TRUE;
}

static gboolean
sync_path (const char *path, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fsync (fd) != 0) {
    int e = errno;
    if (fd >= 0)
      close (fd);
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "cannot fsync %s: %s",
        path, g_strerror (e));
    return FALSE;
  }
  close (fd);
  return TRUE;
}

static gboolean
remove_tree (const char *path)
{
  g_autoptr (GFile) f = g_file_new_for_path (path);
  g_autoptr (GFileEnumerator) e = g_file_enumerate_children (f, G_FILE_ATTRIBUTE_STANDARD_NAME,
      G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (e) {
    GFileInfo *info;
    while ((info = g_file_enumerator_next_file (e, NULL, NULL))) {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);
      remove_tree (child);
      g_object_unref (info);
    }
  }
  return g_remove (path) == 0;
}

typedef struct {
  gboolean tty;
  const char *id;
  gint64 last;
} Progress;

static void
draw_progress (const char *name, guint64 done, guint64 total, gpointer data)
{
  Progress *p = data;
  gint64 now = g_get_monotonic_time ();
  if (!p->tty || (done < total && now - p->last < 100000))
    return;
  p->last = now;
  int width = 30, fill = total ? (int) (width * done / total) : width;
  fprintf (stderr, "\r  %-28.28s [%.*s%*s] %3d%% %6.1f/%.1f MB", name, fill,
      "##############################", width - fill, "",
      total ? (int) (100 * done / total) : 100, done / 1e6, total / 1e6);
  if (done >= total)
    fputc ('\n', stderr);
  fflush (stderr);
}

/* The manifest's files, checked to be safe to write: an array of objects with name, size and
 * sha256. */
JsonArray *
stt_download_manifest_files (JsonObject *manifest, const char *id, const char *hub,
    GError **error)
{
  JsonArray *files = json_object_has_member (manifest, "files")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (manifest, "files"))
      ? json_object_get_array_member (manifest, "files") : NULL;
  const char *mid = stt_json_string (manifest, "id", NULL);
  if (!files || g_strcmp0 (mid, id) != 0) {
    g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_PROTOCOL,
        "the manifest of model %s from %s is not a model manifest (its \"id\" is %s, "
        "\"files\" %s)", id, hub, mid ? mid : "missing", files ? "present" : "missing");
    return NULL;
  }
  for (guint i = 0; i < json_array_get_length (files); i++) {
    JsonNode *n = json_array_get_element (files, i);
    JsonObject *f = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
    const char *name = f ? stt_json_string (f, "name", NULL) : NULL;
    const char *sha = f ? stt_json_string (f, "sha256", NULL) : NULL;
    JsonNode *sn = f ? json_object_get_member (f, "size") : NULL;
    gint64 size = sn && JSON_NODE_HOLDS_VALUE (sn) && json_node_get_value_type (sn) == G_TYPE_INT64
        ? json_node_get_int (sn) : -1;
    if (!stt_download_name_is_safe (name) || strcmp (name, "manifest.json") == 0 || !sha
        || strlen (sha) != 64 || size < 0) {
      g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_PROTOCOL,
          "the manifest of model %s from %s lists an unusable file (entry %u, name \"%s\"): "
          "each needs a relative \"name\" without \"..\" or hidden parts, a \"size\" and a "
          "\"sha256\"", id, hub, i, name ? name : "");
      return NULL;
    }
  }
  return files;
}

/* Download one listed file into the staging folder and check its sha256. A mismatch after a
 * resumed download may come from a stale partial file, so that case starts over once. */
static gboolean
fetch_verified (SttHubClient *hub, const char *id, const char *staging, JsonObject *file,
    Progress *progress, GError **error)
{
  const char *name = json_object_get_string_member (file, "name");
  const char *want = json_object_get_string_member (file, "sha256");
  guint64 size = json_object_get_int_member (file, "size");
  g_autofree char *dest = g_build_filename (staging, name, NULL);
  g_autofree char *parent = g_path_get_dirname (dest);
  g_autofree char *escaped = g_uri_escape_string (name, "/", FALSE);
  g_autofree char *path = g_strdup_printf ("api/v1/models/%s/files/%s", id, escaped);

  g_mkdir_with_parents (parent, 0755);
  for (int attempt = 0; attempt < 2; attempt++) {
    guint64 from = 0;
    g_autofree char *got = NULL;
    if (!stt_hub_client_fetch_file (hub, path, dest, size, name, draw_progress, progress,
            &from, &got, error))
      return FALSE;
    if (from > 0 && from < size)
      g_printerr ("stt-container: resumed %s of model %s at byte %" G_GUINT64_FORMAT "\n",
          name, id, from);
    if (g_ascii_strcasecmp (got, want) == 0)
      return TRUE;
    g_unlink (dest);
    if (from == 0 || attempt == 1) {
      g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_PROTOCOL,
          "file %s of model %s from %s is corrupt: its sha256 is %s but the manifest says %s; "
          "nothing was installed (the hub's copy needs repair)", name, id,
          stt_hub_client_get_url (hub), got, want);
      return FALSE;
    }
  }
  return FALSE;
}

static gboolean
write_origin (SttHubClient *hub, const char *staging, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format_iso8601 (now);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "hub");
  json_builder_add_string_value (b, stt_hub_client_get_url (hub));
  json_builder_set_member_name (b, "downloaded");
  json_builder_add_string_value (b, when);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = json_to_string (root, TRUE);
  g_autofree char *path = g_build_filename (staging, STT_ORIGIN_FILE, NULL);
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT |
      G_FILE_SET_CONTENTS_DURABLE, 0644, error);
}

/* Start the staging folder for @manifest_bytes: reuse partial files only when they belong to
 * the same manifest. */
static gboolean
prepare_staging (const char *staging, GBytes *manifest_bytes, GError **error)
{
  g_autofree char *manifest_path = g_build_filename (staging, "manifest.json", NULL);
  g_autofree char *old = NULL;
  gsize old_len = 0;
  if (g_file_get_contents (manifest_path, &old, &old_len, NULL)) {
    gsize len;
    const char *data = g_bytes_get_data (manifest_bytes, &len);
    if (len != old_len || memcmp (data, old, len) != 0)
      remove_tree (staging);
  } else if (g_file_test (staging, G_FILE_TEST_EXISTS)) {
    remove_tree (staging);
  }
  if (g_mkdir_with_parents (staging, 0755) != 0) {
    int e = errno;
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
        "cannot create the staging folder %s: %s", staging, g_strerror (e));
    return FALSE;
  }
  gsize len;
  const char *data = g_bytes_get_data (manifest_bytes, &len);
  return g_file_set_contents_full (manifest_path, data, len, G_FILE_SET_CONTENTS_CONSISTENT |
      G_FILE_SET_CONTENTS_DURABLE, 0644, error);
}

/* The download itself; the caller holds the model's lock. */
static char *
download_locked (SttHubClient *hub, const char *models_dir, const char *id,
    gboolean show_progress, GError **error)
{
  g_autofree char *final = g_build_filename (models_dir, id, NULL);
  g_autofree char *final_manifest = g_build_filename (final, "manifest.json", NULL);
  if (g_file_test (final_manifest, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&final);    /* another process installed it while we waited */
  g_autofree char *mpath = g_strdup_printf ("api/v1/models/%s/manifest", id);
  g_autoptr (GBytes) mbytes = stt_hub_client_get (hub, mpath, error);
  if (!mbytes)
    return NULL;
  const char *url = stt_hub_client_get_url (hub);
  g_autoptr (JsonObject) manifest = stt_hub_client_parse_object (hub, mbytes, mpath, error);
  if (!manifest)
    return NULL;
  JsonArray *files = stt_download_manifest_files (manifest, id, url, error);
  if (!files)
    return NULL;

  g_autofree char *hidden = g_strconcat (".download-", id, NULL);
  g_autofree char *staging = g_build_filename (models_dir, hidden, NULL);
  if (!prepare_staging (staging, mbytes, error))
    return NULL;

  guint64 total = 0;
  for (guint i = 0; i < json_array_get_length (files); i++)
    total += json_object_get_int_member (json_array_get_object_element (files, i), "size");
  g_printerr ("stt-container: downloading model %s (%s, %s, %u files, %" G_GUINT64_FORMAT
      " bytes) from %s\n", id, stt_json_string (manifest, "kind", "?"),
      stt_json_string (manifest, "locale", "?"),
      json_array_get_length (files), total, url);

  Progress progress = { .tty = show_progress, .id = id };
  for (guint i = 0; i < json_array_get_length (files); i++) {
    if (!fetch_verified (hub, id, staging, json_array_get_object_element (files, i), &progress,
            error))
      return NULL;
  }
  /* the lead's checks of a model folder, on the complete staging copy */
  g_autoptr (SttModel) check = stt_model_open (staging, error);
  if (!check) {
    remove_tree (staging);
    return NULL;
  }
  if (!write_origin (hub, staging, error) || !sync_path (staging, error))
    return NULL;

  /* the staging folder is complete and verified: install it in one rename */
  if (g_rename (staging, final) != 0) {
    int e = errno;
    if (g_file_test (final_manifest, G_FILE_TEST_IS_REGULAR)) {
      remove_tree (staging);    /* another run installed it meanwhile */
      return g_steal_pointer (&final);
    }
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
        "cannot install model %s: renaming %s to %s failed: %s", id, staging, final,
        g_strerror (e));
    return NULL;
  }
  if (!sync_path (models_dir, error))
    return NULL;
  g_printerr ("stt-container: installed model %s in %s (every file sha256-verified)\n", id,
      final);
  return g_steal_pointer (&final);
}

char *
stt_download_model (SttHubClient *hub, const char *models_dir, const char *id,
    gboolean show_progress, GError **error)
{
  if (!g_uuid_string_is_valid (id)) {
    g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_PROTOCOL,
        "\"%s\" is not a model id (expected a UUID such as %s)", id, STT_DEFAULT_MODEL_ID);
    return NULL;
  }
  if (g_mkdir_with_parents (models_dir, 0755) != 0) {
    int e = errno;
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
        "cannot create the models folder %s: %s", models_dir, g_strerror (e));
    return NULL;
  }
  /* Replicas sharing one models volume must not write the same staging folder at once:
   * the second waits for the first, then finds the model installed. */
  g_autofree char *lock_name = g_strconcat (".download-", id, ".lock", NULL);
  g_autofree char *lock_path = g_build_filename (models_dir, lock_name, NULL);
  int lock = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock < 0) {
    int e = errno;
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
        "cannot create the download lock %s: %s", lock_path, g_strerror (e));
    return NULL;
  }
  if (flock (lock, LOCK_EX | LOCK_NB) != 0) {
    g_printerr ("stt-container: another process is downloading model %s into %s: waiting\n",
        id, models_dir);
    flock (lock, LOCK_EX);
  }
  char *dir = download_locked (hub, models_dir, id, show_progress, error);
  close (lock);
  return dir;
}
