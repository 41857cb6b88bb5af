/* gst-stt — sttdecoder: senone scores to recognition results (search, endpointing, N-best).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-sttdecoder
 * @title: sttdecoder
 *
 * Decodes `application/x-stt-scores` (per-frame senone log-likelihoods from sttacoustic) with
 * a time-synchronous Viterbi beam search over the model's lexicon tree and its trigram LM
 * (docs/decoder.md). Continuous input is split into phrases at pauses (endpointing); each
 * phrase gives one final result (`application/x-stt-result`, one JSON result per buffer, also
 * posted as an "stt-result" element message) with the best text, its words with offsets,
 * durations and posterior confidences, an N-best list and the word lattice ("stt-lattice-1",
 * docs/lattice.md) for rescoring. While a phrase is spoken, partial results carry the
 * current best text. "stt-speech-start"/"stt-speech-end" events go downstream at speech start
 * and end. Times are 100-ns ticks from the stream start.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=x.wav ! decodebin ! audioconvert ! audioresample ! \
 *     sttfeatures ! sttacoustic ! sttdecoder ! sttsink
 * ]|
 */
#include "config.h"
#include "gststtdecoder.h"

#include <math.h>
#include <string.h>
#include <stt/gststtresult.h>
#include <stt/gststttypes.h>
#include <stt/model.h>
#include <stt/search.h>

GST_DEBUG_CATEGORY_STATIC (stt_decoder_debug);
#define GST_CAT_DEFAULT stt_decoder_debug

enum {
  PROP_0,
  PROP_MODEL,
  PROP_BEAM,
  PROP_WORD_BEAM,
  PROP_MAX_ACTIVE,
  PROP_LM_WEIGHT,
  PROP_WIP,
  PROP_PARTIAL_INTERVAL,
  PROP_INITIAL_SILENCE_TIMEOUT,
  PROP_END_SILENCE_TIMEOUT,
  PROP_MAX_PHRASE_DURATION,
  PROP_NBEST,
  PROP_LATTICE,
};

#define DEFAULT_BEAM 90.0
#define DEFAULT_WORD_BEAM 64.8
#define DEFAULT_MAX_ACTIVE 30000
#define DEFAULT_LM_WEIGHT 6.5
#define DEFAULT_WIP -3.0
#define DEFAULT_PARTIAL_INTERVAL 300
#define DEFAULT_INITIAL_SILENCE_TIMEOUT 0
#define DEFAULT_END_SILENCE_TIMEOUT 500
#define DEFAULT_MAX_PHRASE_DURATION 30000
#define DEFAULT_NBEST 5

/* Consecutive non-silence frames that make speech start (the best path leaves silence). */
#define SPEECH_START_FRAMES 10
/* How far (frames) the voice activity detector may move the start of a pause back from the
 * best path's last word end (pause_at). */
#define VAD_LEAD_FRAMES 15
/* Silence before any speech longer than this restarts the search (bounds its memory). */
#define IDLE_RESTART_FRAMES 300

struct _GstSttDecoder {
  GstElement parent;
  GstPad *sinkpad, *srcpad;

  /* properties, under the object lock */
  char *model_id;
  double beam, word_beam, lm_weight, wip;
  guint max_active, partial_interval, initial_silence_timeout, end_silence_timeout;
  guint max_phrase_duration, nbest;
  gboolean lattice;

  /* streaming state, under the stream lock */
  SttModel *model;
  const SttSearchResources *res;
  SttSearch *search;
  SttSearchConfig cfg;
  guint n_senones;
  gint64 frame_ticks;           /* 100-ns ticks per frame */
  gint64 next_frame;            /* expected offset of the next frame */
  GArray *frame_map;            /* gint64: stream frame of each utterance frame */
  gint64 phrase_start;          /* stream frame where the current search started */
  gboolean in_speech;
  /* initial-silence-timeout: counted from the stream start (frame offset 0, so frames
   * removed upstream count) until speech is first detected, across the search restarts of
   * idle silence; reported once per stream */
  gboolean speech_seen, timed_out;
  guint speech_run, silence_run;
  /* the pause after the best path's last word at the latest frame (0: not in a pause), for
   * ending a phrase on an stt-lookahead event */
  gint64 pause_frames;
  gint64 last_word_end;         /* stream frame of the best path's last word's end, or -1 */
  gint64 speech_start;
  gint64 last_partial;
  char *last_partial_text;
  gboolean segment_pending;
};

G_DEFINE_TYPE (GstSttDecoder, gst_stt_decoder, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (sttdecoder, "sttdecoder", GST_RANK_NONE, GST_TYPE_STT_DECODER);

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_STT_SCORES_MEDIA_TYPE ", senones = (int) [ 1, MAX ], "
        "rate = (fraction) [ 1/1, MAX ]"));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (GST_STT_RESULT_CAPS));

/* ---- results ------------------------------------------------------------------------------ */

static gint64
frame_to_ticks (GstSttDecoder *self, gint64 utt_frame)
{
  GArray *m = self->frame_map;
  gint64 f;
  if (m->len == 0)
    f = self->phrase_start + utt_frame;
  else if (utt_frame < (gint64) m->len)
    f = g_array_index (m, gint64, MAX (utt_frame, 0));
  else
    f = g_array_index (m, gint64, m->len - 1) + (utt_frame - m->len + 1);
  return f * self->frame_ticks;
}

static GstFlowReturn
push_result (GstSttDecoder *self, SttResult *r)
{
  GstFlowReturn ret = GST_FLOW_OK;
  gst_element_post_message (GST_ELEMENT (self),
      gst_stt_result_message_new (GST_OBJECT (self), r));
  if (self->segment_pending) {
    GstSegment seg;
    gst_segment_init (&seg, GST_FORMAT_TIME);
    gst_pad_push_event (self->srcpad, gst_event_new_segment (&seg));
    self->segment_pending = FALSE;
  }
  ret = gst_pad_push (self->srcpad, gst_stt_result_to_buffer (r));
  stt_result_unref (r);
  return ret;
}

static void
push_speech_event (GstSttDecoder *self, GstSttSpeechEventType type, gint64 ticks)
{
  gst_pad_push_event (self->srcpad, gst_stt_speech_event_new (type, ticks));
}

/* One hypothesis from a lattice path; returns its mean word confidence. */
static void
add_path (GstSttDecoder *self, SttResult *r, const SttLatticePath *path)
{
  SttHypothesis *h = stt_result_add_hypothesis (r);
  double sum = 0;
  for (guint i = 0; i < path->words->len; i++) {
    const SttLatticeWord *w = &g_array_index (path->words, SttLatticeWord, i);
    gint64 off = frame_to_ticks (self, w->start_frame - self->phrase_start);
    gint64 end = frame_to_ticks (self, w->end_frame - self->phrase_start) + self->frame_ticks;
    stt_hypothesis_add_word (h, w->word, off, end - off, w->posterior);
    sum += w->posterior;
  }
  char *text = stt_hypothesis_join_words (h);
  stt_hypothesis_set_text (h, STT_TEXT_LEXICAL, text);
  g_free (text);
  stt_hypothesis_set_confidence (h, path->words->len ? sum / path->words->len : 0.0);
  /* The score's parts, so that sttrescore can re-rank the N-best list without a lattice
   * (docs/results.md, "Members added by stages"). */
  JsonObject *extra = stt_hypothesis_get_extra (h);
  json_object_set_double_member (extra, "AcousticScore", path->acoustic_score);
  json_object_set_double_member (extra, "LmScore", path->lm_score);
}

static SttResult *
result_new (GstSttDecoder *self, SttResultKind kind, SttRecognitionStatus status)
{
  SttResult *r = stt_result_new (kind);
  r->status = status;
  g_free (r->model_id);
  r->model_id = g_strdup (stt_model_get_id (self->model));
  return r;
}

/* End the current search: a final result (unless it heard nothing and @quiet). */
static GstFlowReturn
finish_phrase (GstSttDecoder *self, gboolean quiet)
{
  GstFlowReturn ret = GST_FLOW_OK;
  guint nbest;
  gboolean with_lattice;
  GST_OBJECT_LOCK (self);
  nbest = self->nbest;
  with_lattice = self->lattice;
  GST_OBJECT_UNLOCK (self);

  guint n_frames = stt_search_get_n_frames (self->search);
  SttLattice *lat = stt_search_finish (self->search);
  if (lat) {
    GPtrArray *paths = stt_lattice_nbest (lat, MAX (nbest, 1));
    gboolean empty = paths->len == 0 ||
        ((SttLatticePath *) g_ptr_array_index (paths, 0))->words->len == 0;
    if (!(empty && quiet)) {
      SttResult *r = result_new (self, STT_RESULT_FINAL,
          empty ? STT_STATUS_NO_MATCH : STT_STATUS_SUCCESS);
      for (guint i = 0; i < paths->len; i++)
        add_path (self, r, g_ptr_array_index (paths, i));
      if (!empty) {
        const SttHypothesis *best = stt_result_get_best (r);
        const SttWord *first = stt_hypothesis_get_word (best, 0);
        const SttWord *last = stt_hypothesis_get_word (best,
            stt_hypothesis_get_n_words (best) - 1);
        r->offset = first->offset;
        r->duration = last->offset + last->duration - first->offset;
      } else {
        r->offset = frame_to_ticks (self, 0);
        r->duration = n_frames * self->frame_ticks;
      }
      if (with_lattice) {
        GBytes *lb = stt_lattice_serialize (lat);
        stt_result_set_lattice (r, "stt-lattice-1", lb);
        g_bytes_unref (lb);
      }
      if (self->in_speech)
        push_speech_event (self, GST_STT_SPEECH_END, r->offset + r->duration);
      GST_DEBUG_OBJECT (self, "final: \"%s\"", stt_result_get_display_text (r));
      ret = push_result (self, r);
    }
    g_ptr_array_unref (paths);
    stt_lattice_free (lat);
  }
  self->in_speech = FALSE;
  self->speech_run = self->silence_run = 0;
  self->pause_frames = 0;
  g_array_set_size (self->frame_map, 0);
  g_clear_pointer (&self->last_partial_text, g_free);
  return ret;
}

static void
start_phrase (GstSttDecoder *self, gint64 frame)
{
  stt_search_start (self->search, frame);
  self->phrase_start = frame;
  self->last_partial = frame;
  g_array_set_size (self->frame_map, 0);
}

static GstFlowReturn
maybe_partial (GstSttDecoder *self, gint64 frame, guint interval_frames)
{
  if (interval_frames == 0 || frame - self->last_partial < interval_frames)
    return GST_FLOW_OK;
  self->last_partial = frame;
  char *text = stt_search_get_partial (self->search);
  if (!*text || g_strcmp0 (text, self->last_partial_text) == 0) {
    g_free (text);
    return GST_FLOW_OK;
  }
  g_free (self->last_partial_text);
  self->last_partial_text = text;
  SttResult *r = result_new (self, STT_RESULT_PARTIAL, STT_STATUS_SUCCESS);
  SttHypothesis *h = stt_result_add_hypothesis (r);
  stt_hypothesis_set_text (h, STT_TEXT_LEXICAL, text);
  r->offset = self->speech_start * self->frame_ticks;
  r->duration = (frame + 1) * self->frame_ticks - r->offset;
  return push_result (self, r);
}

/* ---- per frame ---------------------------------------------------------------------------- */

typedef struct {
  guint partial_frames, initial_frames, end_frames, max_frames;
} Timing;

static guint
ms_to_frames (GstSttDecoder *self, guint ms)
{
  return (guint) ((gint64) ms * 10000 / self->frame_ticks);
}

static GstFlowReturn
process_frame (GstSttDecoder *self, const float *scores, gint64 frame, const Timing *t)
{
  GstFlowReturn ret = GST_FLOW_OK;
  g_array_append_val (self->frame_map, frame);
  stt_search_step (self->search, scores);
  gint64 last_end;
  gboolean sil = stt_search_best_in_silence (self->search, &last_end);
  guint n = stt_search_get_n_frames (self->search);
  GST_LOG_OBJECT (self, "frame %" G_GINT64_FORMAT ": %s, speech %d, runs %u/%u", frame,
      sil ? "silence" : "speech", self->in_speech, self->speech_run, self->silence_run);

  if (!self->in_speech) {
    self->speech_run = sil ? 0 : self->speech_run + 1;
    if (self->speech_run >= SPEECH_START_FRAMES) {
      self->in_speech = TRUE;
      self->speech_seen = TRUE;
      self->silence_run = 0;
      self->speech_start = g_array_index (self->frame_map, gint64, n - self->speech_run);
      self->last_partial = frame;
      push_speech_event (self, GST_STT_SPEECH_START, self->speech_start * self->frame_ticks);
      return GST_FLOW_OK;
    }
    if (t->initial_frames && !self->speech_seen && !self->timed_out
        && frame + 1 >= t->initial_frames) {
      self->timed_out = TRUE;
      SttResult *r = result_new (self, STT_RESULT_FINAL, STT_STATUS_INITIAL_SILENCE_TIMEOUT);
      r->offset = 0;
      r->duration = (frame + 1) * self->frame_ticks;
      ret = push_result (self, r);
    }
    if (self->speech_run == 0 && n >= IDLE_RESTART_FRAMES) {
      stt_lattice_free (stt_search_finish (self->search));
      start_phrase (self, frame + 1);
    }
    return ret;
  }
  self->silence_run = sil ? self->silence_run + 1 : 0;
  /* The pause is measured from where the best path's last word ended (the search's
   * hindsight): the best hypothesis only settles into silence some frames after the speaker
   * stopped, and counting from then would add that lag to every final's latency. */
  gint64 silent = sil && last_end >= 0 ? MAX ((gint64) self->silence_run, frame - last_end)
      : (gint64) self->silence_run;
  self->pause_frames = sil ? silent : 0;
  self->last_word_end = sil ? last_end : -1;
  if ((t->end_frames && silent >= t->end_frames) || (t->max_frames &&
          frame + 1 - self->speech_start >= t->max_frames)) {
    ret = finish_phrase (self, FALSE);
    start_phrase (self, frame + 1);
    return ret;
  }
  return maybe_partial (self, frame, t->partial_frames);
}

static void
read_config (GstSttDecoder *self, Timing *t)
{
  GST_OBJECT_LOCK (self);
  SttSearchConfig c = self->cfg;
  c.beam = c.pbeam = self->beam;
  c.wbeam = self->word_beam;
  c.max_active = self->max_active;
  c.lm_weight = self->lm_weight;
  c.lattice_lm_weight = self->lm_weight * (8.0 / 6.5);
  c.wip = self->wip;
  /* 0.09 at the default LM weight (calibration, docs/decoder.md) */
  c.posterior_scale = self->lm_weight > 0 ? 0.585 / self->lm_weight : 0.09;
  guint partial = self->partial_interval, initial = self->initial_silence_timeout;
  guint end = self->end_silence_timeout, max = self->max_phrase_duration;
  GST_OBJECT_UNLOCK (self);
  if (memcmp (&c, &self->cfg, sizeof c) != 0) {
    self->cfg = c;
    stt_search_set_config (self->search, &c);
  }
  t->partial_frames = ms_to_frames (self, partial);
  t->initial_frames = ms_to_frames (self, initial);
  t->end_frames = ms_to_frames (self, end);
  t->max_frames = ms_to_frames (self, max);
}

static GstFlowReturn
gst_stt_decoder_chain (GstPad *pad, GstObject *parent, GstBuffer *buf)
{
  GstSttDecoder *self = GST_STT_DECODER (parent);
  GstFlowReturn ret = GST_FLOW_OK;
  if (!self->search) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("Scores arrived before their caps"), (NULL));
    gst_buffer_unref (buf);
    return GST_FLOW_NOT_NEGOTIATED;
  }
  GstMapInfo map;
  if (!gst_buffer_map (buf, &map, GST_MAP_READ)) {
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }
  gsize frame_bytes = (gsize) self->n_senones * sizeof (float);
  if (map.size % frame_bytes) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT, ("Score buffer of %" G_GSIZE_FORMAT " bytes is "
            "not a whole number of %u-senone frames", map.size, self->n_senones),
        ("the upstream element must send whole frames"));
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }
  Timing t;
  read_config (self, &t);
  guint n = map.size / frame_bytes;
  gint64 first = GST_BUFFER_OFFSET_IS_VALID (buf) ? (gint64) GST_BUFFER_OFFSET (buf) :
      self->next_frame;
  if (first > self->next_frame && self->frame_map->len > 0) {
    /* Frames removed upstream (silence): a long enough gap ends the phrase. */
    if (self->in_speech && t.end_frames && first - self->next_frame >= t.end_frames) {
      ret = finish_phrase (self, FALSE);
      start_phrase (self, first);
    } else if (!self->in_speech) {
      ret = finish_phrase (self, TRUE);
      start_phrase (self, first);
    }
  }
  if (stt_search_get_n_frames (self->search) == 0 && first != self->phrase_start)
    start_phrase (self, first);
  for (guint i = 0; i < n && ret == GST_FLOW_OK; i++)
    ret = process_frame (self, (const float *) map.data + (gsize) i * self->n_senones, first + i,
        &t);
  self->next_frame = first + n;
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);
  return ret;
}

/* ---- setup -------------------------------------------------------------------------------- */

static gboolean
set_caps (GstSttDecoder *self, GstCaps *caps)
{
  GstStructure *s = gst_caps_get_structure (caps, 0);
  gint senones, rn, rd;
  if (!gst_structure_get_int (s, "senones", &senones) ||
      !gst_structure_get_fraction (s, "rate", &rn, &rd) || rn <= 0 || rd <= 0)
    return FALSE;
  guint need = stt_graph_get_n_senones (self->res->graph);
  if ((guint) senones < need) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("The scores have %d senones but the model's "
            "decoding graph uses %u", senones, need),
        ("sttacoustic and sttdecoder must use the same model"));
    return FALSE;
  }
  self->n_senones = senones;
  self->frame_ticks = gst_util_uint64_scale_int (STT_TICKS_PER_SECOND, rd, rn);
  if (!self->search) {
    self->search = stt_search_new (self->res->graph, &self->res->search_lm, self->res->map,
        &self->cfg);
    start_phrase (self, 0);
  }
  GstCaps *out = gst_caps_new_empty_simple (GST_STT_RESULT_MEDIA_TYPE);
  gboolean ok = gst_pad_set_caps (self->srcpad, out);
  gst_caps_unref (out);
  return ok;
}

static void
reset_stream (GstSttDecoder *self)
{
  if (self->search) {
    stt_lattice_free (stt_search_finish (self->search));
    start_phrase (self, 0);
  }
  self->next_frame = 0;
  self->in_speech = FALSE;
  self->speech_seen = self->timed_out = FALSE;
  self->speech_run = self->silence_run = 0;
  self->pause_frames = 0;
  g_clear_pointer (&self->last_partial_text, g_free);
}

/* The pause at the newest frame @last, in frames: from the best path's last word end, or from
 * where the front end's voice activity detector heard the speaker stop (@quiet_since, the first
 * frame of its current non-speech run) when that is earlier: the search often stretches a
 * word's last phone into the silence after it. The detector may move the start of the pause
 * back by VAD_LEAD_FRAMES at most, and only to after the phrase's speech began. */
static gint64
pause_at (GstSttDecoder *self, gint64 last, gint64 quiet_since)
{
  gint64 pause = self->pause_frames;
  if (quiet_since > self->speech_start && quiet_since <= last && self->last_word_end >= 0) {
    gint64 from = MAX (quiet_since - 1, self->last_word_end - VAD_LEAD_FRAMES);
    pause = MAX (pause, last - from);
  }
  return pause;
}

/* The front end holds the newest 1-3 frames back for their deltas. When the pause so far plus
 * those frames makes the end-silence-timeout and its voice activity detector hears no speech
 * in them, the phrase ends now instead of 30 ms of audio (often a whole network chunk) later;
 * the frames then start the next phrase as usual. */
static void
handle_lookahead (GstSttDecoder *self, GstEvent *event)
{
  gint64 frame, quiet_since;
  guint frames;
  gboolean speech;
  gst_stt_lookahead_event_parse (event, &frame, &frames, &speech, &quiet_since);
  if (!self->search || !self->in_speech || speech || self->pause_frames == 0
      || frame != self->next_frame)
    return;
  Timing t;
  read_config (self, &t);
  gint64 pause = pause_at (self, frame - 1, quiet_since);
  if (!t.end_frames || pause + frames < t.end_frames)
    return;
  GST_DEBUG_OBJECT (self, "pause of %" G_GINT64_FORMAT " frames (%" G_GINT64_FORMAT " after "
      "the last word) + %u quiet lookahead frames ends the phrase", pause, self->pause_frames,
      frames);
  finish_phrase (self, FALSE);
  start_phrase (self, frame);
}

static gboolean
gst_stt_decoder_sink_event (GstPad *pad, GstObject *parent, GstEvent *event)
{
  GstSttDecoder *self = GST_STT_DECODER (parent);
  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:{
      GstCaps *caps;
      gst_event_parse_caps (event, &caps);
      gboolean ok = set_caps (self, caps);
      gst_event_unref (event);
      return ok;
    }
    case GST_EVENT_SEGMENT:
      self->segment_pending = FALSE;
      return gst_pad_push_event (self->srcpad, event);
    case GST_EVENT_EOS:
      if (self->search && stt_search_get_n_frames (self->search) > 0)
        finish_phrase (self, !self->in_speech);
      return gst_pad_push_event (self->srcpad, event);
    case GST_EVENT_FLUSH_STOP:
      reset_stream (self);
      return gst_pad_push_event (self->srcpad, event);
    case GST_EVENT_CUSTOM_DOWNSTREAM:
      if (gst_stt_lookahead_event_parse (event, NULL, NULL, NULL, NULL)) {
        handle_lookahead (self, event);
        gst_event_unref (event);
        return TRUE;
      }
      return gst_pad_event_default (pad, parent, event);
    default:
      return gst_pad_event_default (pad, parent, event);
  }
}

static gboolean
load_model (GstSttDecoder *self)
{
  GST_OBJECT_LOCK (self);
  char *id = g_strdup (self->model_id);
  GST_OBJECT_UNLOCK (self);
  GError *err = NULL;
  self->model = stt_model_cache_lookup (id, &err);
  if (self->model)
    self->res = stt_search_resources_get (self->model, &err);
  if (!self->res) {
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND, ("Could not load decoding model \"%s\": %s",
            id, err->message), ("set the model property to an installed model id or folder "
            "(stt-model list); build the default one with `stt-model import-sphinx`"));
    g_error_free (err);
    g_clear_pointer (&self->model, stt_model_unref);
    g_free (id);
    return FALSE;
  }
  g_free (id);
  return TRUE;
}

static void
unload (GstSttDecoder *self)
{
  g_clear_pointer (&self->search, stt_search_free);
  self->res = NULL;
  g_clear_pointer (&self->model, stt_model_unref);
  g_clear_pointer (&self->last_partial_text, g_free);
  g_array_set_size (self->frame_map, 0);
}

static GstStateChangeReturn
gst_stt_decoder_change_state (GstElement *element, GstStateChange transition)
{
  GstSttDecoder *self = GST_STT_DECODER (element);
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    if (!load_model (self))
      return GST_STATE_CHANGE_FAILURE;
    self->next_frame = 0;
    self->in_speech = FALSE;
    self->speech_seen = self->timed_out = FALSE;
    self->segment_pending = TRUE;
  }
  GstStateChangeReturn ret =
      GST_ELEMENT_CLASS (gst_stt_decoder_parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    unload (self);
  return ret;
}

/* ---- GObject ------------------------------------------------------------------------------ */

static void
gst_stt_decoder_set_property (GObject *object, guint id, const GValue *v, GParamSpec *pspec)
{
  GstSttDecoder *self = GST_STT_DECODER (object);
  GST_OBJECT_LOCK (self);
  switch (id) {
    case PROP_MODEL:
      g_free (self->model_id);
      self->model_id = g_value_dup_string (v);
      break;
    case PROP_BEAM:
      self->beam = g_value_get_double (v);
      break;
    case PROP_WORD_BEAM:
      self->word_beam = g_value_get_double (v);
      break;
    case PROP_MAX_ACTIVE:
      self->max_active = g_value_get_uint (v);
      break;
    case PROP_LM_WEIGHT:
      self->lm_weight = g_value_get_double (v);
      break;
    case PROP_WIP:
      self->wip = g_value_get_double (v);
      break;
    case PROP_PARTIAL_INTERVAL:
      self->partial_interval = g_value_get_uint (v);
      break;
    case PROP_INITIAL_SILENCE_TIMEOUT:
      self->initial_silence_timeout = g_value_get_uint (v);
      break;
    case PROP_END_SILENCE_TIMEOUT:
      self->end_silence_timeout = g_value_get_uint (v);
      break;
    case PROP_MAX_PHRASE_DURATION:
      self->max_phrase_duration = g_value_get_uint (v);
      break;
    case PROP_NBEST:
      self->nbest = g_value_get_uint (v);
      break;
    case PROP_LATTICE:
      self->lattice = g_value_get_boolean (v);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_decoder_get_property (GObject *object, guint id, GValue *v, GParamSpec *pspec)
{
  GstSttDecoder *self = GST_STT_DECODER (object);
  GST_OBJECT_LOCK (self);
  switch (id) {
    case PROP_MODEL:
      g_value_set_string (v, self->model_id);
      break;
    case PROP_BEAM:
      g_value_set_double (v, self->beam);
      break;
    case PROP_WORD_BEAM:
      g_value_set_double (v, self->word_beam);
      break;
    case PROP_MAX_ACTIVE:
      g_value_set_uint (v, self->max_active);
      break;
    case PROP_LM_WEIGHT:
      g_value_set_double (v, self->lm_weight);
      break;
    case PROP_WIP:
      g_value_set_double (v, self->wip);
      break;
    case PROP_PARTIAL_INTERVAL:
      g_value_set_uint (v, self->partial_interval);
      break;
    case PROP_INITIAL_SILENCE_TIMEOUT:
      g_value_set_uint (v, self->initial_silence_timeout);
      break;
    case PROP_END_SILENCE_TIMEOUT:
      g_value_set_uint (v, self->end_silence_timeout);
      break;
    case PROP_MAX_PHRASE_DURATION:
      g_value_set_uint (v, self->max_phrase_duration);
      break;
    case PROP_NBEST:
      g_value_set_uint (v, self->nbest);
      break;
    case PROP_LATTICE:
      g_value_set_boolean (v, self->lattice);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_stt_decoder_finalize (GObject *object)
{
  GstSttDecoder *self = GST_STT_DECODER (object);
  unload (self);
  g_array_unref (self->frame_map);
  g_free (self->model_id);
  G_OBJECT_CLASS (gst_stt_decoder_parent_class)->finalize (object);
}

static void
gst_stt_decoder_init (GstSttDecoder *self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad, GST_DEBUG_FUNCPTR (gst_stt_decoder_chain));
  gst_pad_set_event_function (self->sinkpad, GST_DEBUG_FUNCPTR (gst_stt_decoder_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->model_id = g_strdup (STT_DEFAULT_MODEL_ID);
  self->beam = DEFAULT_BEAM;
  self->word_beam = DEFAULT_WORD_BEAM;
  self->max_active = DEFAULT_MAX_ACTIVE;
  self->lm_weight = DEFAULT_LM_WEIGHT;
  self->wip = DEFAULT_WIP;
  self->partial_interval = DEFAULT_PARTIAL_INTERVAL;
  self->initial_silence_timeout = DEFAULT_INITIAL_SILENCE_TIMEOUT;
  self->end_silence_timeout = DEFAULT_END_SILENCE_TIMEOUT;
  self->max_phrase_duration = DEFAULT_MAX_PHRASE_DURATION;
  self->nbest = DEFAULT_NBEST;
  self->lattice = TRUE;
  stt_search_config_init (&self->cfg);
  self->frame_map = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->frame_ticks = STT_TICKS_PER_SECOND / 100;
}

static void
gst_stt_decoder_class_init (GstSttDecoderClass *klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);
  GstElementClass *ec = GST_ELEMENT_CLASS (klass);
  GParamFlags f = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING;

  oc->set_property = gst_stt_decoder_set_property;
  oc->get_property = gst_stt_decoder_get_property;
  oc->finalize = gst_stt_decoder_finalize;
  ec->change_state = GST_DEBUG_FUNCPTR (gst_stt_decoder_change_state);

  g_object_class_install_property (oc, PROP_MODEL, g_param_spec_string ("model", "Model",
          "Model id (UUID in the model path) or model folder; read when the element starts",
          STT_DEFAULT_MODEL_ID, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (oc, PROP_BEAM, g_param_spec_double ("beam", "Beam",
          "HMM pruning beam: natural-log units below the frame's best score (pocketsphinx's "
          "1e-48 is 110.5); smaller is faster and less accurate", 1.0, 1000.0,
          DEFAULT_BEAM, f));
  g_object_class_install_property (oc, PROP_WORD_BEAM, g_param_spec_double ("word-beam",
          "Word beam", "Word-exit (lattice) beam: word ends scoring within this many "
          "natural-log units of the frame's best word end enter the lattice (64.8 = 7e-29)", 1.0,
          1000.0, DEFAULT_WORD_BEAM, f));
  g_object_class_install_property (oc, PROP_MAX_ACTIVE, g_param_spec_uint ("max-active",
          "Max active", "Histogram pruning: at most about this many active HMMs per frame",
          100, G_MAXINT, DEFAULT_MAX_ACTIVE, f));
  g_object_class_install_property (oc, PROP_LM_WEIGHT, g_param_spec_double ("lm-weight",
          "LM weight", "Scale of the language model's log-probabilities in the search; the lattice best "
          "path and N-best use 8/6.5 of it", 0.0, 100.0,
          DEFAULT_LM_WEIGHT, f));
  g_object_class_install_property (oc, PROP_WIP, g_param_spec_double ("word-insertion-penalty",
          "Word insertion penalty", "Natural-log score added per word (pocketsphinx's 0.65 is -0.431); "
          "more negative gives fewer, longer words", -100.0, 100.0, DEFAULT_WIP, f));
  g_object_class_install_property (oc, PROP_PARTIAL_INTERVAL,
      g_param_spec_uint ("partial-interval", "Partial interval",
          "Milliseconds of audio between partial results while speech goes on (0 = none)",
          0, G_MAXINT, DEFAULT_PARTIAL_INTERVAL, f));
  g_object_class_install_property (oc, PROP_INITIAL_SILENCE_TIMEOUT,
      g_param_spec_uint ("initial-silence-timeout", "Initial silence timeout",
          "Milliseconds from the start of the stream without any speech after which one final "
          "result with RecognitionStatus InitialSilenceTimeout (no text) is sent; once speech "
          "was detected it no longer applies (0 = never)", 0, G_MAXINT,
          DEFAULT_INITIAL_SILENCE_TIMEOUT, f));
  g_object_class_install_property (oc, PROP_END_SILENCE_TIMEOUT,
      g_param_spec_uint ("end-silence-timeout", "End silence timeout",
          "Milliseconds of pause that end a phrase (0 = phrases end only at end of stream "
          "or max-phrase-duration)", 0, G_MAXINT, DEFAULT_END_SILENCE_TIMEOUT, f));
  g_object_class_install_property (oc, PROP_MAX_PHRASE_DURATION,
      g_param_spec_uint ("max-phrase-duration", "Max phrase duration",
          "Milliseconds of speech after which a phrase is ended even without a pause "
          "(0 = no limit)", 0, G_MAXINT, DEFAULT_MAX_PHRASE_DURATION, f));
  g_object_class_install_property (oc, PROP_NBEST, g_param_spec_uint ("nbest", "N-best",
          "Hypotheses per final result (distinct word sequences from the lattice)", 1, 100,
          DEFAULT_NBEST, f));
  g_object_class_install_property (oc, PROP_LATTICE, g_param_spec_boolean ("lattice",
          "Lattice", "Attach the word lattice (\"stt-lattice-1\", for sttrescore) to final "
          "results; without it sttrescore re-ranks the N-best list (AcousticScore, LmScore)",
          TRUE, f));

  gst_element_class_add_static_pad_template (ec, &sink_template);
  gst_element_class_add_static_pad_template (ec, &src_template);
  gst_element_class_set_static_metadata (ec, "Speech decoder", "Filter/Analyzer/Audio",
      "Recognizes words from senone scores: lexicon-tree Viterbi search with a trigram LM, "
      "endpointing, partial results, N-best, word confidences and lattices",
      "gst-stt developers");
  GST_DEBUG_CATEGORY_INIT (stt_decoder_debug, "sttdecoder", 0, "speech decoder");
}
