/* gst-stt — typed reads of untrusted JSON members.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "stt/json.h"

static JsonNode *
value_of_type (JsonObject *object, const char *member, GType type)
{
  JsonNode *n = object ? json_object_get_member (object, member) : NULL;
  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == type)
    return n;
  return NULL;
}

const char *
stt_json_string (JsonObject *object, const char *member, const char *fallback)
{
  JsonNode *n = value_of_type (object, member, G_TYPE_STRING);
  return n ? json_node_get_string (n) : fallback;
}

gboolean
stt_json_int (JsonObject *object, const char *member, gint64 *out)
{
  JsonNode *n = value_of_type (object, member, G_TYPE_INT64);
  if (n)
    *out = json_node_get_int (n);
  return n != NULL;
}

JsonObject *
stt_json_object (JsonObject *object, const char *member)
{
  JsonNode *n = object ? json_object_get_member (object, member) : NULL;
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

JsonArray *
stt_json_array (JsonObject *object, const char *member)
{
  JsonNode *n = object ? json_object_get_member (object, member) : NULL;
  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}
