/* gst-stt — sttreseg: resegmentation of final phrases into display segments.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stt/gststtresultfilter.h>

G_BEGIN_DECLS

#define GST_TYPE_STT_RESEG (gst_stt_reseg_get_type ())
G_DECLARE_FINAL_TYPE (GstSttReseg, gst_stt_reseg, GST, STT_RESEG, GstSttResultFilter)

GST_ELEMENT_REGISTER_DECLARE (sttreseg);

G_END_DECLS
