/* gst-stt — LMs and lexicons stored in a model folder, read through the model's shared mapping.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "lm-private.h"
#include <stt/lexicon.h>

SttLm *
stt_lm_new_from_model (SttModel *model, const char *name, GError **error)
{
  g_autoptr (GBytes) bytes = stt_model_map (model, name, error);
  if (!bytes)
    return NULL;
  g_autofree char *full = g_build_filename (stt_model_get_dir (model), name, NULL);
  return stt_lm_new_from_bytes (bytes, full, error);
}

SttLexicon *
stt_lexicon_new_from_model (SttModel *model, const char *name, GError **error)
{
  g_autoptr (GBytes) bytes = stt_model_map (model, name, error);
  if (!bytes)
    return NULL;
  g_autofree char *full = g_build_filename (stt_model_get_dir (model), name, NULL);
  return stt_lexicon_new_from_bytes (bytes, full, error);
}
