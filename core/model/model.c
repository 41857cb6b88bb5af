/* gst-stt — a model folder: manifest checks, file paths, shared mappings and shared data.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "stt/model.h"
#include "model-private.h"

#include <string.h>

G_DEFINE_QUARK (stt-model-error-quark, stt_model_error)

typedef struct {
  gpointer data;
  GDestroyNotify destroy;
} SharedEntry;

struct _SttModel {
  gint refcount;
  char *dir;
  JsonObject *manifest;
  JsonObject *properties;
  char **files;                 /* listed names, manifest order */

  GMutex map_lock;
  GHashTable *maps;             /* name -> GBytes over a GMappedFile */

  GRecMutex shared_lock;        /* recursive: a create func may need other shared data */
  GHashTable *shared;           /* key -> SharedEntry */
};

static const char *const model_kinds[] = {
  "base", "custom", "rescore", "punct", "resegment", "wfstitn",
};

gboolean
stt_model_kind_is_valid (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (model_kinds); i++)
    if (g_strcmp0 (kind, model_kinds[i]) == 0)
      return TRUE;
  return FALSE;
}

/* A listed name must stay inside the model folder. */
gboolean
stt_model_file_name_is_valid (const char *name)
{
  if (!name || !*name || name[0] == '/' || strchr (name, '\\'))
    return FALSE;
  char **parts = g_strsplit (name, "/", -1);
  gboolean ok = TRUE;
  for (char **p = parts; *p; p++)
    if (!**p || strcmp (*p, ".") == 0 || strcmp (*p, "..") == 0)
      ok = FALSE;
  g_strfreev (parts);
  return ok;
}

static gboolean
manifest_error (GError **error, const char *dir, const char *what)
{
  g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_MANIFEST,
      "model %s: manifest.json %s", dir, what);
  return FALSE;
}

static const char *
member_string (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);
  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return NULL;
}

static gboolean
check_required (JsonObject *m, const char *dir, GError **error)
{
  if (!json_object_has_member (m, "schema") || json_object_get_int_member (m, "schema") != 1)
    return manifest_error (error, dir, "has no \"schema\": 1 (written by a newer gst-stt?)");
  const char *id = member_string (m, "id");
  if (!id || !g_uuid_string_is_valid (id))
    return manifest_error (error, dir, "member \"id\" must be a UUID");
  if (!stt_model_kind_is_valid (member_string (m, "kind")))
    return manifest_error (error, dir, "member \"kind\" must be one of base, custom, rescore, "
        "punct, resegment, wfstitn");
  if (!member_string (m, "locale") || !*member_string (m, "locale"))
    return manifest_error (error, dir, "member \"locale\" is required (e.g. \"en-US\")");
  if (!member_string (m, "created"))
    return manifest_error (error, dir, "member \"created\" is required (ISO-8601 date)");
  JsonNode *p = json_object_get_member (m, "properties");
  if (p && !JSON_NODE_HOLDS_OBJECT (p))
    return manifest_error (error, dir, "member \"properties\" must be an object");
  JsonNode *f = json_object_get_member (m, "files");
  if (!f || !JSON_NODE_HOLDS_ARRAY (f))
    return manifest_error (error, dir, "member \"files\" must be an array");
  return TRUE;
}

/* Check one listed file entry and that the file is there with its size. */
static gboolean
check_file (JsonNode *node, guint index, const char *dir, GError **error)
{
  char *what = NULL;
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *name = o ? member_string (o, "name") : NULL;
  const char *sha = o ? member_string (o, "sha256") : NULL;
  JsonNode *size_node = o ? json_object_get_member (o, "size") : NULL;
  if (!stt_model_file_name_is_valid (name))
    what = g_strdup_printf ("files[%u].name must be a relative path inside the model", index);
  else if (!sha || strlen (sha) != 64)
    what = g_strdup_printf ("files[%u] (%s) needs a 64-digit sha256", index, name);
  else if (!size_node || !JSON_NODE_HOLDS_VALUE (size_node) ||
      json_node_get_value_type (size_node) != G_TYPE_INT64 || json_node_get_int (size_node) < 0)
    what = g_strdup_printf ("files[%u] (%s) needs a non-negative integer size", index, name);
  if (what) {
    manifest_error (error, dir, what);
    g_free (what);
    return FALSE;
  }
  char *path = g_build_filename (dir, name, NULL);
  GStatBuf st;
  gboolean ok = TRUE;
  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode)) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_FILE,
        "model %s: file %s is missing (reinstall or re-download the model)", dir, name);
    ok = FALSE;
  } else if ((gint64) st.st_size != json_node_get_int (size_node)) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_FILE,
        "model %s: file %s has %" G_GINT64_FORMAT " bytes, the manifest says %" G_GINT64_FORMAT
        " (truncated or replaced; reinstall the model)", dir, name, (gint64) st.st_size,
        json_node_get_int (size_node));
    ok = FALSE;
  }
  g_free (path);
  return ok;
}

static JsonObject *
read_manifest (const char *dir, GError **error)
{
  char *path = g_build_filename (dir, "manifest.json", NULL);
  JsonParser *parser = json_parser_new ();
  GError *err = NULL;
  JsonObject *m = NULL;
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR)) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_NOT_FOUND,
        "model folder %s does not exist", dir);
  } else if (!json_parser_load_from_file (parser, path, &err)) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_MANIFEST,
        "model %s: cannot read manifest.json: %s", dir, err->message);
    g_error_free (err);
  } else if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    manifest_error (error, dir, "is not a JSON object");
  } else {
    m = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  }
  g_object_unref (parser);
  g_free (path);
  return m;
}

static void
shared_entry_free (gpointer data)
{
  SharedEntry *e = data;
  if (e->destroy)
    e->destroy (e->data);
  g_free (e);
}

SttModel *
stt_model_open (const char *dir, GError **error)
{
  g_return_val_if_fail (dir != NULL, NULL);
  JsonObject *m = read_manifest (dir, error);
  if (!m)
    return NULL;
  if (!check_required (m, dir, error)) {
    json_object_unref (m);
    return NULL;
  }
  JsonArray *files = json_object_get_array_member (m, "files");
  guint n = json_array_get_length (files);
  for (guint i = 0; i < n; i++) {
    if (!check_file (json_array_get_element (files, i), i, dir, error)) {
      json_object_unref (m);
      return NULL;
    }
  }
  SttModel *model = g_new0 (SttModel, 1);
  model->refcount = 1;
  model->dir = g_canonicalize_filename (dir, NULL);
  model->manifest = m;
  if (json_object_has_member (m, "properties"))
    model->properties = json_object_ref (json_object_get_object_member (m, "properties"));
  else
    model->properties = json_object_new ();
  model->files = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    model->files[i] = g_strdup (member_string (json_array_get_object_element (files, i), "name"));
  g_mutex_init (&model->map_lock);
  model->maps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_bytes_unref);
  g_rec_mutex_init (&model->shared_lock);
  model->shared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, shared_entry_free);
  return model;
}

SttModel *
stt_model_ref (SttModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  g_atomic_int_inc (&model->refcount);
  return model;
}

void
stt_model_unref (SttModel *model)
{
  g_return_if_fail (model != NULL);
  if (!g_atomic_int_dec_and_test (&model->refcount))
    return;
  /* Shared data may hold references to mappings: free it first. */
  g_hash_table_unref (model->shared);
  g_rec_mutex_clear (&model->shared_lock);
  g_hash_table_unref (model->maps);
  g_mutex_clear (&model->map_lock);
  g_strfreev (model->files);
  json_object_unref (model->properties);
  json_object_unref (model->manifest);
  g_free (model->dir);
  g_free (model);
}

const char *
stt_model_get_id (const SttModel *model)
{
  return member_string (model->manifest, "id");
}

const char *
stt_model_get_name (const SttModel *model)
{
  const char *name = member_string (model->manifest, "name");
  return name ? name : stt_model_get_id (model);
}

const char *
stt_model_get_locale (const SttModel *model)
{
  return member_string (model->manifest, "locale");
}

const char *
stt_model_get_kind (const SttModel *model)
{
  return member_string (model->manifest, "kind");
}

const char *
stt_model_get_created (const SttModel *model)
{
  return member_string (model->manifest, "created");
}

const char *
stt_model_get_base_model (const SttModel *model)
{
  return member_string (model->manifest, "base_model");
}

const char *
stt_model_get_pipeline (const SttModel *model)
{
  return member_string (model->manifest, "pipeline");
}

const char *
stt_model_get_dir (const SttModel *model)
{
  return model->dir;
}

JsonObject *
stt_model_get_properties (const SttModel *model)
{
  return model->properties;
}

JsonObject *
stt_model_get_manifest (const SttModel *model)
{
  return model->manifest;
}

const char *const *
stt_model_list_files (const SttModel *model)
{
  return (const char *const *) model->files;
}

static gboolean
is_listed (const SttModel *model, const char *name)
{
  for (char **f = model->files; *f; f++)
    if (strcmp (*f, name) == 0)
      return TRUE;
  return FALSE;
}

char *
stt_model_get_path (const SttModel *model, const char *name, GError **error)
{
  if (!is_listed (model, name)) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_NOT_FOUND,
        "model %s (%s) has no file \"%s\" (is it the right kind of model?)",
        stt_model_get_id (model), model->dir, name);
    return NULL;
  }
  return g_build_filename (model->dir, name, NULL);
}

GBytes *
stt_model_map (SttModel *model, const char *name, GError **error)
{
  g_mutex_lock (&model->map_lock);
  GBytes *bytes = g_hash_table_lookup (model->maps, name);
  if (bytes) {
    g_bytes_ref (bytes);
    g_mutex_unlock (&model->map_lock);
    return bytes;
  }
  char *path = stt_model_get_path (model, name, error);
  if (path) {
    GError *err = NULL;
    GMappedFile *mf = g_mapped_file_new (path, FALSE, &err);
    if (mf) {
      bytes = g_mapped_file_get_bytes (mf);
      g_mapped_file_unref (mf);
      g_hash_table_insert (model->maps, g_strdup (name), g_bytes_ref (bytes));
    } else {
      g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_IO, "model %s: cannot map %s: %s",
          stt_model_get_id (model), path, err->message);
      g_error_free (err);
    }
    g_free (path);
  }
  g_mutex_unlock (&model->map_lock);
  return bytes;
}

gboolean
stt_model_verify (const SttModel *model, GError **error)
{
  JsonArray *files = json_object_get_array_member (model->manifest, "files");
  for (guint i = 0; i < json_array_get_length (files); i++) {
    JsonObject *f = json_array_get_object_element (files, i);
    const char *name = member_string (f, "name");
    char *path = g_build_filename (model->dir, name, NULL);
    char *sha = stt_file_sha256 (path, error);
    g_free (path);
    if (!sha)
      return FALSE;
    gboolean same = g_ascii_strcasecmp (sha, member_string (f, "sha256")) == 0;
    g_free (sha);
    if (!same) {
      g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_FILE,
          "model %s: file %s does not match its sha256 (corrupted; reinstall the model)",
          model->dir, name);
      return FALSE;
    }
  }
  return TRUE;
}

gpointer
stt_model_get_shared (SttModel *model, const char *key, SttModelCreateFunc create,
    gpointer user_data, GDestroyNotify destroy, GError **error)
{
  g_rec_mutex_lock (&model->shared_lock);
  SharedEntry *e = g_hash_table_lookup (model->shared, key);
  gpointer data = e ? e->data : NULL;
  if (!e) {
    data = create (model, user_data, error);
    if (data) {
      e = g_new0 (SharedEntry, 1);
      e->data = data;
      e->destroy = destroy;
      g_hash_table_insert (model->shared, g_strdup (key), e);
    }
  }
  g_rec_mutex_unlock (&model->shared_lock);
  return data;
}

char *
stt_file_sha256 (const char *path, GError **error)
{
  GFile *file = g_file_new_for_path (path);
  GFileInputStream *in = g_file_read (file, NULL, error);
  g_object_unref (file);
  if (!in) {
    g_prefix_error (error, "cannot hash %s: ", path);
    return NULL;
  }
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 *buf = g_malloc (1 << 20);
  gssize n;
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buf, 1 << 20, NULL, error)) > 0)
    g_checksum_update (sum, buf, n);
  char *hex = n < 0 ? NULL : g_strdup (g_checksum_get_string (sum));
  if (n < 0)
    g_prefix_error (error, "cannot hash %s: ", path);
  g_free (buf);
  g_checksum_free (sum);
  g_object_unref (in);
  return hex;
}
