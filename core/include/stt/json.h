/* gst-stt — reading members of untrusted JSON without tripping json-glib's assertions.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * json-glib's *_member_with_default getters assert (g_critical) when a member exists with
 * another type, e.g. {"id": {}}. Input from the network or from files must be read with these
 * instead: a member of the wrong type reads as absent. Thread-safe; nothing is allocated.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The member's string, or @fallback when it is absent or not a string. */
const char *stt_json_string (JsonObject *object, const char *member, const char *fallback);
/* TRUE and the value when the member is an integer; FALSE otherwise (*out untouched). */
gboolean stt_json_int (JsonObject *object, const char *member, gint64 *out);
/* The member's object/array, or NULL when absent or of another type. */
JsonObject *stt_json_object (JsonObject *object, const char *member);
JsonArray *stt_json_array (JsonObject *object, const char *member);

G_END_DECLS
