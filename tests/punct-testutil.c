/* gst-stt — helpers of the punctuation and resegmentation tests.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "punct-testutil.h"

#include <glib/gstdio.h>


char *
punct_test_sotu_file (const char *name)
{
  const char *root = g_getenv ("STT_BUILD_ROOT");
  char *path = g_build_filename (root ? root : ".", "punct-training-text", "node_modules",
      "@stdlib", "datasets-sotu", "data", name, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_error ("training text missing: %s (the build installs it with npm: ninja punct-model)",
        path);
  return path;
}

GBytes *
punct_test_train_bytes (const char *const *names)
{
  return punct_test_train_bytes_with_network (names, 0);
}

GBytes *
punct_test_train_bytes_with_network (const char *const *names, gint hidden)
{
  SttPunctTrainOptions opts = { 16, 3, hidden, 1 };
  return punct_test_train_bytes_with_options (names, &opts);
}

GBytes *
punct_test_train_bytes_with_rnn (const char *const *names, gint hidden)
{
  /* no window network; a small sentence network, one pass, windows of 32 words */
  SttPunctTrainOptions opts = { 16, 3, -1, 1, hidden, 1, 8, 32, 1 };
  return punct_test_train_bytes_with_options (names, &opts);
}

GBytes *
punct_test_train_bytes_with_options (const char *const *names,
    const SttPunctTrainOptions *opts)
{
  SttPunctTrainer *t = stt_punct_trainer_new (opts);
  for (const char *const *n = names; *n; n++) {
    char *path = punct_test_sotu_file (*n), *text;
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    stt_punct_trainer_add_document (t, text);
    g_free (text);
    g_free (path);
  }
  GError *err = NULL;
  GBytes *bytes = stt_punct_trainer_finish (t, &err);
  g_assert_no_error (err);
  stt_punct_trainer_free (t);
  return bytes;
}

char *
punct_test_install (const char *models_dir, GBytes *bytes)
{
  GError *err = NULL;
  SttModelWriter *w = stt_model_writer_new (models_dir, "punct", "en-US", &err);
  g_assert_no_error (err);
  g_assert_true (stt_model_writer_add_bytes (w, STT_PUNCT_MODEL_FILE, bytes, &err));
  char *dir = stt_model_writer_commit (w, &err);
  g_assert_no_error (err);
  return dir;
}

void
punct_test_rm_tree (const char *path)
{
  GDir *d = g_dir_open (path, 0, NULL);
  if (d) {
    const char *name;
    while ((name = g_dir_read_name (d))) {
      char *child = g_build_filename (path, name, NULL);
      punct_test_rm_tree (child);
      g_free (child);
    }
    g_dir_close (d);
  }
  g_remove (path);
}
