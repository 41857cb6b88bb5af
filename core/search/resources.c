/* gst-stt — a model's decoding resources (graph, LM, word map), loaded once per model.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "search-private.h"

static gint32
lm_word_id (gpointer data, const char *word)
{
  return stt_lm_word_id (data, word);
}

static float
lm_score (gpointer data, gint32 w, gint32 h1, gint32 h2)
{
  return (float) stt_lm_raw_to_ln (stt_lm_score (data, w, h1, h2));
}

void
stt_search_lm_init (SttSearchLm *out, SttLm *lm)
{
  out->data = lm;
  out->word_id = lm_word_id;
  out->score = lm_score;
  out->bos = stt_lm_word_id (lm, "<s>");
  out->eos = stt_lm_word_id (lm, "</s>");
}

static void
resources_free (gpointer p)
{
  SttSearchResources *r = p;
  stt_search_lm_map_free (r->map);
  if (r->lm)
    stt_lm_unref (r->lm);
  if (r->graph)
    stt_graph_unref (r->graph);
  g_free (r);
}

static gpointer
resources_create (SttModel *model, gpointer user_data, GError **error)
{
  SttSearchResources *r = g_new0 (SttSearchResources, 1);
  GError *err = NULL;
  GBytes *bytes = stt_model_map (model, STT_SEARCH_GRAPH_FILE, &err);
  if (bytes) {
    r->graph = stt_graph_new_from_bytes (bytes, &err);
    g_bytes_unref (bytes);
  }
  JsonObject *props = stt_model_get_properties (model);
  const char *lm_name = STT_SEARCH_LM_FILE;
  JsonNode *node = json_object_get_member (props, "lm");
  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    lm_name = json_node_get_string (node);
  else if (node && JSON_NODE_HOLDS_OBJECT (node))
    lm_name = json_object_get_string_member_with_default (json_node_get_object (node), "file",
        STT_SEARCH_LM_FILE);
  if (r->graph)
    r->lm = stt_lm_new_from_model (model, lm_name, &err);
  if (r->lm) {
    stt_search_lm_init (&r->search_lm, r->lm);
    r->map = stt_search_lm_map_new (r->graph, &r->search_lm, &err);
  }
  if (!r->map) {
    g_propagate_prefixed_error (error, err, "model %s (%s): ", stt_model_get_id (model),
        stt_model_get_dir (model));
    resources_free (r);
    return NULL;
  }
  return r;
}

const SttSearchResources *
stt_search_resources_get (SttModel *model, GError **error)
{
  return stt_model_get_shared (model, "search/resources", resources_create, NULL,
      resources_free, error);
}
