/* gst-stt — client of the model hub's HTTP API (docs/hub.md): key check, listing, manifests,
 * resumable file downloads. Synchronous (libsoup 3).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every request carries the ApiKey in the `Ocp-Apim-Subscription-Key` header.
 * Thread-safety: one client per thread.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define STT_HUB_ERROR (stt_hub_error_quark ())
GQuark stt_hub_error_quark (void);
typedef enum {
  STT_HUB_ERROR_URL,            /* Billing is not an http(s) URL */
  STT_HUB_ERROR_UNREACHABLE,    /* no connection, or it broke off */
  STT_HUB_ERROR_AUTH,           /* the hub refused the ApiKey */
  STT_HUB_ERROR_NOT_FOUND,      /* no such model / file / license on the hub */
  STT_HUB_ERROR_PROTOCOL,       /* the hub answered something unexpected */
  STT_HUB_ERROR_IO,             /* writing the downloaded bytes failed */
} SttHubError;

typedef struct _SttHubClient SttHubClient;

SttHubClient *stt_hub_client_new (const char *base_url, const char *api_key, GError **error);
void stt_hub_client_free (SttHubClient *hub);
const char *stt_hub_client_get_url (const SttHubClient *hub);

/* GET @path (relative to the hub's base URL, e.g. "api/v1/status"); the body on 2xx. */
GBytes *stt_hub_client_get (SttHubClient *hub, const char *path, GError **error);
/* Same, parsed as a JSON object (new reference). */
JsonObject *stt_hub_client_get_json (SttHubClient *hub, const char *path, GError **error);

/* Parse @body (what the hub sent for @what) as a JSON object (new reference). */
JsonObject *stt_hub_client_parse_object (SttHubClient *hub, GBytes *body, const char *what,
    GError **error);

/* Called while a file downloads: bytes of the file on disk so far, and its full size. */
typedef void (*SttHubProgressFunc) (const char *name, guint64 done, guint64 total,
    gpointer user_data);

/* Bring file @dest up to @size bytes from @path: continues after the bytes already in @dest
 * (HTTP Range) and falls back to a full download when the hub ignores the range. On error the
 * bytes received so far stay in @dest (fsync-ed), so a later call resumes. @resumed_from (may
 * be NULL) receives the offset the download started at. @sha256 (may be NULL) receives the
 * lower-case hex sha256 of the whole file, computed as the bytes arrive (the part already on
 * disk is read once), so the file is not read again to verify it. */
gboolean stt_hub_client_fetch_file (SttHubClient *hub, const char *path, const char *dest,
    guint64 size, const char *name, SttHubProgressFunc progress, gpointer progress_data,
    guint64 *resumed_from, char **sha256, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttHubClient, stt_hub_client_free)

G_END_DECLS
