/* gst-stt — the sttpunct plugin.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"
#include "gststtpunct.h"

static gboolean
plugin_init (GstPlugin *plugin)
{
  return GST_ELEMENT_REGISTER (sttpunct, plugin);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, sttpunct,
    "Punctuation and capitalization of recognition results (display model Punct)",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
