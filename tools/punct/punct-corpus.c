/* gst-stt — the training and evaluation texts of punct models, and their fixed split.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "punct-corpus.h"

#include <string.h>

gboolean
punct_split_from_string (const char *s, PunctSplit *split)
{
  static const char *const names[] = { "all", "train", "test", "fit", "dev" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (s, names[i]) == 0) {
      *split = i;
      return TRUE;
    }
  return FALSE;
}

/* Whether @path is a State of the Union file whose year ends in @digit. */
static gboolean
year_ends_in (const char *path, char digit)
{
  char *base = g_path_get_basename (path);
  gboolean yes = strlen (base) > 5 && g_ascii_isdigit (base[0]) && g_ascii_isdigit (base[1])
      && g_ascii_isdigit (base[2]) && g_ascii_isdigit (base[3]) && base[4] == '_'
      && base[3] == digit;
  g_free (base);
  return yes;
}

gboolean
punct_corpus_is_heldout (const char *path)
{
  return year_ends_in (path, '5');
}

gboolean
punct_corpus_is_dev (const char *path)
{
  return year_ends_in (path, '0');
}

static gboolean
wanted (const char *path, PunctSplit split)
{
  switch (split) {
    case PUNCT_SPLIT_TRAIN:
      return !punct_corpus_is_heldout (path);
    case PUNCT_SPLIT_TEST:
      return punct_corpus_is_heldout (path);
    case PUNCT_SPLIT_FIT:
      return !punct_corpus_is_heldout (path) && !punct_corpus_is_dev (path);
    case PUNCT_SPLIT_DEV:
      return punct_corpus_is_dev (path);
    default:
      return TRUE;
  }
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static gboolean
add_folder (GPtrArray *files, const char *dir, PunctSplit split, GError **error)
{
  GDir *d = g_dir_open (dir, 0, error);
  if (!d)
    return FALSE;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".txt"))
      g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++) {
    char *path = g_build_filename (dir, names->pdata[i], NULL);
    if (wanted (path, split))
      g_ptr_array_add (files, path);
    else
      g_free (path);
  }
  g_ptr_array_unref (names);
  return TRUE;
}

char **
punct_corpus_files (char **paths, PunctSplit split, GError **error)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  for (char **p = paths; p && *p; p++) {
    if (g_file_test (*p, G_FILE_TEST_IS_DIR)) {
      if (!add_folder (files, *p, split, error)) {
        g_ptr_array_unref (files);
        return NULL;
      }
    } else if (g_file_test (*p, G_FILE_TEST_IS_REGULAR)) {
      if (wanted (*p, split))
        g_ptr_array_add (files, g_strdup (*p));
    } else {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
          "%s: no such file or folder; give text files or folders of *.txt files", *p);
      g_ptr_array_unref (files);
      return NULL;
    }
  }
  g_ptr_array_add (files, NULL);
  g_ptr_array_set_free_func (files, NULL);
  return (char **) g_ptr_array_free (files, FALSE);
}

char **
punct_corpus_read_documents (const char *path, GError **error)
{
  char *text;
  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  GPtrArray *docs = g_ptr_array_new ();
  GString *doc = g_string_new (NULL);
  char **lines = g_strsplit (text, "\n", -1);
  for (char **l = lines;; l++) {
    gboolean blank = !*l || !*g_strstrip (*l);
    if (blank && doc->len) {
      g_ptr_array_add (docs, g_strdup (doc->str));
      g_string_truncate (doc, 0);
    } else if (!blank) {
      if (doc->len)
        g_string_append_c (doc, ' ');
      g_string_append (doc, *l);
    }
    if (!*l)
      break;
  }
  g_strfreev (lines);
  g_string_free (doc, TRUE);
  g_free (text);
  g_ptr_array_add (docs, NULL);
  return (char **) g_ptr_array_free (docs, FALSE);
}
