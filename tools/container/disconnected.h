/* gst-stt — disconnected mode: fetching the hub's signed license and checking it at start.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * DownloadLicense=True writes <Mounts:License>/license.json (the hub's signed document) and
 * <Mounts:License>/hub-key.pub (the hub's public key, fetched at the same time). A run without
 * Billing that serves a model downloaded from a hub checks license.json against the key given
 * by LicenseKey=FILE, else against hub-key.pub.
 */
#pragma once

#include "hubclient.h"

G_BEGIN_DECLS

#define STT_LICENSE_FILE "license.json"
#define STT_LICENSE_KEY_FILE "hub-key.pub"

/* Fetch, check and durably write the license and the hub key into @license_dir. Returns the
 * expiry date text (newly allocated). */
char *stt_disconnected_fetch_license (SttHubClient *hub, const char *license_dir,
    GError **error);

/* Check the license in @license_dir (key from @key_file, or the saved hub key when NULL).
 * Returns the expiry date text (newly allocated) or NULL with an error saying what to do. */
char *stt_disconnected_check (const char *license_dir, const char *key_file, GError **error);

/* Whether the model in folder @dir was downloaded from a hub (holds the origin file). */
gboolean stt_disconnected_model_is_from_hub (const char *dir);

G_END_DECLS
