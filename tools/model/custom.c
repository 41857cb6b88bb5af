/* gst-stt — `stt-model custom`: a base model adapted to a user's domain text and words.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Steps (docs/custom.md): normalise the text (custom-text.c); find a pronunciation for every
 * word the base lexicon lacks (--pron file, else the base model's letter-to-sound model; none
 * → error, nothing written); train a trigram LM on the text and mix it with the base LM;
 * extend the lexicon; rebuild the decoding graph (import-graph.c); copy the acoustic files;
 * write everything through stt_model_writer, so any error leaves no model behind.
 */
#include "custom.h"
#include "import.h"
#include "stt-model.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stt/lexicon.h>
#include <stt/lm.h>
#include <stt/search.h>
#include <stt/g2p.h>

/* Files a custom model writes itself; every other file of the base is taken over. */
static const char *const rebuilt[] = { "lm/lm.bin", "lm/lexicon.bin", STT_SEARCH_GRAPH_FILE,
  NULL };

typedef struct {
  char *word;
  const char *source;    /* "pron file", "letter-to-sound" */
  char **phones;         /* borrowed from the pron file or owned (g2p) */
  guint line;            /* pron file line, 0 for g2p */
  gboolean owned;
} NewWord;

static void
new_word_free (NewWord *w)
{
  g_free (w->word);
  if (w->owned)
    g_strfreev (w->phones);
  g_free (w);
}

typedef struct {
  SttModel *base;
  SttLexicon *lex;
  SttLm *lm;
  SttMdef *mdef;
  GPtrArray *prons;       /* SttCustomPron* */
  GPtrArray *new_words;   /* NewWord*: what goes into the lexicon, in order */
  GPtrArray *from_dict;   /* char*: text words in the base lexicon but not in the base LM */
  SttCustomText text;
  char *g2p_note;         /* why no letter-to-sound model is available, or NULL */
  SttG2p *g2p;
} Custom;

static SttModel *
open_base (const char *base, const char *models_dir, GError **error)
{
  SttModel *m = NULL;
  g_autofree char *dir = models_dir && !strchr (base, '/') ?
      g_build_filename (models_dir, base, NULL) : NULL;
  g_autofree char *manifest = dir ? g_build_filename (dir, "manifest.json", NULL) : NULL;
  if (manifest && g_file_test (manifest, G_FILE_TEST_IS_REGULAR))
    m = stt_model_open (dir, error);
  else
    m = stt_model_cache_lookup (base, error);
  if (!m)
    return NULL;
  const char *kind = stt_model_get_kind (m);
  if (g_strcmp0 (kind, "base") && g_strcmp0 (kind, "custom")) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_MANIFEST, "model %s is a \"%s\" model; "
        "--base must name a base or custom model", base, kind);
    stt_model_unref (m);
    return NULL;
  }
  for (guint i = 0; rebuilt[i]; i++) {
    if (!g_strv_contains (stt_model_list_files (m), rebuilt[i])) {
      g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_NOT_FOUND, "model %s has no %s; a "
          "custom model needs a base with an LM, a lexicon and a decoding graph", base,
          rebuilt[i]);
      stt_model_unref (m);
      return NULL;
    }
  }
  return m;
}

/* The base model's letter-to-sound model; without one, the note says why. */
static void
open_g2p (Custom *c)
{
  GError *error = NULL;
  c->g2p = stt_g2p_new_for_model (c->base, &error);
  if (!c->g2p) {
    c->g2p_note = g_strdup (error->message);
    g_error_free (error);
  }
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* A pronunciation for every word of the text the base lexicon lacks; the --pron entries (also
 * for known words: they become alternates). Words nobody can pronounce go to @missing. */
static void
collect_new_words (Custom *c, GString *missing, guint *n_missing)
{
  GHashTable *in_file = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; c->prons && i < c->prons->len; i++) {
    SttCustomPron *p = g_ptr_array_index (c->prons, i);
    NewWord *w = g_new0 (NewWord, 1);
    w->word = g_strdup (p->word);
    w->source = "pron file";
    w->phones = p->phones;
    w->line = p->line;
    g_ptr_array_add (c->new_words, w);
    g_hash_table_add (in_file, p->word);
  }
  guint n_words;
  g_autofree gpointer *words = g_hash_table_get_keys_as_array (c->text.counts, &n_words);
  qsort (words, n_words, sizeof *words, compare_strings);
  for (guint i = 0; i < n_words; i++) {
    const char *word = words[i];
    if (g_hash_table_contains (in_file, word))
      continue;
    if (stt_lexicon_lookup (c->lex, word) >= 0) {
      if (stt_lm_word_id (c->lm, word) == STT_LM_NO_WORD)
        g_ptr_array_add (c->from_dict, g_strdup (word));
      continue;
    }
    const char *why = NULL;
    g_autoptr (GError) error = NULL;
    GPtrArray *guess = c->g2p ? stt_g2p_pronounce (c->g2p, word, 1, &error) : NULL;
    if (guess && guess->len) {
      SttG2pPron *best = g_ptr_array_index (guess, 0);
      NewWord *w = g_new0 (NewWord, 1);
      w->word = g_strdup (word);
      w->source = "letter-to-sound";
      w->phones = g_strdupv (best->phones);
      w->owned = TRUE;
      g_ptr_array_add (c->new_words, w);
      g_ptr_array_unref (guess);
      continue;
    }
    if (guess)
      g_ptr_array_unref (guess);
    if (error)
      why = error->message;
    if (*n_missing < 20)
      g_string_append_printf (missing, "\n  %s%s%s%s", word, why ? " (" : "", why ? why : "",
          why ? ")" : "");
    (*n_missing)++;
  }
  g_hash_table_unref (in_file);
}

static gboolean
read_inputs (Custom *c, const char *text_path, const char *pron_path, GError **error)
{
  g_autoptr (GMappedFile) map = g_mapped_file_new (text_path, FALSE, error);
  if (!map) {
    g_prefix_error (error, "cannot read the text: ");
    return FALSE;
  }
  const char *text = g_mapped_file_get_contents (map);
  if (!stt_custom_text_parse (&c->text, text ? text : "", g_mapped_file_get_length (map),
          text_path, error))
    return FALSE;
  if (!(c->lex = stt_lexicon_new_from_model (c->base, "lm/lexicon.bin", error))
      || !(c->lm = stt_lm_new_from_model (c->base, "lm/lm.bin", error))
      || !(c->mdef = stt_mdef_from_model (c->base, error)))
    return FALSE;
  GPtrArray *fillers = g_ptr_array_new ();
  for (int i = 0; i < stt_mdef_n_ciphones (c->mdef); i++)
    if (stt_mdef_is_filler (c->mdef, i))
      g_ptr_array_add (fillers, (gpointer) stt_mdef_ciphone_name (c->mdef, i));
  g_ptr_array_add (fillers, NULL);
  if (pron_path)
    c->prons = stt_custom_pron_read (pron_path, c->lex, (const char *const *) fillers->pdata,
        error);
  g_ptr_array_unref (fillers);
  if (pron_path && !c->prons)
    return FALSE;
  open_g2p (c);
  GString *missing = g_string_new (NULL);
  guint n_missing = 0;
  collect_new_words (c, missing, &n_missing);
  if (n_missing)
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_FORMAT, "%u word%s of the text ha%s "
        "no pronunciation: not in the base dictionary, not in --pron, and %s:%s%s\ngive them "
        "in a pronunciation file (--pron FILE, lines \"word PHONE PHONE ...\")", n_missing,
        n_missing == 1 ? "" : "s", n_missing == 1 ? "s" : "ve",
        c->g2p_note ? c->g2p_note : "letter-to-sound failed", missing->str,
        n_missing > 20 ? "\n  ..." : "");
  g_string_free (missing, TRUE);
  return n_missing == 0;
}

/* The base model's files other than the rebuilt ones, hard-linked (or copied) into the new
 * model, so it is self-contained. */
static gboolean
take_base_files (Custom *c, SttModelWriter *writer, GError **error)
{
  const char *const *files = stt_model_list_files (c->base);
  for (guint i = 0; files[i]; i++) {
    if (g_strv_contains (rebuilt, files[i]))
      continue;
    g_autofree char *src = stt_model_get_path (c->base, files[i], error);
    g_autofree char *dst = src ? stt_model_writer_file_path (writer, files[i], error) : NULL;
    if (!dst)
      return FALSE;
    if (link (src, dst) == 0)
      continue;
    g_autoptr (GFile) from = g_file_new_for_path (src);
    g_autoptr (GFile) to = g_file_new_for_path (dst);
    if (!g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, error)) {
      g_prefix_error (error, "cannot copy %s into the new model: ", src);
      return FALSE;
    }
  }
  return TRUE;
}

static JsonObject *
describe_input (const char *path, GError **error)
{
  g_autofree char *sha = stt_file_sha256 (path, error);
  if (!sha)
    return NULL;
  JsonObject *o = json_object_new ();
  g_autofree char *base = g_path_get_basename (path);
  json_object_set_string_member (o, "file", base);
  json_object_set_string_member (o, "sha256", sha);
  return o;
}

/* properties.custom: inputs, weight, what the text gave, the new words and their sources. */
static gboolean
describe (Custom *c, SttModelWriter *writer, const char *text_path, const char *pron_path,
    double weight, GError **error)
{
  JsonObject *o = json_object_new ();
  json_object_set_object_member (stt_model_writer_get_properties (writer), "custom", o);
  JsonObject *in = describe_input (text_path, error);
  if (!in)
    return FALSE;
  json_object_set_object_member (o, "text", in);
  if (pron_path) {
    if (!(in = describe_input (pron_path, error)))
      return FALSE;
    json_object_set_object_member (o, "pron", in);
  }
  json_object_set_double_member (o, "weight", weight);
  /* every file of the base is in the model (link_base_files): the container needs no base */
  json_object_set_boolean_member (o, "self_contained", TRUE);
  json_object_set_int_member (o, "sentences", c->text.n_sentences);
  json_object_set_int_member (o, "words", c->text.n_words);
  json_object_set_int_member (o, "distinct_words", g_hash_table_size (c->text.counts));
  json_object_set_int_member (o, "number_tokens_left_out", c->text.n_number_tokens);
  JsonArray *nw = json_array_new ();
  for (guint i = 0; i < c->new_words->len; i++) {
    NewWord *w = g_ptr_array_index (c->new_words, i);
    JsonObject *e = json_object_new ();
    json_object_set_string_member (e, "word", w->word);
    json_object_set_string_member (e, "source", w->source);
    g_autofree char *ph = g_strjoinv (" ", w->phones);
    json_object_set_string_member (e, "phones", ph);
    json_array_add_object_element (nw, e);
  }
  json_object_set_array_member (o, "new_words", nw);
  JsonArray *fd = json_array_new ();
  for (guint i = 0; i < c->from_dict->len; i++)
    json_array_add_string_element (fd, g_ptr_array_index (c->from_dict, i));
  json_object_set_array_member (o, "words_from_base_dictionary", fd);
  return TRUE;
}

static void
report_words (Custom *c, guint n_added)
{
  g_print ("new pronunciations: %u (words the base dictionary lacks, and --pron entries)\n",
      n_added);
  for (guint i = 0; i < c->new_words->len; i++) {
    NewWord *w = g_ptr_array_index (c->new_words, i);
    g_autofree char *ph = g_strjoinv (" ", w->phones);
    g_autofree char *where = w->line ? g_strdup_printf ("%s line %u", w->source, w->line)
        : g_strdup (w->source);
    const char *note = stt_lexicon_lookup (c->lex, w->word) >= 0 ? " (alternate to the base "
        "dictionary's)" : !g_hash_table_contains (c->text.counts, w->word) ? " (not in the "
        "text: the LM does not predict it)" : "";
    g_print ("  %-20s %-22s %s%s\n", w->word, where, ph, note);
  }
  g_print ("words of the text from the base dictionary that the base LM lacked: %u%s",
      c->from_dict->len, c->from_dict->len ? " (" : "\n");
  for (guint i = 0; i < MIN (c->from_dict->len, 10); i++)
    g_print ("%s%s", i ? ", " : "", (char *) g_ptr_array_index (c->from_dict, i));
  if (c->from_dict->len)
    g_print ("%s)\n", c->from_dict->len > 10 ? ", ..." : "");
}

static gboolean
build (Custom *c, SttModelWriter *writer, double weight, const char *text_path,
    const char *pron_path, GError **error)
{
  SttCustomText *t = &c->text;
  g_print ("text %s: %u sentences, %u words, %u distinct (lower-cased; punctuation, hyphens "
      "and edge apostrophes split off; docs/custom.md)\n", text_path, t->n_sentences,
      t->n_words, g_hash_table_size (t->counts));
  if (t->n_number_tokens) {
    GString *ex = g_string_new (NULL);
    for (guint i = 0; i < t->number_examples->len; i++)
      g_string_append_printf (ex, "%s%s", i ? ", " : "",
          (char *) g_ptr_array_index (t->number_examples, i));
    g_print ("  left out %u tokens with digits (e.g. %s): write numbers as words to have "
        "them in the LM\n", t->n_number_tokens, ex->str);
    g_string_free (ex, TRUE);
  }
  g_autofree SttLexiconEntry *entries = g_new0 (SttLexiconEntry, c->new_words->len + 1);
  for (guint i = 0; i < c->new_words->len; i++) {
    NewWord *w = g_ptr_array_index (c->new_words, i);
    entries[i].word = w->word;
    entries[i].phones = (const char *const *) w->phones;
  }
  guint n_added;
  g_autoptr (SttLexicon) lex = stt_lexicon_new_extended (c->lex, entries, c->new_words->len,
      &n_added, error);
  if (!lex)
    return FALSE;
  report_words (c, n_added);
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (SttLm) domain = stt_lm_train (t->sentences->str, t->sentences->len, 3, error);
  gint64 t1 = g_get_monotonic_time ();
  g_autoptr (SttLm) mixed = domain ? stt_lm_interpolate (domain, c->lm, weight, error) : NULL;
  gint64 t2 = g_get_monotonic_time ();
  if (!mixed)
    return FALSE;
  g_print ("LM: domain %u/%u/%u n-grams (%.1f s), mixed with the base LM at weight %.2f: "
      "%u/%u/%u (%.1f s)\n", stt_lm_get_count (domain, 1), stt_lm_get_count (domain, 2),
      stt_lm_get_count (domain, 3), (t1 - t0) / 1e6, weight, stt_lm_get_count (mixed, 1),
      stt_lm_get_count (mixed, 2), stt_lm_get_count (mixed, 3), (t2 - t1) / 1e6);
  g_autoptr (GBytes) lm_bytes = stt_lm_get_bytes (mixed);
  g_autoptr (GBytes) lex_bytes = stt_lexicon_get_bytes (lex);
  g_autoptr (SttTmat) tmat = stt_tmat_from_model (c->base, error);
  if (!tmat || !take_base_files (c, writer, error)
      || !stt_model_writer_add_bytes (writer, "lm/lm.bin", lm_bytes, error)
      || !stt_model_writer_add_bytes (writer, "lm/lexicon.bin", lex_bytes, error))
    return FALSE;
  guint missing;
  g_free (stt_lexicon_map_lm (lex, mixed, &missing));
  stt_import_describe_lm (writer, mixed, lex, missing);
  return stt_import_write_graph (writer, c->mdef, tmat, lex, mixed, error)
      && describe (c, writer, text_path, pron_path, weight, error);
}

/* Fail before the work when the id is taken (the commit would refuse it at the end). */
static gboolean
not_installed (const char *models_dir, const char *id, GError **error)
{
  g_autofree char *dir = g_build_filename (models_dir, id, NULL);
  if (!g_file_test (dir, G_FILE_TEST_EXISTS))
    return TRUE;
  g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_IO, "model %s is already installed in "
      "%s; give another --id, or --force to replace it", id, dir);
  return FALSE;
}

static void
custom_clear (Custom *c)
{
  g_clear_pointer (&c->lex, stt_lexicon_unref);
  g_clear_pointer (&c->lm, stt_lm_unref);
  g_clear_pointer (&c->mdef, stt_mdef_unref);
  g_clear_pointer (&c->prons, g_ptr_array_unref);
  g_clear_pointer (&c->new_words, g_ptr_array_unref);
  g_clear_pointer (&c->from_dict, g_ptr_array_unref);
  stt_custom_text_clear (&c->text);
  g_free (c->g2p_note);
  g_clear_pointer (&c->g2p, stt_g2p_unref);
  g_clear_pointer (&c->base, stt_model_unref);
}

/* Name, base, pipeline, and the base's properties (the steps replace lm and decoder). */
static void
describe_model (Custom *c, SttModelWriter *writer, const char *text, const char *name)
{
  g_print ("stt-model custom: base %s (%s)\n", stt_model_get_id (c->base),
      stt_model_get_name (c->base));
  g_autofree char *text_name = g_path_get_basename (text);
  g_autofree char *default_name = g_strdup_printf ("custom (%s) on %s", text_name,
      stt_model_get_name (c->base));
  stt_model_writer_set_name (writer, name ? name : default_name);
  stt_model_writer_set_base_model (writer, stt_model_get_id (c->base));
  stt_model_writer_set_pipeline (writer, stt_model_get_pipeline (c->base));
  JsonObject *props = stt_model_writer_get_properties (writer);
  JsonObject *bp = stt_model_get_properties (c->base);
  g_autoptr (GList) members = json_object_get_members (bp);
  for (GList *l = members; l; l = l->next)
    if (strcmp (l->data, "custom") != 0)
      json_object_set_member (props, l->data, json_node_copy (json_object_get_member (bp,
          l->data)));
}

int
stt_model_cmd_custom (int argc, char **argv)
{
  g_autofree char *base = NULL, *text = NULL, *pron = NULL, *models_dir = NULL, *id = NULL,
      *name = NULL;
  double weight = STT_CUSTOM_DEFAULT_WEIGHT;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
    { "base", 0, 0, G_OPTION_ARG_STRING, &base, "Base model: id (searched in --models-dir, "
      "then the model path) or folder (required)", "ID" },
    { "text", 0, 0, G_OPTION_ARG_FILENAME, &text, "Domain text, UTF-8 (required)", "FILE" },
    { "pron", 0, 0, G_OPTION_ARG_FILENAME, &pron, "Pronunciations: \"word PHONE PHONE ...\" "
      "per line", "FILE" },
    { "weight", 0, 0, G_OPTION_ARG_DOUBLE, &weight, "Weight of the domain LM in the mix, "
      "0 < W < 1 (default " G_STRINGIFY (STT_CUSTOM_DEFAULT_WEIGHT) ")", "W" },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id, "Model id (default: a new random UUID)", "UUID" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Display name", "NAME" },
    { "models-dir", 0, 0, G_OPTION_ARG_FILENAME, &models_dir, "Folder of models to install "
      "into (default: the first folder of the model path)", "D" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Replace an installed model of that id", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_option_context_set_summary (ctx, "Build a custom model: the base model's LM adapted to a "
      "domain text, its lexicon extended with the text's new words (docs/custom.md).");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 1 || !base || !text
      || !(weight > 0 && weight < 1)) {
    g_printerr ("stt-model custom: %s\n", error ? error->message : argc != 1 ? "unexpected "
        "argument; see --help" : !base || !text ? "--base ID and --text FILE are required; "
        "see --help" : "--weight must be between 0 and 1 (exclusive)");
    return 2;
  }
  if (!models_dir) {
    g_auto (GStrv) path = stt_model_path_get ();
    models_dir = g_strdup (path[0]);
  }
  Custom c = { 0 };
  c.new_words = g_ptr_array_new_with_free_func ((GDestroyNotify) new_word_free);
  c.from_dict = g_ptr_array_new_with_free_func (g_free);
  SttModelWriter *writer = NULL;
  g_autofree char *dir = NULL;
  gint64 t0 = g_get_monotonic_time ();
  int status = 1;
  if (!(c.base = open_base (base, models_dir, &error))
      || !read_inputs (&c, text, pron, &error)
      || !(writer = stt_model_writer_new (models_dir, "custom",
              stt_model_get_locale (c.base), &error))
      || (id && !stt_model_writer_set_id (writer, id, &error))
      || (!force && !not_installed (models_dir, stt_model_writer_get_id (writer), &error)))
    goto out;
  describe_model (&c, writer, text, name);
  if (!build (&c, writer, weight, text, pron, &error))
    goto out;
  if (force && !stt_import_remove_installed (models_dir, stt_model_writer_get_id (writer),
          &error))
    goto out;
  dir = stt_model_writer_commit (g_steal_pointer (&writer), &error);
  if (!dir)
    goto out;
  g_print ("built in %.1f s\n%s\n", (g_get_monotonic_time () - t0) / 1e6, dir);
  status = 0;
out:
  if (error)
    g_printerr ("stt-model custom: %s\nno model was written\n", error->message);
  if (writer)
    stt_model_writer_abort (writer);
  custom_clear (&c);
  return status;
}
