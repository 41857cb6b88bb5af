/* gst-stt — recognition result: construction, copies, accessors.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "stt/result.h"
#include "result-private.h"

static void
word_clear (gpointer data)
{
  SttWord *w = data;
  g_free (w->word);
}

static SttHypothesis *
hypothesis_new (void)
{
  SttHypothesis *hyp = g_new0 (SttHypothesis, 1);
  hyp->confidence = -1.0;
  hyp->words = g_array_new (FALSE, TRUE, sizeof (SttWord));
  g_array_set_clear_func (hyp->words, word_clear);
  return hyp;
}

static void
hypothesis_free (gpointer data)
{
  SttHypothesis *hyp = data;
  for (int i = 0; i < STT_N_TEXTS; i++)
    g_free (hyp->text[i]);
  g_array_unref (hyp->words);
  g_clear_pointer (&hyp->extra, json_object_unref);
  g_free (hyp);
}

static SttHypothesis *
hypothesis_copy (const SttHypothesis *src)
{
  SttHypothesis *hyp = hypothesis_new ();
  hyp->confidence = src->confidence;
  for (int i = 0; i < STT_N_TEXTS; i++)
    hyp->text[i] = g_strdup (src->text[i]);
  for (guint i = 0; i < src->words->len; i++) {
    const SttWord *w = &g_array_index (src->words, SttWord, i);
    stt_hypothesis_add_word (hyp, w->word, w->offset, w->duration, w->confidence);
  }
  hyp->extra = stt_json_object_deep_copy (src->extra);
  return hyp;
}

G_DEFINE_BOXED_TYPE (SttResult, stt_result, stt_result_ref, stt_result_unref)

SttResult *
stt_result_new (SttResultKind kind)
{
  SttResult *r = g_new0 (SttResult, 1);
  r->kind = kind;
  r->status = STT_STATUS_SUCCESS;
  r->nbest = g_ptr_array_new_with_free_func (hypothesis_free);
  r->refcount = 1;
  return r;
}

SttResult *
stt_result_ref (SttResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_atomic_int_inc (&result->refcount);
  return result;
}

void
stt_result_unref (SttResult *result)
{
  g_return_if_fail (result != NULL);
  if (!g_atomic_int_dec_and_test (&result->refcount))
    return;
  g_free (result->model_id);
  g_ptr_array_unref (result->nbest);
  g_free (result->lattice_format);
  g_clear_pointer (&result->lattice, g_bytes_unref);
  g_clear_pointer (&result->extra, json_object_unref);
  g_free (result);
}

SttResult *
stt_result_copy (const SttResult *src)
{
  g_return_val_if_fail (src != NULL, NULL);
  SttResult *r = stt_result_new (src->kind);
  r->status = src->status;
  r->offset = src->offset;
  r->duration = src->duration;
  r->model_id = g_strdup (src->model_id);
  for (guint i = 0; i < src->nbest->len; i++)
    g_ptr_array_add (r->nbest, hypothesis_copy (g_ptr_array_index (src->nbest, i)));
  r->lattice_format = g_strdup (src->lattice_format);
  if (src->lattice)
    r->lattice = g_bytes_ref (src->lattice);       /* immutable: sharing is a copy */
  r->extra = stt_json_object_deep_copy (src->extra);
  return r;
}

guint
stt_result_get_n_hypotheses (const SttResult *result)
{
  return result->nbest->len;
}

SttHypothesis *
stt_result_get_hypothesis (const SttResult *result, guint index)
{
  g_return_val_if_fail (index < result->nbest->len, NULL);
  return g_ptr_array_index (result->nbest, index);
}

SttHypothesis *
stt_result_get_best (const SttResult *result)
{
  return result->nbest->len ? g_ptr_array_index (result->nbest, 0) : NULL;
}

SttHypothesis *
stt_result_add_hypothesis (SttResult *result)
{
  SttHypothesis *hyp = hypothesis_new ();
  g_ptr_array_add (result->nbest, hyp);
  return hyp;
}

void
stt_result_remove_hypothesis (SttResult *result, guint index)
{
  g_return_if_fail (index < result->nbest->len);
  g_ptr_array_remove_index (result->nbest, index);
}

const char *
stt_result_get_display_text (const SttResult *result)
{
  const SttHypothesis *best = stt_result_get_best (result);
  if (!best)
    return "";
  static const SttTextField order[] = { STT_TEXT_DISPLAY, STT_TEXT_ITN, STT_TEXT_LEXICAL };
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (best->text[order[i]] && best->text[order[i]][0])
      return best->text[order[i]];
  return "";
}

void
stt_result_set_lattice (SttResult *result, const char *format, GBytes *lattice)
{
  g_free (result->lattice_format);
  g_clear_pointer (&result->lattice, g_bytes_unref);
  result->lattice_format = lattice ? g_strdup (format) : NULL;
  result->lattice = lattice ? g_bytes_ref (lattice) : NULL;
}

GBytes *
stt_result_get_lattice (const SttResult *result, const char **format)
{
  if (format)
    *format = result->lattice_format;
  return result->lattice;
}

/* json_node_copy shares objects and arrays; results need copies that never alias. */
static JsonNode *
json_node_deep_copy (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node)) {
    JsonObject *obj = stt_json_object_deep_copy (json_node_get_object (node));
    JsonNode *out = json_node_init_object (json_node_alloc (), obj);
    json_object_unref (obj);
    return out;
  }
  if (JSON_NODE_HOLDS_ARRAY (node)) {
    JsonArray *src = json_node_get_array (node);
    JsonArray *dst = json_array_sized_new (json_array_get_length (src));
    for (guint i = 0; i < json_array_get_length (src); i++)
      json_array_add_element (dst, json_node_deep_copy (json_array_get_element (src, i)));
    JsonNode *out = json_node_init_array (json_node_alloc (), dst);
    json_array_unref (dst);
    return out;
  }
  return json_node_copy (node);
}

JsonObject *
stt_json_object_deep_copy (JsonObject *obj)
{
  if (!obj)
    return NULL;
  JsonObject *out = json_object_new ();
  JsonObjectIter it;
  const char *name;
  JsonNode *value;
  json_object_iter_init_ordered (&it, obj);
  while (json_object_iter_next_ordered (&it, &name, &value))
    json_object_set_member (out, name, json_node_deep_copy (value));
  return out;
}

JsonObject *
stt_hypothesis_get_extra (SttHypothesis *hyp)
{
  if (!hyp->extra)
    hyp->extra = json_object_new ();
  return hyp->extra;
}

JsonObject *
stt_result_get_extra (SttResult *result)
{
  if (!result->extra)
    result->extra = json_object_new ();
  return result->extra;
}

double
stt_hypothesis_get_confidence (const SttHypothesis *hyp)
{
  return hyp->confidence;
}

void
stt_hypothesis_set_confidence (SttHypothesis *hyp, double confidence)
{
  hyp->confidence = confidence;
}

const char *
stt_hypothesis_get_text (const SttHypothesis *hyp, SttTextField field)
{
  g_return_val_if_fail (field < STT_N_TEXTS, "");
  return hyp->text[field] ? hyp->text[field] : "";
}

void
stt_hypothesis_set_text (SttHypothesis *hyp, SttTextField field, const char *text)
{
  g_return_if_fail (field < STT_N_TEXTS);
  g_free (hyp->text[field]);
  hyp->text[field] = g_strdup (text);
}

guint
stt_hypothesis_get_n_words (const SttHypothesis *hyp)
{
  return hyp->words->len;
}

const SttWord *
stt_hypothesis_get_word (const SttHypothesis *hyp, guint index)
{
  g_return_val_if_fail (index < hyp->words->len, NULL);
  return &g_array_index (hyp->words, SttWord, index);
}

void
stt_hypothesis_add_word (SttHypothesis *hyp, const char *word, gint64 offset,
    gint64 duration, double confidence)
{
  SttWord w = { g_strdup (word), offset, duration, confidence };
  g_array_append_val (hyp->words, w);
}

void
stt_hypothesis_clear_words (SttHypothesis *hyp)
{
  g_array_set_size (hyp->words, 0);
}

char *
stt_hypothesis_join_words (const SttHypothesis *hyp)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < hyp->words->len; i++) {
    if (i)
      g_string_append_c (s, ' ');
    g_string_append (s, g_array_index (hyp->words, SttWord, i).word);
  }
  return g_string_free (s, FALSE);
}

static const char *const status_names[] = {
  [STT_STATUS_SUCCESS] = "Success",
  [STT_STATUS_NO_MATCH] = "NoMatch",
  [STT_STATUS_INITIAL_SILENCE_TIMEOUT] = "InitialSilenceTimeout",
  [STT_STATUS_BABBLE_TIMEOUT] = "BabbleTimeout",
  [STT_STATUS_ERROR] = "Error",
};

const char *
stt_recognition_status_to_string (SttRecognitionStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_names), "Error");
  return status_names[status];
}

gboolean
stt_recognition_status_from_string (const char *str, SttRecognitionStatus *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++) {
    if (g_strcmp0 (str, status_names[i]) == 0) {
      *status = i;
      return TRUE;
    }
  }
  return FALSE;
}
