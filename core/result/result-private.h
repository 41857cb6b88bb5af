/* gst-stt — what result.c and result-json.c share and nobody else needs.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once
#include "stt/result.h"

JsonObject *stt_json_object_deep_copy (JsonObject *obj);

struct _SttHypothesis {
  double confidence;            /* negative when unknown */
  char *text[STT_N_TEXTS];
  GArray *words;                /* SttWord */
  JsonObject *extra;            /* unknown JSON members, kept verbatim */
};
