/* gst-stt — `stt-model import-sphinx DIR`: a Sphinx model folder into a gst-stt base model.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "import.h"
#include "stt-model.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

/* The import, in order. Steps of other areas (language model, lexicon, decoding graph) go in
 * their own files (import-lm.c, import-lexicon.c, import-graph.c...), declared in import.h,
 * and are appended here; a later step may use what an earlier one left in SttImport. */
static const struct {
  const char *what;
  SttImportStep run;
} steps[] = {
  { "acoustic model", stt_import_am },
  { "language model and lexicon", stt_import_lm },
  { "decoding graph", stt_import_graph },
  { "letter-to-sound", stt_import_g2p },
};

GBytes *
stt_import_read (const char *dir, const char *name, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GMappedFile *f = g_mapped_file_new (path, FALSE, error);
  if (!f) {
    g_prefix_error (error, "cannot read the model file %s: ", path);
    return NULL;
  }
  GBytes *b = g_mapped_file_get_bytes (f);
  g_mapped_file_unref (f);
  return b;
}

/* The acoustic folder: DIR itself if it holds mdef, else DIR/en-us (Debian's layout). */
static char *
find_hmm_dir (const char *dir, GError **error)
{
  g_autofree char *direct = g_build_filename (dir, "mdef", NULL);
  if (g_file_test (direct, G_FILE_TEST_IS_REGULAR))
    return g_strdup (dir);
  g_autofree char *debian = g_build_filename (dir, "en-us", "mdef", NULL);
  if (g_file_test (debian, G_FILE_TEST_IS_REGULAR))
    return g_build_filename (dir, "en-us", NULL);
  g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_NOT_FOUND,
      "%s is not a Sphinx model folder: neither %s nor %s exists (give the folder holding "
      "mdef, means, variances, sendump, e.g. /usr/share/pocketsphinx/model/en-us)", dir,
      direct, debian);
  return NULL;
}

/* Replace an installed model of the same id (build-system use): remove it just before the
 * commit, so a failed import leaves the old one in place. */
gboolean
stt_import_remove_installed (const char *models_dir, const char *id, GError **error)
{
  g_autofree char *dir = g_build_filename (models_dir, id, NULL);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  g_autofree char *cmd = g_strdup_printf ("rm -rf -- '%s'", dir);
  int status;
  if (strchr (dir, '\'') || !g_spawn_command_line_sync (cmd, NULL, NULL, &status, error)
      || !g_spawn_check_wait_status (status, error)) {
    if (error && !*error)
      g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_IO, "cannot remove %s", dir);
    return FALSE;
  }
  return TRUE;
}

int
stt_model_cmd_import_sphinx (int argc, char **argv)
{
  g_autofree char *models_dir = NULL, *id = NULL, *name = NULL, *stamp = NULL, *dir = NULL;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
    { "models-dir", 0, 0, G_OPTION_ARG_FILENAME, &models_dir,
      "Folder of models to install into (default: the first folder of the model path)", "D" },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id, "Model id (default: " STT_DEFAULT_MODEL_ID ")",
      "UUID" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Display name", "NAME" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Replace an installed model of that id", NULL },
    { "stamp", 0, 0, G_OPTION_ARG_FILENAME, &stamp,
      "After success, write the model folder's path to FILE (for build systems)", "FILE" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DIR");
  g_option_context_set_summary (ctx, "Import a Sphinx PTM model folder (such as Debian's "
      "pocketsphinx-en-us, /usr/share/pocketsphinx/model/en-us) as a gst-stt base model.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2) {
    g_printerr ("stt-model import-sphinx: %s\n", error ? error->message
        : "expected one folder (DIR); see --help");
    return 2;
  }
  if (!models_dir) {
    g_auto (GStrv) path = stt_model_path_get ();
    models_dir = g_strdup (path[0]);
  }
  SttImport imp = { .sphinx_dir = argv[1] };
  int status = 1;
  if (!(imp.hmm_dir = find_hmm_dir (argv[1], &error))
      || !(imp.writer = stt_model_writer_new (models_dir, "base", "en-US", &error))
      || !stt_model_writer_set_id (imp.writer, id ? id : STT_DEFAULT_MODEL_ID, &error))
    goto out;
  stt_model_writer_set_name (imp.writer, name ? name : "en-US base (pocketsphinx-en-us)");
  stt_model_writer_set_pipeline (imp.writer, "sttfeatures ! sttacoustic ! sttdecoder");
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (!steps[i].run (&imp, &error)) {
      g_prefix_error (&error, "%s: ", steps[i].what);
      goto out;
    }
  if (force && !stt_import_remove_installed (models_dir, stt_model_writer_get_id (imp.writer), &error))
    goto out;
  dir = stt_model_writer_commit (g_steal_pointer (&imp.writer), &error);
  if (!dir)
    goto out;
  if (stamp && !g_file_set_contents (stamp, dir, -1, &error))
    goto out;
  g_print ("%s\n", dir);
  status = 0;
out:
  if (error)
    g_printerr ("stt-model import-sphinx: %s\n", error->message);
  if (imp.writer)
    stt_model_writer_abort (imp.writer);
  g_clear_pointer (&imp.mdef, stt_mdef_unref);
  g_free (imp.hmm_dir);
  return status;
}
