/* gst-stt — sttfeatures: caps, frame counts, offsets and timestamps, gaps, EOS, real files.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/app/gstappsink.h>
#include <stt/fe.h>
#include <glib/gstdio.h>
#include <string.h>
#include "testutil.h"

#define AUDIO_CAPS "audio/x-raw, format=S16LE, rate=16000, channels=1, layout=interleaved"
#define FRAME (GST_SECOND / 100)

static const char *const recording = "dev/arctic_cathy/cathy_arctic_a0002.wav";

static gint16 *
read_recording (gsize *n)
{
  char *wav = stt_test_data_path (recording);
  gint16 *s = stt_test_read_wav (wav, n, NULL);
  g_free (wav);
  return s;
}

/* Frames of an utterance of @n samples (spec §2.2). */
static gsize
n_frames (gsize n)
{
  return n == 0 ? 0 : n < 410 ? 1 : 1 + (n - 410) / 160 + 1;
}

/* What core/fe computes for the utterance(s) @samples, each of @lengths samples, on one
 * stream, with the element's defaults (noise removal on, no VAD selection). */
static float *
library_features (const gint16 *samples, const gsize *lengths, guint n_utts, SttFeCmn cmn,
    gboolean remove_noise, gsize *n_out)
{
  char *path = stt_test_sphinx_feat_params ();
  SttFeParams *p = stt_fe_params_load (path, NULL);
  fail_unless (p != NULL);
  SttFe *fe = stt_fe_new (p);
  stt_fe_set_remove_silence (fe, FALSE);
  stt_fe_set_cmn (fe, cmn);
  stt_fe_set_remove_noise (fe, remove_noise);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (float));
  for (guint u = 0; u < n_utts; u++) {
    stt_fe_process (fe, samples, lengths[u]);
    stt_fe_end_utterance (fe);
    samples += lengths[u];
    gsize k = stt_fe_n_pending (fe), old = out->len;
    g_array_set_size (out, old + k * 39);
    stt_fe_read (fe, &g_array_index (out, float, old), NULL, k);
  }
  *n_out = out->len / 39;
  stt_fe_free (fe);
  stt_fe_params_unref (p);
  g_free (path);
  return (float *) g_array_free (out, FALSE);
}

typedef struct {
  GArray *data;                 /* floats */
  GArray *offsets;              /* first frame of each buffer */
  GArray *ends;                 /* one past its last frame */
  GArray *discont;              /* gboolean per buffer */
} Pulled;

/* The element's output equals what the library computes for the same utterances. */
static void
assert_library (const Pulled *p, const gint16 *s, const gsize *lengths, guint n_utts,
    SttFeCmn cmn)
{
  gsize n_lib;
  float *lib = library_features (s, lengths, n_utts, cmn, TRUE, &n_lib);
  fail_unless_equals_uint64 (p->data->len / 39, n_lib);
  fail_unless (memcmp (lib, p->data->data, n_lib * 39 * sizeof (float)) == 0);
  g_free (lib);
}

static GstHarness *
harness_without_caps (const char *props)
{
  char *path = stt_test_sphinx_feat_params ();
  char *desc = g_strdup_printf ("sttfeatures feat-params=%s %s", path, props);
  GstHarness *h = gst_harness_new_parse (desc);
  g_free (desc);
  g_free (path);
  return h;
}

static GstHarness *
harness_desc (const char *desc)
{
  GstHarness *h = gst_harness_new_parse (desc);
  gst_harness_set_src_caps_str (h, AUDIO_CAPS);
  return h;
}

static GstHarness *
harness (const char *props)
{
  GstHarness *h = harness_without_caps (props);
  gst_harness_set_src_caps_str (h, AUDIO_CAPS);
  return h;
}

static void
push_samples (GstHarness *h, const gint16 *s, gsize n, GstClockTime pts, gboolean discont)
{
  GstBuffer *buf = gst_buffer_new_memdup (s, n * sizeof (gint16));
  GST_BUFFER_PTS (buf) = pts;
  GST_BUFFER_DURATION (buf) = gst_util_uint64_scale (n, GST_SECOND, 16000);
  if (discont)
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
}

/* Feed @n samples in buffers of @chunk with contiguous timestamps from @pts. */
static void
push_stream (GstHarness *h, const gint16 *s, gsize n, gsize chunk, GstClockTime pts)
{
  for (gsize pos = 0; pos < n; pos += chunk)
    push_samples (h, s + pos, MIN (chunk, n - pos),
        pts + gst_util_uint64_scale (pos, GST_SECOND, 16000), FALSE);
}

/* Pull every buffer waiting, checking the offset/PTS/duration invariants of each. */
static void
pull_all (GstHarness *h, Pulled *p)
{
  GstBuffer *buf;
  while ((buf = gst_harness_try_pull (h))) {
    gsize size = gst_buffer_get_size (buf);
    fail_unless (size > 0 && size % (39 * sizeof (float)) == 0);
    guint64 n = size / (39 * sizeof (float));
    guint64 off = GST_BUFFER_OFFSET (buf);
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET_END (buf), off + n);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), off * FRAME);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (buf), n * FRAME);
    GstMapInfo map;
    gst_buffer_map (buf, &map, GST_MAP_READ);
    g_array_append_vals (p->data, map.data, n * 39);
    gst_buffer_unmap (buf, &map);
    g_array_append_val (p->offsets, off);
    guint64 end = off + n;
    g_array_append_val (p->ends, end);
    gboolean d = GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DISCONT);
    g_array_append_val (p->discont, d);
    gst_buffer_unref (buf);
  }
}

static void
pulled_init (Pulled *p)
{
  p->data = g_array_new (FALSE, FALSE, sizeof (float));
  p->offsets = g_array_new (FALSE, FALSE, sizeof (guint64));
  p->ends = g_array_new (FALSE, FALSE, sizeof (guint64));
  p->discont = g_array_new (FALSE, FALSE, sizeof (gboolean));
}

static void
pulled_clear (Pulled *p)
{
  g_array_unref (p->data);
  g_array_unref (p->offsets);
  g_array_unref (p->ends);
  g_array_unref (p->discont);
}

static gsize
pulled_frames (const Pulled *p)
{
  return p->data->len / 39;
}

static void
check_caps (GstHarness *h)
{
  GstCaps *caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless (caps != NULL);
  GstStructure *st = gst_caps_get_structure (caps, 0);
  int dim, num, den;
  fail_unless_equals_string (gst_structure_get_name (st), GST_STT_FEATURES_MEDIA_TYPE);
  fail_unless (gst_structure_get_int (st, "dimension", &dim));
  fail_unless_equals_int (dim, 39);
  fail_unless (gst_structure_get_fraction (st, "rate", &num, &den));
  fail_unless (num == 100 && den == 1);
  fail_unless_equals_string (gst_structure_get_string (st, "feature-type"), "1s_c_d_dd");
  gst_caps_unref (caps);
}

/* A recording in uneven buffers: caps, every frame once, contiguous offsets, same numbers as
 * the library. */
GST_START_TEST (test_frames)
{
  gsize n;
  gint16 *s = read_recording (&n);
  GstHarness *h = harness ("");
  Pulled p;
  pulled_init (&p);
  push_stream (h, s, n, 1234, 0);
  pull_all (h, &p);
  /* live CMN: all but the final partial frame (it needs the end of the utterance) and the 3
   * frames before it (their deltas need 3 frames of context) */
  fail_unless_equals_uint64 (pulled_frames (&p), n_frames (n) - 1 - 3);
  check_caps (h);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  pull_all (h, &p);
  fail_unless_equals_uint64 (pulled_frames (&p), n_frames (n));
  guint64 next = 0;
  for (guint i = 0; i < p.offsets->len; i++) {
    fail_unless_equals_uint64 (g_array_index (p.offsets, guint64, i), next);
    fail_unless_equals_int (g_array_index (p.discont, gboolean, i), i == 0);
    next = g_array_index (p.ends, guint64, i);
  }
  fail_unless_equals_uint64 (next, n_frames (n));
  assert_library (&p, s, &n, 1, STT_FE_CMN_LIVE);
  pulled_clear (&p);
  gst_harness_teardown (h);
  g_free (s);
}
GST_END_TEST;

/* Offsets follow the input timeline: a first PTS of 5 s is frame 500. */
GST_START_TEST (test_first_pts)
{
  gsize n;
  gint16 *s = read_recording (&n);
  GstHarness *h = harness ("");
  Pulled p;
  pulled_init (&p);
  push_stream (h, s, 16000, 3200, 5 * GST_SECOND);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  pull_all (h, &p);
  fail_unless_equals_uint64 (pulled_frames (&p), n_frames (16000));
  fail_unless_equals_uint64 (g_array_index (p.offsets, guint64, 0), 500);
  pulled_clear (&p);
  gst_harness_teardown (h);
  g_free (s);
}
GST_END_TEST;

/* A timestamp jump and a DISCONT flag each end the utterance: its frames are flushed with
 * replicated deltas, framing restarts at the new position, the next buffer is DISCONT. */
GST_START_TEST (test_gaps)
{
  gsize n;
  gint16 *s = read_recording (&n);
  GstHarness *h = harness ("");
  Pulled p;
  pulled_init (&p);
  const gsize a = 16000, b = 8000, c = 12345;
  push_stream (h, s, a, 1600, 0);
  /* 2 s later */
  push_stream (h, s + a, b, 1600, 3 * GST_SECOND);
  /* contiguous timestamps but flagged DISCONT: e.g. samples lost upstream */
  GstClockTime t = 3 * GST_SECOND + gst_util_uint64_scale (b, GST_SECOND, 16000);
  push_samples (h, s + a + b, 1600, t, TRUE);
  push_stream (h, s + a + b + 1600, c - 1600, 1600, t + 100 * GST_MSECOND);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  pull_all (h, &p);

  gsize lengths[] = {a, b, c};
  assert_library (&p, s, lengths, 3, STT_FE_CMN_LIVE);
  fail_unless_equals_uint64 (pulled_frames (&p), n_frames (a) + n_frames (b) + n_frames (c));
  /* utterance starts: frame 0, frame 300, frame 300 + 8000/160 = 350 */
  guint64 starts[] = {0, 300, 350};
  guint found = 0;
  for (guint i = 0; i < p.offsets->len; i++) {
    guint64 off = g_array_index (p.offsets, guint64, i);
    gboolean d = g_array_index (p.discont, gboolean, i);
    if (d) {
      fail_unless (found < 3);
      fail_unless_equals_uint64 (off, starts[found]);
      found++;
    }
  }
  fail_unless_equals_int (found, 3);
  pulled_clear (&p);
  gst_harness_teardown (h);
  g_free (s);
}
GST_END_TEST;

/* A GAP event ends the utterance too; the latency is a window plus 3 frames of lookahead. */
GST_START_TEST (test_gap_event_and_latency)
{
  gsize n;
  gint16 *s = read_recording (&n);
  GstHarness *h = harness ("");
  /* (410 + 3 x 160) samples at 16 kHz */
  fail_unless_equals_uint64 (gst_harness_query_latency (h), 55625 * GST_USECOND);
  Pulled p;
  pulled_init (&p);
  push_stream (h, s, 8000, 800, 0);
  fail_unless (gst_harness_push_event (h, gst_event_new_gap (GST_SECOND / 2, GST_SECOND)));
  pull_all (h, &p);
  fail_unless_equals_uint64 (pulled_frames (&p), n_frames (8000));
  push_stream (h, s + 8000, 8000, 800, 3 * GST_SECOND / 2);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  pull_all (h, &p);
  gsize lengths[] = {8000, 8000};
  assert_library (&p, s, lengths, 2, STT_FE_CMN_LIVE);
  guint discont = 0;
  for (guint i = 0; i < p.offsets->len; i++)
    if (g_array_index (p.discont, gboolean, i)) {
      fail_unless_equals_uint64 (g_array_index (p.offsets, guint64, i), discont ? 150 : 0);
      discont++;
    }
  fail_unless_equals_int (discont, 2);
  pulled_clear (&p);
  gst_harness_teardown (h);
  g_free (s);
}
GST_END_TEST;

/* Batch CMN holds the utterance until EOS, then equals the library's batch output. */
GST_START_TEST (test_batch)
{
  gsize n;
  gint16 *s = read_recording (&n);
  GstHarness *h = harness ("cmn=batch");
  Pulled p;
  pulled_init (&p);
  push_stream (h, s, n, 4096, 0);
  pull_all (h, &p);
  fail_unless_equals_uint64 (pulled_frames (&p), 0);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  pull_all (h, &p);
  assert_library (&p, s, &n, 1, STT_FE_CMN_BATCH);
  pulled_clear (&p);
  gst_harness_teardown (h);
  g_free (s);
}
GST_END_TEST;

/* remove-silence drops frames; what is kept arrives in DISCONT-flagged runs. */
GST_START_TEST (test_remove_silence)
{
  gsize n;
  gint16 *s = read_recording (&n);
  gsize total = n + 2 * 48000;
  gint16 *padded = g_new0 (gint16, total);      /* 3 s of digital silence on each side */
  memcpy (padded + 48000, s, n * sizeof (gint16));
  GstHarness *h = harness ("remove-silence=true");
  Pulled p;
  pulled_init (&p);
  push_stream (h, padded, total, 3200, 0);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  pull_all (h, &p);
  fail_unless (pulled_frames (&p) > 100);
  fail_unless (pulled_frames (&p) < n_frames (total) - 200);
  guint64 prev_end = 0;
  for (guint i = 0; i < p.offsets->len; i++) {
    guint64 off = g_array_index (p.offsets, guint64, i);
    fail_unless (off >= prev_end);
    if (i == 0 || off != prev_end)
      fail_unless (g_array_index (p.discont, gboolean, i));
    prev_end = g_array_index (p.ends, guint64, i);
  }
  pulled_clear (&p);
  gst_harness_teardown (h);
  g_free (padded);
  g_free (s);
}
GST_END_TEST;

/* ---- real pipelines -------------------------------------------------------------------- */

static GstElement *
run_pipeline (const char *desc, GstMessage **error_msg)
{
  GError *error = NULL;
  GstElement *pipe = gst_parse_launch (desc, &error);
  fail_unless (pipe != NULL, "%s", error ? error->message : "");
  GstBus *bus = gst_element_get_bus (pipe);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "pipeline did not finish: %s", desc);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    *error_msg = msg;
  else
    gst_message_unref (msg);
  gst_object_unref (bus);
  return pipe;
}

/* filesrc ! decodebin ! ... ! sttfeatures ! appsink gives the library's numbers. */
GST_START_TEST (test_file_pipeline)
{
  char *wav = stt_test_data_path (recording);
  char *params = stt_test_sphinx_feat_params ();
  char *desc = g_strdup_printf ("filesrc location=%s ! decodebin ! audioconvert ! "
      "audioresample ! sttfeatures name=fe feat-params=%s ! appsink name=out sync=false",
      wav, params);
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipe), "out");
  GstElement *fe = gst_bin_get_by_name (GST_BIN (pipe), "fe");
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  GArray *data = g_array_new (FALSE, FALSE, sizeof (float));
  guint64 next = 0;
  GstSample *sample;
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink)))) {
    GstBuffer *buf = gst_sample_get_buffer (sample);
    GstMapInfo map;
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (buf), next);
    gst_buffer_map (buf, &map, GST_MAP_READ);
    g_array_append_vals (data, map.data, map.size / sizeof (float));
    gst_buffer_unmap (buf, &map);
    next = GST_BUFFER_OFFSET_END (buf);
    gst_sample_unref (sample);
  }
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (sink)));
  gsize n, n_lib;
  gint16 *s = read_recording (&n);
  float *lib = library_features (s, &n, 1, STT_FE_CMN_LIVE, TRUE, &n_lib);
  fail_unless_equals_uint64 (data->len / 39, n_lib);
  fail_unless_equals_uint64 (next, n_lib);
  fail_unless (memcmp (lib, data->data, n_lib * 39 * sizeof (float)) == 0);
  gst_element_set_state (pipe, GST_STATE_NULL);
  ASSERT_OBJECT_REFCOUNT (fe, "sttfeatures", 2);
  gst_object_unref (fe);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  g_free (lib);
  g_free (s);
  g_array_unref (data);
  g_free (desc);
  g_free (params);
  g_free (wav);
}
GST_END_TEST;

/* 8 kHz audio is refused (not resampled silently), in caps queries and in caps events. */
GST_START_TEST (test_bad_caps)
{
  GstElement *e = gst_element_factory_make ("sttfeatures", NULL);
  GstPad *sink = gst_element_get_static_pad (e, "sink");
  GstCaps *bad = gst_caps_from_string ("audio/x-raw, format=S16LE, rate=8000, channels=1, "
      "layout=interleaved");
  GstCaps *good = gst_caps_from_string (AUDIO_CAPS);
  fail_if (gst_pad_query_accept_caps (sink, bad));
  fail_unless (gst_pad_query_accept_caps (sink, good));
  gst_caps_unref (good);
  gst_object_unref (sink);
  gst_object_unref (e);

  GstHarness *h = harness_without_caps ("");
  fail_unless (gst_harness_push_event (h, gst_event_new_stream_start ("bad-caps")));
  /* the sticky caps event is stored on our pad whatever happens; pushing data shows it */
  gst_harness_push_event (h, gst_event_new_caps (bad));
  GstSegment segment;
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_harness_push_event (h, gst_event_new_segment (&segment));
  gint16 zeros[1600] = {0};
  fail_unless_equals_int (gst_harness_push (h, gst_buffer_new_memdup (zeros, sizeof zeros)),
      GST_FLOW_NOT_NEGOTIATED);
  fail_unless_equals_uint64 (gst_harness_buffers_received (h), 0);
  gst_caps_unref (bad);
  gst_harness_teardown (h);
}
GST_END_TEST;

static void
expect_open_error (const char *props, const char *needle)
{
  char *desc = g_strdup_printf ("audiotestsrc num-buffers=5 ! sttfeatures %s ! fakesink", props);
  GstMessage *err = NULL;
  GstElement *pipe = run_pipeline (desc, &err);
  fail_unless (err != NULL, "no error for %s", props);
  GError *error = NULL;
  char *debug = NULL;
  gst_message_parse_error (err, &error, &debug);
  fail_unless_equals_int (error->domain, GST_RESOURCE_ERROR);
  GST_INFO ("%s: %s (%s)", props, error->message, debug);
  fail_unless (strstr (error->message, needle) != NULL, "'%s' not in '%s'", needle,
      error->message);
  fail_unless (debug && strstr (debug, "set ") != NULL, "no hint in '%s'", debug);
  g_free (debug);
  g_error_free (error);
  gst_message_unref (err);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (pipe);
  g_free (desc);
}

/* A missing model or feat.params file stops the pipeline with an error naming it. */
GST_START_TEST (test_missing_model)
{
  expect_open_error ("model=/nonexistent/model-folder", "/nonexistent/model-folder");
  expect_open_error ("model=00000000-0000-4000-8000-000000000000",
      "00000000-0000-4000-8000-000000000000");
  expect_open_error ("feat-params=/nonexistent/feat.params", "/nonexistent/feat.params");
}
GST_END_TEST;

/* The feat.params of a model: by folder and by id in the model path. The model's file says
 * -remove_noise no, which must show in the output. */
GST_START_TEST (test_model)
{
  char *params = stt_test_sphinx_feat_params ();
  char *text;
  fail_unless (g_file_get_contents (params, &text, NULL, NULL));
  char *changed = g_strconcat (text, "-remove_noise no\n", NULL);
  char *models = g_dir_make_tmp ("test-sttfeatures-XXXXXX", NULL);
  GError *err = NULL;
  SttModelWriter *w = stt_model_writer_new (models, "base", "en-US", &err);
  fail_unless (w != NULL);
  GBytes *bytes = g_bytes_new (changed, strlen (changed));
  fail_unless (stt_model_writer_add_bytes (w, "feat.params", bytes, &err));
  g_bytes_unref (bytes);
  char *id = g_strdup (stt_model_writer_get_id (w));
  char *dir = stt_model_writer_commit (w, &err);
  fail_unless (dir != NULL, "%s", err ? err->message : "");

  gsize n;
  gint16 *s = read_recording (&n);
  char *old_path = g_strdup (g_getenv ("STT_MODEL_PATH"));
  g_setenv ("STT_MODEL_PATH", models, TRUE);
  const char *which[] = {dir, id};
  for (guint i = 0; i < 2; i++) {
    char *desc = g_strdup_printf ("sttfeatures model=%s", which[i]);
    GstHarness *h = harness_desc (desc);
    Pulled p;
    pulled_init (&p);
    push_stream (h, s, n, 4000, 0);
    fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
    pull_all (h, &p);
    gboolean rn = TRUE;
    GstElement *e = gst_harness_find_element (h, "sttfeatures");
    g_object_get (e, "remove-noise", &rn, NULL);
    fail_if (rn);                       /* the model's value */
    gst_object_unref (e);
    gsize n_lib;
    float *lib = library_features (s, &n, 1, STT_FE_CMN_LIVE, FALSE, &n_lib);
    fail_unless_equals_uint64 (pulled_frames (&p), n_lib);
    fail_unless (memcmp (lib, p.data->data, n_lib * 39 * sizeof (float)) == 0);
    g_free (lib);
    lib = library_features (s, &n, 1, STT_FE_CMN_LIVE, TRUE, &n_lib);
    fail_if (memcmp (lib, p.data->data, n_lib * 39 * sizeof (float)) == 0);
    g_free (lib);
    pulled_clear (&p);
    gst_harness_teardown (h);
    g_free (desc);
  }
  if (old_path)
    g_setenv ("STT_MODEL_PATH", old_path, TRUE);
  else
    g_unsetenv ("STT_MODEL_PATH");
  g_free (old_path);
  g_free (s);
  char *files[] = {"feat.params", "manifest.json", NULL};
  for (char **f = files; *f; f++) {
    char *path = g_build_filename (dir, *f, NULL);
    g_unlink (path);
    g_free (path);
  }
  g_rmdir (dir);
  g_rmdir (models);
  g_free (dir);
  g_free (id);
  g_free (models);
  g_free (changed);
  g_free (text);
  g_free (params);
}
GST_END_TEST;

GST_START_TEST (test_properties)
{
  GstElement *e = gst_element_factory_make ("sttfeatures", NULL);
  char *model, *fp;
  int cmn;
  gboolean rn, rs;
  g_object_get (e, "model", &model, "feat-params", &fp, "cmn", &cmn, "remove-noise", &rn,
      "remove-silence", &rs, NULL);
  fail_unless_equals_string (model, STT_DEFAULT_MODEL_ID);
  fail_unless (fp == NULL);
  fail_unless_equals_int (cmn, 0);      /* live */
  fail_unless (rn);
  fail_if (rs);
  g_free (model);
  gst_util_set_object_arg (G_OBJECT (e), "cmn", "batch");
  g_object_get (e, "cmn", &cmn, NULL);
  fail_unless_equals_int (cmn, 1);
  gst_util_set_object_arg (G_OBJECT (e), "cmn", "live-sphinx");
  g_object_get (e, "cmn", &cmn, NULL);
  fail_unless_equals_int (cmn, 3);
  ASSERT_OBJECT_REFCOUNT (e, "sttfeatures", 1);
  gst_object_unref (e);
}
GST_END_TEST;

/* cmn=live-sphinx: pocketsphinx's rule, in small uneven buffers, as the library computes it
 * (the default live CMN is checked the same way by test_frames). */
GST_START_TEST (test_live_sphinx)
{
  gsize n;
  gint16 *s = read_recording (&n);
  GstHarness *h = harness ("cmn=live-sphinx");
  Pulled p;
  pulled_init (&p);
  push_stream (h, s, n, 77, 0);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  pull_all (h, &p);
  assert_library (&p, s, &n, 1, STT_FE_CMN_LIVE_SPHINX);
  /* and it is not the default mode's output */
  gsize n_lib;
  float *lib = library_features (s, &n, 1, STT_FE_CMN_LIVE, TRUE, &n_lib);
  fail_unless_equals_uint64 (p.data->len / 39, n_lib);
  fail_if (memcmp (lib, p.data->data, n_lib * 39 * sizeof (float)) == 0);
  g_free (lib);
  pulled_clear (&p);
  gst_harness_teardown (h);
  g_free (s);
}
GST_END_TEST;

static Suite *
sttfeatures_suite (void)
{
  Suite *s = suite_create ("sttfeatures");
  TCase *tc = tcase_create ("general");
  tcase_set_timeout (tc, 60);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_frames);
  tcase_add_test (tc, test_live_sphinx);
  tcase_add_test (tc, test_first_pts);
  tcase_add_test (tc, test_gaps);
  tcase_add_test (tc, test_gap_event_and_latency);
  tcase_add_test (tc, test_batch);
  tcase_add_test (tc, test_remove_silence);
  tcase_add_test (tc, test_file_pipeline);
  tcase_add_test (tc, test_bad_caps);
  tcase_add_test (tc, test_missing_model);
  tcase_add_test (tc, test_model);
  tcase_add_test (tc, test_properties);
  return s;
}

GST_CHECK_MAIN (sttfeatures);
