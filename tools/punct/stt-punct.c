/* gst-stt — stt-punct: punctuate and capitalize lines of words, and train punct models.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   stt-punct [--model ID|DIR] < words.txt > display.txt
 *   stt-punct train --models-dir DIR [--id UUID] [--split train] [--rnn-hidden N] TEXT...
 *   stt-punct reseg-model --models-dir DIR [--default] [--pause-ms N] [--max-words N] ...
 *
 * See docs/models.md ("Punct models") for the model and the training text.
 */
#include "config.h"
#include "punct-corpus.h"

#include <stdio.h>
#include <stdlib.h>
#include <stt/model.h>
#include <stt/punct.h>
#include <stt/reseg.h>

static int
fail (const char *what, GError *err)
{
  g_printerr ("stt-punct: %s%s%s\n", what, err ? ": " : "", err ? err->message : "");
  g_clear_error (&err);
  return 1;
}

/* Install the model (the writer is consumed) and print its folder; the exit status. */
static int
commit (SttModelWriter *writer)
{
  GError *err = NULL;
  char *dir = stt_model_writer_commit (writer, &err);
  if (!dir)
    return fail ("cannot install the model", err);
  printf ("%s\n", dir);
  g_free (dir);
  return 0;
}

static int
run_punctuate (int argc, char **argv)
{
  char *model_arg = NULL;
  GOptionEntry entries[] = {
    {"model", 'm', 0, G_OPTION_ARG_STRING, &model_arg,
      "Punct model id or folder (default: the en-US model " STT_PUNCT_DEFAULT_MODEL_ID ")",
      "ID|DIR"},
    {NULL},
  };
  GOptionContext *ctx = g_option_context_new ("< words > display text");
  g_option_context_set_summary (ctx, "Reads lower-case unpunctuated lines on stdin and writes "
      "them punctuated and capitalized on stdout, one line per line.\n"
      "Other commands: `stt-punct train --help`.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  GError *err = NULL;
  gboolean ok = g_option_context_parse (ctx, &argc, &argv, &err);
  g_option_context_free (ctx);
  if (!ok)
    return fail ("bad arguments", err);

  SttModel *model = stt_model_cache_lookup (model_arg ? model_arg
      : STT_PUNCT_DEFAULT_MODEL_ID, &err);
  g_free (model_arg);
  if (!model)
    return fail ("cannot open the punct model", err);
  SttPunct *punct = stt_punct_new_from_model (model, &err);
  stt_model_unref (model);
  if (!punct)
    return fail ("cannot load the punct model", err);

  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getline (&line, &cap, stdin)) >= 0) {
    char *out = stt_punct_punctuate (punct, line, STT_PUNCT_FLAG_END_SENTENCE);
    printf ("%s\n", out);
    g_free (out);
  }
  free (line);
  stt_punct_unref (punct);
  if (fflush (stdout) != 0 || ferror (stdin))
    return fail ("reading stdin or writing stdout failed", NULL);
  return 0;
}

/* The documents of @paths' files in @split, for the whole model or (@question_only) for the
 * question model alone. */
static gboolean
add_corpus (SttPunctTrainer *trainer, char **paths, PunctSplit split, gboolean question_only,
    guint *n_files, GError **error)
{
  char **files = punct_corpus_files (paths, split, error);
  if (!files)
    return FALSE;
  gboolean ok = TRUE;
  for (char **f = files; ok && *f; f++) {
    char **docs = punct_corpus_read_documents (*f, error);
    ok = docs != NULL;
    for (char **d = docs; d && *d; d++)
      if (question_only)
        stt_punct_trainer_add_question_document (trainer, *d);
      else
        stt_punct_trainer_add_document (trainer, *d);
    g_strfreev (docs);
    (*n_files)++;
  }
  g_strfreev (files);
  return ok;
}

static int
run_train (int argc, char **argv)
{
  char *models_dir = NULL, *id = NULL, *name = NULL, *locale = NULL, *split_arg = NULL;
  char **question_text = NULL;
  int bits = 0, epochs = 0, hidden = -1, mlp_epochs = 0;
  int rnn_hidden = -1, rnn_epochs = 0, rnn_dim = 0, rnn_window = 0, rnn_members = 0;
  int rnn_layers = 0;
  double rnn_dropout = -1, rnn_lr_end = -1, rnn_question_weight = 0;
  char *rnn_init_lm = NULL, *rnn_init_vectors = NULL;
  int rnn_init_dim = 0;
  gboolean is_default = FALSE, rnn_freeze_init = FALSE;
  GOptionEntry entries[] = {
    {"default", 0, 0, G_OPTION_ARG_NONE, &is_default,
      "Build the default en-US model (its fixed id " STT_PUNCT_DEFAULT_MODEL_ID ")", NULL},
    {"models-dir", 'o', 0, G_OPTION_ARG_FILENAME, &models_dir,
      "Folder to install the model in (as <DIR>/<id>); required", "DIR"},
    {"id", 0, 0, G_OPTION_ARG_STRING, &id, "Model id (default: a new random UUID)", "UUID"},
    {"name", 0, 0, G_OPTION_ARG_STRING, &name, "Model name", "NAME"},
    {"locale", 0, 0, G_OPTION_ARG_STRING, &locale, "Locale (default en-US)", "LOCALE"},
    {"split", 0, 0, G_OPTION_ARG_STRING, &split_arg,
      "Which files to train on: all (default), train (leave out the held-out State of the "
      "Union years ending in 5), test, fit (train without the development years ending in 0), "
      "dev", "all|train|test|fit|dev"},
    {"question-text", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &question_text, "Punctuated text "
      "(a file or folder, all of it) that only the question model learns from, besides TEXT; "
      "may be repeated", "FILE"},
    {"bits", 0, 0, G_OPTION_ARG_INT, &bits, "Weight table of 2^BITS rows (8..24, default 20)",
      "BITS"},
    {"epochs", 0, 0, G_OPTION_ARG_INT, &epochs, "Passes over the text (default 5)", "N"},
    {"hidden", 0, 0, G_OPTION_ARG_INT, &hidden, "Hidden units of the window network (default "
      "none when the sentence network is trained, else 128; 0 = no window network)", "N"},
    {"mlp-epochs", 0, 0, G_OPTION_ARG_INT, &mlp_epochs, "Passes of the window network over the "
      "text (default 2)", "N"},
    {"rnn-hidden", 0, 0, G_OPTION_ARG_INT, &rnn_hidden, "GRU units per direction of the "
      "sentence network (default 128 for texts of 200,000 words or more, else none; 0 = no "
      "network)", "N"},
    {"rnn-epochs", 0, 0, G_OPTION_ARG_INT, &rnn_epochs, "Passes of the sentence network over "
      "the text (default 5)", "N"},
    {"rnn-dim", 0, 0, G_OPTION_ARG_INT, &rnn_dim, "Word embedding size of the sentence network "
      "(default 64)", "N"},
    {"rnn-window", 0, 0, G_OPTION_ARG_INT, &rnn_window, "Words per window of the sentence "
      "network, in training and at run time (default 128)", "N"},
    {"rnn-members", 0, 0, G_OPTION_ARG_INT, &rnn_members, "Sentence networks trained with "
      "different seeds whose log-probabilities are averaged (1..4, default 4)", "N"},
    {"rnn-layers", 0, 0, G_OPTION_ARG_INT, &rnn_layers, "Stacked bidirectional layers of each "
      "sentence network (1..3, default 3)", "N"},
    {"rnn-dropout", 0, 0, G_OPTION_ARG_DOUBLE, &rnn_dropout, "Dropout of the sentence "
      "network's embeddings and output states in training (0..0.9, default 0.3)", "P"},
    {"rnn-lr-end", 0, 0, G_OPTION_ARG_DOUBLE, &rnn_lr_end, "The sentence network's learning "
      "rate falls linearly to this fraction of the first (0..1, default 0.1; 1: no fall)", "F"},
    {"rnn-question-weight", 0, 0, G_OPTION_ARG_DOUBLE, &rnn_question_weight, "Weight of a "
      "question mark in the sentence network's loss (default 1)", "W"},
    {"rnn-init-lm", 0, 0, G_OPTION_ARG_FILENAME, &rnn_init_lm, "Start the sentence network's "
      "word embeddings from word vectors of this LM's bigrams: an LM file (own format, Sphinx "
      "trie or ARPA) or a model folder with lm/lm.bin (default: random)", "PATH"},
    {"rnn-init-dim", 0, 0, G_OPTION_ARG_INT, &rnn_init_dim, "With --rnn-init-lm: the LM "
      "vectors fill the last N numbers of each embedding, the others start random (1..--rnn-dim; "
      "larger is cut to it; default all)", "N"},
    {"rnn-init-vectors", 0, 0, G_OPTION_ARG_FILENAME, &rnn_init_vectors, "Also start them "
      "from this word-vector text file (GloVe, word2vec or fastText text format: a word and its "
      "numbers on each line); its vectors fill the numbers before the LM's (default: none)",
      "FILE"},
    {"rnn-freeze-init", 0, 0, G_OPTION_ARG_NONE, &rnn_freeze_init, "With --rnn-init-lm or "
      "--rnn-init-vectors: keep those vectors fixed in training", NULL},
    {NULL},
  };
  GOptionContext *ctx = g_option_context_new ("TEXT... - train a punct model");
  g_option_context_set_summary (ctx, "Trains a punctuation and capitalization model from "
      "punctuated text: files (documents separated by blank lines) or folders of *.txt files.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  GError *err = NULL;
  int status = 1;
  PunctSplit split = PUNCT_SPLIT_ALL;
  SttPunctTrainer *trainer = NULL;
  SttModelWriter *writer = NULL;
  GBytes *bytes = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    fail ("bad arguments", err);
    goto out;
  }
  if (is_default && !id)
    id = g_strdup (STT_PUNCT_DEFAULT_MODEL_ID);
  if (is_default && !name)
    name = g_strdup ("en-US punctuation and capitalization (State of the Union)");
  if (!models_dir || argc < 2) {
    g_printerr ("stt-punct train: give --models-dir and at least one text file or folder\n");
    goto out;
  }
  if (split_arg && !punct_split_from_string (split_arg, &split)) {
    g_printerr ("stt-punct train: --split is all, train, test, fit or dev, not \"%s\"\n",
        split_arg);
    goto out;
  }
  if (bits && (bits < 8 || bits > 24)) {
    g_printerr ("stt-punct train: --bits must be 8..24, not %d\n", bits);
    goto out;
  }
  if (hidden < -1 || hidden > 1024) {
    g_printerr ("stt-punct train: --hidden must be 0..1024, not %d\n", hidden);
    goto out;
  }
  if (rnn_hidden < -1 || rnn_hidden > 512 || rnn_epochs < 0 || rnn_dim < 0 || rnn_dim > 256
      || rnn_window < 0 || rnn_window > 1024) {
    g_printerr ("stt-punct train: --rnn-hidden must be 0..512, --rnn-dim 1..256, --rnn-window "
        "1..1024 and --rnn-epochs positive\n");
    goto out;
  }
  if (rnn_layers < 0 || rnn_layers > 3) {
    g_printerr ("stt-punct train: --rnn-layers must be 1, 2 or 3, not %d\n", rnn_layers);
    goto out;
  }
  if (rnn_members < 0 || rnn_members > 4 || (rnn_dropout != -1 && (rnn_dropout < 0
          || rnn_dropout > 0.9))
      || (rnn_lr_end != -1 && (rnn_lr_end < 0 || rnn_lr_end > 1))
      || rnn_question_weight < 0 || rnn_question_weight > 100) {
    g_printerr ("stt-punct train: --rnn-members must be 1..4, --rnn-dropout 0..0.9, "
        "--rnn-lr-end 0..1 and --rnn-question-weight 0..100\n");
    goto out;
  }
  if (rnn_init_dim && !rnn_init_lm) {
    g_printerr ("stt-punct train: --rnn-init-dim needs --rnn-init-lm\n");
    goto out;
  }
  if (rnn_freeze_init && !rnn_init_lm && !rnn_init_vectors) {
    g_printerr ("stt-punct train: --rnn-freeze-init needs --rnn-init-lm or --rnn-init-vectors\n");
    goto out;
  }
  if (rnn_init_vectors && !g_file_test (rnn_init_vectors, G_FILE_TEST_IS_REGULAR)) {
    g_printerr ("stt-punct train: --rnn-init-vectors %s is not a file; give a word-vector text "
        "file (GloVe, word2vec or fastText text format)\n", rnn_init_vectors);
    goto out;
  }
  if (rnn_init_dim < 0 || rnn_init_dim > (rnn_dim ? rnn_dim : 256)) {
    g_printerr ("stt-punct train: --rnn-init-dim must be 1..--rnn-dim (the embedding size), "
        "not %d\n", rnn_init_dim);
    goto out;
  }
  if (rnn_init_lm && !g_file_test (rnn_init_lm, G_FILE_TEST_EXISTS)) {
    g_printerr ("stt-punct train: --rnn-init-lm %s does not exist; give an LM file or a model "
        "folder with lm/lm.bin\n", rnn_init_lm);
    goto out;
  }
  /* -1: not given (the default network); 0: none */
  SttPunctTrainOptions opts = { (guint) MAX (bits, 0), (guint) MAX (epochs, 0),
    hidden < 0 ? 0 : hidden == 0 ? -1 : hidden, (guint) MAX (mlp_epochs, 0),
    rnn_hidden < 0 ? 0 : rnn_hidden == 0 ? -1 : rnn_hidden, (guint) rnn_epochs,
    (guint) rnn_dim, (guint) rnn_window, (guint) rnn_members,
    /* -1: not given (the defaults, which the options spell 0); --rnn-dropout 0: none (the
     * options' negative); --rnn-lr-end 0: a fall to (almost) nothing */
    rnn_dropout == -1 ? 0 : rnn_dropout == 0 ? -1 : rnn_dropout,
    rnn_lr_end < 0 ? 0 : rnn_lr_end == 0 ? 1e-6 : rnn_lr_end,
    rnn_question_weight, rnn_init_lm, (guint) rnn_init_dim, rnn_freeze_init, rnn_init_vectors,
    (guint) rnn_layers };
  trainer = stt_punct_trainer_new (&opts);
  guint n_files = 0;
  if (!add_corpus (trainer, argv + 1, split, FALSE, &n_files, &err)) {
    fail ("cannot read the training text", err);
    goto out;
  }
  guint n_question_files = 0;
  if (question_text && !add_corpus (trainer, question_text, PUNCT_SPLIT_ALL, TRUE,
          &n_question_files, &err)) {
    fail ("cannot read the --question-text", err);
    goto out;
  }
  g_printerr ("stt-punct train: %u files, %" G_GUINT64_FORMAT " words\n", n_files,
      stt_punct_trainer_get_n_words (trainer));
  bytes = stt_punct_trainer_finish (trainer, &err);
  if (!bytes) {
    fail ("training failed", err);
    goto out;
  }
  writer = stt_model_writer_new (models_dir, "punct", locale ? locale : "en-US", &err);
  if (!writer || (id && !stt_model_writer_set_id (writer, id, &err))) {
    fail ("cannot create the model", err);
    goto out;
  }
  stt_model_writer_set_name (writer, name ? name : "punctuation and capitalization");
  stt_model_writer_set_pipeline (writer, "sttpunct");
  JsonObject *props = stt_model_writer_get_properties (writer);
  json_object_set_int_member (props, "training_words",
      (gint64) stt_punct_trainer_get_n_words (trainer));
  json_object_set_string_member (props, "split", split_arg ? split_arg : "all");
  if (!stt_model_writer_add_bytes (writer, STT_PUNCT_MODEL_FILE, bytes, &err)) {
    fail ("cannot write the model", err);
    goto out;
  }
  status = commit (writer);
  writer = NULL;
out:
  if (writer)
    stt_model_writer_abort (writer);
  g_clear_pointer (&bytes, g_bytes_unref);
  stt_punct_trainer_free (trainer);
  g_option_context_free (ctx);
  g_free (models_dir);
  g_free (id);
  g_free (name);
  g_free (locale);
  g_free (split_arg);
  g_free (rnn_init_lm);
  g_free (rnn_init_vectors);
  g_strfreev (question_text);
  return status;
}

/* A resegment display model: a manifest carrying sttreseg's settings, no files. */
static int
run_reseg_model (int argc, char **argv)
{
  char *models_dir = NULL, *id = NULL, *locale = NULL;
  gboolean is_default = FALSE, no_sentences = FALSE;
  int pause_ms = STT_RESEG_DEFAULT_PAUSE_MS, max_words = STT_RESEG_DEFAULT_MAX_WORDS;
  double max_seconds = STT_RESEG_DEFAULT_MAX_SECONDS;
  GOptionEntry entries[] = {
    {"models-dir", 'o', 0, G_OPTION_ARG_FILENAME, &models_dir,
      "Folder to install the model in (as <DIR>/<id>); required", "DIR"},
    {"default", 0, 0, G_OPTION_ARG_NONE, &is_default,
      "The default model (fixed id " STT_RESEG_DEFAULT_MODEL_ID ")", NULL},
    {"id", 0, 0, G_OPTION_ARG_STRING, &id, "Model id (default: a new random UUID)", "UUID"},
    {"locale", 0, 0, G_OPTION_ARG_STRING, &locale, "Locale (default en-US)", "LOCALE"},
    {"pause-ms", 0, 0, G_OPTION_ARG_INT, &pause_ms, "Cut at silences of at least N ms", "N"},
    {"max-words", 0, 0, G_OPTION_ARG_INT, &max_words, "At most N words per segment", "N"},
    {"max-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &max_seconds, "At most S seconds per segment",
      "S"},
    {"no-sentences", 0, 0, G_OPTION_ARG_NONE, &no_sentences, "Do not cut at sentence ends",
      NULL},
    {NULL},
  };
  GOptionContext *ctx = g_option_context_new ("- write a resegment display model for sttreseg");
  g_option_context_add_main_entries (ctx, entries, NULL);
  GError *err = NULL;
  int status = 1;
  SttModelWriter *writer = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    fail ("bad arguments", err);
    goto out;
  }
  if (!models_dir || pause_ms < 0 || max_words < 0 || max_seconds < 0) {
    g_printerr ("stt-punct reseg-model: give --models-dir; settings cannot be negative\n");
    goto out;
  }
  writer = stt_model_writer_new (models_dir, "resegment", locale ? locale : "en-US", &err);
  if (!writer || ((id || is_default) && !stt_model_writer_set_id (writer,
              id ? id : STT_RESEG_DEFAULT_MODEL_ID, &err))) {
    fail ("cannot create the model", err);
    goto out;
  }
  stt_model_writer_set_name (writer, "display resegmentation");
  stt_model_writer_set_pipeline (writer, "sttreseg");
  SttResegOptions o = { (guint) pause_ms, (guint) max_words, max_seconds, !no_sentences };
  stt_reseg_options_to_json (&o, stt_model_writer_get_properties (writer));
  status = commit (writer);
  writer = NULL;
out:
  if (writer)
    stt_model_writer_abort (writer);
  g_option_context_free (ctx);
  g_free (models_dir);
  g_free (id);
  g_free (locale);
  return status;
}

int
main (int argc, char **argv)
{
  if (argc > 1 && g_str_equal (argv[1], "reseg-model"))
    return run_reseg_model (argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "train"))
    return run_train (argc - 1, argv + 1);
  return run_punctuate (argc, argv);
}
