/* gst-stt — front-end benchmark: core/fe against sphinx_fe on the same recordings, one core.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * bench-fe [FOLDER-OR-WAV...]   (default: $STT_TEST_DATA/dev, every .wav below it)
 * Run by `ninja -C build bench-fe`. Prints, for the same files in the same invocation:
 *   ours, features (live CMN + deltas, what sttfeatures computes), in memory
 *   ours, cepstra end to end (read WAV, compute, write .mfc: what sphinx_fe does)
 *   sphinx_fe in one process over a control file (Debian sphinxbase-utils)
 * as frames per second of CPU time, the fraction of real time, and sphinx_fe / ours.
 * It also checks that every .mfc we write is byte-identical to sphinx_fe's.
 */
#include <stt/fe.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "testutil.h"

typedef struct {
  char *path;
  char *id;                     /* path below the root without .wav (sphinx_fe's ctl entry) */
  char *root;
  gint16 *samples;
  gsize n;
} Recording;

static double
cpu_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double
children_cpu (void)
{
  struct rusage ru;
  getrusage (RUSAGE_CHILDREN, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec
      + ru.ru_stime.tv_usec * 1e-6;
}

static void
collect (const char *root, const char *dir, GPtrArray *out)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  if (!d)
    return;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)))
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++) {
    char *path = g_build_filename (dir, names->pdata[i], NULL);
    if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
      collect (root, path, out);
      g_free (path);
    } else if (g_str_has_suffix (path, ".wav")) {
      Recording *r = g_new0 (Recording, 1);
      r->path = path;
      r->root = g_strdup (root);
      r->id = g_strndup (path + strlen (root) + 1, strlen (path) - strlen (root) - 5);
      r->samples = stt_test_read_wav (path, &r->n, NULL);
      g_ptr_array_add (out, r);
    } else {
      g_free (path);
    }
  }
  g_ptr_array_unref (names);
}

/* CPU seconds to compute features of every recording, best of @repeats. */
static double
time_features (SttFeParams *p, GPtrArray *recs, int repeats, guint64 *frames)
{
  double best = G_MAXDOUBLE;
  float *out = g_new (float, 4096 * STT_FE_FEAT_DIM);
  for (int r = 0; r < repeats; r++) {
    SttFe *fe = stt_fe_new (p);
    stt_fe_set_cmn (fe, STT_FE_CMN_LIVE);
    stt_fe_set_remove_silence (fe, FALSE);
    *frames = 0;
    double t0 = cpu_now ();
    for (guint i = 0; i < recs->len; i++) {
      Recording *rec = recs->pdata[i];
      /* 20 ms buffers, as a live source delivers them */
      for (gsize pos = 0; pos < rec->n; pos += 320) {
        stt_fe_process (fe, rec->samples + pos, MIN (320, rec->n - pos));
        *frames += stt_fe_read (fe, out, NULL, 4096);
      }
      stt_fe_end_utterance (fe);
      *frames += stt_fe_read (fe, out, NULL, 4096);
    }
    best = MIN (best, cpu_now () - t0);
    stt_fe_free (fe);
  }
  g_free (out);
  return best;
}

static void
write_mfc (const char *path, const float *cep, gsize n_frames)
{
  gint32 count = (gint32) (n_frames * STT_FE_NCEP);
  FILE *f = fopen (path, "wb");
  if (!f || fwrite (&count, 4, 1, f) != 1
      || fwrite (cep, sizeof (float), count, f) != (gsize) count || fclose (f) != 0)
    g_error ("cannot write %s", path);
}

/* CPU seconds to read each WAV, compute its cepstra and write them as .mfc under @outdir. */
static double
time_cepstra_files (SttFeParams *p, GPtrArray *recs, const char *outdir, guint64 *frames)
{
  *frames = 0;
  double t0 = cpu_now ();
  for (guint i = 0; i < recs->len; i++) {
    Recording *rec = recs->pdata[i];
    gsize n;
    gint16 *samples = stt_test_read_wav (rec->path, &n, NULL);
    SttFe *fe = stt_fe_new (p);
    stt_fe_set_output (fe, STT_FE_OUTPUT_CEPSTRA);
    stt_fe_set_remove_silence (fe, FALSE);
    stt_fe_process (fe, samples, n);
    stt_fe_end_utterance (fe);
    gsize k = stt_fe_n_pending (fe);
    float *cep = g_new (float, k * STT_FE_NCEP + 1);
    stt_fe_read (fe, cep, NULL, k);
    char *name = g_strdelimit (g_strdup (rec->id), "/", '_');
    char *path = g_strdup_printf ("%s/%s.ours.mfc", outdir, name);
    write_mfc (path, cep, k);
    *frames += k;
    g_free (path);
    g_free (name);
    g_free (cep);
    stt_fe_free (fe);
    g_free (samples);
  }
  return cpu_now () - t0;
}

/* Run sphinx_fe once over every recording; returns its CPU seconds (user + system). */
static double
time_sphinx_fe (GPtrArray *recs, const char *params, const char *outdir, double *wall)
{
  /* one control file per root folder; here all recordings share one root */
  GString *ctl = g_string_new (NULL);
  for (guint i = 0; i < recs->len; i++)
    g_string_append_printf (ctl, "%s\n", ((Recording *) recs->pdata[i])->id);
  char *ctl_path = g_build_filename (outdir, "files.ctl", NULL);
  g_file_set_contents (ctl_path, ctl->str, ctl->len, NULL);
  char *sphinx_dir = g_build_filename (outdir, "sphinx", NULL);
  const char *argv[] = {"sphinx_fe", "-argfile", params, "-c", ctl_path,
    "-di", ((Recording *) recs->pdata[0])->root, "-ei", "wav", "-do", sphinx_dir, "-eo", "mfc",
    "-mswav", "yes", "-remove_silence", "no", NULL};
  double c0 = children_cpu ();
  gint64 w0 = g_get_monotonic_time ();
  int status;
  GError *error = NULL;
  if (!g_spawn_sync (NULL, (char **) argv, NULL,
          G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
          NULL, NULL, NULL, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("sphinx_fe failed (install Debian's sphinxbase-utils): %s", error->message);
  *wall = (g_get_monotonic_time () - w0) * 1e-6;
  g_string_free (ctl, TRUE);
  g_unlink (ctl_path);
  g_free (ctl_path);
  g_free (sphinx_dir);
  return children_cpu () - c0;
}

/* Count the recordings whose two .mfc files are byte-identical; remove both. */
static guint
compare_and_clean (GPtrArray *recs, const char *outdir)
{
  guint same = 0;
  for (guint i = 0; i < recs->len; i++) {
    Recording *rec = recs->pdata[i];
    char *name = g_strdelimit (g_strdup (rec->id), "/", '_');
    char *ours = g_strdup_printf ("%s/%s.ours.mfc", outdir, name);
    char *theirs = g_strdup_printf ("%s/sphinx/%s.mfc", outdir, rec->id);
    char *a = NULL, *b = NULL;
    gsize la = 0, lb = 0;
    if (g_file_get_contents (ours, &a, &la, NULL) && g_file_get_contents (theirs, &b, &lb, NULL)
        && la == lb && memcmp (a, b, la) == 0)
      same++;
    else
      g_printerr ("differs from sphinx_fe: %s\n", rec->id);
    g_unlink (ours);
    g_unlink (theirs);
    g_free (a);
    g_free (b);
    g_free (ours);
    g_free (theirs);
    g_free (name);
  }
  return same;
}

static void
remove_tree (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d))) {
    char *path = g_build_filename (dir, name, NULL);
    if (g_file_test (path, G_FILE_TEST_IS_DIR))
      remove_tree (path);
    else
      g_unlink (path);
    g_free (path);
  }
  if (d)
    g_dir_close (d);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  GPtrArray *recs = g_ptr_array_new ();
  if (argc > 1) {
    for (int i = 1; i < argc; i++)
      collect (argv[i], argv[i], recs);
  } else {
    char *dev = stt_test_data_path ("dev");
    collect (dev, dev, recs);
    g_free (dev);
  }
  if (recs->len == 0)
    g_error ("no .wav files found");
  gsize samples = 0;
  for (guint i = 0; i < recs->len; i++)
    samples += ((Recording *) recs->pdata[i])->n;
  double audio = samples / 16000.0;

  char *params_path = stt_test_sphinx_feat_params ();
  GError *error = NULL;
  SttFeParams *p = stt_fe_params_load (params_path, &error);
  if (!p)
    g_error ("%s", error->message);
  char *outdir = g_dir_make_tmp ("bench-fe-XXXXXX", NULL);

  guint64 feat_frames, cep_frames;
  double t_feat = time_features (p, recs, 3, &feat_frames);
  gint64 w0 = g_get_monotonic_time ();
  double t_cep = time_cepstra_files (p, recs, outdir, &cep_frames);
  double wall_cep = (g_get_monotonic_time () - w0) * 1e-6;
  double wall_sphinx;
  double t_sphinx = time_sphinx_fe (recs, params_path, outdir, &wall_sphinx);
  guint same = compare_and_clean (recs, outdir);
  remove_tree (outdir);

  printf ("front end benchmark: %u recordings, %.1f s of audio, %" G_GUINT64_FORMAT
      " frames, one core\n", recs->len, audio, cep_frames);
  printf ("%-44s %10s %12s %10s\n", "", "CPU s", "frames/s", "x real time");
  printf ("%-44s %10.3f %12.0f %10.5f\n", "ours, features (live CMN, deltas), memory",
      t_feat, feat_frames / t_feat, t_feat / audio);
  printf ("%-44s %10.3f %12.0f %10.5f   (wall %.3f s)\n", "ours, cepstra, WAV -> .mfc",
      t_cep, cep_frames / t_cep, t_cep / audio, wall_cep);
  printf ("%-44s %10.3f %12.0f %10.5f   (wall %.3f s)\n", "sphinx_fe, WAV -> .mfc, one process",
      t_sphinx, cep_frames / t_sphinx, t_sphinx / audio, wall_sphinx);
  printf ("ratio sphinx_fe / ours (CPU time, same work WAV -> .mfc): %.2f\n", t_sphinx / t_cep);
  printf ("ratio sphinx_fe / ours (wall time, same work): %.2f\n", wall_sphinx / wall_cep);
  printf ("ratio sphinx_fe / ours features: %.2f\n", t_sphinx / t_feat);
  printf (".mfc byte-identical to sphinx_fe: %u of %u recordings\n", same, recs->len);

  g_free (outdir);
  g_free (params_path);
  stt_fe_params_unref (p);
  return same == recs->len ? 0 : 1;
}
