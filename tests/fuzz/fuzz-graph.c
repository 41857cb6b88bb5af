/* gst-stt — fuzz target: the decoding-graph reader (graphs come with downloaded models) and
 * the graph builder. First byte 0: the rest is parsed as an "stt-graph-1" file; otherwise the
 * rest is a toy dictionary ("word PHONE...", phones SIL A B C) compiled with a toy phone set,
 * which must then parse back with the same number of words.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Seeds: corpus/graph/: a toy dictionary, and (byte 0 +) the graph it compiles to.
 */
#include <stt/search.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *const toy_phones[] = { "SIL", "A", "B", "C" };

static gint
toy_phone_id (gpointer data, guint base, guint left, guint right, SttWordPosition pos)
{
  return base * 64 + left * 16 + right * 4 + pos;     /* every triphone its own HMM */
}

static void
toy_phone_hmm (gpointer data, gint pid, guint senones[3], guint *tmat)
{
  for (guint j = 0; j < 3; j++)
    senones[j] = (pid * 3 + j) % 97;
  *tmat = pid / 64;
}

static GBytes *
toy_graph (const char *text, gsize len, guint *n_words)
{
  static const gboolean filler[4] = { TRUE, FALSE, FALSE, FALSE };
  float tmat[4 * 12];
  for (guint i = 0; i < 4 * 12; i++)
    tmat[i] = (i % 4 == (i / 4) % 3 || i % 4 == (i / 4) % 3 + 1) ? -0.7f : -1e30f;
  SttGraphPhoneSet ps = { 4, 0, filler, 4, tmat, toy_phone_id, toy_phone_hmm, NULL };
  SttGraphBuilder *b = stt_graph_builder_new (&ps);
  char *copy = g_strndup (text, len);
  char **lines = g_strsplit (copy, "\n", -1);
  *n_words = 0;
  for (guint i = 0; lines[i]; i++) {
    char **tok = g_strsplit (lines[i], " ", -1);
    guint ph[32], n = 0;
    for (guint k = 1; tok[0] && tok[k] && n < 32; k++) {
      guint p = G_MAXUINT;
      for (guint q = 0; q < 4; q++)
        if (!strcmp (tok[k], toy_phones[q]))
          p = q;
      ph[n++] = p;
    }
    GError *error = NULL;
    if (tok[0] && *tok[0] && g_utf8_validate (tok[0], -1, NULL)) {
      if (stt_graph_builder_add_word (b, tok[0], ph, n, ph[0] == 0, &error))
        ++*n_words;
      else
        g_assert (error && error->message[0]);
      g_clear_error (&error);
    }
    g_strfreev (tok);
  }
  g_strfreev (lines);
  g_free (copy);
  GError *error = NULL;
  GBytes *out = stt_graph_builder_finish (b, &error);
  g_assert (out || (error && *n_words == 0));
  g_clear_error (&error);
  stt_graph_builder_free (b);
  return out;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  GError *error = NULL;
  if (data[0] == 0) {
    /* copy to an aligned buffer, as a mapping would be */
    GBytes *bytes = g_bytes_new (data + 1, size - 1);
    SttGraph *g = stt_graph_new_from_bytes (bytes, &error);
    if (g) {
      for (guint w = 0; w < stt_graph_get_n_words (g); w++)
        g_assert (stt_graph_get_word (g, w) != NULL);
      stt_graph_unref (g);
    } else {
      g_assert (strstr (error->message, "decoding graph"));
      g_error_free (error);
    }
    g_bytes_unref (bytes);
    return 0;
  }
  guint n_words;
  GBytes *bytes = toy_graph ((const char *) data + 1, size - 1, &n_words);
  if (bytes) {
    SttGraph *g = stt_graph_new_from_bytes (bytes, &error);
    g_assert_no_error (error);
    g_assert (stt_graph_get_n_words (g) <= n_words);
    stt_graph_unref (g);
    g_bytes_unref (bytes);
  }
  return 0;
}
