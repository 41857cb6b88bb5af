/* gst-stt — add a Sphinx pronunciation dictionary (cmudict / noisedict text) to a graph.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Format (Sphinx dict.c): one "word PHONE..." per line; "##" and ";;" start comments; a line
 * with a single token is skipped; "word(N)" is an alternate pronunciation of "word".
 */
#include "graph-private.h"

#include <string.h>

gboolean
stt_graph_builder_add_sphinx_dict (SttGraphBuilder *b, GBytes *bytes, const char *name,
    const SttMdef *mdef, gboolean fillers, SttGraphWordFilter keep, gpointer keep_data,
    guint *n_added, GError **error)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  if (memchr (data, 0, len) || !g_utf8_validate_len (data, len, NULL)) {
    g_set_error (error, STT_SEARCH_ERROR, STT_SEARCH_ERROR_INPUT,
        "%s: not a UTF-8 text dictionary", name);
    return FALSE;
  }
  char *text = g_strndup (data, len);
  char **lines = g_strsplit (text, "\n", -1);
  g_free (text);
  GArray *phones = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean ok = TRUE;
  guint added = 0;
  for (guint i = 0; lines[i] && ok; i++) {
    char *l = g_strstrip (lines[i]);
    if (!*l || g_str_has_prefix (l, "##") || g_str_has_prefix (l, ";;"))
      continue;
    char **tok = g_strsplit_set (l, " \t", -1);
    guint nt = 0;
    const char *word = NULL;
    g_array_set_size (phones, 0);
    gboolean valid = TRUE;
    for (guint k = 0; tok[k]; k++) {
      if (!*tok[k])
        continue;
      if (nt++ == 0) {
        word = tok[k];
        continue;
      }
      int ci = stt_mdef_ciphone_id (mdef, tok[k]);
      if (ci < 0)
        valid = FALSE;          /* as Sphinx: a word with an unknown phone is skipped */
      guint u = ci;
      g_array_append_val (phones, u);
    }
    if (word && phones->len > 0 && valid && (!keep || keep (word, keep_data))) {
      ok = stt_graph_builder_add_word (b, word, (guint *) phones->data, phones->len, fillers,
          error);
      if (!ok)
        g_prefix_error (error, "%s:%u: ", name, i + 1);
      added++;
    }
    g_strfreev (tok);
  }
  g_array_unref (phones);
  g_strfreev (lines);
  if (n_added)
    *n_added = added;
  return ok;
}
