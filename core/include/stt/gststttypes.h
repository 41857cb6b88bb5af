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
 */
#pragma once

#define GST_STT_FEATURES_MEDIA_TYPE "application/x-stt-features"
#define GST_STT_SCORES_MEDIA_TYPE "application/x-stt-scores"
