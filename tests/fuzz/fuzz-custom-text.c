/* gst-stt — fuzz target: what `stt-model custom` reads from users, the domain text and the
 * pronunciation file (tools/model/custom-text.c). The first byte picks which one (odd: the
 * pronunciation file, as the seed pron.txt starting with "1"; even: the text, "0").
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "custom.h"

#include <stdint.h>
#include <string.h>
#include <stt/model.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const SttLexicon *
lexicon (void)
{
  static SttLexicon *lex;
  if (!lex) {
    /* the default model's lexicon (STT_MODEL_PATH of the test environment) */
    SttModel *m = stt_model_cache_lookup (STT_DEFAULT_MODEL_ID, NULL);
    g_assert (m != NULL);
    lex = stt_lexicon_new_from_model (m, "lm/lexicon.bin", NULL);
    g_assert (lex != NULL);
  }
  return lex;
}

static void
check_text (const char *text, gsize len)
{
  SttCustomText t;
  GError *err = NULL;
  gboolean ok = stt_custom_text_parse (&t, text, len, "fuzz.txt", &err);
  if (!ok) {
    g_assert (err != NULL && err->message[0]);
    g_error_free (err);
  } else {
    /* sentences: valid UTF-8, one per line, words without blanks or digits */
    g_assert (t.n_words > 0 && t.n_sentences > 0);
    g_assert (g_utf8_validate (t.sentences->str, (gssize) t.sentences->len, NULL));
    guint words = 0, lines = 0;
    g_auto (GStrv) sentences = g_strsplit (t.sentences->str, "\n", -1);
    for (guint i = 0; sentences[i]; i++) {
      if (!sentences[i][0])
        continue;
      lines++;
      g_auto (GStrv) w = g_strsplit (sentences[i], " ", -1);
      for (guint j = 0; w[j]; j++) {
        g_assert (w[j][0] && w[j][0] != '\'' && !strpbrk (w[j], "0123456789\t\r"));
        g_assert (g_hash_table_contains (t.counts, w[j]));
        words++;
      }
    }
    g_assert_cmpuint (words, ==, t.n_words);
    g_assert_cmpuint (lines, ==, t.n_sentences);
  }
  stt_custom_text_clear (&t);
}

static void
check_pron (const char *text, gsize len)
{
  static const char *const fillers[] = { "SIL", "+NSN+", "+SPN+", NULL };
  const SttLexicon *lex = lexicon ();
  GError *err = NULL;
  GPtrArray *prons = stt_custom_pron_parse (text, len, "fuzz.pron", lex, fillers, &err);
  if (!prons) {
    g_assert (err != NULL && err->message[0]);
    g_error_free (err);
    return;
  }
  for (guint i = 0; i < prons->len; i++) {
    SttCustomPron *p = g_ptr_array_index (prons, i);
    g_assert (p->word[0] && p->phones[0]);
    for (guint k = 0; p->phones[k]; k++)
      g_assert (stt_lexicon_lookup_phone (lex, p->phones[k]) >= 0
          && !g_strv_contains (fillers, p->phones[k]));
  }
  g_ptr_array_unref (prons);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  if (data[0] & 1)
    check_pron ((const char *) data + 1, size - 1);
  else
    check_text ((const char *) data + 1, size - 1);
  return 0;
}
