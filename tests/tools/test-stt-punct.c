/* gst-stt — stt-punct: training is reproducible, one line out per line in, clear failures.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include "punct-testutil.h"

static char *
tool (void)
{
  return g_build_filename (g_getenv ("STT_BUILD_ROOT"), "tools", "punct", "stt-punct", NULL);
}

/* Run stt-punct with @args (NULL-terminated) and @input on stdin; returns the exit status. */
static int
run (const char *const *args, const char *input, char **out, char **err)
{
  GPtrArray *argv = g_ptr_array_new ();
  char *exe = tool ();
  g_ptr_array_add (argv, exe);
  for (const char *const *a = args; *a; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, NULL);
  GError *error = NULL;
  GSubprocess *p = g_subprocess_newv ((const char *const *) argv->pdata,
      G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
      | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (p, input, NULL, out, err, &error));
  g_assert_no_error (error);
  int status = g_subprocess_get_exit_status (p);
  g_object_unref (p);
  g_ptr_array_unref (argv);
  g_free (exe);
  return status;
}

static char *
train (const char *models_dir)
{
  char *a = punct_test_sotu_file ("1790_george_washington_n.txt");
  char *b = punct_test_sotu_file ("2014_barack_obama_d.txt");
  const char *args[] = { "train", "--models-dir", models_dir, "--bits", "14", "--epochs", "2",
    a, b, NULL };
  char *out, *err;
  int status = run (args, NULL, &out, &err);
  if (status != 0)
    g_error ("stt-punct train failed: %s", err);
  g_assert_true (g_str_has_suffix (out, "\n"));
  out[strlen (out) - 1] = '\0';
  g_free (err);
  g_free (a);
  g_free (b);
  return out;
}

static GBytes *
model_bytes (const char *dir)
{
  char *path = g_build_filename (dir, STT_PUNCT_MODEL_FILE, NULL), *data;
  gsize len;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_free (path);
  return g_bytes_new_take (data, len);
}

static void
test_train_and_punctuate (void)
{
  char *scratch = g_dir_make_tmp ("stt-punct-tool-XXXXXX", NULL);
  char *m1 = train (scratch), *m2 = train (scratch);
  g_assert_cmpstr (m1, !=, m2);          /* two models, two ids ... */
  GBytes *b1 = model_bytes (m1), *b2 = model_bytes (m2);
  g_assert_true (g_bytes_equal (b1, b2)); /* ... and the same bytes */

  const char *input = "my fellow americans we are fifteen years into this new century\n"
      "\n"
      "what should we do i think america must lead\n";
  const char *args[] = { "--model", m1, NULL };
  char *out, *err;
  g_assert_cmpint (run (args, input, &out, &err), ==, 0);
  GError *error = NULL;
  SttPunct *p = stt_punct_new_from_bytes (b1, m1, &error);
  g_assert_no_error (error);
  char **in_lines = g_strsplit (input, "\n", -1), **out_lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (out_lines), ==, g_strv_length (in_lines));
  for (guint i = 0; in_lines[i]; i++) {
    char *want = stt_punct_punctuate (p, in_lines[i], STT_PUNCT_FLAG_END_SENTENCE);
    g_assert_cmpstr (out_lines[i], ==, want);
    g_free (want);
  }
  g_assert_true (g_str_has_prefix (out_lines[0], "My fellow Americans"));
  g_assert_cmpstr (out_lines[1], ==, "");
  g_strfreev (in_lines);
  g_strfreev (out_lines);
  g_free (out);
  g_free (err);
  stt_punct_unref (p);

  /* a damaged model: a clear message, a failing status, nothing on stdout */
  char *bin = g_build_filename (m2, STT_PUNCT_MODEL_FILE, NULL);
  gsize size = g_bytes_get_size (b2);
  char *junk = g_malloc0 (size);
  g_assert_true (g_file_set_contents (bin, junk, size, NULL));
  const char *bad[] = { "--model", m2, NULL };
  g_assert_cmpint (run (bad, NULL, &out, &err), !=, 0);   /* it fails before reading */
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "not a valid punct model"));
  g_assert_nonnull (strstr (err, bin));
  g_free (out);
  g_free (err);
  g_free (junk);
  g_free (bin);

  g_bytes_unref (b1);
  g_bytes_unref (b2);
  g_free (m1);
  g_free (m2);
  punct_test_rm_tree (scratch);
  g_free (scratch);
}

/* Nothing half-written is left behind in the folder @scratch; removes and frees it. */
static void
remove_empty (char *scratch)
{
  GDir *d = g_dir_open (scratch, 0, NULL);
  g_assert_null (g_dir_read_name (d));
  g_dir_close (d);
  punct_test_rm_tree (scratch);
  g_free (scratch);
}

static void
test_bad_arguments (void)
{
  char *out, *err;
  const char *no_dir[] = { "train", "x.txt", NULL };
  g_assert_cmpint (run (no_dir, NULL, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "--models-dir"));
  g_free (out);
  g_free (err);
  char *scratch = g_dir_make_tmp ("stt-punct-tool-XXXXXX", NULL);
  const char *layers[] = { "train", "--models-dir", scratch, "--rnn-layers", "4", "x.txt",
    NULL };
  g_assert_cmpint (run (layers, NULL, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "--rnn-layers must be 1, 2 or 3, not 4"));
  g_free (out);
  g_free (err);
  const char *missing[] = { "train", "--models-dir", scratch, "/nonexistent/sotu.txt", NULL };
  g_assert_cmpint (run (missing, NULL, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "/nonexistent/sotu.txt"));
  g_free (out);
  g_free (err);
  remove_empty (scratch);
}

/* --rnn-init-lm and --rnn-init-vectors: their companions without them, a missing path, a folder
 * without an LM, vectors larger than the embeddings: a clear message naming the option or
 * path, a failing status, nothing written. */
static void
test_init_lm_arguments (void)
{
  char *scratch = g_dir_make_tmp ("stt-punct-tool-XXXXXX", NULL);
  char *text = punct_test_sotu_file ("1790_george_washington_n.txt");
  char *out, *err;
  const char *alone[] = { "train", "--models-dir", scratch, "--rnn-freeze-init", text, NULL };
  g_assert_cmpint (run (alone, NULL, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "--rnn-freeze-init needs --rnn-init-lm or --rnn-init-vectors"));
  g_free (out);
  g_free (err);
  const char *missing[] = { "train", "--models-dir", scratch, "--rnn-init-lm",
    "/nonexistent/en-us.lm.bin", text, NULL };
  g_assert_cmpint (run (missing, NULL, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "/nonexistent/en-us.lm.bin"));
  g_free (out);
  g_free (err);
  /* a folder that is no model: found when training starts */
  const char *no_lm[] = { "train", "--models-dir", scratch, "--rnn-hidden", "8",
    "--rnn-init-lm", scratch, text, NULL };
  g_assert_cmpint (run (no_lm, NULL, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "lm/lm.bin"));
  g_assert_cmpstr (out, ==, "");
  g_free (out);
  g_free (err);
  const char *no_vectors[] = { "train", "--models-dir", scratch, "--rnn-init-vectors",
    "/nonexistent/glove.txt", text, NULL };
  g_assert_cmpint (run (no_vectors, NULL, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "/nonexistent/glove.txt"));
  g_free (out);
  g_free (err);
  /* 3-number vectors do not fit 2-number embeddings: found before training */
  char *vectors = g_build_filename (scratch, "vectors.txt", NULL);
  g_assert_true (g_file_set_contents (vectors, "the 1 2 3\nnation 4 5 6\n", -1, NULL));
  const char *too_big[] = { "train", "--models-dir", scratch, "--rnn-hidden", "8", "--rnn-dim",
    "2", "--rnn-init-vectors", vectors, text, NULL };
  g_assert_cmpint (run (too_big, NULL, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "give a larger --rnn-dim"));
  g_assert_cmpstr (out, ==, "");
  g_free (out);
  g_free (err);
  g_unlink (vectors);
  g_free (vectors);
  remove_empty (scratch);
  g_free (text);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stt-punct/train-and-punctuate", test_train_and_punctuate);
  g_test_add_func ("/stt-punct/bad-arguments", test_bad_arguments);
  g_test_add_func ("/stt-punct/init-lm-arguments", test_init_lm_arguments);
  return g_test_run ();
}
