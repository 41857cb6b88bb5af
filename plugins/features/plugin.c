/* gst-stt — the sttfeatures plugin.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"
#include "gststtfeatures.h"

static gboolean
plugin_init (GstPlugin *plugin)
{
  return GST_ELEMENT_REGISTER (sttfeatures, plugin);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, sttfeatures,
    "Speech front end: MFCC cepstra, CMN and deltas of the Sphinx acoustic models",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
