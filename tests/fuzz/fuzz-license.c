/* gst-stt — fuzz target: license documents (read from Mounts:License, or sent by a hub).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The key is fixed (seed 32 x 0x42), so the corpus' seed license verifies and mutations of it
 * exercise every check; nothing but the true key's signature may verify.
 */
#include <stdint.h>
#include <string.h>
#include <nettle/eddsa.h>

#include "license.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  guint8 priv[STT_LICENSE_KEY_SIZE], pub[STT_LICENSE_KEY_SIZE];
  memset (priv, 0x42, sizeof priv);
  ed25519_sha512_public_key (pub, priv);
  GDateTime *now = g_date_time_new_utc (2026, 11, 25, 12, 0, 0);
  GError *err = NULL;
  JsonObject *payload = stt_license_verify ((const char *) data, size, pub, now, "fuzz", &err);
  if (payload) {
    /* a verified license has a future expiry */
    const char *exp = json_object_get_string_member_with_default (payload, "expires", NULL);
    GDateTime *t = exp ? g_date_time_new_from_iso8601 (exp, NULL) : NULL;
    g_assert (t && g_date_time_compare (now, t) < 0);
    g_date_time_unref (t);
    json_object_unref (payload);
  } else {
    g_assert (err && err->message[0]);
    g_error_free (err);
  }
  g_date_time_unref (now);
  return 0;
}
