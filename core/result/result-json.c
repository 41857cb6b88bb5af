/* gst-stt — recognition result <-> JSON (the schema of docs/results.md).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Member names follow the Speech SDK's detailed format so that the service can forward most of
 * a result unchanged. Members the schema does not define are kept (top level and per
 * hypothesis) so that an integrator's element can add its own without a schema change.
 */
#include "stt/result.h"
#include "result-private.h"

#include <string.h>

G_DEFINE_QUARK (stt-result-error-quark, stt_result_error)

static const char *const text_names[STT_N_TEXTS] = {
  [STT_TEXT_LEXICAL] = "Lexical",
  [STT_TEXT_ITN] = "ITN",
  [STT_TEXT_MASKED_ITN] = "MaskedITN",
  [STT_TEXT_DISPLAY] = "Display",
};

static const char *const result_members[] = {
  "Type", "RecognitionStatus", "Offset", "Duration", "ModelId", "DisplayText", "NBest", "Lattice",
};
static const char *const hypothesis_members[] = {
  "Confidence", "Lexical", "ITN", "MaskedITN", "Display", "Words",
};

/* ---- serialise ---------------------------------------------------------------------------- */

static void
copy_extra_members (JsonBuilder *b, JsonObject *extra)
{
  if (!extra)
    return;
  JsonObjectIter it;
  const char *name;
  JsonNode *value;
  json_object_iter_init_ordered (&it, extra);
  while (json_object_iter_next_ordered (&it, &name, &value)) {
    json_builder_set_member_name (b, name);
    json_builder_add_value (b, json_node_copy (value));
  }
}

static void
build_words (JsonBuilder *b, const SttHypothesis *hyp)
{
  json_builder_set_member_name (b, "Words");
  json_builder_begin_array (b);
  for (guint i = 0; i < stt_hypothesis_get_n_words (hyp); i++) {
    const SttWord *w = stt_hypothesis_get_word (hyp, i);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "Word");
    json_builder_add_string_value (b, w->word ? w->word : "");
    json_builder_set_member_name (b, "Offset");
    json_builder_add_int_value (b, w->offset);
    json_builder_set_member_name (b, "Duration");
    json_builder_add_int_value (b, w->duration);
    if (w->confidence >= 0) {
      json_builder_set_member_name (b, "Confidence");
      json_builder_add_double_value (b, w->confidence);
    }
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
}

static void
build_hypothesis (JsonBuilder *b, const SttHypothesis *hyp)
{
  json_builder_begin_object (b);
  if (hyp->confidence >= 0) {
    json_builder_set_member_name (b, "Confidence");
    json_builder_add_double_value (b, hyp->confidence);
  }
  for (int f = 0; f < STT_N_TEXTS; f++) {
    json_builder_set_member_name (b, text_names[f]);
    json_builder_add_string_value (b, stt_hypothesis_get_text (hyp, f));
  }
  if (hyp->words->len)
    build_words (b, hyp);
  copy_extra_members (b, hyp->extra);
  json_builder_end_object (b);
}

static void
build_lattice (JsonBuilder *b, const SttResult *r)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (r->lattice, &size);
  char *b64 = g_base64_encode (data, size);
  json_builder_set_member_name (b, "Lattice");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Format");
  json_builder_add_string_value (b, r->lattice_format ? r->lattice_format : "");
  json_builder_set_member_name (b, "Data");
  json_builder_add_string_value (b, b64);
  json_builder_end_object (b);
  g_free (b64);
}

JsonNode *
stt_result_to_json_node (const SttResult *r)
{
  g_return_val_if_fail (r != NULL, NULL);
  JsonBuilder *b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Type");
  json_builder_add_string_value (b, r->kind == STT_RESULT_FINAL ? "final" : "partial");
  json_builder_set_member_name (b, "RecognitionStatus");
  json_builder_add_string_value (b, stt_recognition_status_to_string (r->status));
  json_builder_set_member_name (b, "Offset");
  json_builder_add_int_value (b, r->offset);
  json_builder_set_member_name (b, "Duration");
  json_builder_add_int_value (b, r->duration);
  if (r->model_id) {
    json_builder_set_member_name (b, "ModelId");
    json_builder_add_string_value (b, r->model_id);
  }
  /* Derived, for readers that want one string; ignored when parsing. */
  json_builder_set_member_name (b, "DisplayText");
  json_builder_add_string_value (b, stt_result_get_display_text (r));
  json_builder_set_member_name (b, "NBest");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->nbest->len; i++)
    build_hypothesis (b, g_ptr_array_index (r->nbest, i));
  json_builder_end_array (b);
  if (r->lattice)
    build_lattice (b, r);
  copy_extra_members (b, r->extra);
  json_builder_end_object (b);
  JsonNode *root = json_builder_get_root (b);
  g_object_unref (b);
  return root;
}

char *
stt_result_to_json (const SttResult *r, gsize *length)
{
  JsonNode *root = stt_result_to_json_node (r);
  JsonGenerator *gen = json_generator_new ();
  json_generator_set_root (gen, root);
  char *out = json_generator_to_data (gen, length);
  g_object_unref (gen);
  json_node_unref (root);
  return out;
}

/* ---- parse -------------------------------------------------------------------------------- */

static gboolean
schema_error (GError **error, const char *path, const char *what)
{
  g_set_error (error, STT_RESULT_ERROR, STT_RESULT_ERROR_SCHEMA,
      "result JSON: member \"%s\" %s", path, what);
  return FALSE;
}

static gboolean
is_known (const char *name, const char *const *names, guint n)
{
  for (guint i = 0; i < n; i++)
    if (strcmp (name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Optional integer member; absent leaves *out unchanged. */
static gboolean
get_int (JsonObject *o, const char *name, const char *path, gint64 *out, GError **error)
{
  JsonNode *n = json_object_get_member (o, name);
  if (!n)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64) {
    *out = json_node_get_int (n);
    if (*out >= 0)
      return TRUE;
  }
  char *p = g_strdup_printf ("%s%s", path, name);
  schema_error (error, p, "must be a non-negative integer (100-ns ticks)");
  g_free (p);
  return FALSE;
}

static gboolean
get_number (JsonObject *o, const char *name, const char *path, double *out, GError **error)
{
  JsonNode *n = json_object_get_member (o, name);
  if (!n)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (n)) {
    GType t = json_node_get_value_type (n);
    if (t == G_TYPE_INT64 || t == G_TYPE_DOUBLE) {
      *out = json_node_get_double (n);
      return TRUE;
    }
  }
  char *p = g_strdup_printf ("%s%s", path, name);
  schema_error (error, p, "must be a number");
  g_free (p);
  return FALSE;
}

/* Optional string member; absent gives NULL. */
static gboolean
get_string (JsonObject *o, const char *name, const char *path, const char **out,
    GError **error)
{
  JsonNode *n = json_object_get_member (o, name);
  *out = NULL;
  if (!n)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING) {
    *out = json_node_get_string (n);
    return TRUE;
  }
  char *p = g_strdup_printf ("%s%s", path, name);
  schema_error (error, p, "must be a string");
  g_free (p);
  return FALSE;
}

static JsonArray *
get_array (JsonObject *o, const char *name, const char *path, GError **error)
{
  JsonNode *n = json_object_get_member (o, name);
  if (n && JSON_NODE_HOLDS_ARRAY (n))
    return json_node_get_array (n);
  char *p = g_strdup_printf ("%s%s", path, name);
  schema_error (error, p, "must be an array");
  g_free (p);
  return NULL;
}

static JsonObject *
element_object (JsonArray *a, guint i, const char *path, GError **error)
{
  JsonNode *n = json_array_get_element (a, i);
  if (JSON_NODE_HOLDS_OBJECT (n))
    return json_node_get_object (n);
  char *p = g_strdup_printf ("%s[%u]", path, i);
  schema_error (error, p, "must be an object");
  g_free (p);
  return NULL;
}

static void
keep_unknown (JsonObject *o, const char *const *known, guint n_known, JsonObject **extra)
{
  JsonObjectIter it;
  const char *name;
  JsonNode *value;
  json_object_iter_init_ordered (&it, o);
  while (json_object_iter_next_ordered (&it, &name, &value)) {
    if (is_known (name, known, n_known))
      continue;
    if (!*extra)
      *extra = json_object_new ();
    json_object_set_member (*extra, name, json_node_copy (value));
  }
}

static gboolean
parse_word (JsonObject *o, const char *path, SttHypothesis *hyp, GError **error)
{
  const char *word;
  gint64 offset = 0, duration = 0;
  double conf = -1.0;
  if (!get_string (o, "Word", path, &word, error) ||
      !get_int (o, "Offset", path, &offset, error) ||
      !get_int (o, "Duration", path, &duration, error) ||
      !get_number (o, "Confidence", path, &conf, error))
    return FALSE;
  if (!word) {
    char *p = g_strdup_printf ("%sWord", path);
    schema_error (error, p, "is required");
    g_free (p);
    return FALSE;
  }
  stt_hypothesis_add_word (hyp, word, offset, duration, conf);
  return TRUE;
}

static gboolean
parse_words (JsonObject *o, const char *path, SttHypothesis *hyp, GError **error)
{
  if (!json_object_has_member (o, "Words"))
    return TRUE;
  JsonArray *a = get_array (o, "Words", path, error);
  if (!a)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (a); i++) {
    char *p = g_strdup_printf ("%sWords[%u].", path, i);
    char *arr = g_strdup_printf ("%sWords", path);
    JsonObject *w = element_object (a, i, arr, error);
    gboolean ok = w && parse_word (w, p, hyp, error);
    g_free (arr);
    g_free (p);
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

static gboolean
parse_hypothesis (JsonObject *o, const char *path, SttResult *r, GError **error)
{
  SttHypothesis *hyp = stt_result_add_hypothesis (r);
  if (!get_number (o, "Confidence", path, &hyp->confidence, error))
    return FALSE;
  for (int f = 0; f < STT_N_TEXTS; f++) {
    const char *s;
    if (!get_string (o, text_names[f], path, &s, error))
      return FALSE;
    stt_hypothesis_set_text (hyp, f, s);
  }
  if (!parse_words (o, path, hyp, error))
    return FALSE;
  keep_unknown (o, hypothesis_members, G_N_ELEMENTS (hypothesis_members), &hyp->extra);
  return TRUE;
}

static gboolean
parse_nbest (JsonObject *o, SttResult *r, GError **error)
{
  if (!json_object_has_member (o, "NBest"))
    return TRUE;
  JsonArray *a = get_array (o, "NBest", "", error);
  if (!a)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (a); i++) {
    JsonObject *h = element_object (a, i, "NBest", error);
    char *p = g_strdup_printf ("NBest[%u].", i);
    gboolean ok = h && parse_hypothesis (h, p, r, error);
    g_free (p);
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

static gboolean
parse_lattice (JsonObject *o, SttResult *r, GError **error)
{
  JsonNode *n = json_object_get_member (o, "Lattice");
  if (!n)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (n))
    return schema_error (error, "Lattice", "must be an object with Format and Data");
  const char *format, *data;
  if (!get_string (json_node_get_object (n), "Format", "Lattice.", &format, error) ||
      !get_string (json_node_get_object (n), "Data", "Lattice.", &data, error))
    return FALSE;
  if (!data)
    return schema_error (error, "Lattice.Data", "is required (base64)");
  gsize len;
  guchar *bytes = g_base64_decode (data, &len);
  GBytes *gb = g_bytes_new_take (bytes, len);
  stt_result_set_lattice (r, format, gb);
  g_bytes_unref (gb);
  return TRUE;
}

static gboolean
parse_header (JsonObject *o, SttResult *r, GError **error)
{
  const char *type, *status, *model_id;
  if (!get_string (o, "Type", "", &type, error) ||
      !get_string (o, "RecognitionStatus", "", &status, error) ||
      !get_string (o, "ModelId", "", &model_id, error) ||
      !get_int (o, "Offset", "", &r->offset, error) ||
      !get_int (o, "Duration", "", &r->duration, error))
    return FALSE;
  if (g_strcmp0 (type, "final") == 0)
    r->kind = STT_RESULT_FINAL;
  else if (g_strcmp0 (type, "partial") == 0)
    r->kind = STT_RESULT_PARTIAL;
  else
    return schema_error (error, "Type", "must be \"final\" or \"partial\"");
  if (status && !stt_recognition_status_from_string (status, &r->status))
    return schema_error (error, "RecognitionStatus",
        "must be one of Success, NoMatch, InitialSilenceTimeout, BabbleTimeout, Error");
  r->model_id = g_strdup (model_id);
  return TRUE;
}

SttResult *
stt_result_from_json_node (JsonNode *node, GError **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    g_set_error (error, STT_RESULT_ERROR, STT_RESULT_ERROR_SCHEMA,
        "result JSON: the top level must be an object");
    return NULL;
  }
  JsonObject *o = json_node_get_object (node);
  SttResult *r = stt_result_new (STT_RESULT_FINAL);
  if (!parse_header (o, r, error) || !parse_nbest (o, r, error) || !parse_lattice (o, r, error)) {
    stt_result_unref (r);
    return NULL;
  }
  keep_unknown (o, result_members, G_N_ELEMENTS (result_members), &r->extra);
  return r;
}

SttResult *
stt_result_from_json (const char *json, gssize length, GError **error)
{
  g_return_val_if_fail (json != NULL, NULL);
  JsonParser *parser = json_parser_new_immutable ();
  GError *perr = NULL;
  if (!json_parser_load_from_data (parser, json, length, &perr)) {
    g_set_error (error, STT_RESULT_ERROR, STT_RESULT_ERROR_PARSE,
        "result JSON: not valid JSON: %s", perr->message);
    g_error_free (perr);
    g_object_unref (parser);
    return NULL;
  }
  JsonNode *root = json_parser_get_root (parser);
  SttResult *r = root ? stt_result_from_json_node (root, error) : NULL;
  if (!root)
    g_set_error (error, STT_RESULT_ERROR, STT_RESULT_ERROR_PARSE, "result JSON: empty input");
  g_object_unref (parser);
  return r;
}
