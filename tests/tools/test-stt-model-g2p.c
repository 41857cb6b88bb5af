/* gst-stt — `stt-model g2p` and `stt-model g2p-eval` on the default model: the tool prints what
 * the library computes from the model's g2p/g2p.bin, the manifest describes it, and a word or
 * model it cannot use gives a message and a non-zero exit.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "testutil.h"

#include <stdlib.h>
#include <stt/g2p.h>
#include <string.h>

/* Run stt-model with @args (NULL-terminated): 0 on success, else 1; output in *out, *err. */
static int
run (char **out, char **err, ...)
{
  va_list ap;
  va_start (ap, err);
  int r = stt_test_run_toolv ("tools/model/stt-model", out, err, ap);
  va_end (ap);
  return r;
}

static SttModel *
default_model (void)
{
  g_autoptr (GError) error = NULL;
  SttModel *m = stt_model_cache_lookup (STT_DEFAULT_MODEL_ID, &error);
  g_assert_no_error (error);
  return m;
}

static void
test_pronounce (void)
{
  g_autoptr (SttModel) m = default_model ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SttG2p) g2p = stt_g2p_new_from_model (m, "g2p/g2p.bin", &error);
  g_assert_no_error (error);
  g_autofree char *out = NULL, *err = NULL;
  g_assert_cmpint (run (&out, &err, "g2p", "--nbest", "3", "Zorblax", "nvidia", NULL), ==, 0);
  GString *want = g_string_new (NULL);
  const char *words[] = { "Zorblax", "nvidia" };
  for (guint i = 0; i < G_N_ELEMENTS (words); i++) {
    g_autoptr (GPtrArray) prons = stt_g2p_pronounce (g2p, words[i], 3, &error);
    g_assert_no_error (error);
    for (guint k = 0; k < prons->len; k++) {
      g_autofree char *ph = g_strjoinv (" ", ((SttG2pPron *) prons->pdata[k])->phones);
      if (k == 0)
        g_string_append_printf (want, "%s %s\n", words[i], ph);
      else
        g_string_append_printf (want, "%s(%u) %s\n", words[i], k + 1, ph);
    }
  }
  g_assert_cmpstr (out, ==, want->str);
  g_string_free (want, TRUE);
}

static void
test_bad_input (void)
{
  g_autofree char *out = NULL, *err = NULL;
  /* an unknown letter: the other words are still printed, the exit status says it failed */
  g_assert_cmpint (run (&out, &err, "g2p", "hello!", "hello", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "'!'"));
  g_assert_true (g_str_has_prefix (out, "hello "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "g2p", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "expected one or more words"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "g2p", "--file", "/nonexistent.g2p", "hello", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "/nonexistent.g2p"));
}

/* "phone error rate  6.22 % (2484 / 39920 phones)": the two counts. */
static void
parse_counts (const char *out, const char *label, guint64 *a, guint64 *b)
{
  const char *p = strstr (out, label);
  g_assert_nonnull (p);
  p = strchr (p, '(');
  g_assert_nonnull (p);
  char *end;
  *a = g_ascii_strtoull (p + 1, &end, 10);
  g_assert_true (g_str_has_prefix (end, " / "));
  *b = g_ascii_strtoull (end + 3, NULL, 10);
}

static void
test_eval (void)
{
  g_autoptr (SttModel) m = default_model ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SttG2p) g2p = stt_g2p_new_from_model (m, "g2p/g2p.bin", &error);
  g_autoptr (SttLexicon) lex = stt_lexicon_new_from_model (m, "lm/lexicon.bin", &error);
  g_assert_no_error (error);
  SttG2pEval ev;
  g_assert_true (stt_g2p_evaluate_lexicon (g2p, lex, 300, &ev, &error));
  g_autofree char *out = NULL, *err = NULL;
  g_assert_cmpint (run (&out, &err, "g2p-eval", "--max", "300", NULL), ==, 0);
  guint64 pe, pn, we, wn;
  parse_counts (out, "phone error rate", &pe, &pn);
  parse_counts (out, "word error rate", &we, &wn);
  g_assert_cmpuint (pe, ==, ev.n_phone_errors);
  g_assert_cmpuint (pn, ==, ev.n_ref_phones);
  g_assert_cmpuint (we, ==, ev.n_word_errors);
  g_assert_cmpuint (wn, ==, 300);
  /* the manifest records the import's measurement on all held-out words */
  JsonObject *o = json_object_get_object_member (stt_model_get_properties (m), "g2p");
  g_assert_nonnull (o);
  g_assert_cmpstr (json_object_get_string_member (o, "file"), ==, "g2p/g2p.bin");
  g_assert_cmpint (json_object_get_int_member (o, "order"), ==, stt_g2p_get_order (g2p));
  g_assert_cmpint (json_object_get_int_member (o, "held_out_every"), ==, 20);
  double per = json_object_get_double_member (o, "held_out_per");
  g_assert_cmpfloat (per, >, 0.0);
  g_assert_cmpfloat (per, <, 0.08);
  g_autofree char *abc = stt_g2p_get_alphabet (g2p);
  g_assert_cmpstr (json_object_get_string_member (o, "alphabet"), ==, abc);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tools/stt-model-g2p/pronounce", test_pronounce);
  g_test_add_func ("/tools/stt-model-g2p/bad-input", test_bad_input);
  g_test_add_func ("/tools/stt-model-g2p/eval", test_eval);
  return g_test_run ();
}
