/* gst-stt — GstCheck tests of sttrescore: a domain LM built from a user's text (stt-rescore-model
 * --text) moves a real recording's hypothesis towards the domain; a malformed LM or lattice is
 * refused with a clear warning while results pass through unchanged; refcounts.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <glib/gstdio.h>
#include <stt/gststtresult.h>
#include "testutil.h"

#include <string.h>

/* cathy_arctic_a0003: "for the twentieth time that evening the two men shook hands"; the first
 * pass hears "... that evening to to mention hands". */
#define WAV "dev/arctic_cathy/cathy_arctic_a0003.wav"
#define UTT "cathy_arctic_a0003"

/* A user's domain text: the recording's sentence among other sentences of the same story. */
static const char *domain_text =
    "the two men sat by the fire for a long time without speaking\n"
    "for the twentieth time that evening the two men shook hands\n"
    "the sergeant looked at the map and nodded slowly\n"
    "they had travelled three hundred miles through the snow since the last post\n"
    "the dogs were tired and the sledge was heavy with furs\n"
    "he lit his pipe and watched the northern lights over the ridge\n"
    "the factor at the post had promised them fresh meat and flour\n"
    "philip turned to the window and looked out at the frozen river\n"
    "the men shook hands again before they parted at the trail\n"
    "that evening the wind rose and the snow drove against the cabin\n";

/* Build a rescore model from @text with the real tool into a new folder; returns the model's
 * folder. */
static char *
build_domain_model (const char *text, char **models_dir)
{
  const char *root = g_getenv ("STT_BUILD_ROOT");
  fail_unless (root != NULL, "STT_BUILD_ROOT is not set (run the tests with meson test)");
  *models_dir = g_dir_make_tmp ("stt-rescore-XXXXXX", NULL);
  fail_unless (*models_dir != NULL);
  char *text_file = stt_test_tmp_file (".txt", text, -1);
  char *tool = g_build_filename (root, "tools", "rescore", "stt-rescore-model", NULL);
  const char *argv[] = { tool, "--models-dir", *models_dir, "--text", text_file,
    "--base", STT_DEFAULT_MODEL_ID, NULL };
  char *out = NULL, *err = NULL;
  int status;
  GError *error = NULL;
  fail_unless (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
          &err, &status, &error), "%s", error ? error->message : "");
  fail_unless (g_spawn_check_wait_status (status, NULL), "stt-rescore-model failed: %s", err);
  char *dir = g_strdup (g_strstrip (out));
  g_unlink (text_file);
  g_free (text_file);
  g_free (tool);
  g_free (out);
  g_free (err);
  return dir;
}

static void
remove_model (char *models_dir, char *dir)
{
  char *lm = g_build_filename (dir, "lm", "rescore.bin", NULL);
  char *lmdir = g_build_filename (dir, "lm", NULL);
  char *manifest = g_build_filename (dir, "manifest.json", NULL);
  g_unlink (lm);
  g_rmdir (lmdir);
  g_unlink (manifest);
  g_rmdir (dir);
  g_rmdir (models_dir);
  g_free (lm);
  g_free (lmdir);
  g_free (manifest);
  g_free (dir);
  g_free (models_dir);
}

/* Collects the final results passing a pad into the GPtrArray @data. */
static GstPadProbeReturn
final_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  GPtrArray *firsts = data;
  SttResult *r = gst_stt_result_from_buffer (GST_PAD_PROBE_INFO_BUFFER (info), NULL);
  if (r && r->kind == STT_RESULT_FINAL)
    g_ptr_array_add (firsts, r);
  else if (r)
    stt_result_unref (r);
  return GST_PAD_PROBE_OK;
}

/* Decode @rel through sttdecoder ! sttrescore (default model) ! sttrescore @props (each
 * rescorer searches the lattice the decoder attached); the decoder's finals in @firsts, the
 * default rescore model's in @plains, the last rescorer's in @finals. */
static void
decode (const char *rel, const char *props, GPtrArray *firsts, GPtrArray *plains,
    GPtrArray *finals)
{
  char *path = stt_test_data_path (rel);
  gsize n;
  int rate = 0;
  gint16 *pcm = stt_test_read_wav (path, &n, &rate);
  fail_unless_equals_int (rate, 16000);
  char *desc = g_strdup_printf ("appsrc name=src format=time caps=audio/x-raw,format=S16LE,"
      "rate=16000,channels=1,layout=interleaved ! sttfeatures ! sttacoustic ! sttdecoder ! "
      "sttrescore name=plain ! sttrescore name=resc %s ! appsink name=sink sync=false", props);
  GError *error = NULL;
  GstElement *pipe = gst_parse_launch (desc, &error);
  g_assert_no_error (error);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  GstElement *resc = gst_bin_get_by_name (GST_BIN (pipe), "resc");
  GstElement *plain = gst_bin_get_by_name (GST_BIN (pipe), "plain");
  GstPad *pad = gst_element_get_static_pad (plain, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, final_probe, firsts, NULL);
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (resc, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, final_probe, plains, NULL);
  gst_object_unref (pad);
  fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_PLAYING),
      GST_STATE_CHANGE_ASYNC);
  GstBuffer *b = gst_buffer_new_memdup (pcm, n * 2);
  GST_BUFFER_PTS (b) = 0;
  GST_BUFFER_DURATION (b) = gst_util_uint64_scale (n, GST_SECOND, 16000);
  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (src), b), GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  GstSample *s;
  while ((s = gst_app_sink_pull_sample (GST_APP_SINK (sink)))) {
    SttResult *r = gst_stt_result_from_buffer (gst_sample_get_buffer (s), &error);
    g_assert_no_error (error);
    if (r->kind == STT_RESULT_FINAL)
      g_ptr_array_add (finals, r);
    else
      stt_result_unref (r);
    gst_sample_unref (s);
  }
  GstMessage *m = gst_bus_poll (GST_ELEMENT_BUS (pipe), GST_MESSAGE_EOS | GST_MESSAGE_ERROR |
      GST_MESSAGE_WARNING, GST_CLOCK_TIME_NONE);
  fail_unless_equals_int (GST_MESSAGE_TYPE (m), GST_MESSAGE_EOS);
  gst_message_unref (m);
  fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (src);
  gst_object_unref (sink);
  ASSERT_OBJECT_REFCOUNT (resc, "sttrescore", 2);
  ASSERT_OBJECT_REFCOUNT (plain, "sttrescore", 2);
  gst_object_unref (resc);
  gst_object_unref (plain);
  fail_unless_equals_int (stt_test_wait_refcount (pipe, 1), 1);
  gst_object_unref (pipe);
  g_free (desc);
  g_free (pcm);
  g_free (path);
}

/* The reference transcript of utterance @utt from arctic_cathy/refs.norm.txt. */
static char *
reference (const char *utt)
{
  char *path = stt_test_data_path ("dev/arctic_cathy/refs.norm.txt");
  char *contents;
  fail_unless (g_file_get_contents (path, &contents, NULL, NULL));
  char *ref = NULL;
  char **lines = g_strsplit (contents, "\n", -1);
  for (char **l = lines; *l && !ref; l++) {
    if (g_str_has_prefix (*l, utt) && (*l)[strlen (utt)] == ' ')
      ref = g_strdup (g_strstrip (*l + strlen (utt) + 1));
  }
  fail_unless (ref != NULL, "%s not in %s", utt, path);
  g_strfreev (lines);
  g_free (contents);
  g_free (path);
  return ref;
}

static char *
all_text (GPtrArray *results)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < results->len; i++) {
    const char *t = stt_result_get_display_text (g_ptr_array_index (results, i));
    if (*t)
      g_string_append_printf (s, "%s%s", s->len ? " " : "", t);
  }
  return g_string_free (s, FALSE);
}

GST_START_TEST (test_domain_lm_moves_hypothesis)
{
  char *models_dir;
  char *dir = build_domain_model (domain_text, &models_dir);
  char *props = g_strdup_printf ("model=%s", dir);
  GPtrArray *firsts = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_result_unref);
  GPtrArray *plains = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_result_unref);
  GPtrArray *finals = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_result_unref);
  decode (WAV, props, firsts, plains, finals);
  fail_unless (finals->len > 0 && finals->len == firsts->len && plains->len == firsts->len);

  char *ref = reference (UTT);
  char *first = all_text (firsts), *plain = all_text (plains), *rescored = all_text (finals);
  guint e1 = stt_test_word_errors (ref, first), e0 = stt_test_word_errors (ref, plain);
  guint e2 = stt_test_word_errors (ref, rescored);
  GST_INFO ("ref \"%s\"\nfirst pass \"%s\" (%u errors)\ndefault rescore model \"%s\" (%u)\n"
      "domain model \"%s\" (%u errors)", ref, first, e1, plain, e0, rescored, e2);
  fail_unless (e1 > 0, "the first pass now gets %s right; pick another utterance", UTT);
  fail_unless (e2 < e1, "rescoring with the domain LM did not move \"%s\" towards \"%s\" (got "
      "\"%s\")", first, ref, rescored);
  /* the domain text, not the rescoring itself, makes the difference */
  fail_unless (e2 < e0, "the default rescore model already gives \"%s\" (domain: \"%s\")",
      plain, rescored);

  for (guint i = 0; i < finals->len; i++) {
    SttResult *r = g_ptr_array_index (finals, i);
    const char *format;
    fail_unless (stt_result_get_lattice (r, &format) != NULL);
    fail_unless_equals_string (format, "stt-lattice-1");
    for (guint k = 0; k < stt_result_get_n_hypotheses (r); k++) {
      SttHypothesis *h = stt_result_get_hypothesis (r, k);
      char *joined = stt_hypothesis_join_words (h);
      fail_unless_equals_string (joined, stt_hypothesis_get_text (h, STT_TEXT_LEXICAL));
      g_free (joined);
      gint64 prev_end = r->offset;
      for (guint w = 0; w < stt_hypothesis_get_n_words (h); w++) {
        const SttWord *word = stt_hypothesis_get_word (h, w);
        fail_unless (word->confidence >= 0 && word->confidence <= 1);
        fail_unless (word->offset >= prev_end && word->duration > 0);
        prev_end = word->offset + word->duration;
      }
      if (k > 0)   /* distinct hypotheses */
        fail_if (g_str_equal (stt_hypothesis_get_text (h, STT_TEXT_LEXICAL),
                stt_hypothesis_get_text (stt_result_get_best (r), STT_TEXT_LEXICAL)));
    }
  }
  g_free (ref);
  g_free (first);
  g_free (plain);
  g_free (rescored);
  g_ptr_array_unref (firsts);
  g_ptr_array_unref (plains);
  g_ptr_array_unref (finals);
  g_free (props);
  remove_model (models_dir, dir);
}
GST_END_TEST;

/* A harness on sttrescore (model @model, NULL = default) whose bus is set before it starts, so
 * the warnings of its start can be read. */
static GstHarness *
harness (const char *model, GstBus **bus)
{
  GstElement *e = gst_element_factory_make ("sttrescore", NULL);
  fail_unless (e != NULL);
  if (model)
    g_object_set (e, "model", model, NULL);
  *bus = gst_bus_new ();
  gst_element_set_bus (e, *bus);
  GstHarness *h = gst_harness_new_with_element (e, "sink", "src");
  gst_object_unref (e);
  gst_harness_set_src_caps_str (h, GST_STT_RESULT_CAPS);
  return h;
}

/* Drop the bus's messages (they reference the element) and tear down. */
static void
teardown (GstHarness *h, GstBus *bus)
{
  gst_bus_set_flushing (bus, TRUE);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

/* Push @r, return the JSON of what comes out. */
static char *
push_pull (GstHarness *h, SttResult *r)
{
  fail_unless_equals_int (gst_harness_push (h, gst_stt_result_to_buffer (r)), GST_FLOW_OK);
  GstBuffer *out = gst_harness_pull (h);
  SttResult *got = gst_stt_result_from_buffer (out, NULL);
  gst_buffer_unref (out);
  fail_unless (got != NULL);
  char *json = stt_result_to_json (got, NULL);
  stt_result_unref (got);
  return json;
}

static char *
pop_warning (GstBus *bus)
{
  GstMessage *m = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (m != NULL, "no warning was posted");
  GError *err;
  char *dbg;
  gst_message_parse_warning (m, &err, &dbg);
  char *text = g_strdup_printf ("%s | %s", err->message, dbg);
  g_error_free (err);
  g_free (dbg);
  gst_message_unref (m);
  return text;
}

GST_START_TEST (test_malformed_lm_passes_through)
{
  char *models_dir;
  char *dir = build_domain_model (domain_text, &models_dir);
  /* Damage the LM in place (same size, so the model still opens): its reader must refuse it. */
  char *lm = g_build_filename (dir, "lm", "rescore.bin", NULL);
  char *bytes;
  gsize len;
  fail_unless (g_file_get_contents (lm, &bytes, &len, NULL));
  memset (bytes + 8, 0xff, MIN (len - 8, 64));
  fail_unless (g_file_set_contents (lm, bytes, len, NULL));
  g_free (bytes);
  g_free (lm);

  GstBus *bus;
  GstHarness *h = harness (dir, &bus);
  char *warning = pop_warning (bus);
  fail_unless (strstr (warning, "Rescoring is off") && strstr (warning, "rescore.bin"),
      "unclear warning: %s", warning);
  SttResult *r = stt_test_result_new ("to to mention hands", 0);
  GBytes *lb = g_bytes_new_static ("x", 1);
  stt_result_set_lattice (r, "stt-lattice-1", lb);
  g_bytes_unref (lb);
  char *in = stt_result_to_json (r, NULL);
  char *out = push_pull (h, r);
  fail_unless_equals_string (out, in);
  g_free (in);
  g_free (out);
  stt_result_unref (r);
  gst_bus_set_flushing (bus, TRUE);   /* messages reference the element */
  GstElement *e = gst_harness_find_element (h, "sttrescore");
  ASSERT_OBJECT_REFCOUNT (e, "sttrescore", 2);
  gst_object_unref (e);
  teardown (h, bus);
  g_free (warning);
  remove_model (models_dir, dir);
}
GST_END_TEST;

GST_START_TEST (test_malformed_lattice_passes_through)
{
  GstBus *bus;
  GstHarness *h = harness (NULL, &bus);   /* the default en-US rescore model */
  GstMessage *m = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (m == NULL, "the default rescore model did not open");
  SttResult *r = stt_test_result_new ("hello world", 0);
  const char *bad = "stt-lattice-1\nfirst-frame 0\nframes 10\nframe-rate 100\nlm-weight 6.5\n"
      "wip -3\nnodes 1\n0 hello 5 20 -10.0 1.0 0\nedges 0\nstart 0\nfinal 0\n";
  GBytes *lb = g_bytes_new_static (bad, strlen (bad));
  stt_result_set_lattice (r, "stt-lattice-1", lb);
  g_bytes_unref (lb);
  char *in = stt_result_to_json (r, NULL);
  char *out = push_pull (h, r);
  fail_unless_equals_string (out, in);
  char *warning = pop_warning (bus);
  fail_unless (strstr (warning, "line 8") && strstr (warning, "node 0"), "unclear warning: %s",
      warning);
  /* partial results pass untouched */
  SttResult *p = stt_test_result_new ("hello", 0);
  p->kind = STT_RESULT_PARTIAL;
  char *pin = stt_result_to_json (p, NULL);
  char *pout = push_pull (h, p);
  fail_unless_equals_string (pout, pin);
  g_free (pin);
  g_free (pout);
  stt_result_unref (p);
  g_free (warning);
  g_free (in);
  g_free (out);
  stt_result_unref (r);
  teardown (h, bus);
}
GST_END_TEST;

static Suite *
sttrescore_suite (void)
{
  Suite *s = suite_create ("sttrescore");
  TCase *tc = tcase_create ("general");
  tcase_set_timeout (tc, 300);
  tcase_add_test (tc, test_domain_lm_moves_hypothesis);
  tcase_add_test (tc, test_malformed_lm_passes_through);
  tcase_add_test (tc, test_malformed_lattice_passes_through);
  suite_add_tcase (s, tc);
  return s;
}

GST_CHECK_MAIN (sttrescore);
