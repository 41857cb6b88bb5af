/* gst-stt — GstCheck tests of sttdecoder on real recordings through the real front end and
 * acoustic scorer: a known recording's transcript, streaming = whole-file decoding,
 * endpointing of two utterances with a pause, the initial-silence timeout on noise, digital
 * silence and late speech, corrupt model files, refcounts.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <glib/gstdio.h>
#include <stt/gststtresult.h>
#include <stt/gststttypes.h>
#include "testutil.h"

#include <string.h>
#include <unistd.h>

#define WAV_A "dev/arctic_cathy/cathy_arctic_a0009.wav"
#define WAV_B "dev/arctic_cathy/cathy_arctic_a0017.wav"

typedef struct {
  GPtrArray *finals;            /* SttResult* */
  guint n_partials;
  GArray *starts, *ends;        /* gint64 ticks of speech events */
} Output;

static void
output_clear (Output *o)
{
  g_ptr_array_unref (o->finals);
  g_array_unref (o->starts);
  g_array_unref (o->ends);
}

static GstPadProbeReturn
event_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  Output *o = data;
  GstSttSpeechEventType type;
  gint64 ticks;
  if (gst_stt_speech_event_parse (GST_PAD_PROBE_INFO_EVENT (info), &type, &ticks))
    g_array_append_val (type == GST_STT_SPEECH_START ? o->starts : o->ends, ticks);
  return GST_PAD_PROBE_OK;
}

/* Decode @n samples pushed in chunks of @chunk samples (0: all at once). */
static void
decode_pcm (const gint16 *pcm, gsize n, gsize chunk, const char *decoder_props, Output *o)
{
  o->finals = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_result_unref);
  o->starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  o->ends = g_array_new (FALSE, FALSE, sizeof (gint64));
  o->n_partials = 0;
  char *desc = g_strdup_printf ("appsrc name=src format=time caps=audio/x-raw,format=S16LE,"
      "rate=16000,channels=1,layout=interleaved ! sttfeatures ! sttacoustic ! sttdecoder "
      "name=dec %s ! appsink name=sink sync=false", decoder_props);
  GError *error = NULL;
  GstElement *pipe = gst_parse_launch (desc, &error);
  g_assert_no_error (error);
  g_free (desc);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  GstPad *pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, event_probe, o, NULL);
  gst_object_unref (pad);
  fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_PLAYING),
      GST_STATE_CHANGE_ASYNC);
  if (chunk == 0)
    chunk = n;
  for (gsize at = 0; at < n; at += chunk) {
    gsize len = MIN (chunk, n - at);
    GstBuffer *b = gst_buffer_new_memdup (pcm + at, len * 2);
    GST_BUFFER_PTS (b) = gst_util_uint64_scale (at, GST_SECOND, 16000);
    GST_BUFFER_DURATION (b) = gst_util_uint64_scale (len, GST_SECOND, 16000);
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (src), b), GST_FLOW_OK);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  GstSample *s;
  while ((s = gst_app_sink_pull_sample (GST_APP_SINK (sink)))) {
    SttResult *r = gst_stt_result_from_buffer (gst_sample_get_buffer (s), &error);
    g_assert_no_error (error);
    if (r->kind == STT_RESULT_FINAL)
      g_ptr_array_add (o->finals, r);
    else {
      o->n_partials++;
      stt_result_unref (r);
    }
    gst_sample_unref (s);
  }
  GstMessage *m = gst_bus_poll (GST_ELEMENT_BUS (pipe), GST_MESSAGE_EOS | GST_MESSAGE_ERROR,
      GST_CLOCK_TIME_NONE);
  fail_unless_equals_int (GST_MESSAGE_TYPE (m), GST_MESSAGE_EOS);
  gst_message_unref (m);
  fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (src);
  gst_object_unref (sink);
  ASSERT_OBJECT_REFCOUNT (pipe, "pipeline", 1);
  gst_object_unref (pipe);
}

static gint16 *
read_wav (const char *rel, gsize *n)
{
  g_autofree char *path = stt_test_data_path (rel);
  int rate = 0;
  gint16 *pcm = stt_test_read_wav (path, n, &rate);
  fail_unless_equals_int (rate, 16000);
  return pcm;
}

/* The reference transcript of @rel from its folder's refs.norm.txt. */
static char *
reference (const char *rel)
{
  g_autofree char *dir = g_path_get_dirname (rel);
  g_autofree char *base = g_path_get_basename (rel);
  *strrchr (base, '.') = 0;
  g_autofree char *refs_rel = g_build_filename (dir, "refs.norm.txt", NULL);
  g_autofree char *refs_path = stt_test_data_path (refs_rel);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (refs_path, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++) {
    if (g_str_has_prefix (lines[i], base) && lines[i][strlen (base)] == ' ')
      return g_strdup (lines[i] + strlen (base) + 1);
  }
  g_error ("no reference for %s in %s", base, refs_path);
  return NULL;
}

static char *
joined_text (Output *o)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < o->finals->len; i++) {
    const char *t = stt_result_get_display_text (g_ptr_array_index (o->finals, i));
    if (*t)
      g_string_append_printf (s, "%s%s", s->len ? " " : "", t);
  }
  return g_string_free (s, FALSE);
}

/* "he turned sharply and faced gregson across the table" is recognized with at most 2 word
 * errors (the default model gives 1: "face" for "faced"); the result has words with times
 * inside the audio and confidences in [0,1], N-best, and a lattice. */
GST_START_TEST (test_known_recording)
{
  gsize n;
  g_autofree gint16 *pcm = read_wav (WAV_A, &n);
  Output o;
  decode_pcm (pcm, n, 1600, "", &o);
  g_autofree char *ref = reference (WAV_A);
  g_autofree char *hyp = joined_text (&o);
  guint errors = stt_test_word_errors (ref, hyp);
  GST_INFO ("ref \"%s\" hyp \"%s\": %u errors", ref, hyp, errors);
  fail_unless (errors <= 2, "\"%s\" vs \"%s\": %u word errors", hyp, ref, errors);

  fail_unless (o.finals->len >= 1);
  SttResult *r = g_ptr_array_index (o.finals, 0);
  fail_unless_equals_int (r->status, STT_STATUS_SUCCESS);
  const SttHypothesis *best = stt_result_get_best (r);
  fail_unless (stt_hypothesis_get_n_words (best) > 0);
  gint64 audio_ticks = (gint64) n * STT_TICKS_PER_SECOND / 16000;
  gint64 prev_end = 0;
  for (guint i = 0; i < stt_hypothesis_get_n_words (best); i++) {
    const SttWord *w = stt_hypothesis_get_word (best, i);
    fail_unless (w->offset >= prev_end && w->duration > 0);
    fail_unless (w->offset + w->duration <= audio_ticks);
    fail_unless (w->confidence >= 0.0 && w->confidence <= 1.0);
    prev_end = w->offset + w->duration;
  }
  fail_unless (stt_result_get_n_hypotheses (r) >= 2);
  for (guint i = 1; i < stt_result_get_n_hypotheses (r); i++)
    fail_unless (g_strcmp0 (stt_hypothesis_get_text (stt_result_get_hypothesis (r, i),
                STT_TEXT_LEXICAL), stt_hypothesis_get_text (best, STT_TEXT_LEXICAL)) != 0);
  const char *format = NULL;
  GBytes *lat = stt_result_get_lattice (r, &format);
  fail_unless_equals_string (format, "stt-lattice-1");
  fail_unless (g_str_has_prefix (g_bytes_get_data (lat, NULL), "stt-lattice-1\n"));
  fail_unless (o.n_partials > 0);
  fail_unless_equals_int (o.starts->len, o.ends->len);
  output_clear (&o);
}
GST_END_TEST;

/* 100 ms buffers and the whole file in one buffer give the same final text. */
GST_START_TEST (test_streaming_equals_whole)
{
  gsize n;
  g_autofree gint16 *pcm = read_wav (WAV_B, &n);
  Output a, b;
  decode_pcm (pcm, n, 1600, "", &a);
  decode_pcm (pcm, n, 0, "", &b);
  g_autofree char *ta = joined_text (&a);
  g_autofree char *tb = joined_text (&b);
  fail_unless (*ta);
  fail_unless_equals_string (ta, tb);
  output_clear (&a);
  output_clear (&b);
}
GST_END_TEST;

/* Two utterances with 1.5 s of silence (quiet-room noise, about 2 LSB) between them become
 * two phrases whose times fall in their own utterance, with a speech start and end event
 * each. */
GST_START_TEST (test_endpointing)
{
  gsize na, nb;
  g_autofree gint16 *a = read_wav (WAV_A, &na);
  g_autofree gint16 *b = read_wav (WAV_B, &nb);
  gsize gap = 24000;
  gsize n = na + gap + nb;
  g_autofree gint16 *pcm = g_new0 (gint16, n);
  memcpy (pcm, a, na * 2);
  memcpy (pcm + na + gap, b, nb * 2);
  GRand *rand = g_rand_new_with_seed (7);
  for (gsize i = na; i < na + gap; i++)
    pcm[i] = g_rand_int_range (rand, -3, 4);
  g_rand_free (rand);
  Output o;
  decode_pcm (pcm, n, 1600, "end-silence-timeout=500", &o);
  fail_unless_equals_int (o.finals->len, 2);
  gint64 tick = STT_TICKS_PER_SECOND / 16000;
  gint64 end_a = na * tick, start_b = (na + gap) * tick;
  SttResult *r1 = g_ptr_array_index (o.finals, 0), *r2 = g_ptr_array_index (o.finals, 1);
  fail_unless (r1->offset >= 0 && r1->offset + r1->duration <= end_a + STT_TICKS_PER_SECOND / 10,
      "phrase 1 ends at %" G_GINT64_FORMAT " after utterance 1 (%" G_GINT64_FORMAT ")",
      r1->offset + r1->duration, end_a);
  fail_unless (r2->offset >= start_b - STT_TICKS_PER_SECOND / 10,
      "phrase 2 starts at %" G_GINT64_FORMAT " before utterance 2 (%" G_GINT64_FORMAT ")",
      r2->offset, start_b);
  fail_unless (r2->offset + r2->duration <= (gint64) n * tick);
  g_autofree char *ref_a = reference (WAV_A);
  g_autofree char *ref_b = reference (WAV_B);
  fail_unless (stt_test_word_errors (ref_a, stt_result_get_display_text (r1)) <= 2);
  fail_unless (stt_test_word_errors (ref_b, stt_result_get_display_text (r2)) <= 3);
  fail_unless_equals_int (o.starts->len, 2);
  fail_unless_equals_int (o.ends->len, 2);
  fail_unless (g_array_index (o.starts, gint64, 1) >= start_b - STT_TICKS_PER_SECOND / 10);
  output_clear (&o);
}
GST_END_TEST;

/* @n samples of quiet-room noise (uniform in [-3, 3], about 2 LSB rms). */
static gint16 *
quiet_noise (gsize n, guint32 seed)
{
  gint16 *pcm = g_new (gint16, n);
  GRand *rand = g_rand_new_with_seed (seed);
  for (gsize i = 0; i < n; i++)
    pcm[i] = g_rand_int_range (rand, -3, 4);
  g_rand_free (rand);
  return pcm;
}

/* Quiet-room noise only: with initial-silence-timeout=1000 one result with status
 * InitialSilenceTimeout covering the first second, no speech events, no other result. */
GST_START_TEST (test_initial_silence_timeout)
{
  gsize n = 48000;
  g_autofree gint16 *pcm = quiet_noise (n, 11);
  Output o;
  decode_pcm (pcm, n, 1600, "initial-silence-timeout=1000", &o);
  fail_unless_equals_int (o.finals->len, 1);
  SttResult *r = g_ptr_array_index (o.finals, 0);
  fail_unless_equals_int (r->status, STT_STATUS_INITIAL_SILENCE_TIMEOUT);
  fail_unless_equals_int64 (r->offset, 0);
  fail_unless_equals_int64 (r->duration, STT_TICKS_PER_SECOND);
  fail_unless_equals_int (o.starts->len, 0);
  output_clear (&o);
}
GST_END_TEST;

/* @pcm (@n samples) with initial-silence-timeout=5000: exactly one final result, with status
 * InitialSilenceTimeout, no text, covering the first 5 s, and no speech event. */
static void
check_initial_timeout_5s (const gint16 *pcm, gsize n)
{
  Output o;
  decode_pcm (pcm, n, 1600, "initial-silence-timeout=5000", &o);
  fail_unless_equals_int (o.finals->len, 1);
  SttResult *r = g_ptr_array_index (o.finals, 0);
  fail_unless_equals_int (r->status, STT_STATUS_INITIAL_SILENCE_TIMEOUT);
  fail_unless_equals_string (stt_result_get_display_text (r), "");
  fail_unless_equals_int64 (r->offset, 0);
  fail_unless_equals_int64 (r->duration, 5 * STT_TICKS_PER_SECOND);
  fail_unless_equals_int (o.starts->len, 0);
  output_clear (&o);
}

/* A timeout longer than the 3 s after which idle silence restarts the search still fires:
 * 6.5 s of quiet-room noise (about 2 LSB). */
GST_START_TEST (test_initial_silence_timeout_long)
{
  gsize n = 104000;
  g_autofree gint16 *pcm = quiet_noise (n, 13);
  check_initial_timeout_5s (pcm, n);
}
GST_END_TEST;

/* Digital silence (all samples 0) is silence too: the timeout, no recognized word. */
GST_START_TEST (test_initial_silence_timeout_zeros)
{
  gsize n = 104000;
  g_autofree gint16 *pcm = g_new0 (gint16, n);
  check_initial_timeout_5s (pcm, n);
}
GST_END_TEST;

/* Speech after 1 s of digital silence with a 5 s timeout: no timeout, the normal result. */
GST_START_TEST (test_initial_silence_timeout_speech)
{
  gsize na;
  g_autofree gint16 *a = read_wav (WAV_A, &na);
  gsize lead = 16000, n = lead + na;
  g_autofree gint16 *pcm = g_new0 (gint16, n);
  memcpy (pcm + lead, a, na * 2);
  Output o;
  decode_pcm (pcm, n, 1600, "initial-silence-timeout=5000", &o);
  fail_unless_equals_int (o.finals->len, 1);
  SttResult *r = g_ptr_array_index (o.finals, 0);
  fail_unless_equals_int (r->status, STT_STATUS_SUCCESS);
  /* a frame (25.6 ms) that overlaps the first speech sample may start the first word */
  fail_unless (r->offset >= (gint64) lead * (STT_TICKS_PER_SECOND / 16000) -
      STT_TICKS_PER_SECOND * 256 / 10000,
      "phrase starts at %" G_GINT64_FORMAT " in the leading silence", r->offset);
  g_autofree char *ref = reference (WAV_A);
  fail_unless (stt_test_word_errors (ref, stt_result_get_display_text (r)) <= 2, "\"%s\"",
      stt_result_get_display_text (r));
  fail_unless_equals_int (o.starts->len, 1);
  output_clear (&o);
}
GST_END_TEST;

/* ---- ending a phrase on the front end's lookahead (stt-lookahead events) ----------------- */

typedef enum {
  LOOKAHEAD_FRONT_END, LOOKAHEAD_NONE, LOOKAHEAD_QUIET, LOOKAHEAD_SPEECH, LOOKAHEAD_QUIET_LONG
} Lookahead;

/* Feeds @pcm in 10 ms buffers through a harness of the whole recognizer with a 300 ms pause;
 * with LOOKAHEAD_FRONT_END sttfeatures sends its stt-lookahead events, otherwise none, and
 * LOOKAHEAD_QUIET / _SPEECH push one after every buffer saying the 3 held frames are quiet /
 * speech (with no quiet run before them), LOOKAHEAD_QUIET_LONG that they are quiet and that the
 * detector's quiet run began 600 ms before them (earlier than any word end it may honour) /
 * speech. Returns how many buffers had been pushed when the first final came out, and its
 * text in @text. sttacoustic scores @batch frames at a time. */
static guint
first_final_buffer (const gint16 *pcm, gsize n, Lookahead mode, guint batch, char **text)
{
  char *desc = g_strdup_printf ("sttfeatures lookahead-events=%s ! sttacoustic batch-frames=%u "
      "! sttdecoder end-silence-timeout=300", mode == LOOKAHEAD_FRONT_END ? "true" : "false",
      batch);
  GstHarness *h = gst_harness_new_parse (desc);
  g_free (desc);
  gst_harness_set_src_caps_str (h, "audio/x-raw,format=S16LE,rate=16000,channels=1,"
      "layout=interleaved");
  guint pushed = 0;
  *text = NULL;
  for (gsize at = 0; at + 160 <= n && !*text; at += 160) {
    GstBuffer *b = gst_buffer_new_memdup (pcm + at, 320);
    GST_BUFFER_PTS (b) = gst_util_uint64_scale (at, GST_SECOND, 16000);
    GST_BUFFER_DURATION (b) = 10 * GST_MSECOND;
    fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_OK);
    pushed++;
    gint64 frames = (gint64) (at + 160) >= 410 ? ((gint64) at + 160 - 410) / 160 + 1 : 0;
    if (mode != LOOKAHEAD_FRONT_END && mode != LOOKAHEAD_NONE && frames > 3)
      fail_unless (gst_harness_push_event (h, gst_stt_lookahead_event_new (frames - 3, 3,
                  mode == LOOKAHEAD_SPEECH, mode == LOOKAHEAD_QUIET_LONG ? frames - 63 : -1)));
    GstBuffer *out;
    while (!*text && (out = gst_harness_try_pull (h))) {
      GError *error = NULL;
      SttResult *r = gst_stt_result_from_buffer (out, &error);
      g_assert_no_error (error);
      if (r->kind == STT_RESULT_FINAL && r->status == STT_STATUS_SUCCESS)
        *text = g_strdup (stt_result_get_display_text (r));
      stt_result_unref (r);
      gst_buffer_unref (out);
    }
  }
  fail_unless (*text != NULL, "no final phrase");
  gst_harness_teardown (h);
  return pushed;
}

/* A phrase ends on a 300 ms pause as soon as the pause plus the front end's held frames make
 * 300 ms and its VAD hears no speech in them: 3 frames (30 ms) sooner than without the
 * lookahead, with the same words; sooner still when the VAD heard the speaker stop before the
 * search's word end, but never more than VAD_LEAD_FRAMES (15) before it. Held frames said to
 * hold speech end nothing early. */
GST_START_TEST (test_lookahead_ends_phrase_sooner)
{
  gsize na;
  g_autofree gint16 *a = read_wav (WAV_A, &na);
  gsize n = na + 16000;
  g_autofree gint16 *pcm = quiet_noise (n, 11);
  memcpy (pcm, a, na * 2);
  char *t_none, *t_front, *t_quiet, *t_speech, *t_batched, *t_long;
  /* batches of one frame: only the lookahead decides when the decoder has a frame */
  guint none = first_final_buffer (pcm, n, LOOKAHEAD_NONE, 1, &t_none);
  guint front = first_final_buffer (pcm, n, LOOKAHEAD_FRONT_END, 1, &t_front);
  guint quiet = first_final_buffer (pcm, n, LOOKAHEAD_QUIET, 1, &t_quiet);
  guint speech = first_final_buffer (pcm, n, LOOKAHEAD_SPEECH, 1, &t_speech);
  guint lng = first_final_buffer (pcm, n, LOOKAHEAD_QUIET_LONG, 1, &t_long);
  /* sttacoustic scores its partial batch at each event, so batching delays nothing */
  guint batched = first_final_buffer (pcm, n, LOOKAHEAD_FRONT_END, 10, &t_batched);
  GST_INFO ("first final after %u buffers without lookahead, %u with the front end's, "
      "%u with quiet, %u with speech, %u with long quiet ones", none, front, quiet, speech,
      lng);
  fail_unless_equals_int (quiet + 3, none);
  fail_unless_equals_int (speech, none);
  fail_unless (front < quiet && front + 3 + 15 >= none, "front end: %u, none: %u", front, none);
  fail_unless_equals_int (lng + 3 + 15, none);
  fail_unless_equals_int (batched, front);
  fail_unless_equals_string (t_front, t_none);
  fail_unless_equals_string (t_quiet, t_none);
  fail_unless_equals_string (t_speech, t_none);
  fail_unless_equals_string (t_batched, t_none);
  g_free (t_none);
  g_free (t_front);
  g_free (t_quiet);
  g_free (t_speech);
  g_free (t_batched);
  g_free (t_long);
}
GST_END_TEST;

/* A model folder like the default one but with file @corrupt overwritten at @offset. */
static char *
corrupt_model (const char *corrupt, gsize offset, const char *bytes, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SttModel) model = stt_model_cache_lookup (STT_DEFAULT_MODEL_ID, &error);
  g_assert_no_error (error);
  char *dir = g_dir_make_tmp ("stt-decoder-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *src_manifest = g_build_filename (stt_model_get_dir (model), "manifest.json",
      NULL);
  g_autofree char *dst_manifest = g_build_filename (dir, "manifest.json", NULL);
  g_autofree char *m = NULL;
  g_assert_true (g_file_get_contents (src_manifest, &m, NULL, NULL));
  /* a model of its own id, so the cache does not confuse it with the default one */
  g_autofree char *uuid = g_uuid_string_random ();
  g_auto (GStrv) parts = g_strsplit (m, STT_DEFAULT_MODEL_ID, -1);
  g_autofree char *m2 = g_strjoinv (uuid, parts);
  g_assert_true (g_file_set_contents (dst_manifest, m2, -1, NULL));
  for (const char *const *f = stt_model_list_files (model); *f; f++) {
    g_autofree char *src = stt_model_get_path (model, *f, &error);
    g_autofree char *dst = g_build_filename (dir, *f, NULL);
    g_autofree char *parent = g_path_get_dirname (dst);
    g_mkdir_with_parents (parent, 0700);
    if (strcmp (*f, corrupt) == 0) {
      g_autofree char *data = NULL;
      gsize dlen;
      g_assert_true (g_file_get_contents (src, &data, &dlen, NULL));
      g_assert_true (offset + len <= dlen);
      memcpy (data + offset, bytes, len);
      g_assert_true (g_file_set_contents (dst, data, dlen, NULL));
    } else {
      fail_unless_equals_int (symlink (src, dst), 0);
    }
  }
  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  fail_unless_equals_int (system (cmd), 0);
}

/* The element refuses to start on @dir and names the problem. */
static void
check_rejected (const char *dir, const char *expect)
{
  GstElement *dec = gst_element_factory_make ("sttdecoder", NULL);
  g_object_set (dec, "model", dir, NULL);
  GstBus *bus = gst_bus_new ();
  gst_element_set_bus (dec, bus);
  fail_unless_equals_int (gst_element_set_state (dec, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  GstMessage *m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (m != NULL);
  GError *err = NULL;
  gst_message_parse_error (m, &err, NULL);
  fail_unless (strstr (err->message, expect), "error \"%s\" lacks \"%s\"", err->message,
      expect);
  g_error_free (err);
  gst_message_unref (m);
  gst_element_set_state (dec, GST_STATE_NULL);
  gst_element_set_bus (dec, NULL);
  gst_object_unref (bus);
  ASSERT_OBJECT_REFCOUNT (dec, "sttdecoder", 1);
  gst_object_unref (dec);
}

GST_START_TEST (test_corrupt_graph)
{
  /* wrong magic, then a node count far beyond the end of the file */
  g_autofree char *dir = corrupt_model ("decoder/graph.bin", 0, "STTGRPH9", 8);
  check_rejected (dir, "decoding graph");
  remove_tree (dir);
  g_autofree char *dir2 = corrupt_model ("decoder/graph.bin", 8 + 5 * 4,
      "\xff\xff\xff\x0f", 4);
  check_rejected (dir2, "decoding graph");
  remove_tree (dir2);
}
GST_END_TEST;

GST_START_TEST (test_corrupt_lm)
{
  g_autofree char *dir = corrupt_model ("lm/lm.bin", 0, "NOTANLM!", 8);
  check_rejected (dir, "lm/lm.bin");
  remove_tree (dir);
}
GST_END_TEST;

GST_START_TEST (test_missing_model)
{
  check_rejected ("/nonexistent/model", "Could not load decoding model");
}
GST_END_TEST;

static Suite *
sttdecoder_suite (void)
{
  Suite *s = suite_create ("sttdecoder");
  TCase *tc = tcase_create ("general");
  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_known_recording);
  tcase_add_test (tc, test_streaming_equals_whole);
  tcase_add_test (tc, test_lookahead_ends_phrase_sooner);
  tcase_add_test (tc, test_endpointing);
  tcase_add_test (tc, test_initial_silence_timeout);
  tcase_add_test (tc, test_initial_silence_timeout_long);
  tcase_add_test (tc, test_initial_silence_timeout_zeros);
  tcase_add_test (tc, test_initial_silence_timeout_speech);
  tcase_add_test (tc, test_corrupt_graph);
  tcase_add_test (tc, test_corrupt_lm);
  tcase_add_test (tc, test_missing_model);
  return s;
}

GST_CHECK_MAIN (sttdecoder);
