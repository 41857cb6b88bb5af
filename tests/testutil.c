/* gst-stt — helpers shared by the tests.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "testutil.h"

static char *
under (const char *env, const char *fallback, const char *relative)
{
  const char *root = g_getenv (env);
  char *path = g_build_filename (root && *root ? root : fallback, relative, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_error ("test file missing: %s (set %s to the folder that holds it)", path, env);
  return path;
}

char *
stt_test_data_path (const char *relative)
{
  return under ("STT_TEST_DATA", STT_TEST_DATA_DEFAULT, relative);
}

char *
stt_test_source_path (const char *relative)
{
  return under ("STT_SOURCE_ROOT", ".", relative);
}

SttResult *
stt_test_result_new (const char *lexical, gint64 offset_ticks)
{
  SttResult *r = stt_result_new (STT_RESULT_FINAL);
  SttHypothesis *h = stt_result_add_hypothesis (r);
  char **words = g_strsplit (lexical, " ", -1);
  gint64 t = offset_ticks, word = 3000000;
  for (char **w = words; *w; w++) {
    if (!**w)
      continue;
    stt_hypothesis_add_word (h, *w, t, word, 0.9);
    t += word;
  }
  g_strfreev (words);
  stt_hypothesis_set_text (h, STT_TEXT_LEXICAL, lexical);
  stt_hypothesis_set_confidence (h, 0.9);
  r->offset = offset_ticks;
  r->duration = t - offset_ticks;
  return r;
}
