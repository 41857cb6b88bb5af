/* gst-stt — sttrescore: rescores each final result's word lattice with another LM.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stt/gststtresultfilter.h>

G_BEGIN_DECLS

#define GST_TYPE_STT_RESCORE (gst_stt_rescore_get_type ())
G_DECLARE_FINAL_TYPE (GstSttRescore, gst_stt_rescore, GST, STT_RESCORE, GstSttResultFilter)

GST_ELEMENT_REGISTER_DECLARE (sttrescore);

G_END_DECLS
