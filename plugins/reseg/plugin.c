/* gst-stt — the sttreseg plugin.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"
#include "gststtreseg.h"

static gboolean
plugin_init (GstPlugin *plugin)
{
  return GST_ELEMENT_REGISTER (sttreseg, plugin);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, sttreseg,
    "Resegmentation of recognition results into display phrases (display model Resegment)",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
