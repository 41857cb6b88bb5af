/* gst-stt — installing a model from the hub: verified, resumable, atomic.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Files arrive in the hidden staging folder <models>/.download-<id>/ (kept across runs so an
 * interrupted download resumes), each is checked against the manifest's size and sha256, and
 * the folder is renamed to <models>/<id> only when all are right. A model installed this way
 * also holds `.origin.json` (the hub it came from), which makes runs without Billing need a
 * license (see main.c).
 *
 * Thread-safety: one download per models folder at a time.
 */
#pragma once

#include "hubclient.h"

G_BEGIN_DECLS

#define STT_ORIGIN_FILE ".origin.json"

/* Install model @id into @models_dir unless it is there already; returns its folder (newly
 * allocated). @show_progress draws a progress bar on stderr. */
char *stt_download_model (SttHubClient *hub, const char *models_dir, const char *id,
    gboolean show_progress, GError **error);

/* Whether @name is a safe relative file name for a model folder (no "..", no absolute path,
 * no hidden components, no backslash). */
gboolean stt_download_name_is_safe (const char *name);

/* The "files" array of a manifest the hub sent for model @id, checked: the manifest's id is
 * @id and every entry has a safe name, a size and a 64-digit sha256. NULL with an error naming
 * the bad entry. (@hub_url only names the source in messages.) */
JsonArray *stt_download_manifest_files (JsonObject *manifest, const char *id,
    const char *hub_url, GError **error);

G_END_DECLS
