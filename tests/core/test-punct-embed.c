/* gst-stt — word vectors from an LM's bigrams for the punct sentence networks
 * (core/punct/punct-embed.c, private API): words used alike in the LM lie closer than unrelated
 * ones, words the LM lacks get none, the LM option's bad inputs fail clearly, and the vectors
 * start (and, frozen, stay) in the network's embeddings.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include "punct-private.h"

/* A small bigram LM: week days follow "on" and precede "we"; fruit follows "the" and "ripe"
 * and precedes "now" and "</s>". */
static const char arpa[] =
    "\\data\\\n"
    "ngram 1=14\n"
    "ngram 2=20\n"
    "\n"
    "\\1-grams:\n"
    "-0.9 </s>\n"
    "-99 <s> -0.4\n"
    "-1.0 on -0.3\n"
    "-1.2 monday -0.3\n"
    "-1.2 tuesday -0.3\n"
    "-1.3 friday -0.3\n"
    "-1.0 we -0.3\n"
    "-1.1 met -0.3\n"
    "-1.1 eat -0.3\n"
    "-0.8 the -0.3\n"
    "-1.3 apple -0.3\n"
    "-1.3 pear -0.3\n"
    "-1.4 ripe -0.3\n"
    "-1.2 now -0.3\n"
    "\n"
    "\\2-grams:\n"
    "-0.5 <s> we\n"
    "-0.6 <s> on\n"
    "-0.5 on monday\n"
    "-0.5 on tuesday\n"
    "-0.6 on friday\n"
    "-0.3 monday we\n"
    "-0.3 tuesday we\n"
    "-0.3 friday we\n"
    "-0.2 we met\n"
    "-0.4 we eat\n"
    "-0.2 met on\n"
    "-0.1 eat the\n"
    "-0.4 the apple\n"
    "-0.4 the pear\n"
    "-0.7 the ripe\n"
    "-0.2 ripe apple\n"
    "-0.2 ripe pear\n"
    "-0.3 apple now\n"
    "-0.3 pear now\n"
    "-0.1 now </s>\n"
    "\n"
    "\\end\\\n";

static char *
write_file (const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static double
cosine (const float *a, const float *b, guint dim)
{
  double ab = 0, aa = 0, bb = 0;
  for (guint j = 0; j < dim; j++) {
    ab += (double) a[j] * b[j];
    aa += (double) a[j] * a[j];
    bb += (double) b[j] * b[j];
  }
  return ab / sqrt (aa * bb);
}

enum { MONDAY, TUESDAY, APPLE, PEAR, ABSENT, NONE, N_WORDS };
static const char *const words[N_WORDS] = { "monday", "tuesday", "apple", "pear", "zebra",
  NULL };
#define DIM 3
#define LENGTH 2.0f

static float *
lm_vectors (guint8 *found, guint *n_found)
{
  char *dir = g_dir_make_tmp ("stt-punct-embed-XXXXXX", NULL);
  char *path = write_file (dir, "small.arpa", arpa);
  GError *error = NULL;
  SttLm *lm = punct_load_init_lm (path, &error);
  g_assert_no_error (error);
  float *v = punct_lm_embeddings (lm, words, N_WORDS, DIM, LENGTH, found, n_found);
  stt_lm_unref (lm);
  g_unlink (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
  return v;
}

static void
test_similar_contexts (void)
{
  guint8 found[N_WORDS], again_found[N_WORDS];
  guint n_found;
  float *v = lm_vectors (found, &n_found);
  g_assert_cmpuint (n_found, ==, 4);
  for (guint i = 0; i < N_WORDS; i++) {
    double norm = 0;
    for (guint j = 0; j < DIM; j++)
      norm += (double) v[i * DIM + j] * v[i * DIM + j];
    if (i < ABSENT) {
      g_assert_true (found[i]);
      g_assert_cmpfloat_with_epsilon (sqrt (norm), LENGTH, 1e-4);
    } else {
      g_assert_false (found[i]);
      g_assert_cmpfloat (norm, ==, 0);
    }
  }
  double days = cosine (v + MONDAY * DIM, v + TUESDAY * DIM, DIM);
  double fruit = cosine (v + APPLE * DIM, v + PEAR * DIM, DIM);
  double day_fruit = cosine (v + MONDAY * DIM, v + APPLE * DIM, DIM);
  double fruit_day = cosine (v + PEAR * DIM, v + TUESDAY * DIM, DIM);
  g_test_message ("cosines: monday-tuesday %.3f, apple-pear %.3f, monday-apple %.3f, "
      "pear-tuesday %.3f", days, fruit, day_fruit, fruit_day);
  g_assert_cmpfloat (days, >, day_fruit + 0.5);
  g_assert_cmpfloat (days, >, fruit_day + 0.5);
  g_assert_cmpfloat (fruit, >, day_fruit + 0.5);
  g_assert_cmpfloat (fruit, >, fruit_day + 0.5);
  /* deterministic */
  float *again = lm_vectors (again_found, &n_found);
  g_assert_cmpmem (v, sizeof (float) * N_WORDS * DIM, again, sizeof (float) * N_WORDS * DIM);
  g_assert_cmpmem (found, sizeof found, again_found, sizeof again_found);
  g_free (again);
  g_free (v);
}

static void
expect_error (const char *path, const char *what)
{
  GError *error = NULL;
  g_assert_null (punct_load_init_lm (path, &error));
  g_assert_error (error, STT_PUNCT_ERROR, STT_PUNCT_ERROR_TRAIN);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, what));
  g_error_free (error);
}

/* A missing file, a folder without an LM, a file that is no LM and an LM without bigrams
 * fail with the path and what is wrong. */
static void
test_bad_lm (void)
{
  char *dir = g_dir_make_tmp ("stt-punct-embed-XXXXXX", NULL);
  char *missing = g_build_filename (dir, "none.arpa", NULL);
  expect_error (missing, "none.arpa");
  expect_error (dir, "lm/lm.bin");
  char *junk = write_file (dir, "junk.arpa", "this is not a language model\n");
  expect_error (junk, "junk.arpa");
  char *unigrams = write_file (dir, "unigrams.arpa",
      "\\data\\\nngram 1=3\n\n\\1-grams:\n-0.5 </s>\n-99 <s>\n-0.3 word\n\n\\end\\\n");
  expect_error (unigrams, "no bigrams");
  g_unlink (junk);
  g_unlink (unigrams);
  g_rmdir (dir);
  g_free (missing);
  g_free (junk);
  g_free (unigrams);
  g_free (dir);
}

/* Given vectors fill the last numbers of the found rows at the start: frozen, they are still
 * there after training; fine-tuned, they moved a little from there. */
static void
test_init_and_freeze (void)
{
  const guint vocab = PUNCT_MLP_FIRST + 4, n = 2000, dim = 6, init_dim = 4;
  guint32 *ids = g_new (guint32, n);
  guint8 *labels = g_new (guint8, n);
  guint64 seed = 5;
  for (guint i = 0; i < n; i++) {
    ids[i] = PUNCT_MLP_FIRST + (guint32) (punct_next_random (&seed) % 4);
    labels[i] = ids[i] == PUNCT_MLP_FIRST ? STT_PUNCT_PERIOD : STT_PUNCT_NONE;
  }
  float *init = g_new0 (float, vocab * init_dim);
  guint8 *found = g_new0 (guint8, vocab);
  for (guint v = PUNCT_MLP_FIRST; v < PUNCT_MLP_FIRST + 3; v++) {
    found[v] = 1;
    for (guint j = 0; j < init_dim; j++)
      init[v * init_dim + j] = 0.5f * (float) (v + 1) - 0.25f * (float) j;
  }
  PunctRnnShape s = { dim, 8, vocab, 32, 1 };
  PunctRnnTrainParams tp = { 2, 4, 0.01f, 0.01f, 0.0f, 0.0f, 1.0f, 0, init, found, init_dim,
    TRUE };
  float *frozen = punct_rnn_train (&s, ids, labels, n, &tp);
  tp.freeze_init = FALSE;
  float *tuned = punct_rnn_train (&s, ids, labels, n, &tp);
  tp.init_emb = NULL;
  float *plain = punct_rnn_train (&s, ids, labels, n, &tp);
  for (guint v = 0; v < vocab; v++) {
    if (!found[v])
      continue;
    const float *f = frozen + v * dim + dim - init_dim, *t = tuned + v * dim + dim - init_dim;
    const float *p = plain + v * dim + dim - init_dim, *want = init + v * init_dim;
    g_assert_cmpmem (f, init_dim * sizeof (float), want, init_dim * sizeof (float));
    /* fine-tuned, they start there and move, but stay far nearer than random ones */
    double moved = 0, random = 0;
    for (guint j = 0; j < init_dim; j++) {
      moved += fabs (t[j] - want[j]);
      random += fabs (p[j] - want[j]);
    }
    g_test_message ("word %u: tuned %.3f, random %.3f from the given vector", v, moved, random);
    g_assert_cmpfloat (moved, >, 0);
    g_assert_cmpfloat (moved, <, random / 4);
  }
  g_free (frozen);
  g_free (tuned);
  g_free (plain);
  g_free (init);
  g_free (found);
  g_free (ids);
  g_free (labels);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/punct-embed/similar-contexts", test_similar_contexts);
  g_test_add_func ("/punct-embed/bad-lm", test_bad_lm);
  g_test_add_func ("/punct-embed/init-and-freeze", test_init_and_freeze);
  return g_test_run ();
}
