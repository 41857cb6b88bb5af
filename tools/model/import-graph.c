/* gst-stt — import step: compile the decoding graph (lexicon tree of triphone HMMs) from the
 * imported lexicon, LM and phone set into decoder/graph.bin ("stt-graph-1", docs/decoder.md).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs after the acoustic step (imp->mdef) and the LM step (lm/lm.bin, lm/lexicon.bin, read
 * back from the model being written). Only words the LM knows are compiled: the search could
 * never choose the others (their LM score is log 0). Fillers are compiled as filler words;
 * <s> and </s> are implicit in the search.
 */
#include "import.h"

#include <string.h>
#include <stt/lexicon.h>
#include <stt/lm.h>
#include <stt/search.h>

static gboolean
add_words (SttGraphBuilder *b, const SttLexicon *lex, const SttLm *lm, const SttMdef *mdef,
    guint *n_added, GError **error)
{
  g_autofree SttLmWord *lm_ids = stt_lexicon_map_lm (lex, lm, NULL);
  guint n = stt_lexicon_get_n_words (lex);
  /* lexicon phone ids -> mdef CI phone ids, by name */
  guint n_ph = stt_lexicon_get_n_phones (lex);
  g_autofree gint *ci = g_new (gint, n_ph);
  for (guint p = 0; p < n_ph; p++)
    ci[p] = stt_mdef_ciphone_id (mdef, stt_lexicon_get_phone (lex, p));
  GArray *phones = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean ok = TRUE;
  *n_added = 0;
  for (guint w = 0; w < n && ok; w++) {
    const char *word = stt_lexicon_get_word (lex, w);
    gboolean filler = stt_lexicon_is_filler (lex, w);
    if (!filler && (lm_ids[w] == STT_LM_NO_WORD || !strcmp (word, "<s>")
            || !strcmp (word, "</s>")))
      continue;
    guint np;
    const guint16 *pron = stt_lexicon_get_pron (lex, w, &np);
    g_array_set_size (phones, 0);
    for (guint i = 0; i < np; i++) {
      guint c = pron[i] < n_ph && ci[pron[i]] >= 0 ? (guint) ci[pron[i]] : G_MAXUINT;
      g_array_append_val (phones, c);
    }
    ok = stt_graph_builder_add_word (b, word, (guint *) phones->data, phones->len, filler,
        error);
    *n_added += ok;
  }
  g_array_unref (phones);
  return ok;
}

gboolean
stt_import_write_graph (SttModelWriter *writer, SttMdef *mdef, SttTmat *tmat,
    const SttLexicon *lex, const SttLm *lm, GError **error)
{
  SttGraphBuilder *b = stt_graph_builder_new_for_am (mdef, tmat, error);
  if (!b)
    return FALSE;
  guint n_added = 0;
  g_autoptr (GBytes) graph = add_words (b, lex, lm, mdef, &n_added, error) ?
      stt_graph_builder_finish (b, error) : NULL;
  stt_graph_builder_free (b);
  if (!graph || !stt_model_writer_add_bytes (writer, STT_SEARCH_GRAPH_FILE, graph, error))
    return FALSE;
  g_print ("  %s: %u pronunciations, %" G_GSIZE_FORMAT " bytes\n", STT_SEARCH_GRAPH_FILE,
      n_added, g_bytes_get_size (graph));
  JsonObject *props = stt_model_writer_get_properties (writer);
  JsonObject *dec = json_object_new ();
  json_object_set_string_member (dec, "graph", STT_SEARCH_GRAPH_FILE);
  json_object_set_string_member (dec, "graph_format", "stt-graph-1");
  json_object_set_int_member (dec, "pronunciations", n_added);
  json_object_set_object_member (props, "decoder", dec);
  return TRUE;
}

/* A file the import already wrote (read back from the model being written). */
static GBytes *
written (SttImport *imp, const char *name, char **path, GError **error)
{
  *path = stt_model_writer_file_path (imp->writer, name, error);
  if (!*path)
    return NULL;
  GMappedFile *f = g_mapped_file_new (*path, FALSE, error);
  if (!f)
    return NULL;
  GBytes *b = g_mapped_file_get_bytes (f);
  g_mapped_file_unref (f);
  return b;
}

gboolean
stt_import_graph (SttImport *imp, GError **error)
{
  g_autofree char *lm_path = stt_model_writer_file_path (imp->writer, "lm/lm.bin", error);
  g_autofree char *lex_path = lm_path ? stt_model_writer_file_path (imp->writer,
      "lm/lexicon.bin", error) : NULL;
  if (!lex_path)
    return FALSE;
  if (!g_file_test (lm_path, G_FILE_TEST_EXISTS) || !g_file_test (lex_path, G_FILE_TEST_EXISTS)) {
    g_printerr ("stt-model import-sphinx: note: no LM or lexicon, so no decoding graph\n");
    return TRUE;
  }
  g_autoptr (SttLm) lm = stt_lm_load (lm_path, STT_LM_FORMAT_OWN, error);
  g_autoptr (SttLexicon) lex = lm ? stt_lexicon_load (lex_path, error) : NULL;
  if (!lex)
    return FALSE;
  /* the transition matrices as the acoustic step wrote them, so a custom model, which has only
   * the model's own files, compiles the same graph */
  g_autofree char *tpath = NULL;
  g_autoptr (GBytes) tb = written (imp, "am/tmat.bin", &tpath, error);
  g_autoptr (SttTmat) tmat = tb ? stt_tmat_parse (tb, tpath, error) : NULL;
  return tmat && stt_import_write_graph (imp->writer, imp->mdef, tmat, lex, lm, error);
}
