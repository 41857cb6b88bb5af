/* gst-stt — checking a Sphinx filler dictionary (noisedict) against the phone set.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "am-private.h"

#include <string.h>

gboolean
stt_noisedict_check (GBytes *bytes, const char *name, const SttMdef *mdef, GError **error)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  if (size == 0) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_TRUNCATED,
        "%s: empty file; expected \"WORD PHONE\" lines", name);
    return FALSE;
  }
  if (memchr (data, 0, size) || !g_utf8_validate_len (data, size, NULL)) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_FOREIGN,
        "%s: not a text file (NUL byte or invalid UTF-8); expected \"WORD PHONE\" lines",
        name);
    return FALSE;
  }
  g_autofree char *text = g_strndup (data, size);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int n_words = 0;
  for (int i = 0; lines[i]; i++) {
    g_auto (GStrv) all = g_strsplit_set (g_strstrip (lines[i]), " \t\r", -1);
    const char *tok[64];
    int n = 0;
    for (int k = 0; all[k] && n < 64; k++)
      if (*all[k])
        tok[n++] = all[k];
    if (n == 0 || g_str_has_prefix (tok[0], "##") || g_str_has_prefix (tok[0], ";;"))
      continue;
    if (n < 2) {
      g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
          "%s:%d: \"%s\" has no pronunciation (expected WORD PHONE...)", name, i + 1, tok[0]);
      return FALSE;
    }
    for (int k = 1; k < n; k++)
      if (stt_mdef_ciphone_id (mdef, tok[k]) < 0) {
        g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
            "%s:%d: phone \"%s\" of \"%s\" is not in the model's phone set", name, i + 1,
            tok[k], tok[0]);
        return FALSE;
      }
    if (g_hash_table_contains (seen, tok[0])) {
      g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
          "%s:%d: word \"%s\" appears twice", name, i + 1, tok[0]);
      return FALSE;
    }
    g_hash_table_add (seen, g_strdup (tok[0]));
    n_words++;
  }
  if (n_words == 0) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT, "%s: no words (expected at least "
        "\"<sil> SIL\")", name);
    return FALSE;
  }
  return TRUE;
}
