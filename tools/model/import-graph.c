/* gst-stt — import step: compile the decoding graph (lexicon tree of triphone HMMs) from the
 * Sphinx dictionaries and the imported phone set into decoder/graph.bin ("stt-graph-1").
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Only words the LM knows are compiled (the search could never choose the others: their LM
 * score is log 0). If no earlier step put the LM into the model, this step writes it too
 * (lm/lm.bin, the LM library's own format), since the graph is only valid with that LM.
 */
#include "import.h"

#include <string.h>
#include <stt/lm.h>
#include <stt/search.h>

#define SPHINX_LM "en-us.lm.bin"
#define SPHINX_DICT "cmudict-en-us.dict"

static gboolean
in_lm (const char *word, gpointer lm)
{
  /* alternates "word(2)" are looked up by their base spelling */
  gsize n = strlen (word);
  const char *open = strrchr (word, '(');
  if (n > 0 && word[n - 1] == ')' && open && open != word) {
    char *base = g_strndup (word, open - word);
    gboolean ok = stt_lm_word_id (lm, base) >= 0;
    g_free (base);
    return ok;
  }
  return stt_lm_word_id (lm, word) >= 0;
}

static gboolean
not_sentence_marker (const char *word, gpointer data)
{
  return g_strcmp0 (word, "<s>") != 0 && g_strcmp0 (word, "</s>") != 0;
}

static gboolean
add_dict (SttGraphBuilder *b, const char *dir, const char *file, const SttMdef *mdef,
    gboolean fillers, SttGraphWordFilter keep, gpointer data, GError **error)
{
  g_autoptr (GBytes) bytes = stt_import_read (dir, file, error);
  if (!bytes)
    return FALSE;
  g_autofree char *path = g_build_filename (dir, file, NULL);
  guint n = 0;
  if (!stt_graph_builder_add_sphinx_dict (b, bytes, path, mdef, fillers, keep, data, &n, error))
    return FALSE;
  g_print ("  %s: %u pronunciations\n", path, n);
  return TRUE;
}

gboolean
stt_import_graph (SttImport *imp, GError **error)
{
  g_autofree char *lm_path = g_build_filename (imp->sphinx_dir, SPHINX_LM, NULL);
  g_autoptr (SttLm) lm = stt_lm_load (lm_path, STT_LM_FORMAT_AUTO, error);
  if (!lm)
    return FALSE;
  g_autoptr (GBytes) tb = stt_import_read (imp->hmm_dir, "transition_matrices", error);
  if (!tb)
    return FALSE;
  g_autofree char *tpath = g_build_filename (imp->hmm_dir, "transition_matrices", NULL);
  g_autoptr (SttTmat) tmat = stt_tmat_parse_sphinx (tb, tpath, error);
  if (!tmat)
    return FALSE;
  SttGraphBuilder *b = stt_graph_builder_new_for_am (imp->mdef, tmat, error);
  if (!b)
    return FALSE;
  gboolean ok = add_dict (b, imp->sphinx_dir, SPHINX_DICT, imp->mdef, FALSE, in_lm, lm, error)
      && add_dict (b, imp->hmm_dir, "noisedict", imp->mdef, TRUE, not_sentence_marker, NULL,
      error);
  g_autoptr (GBytes) graph = ok ? stt_graph_builder_finish (b, error) : NULL;
  stt_graph_builder_free (b);
  if (!graph || !stt_model_writer_add_bytes (imp->writer, STT_SEARCH_GRAPH_FILE, graph, error))
    return FALSE;
  g_print ("  %s: %" G_GSIZE_FORMAT " bytes\n", STT_SEARCH_GRAPH_FILE, g_bytes_get_size (graph));

  g_autofree char *lm_dest = stt_model_writer_file_path (imp->writer, STT_SEARCH_LM_FILE, error);
  if (!lm_dest)
    return FALSE;
  if (!g_file_test (lm_dest, G_FILE_TEST_EXISTS)) {
    g_autoptr (GBytes) lb = stt_lm_get_bytes (lm);
    if (!stt_model_writer_add_bytes (imp->writer, STT_SEARCH_LM_FILE, lb, error))
      return FALSE;
  }
  JsonObject *props = stt_model_writer_get_properties (imp->writer);
  JsonObject *dec = json_object_new ();
  json_object_set_string_member (dec, "graph", STT_SEARCH_GRAPH_FILE);
  json_object_set_string_member (dec, "graph_format", "stt-graph-1");
  json_object_set_object_member (props, "decoder", dec);
  if (!json_object_has_member (props, "lm"))
    json_object_set_string_member (props, "lm", STT_SEARCH_LM_FILE);
  return TRUE;
}
