/* gst-stt — reader of Sphinx pronunciation dictionaries (cmudict-en-us.dict + noisedict).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Rules: /work/shared/spec/sphinx-model-formats.md §6, summarised in stt/lexicon.h.
 */
#include "lexicon-private.h"

#include <string.h>

typedef struct {
  SttLexiconBuilder *b;
  GHashTable *word_ids;     /* word -> id + 1 (keys owned by b->words) */
  GHashTable *phone_ids;    /* phone -> id + 1 (keys owned by b->phones) */
  gboolean open_phone_set;  /* no set given: phones are added as met */
  GArray *line_phones;      /* guint16, scratch */
} Reader;

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static guint32
add_word (Reader *r, char *word, guint32 base, guint8 flags, const guint16 *phones, guint n)
{
  SttLexiconBuilder *b = r->b;
  guint32 id = b->words->len;
  if (base == G_MAXUINT32)
    base = id;
  g_ptr_array_add (b->words, word);
  g_hash_table_insert (r->word_ids, word, GUINT_TO_POINTER (id + 1));
  g_array_append_val (b->base, base);
  g_array_append_val (b->flags, flags);
  g_array_append_vals (b->pron, phones, n);
  guint32 end = b->pron->len;
  g_array_append_val (b->pron_next, end);
  return id;
}

static gint
phone_id (Reader *r, const char *name, gsize len)
{
  char *key = g_strndup (name, len);
  gpointer v = g_hash_table_lookup (r->phone_ids, key);
  if (v || !r->open_phone_set || r->b->phones->len >= G_MAXUINT16) {
    g_free (key);
    return v ? (gint) GPOINTER_TO_UINT (v) - 1 : -1;
  }
  g_ptr_array_add (r->b->phones, key);
  g_hash_table_insert (r->phone_ids, key, GUINT_TO_POINTER (r->b->phones->len));
  return (gint) r->b->phones->len - 1;
}

/* The base of "word(N)": "word", when the word ends with ')' and '(' is not its first char. */
static char *
base_form (const char *word)
{
  gsize len = strlen (word);
  if (len < 3 || word[len - 1] != ')')
    return NULL;
  const char *open = strrchr (word, '(');
  if (!open || open == word)
    return NULL;
  return g_strndup (word, (gsize) (open - word));
}

/* One dictionary line [p, end); FALSE only for a hard error. */
static gboolean
read_line (Reader *r, const char *p, const char *end, gboolean fillers, const char *path,
    guint line, GError **error)
{
  SttLexiconStats *st = &r->b->stats;
  while (p < end && is_space (*p))
    p++;
  if (p == end || (end - p >= 2 && (memcmp (p, "##", 2) == 0 || memcmp (p, ";;", 2) == 0)))
    return TRUE;
  const char *w = p;
  while (p < end && !is_space (*p))
    p++;
  gsize wlen = (gsize) (p - w);
  g_array_set_size (r->line_phones, 0);
  gboolean bad_phone = FALSE;
  for (;;) {
    while (p < end && is_space (*p))
      p++;
    if (p == end)
      break;
    const char *ph = p;
    while (p < end && !is_space (*p))
      p++;
    gint id = phone_id (r, ph, (gsize) (p - ph));
    if (id < 0)
      bad_phone = TRUE;
    guint16 id16 = (guint16) MAX (id, 0);
    g_array_append_val (r->line_phones, id16);
  }
  if (r->line_phones->len == 0 || !g_utf8_validate (w, (gssize) wlen, NULL)
      || memchr (w, '\0', wlen)) {
    st->skipped_malformed++;
    return TRUE;
  }
  char *word = g_strndup (w, wlen);
  if (!fillers && (strcmp (word, "<s>") == 0 || strcmp (word, "</s>") == 0
          || strcmp (word, "<sil>") == 0)) {
    g_set_error (error, STT_LEXICON_ERROR, STT_LEXICON_ERROR_FORMAT, "%s: line %u: %s belongs "
        "in the filler dictionary (noisedict), not the main dictionary; remove the line", path,
        line, word);
    g_free (word);
    return FALSE;
  }
  if (bad_phone || g_hash_table_contains (r->word_ids, word)) {
    if (bad_phone)
      st->skipped_phones++;
    else
      st->skipped_duplicates++;
    g_free (word);
    return TRUE;
  }
  guint32 base = G_MAXUINT32;
  char *bf = base_form (word);
  if (bf) {
    guint id = GPOINTER_TO_UINT (g_hash_table_lookup (r->word_ids, bf));
    g_free (bf);
    if (id == 0) {
      st->skipped_orphans++;
      g_free (word);
      return TRUE;
    }
    base = g_array_index (r->b->base, guint32, id - 1);
    if (!fillers)
      st->n_alternates++;
  }
  gboolean filler = fillers && strcmp (word, "<s>") != 0 && strcmp (word, "</s>") != 0;
  add_word (r, word, base, filler ? STT_LEXICON_FILLER : 0,
      (const guint16 *) r->line_phones->data, r->line_phones->len);
  return TRUE;
}

static gboolean
read_text (Reader *r, const char *p, gsize len, const char *name, gboolean fillers,
    GError **error)
{
  const char *end = p + len;
  gboolean ok = TRUE;
  for (guint line = 1; p && p < end && ok; line++) {
    const char *nl = memchr (p, '\n', (gsize) (end - p));
    const char *e = nl ? nl : end;
    ok = read_line (r, p, e, fillers, name, line, error);
    p = nl ? nl + 1 : end;
  }
  return ok;
}

static GMappedFile *
map_file (const char *path, GError **error)
{
  GError *err = NULL;
  GMappedFile *map = g_mapped_file_new (path, FALSE, &err);
  if (!map) {
    g_set_error (error, STT_LEXICON_ERROR, STT_LEXICON_ERROR_IO, "cannot read the dictionary "
        "%s: %s", path, err->message);
    g_error_free (err);
  }
  return map;
}

SttLexicon *
stt_lexicon_load_sphinx (const char *dict_path, const char *filler_path,
    const char *const *phones, GError **error)
{
  GMappedFile *dict = map_file (dict_path, error);
  GMappedFile *fill = dict && filler_path ? map_file (filler_path, error) : NULL;
  SttLexicon *lex = NULL;
  if (dict && (fill || !filler_path))
    lex = stt_lexicon_parse_sphinx (g_mapped_file_get_contents (dict),
        g_mapped_file_get_length (dict), dict_path,
        fill ? g_mapped_file_get_contents (fill) : NULL,
        fill ? g_mapped_file_get_length (fill) : 0, filler_path, phones, error);
  if (dict)
    g_mapped_file_unref (dict);
  if (fill)
    g_mapped_file_unref (fill);
  return lex;
}

SttLexicon *
stt_lexicon_parse_sphinx (const char *dict, gsize dict_len, const char *dict_path,
    const char *fill, gsize fill_len, const char *filler_path, const char *const *phones,
    GError **error)
{
  Reader r = { stt_lexicon_builder_new () };
  r.word_ids = g_hash_table_new (g_str_hash, g_str_equal);
  r.phone_ids = g_hash_table_new (g_str_hash, g_str_equal);
  r.line_phones = g_array_new (FALSE, FALSE, sizeof (guint16));
  r.open_phone_set = phones == NULL;
  SttLexicon *lex = NULL;
  GBytes *bytes = NULL;
  for (guint i = 0; phones && phones[i]; i++) {
    if (g_hash_table_contains (r.phone_ids, phones[i]) || i >= G_MAXUINT16) {
      g_set_error (error, STT_LEXICON_ERROR, STT_LEXICON_ERROR_FORMAT, "the phone set names "
          "\"%s\" twice (or has more than 65535 phones)", phones[i]);
      goto out;
    }
    g_ptr_array_add (r.b->phones, g_strdup (phones[i]));
    g_hash_table_insert (r.phone_ids, g_ptr_array_index (r.b->phones, i),
        GUINT_TO_POINTER (i + 1));
  }
  if (!read_text (&r, dict, dict_len, dict_path, FALSE, error))
    goto out;
  r.b->stats.n_main = r.b->words->len;
  if (fill && !read_text (&r, fill, fill_len, filler_path, TRUE, error))
    goto out;
  static const char *const required[] = { "<s>", "</s>", "<sil>" };
  for (guint i = 0; i < G_N_ELEMENTS (required); i++) {
    if (g_hash_table_contains (r.word_ids, required[i]))
      continue;
    gint sil = phone_id (&r, "SIL", 3);
    if (sil < 0) {
      g_set_error (error, STT_LEXICON_ERROR, STT_LEXICON_ERROR_FORMAT, "%s: %s is missing and "
          "cannot be added: the phone set has no SIL", filler_path ? filler_path : dict_path,
          required[i]);
      goto out;
    }
    guint16 s16 = (guint16) sil;
    add_word (&r, g_strdup (required[i]), G_MAXUINT32, i == 2 ? STT_LEXICON_FILLER : 0, &s16, 1);
  }
  r.b->stats.n_words = r.b->words->len;
  for (guint i = 0; i < r.b->flags->len; i++)
    r.b->stats.n_fillers += g_array_index (r.b->flags, guint8, i) & STT_LEXICON_FILLER;
  bytes = stt_lexicon_builder_to_bytes (r.b, dict_path, error);
  if (bytes)
    lex = stt_lexicon_new_from_bytes (bytes, dict_path, error);
out:
  if (bytes)
    g_bytes_unref (bytes);
  g_hash_table_unref (r.word_ids);
  g_hash_table_unref (r.phone_ids);
  g_array_unref (r.line_phones);
  stt_lexicon_builder_free (r.b);
  return lex;
}
