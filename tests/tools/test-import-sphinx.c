/* gst-stt — `stt-model import-sphinx`: imports the real pocketsphinx-en-us model, and rejects
 * truncated, corrupted and foreign copies of each of its files with a message naming the
 * file, leaving no model (not even a partial one) behind.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stt/model.h>
#include "testutil.h"

#include <glib/gstdio.h>
#include <string.h>

static const char *const files[] = {
  "mdef", "means", "variances", "sendump", "transition_matrices", "noisedict", "feat.params",
};

typedef struct {
  char *tmp;        /* temporary folder */
  char *src;        /* the Sphinx folder copy: symlinks to the real files */
  char *models;     /* --models-dir */
} Fixture;

static char *
sphinx_dir (void)
{
  const char *dir = g_getenv ("STT_SPHINX_MODEL");
  return g_build_filename (dir && *dir ? dir : "/usr/share/pocketsphinx/model/en-us", "en-us",
      NULL);
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fx->tmp = g_dir_make_tmp ("stt-import-XXXXXX", &error);
  g_assert_no_error (error);
  fx->src = g_build_filename (fx->tmp, "sphinx", NULL);
  fx->models = g_build_filename (fx->tmp, "models", NULL);
  g_assert_cmpint (g_mkdir (fx->src, 0755), ==, 0);
  g_autofree char *real = sphinx_dir ();
  for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
    g_autofree char *from = g_build_filename (real, files[i], NULL);
    g_autofree char *to = g_build_filename (fx->src, files[i], NULL);
    g_assert_cmpint (symlink (from, to), ==, 0);
  }
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", fx->tmp);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (fx->tmp);
  g_free (fx->src);
  g_free (fx->models);
}

/* Run the importer; returns its exit status, stderr in @err. */
static int
run_import (Fixture *fx, char **err)
{
  const char *root = g_getenv ("STT_BUILD_ROOT");
  g_autofree char *exe = g_build_filename (root ? root : ".", "tools", "model", "stt-model",
      NULL);
  const char *argv[] = { exe, "import-sphinx", fx->src, "--models-dir", fx->models, NULL };
  int status;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;    /* captured: it would corrupt this test's TAP output */
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
          err, &status, &error));
  g_assert_no_error (error);
  gboolean ok = g_spawn_check_wait_status (status, NULL);
  if (ok)   /* on success the importer prints where the model went */
    g_assert_nonnull (strstr (out, fx->models));
  return ok ? 0 : 1;
}

/* The models folder holds nothing (no model, no hidden temporary folder). */
static void
assert_nothing_installed (Fixture *fx)
{
  GDir *d = g_dir_open (fx->models, 0, NULL);
  if (!d)
    return;
  const char *name = g_dir_read_name (d);
  g_assert_null (name);
  g_dir_close (d);
}

static void
test_import_ok (Fixture *fx, gconstpointer data)
{
  g_autofree char *err = NULL;
  g_assert_cmpint (run_import (fx, &err), ==, 0);
  g_autofree char *dir = g_build_filename (fx->models, STT_DEFAULT_MODEL_ID, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SttModel) m = stt_model_open (dir, &error);
  g_assert_no_error (error);
  g_assert_true (stt_model_verify (m, &error));
  g_assert_cmpstr (stt_model_get_kind (m), ==, "base");
  g_assert_cmpstr (stt_model_get_locale (m), ==, "en-US");
  g_assert_cmpstr (stt_model_get_pipeline (m), ==, "sttfeatures ! sttacoustic ! sttdecoder");
  /* feat.params and noisedict are copied verbatim */
  for (int i = 5; i < 7; i++) {
    g_autofree char *ours = stt_model_get_path (m, files[i], &error);
    g_autofree char *theirs = g_build_filename (fx->src, files[i], NULL);
    g_autofree char *a = NULL, *b = NULL;
    g_assert_true (g_file_get_contents (ours, &a, NULL, NULL));
    g_assert_true (g_file_get_contents (theirs, &b, NULL, NULL));
    g_assert_cmpstr (a, ==, b);
  }
}

typedef enum { TRUNCATE, CORRUPT, FOREIGN } Damage;

/* Replace the symlink of @file by a damaged copy. */
static void
damage (Fixture *fx, const char *file, Damage how)
{
  g_autofree char *path = g_build_filename (fx->src, file, NULL);
  g_autofree char *contents = NULL;
  gsize n;
  g_assert_true (g_file_get_contents (path, &contents, &n, NULL));
  g_assert_cmpint (g_unlink (path), ==, 0);
  switch (how) {
    case TRUNCATE:
      n = n > 40 ? n / 2 : n - 1;
      break;
    case CORRUPT:
      if (strcmp (file, "mdef") == 0) {
        guint32 bad = GUINT32_TO_LE (70000);   /* n_sen beyond the uint16 senone ids */
        gint32 len;
        memcpy (&len, contents + 8, 4);
        memcpy (contents + 12 + GINT32_FROM_LE (len) + 16, &bad, 4);
      } else if (strcmp (file, "sendump") == 0) {
        memcpy (contents + 632, "\xff\xff\xff\x7f", 4);   /* the codeword count */
      } else if (strcmp (file, "noisedict") == 0) {
        memcpy (strstr (contents, "+NSN+"), "+XYZ+", 5);   /* a phone not in the model */
      } else if (strcmp (file, "feat.params") == 0) {
        contents[0] = 'x';                       /* not "-option value" */
      } else {
        contents[n / 2] ^= 0x40;                 /* one flipped bit: the s3 checksum */
      }
      break;
    case FOREIGN: {   /* another file of the model in its place */
      g_autofree char *real = sphinx_dir ();
      g_autofree char *other = g_build_filename (real,
          strcmp (file, "mdef") == 0 ? "sendump" : "mdef", NULL);
      g_free (contents);
      contents = NULL;
      g_assert_true (g_file_get_contents (other, &contents, &n, NULL));
      if (strcmp (file, "noisedict") == 0 || strcmp (file, "feat.params") == 0)
        n = 64;   /* a binary file, not text */
      break;
    }
  }
  g_assert_true (g_file_set_contents (path, contents, n, NULL));
}

static void
test_import_rejects (Fixture *fx, gconstpointer data)
{
  static const char *const how_name[] = { "truncated", "corrupted", "foreign" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    for (Damage how = TRUNCATE; how <= FOREIGN; how++) {
      fixture_tear_down (fx, NULL);
      fixture_set_up (fx, NULL);
      damage (fx, files[i], how);
      g_autofree char *err = NULL;
      g_autofree char *path = g_build_filename (fx->src, files[i], NULL);
      g_assert_cmpint (run_import (fx, &err), ==, 1);
      g_test_message ("%s %s: %s", how_name[how], files[i], err);
      if (!strstr (err, path))
        g_error ("%s %s: message does not name %s: %s", how_name[how], files[i], path, err);
      assert_nothing_installed (fx);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/tools/import-sphinx/ok", Fixture, NULL, fixture_set_up, test_import_ok,
      fixture_tear_down);
  g_test_add ("/tools/import-sphinx/rejects-damaged-files", Fixture, NULL, fixture_set_up,
      test_import_rejects, fixture_tear_down);
  return g_test_run ();
}
