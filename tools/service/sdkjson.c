/* gst-stt — results as Speech SDK message bodies.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "sdkjson.h"

#include <string.h>

gboolean
stt_profanity_option_from_string (const char *s, SttProfanityOption *out)
{
  static const char *const names[] = { "masked", "removed", "raw" };
  for (guint i = 0; s && i < G_N_ELEMENTS (names); i++) {
    if (g_ascii_strcasecmp (s, names[i]) == 0) {
      *out = i;
      return TRUE;
    }
  }
  return FALSE;
}

const char *
stt_profanity_option_to_string (SttProfanityOption p)
{
  return p == STT_PROFANITY_REMOVED ? "removed" : p == STT_PROFANITY_RAW ? "raw" : "masked";
}

static gboolean
is_all_stars (const char *s)
{
  if (!*s)
    return FALSE;
  for (; *s; s++)
    if (*s != '*')
      return FALSE;
  return TRUE;
}

/* The lower-case words the profanity element hid: ITN tokens replaced by stars at the same
 * position, or (when tokens were removed) ITN tokens absent from MaskedITN. */
static GHashTable *
hidden_words (const SttHypothesis *hyp)
{
  const char *itn = stt_hypothesis_get_text (hyp, STT_TEXT_ITN);
  if (!*itn)
    itn = stt_hypothesis_get_text (hyp, STT_TEXT_LEXICAL);
  const char *masked = stt_hypothesis_get_text (hyp, STT_TEXT_MASKED_ITN);
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!*masked || strcmp (itn, masked) == 0)
    return set;
  char **a = g_strsplit (itn, " ", -1), **b = g_strsplit (masked, " ", -1);
  guint na = g_strv_length (a), nb = g_strv_length (b);
  if (na == nb) {
    for (guint i = 0; i < na; i++)
      if (is_all_stars (b[i]) && !is_all_stars (a[i]))
        g_hash_table_add (set, g_utf8_strdown (a[i], -1));
  } else {
    GHashTable *kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < nb; i++)
      g_hash_table_add (kept, g_utf8_strdown (b[i], -1));
    for (guint i = 0; i < na; i++) {
      char *w = g_utf8_strdown (a[i], -1);
      if (*w && !g_hash_table_contains (kept, w))
        g_hash_table_add (set, w);
      else
        g_free (w);
    }
    g_hash_table_unref (kept);
  }
  g_strfreev (a);
  g_strfreev (b);
  return set;
}

char *
stt_sdk_display_text (const SttHypothesis *hyp, SttProfanityOption profanity)
{
  const char *display = stt_hypothesis_get_text (hyp, STT_TEXT_DISPLAY);
  if (!*display)
    display = stt_hypothesis_get_text (hyp, STT_TEXT_ITN);
  if (!*display)
    display = stt_hypothesis_get_text (hyp, STT_TEXT_LEXICAL);
  if (profanity == STT_PROFANITY_RAW)
    return g_strdup (display);
  GHashTable *hidden = hidden_words (hyp);
  if (g_hash_table_size (hidden) == 0) {
    g_hash_table_unref (hidden);
    return g_strdup (display);
  }
  /* Display adds punctuation and capitals around the same words: compare the token's core. */
  char **tokens = g_strsplit (display, " ", -1);
  GString *out = g_string_new (NULL);
  for (char **t = tokens; *t; t++) {
    const char *s = *t, *e = *t + strlen (*t);
    while (s < e && g_ascii_ispunct (*s))
      s++;
    while (e > s && g_ascii_ispunct (e[-1]))
      e--;
    char *core = g_utf8_strdown (s, e - s);
    gboolean hide = g_hash_table_contains (hidden, core);
    g_free (core);
    if (hide && profanity == STT_PROFANITY_REMOVED)
      continue;
    if (out->len)
      g_string_append_c (out, ' ');
    if (hide) {
      g_string_append_len (out, *t, s - *t);
      for (glong i = 0; i < g_utf8_strlen (s, e - s); i++)
        g_string_append_c (out, '*');
      g_string_append (out, e);
    } else {
      g_string_append (out, *t);
    }
  }
  g_strfreev (tokens);
  g_hash_table_unref (hidden);
  return g_string_free (out, FALSE);
}

static char *
finish (JsonBuilder *b)
{
  JsonNode *root = json_builder_get_root (b);
  char *s = json_to_string (root, FALSE);
  json_node_unref (root);
  g_object_unref (b);
  return s;
}

static void
add_int (JsonBuilder *b, const char *name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static void
add_str (JsonBuilder *b, const char *name, const char *v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, v ? v : "");
}

/* ITN, or Lexical when no ITN element ran (the SDK always gets all four texts). */
static const char *
itn_text (const SttHypothesis *hyp)
{
  const char *itn = stt_hypothesis_get_text (hyp, STT_TEXT_ITN);
  return *itn ? itn : stt_hypothesis_get_text (hyp, STT_TEXT_LEXICAL);
}

static const char *
masked_itn (const SttHypothesis *hyp, SttProfanityOption profanity)
{
  const char *itn = itn_text (hyp);
  const char *masked = stt_hypothesis_get_text (hyp, STT_TEXT_MASKED_ITN);
  if (profanity == STT_PROFANITY_RAW || !*masked)
    return itn;
  return masked;
}

static void
build_nbest_entry (JsonBuilder *b, const SttHypothesis *hyp, const SttOutputOptions *opts)
{
  json_builder_begin_object (b);
  double conf = stt_hypothesis_get_confidence (hyp);
  if (conf >= 0) {
    json_builder_set_member_name (b, "Confidence");
    json_builder_add_double_value (b, conf);
  }
  add_str (b, "Lexical", stt_hypothesis_get_text (hyp, STT_TEXT_LEXICAL));
  add_str (b, "ITN", itn_text (hyp));
  add_str (b, "MaskedITN", masked_itn (hyp, opts->profanity));
  char *display = stt_sdk_display_text (hyp, opts->profanity);
  add_str (b, "Display", display);
  g_free (display);
  if (opts->word_timings) {
    json_builder_set_member_name (b, "Words");
    json_builder_begin_array (b);
    for (guint i = 0; i < stt_hypothesis_get_n_words (hyp); i++) {
      const SttWord *w = stt_hypothesis_get_word (hyp, i);
      json_builder_begin_object (b);
      add_str (b, "Word", w->word);
      add_int (b, "Offset", w->offset);
      add_int (b, "Duration", w->duration);
      if (w->confidence >= 0) {
        json_builder_set_member_name (b, "Confidence");
        json_builder_add_double_value (b, w->confidence);
      }
      json_builder_end_object (b);
    }
    json_builder_end_array (b);
  }
  json_builder_end_object (b);
}

/* The language is the only one the service serves and the client's only candidate: it was
 * not detected, so no confidence is claimed. */
static void
add_language (JsonBuilder *b, const SttOutputOptions *opts)
{
  if (!opts->language)
    return;
  json_builder_set_member_name (b, "PrimaryLanguage");
  json_builder_begin_object (b);
  add_str (b, "Language", opts->language);
  add_str (b, "Confidence", "Unknown");
  json_builder_end_object (b);
}

char *
stt_sdk_hypothesis_text_json (const SttResult *partial, const char *text, gint64 duration,
    const SttOutputOptions *opts)
{
  JsonBuilder *b = json_builder_new ();
  json_builder_begin_object (b);
  add_str (b, "Text", text);
  add_int (b, "Offset", partial->offset);
  add_int (b, "Duration", duration);
  add_language (b, opts);
  json_builder_end_object (b);
  return finish (b);
}

char *
stt_sdk_hypothesis_json (const SttResult *partial, const SttOutputOptions *opts)
{
  SttHypothesis *best = stt_result_get_best (partial);
  char *text = best ? stt_sdk_display_text (best, opts->profanity) : g_strdup ("");
  char *json = stt_sdk_hypothesis_text_json (partial, text, partial->duration, opts);
  g_free (text);
  return json;
}

static void
build_phrase (JsonBuilder *b, const SttResult *r, const SttOutputOptions *opts)
{
  SttHypothesis *best = stt_result_get_best (r);
  /* A Success phrase without hypotheses would crash the SDK's detailed parser (spec §2.4). */
  const char *status = best || r->status != STT_STATUS_SUCCESS
      ? stt_recognition_status_to_string (r->status) : "NoMatch";
  json_builder_begin_object (b);
  add_str (b, "RecognitionStatus", status);
  add_int (b, "Offset", r->offset);
  add_int (b, "Duration", r->duration);
  char *display = best ? stt_sdk_display_text (best, opts->profanity) : g_strdup ("");
  add_str (b, "DisplayText", display);
  g_free (display);
  if (best && r->status == STT_STATUS_SUCCESS)
    add_language (b, opts);
  if (opts->detailed && best) {
    json_builder_set_member_name (b, "NBest");
    json_builder_begin_array (b);
    for (guint i = 0; i < stt_result_get_n_hypotheses (r); i++)
      build_nbest_entry (b, stt_result_get_hypothesis (r, i), opts);
    json_builder_end_array (b);
  }
  json_builder_end_object (b);
}

char *
stt_sdk_phrase_json (const SttResult *final, const SttOutputOptions *opts)
{
  JsonBuilder *b = json_builder_new ();
  build_phrase (b, final, opts);
  return finish (b);
}

char *
stt_sdk_status_phrase_json (const char *status, gint64 offset, gint64 duration,
    const char *message)
{
  JsonBuilder *b = json_builder_new ();
  json_builder_begin_object (b);
  add_str (b, "RecognitionStatus", status);
  add_int (b, "Offset", offset);
  add_int (b, "Duration", duration);
  add_str (b, "DisplayText", message ? message : "");
  json_builder_end_object (b);
  return finish (b);
}

char *
stt_sdk_offset_json (gint64 offset)
{
  return g_strdup_printf ("{\"Offset\":%" G_GINT64_FORMAT "}", offset);
}

/* Join field @f of the best hypotheses of all successful phrases. */
static char *
join_best (GPtrArray *finals, int f, SttProfanityOption profanity)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < finals->len; i++) {
    SttHypothesis *best = stt_result_get_best (finals->pdata[i]);
    if (!best)
      continue;
    char *t = f == STT_TEXT_DISPLAY ? stt_sdk_display_text (best, profanity)
        : g_strdup (f == STT_TEXT_MASKED_ITN ? masked_itn (best, profanity)
        : f == STT_TEXT_ITN ? itn_text (best) : stt_hypothesis_get_text (best, f));
    if (*t) {
      if (s->len)
        g_string_append_c (s, ' ');
      g_string_append (s, t);
    }
    g_free (t);
  }
  return g_string_free (s, FALSE);
}

char *
stt_sdk_rest_json (GPtrArray *finals, gint64 audio_ticks, const SttOutputOptions *opts)
{
  gint64 first = -1, end = 0;
  double conf_sum = 0;
  guint n_conf = 0, n_speech = 0;
  for (guint i = 0; i < finals->len; i++) {
    SttResult *r = finals->pdata[i];
    SttHypothesis *best = stt_result_get_best (r);
    if (!best || r->status != STT_STATUS_SUCCESS)
      continue;
    n_speech++;
    if (first < 0)
      first = r->offset;
    end = MAX (end, r->offset + r->duration);
    if (stt_hypothesis_get_confidence (best) >= 0) {
      conf_sum += stt_hypothesis_get_confidence (best);
      n_conf++;
    }
  }
  JsonBuilder *b = json_builder_new ();
  json_builder_begin_object (b);
  add_str (b, "RecognitionStatus", n_speech ? "Success" : "InitialSilenceTimeout");
  add_int (b, "Offset", first < 0 ? 0 : first);
  add_int (b, "Duration", first < 0 ? audio_ticks : end - first);
  char *display = join_best (finals, STT_TEXT_DISPLAY, opts->profanity);
  add_str (b, "DisplayText", display);
  if (opts->detailed && n_speech) {
    json_builder_set_member_name (b, "NBest");
    json_builder_begin_array (b);
    json_builder_begin_object (b);
    if (n_conf) {
      json_builder_set_member_name (b, "Confidence");
      json_builder_add_double_value (b, conf_sum / n_conf);
    }
    static const char *const names[] = { "Lexical", "ITN", "MaskedITN" };
    for (int f = STT_TEXT_LEXICAL; f <= STT_TEXT_MASKED_ITN; f++) {
      char *t = join_best (finals, f, opts->profanity);
      add_str (b, names[f], t);
      g_free (t);
    }
    add_str (b, "Display", display);
    json_builder_end_object (b);
    json_builder_end_array (b);
    json_builder_set_member_name (b, "Phrases");
    json_builder_begin_array (b);
    for (guint i = 0; i < finals->len; i++)
      build_phrase (b, finals->pdata[i], opts);
    json_builder_end_array (b);
  }
  g_free (display);
  json_builder_end_object (b);
  return finish (b);
}
