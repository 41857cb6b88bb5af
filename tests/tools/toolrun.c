/* gst-stt — helpers of the tools tests: temp folders, model fixtures, stt-hub, stt-container.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "toolrun.h"
#include "testutil.h"

#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

const char *
tr_bin (const char *env)
{
  const char *p = g_getenv (env);
  if (!p || !g_file_test (p, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("%s does not name the program under test (run through meson test)", env);
  return p;
}

char *
tr_tmpdir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("stt-tools-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  GDir *d = g_file_test (path, G_FILE_TEST_IS_SYMLINK) ? NULL : g_dir_open (path, 0, NULL);
  if (d) {
    const char *name;
    while ((name = g_dir_read_name (d))) {
      g_autofree char *child = g_build_filename (path, name, NULL);
      remove_tree (child);
    }
    g_dir_close (d);
  }
  g_remove (path);
}

void
tr_tmpdir_free (char *dir)
{
  if (dir)
    remove_tree (dir);
  g_free (dir);
}

static void
set_created (const char *model_dir, const char *created)
{
  g_autofree char *path = g_build_filename (model_dir, "manifest.json", NULL);
  g_autoptr (JsonParser) p = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_file (p, path, &error));
  JsonObject *o = json_node_get_object (json_parser_get_root (p));
  json_object_set_string_member (o, "created", created);
  g_autofree char *text = json_to_string (json_parser_get_root (p), TRUE);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
}

char *
tr_make_model (const char *models_dir, const char *kind, const char *locale, const char *id,
    const char *pipeline, const char *created, const char *const *files)
{
  g_autoptr (GError) error = NULL;
  SttModelWriter *w = stt_model_writer_new (models_dir, kind, locale, &error);
  g_assert_no_error (error);
  if (id)
    g_assert_true (stt_model_writer_set_id (w, id, &error));
  char *model_id = g_strdup (stt_model_writer_get_id (w));
  g_autofree char *name = g_strdup_printf ("test %s %s", kind, locale);
  stt_model_writer_set_name (w, name);
  if (pipeline)
    stt_model_writer_set_pipeline (w, pipeline);
  for (const char *const *f = files; f && *f; f++) {
    g_autofree char *src = stt_test_data_path (*f);
    g_autofree char *data = NULL;
    gsize len = 0;
    g_assert_true (g_file_get_contents (src, &data, &len, &error));
    g_autoptr (GBytes) bytes = g_bytes_new_take (g_steal_pointer (&data), len);
    g_autofree char *base = g_path_get_basename (*f);
    g_autofree char *dest = g_strconcat ("data/", base, NULL);
    g_assert_true (stt_model_writer_add_bytes (w, dest, bytes, &error));
  }
  g_autofree char *dir = stt_model_writer_commit (w, &error);
  g_assert_no_error (error);
  if (created)
    set_created (dir, created);
  return model_id;
}

/* Children die with the test: a failed assertion must not leave a hub running. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *l = g_subprocess_launcher_new (flags);
  g_subprocess_launcher_set_child_setup (l, die_with_parent, NULL, NULL);
  return l;
}

GSubprocess *
tr_spawn (const char *const *argv, GSubprocessFlags flags)
{
  g_autoptr (GSubprocessLauncher) l = launcher_new (flags);
  g_autoptr (GError) error = NULL;
  GSubprocess *p = g_subprocess_launcher_spawnv (l, argv, &error);
  g_assert_no_error (error);
  return p;
}

TrHub *
tr_hub_start (const char *models_dir, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) tr_bin ("STT_HUB_BIN"));
  g_ptr_array_add (argv, "--models");
  g_ptr_array_add (argv, (char *) models_dir);
  g_ptr_array_add (argv, "--host");
  g_ptr_array_add (argv, "127.0.0.1");
  g_ptr_array_add (argv, "--port");
  g_ptr_array_add (argv, "0");
  for (const char *const *a = args; a && *a; a++)
    g_ptr_array_add (argv, (char *) *a);
  g_ptr_array_add (argv, NULL);

  TrHub *hub = g_new0 (TrHub, 1);
  int fd = g_file_open_tmp ("stt-hub-log-XXXXXX", &hub->log, NULL);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_autoptr (GSubprocessLauncher) l = launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (l, hub->log);
  g_autoptr (GError) error = NULL;
  hub->proc = g_subprocess_launcher_spawnv (l, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_autoptr (GDataInputStream) in = g_data_input_stream_new (
      g_subprocess_get_stdout_pipe (hub->proc));
  hub->url = g_data_input_stream_read_line (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (hub->url);
  g_assert_true (g_str_has_prefix (hub->url, "http://127.0.0.1:"));
  return hub;
}

char *
tr_hub_log (TrHub *hub)
{
  char *text = NULL;
  g_assert_true (g_file_get_contents (hub->log, &text, NULL, NULL));
  return text;
}

void
tr_hub_kill (TrHub *hub)
{
  if (!hub->proc)
    return;
  g_subprocess_force_exit (hub->proc);
  g_subprocess_wait (hub->proc, NULL, NULL);
  g_clear_object (&hub->proc);
}

void
tr_hub_free (TrHub *hub)
{
  if (!hub)
    return;
  if (hub->proc) {
    g_subprocess_send_signal (hub->proc, SIGTERM);
    g_subprocess_wait (hub->proc, NULL, NULL);
    g_object_unref (hub->proc);
  }
  g_remove (hub->log);
  g_free (hub->log);
  g_free (hub->url);
  g_free (hub);
}

static GPtrArray *
container_argv (const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) tr_bin ("STT_CONTAINER_BIN"));
  for (const char *const *a = args; a && *a; a++)
    g_ptr_array_add (argv, (char *) *a);
  g_ptr_array_add (argv, NULL);
  return argv;
}

TrRun *
tr_run_container_env (const char *const *args, const char *const *env)
{
  g_autoptr (GPtrArray) argv = container_argv (args);
  g_autoptr (GSubprocessLauncher) l = launcher_new (
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (const char *const *e = env; e && e[0] && e[1]; e += 2)
    g_subprocess_launcher_setenv (l, e[0], e[1], TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) p = g_subprocess_launcher_spawnv (l, (const char *const *) argv->pdata,
      &error);
  g_assert_no_error (error);
  TrRun *run = g_new0 (TrRun, 1);
  g_assert_true (g_subprocess_communicate_utf8 (p, NULL, NULL, &run->out, &run->err, &error));
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (p) ? g_subprocess_get_exit_status (p)
      : -g_subprocess_get_term_sig (p);
  g_test_message ("stt-container exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out,
      run->err);
  return run;
}

TrRun *
tr_run_container (const char *const *args)
{
  return tr_run_container_env (args, NULL);
}

GSubprocess *
tr_spawn_container (const char *const *args, const char *err_path)
{
  g_autoptr (GPtrArray) argv = container_argv (args);
  g_autoptr (GSubprocessLauncher) l = launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_stderr_file_path (l, err_path);
  g_autoptr (GError) error = NULL;
  GSubprocess *p = g_subprocess_launcher_spawnv (l, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  return p;
}

void
tr_run_free (TrRun *run)
{
  if (!run)
    return;
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}
