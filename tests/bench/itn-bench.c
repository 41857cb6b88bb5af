/* gst-stt — ITN benchmark: exact-match rate per class on the shared ITN cases, and throughput.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   itn-bench [--model M] [--verbose] [--seconds S] DATA_DIR
 *
 * DATA_DIR holds test_cases_<class>.txt files of "spoken~written" lines. Every case is
 * normalized with the model (default: the en-US ITN model) and compared with its written
 * form; then all inputs are normalized again and again on one thread for S seconds to measure
 * input words per second. There is no peer ITN in the project to run alongside.
 */
#include <stdio.h>
#include <string.h>
#include <stt/itn.h>

typedef struct {
  char *klass;
  GPtrArray *spoken, *written;
} Cases;

static char **
split_words (const char *line, guint *n)
{
  char **v = g_strsplit_set (line, " \t", -1);
  guint k = 0;
  for (guint i = 0; v[i]; i++) {
    if (*v[i])
      v[k++] = v[i];
    else
      g_free (v[i]);
  }
  v[k] = NULL;
  *n = k;
  return v;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static GPtrArray *
load (const char *dir, GError **error)
{
  GDir *d = g_dir_open (dir, 0, error);
  if (!d)
    return NULL;
  GPtrArray *all = g_ptr_array_new ();
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)))
    if (g_str_has_prefix (name, "test_cases_") && g_str_has_suffix (name, ".txt"))
      g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++) {
    const char *file = g_ptr_array_index (names, i);
    char *path = g_build_filename (dir, file, NULL), *text;
    if (!g_file_get_contents (path, &text, NULL, error)) {
      g_free (path);
      return NULL;
    }
    Cases *c = g_new0 (Cases, 1);
    c->klass = g_strndup (file + 11, strlen (file) - 15);
    c->spoken = g_ptr_array_new_with_free_func (g_free);
    c->written = g_ptr_array_new_with_free_func (g_free);
    char **lines = g_strsplit (text, "\n", -1);
    for (guint l = 0; lines[l]; l++) {
      char *sep = strchr (lines[l], '~');
      if (!sep)
        continue;               /* blank last line */
      g_ptr_array_add (c->spoken, g_strndup (lines[l], sep - lines[l]));
      g_ptr_array_add (c->written, g_strdup (sep + 1));
    }
    g_strfreev (lines);
    g_free (text);
    g_free (path);
    g_ptr_array_add (all, c);
  }
  g_ptr_array_free (names, TRUE);
  return all;
}

int
main (int argc, char **argv)
{
  char *model = NULL;
  gboolean verbose = FALSE;
  double seconds = 2;
  GOptionEntry entries[] = {
    {"model", 'm', 0, G_OPTION_ARG_STRING, &model, "ITN model id, folder or file", "M"},
    {"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print every mismatch", NULL},
    {"seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds, "Throughput run length (2)", "S"},
    {NULL}
  };
  GError *err = NULL;
  GOptionContext *ctx = g_option_context_new ("DATA_DIR - ITN exact match and throughput");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err) || argc != 2) {
    g_printerr ("itn-bench: %s\n", err ? err->message : "give the folder of test_cases_*.txt");
    return 2;
  }
  g_option_context_free (ctx);
  GPtrArray *all = load (argv[1], &err);
  SttItn *itn = all ? stt_itn_open (model ? model : STT_ITN_DEFAULT_MODEL_ID, &err) : NULL;
  if (!itn) {
    g_printerr ("itn-bench: %s\n", err->message);
    return 1;
  }
  SttItnRunner *runner = stt_itn_runner_new (itn);
  guint total = 0, total_ok = 0, worst_ok = 0, worst_n = 1;
  const char *worst = "";
  printf ("%-12s %6s %6s %8s\n", "class", "cases", "exact", "rate");
  for (guint i = 0; i < all->len; i++) {
    Cases *c = g_ptr_array_index (all, i);
    guint ok = 0;
    for (guint k = 0; k < c->spoken->len; k++) {
      char *got = stt_itn_runner_apply_text (runner, g_ptr_array_index (c->spoken, k));
      if (strcmp (got, g_ptr_array_index (c->written, k)) == 0)
        ok++;
      else if (verbose)
        printf ("  %s: \"%s\" -> \"%s\", expected \"%s\"\n", c->klass,
            (char *) g_ptr_array_index (c->spoken, k), got,
            (char *) g_ptr_array_index (c->written, k));
      g_free (got);
    }
    printf ("%-12s %6u %6u %7.1f%%\n", c->klass, c->spoken->len, ok,
        100.0 * ok / MAX (c->spoken->len, 1));
    if ((guint64) ok * worst_n < (guint64) worst_ok * c->spoken->len || !*worst) {
      worst_ok = ok;
      worst_n = c->spoken->len;
      worst = c->klass;
    }
    total += c->spoken->len;
    total_ok += ok;
  }
  printf ("%-12s %6u %6u %7.1f%%   (lowest class: %s %.1f%%)\n", "overall", total, total_ok,
      100.0 * total_ok / MAX (total, 1), worst, 100.0 * worst_ok / worst_n);

  /* throughput: the same inputs, pre-split, on one thread */
  GPtrArray *inputs = g_ptr_array_new ();
  GArray *lens = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < all->len; i++) {
    Cases *c = g_ptr_array_index (all, i);
    for (guint k = 0; k < c->spoken->len; k++) {
      guint n;
      g_ptr_array_add (inputs, split_words (g_ptr_array_index (c->spoken, k), &n));
      g_array_append_val (lens, n);
    }
  }
  guint64 words = 0, calls = 0;
  gint64 t0 = g_get_monotonic_time (), t;
  do {
    for (guint i = 0; i < inputs->len; i++) {
      guint n = g_array_index (lens, guint, i);
      SttItnOutput *out = stt_itn_runner_apply (runner,
          (const char *const *) g_ptr_array_index (inputs, i), n);
      stt_itn_output_free (out);
      words += n;
      calls++;
    }
    t = g_get_monotonic_time ();
  } while (t - t0 < seconds * 1e6);
  double s = (t - t0) / 1e6;
  printf ("throughput: %.0f input words/s, %.0f phrases/s on one thread (%" G_GUINT64_FORMAT
      " words in %.2f s; transducer %u states, %u arcs)\n", words / s, calls / s, words, s,
      stt_itn_get_n_states (itn), stt_itn_get_n_arcs (itn));
  stt_itn_runner_free (runner);
  stt_itn_unref (itn);
  return 0;
}
