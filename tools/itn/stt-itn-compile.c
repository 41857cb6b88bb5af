/* gst-stt — stt-itn-compile: ITN grammar source to a transducer file or a "wfstitn" model.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   stt-itn-compile [--output FILE.wfst] [--models-dir DIR [--id UUID] [--name NAME]
 *                   [--locale LOC] [--replace]] GRAMMAR.grm
 */
#include "config.h"
#include "grammar.h"

#include <stt/itn.h>
#include <stt/model.h>
#include <gio/gio.h>

static gboolean
remove_tree (GFile *file, GError **error)
{
  GFileEnumerator *e = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
      G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (e) {
    GFileInfo *info;
    while ((info = g_file_enumerator_next_file (e, NULL, NULL))) {
      GFile *child = g_file_get_child (file, g_file_info_get_name (info));
      gboolean ok = remove_tree (child, error);
      g_object_unref (child);
      g_object_unref (info);
      if (!ok) {
        g_object_unref (e);
        return FALSE;
      }
    }
    g_object_unref (e);
  }
  return g_file_delete (file, NULL, error);
}

static char *
write_model (GBytes *fst, const char *models_dir, const char *id, const char *name,
    const char *locale, gboolean replace, GError **error)
{
  char *dest = g_build_filename (models_dir, id, NULL);
  if (g_file_test (dest, G_FILE_TEST_EXISTS)) {
    if (!replace) {
      g_set_error (error, STT_ITN_ERROR, STT_ITN_ERROR_MODEL,
          "%s already exists (give --replace to rebuild it)", dest);
      g_free (dest);
      return NULL;
    }
    GFile *f = g_file_new_for_path (dest);
    gboolean ok = remove_tree (f, error);
    g_object_unref (f);
    if (!ok) {
      g_free (dest);
      return NULL;
    }
  }
  g_free (dest);
  SttModelWriter *w = stt_model_writer_new (models_dir, STT_ITN_MODEL_KIND, locale, error);
  if (!w)
    return NULL;
  if (!stt_model_writer_set_id (w, id, error)) {
    stt_model_writer_abort (w);
    return NULL;
  }
  stt_model_writer_set_name (w, name);
  stt_model_writer_set_pipeline (w, "sttitn");
  JsonObject *props = stt_model_writer_get_properties (w);
  json_object_set_string_member (props, "format", "stt-wfst-1");
  json_object_set_string_member (props, "fst", STT_ITN_FST_FILE);
  if (!stt_model_writer_add_bytes (w, STT_ITN_FST_FILE, fst, error)) {
    stt_model_writer_abort (w);
    return NULL;
  }
  return stt_model_writer_commit (w, error);
}

int
main (int argc, char **argv)
{
  char *output = NULL, *models_dir = NULL, *id = NULL, *name = NULL, *locale = NULL;
  gboolean replace = FALSE;
  GOptionEntry entries[] = {
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the transducer to FILE", "FILE"},
    {"models-dir", 'm', 0, G_OPTION_ARG_FILENAME, &models_dir,
        "Write a \"wfstitn\" model into DIR (a folder of the model path)", "DIR"},
    {"id", 0, 0, G_OPTION_ARG_STRING, &id, "Model id (default: the en-US ITN model's)", "UUID"},
    {"name", 0, 0, G_OPTION_ARG_STRING, &name, "Model name", "NAME"},
    {"locale", 0, 0, G_OPTION_ARG_STRING, &locale, "Model locale (default en-US)", "LOC"},
    {"replace", 0, 0, G_OPTION_ARG_NONE, &replace, "Replace a model of the same id", NULL},
    {NULL}
  };
  GError *err = NULL;
  GOptionContext *ctx = g_option_context_new ("GRAMMAR.grm - compile an ITN grammar");
  g_option_context_add_main_entries (ctx, entries, NULL);
  gboolean ok = g_option_context_parse (ctx, &argc, &argv, &err);
  g_option_context_free (ctx);
  if (ok && (argc != 2 || (!output && !models_dir))) {
    g_printerr ("usage: stt-itn-compile (--output FILE | --models-dir DIR) GRAMMAR.grm\n");
    return 2;
  }
  GBytes *fst = NULL;
  SttItnGrammarStats st;
  if (ok)
    ok = (fst = stt_itn_grammar_compile_file (argv[1], &st, &err)) != NULL;
  if (ok && output)
    ok = g_file_set_contents (output, g_bytes_get_data (fst, NULL), g_bytes_get_size (fst),
        &err);
  char *dir = NULL;
  if (ok && models_dir)
    ok = (dir = write_model (fst, models_dir, id ? id : STT_ITN_DEFAULT_MODEL_ID,
            name ? name : "en-US inverse text normalization", locale ? locale : "en-US",
            replace, &err)) != NULL;
  if (ok) {
    g_print ("%s: %u states, %u arcs, %u words, %u output pieces, %u classes%s%s\n", argv[1],
        st.n_states, st.n_arcs, st.n_words, st.n_pieces, st.n_classes, dir ? " -> " : "",
        dir ? dir : "");
  } else {
    g_printerr ("stt-itn-compile: %s\n", err->message);
    g_error_free (err);
  }
  if (fst)
    g_bytes_unref (fst);
  g_free (dir);
  g_free (output);
  g_free (models_dir);
  g_free (id);
  g_free (name);
  g_free (locale);
  return ok ? 0 : 1;
}
