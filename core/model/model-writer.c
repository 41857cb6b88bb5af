/* gst-stt — writing a model: files into a hidden temporary folder, then one rename.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The rename is the commit point: before it, the destination does not exist; after it, it is
 * complete with its manifest. Every file and folder is fsynced first so a crash right after
 * the rename cannot leave a manifest that lists unwritten data.
 */
#include "stt/model.h"
#include "model-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

struct _SttModelWriter {
  char *models_dir;
  char *tmp_dir;
  char *id;
  char *kind;
  char *locale;
  char *name;
  char *base_model;
  char *pipeline;
  JsonObject *properties;
};

static gboolean
io_error (GError **error, const char *what, const char *path)
{
  int e = errno;
  g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_IO, "%s %s: %s", what, path,
      g_strerror (e));
  return FALSE;
}

static gboolean
fsync_path (const char *path, GError **error)
{
  int fd = open (path, O_RDONLY);
  if (fd < 0)
    return io_error (error, "cannot open", path);
  gboolean ok = fsync (fd) == 0 || io_error (error, "cannot sync", path);
  close (fd);
  return ok;
}

SttModelWriter *
stt_model_writer_new (const char *models_dir, const char *kind, const char *locale,
    GError **error)
{
  if (!stt_model_kind_is_valid (kind)) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_MANIFEST,
        "unknown model kind \"%s\" (base, custom, rescore, punct, resegment, wfstitn)", kind);
    return NULL;
  }
  if (!locale || !*locale) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_MANIFEST, "a model needs a locale");
    return NULL;
  }
  if (g_mkdir_with_parents (models_dir, 0755) != 0) {
    io_error (error, "cannot create the models folder", models_dir);
    return NULL;
  }
  char *templ = g_build_filename (models_dir, ".tmp-model-XXXXXX", NULL);
  if (!g_mkdtemp (templ)) {
    io_error (error, "cannot create a temporary folder in", models_dir);
    g_free (templ);
    return NULL;
  }
  SttModelWriter *w = g_new0 (SttModelWriter, 1);
  w->models_dir = g_strdup (models_dir);
  w->tmp_dir = templ;
  w->id = g_uuid_string_random ();
  w->kind = g_strdup (kind);
  w->locale = g_strdup (locale);
  w->properties = json_object_new ();
  return w;
}

const char *
stt_model_writer_get_id (const SttModelWriter *w)
{
  return w->id;
}

gboolean
stt_model_writer_set_id (SttModelWriter *w, const char *uuid, GError **error)
{
  if (!g_uuid_string_is_valid (uuid)) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_MANIFEST,
        "\"%s\" is not a UUID (e.g. 0e1f6d2a-5b7c-4e38-9a41-3c2d8f7b6a01)", uuid);
    return FALSE;
  }
  g_free (w->id);
  w->id = g_ascii_strdown (uuid, -1);
  return TRUE;
}

void
stt_model_writer_set_name (SttModelWriter *w, const char *name)
{
  g_free (w->name);
  w->name = g_strdup (name);
}

void
stt_model_writer_set_base_model (SttModelWriter *w, const char *uuid)
{
  g_free (w->base_model);
  w->base_model = g_strdup (uuid);
}

void
stt_model_writer_set_pipeline (SttModelWriter *w, const char *pipeline)
{
  g_free (w->pipeline);
  w->pipeline = g_strdup (pipeline);
}

JsonObject *
stt_model_writer_get_properties (SttModelWriter *w)
{
  return w->properties;
}

char *
stt_model_writer_file_path (SttModelWriter *w, const char *name, GError **error)
{
  if (!stt_model_file_name_is_valid (name) || strcmp (name, "manifest.json") == 0) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_MANIFEST,
        "\"%s\" cannot be a model file name (relative path inside the model, not "
        "manifest.json)", name);
    return NULL;
  }
  char *path = g_build_filename (w->tmp_dir, name, NULL);
  char *parent = g_path_get_dirname (path);
  int rc = g_mkdir_with_parents (parent, 0755);
  if (rc != 0)
    io_error (error, "cannot create", parent);
  g_free (parent);
  if (rc != 0)
    g_clear_pointer (&path, g_free);
  return path;
}

gboolean
stt_model_writer_add_bytes (SttModelWriter *w, const char *name, GBytes *data, GError **error)
{
  char *path = stt_model_writer_file_path (w, name, error);
  if (!path)
    return FALSE;
  gsize size;
  const char *bytes = g_bytes_get_data (data, &size);
  gboolean ok = g_file_set_contents_full (path, bytes, size,
      G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, error);
  g_free (path);
  return ok;
}

/* Every regular file under @dir (relative names, sorted), fsynced on the way. */
static gboolean
collect_files (const char *root, const char *rel, GPtrArray *names, GError **error)
{
  char *dir = rel ? g_build_filename (root, rel, NULL) : g_strdup (root);
  GDir *d = g_dir_open (dir, 0, error);
  gboolean ok = d != NULL;
  const char *entry;
  while (ok && (entry = g_dir_read_name (d))) {
    char *child_rel = rel ? g_build_filename (rel, entry, NULL) : g_strdup (entry);
    char *child = g_build_filename (root, child_rel, NULL);
    if (g_file_test (child, G_FILE_TEST_IS_DIR))
      ok = collect_files (root, child_rel, names, error);
    else if (strcmp (child_rel, "manifest.json") != 0) {
      ok = fsync_path (child, error);
      g_ptr_array_add (names, child_rel);   /* the array owns it now */
      child_rel = NULL;
    }
    g_free (child);
    g_free (child_rel);
  }
  if (d)
    g_dir_close (d);
  ok = ok && fsync_path (dir, error);
  g_free (dir);
  return ok;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  if (!value)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static gboolean
build_files (JsonBuilder *b, SttModelWriter *w, GPtrArray *names, GError **error)
{
  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);
  for (guint i = 0; i < names->len; i++) {
    const char *name = g_ptr_array_index (names, i);
    char *path = g_build_filename (w->tmp_dir, name, NULL);
    char *sha = stt_file_sha256 (path, error);
    GStatBuf st;
    gboolean ok = sha && g_stat (path, &st) == 0;
    if (ok) {
      json_builder_begin_object (b);
      add_string (b, "name", name);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, st.st_size);
      add_string (b, "sha256", sha);
      json_builder_end_object (b);
    }
    g_free (sha);
    g_free (path);
    if (!ok)
      return FALSE;
  }
  json_builder_end_array (b);
  return TRUE;
}

static char *
build_manifest (SttModelWriter *w, GPtrArray *names, GError **error)
{
  JsonBuilder *b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "schema");
  json_builder_add_int_value (b, 1);
  add_string (b, "id", w->id);
  add_string (b, "name", w->name);
  add_string (b, "locale", w->locale);
  add_string (b, "kind", w->kind);
  GDateTime *now = g_date_time_new_now_utc ();
  char *created = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  add_string (b, "created", created);
  g_free (created);
  g_date_time_unref (now);
  add_string (b, "base_model", w->base_model);
  add_string (b, "pipeline", w->pipeline);
  json_builder_set_member_name (b, "properties");
  JsonNode *props = json_node_init_object (json_node_alloc (), w->properties);
  json_builder_add_value (b, props);
  char *text = NULL;
  if (build_files (b, w, names, error)) {
    json_builder_end_object (b);
    JsonGenerator *gen = json_generator_new ();
    json_generator_set_pretty (gen, TRUE);
    JsonNode *root = json_builder_get_root (b);
    json_generator_set_root (gen, root);
    text = json_generator_to_data (gen, NULL);
    json_node_unref (root);
    g_object_unref (gen);
  }
  g_object_unref (b);
  return text;
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
    GDir *d = g_dir_open (path, 0, NULL);
    const char *entry;
    while (d && (entry = g_dir_read_name (d))) {
      char *child = g_build_filename (path, entry, NULL);
      remove_tree (child);
      g_free (child);
    }
    if (d)
      g_dir_close (d);
    g_rmdir (path);
  } else {
    g_unlink (path);
  }
}

static void
writer_free (SttModelWriter *w)
{
  g_free (w->models_dir);
  g_free (w->tmp_dir);
  g_free (w->id);
  g_free (w->kind);
  g_free (w->locale);
  g_free (w->name);
  g_free (w->base_model);
  g_free (w->pipeline);
  json_object_unref (w->properties);
  g_free (w);
}

static gboolean
install (SttModelWriter *w, const char *final, GError **error)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = collect_files (w->tmp_dir, NULL, names, error);
  char *manifest = NULL;
  if (ok) {
    g_ptr_array_sort (names, compare_names);
    manifest = build_manifest (w, names, error);
    ok = manifest != NULL;
  }
  char *manifest_path = g_build_filename (w->tmp_dir, "manifest.json", NULL);
  ok = ok && g_file_set_contents_full (manifest_path, manifest, -1,
      G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, error);
  ok = ok && fsync_path (w->tmp_dir, error);
  if (ok && g_file_test (final, G_FILE_TEST_EXISTS)) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_IO,
        "model %s is already installed in %s; remove that folder first to replace it", w->id,
        final);
    ok = FALSE;
  }
  ok = ok && (g_rename (w->tmp_dir, final) == 0 || io_error (error, "cannot install", final));
  ok = ok && fsync_path (w->models_dir, error);
  g_free (manifest_path);
  g_free (manifest);
  g_ptr_array_unref (names);
  return ok;
}

char *
stt_model_writer_commit (SttModelWriter *w, GError **error)
{
  char *final = g_build_filename (w->models_dir, w->id, NULL);
  if (!install (w, final, error)) {
    remove_tree (w->tmp_dir);
    g_clear_pointer (&final, g_free);
  }
  writer_free (w);
  return final;
}

void
stt_model_writer_abort (SttModelWriter *w)
{
  remove_tree (w->tmp_dir);
  writer_free (w);
}
