/* gst-stt — `stt-model custom`: a custom model built from the LJ Speech domain text recognizes
 * real recordings of that domain better than its base, through real GStreamer pipelines; it is
 * published by a real stt-hub and downloaded and served by stt-container; bad inputs give
 * clear errors and write nothing.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/gst.h>
#include <string.h>
#include <glib/gstdio.h>
#include <stt/model.h>

#include "testutil.h"
#include "toolrun.h"

/* Recordings whose names and rare words the base model gets wrong (docs/custom.md):
 * "sweynheim and pannartz ... subiaco" (words cmudict lacks: --pron), "letterpress" (in
 * cmudict but not in the base LM), "movable", "aforesaid". */
static const char *const domain_wavs[] = { "dev/ljspeech/LJ001-0031.wav",
  "dev/ljspeech/LJ001-0010.wav", "dev/ljspeech/LJ001-0021.wav", NULL };

typedef struct {
  int status;
  char *out, *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* stt-model custom ARGS... */
static void
stt_model_custom (Run *r, const char *const *args)
{
  const char *root = g_getenv ("STT_BUILD_ROOT");
  g_autofree char *exe = g_build_filename (root ? root : ".", "tools", "model", "stt-model",
      NULL);
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, exe);
  g_ptr_array_add (argv, (gpointer) "custom");
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  int wait;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
          &r->out, &r->err, &wait, &error));
  g_assert_no_error (error);
  r->status = WIFEXITED (wait) ? WEXITSTATUS (wait) : -1;
  g_ptr_array_unref (argv);
}

/* The domain text: every transcript of the LJ Speech sets of the dev data (the test
 * recordings' sentences among ~100 others of the same books). */
static char *
domain_text (void)
{
  static const char *const refs[] = { "dev/ljspeech/refs.expanded.txt",
    "dev/ljprompts_selfrec_dctts/refs.txt", NULL };
  GString *text = g_string_new (NULL);
  for (guint i = 0; refs[i]; i++) {
    g_autofree char *path = stt_test_data_path (refs[i]);
    g_autofree char *contents = NULL;
    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
    for (guint l = 0; lines[l]; l++) {
      const char *sp = strchr (lines[l], ' ');
      if (sp)
        g_string_append_printf (text, "%s\n", sp + 1);
    }
  }
  char *path = stt_test_tmp_file (".txt", text->str, (gssize) text->len);
  g_string_free (text, TRUE);
  return path;
}

static char *
reference (const char *wav_rel)
{
  g_autofree char *base = g_path_get_basename (wav_rel);
  *strrchr (base, '.') = '\0';
  g_autofree char *path = stt_test_data_path ("dev/ljspeech/refs.expanded.norm.txt");
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], base) && lines[i][strlen (base)] == ' ')
      return g_strdup (lines[i] + strlen (base) + 1);
  g_error ("no reference for %s", base);
  return NULL;
}

/* The final texts of the sttdecoder of the pipeline @desc. */
static char *
decode_launch (const char *desc)
{
  g_autoptr (GError) error = NULL;
  GstElement *pipe = gst_parse_launch (desc, &error);
  g_assert_no_error (error);
  GstBus *bus = gst_element_get_bus (pipe);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  GString *text = g_string_new (NULL);
  for (;;) {
    GstMessage *m = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
        GST_MESSAGE_ELEMENT | GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
      g_autofree char *debug = NULL;
      gst_message_parse_error (m, &error, &debug);
      g_error ("%s: %s (%s)", desc, error->message, debug);
    }
    gboolean eos = GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS;
    const GstStructure *s = gst_message_get_structure (m);
    GstElementFactory *f = GST_IS_ELEMENT (GST_MESSAGE_SRC (m)) ?
        gst_element_get_factory (GST_ELEMENT (GST_MESSAGE_SRC (m))) : NULL;
    gboolean final = FALSE;
    if (s && gst_structure_has_name (s, "stt-result") && gst_structure_get_boolean (s, "final",
            &final) && final && f && !strcmp (GST_OBJECT_NAME (f), "sttdecoder")) {
      const char *t = gst_structure_get_string (s, "text");
      if (t && *t)
        g_string_append_printf (text, "%s%s", text->len ? " " : "", t);
    }
    gst_message_unref (m);
    if (eos)
      break;
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipe);
  return g_string_free (text, FALSE);
}

/* @wav_rel decoded by the pipeline that stt-container printed (gst-launch syntax, reading
 * "audio.wav" into sttsink): the same elements and models, the file and a fakesink swapped in. */
static char *
decode_served (const char *wav_rel, const char *printed)
{
  g_autofree char *wav = stt_test_data_path (wav_rel);
  const char *launch = strstr (printed, "gst-launch-1.0 ");
  g_assert_nonnull (launch);
  g_autofree char *line = g_strndup (launch + strlen ("gst-launch-1.0 "),
      strcspn (launch + strlen ("gst-launch-1.0 "), "\n"));
  g_auto (GStrv) a = g_strsplit (line, "location=audio.wav", 2);
  g_assert_nonnull (a[1]);
  g_autofree char *located = g_strdup_printf ("%slocation=\"%s\"%s", a[0], wav, a[1]);
  g_assert_true (g_str_has_suffix (located, "! sttsink"));
  g_autofree char *desc = g_strdup_printf ("%.*s! fakesink",
      (int) (strlen (located) - strlen ("! sttsink")), located);
  return decode_launch (desc);
}

/* @wav_rel decoded with model @model (id or folder) by every element. */
static char *
decode (const char *wav_rel, const char *model)
{
  g_autofree char *wav = stt_test_data_path (wav_rel);
  g_autofree char *desc = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! audioconvert "
      "! audioresample ! sttfeatures model=%s ! sttacoustic model=%s ! sttdecoder model=%s "
      "! fakesink", wav, model, model, model);
  return decode_launch (desc);
}

/* Word errors on the domain recordings, with @model or the container's @printed pipeline. */
static guint
domain_errors (const char *model, const char *printed, guint *n_words)
{
  guint errors = 0;
  *n_words = 0;
  for (guint i = 0; domain_wavs[i]; i++) {
    g_autofree char *ref = reference (domain_wavs[i]);
    g_autofree char *hyp = model ? decode (domain_wavs[i], model)
        : decode_served (domain_wavs[i], printed);
    guint e = stt_test_word_errors (ref, hyp);
    g_test_message ("%s model %s: %u errors\n  ref: %s\n  hyp: %s", domain_wavs[i],
        model ? model : "served", e, ref, hyp);
    errors += e;
    *n_words += stt_test_word_errors (ref, "");
  }
  return errors;
}

static gboolean
json_array_has_word (JsonArray *a, const char *word, const char *source)
{
  for (guint i = 0; i < json_array_get_length (a); i++) {
    JsonObject *o = json_array_get_object_element (a, i);
    if (!g_strcmp0 (json_object_get_string_member (o, "word"), word)
        && !g_strcmp0 (json_object_get_string_member (o, "source"), source))
      return TRUE;
  }
  return FALSE;
}

/* Build from the domain text, check the manifest, decode, publish on a hub, download, serve. */
static void
test_domain (void)
{
  g_autofree char *hub_dir = tr_tmpdir ();
  g_autofree char *text = domain_text ();
  /* the hand-written pronunciations, except two words left to the letter-to-sound model */
  g_autofree char *pron_src = stt_test_source_path ("tests/tools/custom/lj-domain.pron");
  g_autofree char *pron_all = NULL;
  g_assert_true (g_file_get_contents (pron_src, &pron_all, NULL, NULL));
  GString *kept = g_string_new (NULL);
  g_auto (GStrv) plines = g_strsplit (pron_all, "\n", -1);
  for (guint i = 0; plines[i]; i++)
    if (!g_str_has_prefix (plines[i], "subiaco ") && !g_str_has_prefix (plines[i], "maintz "))
      g_string_append_printf (kept, "%s\n", plines[i]);
  g_autofree char *pron = stt_test_tmp_file (".pron", kept->str, -1);
  g_string_free (kept, TRUE);
  const char *args[] = { "--base", STT_DEFAULT_MODEL_ID, "--text", text, "--pron", pron,
    "--models-dir", hub_dir, NULL };
  Run r = { 0 };
  stt_model_custom (&r, args);
  g_test_message ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  /* the report names the words it had to add and how */
  g_assert_nonnull (strstr (r.out, "sweynheim"));
  g_assert_nonnull (strstr (r.out, "S W EY N HH AY M"));
  g_assert_nonnull (strstr (r.out, "letterpress"));
  g_auto (GStrv) lines = g_strsplit (g_strstrip (r.out), "\n", -1);
  const char *dir = lines[g_strv_length (lines) - 1];
  g_autoptr (GError) error = NULL;
  g_autoptr (SttModel) m = stt_model_open (dir, &error);
  g_assert_no_error (error);
  g_assert_true (stt_model_verify (m, &error));
  g_autofree char *id = g_strdup (stt_model_get_id (m));
  g_assert_cmpstr (stt_model_get_kind (m), ==, "custom");
  g_assert_cmpstr (stt_model_get_base_model (m), ==, STT_DEFAULT_MODEL_ID);
  JsonObject *c = json_object_get_object_member (stt_model_get_properties (m), "custom");
  g_assert_nonnull (c);
  g_autofree char *sha = stt_file_sha256 (text, &error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (c, "text"),
          "sha256"), ==, sha);
  g_autofree char *pron_sha = stt_file_sha256 (pron, &error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (c, "pron"),
          "sha256"), ==, pron_sha);
  g_assert_true (json_array_has_word (json_object_get_array_member (c, "new_words"),
          "pannartz", "pron file"));
  g_assert_true (json_array_has_word (json_object_get_array_member (c, "new_words"),
          "subiaco", "letter-to-sound"));
  g_assert_true (g_regex_match_simple ("subiaco +letter-to-sound +[A-Z]", r.out, 0, 0));
  /* self-contained: the acoustic files are the model's own */
  g_assert_true (g_strv_contains (stt_model_list_files (m), "am/means.bin"));
  run_clear (&r);
  g_clear_pointer (&m, stt_model_unref);

  /* published by stt-hub, downloaded by stt-container like any model */
  g_autofree char *models = tr_tmpdir ();
  TrHub *hub = tr_hub_start (hub_dir, NULL);
  g_autofree char *billing = g_strconcat ("Billing=", hub->url, NULL);
  g_autofree char *models_arg = g_strconcat ("Mounts:Models=", models, NULL);
  g_autofree char *model_arg = g_strconcat ("ModelId=", id, NULL);
  const char *cargs[] = { "Eula=accept", billing, "ApiKey=k", models_arg, model_arg,
    "--print-pipeline", NULL };
  TrRun *cr = tr_run_container (cargs);
  g_test_message ("%s%s", cr->out, cr->err);
  g_assert_cmpint (cr->status, ==, 0);
  g_autofree char *expect = g_strdup_printf ("sttdecoder model=%s", id);
  g_assert_nonnull (strstr (cr->out, expect));
  g_autofree char *printed = g_strdup (cr->out);
  tr_run_free (cr);
  tr_hub_free (hub);
  g_autofree char *downloaded = g_build_filename (models, id, NULL);
  g_autoptr (SttModel) dm = stt_model_open (downloaded, &error);
  g_assert_no_error (error);
  g_assert_true (stt_model_verify (dm, &error));
  /* self-contained: the container fetched the custom model alone, not its base */
  g_autofree char *base_copy = g_build_filename (models, STT_DEFAULT_MODEL_ID, NULL);
  g_assert_false (g_file_test (base_copy, G_FILE_TEST_EXISTS));

  /* served as the container would run it, from the downloaded copy and nothing else: lower
   * WER on real recordings of the domain than the base model */
  guint n_words;
  guint base_errors = domain_errors (STT_DEFAULT_MODEL_ID, NULL, &n_words);
  g_autofree char *saved_path = g_strdup (g_getenv ("STT_MODEL_PATH"));
  g_setenv ("STT_MODEL_PATH", models, TRUE);
  guint custom_errors = domain_errors (NULL, printed, &n_words);
  g_setenv ("STT_MODEL_PATH", saved_path, TRUE);
  g_test_message ("domain recordings: base %u, custom %u errors of %u words", base_errors,
      custom_errors, n_words);
  g_assert_cmpuint (custom_errors, <, base_errors);
  tr_tmpdir_free (g_steal_pointer (&models));
  tr_tmpdir_free (g_steal_pointer (&hub_dir));
  g_unlink (text);
  g_unlink (pron);
}

/* Every entry of @dir, hidden ones included, sorted and joined. */
static char *
listing (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *e;
  while (d && (e = g_dir_read_name (d)))
    g_ptr_array_add (names, g_strdup (e));
  if (d)
    g_dir_close (d);
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  char *s = g_strjoinv (" ", (char **) names->pdata);
  g_ptr_array_unref (names);
  return s;
}

/* Each bad input: exit status 1, a message naming the problem, nothing in the models dir. */
static void
check_refused_id (const char *models, const char *text, const char *pron, const char *base,
    const char *id, const char *expect)
{
  const char *args[] = { "--base", base, "--text", text, "--models-dir", models,
    "--id", id ? id : "", pron ? "--pron" : NULL, pron, NULL };
  if (!id)
    memmove (&args[6], &args[8], 3 * sizeof args[0]);
  g_autofree char *before = listing (models);
  Run r = { 0 };
  stt_model_custom (&r, args);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 1);
  if (!strstr (r.err, expect))
    g_error ("expected \"%s\" in: %s", expect, r.err);
  g_assert_nonnull (strstr (r.err, "no model was written"));
  g_autofree char *after = listing (models);
  g_assert_cmpstr (after, ==, before);
  run_clear (&r);
}

static void
check_refused (const char *models, const char *text, const char *pron, const char *base,
    const char *expect)
{
  check_refused_id (models, text, pron, base, NULL, expect);
}

static void
test_bad_inputs (void)
{
  g_autofree char *models = tr_tmpdir ();
  g_autofree char *good = stt_test_tmp_file (".txt", "printed at maintz by peter schoeffer\n",
      -1);
  g_autofree char *empty = stt_test_tmp_file (".txt", "", 0);
  g_autofree char *blank = stt_test_tmp_file (".txt", " \n -- 1465 ...\n", -1);
  g_autofree char *latin1 = stt_test_tmp_file (".txt", "the caf\xe9 at maintz\n", -1);
  g_autofree char *phone = stt_test_tmp_file (".pron", "maintz M AY N T S\nschoeffer SH EH "
      "F XX ER\n", -1);
  g_autofree char *greek = stt_test_tmp_file (".txt", "the \u03c9mega of maintz\n", -1);
  g_autofree char *malformed = stt_test_tmp_file (".pron", "maintz\n", -1);
  g_autofree char *pron = stt_test_tmp_file (".pron", "maintz M AY1 N T S\n"
      "schoeffer SH EH1 F ER0\n", -1);
  check_refused (models, empty, NULL, STT_DEFAULT_MODEL_ID, "has no words");
  check_refused (models, blank, NULL, STT_DEFAULT_MODEL_ID, "only numbers");
  check_refused (models, latin1, NULL, STT_DEFAULT_MODEL_ID, "byte 7 (line 1) is not UTF-8");
  check_refused (models, good, phone, STT_DEFAULT_MODEL_ID, ":2: unknown phone \"XX\"");
  check_refused (models, good, phone, STT_DEFAULT_MODEL_ID, "AA AE AH");
  check_refused (models, good, malformed, STT_DEFAULT_MODEL_ID, ":1: a word but no phones");
  check_refused (models, good, pron, "11111111-2222-4333-8444-555555555555",
      "11111111-2222-4333-8444-555555555555 is not installed");
  /* a word without a pronunciation: not in the dictionary or --pron, and letters no
   * letter-to-sound model knows (or none at all) */
  check_refused (models, greek, pron, STT_DEFAULT_MODEL_ID, "no pronunciation");
  check_refused (models, greek, pron, STT_DEFAULT_MODEL_ID, "letter-to-sound model");
  /* an id already installed, without --force: refused before any work */
  static const char taken[] = "33333333-2222-4333-8444-555555555555";
  g_autofree char *taken_dir = g_build_filename (models, taken, NULL);
  g_assert_cmpint (g_mkdir (taken_dir, 0755), ==, 0);
  check_refused_id (models, good, pron, STT_DEFAULT_MODEL_ID, taken, "--force to replace it");
  const char *gone[] = { greek, empty, blank, latin1, phone, malformed, pron, good };
  for (guint i = 0; i < G_N_ELEMENTS (gone); i++)
    g_unlink (gone[i]);
  tr_tmpdir_free (g_steal_pointer (&models));
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/custom/bad-inputs", test_bad_inputs);
  g_test_add_func ("/custom/domain", test_domain);
  return g_test_run ();
}
