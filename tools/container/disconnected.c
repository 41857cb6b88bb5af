/* gst-stt — disconnected mode: license download and the check at start.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stt/json.h>
#include "disconnected.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "download.h"
#include "license.h"

static char *
expiry_of (JsonObject *payload)
{
  return g_strdup (stt_json_string (payload, "expires", ""));
}

char *
stt_disconnected_fetch_license (SttHubClient *hub, const char *license_dir, GError **error)
{
  g_autoptr (JsonObject) keyobj = stt_hub_client_get_json (hub, "api/v1/license/public-key",
      error);
  if (!keyobj)
    return NULL;
  const char *key64 = stt_json_string (keyobj, "public_key", "");
  guint8 pub[STT_LICENSE_KEY_SIZE];
  if (!stt_license_key_from_string (key64, pub, error))
    return NULL;
  g_autoptr (GBytes) doc = stt_hub_client_get (hub, "api/v1/license", error);
  if (!doc)
    return NULL;

  gsize len;
  const char *data = g_bytes_get_data (doc, &len);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *where = g_strdup_printf ("the license from %s",
      stt_hub_client_get_url (hub));
  g_autoptr (JsonObject) payload = stt_license_verify (data, len, pub, now, where, error);
  if (!payload)
    return NULL;

  if (g_mkdir_with_parents (license_dir, 0755) != 0) {
    int e = errno;
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
        "cannot create the license folder %s (Mounts:License): %s", license_dir,
        g_strerror (e));
    return NULL;
  }
  g_autofree char *key_path = g_build_filename (license_dir, STT_LICENSE_KEY_FILE, NULL);
  g_autofree char *lic_path = g_build_filename (license_dir, STT_LICENSE_FILE, NULL);
  g_autofree char *key_line = g_strconcat (key64, "\n", NULL);
  const GFileSetContentsFlags durable = G_FILE_SET_CONTENTS_CONSISTENT |
      G_FILE_SET_CONTENTS_DURABLE;
  if (!g_file_set_contents_full (key_path, key_line, -1, durable, 0644, error)
      || !g_file_set_contents_full (lic_path, data, len, durable, 0644, error))
    return NULL;
  return expiry_of (payload);
}

char *
stt_disconnected_check (const char *license_dir, const char *key_file, GError **error)
{
  g_autofree char *saved_key = g_build_filename (license_dir, STT_LICENSE_KEY_FILE, NULL);
  g_autofree char *lic_path = g_build_filename (license_dir, STT_LICENSE_FILE, NULL);
  guint8 pub[STT_LICENSE_KEY_SIZE];
  g_autoptr (GError) local = NULL;

  if (!stt_license_key_from_file (key_file ? key_file : saved_key, pub, &local)) {
    g_set_error (error, STT_LICENSE_ERROR, local->code,
        "no usable hub key to check the license with (%s): give LicenseKey=FILE or fetch "
        "the license again with DownloadLicense=True Mounts:License=%s", local->message,
        license_dir);
    return NULL;
  }
  g_autofree char *doc = NULL;
  gsize len = 0;
  if (!g_file_get_contents (lic_path, &doc, &len, &local)) {
    g_set_error (error, STT_LICENSE_ERROR, STT_LICENSE_ERROR_MISSING,
        "no license: %s; fetch one with DownloadLicense=True Mounts:License=%s Billing=<hub "
        "URL> ApiKey=<key>", local->message, license_dir);
    return NULL;
  }
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (JsonObject) payload = stt_license_verify (doc, len, pub, now, lic_path, error);
  return payload ? expiry_of (payload) : NULL;
}

gboolean
stt_disconnected_model_is_from_hub (const char *dir)
{
  g_autofree char *origin = g_build_filename (dir, STT_ORIGIN_FILE, NULL);
  return g_file_test (origin, G_FILE_TEST_EXISTS);
}
