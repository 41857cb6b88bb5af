/* gst-stt — the LMs of a rescore model: its own LM, its base model's LM, and their settings.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A rescore model (docs/rescore.md) names its base model and may hold an LM of its own
 * (STT_RESCORE_LM_FILE): a larger LM, or a domain LM that is mixed with the base LM at
 * interpolation_weight (linear interpolation of the probabilities, computed per lookup, so
 * nothing as large as the base LM has to be rebuilt for a domain).
 */
#include "rescore-private.h"

#include <stt/model.h>

static double
get_double (JsonObject *o, const char *member, double def, double min, double max,
    gboolean *ok)
{
  JsonNode *n = json_object_get_member (o, member);
  if (!n)
    return def;
  if (!JSON_NODE_HOLDS_VALUE (n) || (json_node_get_value_type (n) != G_TYPE_DOUBLE &&
          json_node_get_value_type (n) != G_TYPE_INT64)) {
    *ok = FALSE;
    return def;
  }
  double v = json_node_get_double (n);
  if (!(v >= min && v <= max))
    *ok = FALSE;
  return v;
}

/* The LM file of base model @base (its properties.lm: a name, or an object with "file"). */
static const char *
base_lm_file (SttModel *base)
{
  JsonObject *props = stt_model_get_properties (base);
  JsonNode *node = json_object_get_member (props, "lm");
  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  if (node && JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_string_member_with_default (json_node_get_object (node), "file",
        "lm/lm.bin");
  return "lm/lm.bin";
}

static gboolean
read_settings (SttModel *model, RescoreLm *lm, const char **base_id, const char **own_file,
    GError **error)
{
  JsonObject *props = stt_model_get_properties (model);
  JsonNode *rn = json_object_get_member (props, "rescore");
  JsonObject *r = rn && JSON_NODE_HOLDS_OBJECT (rn) ? json_node_get_object (rn) : NULL;
  gboolean ok = r != NULL;
  if (r) {
    lm->lm_weight = get_double (r, "lm_weight", 6.5, 0.01, 100, &ok);
    lm->wip = get_double (r, "wip", 0, -100, 100, &ok);
    lm->lambda = get_double (r, "interpolation_weight", 0, 0, 1, &ok);
    lm->keep_confidence = get_double (r, "keep_confidence", 2, 0, 2, &ok);
    lm->keep_acoustic = get_double (r, "keep_acoustic_score", 0, -100, 0, &ok);
    *base_id = json_object_get_string_member_with_default (r, "base_model", NULL);
    *own_file = json_object_get_string_member_with_default (r, "lm", NULL);
  }
  if (ok && !*base_id && !*own_file)
    ok = FALSE;
  if (!ok)
    g_set_error (error, STT_RESCORE_ERROR, STT_RESCORE_ERROR_MODEL,
        "rescore model %s (%s): manifest member properties.rescore is missing or wrong: it "
        "needs base_model and/or lm, lm_weight in (0, 100], wip in [-100, 100], "
        "interpolation_weight in [0, 1], keep_confidence in [0, 2], keep_acoustic_score in "
        "[-100, 0] (docs/rescore.md); rebuild it with stt-rescore-model",
        stt_model_get_id (model), stt_model_get_dir (model));
  return ok;
}

RescoreLm *
rescore_lm_new (SttModel *model, GError **error)
{
  if (g_strcmp0 (stt_model_get_kind (model), "rescore") != 0) {
    g_set_error (error, STT_RESCORE_ERROR, STT_RESCORE_ERROR_MODEL,
        "model %s (%s) is of kind \"%s\", not \"rescore\"; give sttrescore a rescore model "
        "(stt-rescore-model makes one)", stt_model_get_id (model), stt_model_get_dir (model),
        stt_model_get_kind (model));
    return NULL;
  }
  RescoreLm *lm = g_new0 (RescoreLm, 1);
  const char *base_id = NULL, *own_file = NULL;
  GError *err = NULL;
  if (!read_settings (model, lm, &base_id, &own_file, error)) {
    rescore_lm_free (lm);
    return NULL;
  }
  if (own_file)
    lm->own = stt_lm_new_from_model (model, own_file, &err);
  if (!err && base_id) {
    SttModel *base = stt_model_cache_lookup (base_id, &err);
    if (base) {
      lm->base = stt_lm_new_from_model (base, base_lm_file (base), &err);
      stt_model_unref (base);
    }
  }
  if (err) {
    g_propagate_prefixed_error (error, err, "rescore model %s (%s): ", stt_model_get_id (model),
        stt_model_get_dir (model));
    rescore_lm_free (lm);
    return NULL;
  }
  return lm;
}

void
rescore_lm_free (RescoreLm *lm)
{
  if (!lm)
    return;
  if (lm->base)
    stt_lm_unref (lm->base);
  if (lm->own)
    stt_lm_unref (lm->own);
  g_free (lm);
}
