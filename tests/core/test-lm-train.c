/* gst-stt — LM estimation: modified Kneser-Ney against an independent reference computed from
 * the definition, normalisation, ARPA round trip; interpolation of two LMs.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "testutil.h"
#include "lm-private.h"   /* stt_lm_score_float: scores before integer truncation */

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

static char *corpus;      /* the dev set's normalised references, one sentence per line */
static gsize corpus_len;

/* Sentences of every refs.norm.txt of the dev set, without their utterance ids. */
static void
load_corpus (void)
{
  const char *sets[] = { "arctic_cathy", "fsdd_digits", "librispeech_dev_clean",
    "ljprompts_selfrec_dctts", "ljspeech", "vctk_autovc" };
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (sets); i++) {
    char *rel = g_strdup_printf ("dev/%s/refs.norm.txt", sets[i]);
    char *path = stt_test_data_path (rel), *text;
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    char **lines = g_strsplit (text, "\n", -1);
    for (char **l = lines; *l; l++) {
      const char *sp = strchr (*l, ' ');
      if (sp)
        g_string_append_printf (s, "%s\n", sp + 1);
    }
    g_strfreev (lines);
    g_free (text);
    g_free (path);
    g_free (rel);
  }
  corpus_len = s->len;
  corpus = g_string_free (s, FALSE);
}

static double
log10_prob (const SttLm *lm, SttLmWord w, SttLmWord h1, SttLmWord h2)
{
  return stt_lm_score_float (lm, w, h1, h2) / STT_LM_RAW_PER_LOG10;
}

/* sum over the vocabulary (without <s>) of p(w | h1 h2) */
static double
mass (const SttLm *lm, SttLmWord h1, SttLmWord h2)
{
  double sum = 0;
  SttLmWord bos = stt_lm_word_id (lm, "<s>");
  for (SttLmWord w = 0; w < (SttLmWord) stt_lm_get_n_words (lm); w++)
    if (w != bos)
      sum += pow (10, log10_prob (lm, w, h1, h2));
  return sum;
}

/* Our probabilities equal the reference's (log10, within float32 storage) for @n queries. */
static void
compare_with_reference (const SttLm *lm, guint order, const char *text, gsize len)
{
  GRand *rand = g_rand_new_with_seed (31);
  gint32 nw = (gint32) stt_lm_get_n_words (lm);
  SttLmWord bos = stt_lm_word_id (lm, "<s>");
  GString *q = g_string_new (NULL);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (SttLmWord));
  /* every word after a few histories (stored trigram contexts, sentence start, random), then
   * random triples */
  for (guint i = 0; i < 3000 + 12 * (guint) nw; i++) {
    SttLmWord w, h1, h2;
    if (i < 12 * (guint) nw) {
      GRand *hr = g_rand_new_with_seed (i / (guint) nw);
      w = (SttLmWord) (i % (guint) nw);
      h1 = i / (guint) nw == 0 ? bos : (SttLmWord) g_rand_int_range (hr, 0, nw);
      h2 = i / (guint) nw < 2 ? -1 : (SttLmWord) g_rand_int_range (hr, 0, nw);
      g_rand_free (hr);
    } else {
      w = (SttLmWord) g_rand_int_range (rand, 0, nw);
      h1 = (SttLmWord) g_rand_int_range (rand, 0, nw);
      h2 = g_rand_boolean (rand) ? (SttLmWord) g_rand_int_range (rand, 0, nw) : -1;
    }
    if (w == bos)
      continue;
    SttLmWord t[3] = { w, h1, h2 };
    g_array_append_vals (ids, t, 3);
    g_string_append_printf (q, "%s\t%s", stt_lm_word (lm, w), stt_lm_word (lm, h1));
    if (h2 >= 0)
      g_string_append_printf (q, "\t%s", stt_lm_word (lm, h2));
    g_string_append_c (q, '\n');
  }
  char *qfile = stt_test_tmp_file ("kn-queries", q->str, (gssize) q->len);
  char *tfile = stt_test_tmp_file ("kn-text", text, (gssize) len);
  char *script = stt_test_source_path ("tests/core/lm-kneser-ney.py");
  char *order_s = g_strdup_printf ("%u", order);
  char *argv[] = { (char *) "/usr/bin/python3", script, order_s, tfile, qfile, NULL };
  char *out = NULL, *err = NULL;
  int status;
  GError *error = NULL;
  g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("the Kneser-Ney reference failed: %s", err);
  char **lines = g_strsplit (out, "\n", -1);
  guint n = ids->len / 3;
  g_assert_cmpuint (g_strv_length (lines), >=, n);
  double worst = 0;
  for (guint i = 0; i < n; i++) {
    const SttLmWord *t = &g_array_index (ids, SttLmWord, 3 * i);
    double ref = g_ascii_strtod (lines[i], NULL);
    double ours = log10_prob (lm, t[0], t[1], t[2]);
    worst = MAX (worst, fabs (ours - ref));
    if (fabs (ours - ref) > 2e-6)
      g_error ("order %u: log10 P(%s | %s %s): ours %.9f, reference %.9f", order,
          stt_lm_word (lm, t[0]), t[2] >= 0 ? stt_lm_word (lm, t[2]) : "",
          stt_lm_word (lm, t[1]), ours, ref);
  }
  g_test_message ("order %u: %u queries equal to the reference (largest difference %.2g in "
      "log10)", order, n, worst);
  g_strfreev (lines);
  g_unlink (qfile);
  g_unlink (tfile);
  g_free (qfile);
  g_free (tfile);
  g_free (script);
  g_free (order_s);
  g_free (out);
  g_free (err);
  g_string_free (q, TRUE);
  g_array_unref (ids);
  g_rand_free (rand);
}

static void
test_kneser_ney (void)
{
  GError *error = NULL;
  for (guint order = 1; order <= 3; order++) {
    SttLm *lm = stt_lm_train (corpus, corpus_len, order, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (stt_lm_get_order (lm), ==, order);
    compare_with_reference (lm, order, corpus, corpus_len);
    /* every context's distribution sums to one */
    SttLmWord the = stt_lm_word_id (lm, "the"), of = stt_lm_word_id (lm, "of");
    SttLmWord bos = stt_lm_word_id (lm, "<s>");
    double sums[] = { mass (lm, -1, -1), mass (lm, the, -1), mass (lm, the, of),
      mass (lm, bos, -1), mass (lm, of, the) };
    for (guint i = 0; i < G_N_ELEMENTS (sums); i++)
      g_assert_cmpfloat_with_epsilon (sums[i], 1.0, 1e-5);
    stt_lm_unref (lm);
  }
  /* a tiny text takes the single-discount fallback; the reference implements it too */
  const char tiny[] = "a b c\na b\nb c a\n\n  c  \n";
  SttLm *lm = stt_lm_train (tiny, sizeof tiny - 1, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stt_lm_get_n_words (lm), ==, 6);   /* <s> </s> <unk> a b c */
  compare_with_reference (lm, 3, tiny, sizeof tiny - 1);
  g_assert_cmpfloat_with_epsilon (mass (lm, stt_lm_word_id (lm, "a"), -1), 1.0, 1e-5);
  stt_lm_unref (lm);
}

static void
test_train_errors (void)
{
  GError *error = NULL;
  g_assert_null (stt_lm_train ("a b\n", 4, 4, &error));
  g_assert_error (error, STT_LM_ERROR, STT_LM_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_null (stt_lm_train ("\n  \n", 4, 3, &error));
  g_assert_error (error, STT_LM_ERROR, STT_LM_ERROR_FORMAT);
  g_clear_error (&error);
  g_assert_null (stt_lm_train ("a b\nc <s> d\n", 12, 3, &error));
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_error (&error);
}

/* Trained LM -> ARPA -> read back: same scores. */
static void
test_train_arpa (void)
{
  GError *error = NULL;
  SttLm *lm = stt_lm_train (corpus, corpus_len, 3, &error);
  g_assert_no_error (error);
  char *path = stt_test_tmp_file ("trained.arpa", "", 0);
  g_assert_true (stt_lm_write_arpa (lm, path, &error));
  SttLm *back = stt_lm_load (path, STT_LM_FORMAT_ARPA, &error);
  g_assert_no_error (error);
  GRand *rand = g_rand_new_with_seed (3);
  gint32 nw = (gint32) stt_lm_get_n_words (lm);
  for (guint i = 0; i < 20000; i++) {
    SttLmWord w = g_rand_int_range (rand, 0, nw), h1 = g_rand_int_range (rand, -1, nw),
        h2 = g_rand_int_range (rand, -1, nw);
    g_assert_cmpint (stt_lm_score (lm, w, h1, h2), ==, stt_lm_score (back, w, h1, h2));
  }
  g_rand_free (rand);
  stt_lm_unref (back);
  stt_lm_unref (lm);
  g_unlink (path);
  g_free (path);
}

static SttLm *
train_lines (guint first, guint step)
{
  char **lines = g_strsplit (corpus, "\n", -1);
  GString *s = g_string_new (NULL);
  for (guint i = first; lines[i]; i++)
    if (i % step == first)
      g_string_append_printf (s, "%s\n", lines[i]);
  GError *error = NULL;
  SttLm *lm = stt_lm_train (s->str, s->len, 3, &error);
  g_assert_no_error (error);
  g_string_free (s, TRUE);
  g_strfreev (lines);
  return lm;
}

static double
prob (const SttLm *lm, const char *w, const char *h1, const char *h2)
{
  SttLmWord x = stt_lm_word_id (lm, w);
  if (x < 0)
    return 0;
  return pow (10, log10_prob (lm, x, h1 ? stt_lm_word_id (lm, h1) : -1,
          h2 ? stt_lm_word_id (lm, h2) : -1));
}

typedef struct {
  const SttLm *mix, *a, *b;
  double weight, worst;
  guint checked;
} MixCheck;

/* A stored n-gram of the mixture has exactly the mixed probability of the two models. */
static gboolean
check_mixed (const SttLmWord *w, guint n, float p, float bo, gpointer data)
{
  MixCheck *c = data;
  const char *s[3] = { NULL, NULL, NULL };
  for (guint k = 0; k < n; k++)
    s[k] = stt_lm_word (c->mix, w[k]);
  if (strcmp (s[n - 1], "<s>") == 0)
    return TRUE;
  const char *pw = s[n - 1], *h1 = n > 1 ? s[n - 2] : NULL, *h2 = n > 2 ? s[n - 3] : NULL;
  double want = c->weight * prob (c->a, pw, h1, h2) + (1 - c->weight) * prob (c->b, pw, h1, h2);
  double got = pow (10, p / STT_LM_RAW_PER_LOG10);
  c->worst = MAX (c->worst, fabs (log10 (got / want)));
  g_assert_cmpfloat (fabs (log10 (got / want)), <, 1e-6);
  c->checked++;
  return TRUE;
}

static void
test_interpolate (void)
{
  GError *error = NULL;
  SttLm *a = train_lines (0, 2), *b = train_lines (1, 2);
  SttLm *mix = stt_lm_interpolate (a, b, 0.3, &error);
  g_assert_no_error (error);
  /* the union of both vocabularies */
  guint shared = 0;
  for (SttLmWord w = 0; w < (SttLmWord) stt_lm_get_n_words (b); w++)
    shared += stt_lm_word_id (a, stt_lm_word (b, w)) >= 0;
  g_assert_cmpuint (stt_lm_get_n_words (mix), ==,
      stt_lm_get_n_words (a) + stt_lm_get_n_words (b) - shared);
  MixCheck c = { mix, a, b, 0.3, 0, 0 };
  for (guint n = 1; n <= 3; n++)
    stt_lm_foreach_ngram (mix, n, check_mixed, &c);
  g_test_message ("%u stored n-grams equal to 0.3 A + 0.7 B (largest log10 difference %.2g)",
      c.checked, c.worst);
  SttLmWord the = stt_lm_word_id (mix, "the"), of = stt_lm_word_id (mix, "of");
  g_assert_cmpfloat_with_epsilon (mass (mix, -1, -1), 1.0, 1e-5);
  g_assert_cmpfloat_with_epsilon (mass (mix, the, -1), 1.0, 1e-5);
  g_assert_cmpfloat_with_epsilon (mass (mix, the, of), 1.0, 1e-5);
  g_assert_cmpfloat_with_epsilon (mass (mix, stt_lm_word_id (mix, "<s>"), -1), 1.0, 1e-5);
  /* mixing a model with itself changes nothing */
  SttLm *self = stt_lm_interpolate (a, a, 0.6, &error);
  g_assert_no_error (error);
  GRand *rand = g_rand_new_with_seed (8);
  gint32 nw = (gint32) stt_lm_get_n_words (a);
  for (guint i = 0; i < 20000; i++) {
    SttLmWord w = g_rand_int_range (rand, 0, nw), h1 = g_rand_int_range (rand, -1, nw),
        h2 = g_rand_int_range (rand, -1, nw);
    if (strcmp (stt_lm_word (a, w), "<s>") != 0)
      g_assert_cmpfloat (fabs (log10_prob (self, w, h1, h2) - log10_prob (a, w, h1, h2)), <,
          1e-5);
  }
  g_assert_null (stt_lm_interpolate (a, b, 1.5, &error));
  g_assert_error (error, STT_LM_ERROR, STT_LM_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_rand_free (rand);
  stt_lm_unref (self);
  stt_lm_unref (mix);
  stt_lm_unref (a);
  stt_lm_unref (b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  load_corpus ();
  g_test_add_func ("/lm/train/kneser-ney", test_kneser_ney);
  g_test_add_func ("/lm/train/errors", test_train_errors);
  g_test_add_func ("/lm/train/arpa", test_train_arpa);
  g_test_add_func ("/lm/interpolate", test_interpolate);
  int ret = g_test_run ();
  g_free (corpus);
  return ret;
}
