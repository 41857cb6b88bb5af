/* gst-stt — the media types that flow between the recognizer's elements.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Audio (audio/x-raw S16LE 16 kHz mono)
 *   -> sttfeatures -> application/x-stt-features
 *   -> sttacoustic -> application/x-stt-scores
 *   -> sttdecoder  -> application/x-stt-result (see gststtresult.h)
 *
 * application/x-stt-features
 *   dimension  (int)       floats per frame (39 for 1s_c_d_dd: 13 cepstra, deltas, double deltas)
 *   rate       (fraction)  frames per second (100/1)
 *   feature-type (string)  e.g. "1s_c_d_dd"
 *   A buffer holds N whole frames of `dimension` native-endian float32, frame after frame.
 *   GST_BUFFER_OFFSET = index of its first frame since stream start, OFFSET_END = one past the
 *   last; PTS = that frame's start time (index / rate); DURATION = N / rate.
 *   GST_BUFFER_FLAG_DISCONT marks a gap (frames lost or stream restarted).
 *
 * application/x-stt-scores
 *   senones    (int)       tied states per frame (5126 for the default en-US model)
 *   rate       (fraction)  frames per second
 *   model-id   (string)    the acoustic model whose senones these are
 *   A buffer holds N frames of `senones` native-endian float32 acoustic log-likelihoods in
 *   natural-log units, each frame shifted so that its best senone scores 0 (so all are <= 0).
 *   Offsets, timestamps and flags as for features.
 *
 * stt-lookahead (custom serialized downstream event, GST_STT_LOOKAHEAD_EVENT)
 *   Sent by sttfeatures after the frames of an input buffer: the frames whose cepstra are
 *   computed but whose feature vectors wait for the deltas' 3-frame lookahead.
 *   frame  (gint64)    stream index of the first such frame (the frame after the last one sent)
 *   frames (guint)     how many (1-3)
 *   speech (gboolean)  whether the front end's voice activity detector hears speech in any
 *                      of them
 *   quiet-since (gint64) stream index of the first frame of the detector's current run of
 *                      non-speech frames (reaching to the newest frame); -1: the newest is speech
 *   sttacoustic scores its partial batch before passing it on, so every frame before
 *   `frame` has reached the decoder when it arrives; sttdecoder uses it to end a phrase on a
 *   pause without waiting for those frames (docs/decoder.md "End of phrase") and drops it.
 */
#pragma once

#include <gst/gst.h>

#define GST_STT_FEATURES_MEDIA_TYPE "application/x-stt-features"
#define GST_STT_SCORES_MEDIA_TYPE "application/x-stt-scores"

#define GST_STT_LOOKAHEAD_EVENT "stt-lookahead"

/* A new stt-lookahead event (see above). */
GstEvent *gst_stt_lookahead_event_new (gint64 frame, guint frames, gboolean speech,
    gint64 quiet_since);
/* Whether @event is an stt-lookahead event; if so its fields (each out pointer may be NULL). */
gboolean gst_stt_lookahead_event_parse (GstEvent *event, gint64 *frame, guint *frames,
    gboolean *speech, gint64 *quiet_since);
