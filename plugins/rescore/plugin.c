/* gst-stt — the sttrescore plugin.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"
#include "gststtrescore.h"

static gboolean
plugin_init (GstPlugin *plugin)
{
  return GST_ELEMENT_REGISTER (sttrescore, plugin);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, sttrescore,
    "Lattice rescoring of final results with another language model",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
