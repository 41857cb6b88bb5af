/* gst-stt — test helpers for the tools: temporary folders, test models, a real stt-hub on
 * loopback, and runs of stt-container.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <stt/model.h>

/* A new temporary folder (removed by tr_tmpdir_free with everything in it). */
char *tr_tmpdir (void);
void tr_tmpdir_free (char *dir);

/* Write a model of @kind/@locale into @models_dir (id = @id, or random when NULL) holding
 * copies of the shared data files @files (paths relative to the data folder), with pipeline
 * @pipeline (may be NULL). @created, when not NULL, replaces the manifest's creation date
 * (the writer stamps "now"; fixtures need distinct dates). Returns the id. */
char *tr_make_model (const char *models_dir, const char *kind, const char *locale,
    const char *id, const char *pipeline, const char *created, const char *const *files);

typedef struct {
  GSubprocess *proc;
  char *url;
  char *log;                    /* path of its stderr */
} TrHub;

/* Start stt-hub on 127.0.0.1, any port, serving @models_dir with the extra @args
 * (NULL-terminated, may be NULL). */
TrHub *tr_hub_start (const char *models_dir, const char *const *args);
char *tr_hub_log (TrHub *hub);          /* its stderr so far */
void tr_hub_kill (TrHub *hub);          /* SIGKILL, wait */
void tr_hub_free (TrHub *hub);          /* stops it if running */

typedef struct {
  int status;                   /* exit status, or -signal */
  char *out, *err;
} TrRun;

/* Run stt-container with @args (NULL-terminated) to completion. */
TrRun *tr_run_container (const char *const *args);
/* Same, with environment variables @env ("NAME", "value", ..., NULL) set for it. */
TrRun *tr_run_container_env (const char *const *args, const char *const *env);
void tr_run_free (TrRun *run);
/* Start stt-container without waiting (stderr to @err_path). */
GSubprocess *tr_spawn_container (const char *const *args, const char *err_path);

/* Start @argv[0]..., stdout piped. */
GSubprocess *tr_spawn (const char *const *argv, GSubprocessFlags flags);
const char *tr_bin (const char *env);
