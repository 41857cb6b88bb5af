/* gst-stt — the result schema: JSON round trip, unknown members, bad input.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "testutil.h"

#include <string.h>

static SttResult *
make_full_result (void)
{
  SttResult *r = stt_result_new (STT_RESULT_FINAL);
  r->offset = 12345678;
  r->duration = 23456789;
  r->model_id = g_strdup ("6f1c2a5e-0000-4000-8000-000000000001");
  SttHypothesis *h = stt_result_add_hypothesis (r);
  stt_hypothesis_set_confidence (h, 0.875);
  stt_hypothesis_set_text (h, STT_TEXT_LEXICAL, "twenty five dollars");
  stt_hypothesis_set_text (h, STT_TEXT_ITN, "$25");
  stt_hypothesis_set_text (h, STT_TEXT_MASKED_ITN, "$25");
  stt_hypothesis_set_text (h, STT_TEXT_DISPLAY, "$25.");
  stt_hypothesis_add_word (h, "twenty", 12345678, 3000000, 0.5);
  stt_hypothesis_add_word (h, "five", 15345678, 2000000, 0.25);
  stt_hypothesis_add_word (h, "dollars", 17345678, 4000000, -1);
  SttHypothesis *h2 = stt_result_add_hypothesis (r);
  stt_hypothesis_set_confidence (h2, 0.125);
  stt_hypothesis_set_text (h2, STT_TEXT_LEXICAL, "twenty five dollar");
  static const guint8 lattice[] = { 0, 1, 2, 255, 128, 7 };
  GBytes *lat = g_bytes_new_static (lattice, sizeof lattice);
  stt_result_set_lattice (r, "stt-lattice-1", lat);
  g_bytes_unref (lat);
  return r;
}

static void
assert_same_result (SttResult *a, SttResult *b)
{
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpint (a->status, ==, b->status);
  g_assert_cmpint (a->offset, ==, b->offset);
  g_assert_cmpint (a->duration, ==, b->duration);
  g_assert_cmpstr (a->model_id, ==, b->model_id);
  g_assert_cmpuint (stt_result_get_n_hypotheses (a), ==, stt_result_get_n_hypotheses (b));
  for (guint i = 0; i < stt_result_get_n_hypotheses (a); i++) {
    SttHypothesis *ha = stt_result_get_hypothesis (a, i), *hb = stt_result_get_hypothesis (b, i);
    g_assert_cmpfloat (stt_hypothesis_get_confidence (ha), ==, stt_hypothesis_get_confidence (hb));
    for (int f = 0; f < STT_N_TEXTS; f++)
      g_assert_cmpstr (stt_hypothesis_get_text (ha, f), ==, stt_hypothesis_get_text (hb, f));
    g_assert_cmpuint (stt_hypothesis_get_n_words (ha), ==, stt_hypothesis_get_n_words (hb));
    for (guint w = 0; w < stt_hypothesis_get_n_words (ha); w++) {
      const SttWord *wa = stt_hypothesis_get_word (ha, w), *wb = stt_hypothesis_get_word (hb, w);
      g_assert_cmpstr (wa->word, ==, wb->word);
      g_assert_cmpint (wa->offset, ==, wb->offset);
      g_assert_cmpint (wa->duration, ==, wb->duration);
      g_assert_cmpfloat (wa->confidence, ==, wb->confidence);
    }
  }
  const char *fa, *fb;
  GBytes *la = stt_result_get_lattice (a, &fa), *lb = stt_result_get_lattice (b, &fb);
  g_assert_cmpstr (fa, ==, fb);
  g_assert_true ((la == NULL) == (lb == NULL));
  if (la)
    g_assert_true (g_bytes_equal (la, lb));
}

static void
test_round_trip (void)
{
  g_autoptr (SttResult) r = make_full_result ();
  gsize len;
  g_autofree char *json = stt_result_to_json (r, &len);
  g_assert_cmpuint (strlen (json), ==, len);
  g_assert_null (strchr (json, '\n'));          /* compact: one result per line */
  GError *err = NULL;
  g_autoptr (SttResult) back = stt_result_from_json (json, len, &err);
  g_assert_no_error (err);
  assert_same_result (r, back);
  g_autofree char *json2 = stt_result_to_json (back, NULL);
  g_assert_cmpstr (json, ==, json2);
}

static void
test_sdk_member_names (void)
{
  g_autoptr (SttResult) r = make_full_result ();
  g_autofree char *json = stt_result_to_json (r, NULL);
  JsonNode *root = json_from_string (json, NULL);
  JsonObject *o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "Type"), ==, "final");
  g_assert_cmpstr (json_object_get_string_member (o, "RecognitionStatus"), ==, "Success");
  g_assert_cmpint (json_object_get_int_member (o, "Offset"), ==, 12345678);
  g_assert_cmpint (json_object_get_int_member (o, "Duration"), ==, 23456789);
  g_assert_cmpstr (json_object_get_string_member (o, "DisplayText"), ==, "$25.");
  JsonObject *best = json_array_get_object_element (json_object_get_array_member (o, "NBest"), 0);
  g_assert_cmpstr (json_object_get_string_member (best, "Lexical"), ==, "twenty five dollars");
  g_assert_cmpstr (json_object_get_string_member (best, "ITN"), ==, "$25");
  g_assert_cmpstr (json_object_get_string_member (best, "MaskedITN"), ==, "$25");
  g_assert_cmpstr (json_object_get_string_member (best, "Display"), ==, "$25.");
  g_assert_cmpfloat (json_object_get_double_member (best, "Confidence"), ==, 0.875);
  JsonObject *w0 = json_array_get_object_element (json_object_get_array_member (best, "Words"), 0);
  g_assert_cmpstr (json_object_get_string_member (w0, "Word"), ==, "twenty");
  g_assert_cmpint (json_object_get_int_member (w0, "Offset"), ==, 12345678);
  JsonObject *w2 = json_array_get_object_element (json_object_get_array_member (best, "Words"), 2);
  g_assert_false (json_object_has_member (w2, "Confidence"));   /* unknown is omitted */
  json_node_unref (root);
}

static void
test_unknown_members_kept (void)
{
  const char *in = "{\"Type\":\"partial\",\"Offset\":5,\"Duration\":7,\"Speaker\":{\"Id\":3},"
      "\"NBest\":[{\"Lexical\":\"hi\",\"Sentiment\":[1,2]}],\"Channel\":1}";
  GError *err = NULL;
  g_autoptr (SttResult) r = stt_result_from_json (in, -1, &err);
  g_assert_no_error (err);
  g_assert_cmpint (r->kind, ==, STT_RESULT_PARTIAL);
  g_assert_cmpint (r->status, ==, STT_STATUS_SUCCESS);  /* default */
  g_assert_cmpint (json_object_get_int_member (stt_result_get_extra (r), "Channel"), ==, 1);
  g_autofree char *out = stt_result_to_json (r, NULL);
  /* kept in their original order (found by the fuzz test) */
  g_assert_true (strstr (out, "\"Speaker\"") < strstr (out, "\"Channel\""));
  JsonNode *root = json_from_string (out, NULL);
  JsonObject *o = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "Speaker"), "Id"),
      ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "Channel"), ==, 1);
  JsonObject *h = json_array_get_object_element (json_object_get_array_member (o, "NBest"), 0);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (h, "Sentiment")), ==, 2);
  json_node_unref (root);

  /* A copy owns its own extras. */
  g_autoptr (SttResult) c = stt_result_copy (r);
  json_object_set_int_member (stt_result_get_extra (c), "Channel", 2);
  g_assert_cmpint (json_object_get_int_member (stt_result_get_extra (r), "Channel"), ==, 1);
}

typedef struct {
  const char *json;
  int code;
  const char *must_mention;
} BadCase;

static void
test_bad_json_rejected (void)
{
  static const BadCase cases[] = {
    {"", STT_RESULT_ERROR_PARSE, "empty input"},
    {"   ", STT_RESULT_ERROR_PARSE, "empty input"},
    {"{\"Type\":\"final\"", STT_RESULT_ERROR_PARSE, "not valid JSON"},
    {"[1,2]", STT_RESULT_ERROR_SCHEMA, "top level must be an object"},
    {"{}", STT_RESULT_ERROR_SCHEMA, "\"Type\""},
    {"{\"Type\":\"maybe\"}", STT_RESULT_ERROR_SCHEMA, "\"Type\""},
    {"{\"Type\":\"final\",\"Offset\":\"12\"}", STT_RESULT_ERROR_SCHEMA, "\"Offset\""},
    {"{\"Type\":\"final\",\"Offset\":-1}", STT_RESULT_ERROR_SCHEMA, "\"Offset\""},
    {"{\"Type\":\"final\",\"Duration\":1.5}", STT_RESULT_ERROR_SCHEMA, "\"Duration\""},
    {"{\"Type\":\"final\",\"RecognitionStatus\":\"Fine\"}", STT_RESULT_ERROR_SCHEMA,
        "\"RecognitionStatus\""},
    {"{\"Type\":\"final\",\"NBest\":{}}", STT_RESULT_ERROR_SCHEMA, "\"NBest\""},
    {"{\"Type\":\"final\",\"NBest\":[3]}", STT_RESULT_ERROR_SCHEMA, "\"NBest[0]\""},
    {"{\"Type\":\"final\",\"NBest\":[{\"Lexical\":5}]}", STT_RESULT_ERROR_SCHEMA,
        "\"NBest[0].Lexical\""},
    {"{\"Type\":\"final\",\"NBest\":[{\"Words\":[{\"Offset\":1}]}]}", STT_RESULT_ERROR_SCHEMA,
        "\"NBest[0].Words[0].Word\""},
    {"{\"Type\":\"final\",\"NBest\":[{},{\"Words\":[{\"Word\":\"a\",\"Duration\":\"x\"}]}]}",
        STT_RESULT_ERROR_SCHEMA, "\"NBest[1].Words[0].Duration\""},
    {"{\"Type\":\"final\",\"Lattice\":{\"Format\":\"x\"}}", STT_RESULT_ERROR_SCHEMA,
        "\"Lattice.Data\""},
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    GError *err = NULL;
    SttResult *r = stt_result_from_json (cases[i].json, -1, &err);
    g_assert_null (r);
    g_assert_error (err, STT_RESULT_ERROR, cases[i].code);
    if (!strstr (err->message, cases[i].must_mention))
      g_error ("case %u (%s): message \"%s\" does not mention %s", i, cases[i].json,
          err->message, cases[i].must_mention);
    g_error_free (err);
  }
}

static void
test_copy_is_deep (void)
{
  g_autoptr (SttResult) r = make_full_result ();
  g_autoptr (SttResult) c = stt_result_copy (r);
  assert_same_result (r, c);
  stt_hypothesis_set_text (stt_result_get_best (c), STT_TEXT_DISPLAY, "changed");
  stt_hypothesis_clear_words (stt_result_get_best (c));
  g_assert_cmpstr (stt_hypothesis_get_text (stt_result_get_best (r), STT_TEXT_DISPLAY), ==, "$25.");
  g_assert_cmpuint (stt_hypothesis_get_n_words (stt_result_get_best (r)), ==, 3);
}

static void
test_display_text_fallback (void)
{
  g_autoptr (SttResult) r = stt_result_new (STT_RESULT_FINAL);
  g_assert_cmpstr (stt_result_get_display_text (r), ==, "");
  SttHypothesis *h = stt_result_add_hypothesis (r);
  stt_hypothesis_set_text (h, STT_TEXT_LEXICAL, "one");
  g_assert_cmpstr (stt_result_get_display_text (r), ==, "one");
  stt_hypothesis_set_text (h, STT_TEXT_ITN, "1");
  g_assert_cmpstr (stt_result_get_display_text (r), ==, "1");
  stt_hypothesis_set_text (h, STT_TEXT_DISPLAY, "1.");
  g_assert_cmpstr (stt_result_get_display_text (r), ==, "1.");
  g_autofree char *joined = stt_hypothesis_join_words (h);
  g_assert_cmpstr (joined, ==, "");
}

static void
test_buffer_and_message (void)
{
  gst_init (NULL, NULL);
  g_autoptr (SttResult) r = make_full_result ();
  GstBuffer *buf = gst_stt_result_to_buffer (r);
  g_assert_cmpuint (GST_BUFFER_PTS (buf), ==, 1234567800);
  g_assert_cmpuint (GST_BUFFER_DURATION (buf), ==, 2345678900);
  GError *err = NULL;
  g_autoptr (SttResult) back = gst_stt_result_from_buffer (buf, &err);
  g_assert_no_error (err);
  assert_same_result (r, back);
  gst_buffer_unref (buf);

  GstMessage *m = gst_stt_result_message_new (NULL, r);
  const GstStructure *s = gst_message_get_structure (m);
  g_assert_true (gst_structure_has_name (s, "stt-result"));
  gboolean final;
  guint64 ts;
  g_assert_true (gst_structure_get_boolean (s, "final", &final) && final);
  g_assert_true (gst_structure_get_uint64 (s, "timestamp", &ts));
  g_assert_cmpuint (ts, ==, 1234567800);
  g_assert_cmpstr (gst_structure_get_string (s, "text"), ==, "$25.");
  SttResult *inmsg = NULL;
  gst_structure_get (s, "result", STT_TYPE_RESULT, &inmsg, NULL);
  g_assert_true (inmsg == r);
  stt_result_unref (inmsg);
  gst_message_unref (m);

  GstEvent *ev = gst_stt_speech_event_new (GST_STT_SPEECH_END, 42);
  GstSttSpeechEventType type;
  gint64 off;
  g_assert_true (gst_stt_speech_event_parse (ev, &type, &off));
  g_assert_cmpint (type, ==, GST_STT_SPEECH_END);
  g_assert_cmpint (off, ==, 42);
  gst_event_unref (ev);
  ev = gst_event_new_eos ();
  g_assert_false (gst_stt_speech_event_parse (ev, NULL, NULL));
  gst_event_unref (ev);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/result/json/round-trip", test_round_trip);
  g_test_add_func ("/result/json/sdk-member-names", test_sdk_member_names);
  g_test_add_func ("/result/json/unknown-members-kept", test_unknown_members_kept);
  g_test_add_func ("/result/json/bad-json-rejected", test_bad_json_rejected);
  g_test_add_func ("/result/copy-is-deep", test_copy_is_deep);
  g_test_add_func ("/result/display-text-fallback", test_display_text_fallback);
  g_test_add_func ("/result/gst/buffer-message-event", test_buffer_and_message);
  return g_test_run ();
}
