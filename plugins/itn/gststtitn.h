/* gst-stt — sttitn: inverse text normalization of every hypothesis.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stt/gststtresultfilter.h>

G_BEGIN_DECLS

typedef enum {
  GST_STT_ITN_PROFANITY_MASKED,
  GST_STT_ITN_PROFANITY_REMOVED,
  GST_STT_ITN_PROFANITY_RAW,
} GstSttItnProfanity;

#define GST_TYPE_STT_ITN (gst_stt_itn_get_type ())
G_DECLARE_FINAL_TYPE (GstSttItn, gst_stt_itn, GST, STT_ITN, GstSttResultFilter)

GST_ELEMENT_REGISTER_DECLARE (sttitn);

G_END_DECLS
