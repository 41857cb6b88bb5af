/* gst-stt — sttfeatures: 16 kHz speech to Sphinx 1s_c_d_dd feature frames.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef enum {
  GST_STT_FEATURES_CMN_LIVE,    /* running mean from the model's -cmninit, updated every frame */
  GST_STT_FEATURES_CMN_BATCH,   /* mean of the whole utterance (buffers it until EOS or a gap) */
  GST_STT_FEATURES_CMN_NONE,    /* no normalisation */
  GST_STT_FEATURES_CMN_LIVE_SPHINX,  /* pocketsphinx's live CMN (for comparison) */
} GstSttFeaturesCmn;

#define GST_TYPE_STT_FEATURES (gst_stt_features_get_type ())
G_DECLARE_FINAL_TYPE (GstSttFeatures, gst_stt_features, GST, STT_FEATURES, GstElement)

GST_ELEMENT_REGISTER_DECLARE (sttfeatures);

G_END_DECLS
