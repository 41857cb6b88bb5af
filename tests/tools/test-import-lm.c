/* gst-stt — `stt-model import-sphinx`, LM and lexicon step: the real en-us LM and cmudict land
 * in the model with the Sphinx scores and counts; a damaged LM or dictionary fails the import
 * naming the file, and nothing is installed.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "testutil.h"

#include <stt/lexicon.h>
#include <stt/lm.h>
#include <glib/gstdio.h>
#include <string.h>

typedef struct {
  char *tmp, *src, *models;
} Fixture;

/* Debian's layout: LM and dictionary at the top, the acoustic model in en-us/. */
static void
set_up (Fixture *fx, gconstpointer data)
{
  GError *error = NULL;
  fx->tmp = g_dir_make_tmp ("stt-import-lm-XXXXXX", &error);
  g_assert_no_error (error);
  fx->src = g_build_filename (fx->tmp, "sphinx", NULL);
  fx->models = g_build_filename (fx->tmp, "models", NULL);
  g_assert_cmpint (g_mkdir (fx->src, 0755), ==, 0);
  const char *links[] = { "en-us", "en-us.lm.bin", "cmudict-en-us.dict" };
  for (guint i = 0; i < G_N_ELEMENTS (links); i++) {
    char *from = stt_test_sphinx_path (links[i]);
    char *to = g_build_filename (fx->src, links[i], NULL);
    g_assert_cmpint (symlink (from, to), ==, 0);
    g_free (from);
    g_free (to);
  }
}

static void
tear_down (Fixture *fx, gconstpointer data)
{
  char *cmd = g_strdup_printf ("rm -rf '%s'", fx->tmp);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (cmd);
  g_free (fx->tmp);
  g_free (fx->src);
  g_free (fx->models);
}

static int
run_import (Fixture *fx, char **err)
{
  const char *root = g_getenv ("STT_BUILD_ROOT");
  char *exe = g_build_filename (root ? root : ".", "tools", "model", "stt-model", NULL);
  const char *argv[] = { exe, "import-sphinx", fx->src, "--models-dir", fx->models, NULL };
  int status;
  GError *error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
          NULL, NULL, err, &status, &error));
  g_assert_no_error (error);
  g_free (exe);
  return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
}

static void
test_ok (Fixture *fx, gconstpointer data)
{
  char *err = NULL;
  g_assert_cmpint (run_import (fx, &err), ==, 0);
  g_free (err);
  char *dir = g_build_filename (fx->models, STT_DEFAULT_MODEL_ID, NULL);
  GError *error = NULL;
  SttModel *m = stt_model_open (dir, &error);
  g_assert_no_error (error);
  g_assert_true (stt_model_verify (m, &error));
  SttLm *lm = stt_lm_new_from_model (m, "lm/lm.bin", &error);
  g_assert_no_error (error);
  g_assert_cmpint (stt_lm_score (lm, stt_lm_word_id (lm, "reregulation"),
          stt_lm_word_id (lm, "time"), stt_lm_word_id (lm, "first")), ==, -194045);
  g_assert_cmpint (stt_lm_score (lm, stt_lm_word_id (lm, "the"), stt_lm_word_id (lm, "of"), -1),
      ==, -16085);
  SttLexicon *lex = stt_lexicon_new_from_model (m, "lm/lexicon.bin", &error);
  g_assert_no_error (error);
  SttLexiconStats st;
  stt_lexicon_get_stats (lex, &st);
  g_assert_cmpuint (st.n_main, ==, 134723);
  g_assert_cmpuint (st.n_alternates, ==, 8778);
  g_assert_cmpuint (st.n_words, ==, 134728);
  /* the manifest describes both with the numbers of the files */
  JsonObject *o = json_object_get_object_member (stt_model_get_properties (m), "lm");
  g_assert_nonnull (o);
  g_assert_cmpint (json_object_get_int_member (o, "lexicon_words"), ==, st.n_words);
  JsonArray *counts = json_object_get_array_member (o, "counts");
  for (guint n = 1; n <= 3; n++)
    g_assert_cmpint (json_array_get_int_element (counts, n - 1), ==, stt_lm_get_count (lm, n));
  stt_lexicon_unref (lex);
  stt_lm_unref (lm);
  stt_model_unref (m);
  g_free (dir);
}

static void
assert_nothing_installed (Fixture *fx)
{
  GDir *d = g_dir_open (fx->models, 0, NULL);
  if (!d)
    return;
  g_assert_null (g_dir_read_name (d));
  g_dir_close (d);
}

/* Replace the link @name by @len bytes of the real file followed by @append. */
static void
replace (Fixture *fx, const char *name, gssize len, const char *append)
{
  char *real = stt_test_sphinx_path (name), *path = g_build_filename (fx->src, name, NULL);
  char *contents;
  gsize n;
  g_assert_true (g_file_get_contents (real, &contents, &n, NULL));
  GString *s = g_string_new_len (contents, len < 0 ? (gssize) n : len);
  g_string_append (s, append);
  g_unlink (path);
  g_assert_true (g_file_set_contents (path, s->str, (gssize) s->len, NULL));
  g_string_free (s, TRUE);
  g_free (contents);
  g_free (real);
  g_free (path);
}

static void
expect_failure (Fixture *fx, const char *file, const char *what)
{
  char *err = NULL, *path = g_build_filename (fx->src, file, NULL);
  g_assert_cmpint (run_import (fx, &err), ==, 1);
  g_test_message ("%s", err);
  if (!strstr (err, path) || !strstr (err, what))
    g_error ("the message does not name %s and \"%s\": %s", path, what, err);
  assert_nothing_installed (fx);
  g_free (err);
  g_free (path);
}

static void
test_truncated_lm (Fixture *fx, gconstpointer data)
{
  replace (fx, "en-us.lm.bin", 20000000, "");
  expect_failure (fx, "en-us.lm.bin", "truncated");
}

static void
test_foreign_lm (Fixture *fx, gconstpointer data)
{
  replace (fx, "en-us.lm.bin", 0, "hello\n");
  expect_failure (fx, "en-us.lm.bin", "not an ARPA LM");
}

static void
test_bad_dictionary (Fixture *fx, gconstpointer data)
{
  replace (fx, "cmudict-en-us.dict", -1, "<s> SIL\n");
  expect_failure (fx, "cmudict-en-us.dict", "line 134724");
}

static void
test_missing_dictionary (Fixture *fx, gconstpointer data)
{
  char *path = g_build_filename (fx->src, "cmudict-en-us.dict", NULL);
  g_unlink (path);
  g_free (path);
  char *err = NULL;
  g_assert_cmpint (run_import (fx, &err), ==, 1);
  g_assert_nonnull (strstr (err, "no pronunciation dictionary"));
  assert_nothing_installed (fx);
  g_free (err);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/tools/import-lm/ok", Fixture, NULL, set_up, test_ok, tear_down);
  g_test_add ("/tools/import-lm/truncated-lm", Fixture, NULL, set_up, test_truncated_lm,
      tear_down);
  g_test_add ("/tools/import-lm/foreign-lm", Fixture, NULL, set_up, test_foreign_lm, tear_down);
  g_test_add ("/tools/import-lm/bad-dictionary", Fixture, NULL, set_up, test_bad_dictionary,
      tear_down);
  g_test_add ("/tools/import-lm/missing-dictionary", Fixture, NULL, set_up,
      test_missing_dictionary, tear_down);
  return g_test_run ();
}
