/* gst-stt — fuzz target: the result JSON parser (results arrive from any upstream element).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stt/result.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *err = NULL;
  SttResult *r = stt_result_from_json ((const char *) data, size, &err);
  if (r) {
    /* whatever parses must serialise and parse again to the same JSON */
    char *json = stt_result_to_json (r, NULL);
    SttResult *again = stt_result_from_json (json, -1, NULL);
    g_assert (again != NULL);
    char *json2 = stt_result_to_json (again, NULL);
    g_assert_cmpstr (json, ==, json2);
    g_free (json2);
    g_free (json);
    stt_result_unref (again);
    stt_result_unref (r);
  } else {
    g_assert (err != NULL && err->message[0]);
    g_error_free (err);
  }
  return 0;
}
