/* gst-stt — the process-wide model cache and the model path.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Models stay loaded for the life of the process once used: a service opens a new pipeline
 * per stream, and each must find the model already mapped (a new stream costs only its search
 * state).
 */
#include "config.h"
#include "stt/model.h"

#include <string.h>

static GMutex cache_lock;
static GHashTable *cache;       /* id -> SttModel* (strong) */

char **
stt_model_path_get (void)
{
  GPtrArray *dirs = g_ptr_array_new ();
  const char *env = g_getenv ("STT_MODEL_PATH");
  if (env) {
    char **parts = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);
    for (char **p = parts; *p; p++)
      if (**p)
        g_ptr_array_add (dirs, g_strdup (*p));
    g_strfreev (parts);
  }
  g_ptr_array_add (dirs, g_build_filename (g_get_user_data_dir (), "gst-stt", "models", NULL));
  g_ptr_array_add (dirs, g_build_filename (STT_DATADIR, "models", NULL));
  g_ptr_array_add (dirs, g_strdup ("/usr/local/models"));
  g_ptr_array_add (dirs, NULL);
  return (char **) g_ptr_array_free (dirs, FALSE);
}

/* The folder of model @id in the model path, or NULL. */
static char *
find_in_path (const char *id)
{
  char **dirs = stt_model_path_get ();
  char *found = NULL;
  for (char **d = dirs; *d && !found; d++) {
    char *candidate = g_build_filename (*d, id, "manifest.json", NULL);
    if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
      found = g_build_filename (*d, id, NULL);
    g_free (candidate);
  }
  g_strfreev (dirs);
  return found;
}

static SttModel *
lookup_id (const char *id, GError **error)
{
  SttModel *model = g_hash_table_lookup (cache, id);
  if (model)
    return stt_model_ref (model);
  char *dir = find_in_path (id);
  if (!dir) {
    char **dirs = stt_model_path_get ();
    char *joined = g_strjoinv (", ", dirs);
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_NOT_FOUND,
        "model %s is not installed in the model path (%s); install it or set STT_MODEL_PATH",
        id, joined);
    g_free (joined);
    g_strfreev (dirs);
    return NULL;
  }
  model = stt_model_open (dir, error);
  g_free (dir);
  if (model && strcmp (stt_model_get_id (model), id) != 0) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_MANIFEST,
        "model folder %s is named %s but its manifest says id %s", stt_model_get_dir (model),
        id, stt_model_get_id (model));
    g_clear_pointer (&model, stt_model_unref);
  }
  if (model)
    g_hash_table_insert (cache, g_strdup (id), stt_model_ref (model));
  return model;
}

static SttModel *
lookup_dir (const char *dir, GError **error)
{
  SttModel *opened = stt_model_open (dir, error);
  if (!opened)
    return NULL;
  const char *id = stt_model_get_id (opened);
  SttModel *cached = g_hash_table_lookup (cache, id);
  if (!cached) {
    g_hash_table_insert (cache, g_strdup (id), stt_model_ref (opened));
    return opened;
  }
  if (strcmp (stt_model_get_dir (cached), stt_model_get_dir (opened)) != 0) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_MANIFEST,
        "model %s in %s has the same id as the model already loaded from %s; give one of them "
        "a new id", id, stt_model_get_dir (opened), stt_model_get_dir (cached));
    stt_model_unref (opened);
    return NULL;
  }
  stt_model_unref (opened);
  return stt_model_ref (cached);
}

SttModel *
stt_model_cache_lookup (const char *id_or_dir, GError **error)
{
  g_return_val_if_fail (id_or_dir != NULL, NULL);
  g_mutex_lock (&cache_lock);
  if (!cache)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
        (GDestroyNotify) stt_model_unref);
  SttModel *model = g_uuid_string_is_valid (id_or_dir) ? lookup_id (id_or_dir, error)
      : lookup_dir (id_or_dir, error);
  g_mutex_unlock (&cache_lock);
  return model;
}

static void
list_folder (const char *dir, GHashTable *seen, GList **out)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  if (!d)
    return;
  const char *name;
  while ((name = g_dir_read_name (d))) {
    if (name[0] == '.' || !g_uuid_string_is_valid (name) || g_hash_table_contains (seen, name))
      continue;
    char *path = g_build_filename (dir, name, NULL);
    GError *err = NULL;
    SttModel *m = stt_model_open (path, &err);
    if (m) {
      g_hash_table_add (seen, g_strdup (name));
      *out = g_list_prepend (*out, m);
    } else {
      g_warning ("skipping %s: %s", path, err->message);
      g_error_free (err);
    }
    g_free (path);
  }
  g_dir_close (d);
}

GList *
stt_model_path_list (void)
{
  char **dirs = stt_model_path_get ();
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GList *out = NULL;
  for (char **d = dirs; *d; d++)
    list_folder (*d, seen, &out);
  g_hash_table_unref (seen);
  g_strfreev (dirs);
  return g_list_reverse (out);
}
