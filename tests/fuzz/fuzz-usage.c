/* gst-stt — fuzz target: the usage-record reader (usage.jsonl may be torn or edited).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdint.h>

#include "usage.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  guint skipped = 0;
  GPtrArray *recs = stt_usage_parse ((const char *) data, size, &skipped);
  guint lines = 0;
  for (size_t i = 0; i < size; i++)
    lines += data[i] == '\n';
  /* every record and every skipped line comes from a distinct line (the last may lack '\n') */
  g_assert (recs->len + skipped <= lines + 1);
  for (guint i = 0; i < recs->len; i++) {
    SttUsageRecord *r = g_ptr_array_index (recs, i);
    g_assert (r->time && r->model_id && r->endpoint);
  }
  g_ptr_array_unref (recs);
  return 0;
}
