/* gst-stt — results as Speech SDK message bodies (tools/service/sdkjson.c), with MaskedITN
 * filled by the real sttprofanity element.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstharness.h>
#include <stt/gststtresult.h>
#include <string.h>

#include "sdkjson.h"
#include "stable.h"
#include "testutil.h"

static JsonObject *
parse (const char *json, JsonParser **p)
{
  *p = json_parser_new ();
  GError *err = NULL;
  g_assert_true (json_parser_load_from_data (*p, json, -1, &err));
  g_assert_no_error (err);
  /* compact: the SDK cuts a body at the first CRLF CRLF */
  g_assert_null (strstr (json, "\r\n"));
  return json_node_get_object (json_parser_get_root (*p));
}

/* Run @r through sttprofanity (words=darn) in @mode; returns the filtered result. */
static SttResult *
through_profanity (SttResult *r, const char *mode)
{
  GstHarness *h = gst_harness_new_parse ("sttprofanity words=darn");
  gst_util_set_object_arg (G_OBJECT (gst_harness_find_element (h, "sttprofanity")), "mode",
      mode);
  gst_harness_set_src_caps_str (h, GST_STT_RESULT_CAPS);
  g_assert_cmpint (gst_harness_push (h, gst_stt_result_to_buffer (r)), ==, GST_FLOW_OK);
  GstBuffer *out = gst_harness_pull (h);
  GError *err = NULL;
  SttResult *filtered = gst_stt_result_from_buffer (out, &err);
  g_assert_no_error (err);
  gst_buffer_unref (out);
  gst_object_unref (gst_harness_find_element (h, "sttprofanity"));
  gst_harness_teardown (h);
  return filtered;
}

static SttResult *
sample (void)
{
  SttResult *r = stt_test_result_new ("hello darn world", 5000000);
  SttHypothesis *best = stt_result_get_best (r);
  stt_hypothesis_set_text (best, STT_TEXT_ITN, "hello darn world");
  stt_hypothesis_set_text (best, STT_TEXT_DISPLAY, "Hello darn, world.");
  return r;
}

static void
test_simple_and_detailed (void)
{
  SttResult *r = sample ();
  SttOutputOptions simple = { .profanity = STT_PROFANITY_RAW };
  JsonParser *p;
  char *json = stt_sdk_phrase_json (r, &simple);
  JsonObject *o = parse (json, &p);
  g_assert_cmpstr (json_object_get_string_member (o, "RecognitionStatus"), ==, "Success");
  g_assert_cmpstr (json_object_get_string_member (o, "DisplayText"), ==, "Hello darn, world.");
  g_assert_cmpint (json_object_get_int_member (o, "Offset"), ==, r->offset);
  g_assert_cmpint (json_object_get_int_member (o, "Duration"), ==, r->duration);
  g_assert_false (json_object_has_member (o, "NBest"));
  g_object_unref (p);
  g_free (json);

  SttOutputOptions detailed = { .detailed = TRUE, .profanity = STT_PROFANITY_RAW };
  json = stt_sdk_phrase_json (r, &detailed);
  o = parse (json, &p);
  JsonObject *best = json_array_get_object_element (json_object_get_array_member (o, "NBest"),
      0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (best, "Confidence"), 0.9, 1e-9);
  g_assert_cmpstr (json_object_get_string_member (best, "Lexical"), ==, "hello darn world");
  g_assert_cmpstr (json_object_get_string_member (best, "Display"), ==, "Hello darn, world.");
  g_assert_false (json_object_has_member (best, "Words"));
  g_object_unref (p);
  g_free (json);

  detailed.word_timings = TRUE;
  json = stt_sdk_phrase_json (r, &detailed);
  o = parse (json, &p);
  best = json_array_get_object_element (json_object_get_array_member (o, "NBest"), 0);
  JsonArray *words = json_object_get_array_member (best, "Words");
  SttHypothesis *h = stt_result_get_best (r);
  g_assert_cmpuint (json_array_get_length (words), ==, stt_hypothesis_get_n_words (h));
  for (guint i = 0; i < json_array_get_length (words); i++) {
    JsonObject *w = json_array_get_object_element (words, i);
    const SttWord *sw = stt_hypothesis_get_word (h, i);
    g_assert_cmpstr (json_object_get_string_member (w, "Word"), ==, sw->word);
    g_assert_cmpint (json_object_get_int_member (w, "Offset"), ==, sw->offset);
    g_assert_cmpint (json_object_get_int_member (w, "Duration"), ==, sw->duration);
  }
  g_object_unref (p);
  g_free (json);

  json = stt_sdk_hypothesis_json (r, &detailed);
  o = parse (json, &p);
  g_assert_cmpstr (json_object_get_string_member (o, "Text"), ==, "Hello darn, world.");
  g_assert_true (json_object_has_member (o, "Offset") && json_object_has_member (o, "Duration"));
  g_object_unref (p);
  g_free (json);
  stt_result_unref (r);
}

/* A Success result without hypotheses would kill the SDK's detailed parser: NoMatch. */
static void
test_empty_success (void)
{
  SttResult *r = stt_result_new (STT_RESULT_FINAL);
  SttOutputOptions detailed = { .detailed = TRUE };
  JsonParser *p;
  char *json = stt_sdk_phrase_json (r, &detailed);
  JsonObject *o = parse (json, &p);
  g_assert_cmpstr (json_object_get_string_member (o, "RecognitionStatus"), ==, "NoMatch");
  g_assert_false (json_object_has_member (o, "NBest"));
  g_object_unref (p);
  g_free (json);
  stt_result_unref (r);
}

static void
test_profanity (void)
{
  SttResult *r = sample ();
  const struct { const char *mode; SttProfanityOption opt; const char *display, *masked; } c[] = {
    { "masked", STT_PROFANITY_MASKED, "Hello ****, world.", "hello **** world" },
    { "removed", STT_PROFANITY_REMOVED, "Hello world.", "hello world" },
    { "raw", STT_PROFANITY_RAW, "Hello darn, world.", "hello darn world" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (c); i++) {
    SttResult *f = through_profanity (r, c[i].mode);
    SttOutputOptions o = { .detailed = TRUE, .profanity = c[i].opt };
    JsonParser *p;
    char *json = stt_sdk_phrase_json (f, &o);
    JsonObject *obj = parse (json, &p);
    g_assert_cmpstr (json_object_get_string_member (obj, "DisplayText"), ==, c[i].display);
    JsonObject *best = json_array_get_object_element (json_object_get_array_member (obj,
            "NBest"), 0);
    g_assert_cmpstr (json_object_get_string_member (best, "MaskedITN"), ==, c[i].masked);
    g_assert_cmpstr (json_object_get_string_member (best, "Display"), ==, c[i].display);
    g_assert_cmpstr (json_object_get_string_member (best, "Lexical"), ==, "hello darn world");
    g_object_unref (p);
    g_free (json);
    stt_result_unref (f);
  }
  stt_result_unref (r);
}

static void
test_rest (void)
{
  GPtrArray *finals = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_result_unref);
  g_ptr_array_add (finals, stt_test_result_new ("one two", 10000000));
  g_ptr_array_add (finals, stt_test_result_new ("three", 40000000));
  SttOutputOptions o = { .detailed = TRUE, .profanity = STT_PROFANITY_RAW };
  JsonParser *p;
  char *json = stt_sdk_rest_json (finals, 60000000, &o);
  JsonObject *obj = parse (json, &p);
  g_assert_cmpstr (json_object_get_string_member (obj, "RecognitionStatus"), ==, "Success");
  g_assert_cmpstr (json_object_get_string_member (obj, "DisplayText"), ==, "one two three");
  g_assert_cmpint (json_object_get_int_member (obj, "Offset"), ==, 10000000);
  SttResult *last = finals->pdata[1];
  g_assert_cmpint (json_object_get_int_member (obj, "Duration"), ==,
      last->offset + last->duration - 10000000);
  JsonObject *best = json_array_get_object_element (json_object_get_array_member (obj, "NBest"),
      0);
  g_assert_cmpstr (json_object_get_string_member (best, "Lexical"), ==, "one two three");
  /* no ITN element ran: ITN and MaskedITN are the lexical text */
  g_assert_cmpstr (json_object_get_string_member (best, "ITN"), ==, "one two three");
  g_assert_cmpstr (json_object_get_string_member (best, "MaskedITN"), ==, "one two three");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "Phrases")), ==, 2);
  g_object_unref (p);
  g_free (json);
  g_ptr_array_set_size (finals, 0);
  json = stt_sdk_rest_json (finals, 60000000, &o);
  obj = parse (json, &p);
  g_assert_cmpstr (json_object_get_string_member (obj, "RecognitionStatus"), ==,
      "InitialSilenceTimeout");
  g_assert_cmpint (json_object_get_int_member (obj, "Duration"), ==, 60000000);
  g_object_unref (p);
  g_free (json);
  g_ptr_array_unref (finals);
}

/* Feeds @texts to a threshold-@n history; checks what each returns ("" = nothing). */
static void
check_stable (guint n, const char *const *texts, const char *const *expect, guint count)
{
  SttStableText *st = stt_stable_text_new (n);
  for (guint i = 0; i < count; i++) {
    if (!texts[i]) {
      stt_stable_text_reset (st);
      continue;
    }
    guint tokens = 0;
    char *got = stt_stable_text_update (st, texts[i], &tokens);
    g_test_message ("threshold %u, partial %u '%s' -> '%s'", n, i, texts[i], got ? got : "");
    g_assert_cmpstr (got ? got : "", ==, expect[i]);
    if (got) {
      char **words = g_strsplit (got, " ", -1);
      g_assert_cmpuint (tokens, ==, g_strv_length (words));
      g_strfreev (words);
    }
    g_free (got);
  }
  stt_stable_text_free (st);
}

static void
test_stable_partials (void)
{
  /* a word is shown once it has been in 2 partials in a row at the same place */
  const char *texts[] = { "hello", "hello world", "hello  world", "hello word there",
    "hello word there", "hello word there", NULL, "a b" };
  const char *expect[] = { "", "hello", "hello world", "hello", "hello word there", "", "",
    "" };
  check_stable (2, texts, expect, G_N_ELEMENTS (texts));
  /* threshold 1 (and 0): every partial in full, unchanged ones not repeated */
  const char *t1[] = { "x y", "x y", "x z" };
  const char *e1[] = { "x y", "", "x z" };
  check_stable (1, t1, e1, G_N_ELEMENTS (t1));
  check_stable (0, t1, e1, G_N_ELEMENTS (t1));
}

static void
test_primary_language (void)
{
  SttResult *r = sample ();
  SttOutputOptions opts = { .profanity = STT_PROFANITY_RAW, .language = "en-US" };
  JsonParser *p;
  char *json = stt_sdk_phrase_json (r, &opts);
  JsonObject *lang = json_object_get_object_member (parse (json, &p), "PrimaryLanguage");
  g_assert_cmpstr (json_object_get_string_member (lang, "Language"), ==, "en-US");
  g_assert_cmpstr (json_object_get_string_member (lang, "Confidence"), ==, "Unknown");
  g_object_unref (p);
  g_free (json);
  r->kind = STT_RESULT_PARTIAL;
  json = stt_sdk_hypothesis_text_json (r, "hello", 1234, &opts);
  JsonObject *o = parse (json, &p);
  g_assert_cmpstr (json_object_get_string_member (o, "Text"), ==, "hello");
  g_assert_cmpint (json_object_get_int_member (o, "Duration"), ==, 1234);
  g_assert_true (json_object_has_member (o, "PrimaryLanguage"));
  g_object_unref (p);
  g_free (json);
  /* not asked for: no member */
  opts.language = NULL;
  json = stt_sdk_hypothesis_json (r, &opts);
  g_assert_false (json_object_has_member (parse (json, &p), "PrimaryLanguage"));
  g_object_unref (p);
  g_free (json);
  r->kind = STT_RESULT_FINAL;
  r->status = STT_STATUS_NO_MATCH;
  opts.language = "en-US";
  json = stt_sdk_phrase_json (r, &opts);
  g_assert_false (json_object_has_member (parse (json, &p), "PrimaryLanguage"));
  g_object_unref (p);
  g_free (json);
  stt_result_unref (r);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sdkjson/simple-and-detailed", test_simple_and_detailed);
  g_test_add_func ("/sdkjson/empty-success", test_empty_success);
  g_test_add_func ("/sdkjson/profanity", test_profanity);
  g_test_add_func ("/sdkjson/rest", test_rest);
  g_test_add_func ("/sdkjson/stable-partials", test_stable_partials);
  g_test_add_func ("/sdkjson/primary-language", test_primary_language);
  return g_test_run ();
}
