/* gst-stt — the model hub: serves a folder of models (one sub-folder per model, as written by
 * stt_model_writer) over HTTP, and signs disconnected-use licenses. API: docs/hub.md.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Thread-safety: create and run in one thread (the thread-default main context's).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *models_dir;
  const char *host;             /* NULL = all interfaces */
  guint port;                   /* 0 = any free port */
  const char *api_key;          /* NULL = no key required */
  const char *license_key_file; /* NULL = no licenses issued */
  double license_days;          /* validity of issued licenses */
  guint64 rate;                 /* bytes per second per download; 0 = unlimited */
} SttHubConfig;

typedef struct _SttHub SttHub;

SttHub *stt_hub_new (const SttHubConfig *config, GError **error);
guint stt_hub_get_port (const SttHub *hub);
void stt_hub_free (SttHub *hub);

G_END_DECLS
