/* gst-stt — punctuation and capitalization benchmark on held-out punctuated text.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   punct-bench [--model ID|DIR] [--split test|all|train] TEXT...
 *
 * Every document of the held-out files is tokenized into words and the marks after them
 * (stt_punct_tokenize), lower-cased with its punctuation removed, and given to the model as
 * one stream of words. The model's marks are scored against the text's (precision, recall and
 * F1 per mark) and its written forms against the text's (capitalization: a word counts as
 * capitalized when it has an upper-case letter; a hit needs the exact written form).
 * The peer in the same run is the baseline every punctuator must beat: no marks but a period
 * at the end, a capital at the start, every other word lower case. The question model is
 * also scored alone, on each of the text's sentences (stt_punct_question_score).
 */
#include "config.h"
#include "punct-corpus.h"

#include <stdio.h>
#include <string.h>
#include <stt/punct.h>

typedef struct {
  guint64 tp[STT_PUNCT_N_LABELS], fp[STT_PUNCT_N_LABELS], fn[STT_PUNCT_N_LABELS];
  guint64 case_tp, case_fp, case_fn;
  guint64 words;
  guint64 question_as_period, question_as_comma, question_as_none;
} Score;

static gboolean
has_upper (const char *s)
{
  for (; *s; s = g_utf8_next_char (s))
    if (g_unichar_isupper (g_utf8_get_char (s)))
      return TRUE;
  return FALSE;
}

static void
score_doc (Score *sc, GArray *tokens, const SttPunctLabel *labels, char **cased)
{
  for (guint i = 0; i < tokens->len; i++) {
    const SttPunctToken *t = &g_array_index (tokens, SttPunctToken, i);
    for (guint l = 1; l < STT_PUNCT_N_LABELS; l++) {
      gboolean ref = t->label == l, hyp = labels[i] == l;
      sc->tp[l] += ref && hyp;
      sc->fp[l] += hyp && !ref;
      sc->fn[l] += ref && !hyp;
    }
    if (t->label == STT_PUNCT_QUESTION) {
      sc->question_as_period += labels[i] == STT_PUNCT_PERIOD;
      sc->question_as_comma += labels[i] == STT_PUNCT_COMMA;
      sc->question_as_none += labels[i] == STT_PUNCT_NONE;
    }
    gboolean same = strcmp (cased[i], t->cased) == 0;
    sc->case_tp += has_upper (t->cased) && same;
    sc->case_fp += has_upper (cased[i]) && !same;
    sc->case_fn += has_upper (t->cased) && !same;
    sc->words++;
  }
}

/* The written forms a sequence of marks implies. */
static char **
case_words (const SttPunct *punct, const char *const *words, guint n,
    const SttPunctLabel *labels, gboolean lower)
{
  if (!lower)
    return stt_punct_case_words (punct, words, n, labels);
  char **out = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++) {
    gboolean start = i == 0 || labels[i - 1] == STT_PUNCT_PERIOD
        || labels[i - 1] == STT_PUNCT_QUESTION;
    out[i] = g_strdup (words[i]);
    if (start)
      out[i][0] = g_ascii_toupper (out[i][0]);
  }
  return out;
}

/* The question model alone at the text's own sentence ends (each sentence of the text given
 * to it whole): its question-mark hits, false alarms and misses. */
static void
score_questions (const SttPunct *punct, GArray *tokens, const char *const *words,
    guint64 *tp, guint64 *fp, guint64 *fn)
{
  guint first = 0;
  for (guint i = 0; i < tokens->len; i++) {
    SttPunctLabel ref = g_array_index (tokens, SttPunctToken, i).label;
    if (ref != STT_PUNCT_PERIOD && ref != STT_PUNCT_QUESTION && i + 1 < tokens->len)
      continue;
    float qs = stt_punct_question_score (punct, words + first, i + 1 - first);
    gboolean hyp = qs > 0;
    *tp += hyp && ref == STT_PUNCT_QUESTION;
    *fp += hyp && ref != STT_PUNCT_QUESTION;
    *fn += !hyp && ref == STT_PUNCT_QUESTION;
    first = i + 1;
  }
}

static double
f1 (guint64 tp, guint64 fp, guint64 fn, double *p, double *r)
{
  *p = tp + fp ? (double) tp / (tp + fp) : 0.0;
  *r = tp + fn ? (double) tp / (tp + fn) : 0.0;
  return *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0.0;
}

static void
report (const char *name, const Score *sc, const Score *peer)
{
  static const char *const marks[] = { NULL, "comma", "period", "question" };
  double p, r, pp, pr;
  printf ("%s (%" G_GUINT64_FORMAT " words)\n", name, sc->words);
  printf ("  %-16s %9s %9s %9s %9s   %s\n", "", "precision", "recall", "F1", "support",
      "F1 of peer");
  for (guint l = 1; l < STT_PUNCT_N_LABELS; l++) {
    double f = f1 (sc->tp[l], sc->fp[l], sc->fn[l], &p, &r);
    double pf = f1 (peer->tp[l], peer->fp[l], peer->fn[l], &pp, &pr);
    printf ("  %-16s %9.3f %9.3f %9.3f %9" G_GUINT64_FORMAT "   %.3f\n", marks[l], p, r, f,
        sc->tp[l] + sc->fn[l], pf);
  }
  double f = f1 (sc->case_tp, sc->case_fp, sc->case_fn, &p, &r);
  double pf = f1 (peer->case_tp, peer->case_fp, peer->case_fn, &pp, &pr);
  printf ("  %-16s %9.3f %9.3f %9.3f %9" G_GUINT64_FORMAT "   %.3f\n", "capitalization", p, r,
      f, sc->case_tp + sc->case_fn, pf);
  printf ("  the text's question marks written as: question %" G_GUINT64_FORMAT ", period %"
      G_GUINT64_FORMAT ", comma %" G_GUINT64_FORMAT ", nothing %" G_GUINT64_FORMAT "\n",
      sc->tp[STT_PUNCT_QUESTION], sc->question_as_period, sc->question_as_comma,
      sc->question_as_none);
}

int
main (int argc, char **argv)
{
  char *model_arg = NULL, *split_arg = NULL, *dump_arg = NULL;
  GOptionEntry entries[] = {
    {"dump", 0, 0, G_OPTION_ARG_FILENAME, &dump_arg, "Write every scored word to FILE: the "
      "text's mark and written form, then the model's (for error analysis)", "FILE"},
    {"model", 'm', 0, G_OPTION_ARG_STRING, &model_arg, "Punct model id or folder", "ID|DIR"},
    {"split", 0, 0, G_OPTION_ARG_STRING, &split_arg, "Files to score: test (default), all, "
      "train, fit, dev (tune on dev, never on test)", "SPLIT"},
    {NULL},
  };
  GOptionContext *ctx = g_option_context_new ("TEXT... - punctuation benchmark");
  g_option_context_add_main_entries (ctx, entries, NULL);
  GError *err = NULL;
  PunctSplit split = PUNCT_SPLIT_TEST;
  if (!g_option_context_parse (ctx, &argc, &argv, &err) || argc < 2
      || (split_arg && !punct_split_from_string (split_arg, &split))) {
    g_printerr ("punct-bench: %s\n", err ? err->message : "give held-out text files or "
        "folders; --split is test, all, train, fit or dev");
    return 2;
  }
  g_option_context_free (ctx);
  SttModel *model = stt_model_cache_lookup (model_arg ? model_arg : STT_PUNCT_DEFAULT_MODEL_ID,
      &err);
  SttPunct *punct = model ? stt_punct_new_from_model (model, &err) : NULL;
  char **files = punct ? punct_corpus_files (argv + 1, split, &err) : NULL;
  if (!files) {
    g_printerr ("punct-bench: %s\n", err->message);
    return 1;
  }
  FILE *dump = dump_arg ? fopen (dump_arg, "w") : NULL;
  if (dump_arg && !dump) {
    g_printerr ("punct-bench: cannot write %s\n", dump_arg);
    return 1;
  }
  Score sc = { 0 }, peer = { 0 }, oracle = { 0 };
  guint64 q_tp = 0, q_fp = 0, q_fn = 0;
  gint64 busy = 0;
  guint n_files = 0;
  for (char **f = files; *f; f++, n_files++) {
    char **docs = punct_corpus_read_documents (*f, &err);
    if (!docs) {
      g_printerr ("punct-bench: %s\n", err->message);
      return 1;
    }
    for (char **d = docs; *d; d++) {
      GArray *tokens = stt_punct_tokenize (*d);
      guint n = tokens->len;
      const char **words = g_new (const char *, n + 1);
      for (guint i = 0; i < n; i++)
        words[i] = g_array_index (tokens, SttPunctToken, i).word;
      SttPunctLabel *labels = g_new (SttPunctLabel, n + 1);
      gint64 t0 = g_get_monotonic_time ();
      stt_punct_predict (punct, words, n, NULL, STT_PUNCT_FLAG_END_SENTENCE, labels);
      char **cased = case_words (punct, words, n, labels, FALSE);
      busy += g_get_monotonic_time () - t0;
      score_doc (&sc, tokens, labels, cased);
      if (dump)
        fprintf (dump, "#\t%s\n", *f);
      for (guint i = 0; dump && i < n; i++) {
        const SttPunctToken *t = &g_array_index (tokens, SttPunctToken, i);
        fprintf (dump, "%s\t%c\t%s\t%c\n", t->cased, stt_punct_label_char (t->label) ?: '_',
            cased[i], stt_punct_label_char (labels[i]) ?: '_');
      }
      g_strfreev (cased);
      /* casing alone: the written forms given the text's own sentence starts */
      for (guint i = 0; i < n; i++)
        labels[i] = g_array_index (tokens, SttPunctToken, i).label;
      cased = case_words (punct, words, n, labels, FALSE);
      score_doc (&oracle, tokens, labels, cased);
      score_questions (punct, tokens, words, &q_tp, &q_fp, &q_fn);
      g_strfreev (cased);
      /* the peer: a period at the end only, a capital at the start only */
      for (guint i = 0; i < n; i++)
        labels[i] = i + 1 == n ? STT_PUNCT_PERIOD : STT_PUNCT_NONE;
      cased = case_words (punct, words, n, labels, TRUE);
      score_doc (&peer, tokens, labels, cased);
      g_strfreev (cased);
      g_free (labels);
      g_free (words);
      g_array_unref (tokens);
    }
    g_strfreev (docs);
  }
  printf ("punct-bench: model %s, %u files (split %s)\n", stt_model_get_dir (model), n_files,
      split_arg ? split_arg : "test");
  report ("sttpunct model", &sc, &peer);
  double p, r;
  printf ("  capitalization given the text's own sentence ends: F1 %.3f\n",
      f1 (oracle.case_tp, oracle.case_fp, oracle.case_fn, &p, &r));
  double qf = f1 (q_tp, q_fp, q_fn, &p, &r);
  printf ("  question marks given the text's own sentence ends (the question model alone): "
      "precision %.3f, recall %.3f, F1 %.3f (%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
      ")\n", p, r, qf, q_tp, q_tp + q_fn);
  printf ("  speed: %.0f words/s on one core (peer: no model)\n",
      busy > 0 ? sc.words / (busy / 1e6) : 0.0);
  g_strfreev (files);
  stt_punct_unref (punct);
  stt_model_unref (model);
  g_free (model_arg);
  g_free (split_arg);
  g_free (dump_arg);
  if (dump && fclose (dump) != 0) {
    g_printerr ("punct-bench: writing the dump failed\n");
    return 1;
  }
  return 0;
}
