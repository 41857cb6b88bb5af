/* gst-stt — `stt-model g2p` and `stt-model g2p-eval`: a model's letter-to-sound, from the shell.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   stt-model g2p [--model ID|DIR | --file G2P.BIN] [--nbest N] [--scores] WORD...
 *     prints "word PH PH ..." (Sphinx dictionary lines; N-best as word(2), word(3)...)
 *   stt-model g2p-eval [--model ID|DIR | --file G2P.BIN] [--dict FILE] [--max N]
 *     phone and word error rates on the words the model's training held out
 */
#include "stt-model.h"

#include <stdio.h>
#include <stt/g2p.h>


/* The letter-to-sound model of @model_id (or @file); *model set when it came from a model. */
static SttG2p *
open_g2p (const char *model_id, const char *file, SttModel **model, GError **error)
{
  if (file)
    return stt_g2p_load (file, error);
  *model = stt_model_cache_lookup (model_id ? model_id : STT_DEFAULT_MODEL_ID, error);
  if (!*model)
    return NULL;
  return stt_g2p_new_for_model (*model, error);
}

static void
print_pron (const char *word, guint rank, const SttG2pPron *p, gboolean scores)
{
  g_autofree char *phones = g_strjoinv (" ", p->phones);
  g_autofree char *name = rank ? g_strdup_printf ("%s(%u)", word, rank + 1) : g_strdup (word);
  if (scores)
    printf ("%s %s\t%.3f\n", name, phones, p->score);
  else
    printf ("%s %s\n", name, phones);
}

int
stt_model_cmd_g2p (int argc, char **argv)
{
  g_autofree char *model_id = NULL, *file = NULL;
  gint nbest = 1;
  gboolean scores = FALSE;
  GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_STRING, &model_id, "Model id or folder (default: the "
      "default model)", "ID|DIR" },
    { "file", 0, 0, G_OPTION_ARG_FILENAME, &file, "A letter-to-sound file instead of a model",
      "G2P.BIN" },
    { "nbest", 0, 0, G_OPTION_ARG_INT, &nbest, "Pronunciations per word (default 1)", "N" },
    { "scores", 0, 0, G_OPTION_ARG_NONE, &scores, "Append each pronunciation's natural-log "
      "probability", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("WORD...");
  g_option_context_set_summary (ctx, "Guess pronunciations of words (e.g. words missing from "
      "the dictionary) with the model's letter-to-sound model; prints Sphinx dictionary lines.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc < 2 || nbest < 1) {
    g_printerr ("stt-model g2p: %s\n", error ? error->message : argc < 2
        ? "expected one or more words; see --help" : "--nbest must be at least 1");
    return 2;
  }
  g_autoptr (SttModel) model = NULL;
  g_autoptr (SttG2p) g2p = open_g2p (model_id, file, &model, &error);
  if (!g2p) {
    g_printerr ("stt-model g2p: %s\n", error->message);
    return 1;
  }
  int status = 0;
  for (int i = 1; i < argc; i++) {
    g_autoptr (GPtrArray) prons = stt_g2p_pronounce (g2p, argv[i], (guint) nbest, &error);
    if (!prons) {
      g_printerr ("stt-model g2p: %s\n", error->message);
      g_clear_error (&error);
      status = 1;
      continue;
    }
    for (guint k = 0; k < prons->len; k++)
      print_pron (argv[i], k, prons->pdata[k], scores);
  }
  return status;
}

int
stt_model_cmd_g2p_eval (int argc, char **argv)
{
  g_autofree char *model_id = NULL, *file = NULL, *dict = NULL;
  gint max = 0;
  GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_STRING, &model_id, "Model id or folder (default: the "
      "default model)", "ID|DIR" },
    { "file", 0, 0, G_OPTION_ARG_FILENAME, &file, "A letter-to-sound file instead of a model "
      "(needs --dict)", "G2P.BIN" },
    { "dict", 0, 0, G_OPTION_ARG_FILENAME, &dict, "Sphinx dictionary to take the held-out "
      "words from (default: the model's lexicon, lm/lexicon.bin)", "FILE" },
    { "max", 0, 0, G_OPTION_ARG_INT, &max, "Only the first N held-out words", "N" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_option_context_set_summary (ctx, "Phone and word error rates of the letter-to-sound model "
      "on the dictionary words its training held out (docs/g2p.md).");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 1 || max < 0
      || (file && !dict)) {
    g_printerr ("stt-model g2p-eval: %s\n", error ? error->message : file && !dict
        ? "--file needs --dict (the dictionary to evaluate on)" : "unexpected arguments; see "
        "--help");
    return 2;
  }
  g_autoptr (SttModel) model = NULL;
  g_autoptr (SttG2p) g2p = open_g2p (model_id, file, &model, &error);
  g_autoptr (SttLexicon) lex = NULL;
  SttG2pEval ev;
  gboolean ok = g2p != NULL;
  if (ok && dict)
    ok = stt_g2p_evaluate (g2p, dict, (guint) max, &ev, &error);
  else if (ok) {
    lex = stt_lexicon_new_from_model (model, "lm/lexicon.bin", &error);
    ok = lex && stt_g2p_evaluate_lexicon (g2p, lex, (guint) max, &ev, &error);
  }
  if (!ok) {
    g_printerr ("stt-model g2p-eval: %s\n", error->message);
    return 1;
  }
  printf ("held-out words    %u (1 in %u of the dictionary), %u not pronounceable\n",
      ev.n_words, stt_g2p_get_held_out_every (g2p), ev.n_failed);
  printf ("phone error rate  %.2f %% (%" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT " phones)\n",
      100.0 * ev.per, ev.n_phone_errors, ev.n_ref_phones);
  printf ("word error rate   %.2f %% (%u / %u words)\n", 100.0 * ev.wer, ev.n_word_errors,
      ev.n_words);
  printf ("speed             %.0f words/s\n", ev.n_words / MAX (ev.seconds, 1e-9));
  return 0;
}
