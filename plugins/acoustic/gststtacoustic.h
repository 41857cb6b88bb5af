/* gst-stt — sttacoustic: feature frames to senone log-likelihoods (core/am scorer).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_STT_ACOUSTIC (gst_stt_acoustic_get_type ())
G_DECLARE_FINAL_TYPE (GstSttAcoustic, gst_stt_acoustic, GST, STT_ACOUSTIC, GstElement)

GST_ELEMENT_REGISTER_DECLARE (sttacoustic);

G_END_DECLS
