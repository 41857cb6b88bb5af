/* gst-stt — `stt-model custom`: the domain text normalised for LM training, and --pron files.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Normalisation follows the base LM's vocabulary (cmudict words, lowercase) and the dev set's
 * transcripts: lowercase; curly apostrophes become '; letters, digits and apostrophes inside a
 * word are kept, every other character separates words (so hyphens split words); apostrophes
 * at a word's edges are dropped; a sentence ends at a line end and after '.', '!', '?', ';'
 * or ':' that closes a word (not after "mr." and the like or a single letter). Words with
 * digits are not verbalised: they are left out, counted and reported, and the sentence is cut
 * there so no n-gram spans the gap.
 */
#include "custom.h"

#include <stt/model.h>
#include <string.h>

static const char *const abbreviations[] = {
  "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc", "no", "mt", "gen", "col", "capt",
  "lt", "sgt", "gov", "sen", "rep", "prof", "rev", "hon", NULL
};

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '\'' || c == 0x2019 || c == 0x2018;
}

static void
end_sentence (SttCustomText *t, guint *in_sentence)
{
  if (*in_sentence) {
    g_string_append_c (t->sentences, '\n');
    t->n_sentences++;
  }
  *in_sentence = 0;
}

/* One raw token (letters, digits, apostrophes), @end_mark: a sentence mark follows it. */
static void
add_token (SttCustomText *t, const char *tok, gsize len, gboolean end_mark, guint *in_sentence)
{
  g_autofree char *lower = g_utf8_strdown (tok, (gssize) len);
  /* curly apostrophes -> ' (both are 3 bytes in UTF-8 vs 1: rebuild) */
  GString *w = g_string_new (NULL);
  gboolean digits = FALSE;
  for (const char *p = lower; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    if (c == 0x2019 || c == 0x2018)
      c = '\'';
    digits |= g_unichar_isdigit (c);
    g_string_append_unichar (w, c);
  }
  /* apostrophes at the edges are quotes or plural possessives */
  gsize a = 0, b = w->len;
  while (a < b && w->str[a] == '\'')
    a++;
  while (b > a && w->str[b - 1] == '\'')
    b--;
  if (digits) {
    if (t->number_examples->len < 5)
      g_ptr_array_add (t->number_examples, g_strndup (w->str + a, b - a));
    t->n_number_tokens++;
    end_sentence (t, in_sentence);
  } else if (b > a) {
    char *word = g_strndup (w->str + a, b - a);
    if (*in_sentence)
      g_string_append_c (t->sentences, ' ');
    g_string_append (t->sentences, word);
    (*in_sentence)++;
    t->n_words++;
    guint n = GPOINTER_TO_UINT (g_hash_table_lookup (t->counts, word));
    g_hash_table_replace (t->counts, word, GUINT_TO_POINTER (n + 1));
    if (end_mark && g_utf8_strlen (word, -1) > 1
        && !g_strv_contains (abbreviations, word))
      end_sentence (t, in_sentence);
  }
  g_string_free (w, TRUE);
}

gboolean
stt_custom_text_parse (SttCustomText *t, const char *text, gsize len, const char *path,
    GError **error)
{
  memset (t, 0, sizeof *t);
  t->sentences = g_string_new (NULL);
  t->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  t->number_examples = g_ptr_array_new_with_free_func (g_free);
  const char *bad;
  if (!g_utf8_validate (text, (gssize) len, &bad)) {
    guint line = 1;
    for (const char *p = text; p < bad; p++)
      line += *p == '\n';
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_FORMAT, "%s: byte %" G_GSIZE_FORMAT
        " (line %u) is not UTF-8 (or is a NUL byte); save the text as UTF-8", path,
        (gsize) (bad - text), line);
    return FALSE;
  }
  const char *end = text + len, *p = text;
  guint in_sentence = 0;
  while (p < end) {
    gunichar c = g_utf8_get_char (p);
    if (!is_word_char (c)) {
      if (c == '\n')
        end_sentence (t, &in_sentence);
      p = g_utf8_next_char (p);
      continue;
    }
    const char *s = p;
    while (p < end && is_word_char (g_utf8_get_char (p)))
      p = g_utf8_next_char (p);
    gunichar next = p < end ? g_utf8_get_char (p) : 0;
    const char *after = p < end ? g_utf8_next_char (p) : end;
    gunichar next2 = after < end ? g_utf8_get_char (after) : ' ';
    gboolean mark = next && strchr (".!?;:", (int) next)
        && (g_unichar_isspace (next2) || !g_unichar_isalnum (next2));
    add_token (t, s, (gsize) (p - s), mark, &in_sentence);
  }
  end_sentence (t, &in_sentence);
  if (t->n_words == 0) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_FORMAT, "%s has no words%s; give a "
        "text of sentences from your domain (one or more per line)", path,
        t->n_number_tokens ? " (only numbers, which are left out: write them as words)" : "");
    return FALSE;
  }
  return TRUE;
}

void
stt_custom_text_clear (SttCustomText *t)
{
  if (t->sentences)
    g_string_free (t->sentences, TRUE);
  g_clear_pointer (&t->counts, g_hash_table_unref);
  g_clear_pointer (&t->number_examples, g_ptr_array_unref);
}

/* ---- pronunciation files ------------------------------------------------------------------- */
void
stt_custom_pron_free (SttCustomPron *p)
{
  g_free (p->word);
  g_strfreev (p->phones);
  g_free (p);
}

static char *
valid_phones (const SttLexicon *lex, const char *const *filler_phones)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < stt_lexicon_get_n_phones (lex); i++) {
    const char *ph = stt_lexicon_get_phone (lex, i);
    if (!g_strv_contains (filler_phones, ph))
      g_string_append_printf (s, "%s%s", s->len ? " " : "", ph);
  }
  return g_string_free (s, FALSE);
}

/* One line's phones, normalised (upper case, stress digits dropped), or NULL with an error. */
static char **
line_phones (char **tokens, const SttLexicon *lex, const char *const *filler_phones,
    const char *path, guint line, GError **error)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 1; tokens[i]; i++) {
    char *ph = g_ascii_strup (tokens[i], -1);
    gsize n = strlen (ph);
    if (n > 1 && ph[n - 1] >= '0' && ph[n - 1] <= '2')
      ph[n - 1] = '\0';
    if (stt_lexicon_lookup_phone (lex, ph) < 0 || g_strv_contains (filler_phones, ph)) {
      g_autofree char *valid = valid_phones (lex, filler_phones);
      g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_FORMAT, "%s:%u: unknown phone "
          "\"%s\" in the pronunciation of \"%s\"; the base model's phones are: %s (stress "
          "digits 0-2 may follow)", path, line, tokens[i], tokens[0], valid);
      g_free (ph);
      g_ptr_array_unref (out);
      return NULL;
    }
    g_ptr_array_add (out, ph);
  }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

GPtrArray *
stt_custom_pron_read (const char *path, const SttLexicon *lex,
    const char *const *filler_phones, GError **error)
{
  g_autofree char *text = NULL;
  gsize len;
  if (!g_file_get_contents (path, &text, &len, error)) {
    g_prefix_error (error, "cannot read the pronunciation file: ");
    return NULL;
  }
  return stt_custom_pron_parse (text, len, path, lex, filler_phones, error);
}

GPtrArray *
stt_custom_pron_parse (const char *text, gsize len, const char *path, const SttLexicon *lex,
    const char *const *filler_phones, GError **error)
{
  const char *bad;
  if (!g_utf8_validate (text, (gssize) len, &bad)) {
    g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_FORMAT, "%s: byte %" G_GSIZE_FORMAT
        " is not UTF-8 (or is a NUL byte); save the file as UTF-8", path, (gsize) (bad - text));
    return NULL;
  }
  GPtrArray *prons = g_ptr_array_new_with_free_func ((GDestroyNotify) stt_custom_pron_free);
  g_autofree char *copy = g_strndup (text, len);   /* validated: no NUL inside */
  g_auto (GStrv) lines = g_strsplit (copy, "\n", -1);
  for (guint i = 0; lines[i]; i++) {
    g_strstrip (lines[i]);
    if (!lines[i][0] || lines[i][0] == '#' || g_str_has_prefix (lines[i], ";;"))
      continue;
    g_auto (GStrv) tokens = g_regex_split_simple ("[ \\t]+", lines[i], 0, 0);
    char *word = g_utf8_strdown (tokens[0], -1);
    char *paren = strchr (word, '(');
    if (paren && paren != word && g_str_has_suffix (paren, ")"))
      *paren = '\0';   /* "word(2)": alternates are numbered by the tool */
    const char *why = !tokens[1] ? "a word but no phones"
        : strpbrk (word, "()") ? "parentheses in the word" : NULL;
    if (why) {
      g_set_error (error, STT_MODEL_ERROR, STT_MODEL_ERROR_FORMAT, "%s:%u: %s (\"%s\"); each "
          "line is a word and its phones, e.g. \"oswald AA1 Z W AO0 L D\"", path, i + 1, why,
          lines[i]);
      g_free (word);
      g_ptr_array_unref (prons);
      return NULL;
    }
    SttCustomPron *p = g_new0 (SttCustomPron, 1);
    p->word = word;
    p->line = i + 1;
    p->phones = line_phones (tokens, lex, filler_phones, path, i + 1, error);
    g_ptr_array_add (prons, p);
    if (!p->phones) {
      g_ptr_array_unref (prons);
      return NULL;
    }
  }
  return prons;
}
