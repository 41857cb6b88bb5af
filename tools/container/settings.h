/* gst-stt — stt-container's settings: the container's KEY=VALUE arguments and bare words.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Keys are case-insensitive, as in the real container (`eula=accept` = `Eula=accept`); ':'
 * separates levels (Mounts:Output). Bare words name display types. Settings of the real
 * container that gst-stt does not implement (Logging:*, ApplicationInsights:*, Fluentd:*,
 * HTTP_PROXY*, DECODER_MAX_COUNT) are accepted and reported as ignored.
 */
#pragma once

#include <glib.h>
#include "sttpipeline.h"

G_BEGIN_DECLS

#define STT_CONTAINER_DEFAULT_MODELS_DIR "/usr/local/models"
#define STT_CONTAINER_DEFAULT_PORT 5000

typedef struct {
  char *eula, *billing, *api_key;
  char *model_id, *base_model_locale, *display_locale;
  gboolean display[STT_DISPLAY_N];      /* display types named (FullDisplay = all) */
  char *display_id[STT_DISPLAY_N];      /* RescoreId, PunctId, ResegmentId, WfstitnId */
  gboolean download_license;
  char *license_dir, *output_dir, *models_dir, *license_key;
  guint port;
  gboolean print_pipeline, help;
  GPtrArray *ignored;                   /* settings accepted but not implemented */
} SttContainerSettings;

/* Parse @argv (without the program name). NULL with an error naming the bad argument. */
SttContainerSettings *stt_container_settings_parse (int argc, char **argv, GError **error);
void stt_container_settings_free (SttContainerSettings *s);
gboolean stt_container_settings_any_display (const SttContainerSettings *s);
/* The usage text (static). */
const char *stt_container_settings_usage (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttContainerSettings, stt_container_settings_free)

G_END_DECLS
