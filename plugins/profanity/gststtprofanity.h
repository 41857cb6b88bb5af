/* gst-stt — sttprofanity: the example post-processor; fills MaskedITN from a word list.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stt/gststtresultfilter.h>

G_BEGIN_DECLS

typedef enum {
  GST_STT_PROFANITY_MASKED,     /* every letter of a listed word becomes '*' */
  GST_STT_PROFANITY_REMOVED,    /* listed words are dropped */
  GST_STT_PROFANITY_RAW,        /* MaskedITN = ITN */
} GstSttProfanityMode;

#define GST_TYPE_STT_PROFANITY (gst_stt_profanity_get_type ())
G_DECLARE_FINAL_TYPE (GstSttProfanity, gst_stt_profanity, GST, STT_PROFANITY,
    GstSttResultFilter)

GST_ELEMENT_REGISTER_DECLARE (sttprofanity);

G_END_DECLS
