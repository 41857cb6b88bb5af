/* gst-stt — benchmark: stt-container downloading a model from stt-hub on loopback (verified,
 * atomic install) against curl fetching the same bytes from the same hub (no checks).
 * Run: ninja -C build bench-download   (docs/benchmarks.md "Model download")
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "testutil.h"
#include "toolrun.h"

#define COPIES 8                /* the dev set's audio, 8 times over: about 300 MB */

/* One model whose files are the dev set's recordings, each in COPIES files. */
static char *
make_model (const char *dir, guint64 *bytes, guint *n_files)
{
  g_autoptr (GError) error = NULL;
  SttModelWriter *w = stt_model_writer_new (dir, "base", "en-US", &error);
  g_assert_no_error (error);
  stt_model_writer_set_pipeline (w, "sttfeatures ! sttacoustic ! sttdecoder");
  g_autofree char *root = stt_test_data_path ("dev");
  g_autoptr (GDir) sets = g_dir_open (root, 0, NULL);
  const char *set;
  *bytes = 0;
  *n_files = 0;
  while ((set = g_dir_read_name (sets))) {
    g_autofree char *sdir = g_build_filename (root, set, NULL);
    g_autoptr (GDir) d = g_dir_open (sdir, 0, NULL);
    const char *name;
    GString *all = g_string_new (NULL);
    while (d && (name = g_dir_read_name (d))) {
      g_autofree char *p = g_build_filename (sdir, name, NULL);
      g_autofree char *data = NULL;
      gsize len;
      if (g_str_has_suffix (name, ".wav") && g_file_get_contents (p, &data, &len, NULL))
        g_string_append_len (all, data, len);
    }
    for (int c = 0; c < COPIES && all->len; c++) {
      g_autofree char *fname = g_strdup_printf ("audio/%s-%d.raw", set, c);
      g_autoptr (GBytes) b = g_bytes_new (all->str, all->len);
      g_assert_true (stt_model_writer_add_bytes (w, fname, b, &error));
      *bytes += all->len;
      (*n_files)++;
    }
    g_string_free (all, TRUE);
  }
  g_autofree char *out = stt_model_writer_commit (w, &error);
  g_assert_no_error (error);
  return g_path_get_basename (out);
}

static double
timed (const char *const *argv)
{
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (GSubprocess) p = tr_spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE
      | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_assert_true (g_subprocess_wait_check (p, NULL, NULL));
  return (g_get_monotonic_time () - t0) / 1e6;
}

int
main (void)
{
  g_autofree char *hub_dir = tr_tmpdir (), *dest = tr_tmpdir ();
  guint64 bytes;
  guint n_files;
  g_autofree char *id = make_model (hub_dir, &bytes, &n_files);
  TrHub *hub = tr_hub_start (hub_dir, NULL);
  g_autofree char *model_dir = g_build_filename (hub_dir, id, NULL);
  g_autoptr (SttModel) m = stt_model_open (model_dir, NULL);

  /* curl: every file of the model in one process (one connection), written to disk */
  g_autoptr (GPtrArray) curl = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (curl, g_strdup ("curl"));
  g_ptr_array_add (curl, g_strdup ("-sSf"));
  guint i = 0;
  for (const char *const *f = stt_model_list_files (m); *f; f++, i++) {
    g_ptr_array_add (curl, g_strdup ("-o"));
    g_ptr_array_add (curl, g_strdup_printf ("%s/curl-%u.out", dest, i));
    g_ptr_array_add (curl, g_strdup_printf ("%sapi/v1/models/%s/files/%s", hub->url, id, *f));
  }
  g_ptr_array_add (curl, NULL);
  double curl_s = timed ((const char *const *) curl->pdata);

  /* the same plus what stt-container also does: sha256 of every file, fsync of every file */
  g_autofree char *curl_line = g_strjoinv (" ", (char **) curl->pdata);
  g_autofree char *cmd = g_strdup_printf ("%s && sha256sum %s/curl-*.out >/dev/null && "
      "sync %s/curl-*.out", curl_line, dest, dest);
  const char *sh[] = { "sh", "-c", cmd, NULL };
  double manual_s = timed (sh);
  g_autofree char *billing = g_strconcat ("Billing=", hub->url, NULL);
  g_autofree char *models = g_strconcat ("ModelsDir=", dest, NULL);
  g_autofree char *model = g_strconcat ("ModelId=", id, NULL);
  const char *argv[] = { tr_bin ("STT_CONTAINER_BIN"), "Eula=accept", billing, "ApiKey=x",
    models, model, "--print-pipeline", NULL };
  double ours_s = timed (argv);

  printf ("model: %u files, %.1f MB (the dev set's recordings x %d)\n", n_files, bytes / 1e6,
      COPIES);
  printf ("curl, the files to disk (one process):         %6.2f s  %7.1f MB/s\n", curl_s,
      bytes / 1e6 / curl_s);
  printf ("curl + sha256sum + sync (fsync each file):    %6.2f s  %7.1f MB/s\n", manual_s,
      bytes / 1e6 / manual_s);
  printf ("stt-container, download + sha256 + install:   %6.2f s  %7.1f MB/s\n", ours_s,
      bytes / 1e6 / ours_s);
  printf ("ratio stt-container / curl: %.2f; stt-container / (curl + sha256sum + sync): %.2f\n",
      ours_s / curl_s, ours_s / manual_s);
  tr_hub_free (hub);
  tr_tmpdir_free (g_steal_pointer (&hub_dir));
  tr_tmpdir_free (g_steal_pointer (&dest));
  return 0;
}
