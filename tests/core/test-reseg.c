/* gst-stt — resegmentation rules: never a word lost or repeated, limits kept, model settings.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <stt/reseg.h>
#include "punct-testutil.h"

/* A final result of @n random words with random pauses, and a Display text with random
 * sentence ends (one token per word, or a misaligned one when @aligned is FALSE). */
static SttResult *
random_result (GRand *rng, guint n, gboolean aligned)
{
  static const char *const vocab[] = { "we", "the", "people", "will", "build", "a", "future" };
  SttResult *r = stt_result_new (STT_RESULT_FINAL);
  SttHypothesis *h = stt_result_add_hypothesis (r);
  stt_result_add_hypothesis (r);  /* an alternative, which cut results cannot keep */
  GString *display = g_string_new (NULL);
  gint64 t = g_rand_int_range (rng, 0, 100000000);
  r->offset = t;
  for (guint i = 0; i < n; i++) {
    const char *w = vocab[g_rand_int_range (rng, 0, G_N_ELEMENTS (vocab))];
    gint64 dur = g_rand_int_range (rng, 0, 8000000);
    stt_hypothesis_add_word (h, w, t, dur, g_rand_double (rng));
    t += dur + (g_rand_boolean (rng) ? 0 : g_rand_int_range (rng, 0, 15000000));
    g_string_append_printf (display, "%s%s%s", i ? " " : "", w,
        g_rand_int_range (rng, 0, 8) == 0 ? "." : g_rand_int_range (rng, 0, 8) == 0 ? "?" : "");
  }
  if (!aligned)
    g_string_append (display, " extra.");
  r->duration = t - r->offset;
  char *lex = stt_hypothesis_join_words (h);
  stt_hypothesis_set_text (h, STT_TEXT_LEXICAL, lex);
  stt_hypothesis_set_text (h, STT_TEXT_DISPLAY, display->str);
  g_free (lex);
  g_string_free (display, TRUE);
  return r;
}

static void
check_segments (SttResult *in, GPtrArray *segs, const SttResegOptions *o)
{
  SttHypothesis *h = stt_result_get_best (in);
  guint n = stt_hypothesis_get_n_words (h), k = 0;
  g_assert_cmpuint (segs->len, >=, 1);
  if (segs->len == 1) {
    g_assert_true (segs->pdata[0] == in);
    return;
  }
  for (guint s = 0; s < segs->len; s++) {
    SttResult *seg = segs->pdata[s];
    SttHypothesis *sh = stt_result_get_best (seg);
    guint m = stt_hypothesis_get_n_words (sh);
    g_assert_cmpint (seg->kind, ==, STT_RESULT_FINAL);
    g_assert_cmpuint (m, >=, 1);
    if (o->max_words)
      g_assert_cmpuint (m, <=, o->max_words);
    const SttWord *first = stt_hypothesis_get_word (sh, 0), *last = stt_hypothesis_get_word (sh,
        m - 1);
    g_assert_cmpint (seg->offset, ==, first->offset);
    g_assert_cmpint (seg->duration, ==, last->offset + last->duration - first->offset);
    if (o->max_seconds > 0 && m > 1)
      g_assert_cmpint (seg->duration, <=, (gint64) (o->max_seconds * STT_TICKS_PER_SECOND));
    char *lex = stt_hypothesis_join_words (sh);
    g_assert_cmpstr (stt_hypothesis_get_text (sh, STT_TEXT_LEXICAL), ==, lex);
    g_free (lex);
    for (guint i = 0; i < m; i++, k++) {
      const SttWord *a = stt_hypothesis_get_word (h, k), *b = stt_hypothesis_get_word (sh, i);
      g_assert_cmpstr (a->word, ==, b->word);
      g_assert_cmpint (a->offset, ==, b->offset);
      g_assert_cmpint (a->duration, ==, b->duration);
    }
  }
  g_assert_cmpuint (k, ==, n);
}

static void
test_random_phrasings (void)
{
  GRand *rng = g_rand_new_with_seed (7);
  for (guint iter = 0; iter < 3000; iter++) {
    SttResegOptions o = {
      g_rand_int_range (rng, 0, 3) * 400, g_rand_int_range (rng, 0, 12),
      g_rand_int_range (rng, 0, 4) * 1.5, g_rand_boolean (rng),
    };
    SttResult *r = random_result (rng, g_rand_int_range (rng, 0, 120), iter % 5 != 0);
    GPtrArray *segs = stt_reseg_split (r, &o);
    if (stt_hypothesis_get_n_words (stt_result_get_best (r)) > 0)
      check_segments (r, segs, &o);
    else
      g_assert_true (segs->len == 1 && segs->pdata[0] == r);
    g_ptr_array_unref (segs);
    stt_result_unref (r);
  }
  g_rand_free (rng);
}

/* Sentence ends from Display cut, and each segment gets its part of Display. */
static void
test_sentences (void)
{
  SttResult *r = stt_test_result_new ("hello there how are you i am fine", 0);
  stt_hypothesis_set_text (stt_result_get_best (r), STT_TEXT_DISPLAY,
      "Hello there. How are you? I am fine.");
  SttResegOptions o;
  stt_reseg_options_init (&o);
  GPtrArray *segs = stt_reseg_split (r, &o);
  g_assert_cmpuint (segs->len, ==, 3);
  static const char *const want[] = { "Hello there.", "How are you?", "I am fine." };
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (stt_hypothesis_get_text (stt_result_get_best (segs->pdata[i]),
            STT_TEXT_DISPLAY), ==, want[i]);
  check_segments (r, segs, &o);
  g_ptr_array_unref (segs);
  /* partials are never cut */
  r->kind = STT_RESULT_PARTIAL;
  segs = stt_reseg_split (r, &o);
  g_assert_cmpuint (segs->len, ==, 1);
  g_ptr_array_unref (segs);
  stt_result_unref (r);
}

static void
test_model_settings (void)
{
  char *dir = g_dir_make_tmp ("stt-reseg-XXXXXX", NULL);
  GError *err = NULL;
  SttModelWriter *w = stt_model_writer_new (dir, "resegment", "en-US", &err);
  g_assert_no_error (err);
  SttResegOptions o = { 250, 3, 2.5, FALSE }, got;
  stt_reseg_options_to_json (&o, stt_model_writer_get_properties (w));
  char *mdir = stt_model_writer_commit (w, &err);
  g_assert_no_error (err);
  SttModel *m = stt_model_open (mdir, &err);
  g_assert_no_error (err);
  stt_reseg_options_init (&got);
  g_assert_true (stt_reseg_options_from_model (&got, m, &err));
  g_assert_cmpuint (got.pause_ms, ==, 250);
  g_assert_cmpuint (got.max_words, ==, 3);
  g_assert_cmpfloat (got.max_seconds, ==, 2.5);
  g_assert_false (got.sentences);
  stt_model_unref (m);

  /* a model of another kind is refused */
  w = stt_model_writer_new (dir, "punct", "en-US", &err);
  char *pdir = stt_model_writer_commit (w, &err);
  g_assert_no_error (err);
  m = stt_model_open (pdir, &err);
  g_assert_no_error (err);
  g_assert_false (stt_reseg_options_from_model (&got, m, &err));
  g_assert_nonnull (err);
  g_assert_nonnull (strstr (err->message, "not \"resegment\""));
  g_clear_error (&err);
  stt_model_unref (m);
  g_free (pdir);
  g_free (mdir);
  punct_test_rm_tree (dir);
  g_free (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reseg/random-phrasings", test_random_phrasings);
  g_test_add_func ("/reseg/sentences", test_sentences);
  g_test_add_func ("/reseg/model-settings", test_model_settings);
  return g_test_run ();
}
