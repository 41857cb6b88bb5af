/* gst-stt — sttpunct: punctuation and capitalization of recognition results.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stt/gststtresultfilter.h>

G_BEGIN_DECLS

#define GST_TYPE_STT_PUNCT (gst_stt_punct_get_type ())
G_DECLARE_FINAL_TYPE (GstSttPunct, gst_stt_punct, GST, STT_PUNCT, GstSttResultFilter)

GST_ELEMENT_REGISTER_DECLARE (sttpunct);

G_END_DECLS
