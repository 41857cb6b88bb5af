/* gst-stt — the sttdecoder plugin.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"
#include "gststtdecoder.h"

static gboolean
plugin_init (GstPlugin *plugin)
{
  return GST_ELEMENT_REGISTER (sttdecoder, plugin);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, sttdecoder,
    "Speech decoder: lexicon-tree Viterbi search with an n-gram LM, endpointing, N-best",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
