/* gst-stt — models: writer, manifest checks, cache sharing, verification.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "testutil.h"

#include <glib/gstdio.h>
#include <string.h>

static char *models_dir;

static char *
write_model (const char *kind, const char *id)
{
  GError *err = NULL;
  SttModelWriter *w = stt_model_writer_new (models_dir, kind, "en-US", &err);
  g_assert_no_error (err);
  if (id)
    g_assert_true (stt_model_writer_set_id (w, id, &err));
  stt_model_writer_set_name (w, "test model");
  stt_model_writer_set_pipeline (w, "sttfeatures ! sttacoustic");
  json_object_set_int_member (stt_model_writer_get_properties (w), "answer", 42);
  GBytes *a = g_bytes_new_static ("hello model", 11);
  g_assert_true (stt_model_writer_add_bytes (w, "am/a.bin", a, &err));
  g_bytes_unref (a);
  char *path = stt_model_writer_file_path (w, "b.txt", &err);
  g_assert_no_error (err);
  g_assert_true (g_file_set_contents (path, "bee", 3, NULL));
  g_free (path);
  char *dir = stt_model_writer_commit (w, &err);
  g_assert_no_error (err);
  return dir;
}

static void
test_write_and_open (void)
{
  g_autofree char *dir = write_model ("base", NULL);
  GError *err = NULL;
  g_autoptr (SttModel) m = stt_model_open (dir, &err);
  g_assert_no_error (err);
  g_assert_true (g_uuid_string_is_valid (stt_model_get_id (m)));
  g_autofree char *base = g_path_get_basename (dir);
  g_assert_cmpstr (base, ==, stt_model_get_id (m));
  g_assert_cmpstr (stt_model_get_kind (m), ==, "base");
  g_assert_cmpstr (stt_model_get_locale (m), ==, "en-US");
  g_assert_cmpstr (stt_model_get_name (m), ==, "test model");
  g_assert_cmpstr (stt_model_get_pipeline (m), ==, "sttfeatures ! sttacoustic");
  g_assert_nonnull (stt_model_get_created (m));
  g_assert_cmpint (json_object_get_int_member (stt_model_get_properties (m), "answer"), ==, 42);
  const char *const *files = stt_model_list_files (m);
  g_assert_cmpstr (files[0], ==, "am/a.bin");
  g_assert_cmpstr (files[1], ==, "b.txt");
  g_assert_null (files[2]);
  g_assert_true (stt_model_verify (m, &err));
  g_assert_no_error (err);

  GBytes *b1 = stt_model_map (m, "am/a.bin", &err);
  GBytes *b2 = stt_model_map (m, "am/a.bin", &err);
  g_assert_no_error (err);
  g_assert_true (g_bytes_get_data (b1, NULL) == g_bytes_get_data (b2, NULL));
  g_assert_cmpmem (g_bytes_get_data (b1, NULL), g_bytes_get_size (b1), "hello model", 11);
  g_bytes_unref (b1);
  g_bytes_unref (b2);
  g_assert_null (stt_model_map (m, "nope", &err));
  g_assert_error (err, STT_MODEL_ERROR, STT_MODEL_ERROR_NOT_FOUND);
  g_clear_error (&err);

  /* Nothing temporary is left behind. */
  GDir *d = g_dir_open (models_dir, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name (d)))
    g_assert_false (g_str_has_prefix (name, ".tmp"));
  g_dir_close (d);
}

static void
test_corruption_detected (void)
{
  g_autofree char *dir = write_model ("custom", NULL);
  g_autofree char *file = g_build_filename (dir, "b.txt", NULL);
  GError *err = NULL;

  g_assert_true (g_file_set_contents (file, "BEE", 3, NULL));   /* same size, other bytes */
  g_autoptr (SttModel) m = stt_model_open (dir, &err);
  g_assert_no_error (err);
  g_assert_false (stt_model_verify (m, &err));
  g_assert_error (err, STT_MODEL_ERROR, STT_MODEL_ERROR_FILE);
  g_assert_nonnull (strstr (err->message, "b.txt"));
  g_clear_error (&err);

  g_assert_true (g_file_set_contents (file, "be", 2, NULL));    /* truncated */
  g_assert_null (stt_model_open (dir, &err));
  g_assert_error (err, STT_MODEL_ERROR, STT_MODEL_ERROR_FILE);
  g_assert_nonnull (strstr (err->message, "b.txt"));
  g_clear_error (&err);

  g_unlink (file);                                               /* missing */
  g_assert_null (stt_model_open (dir, &err));
  g_assert_error (err, STT_MODEL_ERROR, STT_MODEL_ERROR_FILE);
  g_assert_nonnull (strstr (err->message, "missing"));
  g_clear_error (&err);

  /* Leave no broken model in the path for the listing test. */
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

static void
test_bad_manifests (void)
{
  static const struct { const char *json; const char *mention; } cases[] = {
    {"not json", "cannot read manifest.json"},
    {"[]", "not a JSON object"},
    {"{\"schema\":2}", "schema"},
    {"{\"schema\":1,\"id\":\"x\"}", "\"id\""},
    {"{\"schema\":1,\"id\":\"0e1f6d2a-5b7c-4e38-9a41-3c2d8f7b6a01\",\"kind\":\"weird\"}", "kind"},
    {"{\"schema\":1,\"id\":\"0e1f6d2a-5b7c-4e38-9a41-3c2d8f7b6a01\",\"kind\":\"base\"}", "locale"},
    {"{\"schema\":1,\"id\":\"0e1f6d2a-5b7c-4e38-9a41-3c2d8f7b6a01\",\"kind\":\"base\","
        "\"locale\":\"en-US\",\"created\":\"x\",\"files\":[{\"name\":\"../etc/passwd\","
        "\"size\":1,\"sha256\":\"" "0000000000000000000000000000000000000000000000000000000000000000"
        "\"}]}", "relative path"},
  };
  g_autofree char *dir = g_build_filename (models_dir, "bad", NULL);
  g_mkdir_with_parents (dir, 0755);
  g_autofree char *manifest = g_build_filename (dir, "manifest.json", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_assert_true (g_file_set_contents (manifest, cases[i].json, -1, NULL));
    GError *err = NULL;
    g_assert_null (stt_model_open (dir, &err));
    g_assert_error (err, STT_MODEL_ERROR, STT_MODEL_ERROR_MANIFEST);
    if (!strstr (err->message, cases[i].mention))
      g_error ("case %u: \"%s\" does not mention %s", i, err->message, cases[i].mention);
    g_error_free (err);
  }
  GError *err = NULL;
  g_assert_null (stt_model_open ("/nonexistent/model", &err));
  g_assert_error (err, STT_MODEL_ERROR, STT_MODEL_ERROR_NOT_FOUND);
  g_error_free (err);
}

static void
test_cache_shares_one_model (void)
{
  const char *id = "7a0c8e4e-1111-4222-8333-944455556666";
  g_autofree char *dir = write_model ("rescore", id);
  GError *err = NULL;
  SttModel *a = stt_model_cache_lookup (id, &err);
  g_assert_no_error (err);
  SttModel *b = stt_model_cache_lookup (dir, &err);
  g_assert_no_error (err);
  g_assert_true (a == b);
  stt_model_unref (a);
  stt_model_unref (b);

  g_assert_null (stt_model_cache_lookup ("7a0c8e4e-1111-4222-8333-000000000000", &err));
  g_assert_error (err, STT_MODEL_ERROR, STT_MODEL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (err->message, "STT_MODEL_PATH"));
  g_clear_error (&err);

  GList *all = stt_model_path_list ();
  gboolean found = FALSE;
  for (GList *l = all; l; l = l->next)
    found |= strcmp (stt_model_get_id (l->data), id) == 0;
  g_assert_true (found);
  g_list_free_full (all, (GDestroyNotify) stt_model_unref);
}

static int creations;

static gpointer
create_table (SttModel *model, gpointer user_data, GError **error)
{
  creations++;
  return g_strdup (user_data);
}

static gpointer
create_fails (SttModel *model, gpointer user_data, GError **error)
{
  g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_FORMAT, "bad table");
  return NULL;
}

static void
test_shared_data_built_once (void)
{
  g_autofree char *dir = write_model ("punct", NULL);
  g_autoptr (SttModel) m = stt_model_open (dir, NULL);
  GError *err = NULL;
  char *t1 = stt_model_get_shared (m, "table", create_table, "x", g_free, &err);
  char *t2 = stt_model_get_shared (m, "table", create_table, "y", g_free, &err);
  g_assert_true (t1 == t2);
  g_assert_cmpstr (t1, ==, "x");
  g_assert_cmpint (creations, ==, 1);
  g_assert_null (stt_model_get_shared (m, "broken", create_fails, NULL, NULL, &err));
  g_assert_error (err, STT_MODEL_ERROR, STT_MODEL_ERROR_FORMAT);
  g_clear_error (&err);
}

static void
test_writer_never_overwrites (void)
{
  const char *id = "3b2f0c9a-aaaa-4bbb-8ccc-ddddeeeeffff";
  g_autofree char *dir = write_model ("wfstitn", id);
  GError *err = NULL;
  SttModelWriter *w = stt_model_writer_new (models_dir, "wfstitn", "en-US", &err);
  g_assert_true (stt_model_writer_set_id (w, id, &err));
  GBytes *x = g_bytes_new_static ("x", 1);
  g_assert_true (stt_model_writer_add_bytes (w, "x", x, &err));
  g_bytes_unref (x);
  g_assert_null (stt_model_writer_commit (w, &err));
  g_assert_error (err, STT_MODEL_ERROR, STT_MODEL_ERROR_IO);
  g_clear_error (&err);
  g_autoptr (SttModel) m = stt_model_open (dir, &err);     /* the first one is intact */
  g_assert_no_error (err);
  g_assert_true (stt_model_verify (m, &err));

  w = stt_model_writer_new (models_dir, "base", "en-US", &err);
  g_assert_null (stt_model_writer_file_path (w, "../escape", &err));
  g_clear_error (&err);
  g_assert_null (stt_model_writer_file_path (w, "manifest.json", &err));
  g_clear_error (&err);
  g_assert_false (stt_model_writer_set_id (w, "not-a-uuid", &err));
  g_clear_error (&err);
  stt_model_writer_abort (w);
  g_assert_null (stt_model_writer_new (models_dir, "nonsense", "en-US", &err));
  g_clear_error (&err);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autofree char *tmp = g_dir_make_tmp ("stt-test-model-XXXXXX", NULL);
  models_dir = g_build_filename (tmp, "models", NULL);
  g_setenv ("STT_MODEL_PATH", models_dir, TRUE);
  g_test_add_func ("/model/write-and-open", test_write_and_open);
  g_test_add_func ("/model/corruption-detected", test_corruption_detected);
  g_test_add_func ("/model/bad-manifests", test_bad_manifests);
  g_test_add_func ("/model/cache-shares-one-model", test_cache_shares_one_model);
  g_test_add_func ("/model/shared-data-built-once", test_shared_data_built_once);
  g_test_add_func ("/model/writer-never-overwrites", test_writer_never_overwrites);
  int rc = g_test_run ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", tmp);
  g_free (models_dir);
  return rc;
}
