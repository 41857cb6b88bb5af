/* gst-stt — import step: the Sphinx trigram LM and pronunciation dictionary into lm/ files.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Writes lm/lm.bin (own LM format, stt/lm.h) and lm/lexicon.bin (own lexicon format,
 * stt/lexicon.h, phone ids = the acoustic model's CI phone ids), and describes both under
 * the manifest's "lm" property. Needs the acoustic step first (imp->mdef: the phone set). A
 * folder with neither LM nor dictionary gives an acoustic-only model (with a note).
 */
#include "import.h"

#include <stt/lexicon.h>
#include <stt/lm.h>

/* The first of @names that exists in @dir (newly allocated), or NULL with an error. */
static char *
find_file (const char *dir, const char *const *names, const char *what, GError **error)
{
  for (guint i = 0; names[i]; i++) {
    char *path = g_build_filename (dir, names[i], NULL);
    if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
      return path;
    g_free (path);
  }
  g_autofree char *list = g_strjoinv (", ", (char **) names);
  g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_NOT_FOUND, "%s has no %s (looked for "
      "%s)", dir, what, list);
  return NULL;
}

static gboolean
add (SttImport *imp, const char *name, GBytes *bytes, GError **error)
{
  return stt_model_writer_add_bytes (imp->writer, name, bytes, error);
}

void
stt_import_describe_lm (SttModelWriter *writer, const SttLm *lm, const SttLexicon *lex,
    guint missing)
{
  JsonObject *props = stt_model_writer_get_properties (writer);
  JsonObject *o = json_object_new ();
  json_object_set_string_member (o, "file", "lm/lm.bin");
  json_object_set_string_member (o, "lexicon", "lm/lexicon.bin");
  json_object_set_string_member (o, "units", "log base 1.0001 (raw, as Sphinx; stt/lm.h)");
  json_object_set_int_member (o, "order", stt_lm_get_order (lm));
  JsonArray *counts = json_array_new ();
  for (guint n = 1; n <= stt_lm_get_order (lm); n++)
    json_array_add_int_element (counts, stt_lm_get_count (lm, n));
  json_object_set_array_member (o, "counts", counts);
  SttLexiconStats st;
  stt_lexicon_get_stats (lex, &st);
  json_object_set_int_member (o, "lexicon_words", st.n_words);
  json_object_set_int_member (o, "lexicon_alternates", st.n_alternates);
  json_object_set_int_member (o, "lexicon_fillers", st.n_fillers);
  json_object_set_int_member (o, "lexicon_words_not_in_lm", missing);
  json_object_set_object_member (props, "lm", o);
}

gboolean
stt_import_lm (SttImport *imp, GError **error)
{
  static const char *const lm_names[] = { "en-us.lm.bin", "lm.bin", NULL };
  static const char *const dict_names[] = { "cmudict-en-us.dict", "words.dict", NULL };
  g_return_val_if_fail (imp->mdef != NULL, FALSE);
  g_autofree char *lm_path = find_file (imp->sphinx_dir, lm_names, "trigram LM", NULL);
  g_autofree char *dict_path = find_file (imp->sphinx_dir, dict_names, "dictionary", NULL);
  g_autofree char *noise_path = g_build_filename (imp->hmm_dir, "noisedict", NULL);
  if (!lm_path && !dict_path) {
    /* an acoustic model folder alone (e.g. en-us/en-us): a model without LM and lexicon */
    g_printerr ("stt-model import-sphinx: note: %s has no LM (%s) and no dictionary (%s); the "
        "model gets neither\n", imp->sphinx_dir, lm_names[0], dict_names[0]);
    return TRUE;
  }
  if (!lm_path)
    g_free (find_file (imp->sphinx_dir, lm_names, "trigram LM", error));
  else if (!dict_path)
    g_free (find_file (imp->sphinx_dir, dict_names, "pronunciation dictionary", error));
  if (!lm_path || !dict_path)
    return FALSE;
  g_autoptr (SttLm) lm = stt_lm_load (lm_path, STT_LM_FORMAT_AUTO, error);
  if (!lm)
    return FALSE;
  int n_ci = stt_mdef_n_ciphones (imp->mdef);
  const char **phones = g_new0 (const char *, n_ci + 1);
  for (int i = 0; i < n_ci; i++)
    phones[i] = stt_mdef_ciphone_name (imp->mdef, i);
  g_autoptr (SttLexicon) lex = stt_lexicon_load_sphinx (dict_path, noise_path, phones, error);
  g_free (phones);
  if (!lex)
    return FALSE;
  guint missing;
  g_free (stt_lexicon_map_lm (lex, lm, &missing));
  g_autoptr (GBytes) lm_bytes = stt_lm_get_bytes (lm);
  g_autoptr (GBytes) lex_bytes = stt_lexicon_get_bytes (lex);
  if (!add (imp, "lm/lm.bin", lm_bytes, error) || !add (imp, "lm/lexicon.bin", lex_bytes, error))
    return FALSE;
  stt_import_describe_lm (imp->writer, lm, lex, missing);
  return TRUE;
}
