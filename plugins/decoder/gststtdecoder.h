/* gst-stt — sttdecoder: senone scores to recognition results (search, endpointing, N-best).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_STT_DECODER (gst_stt_decoder_get_type ())
G_DECLARE_FINAL_TYPE (GstSttDecoder, gst_stt_decoder, GST, STT_DECODER, GstElement)

GST_ELEMENT_REGISTER_DECLARE (sttdecoder);

G_END_DECLS
