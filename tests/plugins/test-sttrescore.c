/* gst-stt — GstCheck tests of sttrescore: a domain LM built from a user's text (stt-rescore-model
 * --text) moves a real recording's hypothesis towards the domain, by lattice rescoring and by
 * N-best re-ranking (decoder lattice=false); a malformed LM or lattice is refused with a clear
 * warning while results pass through unchanged, as do results without scores; refcounts.
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

/* Decode @rel through sttdecoder @dec_props ! sttrescore (default model) ! sttrescore @props
 * (each rescorer searches the lattice the decoder attached, or re-ranks the N-best list
 * without one); the decoder's finals in @firsts, the default rescore model's in @plains, the
 * last rescorer's in @finals. */
static void
decode (const char *rel, const char *dec_props, const char *props, GPtrArray *firsts,
    GPtrArray *plains, GPtrArray *finals)
{
  char *path = stt_test_data_path (rel);
  gsize n;
  int rate = 0;
  gint16 *pcm = stt_test_read_wav (path, &n, &rate);
  fail_unless_equals_int (rate, 16000);
  char *desc = g_strdup_printf ("appsrc name=src format=time caps=audio/x-raw,format=S16LE,"
      "rate=16000,channels=1,layout=interleaved ! sttfeatures ! sttacoustic ! sttdecoder %s ! "
      "sttrescore name=plain ! sttrescore name=resc %s ! appsink name=sink sync=false",
      dec_props, props);
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

/* UTT decoded with the domain model as the last rescorer (see decode ()): the results of
 * each stage, their texts and word errors against the reference. */
typedef struct {
  char *models_dir, *dir;
  GPtrArray *firsts, *plains, *finals;
  char *ref, *first, *plain, *rescored;
  guint e1, e0, e2;             /* errors of the first pass, default model, domain model */
} DomainRun;

static void
domain_run (DomainRun *d, const char *dec_props)
{
  d->dir = build_domain_model (domain_text, &d->models_dir);
  char *props = g_strdup_printf ("model=%s", d->dir);
  d->firsts = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_result_unref);
  d->plains = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_result_unref);
  d->finals = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_result_unref);
  decode (WAV, dec_props, props, d->firsts, d->plains, d->finals);
  g_free (props);
  fail_unless (d->finals->len > 0 && d->finals->len == d->firsts->len &&
      d->plains->len == d->firsts->len);
  d->ref = reference (UTT);
  d->first = all_text (d->firsts);
  d->plain = all_text (d->plains);
  d->rescored = all_text (d->finals);
  d->e1 = stt_test_word_errors (d->ref, d->first);
  d->e0 = stt_test_word_errors (d->ref, d->plain);
  d->e2 = stt_test_word_errors (d->ref, d->rescored);
  GST_INFO ("decoder %s: ref \"%s\"\nfirst pass \"%s\" (%u errors)\ndefault rescore model "
      "\"%s\" (%u)\ndomain model \"%s\" (%u errors)", dec_props, d->ref, d->first, d->e1,
      d->plain, d->e0, d->rescored, d->e2);
  fail_unless (d->e1 > 0, "the first pass now gets %s right; pick another utterance", UTT);
  fail_unless (d->e2 < d->e1, "rescoring with the domain LM did not move \"%s\" towards \"%s\" "
      "(got \"%s\")", d->first, d->ref, d->rescored);
  /* the domain text, not the rescoring itself, makes the difference */
  fail_unless (d->e2 < d->e0, "the default rescore model already gives \"%s\" (domain: "
      "\"%s\")", d->plain, d->rescored);
}

static void
domain_run_free (DomainRun *d)
{
  g_free (d->ref);
  g_free (d->first);
  g_free (d->plain);
  g_free (d->rescored);
  g_ptr_array_unref (d->firsts);
  g_ptr_array_unref (d->plains);
  g_ptr_array_unref (d->finals);
  remove_model (d->models_dir, d->dir);
}

GST_START_TEST (test_domain_lm_moves_hypothesis)
{
  DomainRun d;
  domain_run (&d, "");
  GPtrArray *finals = d.finals;

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
  domain_run_free (&d);
}
GST_END_TEST;

/* A harness on sttrescore (model @model, NULL = default; every result rescored, whatever its
 * confidence) whose bus is set before it starts, so the warnings of its start can be read. */
static GstHarness *
harness (const char *model, GstBus **bus)
{
  GstElement *e = gst_element_factory_make ("sttrescore", NULL);
  fail_unless (e != NULL);
  g_object_set (e, "keep-confidence", 2.0, NULL);
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

static double
hyp_score (SttHypothesis *h, const char *member)
{
  JsonNode *n = json_object_get_member (stt_hypothesis_get_extra (h), member);
  fail_unless (n != NULL && JSON_NODE_HOLDS_VALUE (n), "hypothesis \"%s\" has no %s",
      stt_hypothesis_get_text (h, STT_TEXT_LEXICAL), member);
  return json_node_get_double (n);
}

static guint
n_words (SttHypothesis *h)
{
  char **w = g_strsplit (stt_hypothesis_get_text (h, STT_TEXT_LEXICAL), " ", -1);
  guint n = g_strv_length (w);
  g_strfreev (w);
  return n;
}

/* Without a lattice (sttdecoder lattice=false) the N-best list is re-ranked with the domain LM;
 * the decoder keeps 20 hypotheses so that the domain's reading is among them. */
GST_START_TEST (test_nbest_without_lattice)
{
  DomainRun d;
  domain_run (&d, "lattice=false nbest=20");
  GPtrArray *firsts = d.firsts, *plains = d.plains, *finals = d.finals;

  /* The decoder's hypotheses carry the parts of their score: AcousticScore + 8 · LmScore +
   * wip (-3) per word and </s> is the first pass's lattice score (LM weight 6.5 · 8/6.5),
   * by which its N-best list is ordered. */
  for (guint i = 0; i < firsts->len; i++) {
    SttResult *r = g_ptr_array_index (firsts, i);
    fail_unless (stt_result_get_lattice (r, NULL) == NULL);
    double prev = G_MAXDOUBLE;
    for (guint k = 0; k < stt_result_get_n_hypotheses (r); k++) {
      SttHypothesis *h = stt_result_get_hypothesis (r, k);
      double lm = hyp_score (h, "LmScore"), ac = hyp_score (h, "AcousticScore");
      fail_unless (lm < 0 && ac < 0);
      double score = ac + 8.0 * lm - 3.0 * (n_words (h) + 1);
      fail_unless (score <= prev + 1e-3, "hypothesis %u scores %g, above the one before (%g)",
          k, score, prev);
      prev = score;
    }
  }

  /* The re-ranked list is the incoming one reordered: same hypotheses, same acoustic scores,
   * LmScore now the domain mixture's; confidences are posteriors; the span follows the best. */
  for (guint i = 0; i < finals->len; i++) {
    SttResult *in = g_ptr_array_index (plains, i), *r = g_ptr_array_index (finals, i);
    fail_unless_equals_int (stt_result_get_n_hypotheses (r), stt_result_get_n_hypotheses (in));
    for (guint k = 0; k < stt_result_get_n_hypotheses (r); k++) {
      SttHypothesis *h = stt_result_get_hypothesis (r, k);
      const char *text = stt_hypothesis_get_text (h, STT_TEXT_LEXICAL);
      gboolean found = FALSE;
      for (guint j = 0; j < stt_result_get_n_hypotheses (in) && !found; j++) {
        SttHypothesis *g = stt_result_get_hypothesis (in, j);
        if (g_str_equal (text, stt_hypothesis_get_text (g, STT_TEXT_LEXICAL))) {
          found = TRUE;
          fail_unless (hyp_score (h, "AcousticScore") == hyp_score (g, "AcousticScore"));
          fail_unless_equals_int (stt_hypothesis_get_n_words (h),
              stt_hypothesis_get_n_words (g));
        }
      }
      fail_unless (found, "\"%s\" was not in the incoming N-best list", text);
      double c = stt_hypothesis_get_confidence (h);
      fail_unless (c >= 0 && c <= 1);
      for (guint w = 0; w < stt_hypothesis_get_n_words (h); w++) {
        c = stt_hypothesis_get_word (h, w)->confidence;
        fail_unless (c >= 0 && c <= 1);
      }
    }
    SttHypothesis *best = stt_result_get_best (r);
    fail_unless_equals_int64 (r->offset, stt_hypothesis_get_word (best, 0)->offset);
  }
  domain_run_free (&d);
}
GST_END_TEST;

/* Decode WAV with the last rescorer (default model) set by @props; whether each of its results
 * left the one it got unchanged (the same JSON). */
static gboolean
rescorer_keeps (const char *props)
{
  GPtrArray *firsts = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_result_unref);
  GPtrArray *plains = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_result_unref);
  GPtrArray *finals = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_result_unref);
  decode (WAV, "", props, firsts, plains, finals);
  fail_unless (finals->len > 0 && finals->len == plains->len);
  gboolean same = TRUE;
  for (guint i = 0; i < finals->len; i++) {
    char *in = stt_result_to_json (g_ptr_array_index (plains, i), NULL);
    char *out = stt_result_to_json (g_ptr_array_index (finals, i), NULL);
    same = same && g_str_equal (in, out);
    g_free (in);
    g_free (out);
  }
  g_ptr_array_unref (firsts);
  g_ptr_array_unref (plains);
  g_ptr_array_unref (finals);
  return same;
}

/* The gates that leave results rescoring cannot improve unchanged, on a real lattice: a first
 * pass at least keep-confidence sure, or words at least keep-acoustic-score per frame. */
GST_START_TEST (test_keep_gates)
{
  fail_unless (rescorer_keeps ("keep-confidence=0"));
  fail_unless (rescorer_keeps ("keep-confidence=2 keep-acoustic-score=-100"));
  /* both gates off: rescored, its confidences are the rescorer's posteriors */
  fail_if (rescorer_keeps ("keep-confidence=2 keep-acoustic-score=0"));
}
GST_END_TEST;

/* Without a lattice, results whose hypotheses lack an AcousticScore (from another source, or
 * only some of them scored) are not re-ranked: they pass through unchanged; so do results whose
 * status is not Success. */
GST_START_TEST (test_nbest_without_scores_passes_through)
{
  GstBus *bus;
  GstHarness *h = harness (NULL, &bus);
  SttResult *r = stt_test_result_new ("the too men shook hands", 0);
  SttHypothesis *second = stt_result_add_hypothesis (r);
  stt_hypothesis_set_text (second, STT_TEXT_LEXICAL, "the two men shook hands");
  char *in = stt_result_to_json (r, NULL);
  char *out = push_pull (h, r);
  fail_unless_equals_string (out, in);
  g_free (in);
  g_free (out);
  /* the second one scored, the first not: still unchanged */
  json_object_set_double_member (stt_hypothesis_get_extra (second), "AcousticScore", -10.0);
  in = stt_result_to_json (r, NULL);
  out = push_pull (h, r);
  fail_unless_equals_string (out, in);
  g_free (in);
  g_free (out);
  /* both scored equally (and as long): the LM decides, the likelier sentence goes first ... */
  json_object_set_double_member (stt_hypothesis_get_extra (stt_result_get_hypothesis (r, 0)),
      "AcousticScore", -10.0);
  out = push_pull (h, r);
  SttResult *got = stt_result_from_json (out, -1, NULL);
  fail_unless_equals_string (stt_hypothesis_get_text (stt_result_get_best (got),
          STT_TEXT_LEXICAL), "the two men shook hands");
  stt_result_unref (got);
  g_free (out);
  /* ... but not in a result whose status says the first pass heard no words */
  r->status = STT_STATUS_NO_MATCH;
  in = stt_result_to_json (r, NULL);
  out = push_pull (h, r);
  fail_unless_equals_string (out, in);
  g_free (in);
  g_free (out);
  stt_result_unref (r);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);
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
  tcase_add_test (tc, test_nbest_without_lattice);
  tcase_add_test (tc, test_nbest_without_scores_passes_through);
  tcase_add_test (tc, test_keep_gates);
  suite_add_tcase (s, tc);
  return s;
}

GST_CHECK_MAIN (sttrescore);
