/* gst-stt — disconnected-use licenses: Ed25519-signed JSON issued by stt-hub, checked by
 * stt-container.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A license document (docs/hub.md) is a JSON object
 *   { "algorithm": "ed25519", "payload": "<JSON text>", "signature": "<base64>" }
 * where the signature covers the payload's bytes and the payload holds at least
 *   { "schema": 1, "issuer": "stt-hub", "key_id": "<hex>", "issued": "<ISO 8601>",
 *     "expires": "<ISO 8601>", "subject": "..." }.
 * Keys: the hub's private key is a 32-byte Ed25519 seed kept in a file (base64, mode 0600);
 * public keys travel as base64 text. The signing and checking are Nettle's (hogweed).
 *
 * Thread-safety: no shared state; call from any thread.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define STT_LICENSE_KEY_SIZE 32

#define STT_LICENSE_ERROR (stt_license_error_quark ())
GQuark stt_license_error_quark (void);
typedef enum {
  STT_LICENSE_ERROR_MISSING,    /* no license / key file */
  STT_LICENSE_ERROR_FORMAT,     /* not a license document, or a malformed key */
  STT_LICENSE_ERROR_SIGNATURE,  /* the signature does not match (tampered or other key) */
  STT_LICENSE_ERROR_EXPIRED,    /* valid but past its expiry */
  STT_LICENSE_ERROR_IO,
} SttLicenseError;

/* The hub's key pair from @path; when the file does not exist a new pair is generated and
 * written there (mode 0600, durably). */
gboolean stt_license_key_load_or_create (const char *path, guint8 priv[STT_LICENSE_KEY_SIZE],
    guint8 pub[STT_LICENSE_KEY_SIZE], GError **error);

/* base64 text of a public key, and back (accepts surrounding white space). */
char *stt_license_key_to_string (const guint8 pub[STT_LICENSE_KEY_SIZE]);
gboolean stt_license_key_from_string (const char *text, guint8 pub[STT_LICENSE_KEY_SIZE],
    GError **error);
/* A public key read from a file holding its base64 text. */
gboolean stt_license_key_from_file (const char *path, guint8 pub[STT_LICENSE_KEY_SIZE],
    GError **error);
/* Short fingerprint of a public key (hex of the first 8 bytes of its sha256). */
char *stt_license_key_id (const guint8 pub[STT_LICENSE_KEY_SIZE]);

/* A signed license document for @subject valid from now until @expires (newly allocated). */
char *stt_license_issue (const guint8 priv[STT_LICENSE_KEY_SIZE],
    const guint8 pub[STT_LICENSE_KEY_SIZE], const char *subject, GDateTime *expires);

/* Check @document: well-formed, signed by @pub, not expired at @now. Returns the payload
 * (new reference) or NULL with an error saying which check failed. @where names the document
 * in messages (e.g. its path). */
JsonObject *stt_license_verify (const char *document, gsize length,
    const guint8 pub[STT_LICENSE_KEY_SIZE], GDateTime *now, const char *where, GError **error);

G_END_DECLS
