/* gst-stt — resegmentation: split final phrases into display segments.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "stt/reseg.h"
#include "stt/punct.h"

#include <string.h>

void
stt_reseg_options_init (SttResegOptions *o)
{
  o->pause_ms = STT_RESEG_DEFAULT_PAUSE_MS;
  o->max_words = STT_RESEG_DEFAULT_MAX_WORDS;
  o->max_seconds = STT_RESEG_DEFAULT_MAX_SECONDS;
  o->sentences = TRUE;
}

static gboolean
read_number (JsonObject *props, const char *name, double max, double *out, SttModel *model,
    GError **error)
{
  if (!json_object_has_member (props, name))
    return TRUE;
  JsonNode *node = json_object_get_member (props, name);
  GType t = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  double v = t == G_TYPE_INT64 ? (double) json_node_get_int (node)
      : t == G_TYPE_DOUBLE ? json_node_get_double (node) : -1.0;
  if (v < 0 || v > max) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_MANIFEST,
        "%s/manifest.json: properties.%s must be a number from 0 to %g", stt_model_get_dir (model),
        name, max);
    return FALSE;
  }
  *out = v;
  return TRUE;
}

gboolean
stt_reseg_options_from_model (SttResegOptions *o, SttModel *model, GError **error)
{
  if (g_strcmp0 (stt_model_get_kind (model), "resegment") != 0) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_MANIFEST,
        "model %s (%s) is of kind \"%s\", not \"resegment\"", stt_model_get_id (model),
        stt_model_get_dir (model), stt_model_get_kind (model));
    return FALSE;
  }
  JsonObject *props = stt_model_get_properties (model);
  double pause = o->pause_ms, words = o->max_words, seconds = o->max_seconds;
  if (!read_number (props, "pause_ms", 3600000, &pause, model, error)
      || !read_number (props, "max_words", 100000, &words, model, error)
      || !read_number (props, "max_seconds", 3600, &seconds, model, error))
    return FALSE;
  o->pause_ms = (guint) pause;
  o->max_words = (guint) words;
  o->max_seconds = seconds;
  if (json_object_has_member (props, "sentences"))
    o->sentences = json_object_get_boolean_member (props, "sentences");
  return TRUE;
}

void
stt_reseg_options_to_json (const SttResegOptions *o, JsonObject *props)
{
  json_object_set_int_member (props, "pause_ms", o->pause_ms);
  json_object_set_int_member (props, "max_words", o->max_words);
  json_object_set_double_member (props, "max_seconds", o->max_seconds);
  json_object_set_boolean_member (props, "sentences", o->sentences);
}

/* The tokens of a text when it has exactly @n, else NULL. */
static char **
aligned_tokens (const char *text, guint n)
{
  if (!*text)
    return NULL;
  char **raw = g_strsplit_set (text, " \t\r\n", -1);
  GPtrArray *tokens = g_ptr_array_new ();
  for (char **t = raw; *t; t++)
    if (**t)
      g_ptr_array_add (tokens, g_strdup (*t));
    else
      g_free (*t);
  g_free (raw);
  g_ptr_array_add (tokens, NULL);
  char **v = (char **) g_ptr_array_free (tokens, FALSE);
  if (g_strv_length (v) != n)
    g_clear_pointer (&v, g_strfreev);
  return v;
}

static gboolean
ends_sentence (const char *token)
{
  gsize len = strlen (token);
  while (len > 0 && strchr ("\"')]", token[len - 1]))
    len--;
  return len > 0 && strchr (".?!", token[len - 1]);
}

static gint64
word_end (const SttWord *w)
{
  return w->offset + MAX (w->duration, 0);
}

static char *
join_range (char **tokens, guint from, guint to)
{
  char *saved = tokens[to];
  tokens[to] = NULL;
  char *s = g_strjoinv (" ", tokens + from);
  tokens[to] = saved;
  return s;
}

/* A final result of the words [from, to) of @hyp. */
static SttResult *
make_segment (const SttResult *in, const SttHypothesis *hyp, guint from, guint to,
    char **texts[STT_N_TEXTS])
{
  SttResult *seg = stt_result_new (STT_RESULT_FINAL);
  seg->status = in->status;
  seg->model_id = g_strdup (in->model_id);
  SttHypothesis *h = stt_result_add_hypothesis (seg);
  stt_hypothesis_set_confidence (h, stt_hypothesis_get_confidence (hyp));
  for (guint i = from; i < to; i++) {
    const SttWord *w = stt_hypothesis_get_word (hyp, i);
    stt_hypothesis_add_word (h, w->word, w->offset, w->duration, w->confidence);
  }
  const SttWord *first = stt_hypothesis_get_word (hyp, from);
  seg->offset = first->offset;
  seg->duration = word_end (stt_hypothesis_get_word (hyp, to - 1)) - first->offset;
  char *lexical = stt_hypothesis_join_words (h);
  stt_hypothesis_set_text (h, STT_TEXT_LEXICAL, lexical);
  g_free (lexical);
  for (guint f = STT_TEXT_ITN; f < STT_N_TEXTS; f++) {
    if (!texts[f])
      continue;
    char *t = join_range (texts[f], from, to);
    stt_hypothesis_set_text (h, f, t);
    g_free (t);
  }
  return seg;
}

/* Whether to cut between word @i and word @i + 1 of a segment starting at @start. */
static gboolean
cut_after (const SttHypothesis *hyp, guint start, guint i, char **display,
    const SttResegOptions *o)
{
  const SttWord *w = stt_hypothesis_get_word (hyp, i);
  const SttWord *next = stt_hypothesis_get_word (hyp, i + 1);
  if (o->sentences && display && ends_sentence (display[i]))
    return TRUE;
  if (o->pause_ms > 0 && next->offset - word_end (w)
      >= (gint64) o->pause_ms * (STT_TICKS_PER_SECOND / 1000))
    return TRUE;
  if (o->max_words > 0 && i + 1 - start >= o->max_words)
    return TRUE;
  if (o->max_seconds > 0 && word_end (next) - stt_hypothesis_get_word (hyp, start)->offset
      > (gint64) (o->max_seconds * STT_TICKS_PER_SECOND))
    return TRUE;
  return FALSE;
}

GPtrArray *
stt_reseg_split (SttResult *result, const SttResegOptions *o)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_result_unref);
  SttHypothesis *hyp = stt_result_get_best (result);
  guint n = hyp ? stt_hypothesis_get_n_words (hyp) : 0;
  if (result->kind != STT_RESULT_FINAL || n < 2) {
    g_ptr_array_add (out, stt_result_ref (result));
    return out;
  }
  char **texts[STT_N_TEXTS] = { NULL };
  for (guint f = STT_TEXT_ITN; f < STT_N_TEXTS; f++)
    texts[f] = aligned_tokens (stt_hypothesis_get_text (hyp, f), n);
  GArray *cuts = g_array_new (FALSE, FALSE, sizeof (guint));
  guint start = 0;
  for (guint i = 0; i + 1 < n; i++)
    if (cut_after (hyp, start, i, texts[STT_TEXT_DISPLAY], o)) {
      start = i + 1;
      g_array_append_val (cuts, start);
    }
  if (cuts->len == 0) {
    g_ptr_array_add (out, stt_result_ref (result));
  } else {
    g_array_append_val (cuts, n);
    start = 0;
    for (guint c = 0; c < cuts->len; c++) {
      guint end = g_array_index (cuts, guint, c);
      g_ptr_array_add (out, make_segment (result, hyp, start, end, texts));
      start = end;
    }
  }
  g_array_unref (cuts);
  for (guint f = 0; f < STT_N_TEXTS; f++)
    g_strfreev (texts[f]);
  return out;
}
