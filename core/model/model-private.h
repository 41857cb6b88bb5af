/* gst-stt — what the model files share internally.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once
#include "stt/model.h"
#include <glib/gstdio.h>

gboolean stt_model_kind_is_valid (const char *kind);
gboolean stt_model_file_name_is_valid (const char *name);
