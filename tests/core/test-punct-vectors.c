/* gst-stt — word vectors from a word-vector text file for the punct sentence networks
 * (core/punct/punct-vectors.c, private API): the asked words get their lines' vectors (exact
 * spelling before the lower-cased one), scaled to the asked size; words the file lacks get
 * none; a fastText count line is skipped; bad files fail with the path, the line and what is
 * wrong, and return nothing.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include "punct-private.h"

enum { THE, NATION, US, ABSENT, NONE, N_WORDS };
static const char *const words[N_WORDS] = { "the", "nation", "us", "zebra", NULL };
#define RMS 0.5f

static char *
write_file (const char *dir, const char *text)
{
  char *path = g_build_filename (dir, "vectors.txt", NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* The vectors of @text (written to a scratch file); NULL with *error set when it is bad. */
static float *
vectors_of (const char *text, guint *dim, guint8 *found, guint *n_found, GError **error,
    char **path_out)
{
  char *dir = g_dir_make_tmp ("stt-punct-vectors-XXXXXX", NULL);
  char *path = write_file (dir, text);
  float *v = punct_file_embeddings (path, words, N_WORDS, RMS, dim, found, n_found, error);
  g_unlink (path);
  g_rmdir (dir);
  g_free (dir);
  if (path_out)
    *path_out = path;
  else
    g_free (path);
  return v;
}

static void
assert_direction (const float *v, guint dim, const float *want)
{
  double vv = 0, ww = 0, vw = 0;
  for (guint j = 0; j < dim; j++) {
    vv += (double) v[j] * v[j];
    ww += (double) want[j] * want[j];
    vw += (double) v[j] * want[j];
  }
  g_assert_cmpfloat_with_epsilon (sqrt (vv / dim), RMS, 1e-5);
  g_assert_cmpfloat_with_epsilon (vw / sqrt (vv * ww), 1.0, 1e-5);
}

static void
test_read (void)
{
  /* "US" comes before "us": the exact spelling wins wherever it stands; "Nation" has no
   * exact line, so its lower-cased line serves; the first line is a fastText count line */
  const char *text =
      "5 3\n"
      "the 1 0 0\n"
      "US 0 0 9\n"
      "Nation 0 2 0\n"
      "us 0 3 4\n"
      "of 0.5 -0.5 1e-1\n";
  guint dim = 0, n_found = 0;
  guint8 found[N_WORDS];
  GError *error = NULL;
  float *v = vectors_of (text, &dim, found, &n_found, &error, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (dim, ==, 3);
  g_assert_cmpuint (n_found, ==, 3);
  const float the[] = { 1, 0, 0 }, nation[] = { 0, 2, 0 }, us[] = { 0, 3, 4 };
  g_assert_true (found[THE] && found[NATION] && found[US]);
  assert_direction (v + THE * 3, 3, the);
  assert_direction (v + NATION * 3, 3, nation);
  assert_direction (v + US * 3, 3, us);
  for (guint i = ABSENT; i < N_WORDS; i++) {
    g_assert_false (found[i]);
    for (guint j = 0; j < 3; j++)
      g_assert_cmpfloat (v[i * 3 + j], ==, 0);
  }
  g_free (v);
  /* GloVe's files have no count line, and a blank last line is no word */
  v = vectors_of ("the 1 2\nus 3 4\n\n", &dim, found, &n_found, &error, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (dim, ==, 2);
  g_assert_cmpuint (n_found, ==, 2);
  g_free (v);
}

static void
expect_error (const char *text, const char *what)
{
  guint dim = 7;
  guint8 found[N_WORDS];
  GError *error = NULL;
  char *path;
  g_assert_null (vectors_of (text, &dim, found, NULL, &error, &path));
  g_assert_error (error, STT_PUNCT_ERROR, STT_PUNCT_ERROR_TRAIN);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, what));
  g_assert_cmpuint (dim, ==, 7);
  for (guint i = 0; i < N_WORDS; i++)
    g_assert_false (found[i]);
  g_error_free (error);
  g_free (path);
}

/* A missing file, an empty one, a word without numbers, a vector of another size and a field
 * that is no number: the path, the line and what is wrong. */
static void
test_bad_files (void)
{
  GError *error = NULL;
  guint dim;
  guint8 found[N_WORDS];
  g_assert_null (punct_file_embeddings ("/nonexistent/glove.txt", words, N_WORDS, RMS, &dim,
          found, NULL, &error));
  g_assert_error (error, STT_PUNCT_ERROR, STT_PUNCT_ERROR_TRAIN);
  g_assert_nonnull (strstr (error->message, "/nonexistent/glove.txt"));
  g_clear_error (&error);
  expect_error ("", "no vectors");
  expect_error ("the 1 2 3\nnation\n", "line 2 has a word and no numbers");
  expect_error ("the 1 2 3\nof 1 2 3\nus 1 2\n",
      "line 3 (word \"us\") has 2 numbers where the first vector has 3");
  expect_error ("the 1 2 3\nnation 1 two 3\n", "line 2 (word \"nation\") has a field that is "
      "not a number");
  expect_error ("of 1 2 nan\n", "line 1 has a field after the word that is not a number");
  /* a double, but no float */
  expect_error ("the 1 2 3\nus 1 1e39 3\n", "line 2 (word \"us\") has a field that is not a "
      "number");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/punct-vectors/read", test_read);
  g_test_add_func ("/punct-vectors/bad-files", test_bad_files);
  return g_test_run ();
}
