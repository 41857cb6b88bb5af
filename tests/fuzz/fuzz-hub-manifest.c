/* gst-stt — fuzz target: a manifest sent by a model hub, before anything is written from it.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdint.h>
#include <string.h>

#include "download.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define ID "0e1f6d2a-5b7c-4e38-9a41-3c2d8f7b6a01"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  JsonParser *p = json_parser_new ();
  if (json_parser_load_from_data (p, (const char *) data, size, NULL)
      && json_parser_get_root (p) && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p))) {
    GError *err = NULL;
    JsonArray *files = stt_download_manifest_files (
        json_node_get_object (json_parser_get_root (p)), ID, "fuzz", &err);
    if (files) {
      /* what passes is safe to join to the staging folder */
      for (guint i = 0; i < json_array_get_length (files); i++) {
        JsonObject *f = json_array_get_object_element (files, i);
        const char *name = json_object_get_string_member (f, "name");
        /* "a..b" is a fine name; what must never pass is an absolute path, a backslash, or
         * a component that is empty, "." or ".." (hidden ones are refused too) */
        g_assert (name && name[0] != '/' && !strchr (name, '\\'));
        g_auto (GStrv) parts = g_strsplit (name, "/", -1);
        for (char **c = parts; *c; c++)
          g_assert (**c && (*c)[0] != '.');
        g_assert (json_object_get_int_member (f, "size") >= 0);
        g_assert (strlen (json_object_get_string_member (f, "sha256")) == 64);
      }
    } else {
      g_assert (err && err->message[0]);
      g_error_free (err);
    }
  }
  g_object_unref (p);
  return 0;
}
