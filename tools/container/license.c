/* gst-stt — Ed25519 license documents (Nettle) for disconnected use.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stt/json.h>
#include "license.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <nettle/eddsa.h>

G_DEFINE_QUARK (stt-license-error-quark, stt_license_error)

G_STATIC_ASSERT (STT_LICENSE_KEY_SIZE == ED25519_KEY_SIZE);

static gboolean
decode_key (const char *text, guint8 out[STT_LICENSE_KEY_SIZE], const char *what,
    GError **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  gsize len = 0;
  g_autofree guchar *raw = *copy ? g_base64_decode (copy, &len) : NULL;
  if (len != STT_LICENSE_KEY_SIZE) {
    g_set_error (error, STT_LICENSE_ERROR, STT_LICENSE_ERROR_FORMAT,
        "%s is not an Ed25519 key (expected the base64 text of %d bytes, got %" G_GSIZE_FORMAT
        " bytes)", what, STT_LICENSE_KEY_SIZE, len);
    return FALSE;
  }
  memcpy (out, raw, STT_LICENSE_KEY_SIZE);
  return TRUE;
}

gboolean
stt_license_key_load_or_create (const char *path, guint8 priv[STT_LICENSE_KEY_SIZE],
    guint8 pub[STT_LICENSE_KEY_SIZE], GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;

  if (g_file_get_contents (path, &text, NULL, &local)) {
    g_autofree char *what = g_strdup_printf ("private key file %s", path);
    if (!decode_key (text, priv, what, error))
      return FALSE;
  } else if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
    if (getrandom (priv, STT_LICENSE_KEY_SIZE, 0) != STT_LICENSE_KEY_SIZE) {
      g_set_error (error, STT_LICENSE_ERROR, STT_LICENSE_ERROR_IO,
          "cannot draw random bytes for a new key: %s", g_strerror (errno));
      return FALSE;
    }
    g_autofree char *b64 = g_base64_encode (priv, STT_LICENSE_KEY_SIZE);
    g_autofree char *line = g_strconcat (b64, "\n", NULL);
    if (!g_file_set_contents_full (path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT |
            G_FILE_SET_CONTENTS_DURABLE, 0600, error))
      return FALSE;
  } else {
    g_set_error (error, STT_LICENSE_ERROR, STT_LICENSE_ERROR_IO, "%s", local->message);
    return FALSE;
  }
  ed25519_sha512_public_key (pub, priv);
  return TRUE;
}

char *
stt_license_key_to_string (const guint8 pub[STT_LICENSE_KEY_SIZE])
{
  return g_base64_encode (pub, STT_LICENSE_KEY_SIZE);
}

gboolean
stt_license_key_from_string (const char *text, guint8 pub[STT_LICENSE_KEY_SIZE],
    GError **error)
{
  return decode_key (text, pub, "the public key", error);
}

gboolean
stt_license_key_from_file (const char *path, guint8 pub[STT_LICENSE_KEY_SIZE], GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &text, NULL, &local)) {
    g_set_error (error, STT_LICENSE_ERROR, g_error_matches (local, G_FILE_ERROR,
            G_FILE_ERROR_NOENT) ? STT_LICENSE_ERROR_MISSING : STT_LICENSE_ERROR_IO,
        "%s", local->message);
    return FALSE;
  }
  g_autofree char *what = g_strdup_printf ("public key file %s", path);
  return decode_key (text, pub, what, error);
}

char *
stt_license_key_id (const guint8 pub[STT_LICENSE_KEY_SIZE])
{
  g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, pub,
      STT_LICENSE_KEY_SIZE);
  return g_strndup (hex, 16);
}

char *
stt_license_issue (const guint8 priv[STT_LICENSE_KEY_SIZE],
    const guint8 pub[STT_LICENSE_KEY_SIZE], const char *subject, GDateTime *expires)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *key_id = stt_license_key_id (pub);
  g_autofree char *issued = g_date_time_format_iso8601 (now);
  g_autoptr (GDateTime) exp_utc = g_date_time_to_utc (expires);
  g_autofree char *exp = g_date_time_format_iso8601 (exp_utc);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "schema");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "issuer");
  json_builder_add_string_value (b, "stt-hub");
  json_builder_set_member_name (b, "key_id");
  json_builder_add_string_value (b, key_id);
  json_builder_set_member_name (b, "subject");
  json_builder_add_string_value (b, subject ? subject : "");
  json_builder_set_member_name (b, "issued");
  json_builder_add_string_value (b, issued);
  json_builder_set_member_name (b, "expires");
  json_builder_add_string_value (b, exp);
  json_builder_end_object (b);
  g_autoptr (JsonNode) payload_node = json_builder_get_root (b);
  g_autofree char *payload = json_to_string (payload_node, FALSE);

  guint8 sig[ED25519_SIGNATURE_SIZE];
  ed25519_sha512_sign (pub, priv, strlen (payload), (const guint8 *) payload, sig);
  g_autofree char *sig64 = g_base64_encode (sig, sizeof sig);

  g_autoptr (JsonBuilder) d = json_builder_new ();
  json_builder_begin_object (d);
  json_builder_set_member_name (d, "algorithm");
  json_builder_add_string_value (d, "ed25519");
  json_builder_set_member_name (d, "payload");
  json_builder_add_string_value (d, payload);
  json_builder_set_member_name (d, "signature");
  json_builder_add_string_value (d, sig64);
  json_builder_end_object (d);
  g_autoptr (JsonNode) doc = json_builder_get_root (d);
  char *text = json_to_string (doc, TRUE);
  char *with_nl = g_strconcat (text, "\n", NULL);
  g_free (text);
  return with_nl;
}

static JsonObject *
parse_object (const char *text, gssize length, const char *where, const char *what,
    GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  if (!json_parser_load_from_data (parser, text, length, &local)) {
    g_set_error (error, STT_LICENSE_ERROR, STT_LICENSE_ERROR_FORMAT,
        "%s: %s is not JSON (%s): download the license again", where, what, local->message);
    return NULL;
  }
  JsonNode *root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, STT_LICENSE_ERROR, STT_LICENSE_ERROR_FORMAT,
        "%s: %s is not a JSON object: download the license again", where, what);
    return NULL;
  }
  return json_object_ref (json_node_get_object (root));
}

JsonObject *
stt_license_verify (const char *document, gsize length, const guint8 pub[STT_LICENSE_KEY_SIZE],
    GDateTime *now, const char *where, GError **error)
{
  g_autoptr (JsonObject) doc = parse_object (document, length, where, "the license", error);
  if (!doc)
    return NULL;
  const char *alg = stt_json_string (doc, "algorithm", NULL);
  const char *payload = stt_json_string (doc, "payload", NULL);
  const char *sig64 = stt_json_string (doc, "signature", NULL);
  if (g_strcmp0 (alg, "ed25519") != 0 || !payload || !sig64) {
    g_set_error (error, STT_LICENSE_ERROR, STT_LICENSE_ERROR_FORMAT,
        "%s: not a license document (needs string members \"algorithm\": \"ed25519\", "
        "\"payload\" and \"signature\"): download the license again", where);
    return NULL;
  }
  gsize sig_len = 0;
  g_autofree guchar *sig = g_base64_decode (sig64, &sig_len);
  if (sig_len != ED25519_SIGNATURE_SIZE
      || !ed25519_sha512_verify (pub, strlen (payload), (const guint8 *) payload, sig)) {
    g_autofree char *key_id = stt_license_key_id (pub);
    g_set_error (error, STT_LICENSE_ERROR, STT_LICENSE_ERROR_SIGNATURE,
        "%s: the signature does not match the hub key %s: the license was altered or comes "
        "from another hub; download it again with DownloadLicense=True", where, key_id);
    return NULL;
  }
  g_autoptr (JsonObject) body = parse_object (payload, -1, where, "the license payload", error);
  if (!body)
    return NULL;
  const char *expires = stt_json_string (body, "expires", NULL);
  g_autoptr (GDateTime) exp = expires ? g_date_time_new_from_iso8601 (expires, NULL) : NULL;
  if (!exp) {
    g_set_error (error, STT_LICENSE_ERROR, STT_LICENSE_ERROR_FORMAT,
        "%s: the payload has no valid \"expires\" date", where);
    return NULL;
  }
  if (g_date_time_compare (now, exp) >= 0) {
    g_set_error (error, STT_LICENSE_ERROR, STT_LICENSE_ERROR_EXPIRED,
        "%s: the license expired on %s: download a new one with DownloadLicense=True",
        where, expires);
    return NULL;
  }
  return g_steal_pointer (&body);
}
