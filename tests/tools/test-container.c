/* gst-stt — stt-container against a real stt-hub on loopback: listing, downloads (by id, by
 * locale, priority), Eula, ApiKey, unreachable hub, resume after kill -9 and after a dropped
 * connection, corrupt files, licenses (valid, tampered, expired, other key).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "config.h"
#include "testutil.h"
#include "toolrun.h"
#include "license.h"
#include "usage.h"

#define PIPE "sttfeatures ! sttacoustic ! sttdecoder"
#define KEY "test-key-7d1c"

static const char *const small_a[] = { "dev/fsdd_digits/fsdd_george_2_0.wav", NULL };
static const char *const small_b[] = { "dev/fsdd_digits/fsdd_george_3_0.wav",
  "dev/arctic_cathy/refs.txt", NULL };
static const char *const small_c[] = { "dev/fsdd_digits/fsdd_george_6_0.wav", NULL };
static const char *const big[] = { "dev/ljspeech/LJ001-0010.wav",
  "dev/ljspeech/LJ001-0032.wav", NULL };

/* The hub's catalogue: base and display models in two locales, old and new versions. */
typedef struct {
  char *hub_dir, *models, *license, *output;
  char *base_old, *base_new, *base_fr;
  char *punct_old, *punct_new, *rescore, *reseg, *itn, *punct_fr;
  TrHub *hub;
  char *billing, *apikey, *models_arg;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->hub_dir = tr_tmpdir ();
  f->models = tr_tmpdir ();
  f->license = tr_tmpdir ();
  f->output = tr_tmpdir ();
  f->base_old = tr_make_model (f->hub_dir, "base", "en-US", NULL, PIPE, "2025-06-01T00:00:00Z",
      small_a);
  f->base_new = tr_make_model (f->hub_dir, "base", "en-US", NULL, PIPE, "2026-01-01T00:00:00Z",
      small_b);
  f->base_fr = tr_make_model (f->hub_dir, "base", "fr-FR", NULL, PIPE, "2026-02-01T00:00:00Z",
      small_a);
  f->punct_old = tr_make_model (f->hub_dir, "punct", "en-US", NULL, NULL,
      "2025-01-01T00:00:00Z", small_a);
  f->punct_new = tr_make_model (f->hub_dir, "punct", "en-US", NULL, NULL,
      "2026-03-01T00:00:00Z", small_c);
  f->rescore = tr_make_model (f->hub_dir, "rescore", "en-US", NULL, NULL, NULL, small_a);
  f->reseg = tr_make_model (f->hub_dir, "resegment", "en-US", NULL, NULL, NULL, small_a);
  f->itn = tr_make_model (f->hub_dir, "wfstitn", "en-US", NULL, NULL, NULL, small_c);
  f->punct_fr = tr_make_model (f->hub_dir, "punct", "fr-FR", NULL, NULL, NULL, small_a);
  g_autofree char *keyfile = g_build_filename (f->hub_dir, ".hub-key", NULL);
  const char *args[] = { "--api-key", KEY, "--license-key", keyfile, NULL };
  f->hub = tr_hub_start (f->hub_dir, args);
  f->billing = g_strconcat ("Billing=", f->hub->url, NULL);
  f->apikey = g_strdup ("ApiKey=" KEY);
  f->models_arg = g_strconcat ("Mounts:Models=", f->models, NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  tr_hub_free (f->hub);
  tr_tmpdir_free (f->hub_dir);
  tr_tmpdir_free (f->models);
  tr_tmpdir_free (f->license);
  tr_tmpdir_free (f->output);
  char **strs[] = { &f->base_old, &f->base_new, &f->base_fr, &f->punct_old, &f->punct_new,
    &f->rescore, &f->reseg, &f->itn, &f->punct_fr, &f->billing, &f->apikey, &f->models_arg };
  for (guint i = 0; i < G_N_ELEMENTS (strs); i++)
    g_clear_pointer (strs[i], g_free);
}

static gboolean
installed (const char *models, const char *id)
{
  g_autofree char *dir = g_build_filename (models, id, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SttModel) m = stt_model_open (dir, &error);
  if (!m)
    return FALSE;
  g_assert_true (stt_model_verify (m, &error));
  g_assert_no_error (error);
  return TRUE;
}

/* Number of entries in @dir that are not hidden (installed models). */
static guint
visible_entries (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  const char *name;
  while (d && (name = g_dir_read_name (d)))
    n += name[0] != '.';
  return n;
}

static guint
count (const char *haystack, const char *needle)
{
  guint n = 0;
  for (const char *p = haystack; (p = strstr (p, needle)); p++)
    n++;
  return n;
}

/* ---- Eula, settings ---- */

static void
test_eula_refused (void)
{
  const char *none[] = { "ModelId=" STT_DEFAULT_MODEL_ID, NULL };
  const char *declined[] = { "Eula=decline", NULL };
  TrRun *r = tr_run_container (none);
  g_assert_cmpint (r->status, !=, 0);
  g_assert_nonnull (strstr (r->err, "Eula=accept"));
  tr_run_free (r);
  r = tr_run_container (declined);
  g_assert_cmpint (r->status, !=, 0);
  g_assert_nonnull (strstr (r->err, "Eula=decline"));
  g_assert_nonnull (strstr (r->err, "Eula=accept"));
  tr_run_free (r);
}

static void
test_bad_settings (void)
{
  const char *typo[] = { "Eula=accept", "ModelIdd=x", NULL };
  const char *word[] = { "Eula=accept", "Puntc", NULL };
  const char *port[] = { "Eula=accept", "Port=70000", NULL };
  const char *const *cases[] = { typo, word, port };
  const char *names[] = { "ModelIdd", "Puntc", "Port=70000" };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    TrRun *r = tr_run_container (cases[i]);
    g_assert_cmpint (r->status, ==, 2);
    g_assert_nonnull (strstr (r->err, names[i]));
    tr_run_free (r);
  }
}

/* Eula=accept alone: the default model from the model folder, no hub, said first. */
static void
test_local_mode (void)
{
  g_autofree char *models = tr_tmpdir ();
  g_autofree char *id = tr_make_model (models, "base", "en-US", STT_DEFAULT_MODEL_ID, PIPE,
      NULL, small_a);
  g_autofree char *dir_arg = g_strconcat ("modelsdir=", models, NULL);
  /* keys are case-insensitive, as the real container's */
  const char *args[] = { "eula=ACCEPT", dir_arg, "--print-pipeline", NULL };
  TrRun *r = tr_run_container (args);
  g_assert_cmpint (r->status, ==, 0);
  g_auto (GStrv) lines = g_strsplit (r->err, "\n", 2);
  g_assert_nonnull (strstr (lines[0], "local mode"));
  g_assert_nonnull (strstr (lines[0], STT_DEFAULT_MODEL_ID));
  g_assert_nonnull (strstr (r->out, "sttdecoder model=" STT_DEFAULT_MODEL_ID));
  g_assert_nonnull (strstr (r->out, "gst-launch-1.0 "));
  g_assert_null (strstr (r->err, "license"));
  tr_run_free (r);

  /* no default model installed: a clear error naming the model and the setup */
  g_autofree char *empty = tr_tmpdir ();
  g_autofree char *empty_arg = g_strconcat ("ModelsDir=", empty, NULL);
  const char *none[] = { "Eula=accept", empty_arg, NULL };
  const char *env[] = { "STT_MODEL_PATH", empty, "XDG_DATA_HOME", empty, NULL };
  /* the prefix and /usr/local/models stay in the path: skip when the model is there */
  g_autofree char *prefix = g_build_filename (STT_DATADIR, "models", STT_DEFAULT_MODEL_ID,
      "manifest.json", NULL);
  if (g_file_test (prefix, G_FILE_TEST_EXISTS) || g_file_test ("/usr/local/models/"
          STT_DEFAULT_MODEL_ID "/manifest.json", G_FILE_TEST_EXISTS)) {
    g_test_message ("the default model is installed system-wide: not testing its absence");
  } else {
    r = tr_run_container_env (none, env);
    g_assert_cmpint (r->status, ==, 1);
    g_assert_nonnull (strstr (r->err, "default en-US model " STT_DEFAULT_MODEL_ID " is not"));
    tr_run_free (r);
  }
  tr_tmpdir_free (g_steal_pointer (&empty));
  tr_tmpdir_free (g_steal_pointer (&models));
}

/* ---- listing ---- */

static void
test_list_base (Fixture *f, gconstpointer data)
{
  const char *args[] = { "Eula=accept", f->billing, f->apikey, f->models_arg,
    "BaseModelLocale=en-US", NULL };
  TrRun *r = tr_run_container (args);
  g_assert_cmpint (r->status, ==, 0);
  const char *n = strstr (r->out, f->base_new), *o = strstr (r->out, f->base_old);
  g_assert_nonnull (n);
  g_assert_nonnull (o);
  g_assert_true (n < o);        /* newest first */
  g_assert_nonnull (strstr (r->out, "2026-01-01T00:00:00Z"));
  g_assert_null (strstr (r->out, f->base_fr));
  g_assert_null (strstr (r->out, f->punct_new));
  g_assert_cmpuint (visible_entries (f->models), ==, 0);
  tr_run_free (r);

  /* a folder not named by its model's id is not offered (it could not be downloaded) */
  g_autofree char *from = g_build_filename (f->hub_dir, f->base_old, NULL);
  g_autofree char *to = g_build_filename (f->hub_dir, "6f1d5a43-0f6e-4b8e-9a0c-111111111111",
      NULL);
  g_assert_cmpint (g_rename (from, to), ==, 0);
  r = tr_run_container (args);
  g_assert_cmpint (r->status, ==, 0);
  g_assert_nonnull (strstr (r->out, f->base_new));
  g_assert_null (strstr (r->out, f->base_old));
  g_autofree char *log = tr_hub_log (f->hub);
  g_assert_nonnull (strstr (log, "a model folder is named by its id"));
  tr_run_free (r);
}

static void
test_list_display (Fixture *f, gconstpointer data)
{
  const char *args[] = { "Eula=accept", f->billing, f->apikey, f->models_arg,
    "BaseModelLocale=en-US", "punct", "Wfstitn", NULL };
  TrRun *r = tr_run_container (args);
  g_assert_cmpint (r->status, ==, 0);
  g_assert_nonnull (strstr (r->out, f->punct_new));
  g_assert_null (strstr (r->out, f->punct_old));
  g_assert_null (strstr (r->out, f->punct_fr));
  g_assert_nonnull (strstr (r->out, f->itn));
  g_assert_null (strstr (r->out, f->rescore));
  g_assert_null (strstr (r->out, f->base_new));
  g_assert_cmpuint (visible_entries (f->models), ==, 0);
  tr_run_free (r);
}

/* ---- downloads ---- */

static void
test_download_by_id (Fixture *f, gconstpointer data)
{
  g_autofree char *model = g_strconcat ("ModelId=", f->base_new, NULL);
  const char *args[] = { "Eula=accept", f->billing, f->apikey, f->models_arg, model,
    "--print-pipeline", NULL };
  TrRun *r = tr_run_container (args);
  g_assert_cmpint (r->status, ==, 0);
  g_assert_true (installed (f->models, f->base_new));
  g_autofree char *expect = g_strdup_printf ("sttdecoder model=%s", f->base_new);
  g_assert_nonnull (strstr (r->out, expect));
  g_assert_nonnull (strstr (r->out, "STT_MODEL_PATH="));
  g_assert_cmpuint (visible_entries (f->models), ==, 1);
  tr_run_free (r);

  /* present already: not downloaded again */
  g_autofree char *log_before = tr_hub_log (f->hub);
  r = tr_run_container (args);
  g_assert_cmpint (r->status, ==, 0);
  g_assert_nonnull (strstr (r->err, "already present"));
  g_autofree char *log_after = tr_hub_log (f->hub);
  g_assert_cmpuint (count (log_after, "/files/"), ==, count (log_before, "/files/"));
  tr_run_free (r);

  /* a custom model brings its base model along (and an empty file arrives as one) */
  g_autoptr (GError) error = NULL;
  SttModelWriter *w = stt_model_writer_new (f->hub_dir, "custom", "en-US", &error);
  g_assert_no_error (error);
  stt_model_writer_set_base_model (w, f->base_old);
  stt_model_writer_set_pipeline (w, PIPE);
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  g_assert_true (stt_model_writer_add_bytes (w, "lm/no-new-words.txt", empty, &error));
  g_autofree char *custom = g_strdup (stt_model_writer_get_id (w));
  g_autofree char *custom_dir = stt_model_writer_commit (w, &error);
  g_assert_no_error (error);
  g_autofree char *custom_arg = g_strconcat ("ModelId=", custom, NULL);
  const char *with_base[] = { "Eula=accept", f->billing, f->apikey, f->models_arg, custom_arg,
    "--print-pipeline", NULL };
  r = tr_run_container (with_base);
  g_assert_cmpint (r->status, ==, 0);
  g_assert_true (installed (f->models, custom));
  g_assert_true (installed (f->models, f->base_old));
  tr_run_free (r);

  /* a model id the hub does not have */
  const char *missing[] = { "Eula=accept", f->billing, f->apikey, f->models_arg,
    "ModelId=11111111-2222-4333-8444-555555555555", NULL };
  r = tr_run_container (missing);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, "no model 11111111-2222-4333-8444-555555555555"));
  tr_run_free (r);
}

/* ModelId + DisplayLocale FullDisplay: the latest of each type, in pipeline order. */
static void
test_download_by_locale (Fixture *f, gconstpointer data)
{
  g_autofree char *model = g_strconcat ("ModelId=", f->base_old, NULL);
  const char *args[] = { "Eula=accept", f->billing, f->apikey, f->models_arg, model,
    "DisplayLocale=en-US", "FullDisplay", "--print-pipeline", NULL };
  TrRun *r = tr_run_container (args);
  g_assert_cmpint (r->status, ==, 0);
  const char *ids[] = { f->base_old, f->rescore, f->punct_new, f->reseg, f->itn };
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_true (installed (f->models, ids[i]));
  g_assert_false (installed (f->models, f->punct_old));
  g_assert_cmpuint (visible_entries (f->models), ==, 5);
  /* order: base fragment, rescore, punct, reseg, itn */
  g_autofree char *dec = g_strdup_printf ("sttdecoder model=%s", f->base_old);
  g_autofree char *res = g_strdup_printf ("sttrescore model=%s", f->rescore);
  g_autofree char *pun = g_strdup_printf ("sttpunct model=%s", f->punct_new);
  g_autofree char *seg = g_strdup_printf ("sttreseg model=%s", f->reseg);
  g_autofree char *itn = g_strdup_printf ("sttitn model=%s", f->itn);
  const char *p[] = { strstr (r->out, dec), strstr (r->out, res), strstr (r->out, pun),
    strstr (r->out, seg), strstr (r->out, itn) };
  for (guint i = 0; i < G_N_ELEMENTS (p); i++) {
    g_assert_nonnull (p[i]);
    if (i)
      g_assert_true (p[i - 1] < p[i]);
  }
  tr_run_free (r);

  /* an exact display model by id wins over the type word; offline afterwards, the type word
   * alone picks the newest installed of the base model's locale */
  g_autofree char *punct_id = g_strconcat ("punctid=", f->punct_old, NULL);
  const char *by_id[] = { "Eula=accept", f->billing, f->apikey, f->models_arg, model, punct_id,
    "--print-pipeline", NULL };
  r = tr_run_container (by_id);
  g_assert_cmpint (r->status, ==, 0);
  g_autofree char *old = g_strdup_printf ("sttpunct model=%s", f->punct_old);
  g_assert_nonnull (strstr (r->out, old));
  g_assert_null (strstr (r->out, "sttitn"));
  tr_run_free (r);

  /* DisplayLocale without types is refused */
  const char *no_types[] = { "Eula=accept", f->billing, f->apikey, f->models_arg, model,
    "DisplayLocale=en-US", NULL };
  r = tr_run_container (no_types);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, "FullDisplay"));
  tr_run_free (r);
}

/* An organisation's mirror: models downloaded from one hub into a folder that a second hub
 * serves, from which containers download offline. */
static void
test_mirror (Fixture *f, gconstpointer data)
{
  g_autofree char *mirror = tr_tmpdir ();
  g_autofree char *mirror_arg = g_strconcat ("ModelsDir=", mirror, NULL);
  g_autofree char *model = g_strconcat ("ModelId=", f->base_new, NULL);
  const char *fill[] = { "Eula=accept", f->billing, f->apikey, mirror_arg, model,
    "DisplayLocale=en-US", "Punct", "--print-pipeline", NULL };
  TrRun *r = tr_run_container (fill);
  g_assert_cmpint (r->status, ==, 0);
  tr_run_free (r);

  TrHub *local = tr_hub_start (mirror, NULL);
  g_autofree char *billing = g_strconcat ("Billing=", local->url, NULL);
  const char *list[] = { "Eula=accept", billing, "ApiKey=x", "BaseModelLocale=en-US", NULL };
  r = tr_run_container (list);
  g_assert_cmpint (r->status, ==, 0);
  g_assert_nonnull (strstr (r->out, f->base_new));
  g_assert_null (strstr (r->out, f->base_old));
  tr_run_free (r);
  const char *get[] = { "Eula=accept", billing, "ApiKey=x", f->models_arg, model,
    "DisplayLocale=en-US", "Punct", "--print-pipeline", NULL };
  r = tr_run_container (get);
  g_assert_cmpint (r->status, ==, 0);
  g_assert_true (installed (f->models, f->base_new));
  g_assert_true (installed (f->models, f->punct_new));
  tr_run_free (r);
  tr_hub_free (local);
  tr_tmpdir_free (g_steal_pointer (&mirror));
}

/* BaseModelLocale, then model id, then DisplayLocale. */
static void
test_priority (Fixture *f, gconstpointer data)
{
  g_autofree char *model = g_strconcat ("ModelId=", f->base_new, NULL);
  const char *all[] = { "Eula=accept", f->billing, f->apikey, f->models_arg,
    "DisplayLocale=en-US", "Punct", model, "BaseModelLocale=en-US", NULL };
  TrRun *r = tr_run_container (all);
  g_assert_cmpint (r->status, ==, 0);
  g_assert_nonnull (strstr (r->out, f->punct_new));     /* listed, latest punct */
  g_assert_cmpuint (visible_entries (f->models), ==, 0);        /* nothing downloaded */
  tr_run_free (r);

  const char *two[] = { "Eula=accept", f->billing, f->apikey, f->models_arg,
    "DisplayLocale=en-US", "Punct", model, "--print-pipeline", NULL };
  r = tr_run_container (two);
  g_assert_cmpint (r->status, ==, 0);
  g_autofree char *a = g_strdup_printf ("downloading model %s", f->base_new);
  g_autofree char *b = g_strdup_printf ("downloading model %s", f->punct_new);
  g_assert_nonnull (strstr (r->err, a));
  g_assert_nonnull (strstr (r->err, b));
  g_assert_true (strstr (r->err, a) < strstr (r->err, b));
  tr_run_free (r);
}

/* ---- keys and reachability ---- */

static void
test_wrong_key (Fixture *f, gconstpointer data)
{
  const char *args[] = { "Eula=accept", f->billing, "ApiKey=wrong", f->models_arg,
    "BaseModelLocale=en-US", NULL };
  TrRun *r = tr_run_container (args);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, "refused the ApiKey"));
  g_assert_cmpstr (r->out, ==, "");
  tr_run_free (r);

  const char *no_key[] = { "Eula=accept", f->billing, "BaseModelLocale=en-US", NULL };
  r = tr_run_container (no_key);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, "ApiKey"));
  tr_run_free (r);
}

static void
test_unreachable (void)
{
  /* a port that was free a moment ago: nobody listens there */
  g_autoptr (GSocketListener) l = g_socket_listener_new ();
  guint16 port = g_socket_listener_add_any_inet_port (l, NULL, NULL);
  g_socket_listener_close (l);
  g_autofree char *billing = g_strdup_printf ("Billing=http://127.0.0.1:%u/", port);
  const char *args[] = { "Eula=accept", billing, "ApiKey=x", "BaseModelLocale=en-US", NULL };
  TrRun *r = tr_run_container (args);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, "cannot reach the model hub"));
  tr_run_free (r);

  const char *bad_url[] = { "Eula=accept", "Billing=ftp:/x", "ApiKey=x", NULL };
  r = tr_run_container (bad_url);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, "not an http"));
  tr_run_free (r);
}

/* ---- interrupted and corrupt downloads ---- */

static guint64
staged_bytes (const char *models, const char *id)
{
  g_autofree char *hidden = g_strconcat (".download-", id, NULL);
  guint64 total = 0;
  for (const char *const *f = big; *f; f++) {
    g_autofree char *base = g_path_get_basename (*f);
    g_autofree char *path = g_build_filename (models, hidden, "data", base, NULL);
    struct stat st;
    if (stat (path, &st) == 0)
      total += st.st_size;
  }
  return total;
}

/* Wait until the download of @id has some bytes staged, then return. */
static void
wait_for_partial (const char *models, const char *id)
{
  for (int i = 0; i < 400 && staged_bytes (models, id) < 20000; i++)
    g_usleep (10000);
  g_assert_cmpuint (staged_bytes (models, id), >=, 20000);
}

/* A hub serving one ~500 KB model at 250 KB/s, and a container downloading it, stopped once
 * some bytes are staged. */
typedef struct {
  char *hub_dir, *models, *id, *billing, *models_arg, *model, *err;
  TrHub *hub;
  GSubprocess *proc;
} Resume;

static const char *const *
resume_args (Resume *r, const char *args[7])
{
  g_free (r->billing);
  r->billing = g_strconcat ("Billing=", r->hub->url, NULL);
  const char *a[] = { "Eula=accept", r->billing, "ApiKey=any", r->models_arg, r->model,
    "--print-pipeline", NULL };
  memcpy (args, a, sizeof a);
  return args;
}

static void
resume_start (Resume *r)
{
  r->hub_dir = tr_tmpdir ();
  r->models = tr_tmpdir ();
  r->id = tr_make_model (r->hub_dir, "base", "en-US", NULL, PIPE, NULL, big);
  const char *slow[] = { "--rate", "250000", NULL };
  r->hub = tr_hub_start (r->hub_dir, slow);
  r->models_arg = g_strconcat ("ModelsDir=", r->models, NULL);
  r->model = g_strconcat ("ModelId=", r->id, NULL);
  r->err = g_build_filename (r->models, ".stderr", NULL);
  const char *args[7];
  r->proc = tr_spawn_container (resume_args (r, args), r->err);
  wait_for_partial (r->models, r->id);
}

/* The next run resumes the download and installs a verified model. */
static void
resume_finish (Resume *r)
{
  const char *args[7];
  TrRun *run = tr_run_container (resume_args (r, args));
  g_assert_cmpint (run->status, ==, 0);
  g_assert_nonnull (strstr (run->err, "resumed"));
  g_assert_true (installed (r->models, r->id));
  tr_run_free (run);
}

static void
resume_free (Resume *r)
{
  g_clear_object (&r->proc);
  tr_hub_free (r->hub);
  tr_tmpdir_free (r->hub_dir);
  tr_tmpdir_free (r->models);
  g_free (r->id);
  g_free (r->billing);
  g_free (r->models_arg);
  g_free (r->model);
  g_free (r->err);
}

static void
test_resume_after_kill (void)
{
  Resume r = { NULL };
  resume_start (&r);
  g_subprocess_force_exit (r.proc);     /* kill -9 in the middle of the download */
  g_subprocess_wait (r.proc, NULL, NULL);
  guint64 staged = staged_bytes (r.models, r.id);
  g_assert_false (installed (r.models, r.id));
  g_assert_cmpuint (visible_entries (r.models), ==, 0);

  g_autofree char *log_before = tr_hub_log (r.hub);
  g_assert_null (strstr (log_before, "range="));
  resume_finish (&r);
  g_autofree char *log = tr_hub_log (r.hub);
  /* the second run asked for the rest only */
  const char *at = strstr (log, "range=bytes=");
  g_assert_nonnull (at);
  guint64 from = g_ascii_strtoull (at + strlen ("range=bytes="), NULL, 10);
  g_assert_cmpuint (from, >, 0);
  g_assert_cmpuint (from, <=, staged);
  resume_free (&r);
}

static void
test_resume_after_dropped_connection (void)
{
  Resume r = { NULL };
  resume_start (&r);
  tr_hub_kill (r.hub);          /* the connection drops mid-file */
  g_subprocess_wait (r.proc, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (r.proc));
  g_assert_cmpint (g_subprocess_get_exit_status (r.proc), ==, 1);
  g_autofree char *msg = NULL;
  g_assert_true (g_file_get_contents (r.err, &msg, NULL, NULL));
  g_assert_nonnull (strstr (msg, "run again to resume"));
  g_assert_false (installed (r.models, r.id));
  g_assert_cmpuint (visible_entries (r.models), ==, 0);
  tr_hub_free (r.hub);
  r.hub = tr_hub_start (r.hub_dir, NULL);       /* back, on another port */
  resume_finish (&r);
  resume_free (&r);
}

/* Two containers on one models folder (replicas on a shared volume) download a model once. */
static void
test_concurrent_download (void)
{
  Resume r = { NULL };
  resume_start (&r);            /* the first is downloading */
  const char *args[7];
  TrRun *second = tr_run_container (resume_args (&r, args));
  g_assert_cmpint (second->status, ==, 0);
  g_assert_nonnull (strstr (second->err, "another process is downloading"));
  g_assert_null (strstr (second->err, "(base, en-US"));   /* it fetched nothing */
  tr_run_free (second);
  g_subprocess_wait (r.proc, NULL, NULL);
  g_assert_cmpint (g_subprocess_get_exit_status (r.proc), ==, 0);
  g_assert_true (installed (r.models, r.id));
  g_autofree char *log = tr_hub_log (r.hub);
  g_assert_cmpuint (count (log, "/files/"), ==, g_strv_length ((char **) big));
  resume_free (&r);
}

static void
test_corrupt_file (Fixture *f, gconstpointer data)
{
  /* flip one byte of a file on the hub: same size, wrong content */
  g_autofree char *path = g_build_filename (f->hub_dir, f->base_new, "data",
      "fsdd_george_3_0.wav", NULL);
  g_autofree char *bytes = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  bytes[len / 2] ^= 0x55;
  g_chmod (path, 0644);
  g_assert_true (g_file_set_contents (path, bytes, len, NULL));

  g_autofree char *model = g_strconcat ("ModelId=", f->base_new, NULL);
  const char *args[] = { "Eula=accept", f->billing, f->apikey, f->models_arg, model, NULL };
  TrRun *r = tr_run_container (args);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, "corrupt"));
  g_assert_nonnull (strstr (r->err, "fsdd_george_3_0.wav"));
  g_assert_false (installed (f->models, f->base_new));
  g_assert_cmpuint (visible_entries (f->models), ==, 0);
  tr_run_free (r);
}

/* ---- licenses ---- */

static TrRun *
disconnected_run (Fixture *f, const char *model_id, gboolean with_license)
{
  g_autofree char *model = g_strconcat ("ModelId=", model_id, NULL);
  g_autofree char *lic = g_strconcat ("Mounts:License=", f->license, NULL);
  g_autofree char *out = g_strconcat ("Mounts:Output=", f->output, NULL);
  const char *args[] = { "Eula=accept", f->models_arg, model, out, "--print-pipeline",
    with_license ? lic : NULL, NULL };
  return tr_run_container (args);
}

static void
fetch_license (Fixture *f, const char *model_id)
{
  g_autofree char *model = g_strconcat ("ModelId=", model_id, NULL);
  g_autofree char *lic = g_strconcat ("Mounts:License=", f->license, NULL);
  const char *args[] = { "Eula=accept", f->billing, f->apikey, f->models_arg, model,
    "DownloadLicense=True", lic, NULL };
  TrRun *r = tr_run_container (args);
  g_assert_cmpint (r->status, ==, 0);
  g_assert_nonnull (strstr (r->err, "license valid until"));
  tr_run_free (r);
}

static void
test_license (Fixture *f, gconstpointer data)
{
  fetch_license (f, f->base_new);
  g_assert_true (installed (f->models, f->base_new));

  /* without Billing a hub model needs the license ... */
  TrRun *r = disconnected_run (f, f->base_new, FALSE);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, "Mounts:License"));
  tr_run_free (r);
  /* ... and runs with it */
  r = disconnected_run (f, f->base_new, TRUE);
  g_assert_cmpint (r->status, ==, 0);
  g_assert_nonnull (strstr (r->err, "disconnected mode: license valid until"));
  tr_run_free (r);

  /* tampered: push the expiry date in the signed payload one year further */
  g_autofree char *path = g_build_filename (f->license, "license.json", NULL);
  g_autofree char *doc = NULL;
  g_assert_true (g_file_get_contents (path, &doc, NULL, NULL));
  char *exp = strstr (doc, "expires\\\":\\\"");
  g_assert_nonnull (exp);
  exp += strlen ("expires\\\":\\\"") + 3;       /* last digit of the year */
  *exp = *exp == '9' ? '0' : *exp + 1;
  g_autofree char *tampered = g_strdup (doc);
  *exp = *exp == '0' ? '9' : *exp - 1;
  g_autofree char *original = g_strdup (doc);
  g_assert_true (g_file_set_contents (path, tampered, -1, NULL));
  r = disconnected_run (f, f->base_new, TRUE);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, "signature does not match"));
  tr_run_free (r);

  /* expired: signed with the hub's own key, but dated in the past */
  g_autofree char *keyfile = g_build_filename (f->hub_dir, ".hub-key", NULL);
  guint8 priv[STT_LICENSE_KEY_SIZE], pub[STT_LICENSE_KEY_SIZE];
  g_autoptr (GError) error = NULL;
  g_assert_true (stt_license_key_load_or_create (keyfile, priv, pub, &error));
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) past = g_date_time_add_seconds (now, -60);
  g_autofree char *expired = stt_license_issue (priv, pub, "test", past);
  g_assert_true (g_file_set_contents (path, expired, -1, NULL));
  r = disconnected_run (f, f->base_new, TRUE);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, "expired"));
  tr_run_free (r);

  /* signed by another key */
  g_autofree char *other_key = g_build_filename (f->license, ".other-key", NULL);
  guint8 opriv[STT_LICENSE_KEY_SIZE], opub[STT_LICENSE_KEY_SIZE];
  g_assert_true (stt_license_key_load_or_create (other_key, opriv, opub, &error));
  g_autoptr (GDateTime) later = g_date_time_add_days (now, 30);
  g_autofree char *forged = stt_license_issue (opriv, opub, "test", later);
  g_assert_true (g_file_set_contents (path, forged, -1, NULL));
  r = disconnected_run (f, f->base_new, TRUE);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, "signature does not match"));
  tr_run_free (r);

  /* the untouched original still works */
  g_assert_true (g_file_set_contents (path, original, -1, NULL));
  r = disconnected_run (f, f->base_new, TRUE);
  g_assert_cmpint (r->status, ==, 0);
  tr_run_free (r);

  /* a pinned key (LicenseKey=) decides over the saved one */
  g_autofree char *other_pub = g_build_filename (f->output, "other.pub", NULL);
  g_autofree char *other64 = stt_license_key_to_string (opub);
  g_assert_true (g_file_set_contents (other_pub, other64, -1, NULL));
  g_autofree char *model = g_strconcat ("ModelId=", f->base_new, NULL);
  g_autofree char *lic = g_strconcat ("Mounts:License=", f->license, NULL);
  g_autofree char *out = g_strconcat ("Mounts:Output=", f->output, NULL);
  g_autofree char *pin = g_strconcat ("LicenseKey=", other_pub, NULL);
  const char *pinned[] = { "Eula=accept", f->models_arg, model, lic, out, pin,
    "--print-pipeline", NULL };
  r = tr_run_container (pinned);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, "signature does not match"));
  tr_run_free (r);

  /* the license alone is not enough: usage records need Mounts:Output */
  const char *no_output[] = { "Eula=accept", f->models_arg, model, lic, "--print-pipeline",
    NULL };
  r = tr_run_container (no_output);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, "Mounts:Output"));
  tr_run_free (r);

  /* with Billing, no license is needed */
  const char *connected[] = { "Eula=accept", f->billing, f->apikey, f->models_arg, model,
    "--print-pipeline", NULL };
  g_assert_cmpint (g_remove (path), ==, 0);
  r = tr_run_container (connected);
  g_assert_cmpint (r->status, ==, 0);
  tr_run_free (r);
}

static void
test_license_needs_hub_key (Fixture *f, gconstpointer data)
{
  /* a hub started without --license-key issues none, and says so */
  g_autofree char *model = g_strconcat ("ModelId=", f->base_old, NULL);
  g_autofree char *lic = g_strconcat ("Mounts:License=", f->license, NULL);
  TrHub *plain = tr_hub_start (f->hub_dir, NULL);
  g_autofree char *billing = g_strconcat ("Billing=", plain->url, NULL);
  const char *args[] = { "Eula=accept", billing, "ApiKey=x", f->models_arg,
    "DownloadLicense=True", lic, NULL };
  TrRun *r = tr_run_container (args);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, "does not issue licenses"));
  tr_run_free (r);
  tr_hub_free (plain);
}

/* ---- serving ---- */

static char *
http (guint port, const char *method, const char *path, GBytes *body, guint *status)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", port, path);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  if (body)
    soup_message_set_request_body_from_bytes (msg, "audio/wav", body);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
}

/* Local mode serves: /ready answers, a REST request leaves a usage record before its result.
 * Skipped when this build has no service (tools/service not merged yet). */
static void
test_serve (void)
{
  g_autofree char *models = tr_tmpdir (), *output = tr_tmpdir ();
  /* the service's own tests use identity as the recognizer; the real one needs the plugins */
  g_autofree char *id = tr_make_model (models, "base", "en-US", STT_DEFAULT_MODEL_ID, "identity",
      NULL, small_a);
  g_autofree char *models_arg = g_strconcat ("ModelsDir=", models, NULL);
  g_autofree char *out_arg = g_strconcat ("Mounts:Output=", output, NULL);
  g_autofree char *err = g_build_filename (output, "stderr", NULL);
  const char *args[] = { "Eula=accept", models_arg, out_arg, "Port=0", NULL };
  GSubprocess *p = tr_spawn_container (args, err);
  g_autofree char *log = NULL;
  const char *at = NULL;
  for (int i = 0; i < 1000 && !at; i++) {
    g_usleep (10000);
    g_clear_pointer (&log, g_free);
    g_file_get_contents (err, &log, NULL, NULL);
    at = log ? strstr (log, " on port ") : NULL;
    if (!at && g_subprocess_get_identifier (p) == NULL)
      break;                    /* exited */
  }
  if (!at) {
    g_subprocess_wait (p, NULL, NULL);
    g_assert_nonnull (strstr (log, "serving is unavailable"));
    g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 3);
    g_object_unref (p);
    g_test_skip ("this build has no service (tools/service)");
    tr_tmpdir_free (g_steal_pointer (&models));
    tr_tmpdir_free (g_steal_pointer (&output));
    return;
  }
  guint port = g_ascii_strtoull (at + strlen (" on port "), NULL, 10), status = 0;
  g_autofree char *ready = http (port, "GET", "/ready", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_autofree char *wav = stt_test_data_path ("dev/fsdd_digits/fsdd_george_2_0.wav");
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (wav, &data, &len, NULL));
  g_autoptr (GBytes) body = g_bytes_new_take (g_steal_pointer (&data), len);
  g_autofree char *reply = http (port, "POST",
      "/speech/recognition/conversation/cognitiveservices/v1?language=en-US", body, &status);
  g_assert_cmpuint (status, ==, 200);
  /* the record was on disk before the reply came */
  g_autofree char *usage = g_build_filename (output, STT_USAGE_FILE_NAME, NULL);
  guint skipped = 9;
  g_autoptr (GPtrArray) recs = stt_usage_read (usage, &skipped, NULL);
  g_assert_nonnull (recs);
  g_assert_cmpuint (recs->len, ==, 1);
  g_assert_cmpuint (skipped, ==, 0);
  SttUsageRecord *r = g_ptr_array_index (recs, 0);
  g_assert_cmpstr (r->model_id, ==, STT_DEFAULT_MODEL_ID);
  g_assert_nonnull (strstr (r->endpoint, "/speech/recognition/conversation"));
  g_subprocess_send_signal (p, SIGTERM);
  g_subprocess_wait (p, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (p));
  g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 0);
  g_object_unref (p);
  tr_tmpdir_free (g_steal_pointer (&models));
  tr_tmpdir_free (g_steal_pointer (&output));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/container/eula-refused", test_eula_refused);
  g_test_add_func ("/container/bad-settings", test_bad_settings);
  g_test_add_func ("/container/local-mode", test_local_mode);
  g_test_add_func ("/container/unreachable-hub", test_unreachable);
  g_test_add_func ("/container/serve", test_serve);
#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/container/list-base", test_list_base);
  ADD ("/container/list-display", test_list_display);
  ADD ("/container/download-by-id", test_download_by_id);
  ADD ("/container/download-by-locale", test_download_by_locale);
  ADD ("/container/priority", test_priority);
  ADD ("/container/mirror", test_mirror);
  ADD ("/container/wrong-api-key", test_wrong_key);
  ADD ("/container/corrupt-file", test_corrupt_file);
  ADD ("/container/license", test_license);
  ADD ("/container/license-hub-without-key", test_license_needs_hub_key);
  g_test_add_func ("/container/resume-after-kill", test_resume_after_kill);
  g_test_add_func ("/container/resume-after-dropped-connection",
      test_resume_after_dropped_connection);
  g_test_add_func ("/container/concurrent-download", test_concurrent_download);
  return g_test_run ();
}
