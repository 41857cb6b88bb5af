/* gst-stt — GstCheck tests of sttacoustic: scores of real features, offsets and flags,
 * batching and its latency, DISCONT/EOS flushes, one shared model copy for two pipelines.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <stt/am.h>
#include <stt/gststttypes.h>
#include "testutil.h"

#include <math.h>
#include <string.h>

#define WAV "dev/arctic_cathy/cathy_arctic_a0002.wav"
#define DIM 39

/* Real 1s_c_d_dd features of WAV, with the default model's feat.params. */
static float *
real_features (gsize *n_frames)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SttModel) model = stt_model_cache_lookup (STT_DEFAULT_MODEL_ID, &error);
  g_assert_no_error (error);
  g_autofree char *params = stt_model_get_path (model, "feat.params", &error);
  g_assert_no_error (error);
  return stt_test_wav_features (params, WAV, n_frames);
}

static GstHarness *
harness_new (const char *launch)
{
  GstHarness *h = gst_harness_new_parse (launch);
  gst_harness_set_src_caps_str (h, GST_STT_FEATURES_MEDIA_TYPE
      ", dimension=(int)39, rate=(fraction)100/1, feature-type=(string)1s_c_d_dd");
  return h;
}

static GstBuffer *
frames_buffer (const float *feat, guint64 first, guint64 n, gboolean discont)
{
  GstBuffer *b = gst_buffer_new_memdup (feat + first * DIM, n * DIM * sizeof (float));
  GST_BUFFER_OFFSET (b) = first;
  GST_BUFFER_OFFSET_END (b) = first + n;
  GST_BUFFER_PTS (b) = first * 10 * GST_MSECOND;
  GST_BUFFER_DURATION (b) = n * 10 * GST_MSECOND;
  if (discont)
    GST_BUFFER_FLAG_SET (b, GST_BUFFER_FLAG_DISCONT);
  return b;
}

/* Every frame pushed in 7-frame buffers comes out once, in order, with offsets, timestamps
 * and values equal to the library scorer's (within float rounding of differently sized
 * GEMMs), each frame's best senone at 0; the caps name the model. */
GST_START_TEST (test_scores_and_offsets)
{
  gsize n;
  g_autofree float *feat = real_features (&n);
  GstHarness *h = harness_new ("sttacoustic");
  for (gsize at = 0; at < n; at += 7)
    fail_unless_equals_int (gst_harness_push (h, frames_buffer (feat, at, MIN (7, n - at),
                at == 0)), GST_FLOW_OK);
  gst_harness_push_event (h, gst_event_new_eos ());

  g_autoptr (GError) error = NULL;
  g_autoptr (SttModel) model = stt_model_cache_lookup (STT_DEFAULT_MODEL_ID, &error);
  g_autoptr (SttAcousticTables) tables = stt_acoustic_tables_from_model (model, &error);
  g_assert_no_error (error);
  int n_sen = stt_acoustic_tables_n_senones (tables);
  g_autoptr (SttAcousticScorer) sc = stt_acoustic_scorer_new (tables, 4, TRUE, 10);
  g_autofree float *want = g_new (float, n * n_sen);
  stt_acoustic_scorer_score (sc, feat, n, want);

  GstCaps *caps = gst_pad_get_current_caps (h->sinkpad);
  GstStructure *s = gst_caps_get_structure (caps, 0);
  int senones;
  fail_unless (gst_structure_has_name (s, GST_STT_SCORES_MEDIA_TYPE));
  fail_unless (gst_structure_get_int (s, "senones", &senones));
  fail_unless_equals_int (senones, n_sen);
  fail_unless_equals_string (gst_structure_get_string (s, "model-id"), STT_DEFAULT_MODEL_ID);
  gst_caps_unref (caps);

  guint64 next = 0;
  GstBuffer *out;
  gboolean first = TRUE;
  while ((out = gst_harness_try_pull (h))) {
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (out), next);
    guint64 k = GST_BUFFER_OFFSET_END (out) - next;
    fail_unless (k > 0 && k <= 10 + 6, "batch of %" G_GUINT64_FORMAT " frames", k);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), next * 10 * GST_MSECOND);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (out), k * 10 * GST_MSECOND);
    fail_unless ((GST_BUFFER_IS_DISCONT (out) != 0) == first, "DISCONT only on the first");
    GstMapInfo map;
    gst_buffer_map (out, &map, GST_MAP_READ);
    fail_unless_equals_uint64 (map.size, k * n_sen * sizeof (float));
    const float *v = (const float *) map.data;
    for (guint64 f = 0; f < k; f++) {
      float best = -INFINITY;
      for (int i = 0; i < n_sen; i++) {
        float w = want[(next + f) * n_sen + i], g = v[f * n_sen + i];
        fail_unless (fabsf (g - w) <= 1e-3f + 1e-5f * fabsf (w), "frame %" G_GUINT64_FORMAT
            " senone %d: %f, library %f", next + f, i, g, w);
        best = MAX (best, g);
      }
      fail_unless_equals_float (best, 0.0f);
    }
    gst_buffer_unmap (out, &map);
    next += k;
    first = FALSE;
    gst_buffer_unref (out);
  }
  fail_unless_equals_uint64 (next, n);
  gst_harness_teardown (h);
}
GST_END_TEST;

/* The properties reach the scorer: plain C, exact mixtures, batches of 3 give the library's
 * scores for the same settings. */
GST_START_TEST (test_properties)
{
  gsize n;
  g_autofree float *feat = real_features (&n);
  n = 20;
  GstHarness *h = harness_new ("sttacoustic use-blas=false top-n=128 batch-frames=3");
  gst_harness_push (h, frames_buffer (feat, 0, n, TRUE));
  gst_harness_push_event (h, gst_event_new_eos ());
  g_autoptr (GError) error = NULL;
  g_autoptr (SttModel) model = stt_model_cache_lookup (STT_DEFAULT_MODEL_ID, &error);
  g_autoptr (SttAcousticTables) tables = stt_acoustic_tables_from_model (model, &error);
  g_assert_no_error (error);
  int n_sen = stt_acoustic_tables_n_senones (tables);
  g_autoptr (SttAcousticScorer) sc = stt_acoustic_scorer_new (tables, 128, FALSE, 3);
  g_autofree float *want = g_new (float, n * n_sen);
  stt_acoustic_scorer_score (sc, feat, n, want);
  GstBuffer *out = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET_END (out), n);
  GstMapInfo map;
  gst_buffer_map (out, &map, GST_MAP_READ);
  fail_unless (memcmp (map.data, want, n * n_sen * sizeof (float)) == 0);
  gst_buffer_unmap (out, &map);
  gst_buffer_unref (out);
  int top_n;
  GstElement *e = gst_harness_find_element (h, "sttacoustic");
  g_object_get (e, "top-n", &top_n, NULL);
  fail_unless_equals_int (top_n, 128);
  gst_object_unref (e);
  gst_harness_teardown (h);
}
GST_END_TEST;

/* batch-frames=10: nothing comes out for 9 single frames, all 10 with the 10th; the element
 * adds batch-frames / rate to the upstream latency. */
GST_START_TEST (test_batching_latency)
{
  gsize n;
  g_autofree float *feat = real_features (&n);
  GstHarness *h = harness_new ("sttacoustic batch-frames=10");
  gst_harness_set_upstream_latency (h, 30 * GST_MSECOND);
  for (int i = 0; i < 9; i++)
    gst_harness_push (h, frames_buffer (feat, i, 1, i == 0));
  fail_unless_equals_int (gst_harness_buffers_received (h), 0);
  gst_harness_push (h, frames_buffer (feat, 9, 1, FALSE));
  fail_unless_equals_int (gst_harness_buffers_received (h), 1);
  GstBuffer *out = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET_END (out), 10);
  gst_buffer_unref (out);
  fail_unless_equals_uint64 (gst_harness_query_latency (h), 130 * GST_MSECOND);
  gst_harness_teardown (h);
}
GST_END_TEST;

/* A DISCONT (or an offset jump) scores the partial batch first; EOS scores the rest; the
 * first buffer after the gap is flagged DISCONT and keeps its offset. */
GST_START_TEST (test_discont_and_eos_flush)
{
  gsize n;
  g_autofree float *feat = real_features (&n);
  GstHarness *h = harness_new ("sttacoustic batch-frames=50");
  gst_harness_push (h, frames_buffer (feat, 0, 5, TRUE));
  fail_unless_equals_int (gst_harness_buffers_received (h), 0);
  gst_harness_push (h, frames_buffer (feat, 100, 3, TRUE));
  GstBuffer *a = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET (a), 0);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET_END (a), 5);
  fail_unless (GST_BUFFER_IS_DISCONT (a));
  gst_harness_push (h, frames_buffer (feat, 120, 2, FALSE));   /* offset jump: a gap too */
  GstBuffer *b = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET (b), 100);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET_END (b), 103);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (b), GST_SECOND);
  fail_unless (GST_BUFFER_IS_DISCONT (b));
  gst_harness_push_event (h, gst_event_new_eos ());
  GstBuffer *c = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET (c), 120);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET_END (c), 122);
  fail_unless (GST_BUFFER_IS_DISCONT (c));
  gst_buffer_unref (a);
  gst_buffer_unref (b);
  gst_buffer_unref (c);
  gst_harness_teardown (h);
}
GST_END_TEST;

/* Features of the wrong dimension, partial frames and NaNs are errors, not crashes. */
GST_START_TEST (test_bad_input)
{
  GstHarness *h = gst_harness_new ("sttacoustic");
  gst_harness_set_src_caps_str (h, GST_STT_FEATURES_MEDIA_TYPE
      ", dimension=(int)13, rate=(fraction)100/1");
  GstBuffer *b = gst_buffer_new_allocate (NULL, 13 * 4, NULL);
  fail_unless (gst_harness_push (h, b) != GST_FLOW_OK);
  gst_harness_teardown (h);

  h = harness_new ("sttacoustic");
  fail_unless_equals_int (gst_harness_push (h, gst_buffer_new_allocate (NULL, 10, NULL)),
      GST_FLOW_ERROR);
  gst_harness_teardown (h);

  float frames[2 * DIM] = { 0 };
  frames[DIM + 5] = NAN;
  h = harness_new ("sttacoustic");
  fail_unless_equals_int (gst_harness_push (h, frames_buffer (frames, 0, 2, TRUE)),
      GST_FLOW_ERROR);
  gst_harness_teardown (h);
}
GST_END_TEST;

/* A model that is not installed fails the state change with a message naming it. */
GST_START_TEST (test_missing_model)
{
  GstElement *e = gst_element_factory_make ("sttacoustic", NULL);
  g_object_set (e, "model", "/nonexistent/model-folder", NULL);
  GstBus *bus = gst_bus_new ();
  gst_element_set_bus (e, bus);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  GstMessage *m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (m != NULL);
  GError *err = NULL;
  gchar *dbg = NULL;
  gst_message_parse_error (m, &err, &dbg);
  fail_unless (strstr (err->message, "/nonexistent/model-folder") != NULL, "%s", err->message);
  g_error_free (err);
  g_free (dbg);
  gst_message_unref (m);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  ASSERT_OBJECT_REFCOUNT (e, "sttacoustic", 1);
  gst_object_unref (e);
}
GST_END_TEST;

/* Lines of /proc/self/maps that map @file. */
static int
count_mappings (const char *file)
{
  g_autofree char *maps = NULL;
  fail_unless (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  int count = 0;
  for (char *l = maps; (l = strstr (l, file)); l += strlen (file))
    count++;
  return count;
}

/* Two pipelines on the default model, both running: the model's arrays are mapped once
 * (one line per file in /proc/self/maps) and the means the scorer uses are the bytes of the
 * model's one shared mapping. */
GST_START_TEST (test_two_pipelines_share_model)
{
  g_autofree char *wav = stt_test_data_path (WAV);
  g_autofree char *desc = g_strdup_printf ("filesrc location=%s ! wavparse ! sttfeatures ! "
      "sttacoustic name=am ! fakesink sync=false", wav);
  GstElement *p[2];
  for (int i = 0; i < 2; i++) {
    p[i] = gst_parse_launch (desc, NULL);
    fail_unless (p[i] != NULL);
    fail_unless (gst_element_set_state (p[i], GST_STATE_PAUSED) != GST_STATE_CHANGE_FAILURE);
    fail_unless_equals_int (gst_element_get_state (p[i], NULL, NULL, GST_CLOCK_TIME_NONE),
        GST_STATE_CHANGE_SUCCESS);
  }
  g_autoptr (GError) error = NULL;
  g_autoptr (SttModel) model = stt_model_cache_lookup (STT_DEFAULT_MODEL_ID, &error);
  g_assert_no_error (error);
  g_autofree char *means_path = stt_model_get_path (model, "am/means.bin", NULL);
  g_autofree char *mixw_path = stt_model_get_path (model, "am/mixw.bin", NULL);
  fail_unless_equals_int (count_mappings (means_path), 1);
  fail_unless_equals_int (count_mappings (mixw_path), 1);
  g_autoptr (SttAcousticTables) tables = stt_acoustic_tables_from_model (model, &error);
  g_autoptr (GBytes) mapped = stt_model_map (model, "am/means.bin", &error);
  fail_unless (stt_gauden_get_bytes (stt_acoustic_tables_get_means (tables)) == mapped);
  for (int i = 0; i < 2; i++) {
    gst_element_set_state (p[i], GST_STATE_PLAYING);
    GstMessage *m = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (p[i]), 60 * GST_SECOND,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    fail_unless (m && GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS);
    gst_message_unref (m);
  }
  fail_unless_equals_int (count_mappings (means_path), 1);
  for (int i = 0; i < 2; i++) {
    gst_element_set_state (p[i], GST_STATE_NULL);
    ASSERT_OBJECT_REFCOUNT (p[i], "pipeline", 1);
    gst_object_unref (p[i]);
  }
}
GST_END_TEST;

static Suite *
sttacoustic_suite (void)
{
  Suite *s = suite_create ("sttacoustic");
  TCase *tc = tcase_create ("general");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_scores_and_offsets);
  tcase_add_test (tc, test_properties);
  tcase_add_test (tc, test_batching_latency);
  tcase_add_test (tc, test_discont_and_eos_flush);
  tcase_add_test (tc, test_bad_input);
  tcase_add_test (tc, test_missing_model);
  tcase_add_test (tc, test_two_pipelines_share_model);
  suite_add_tcase (s, tc);
  return s;
}

GST_CHECK_MAIN (sttacoustic);
