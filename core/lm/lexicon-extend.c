/* gst-stt — a lexicon made of a base lexicon plus new entries (custom models).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "lexicon-private.h"

#include <string.h>

/* Whether entry @id of @b is pronounced exactly @ids[0..n-1]. */
static gboolean
same_pron (const SttLexiconBuilder *b, guint32 id, const guint16 *ids, guint n)
{
  guint32 start = g_array_index (b->pron_next, guint32, id);
  guint np = g_array_index (b->pron_next, guint32, id + 1) - start;
  return np == n && memcmp (&g_array_index (b->pron, guint16, start), ids, n * 2) == 0;
}

/* Whether @word or one of its alternates "word(N)" in @b is pronounced @ids[0..n-1]. */
static gboolean
has_pron (const SttLexiconBuilder *b, GHashTable *ids, const char *word, const guint16 *p,
    guint n)
{
  for (guint k = 1;; k++) {
    g_autofree char *name = k == 1 ? g_strdup (word) : g_strdup_printf ("%s(%u)", word, k);
    guint id = GPOINTER_TO_UINT (g_hash_table_lookup (ids, name));
    if (!id)
      return FALSE;
    if (same_pron (b, id - 1, p, n))
      return TRUE;
  }
}

/* The first free alternate name "word(N)" of @word, N >= 2. */
static char *
alternate_name (GHashTable *ids, const char *word)
{
  for (guint k = 2;; k++) {
    char *name = g_strdup_printf ("%s(%u)", word, k);
    if (!g_hash_table_contains (ids, name))
      return name;
    g_free (name);
  }
}

static void
append (SttLexiconBuilder *b, GHashTable *ids, char *word, guint32 base, guint8 flags,
    const guint16 *phones, guint n)
{
  guint32 id = b->words->len;
  g_ptr_array_add (b->words, word);
  g_hash_table_insert (ids, word, GUINT_TO_POINTER (id + 1));
  if (base == G_MAXUINT32)
    base = id;
  g_array_append_val (b->base, base);
  g_array_append_val (b->flags, flags);
  g_array_append_vals (b->pron, phones, n);
  guint32 end = b->pron->len;
  g_array_append_val (b->pron_next, end);
}

/* Phone ids of @entry in @base's phone set, or FALSE naming the unknown phone. */
static gboolean
entry_phones (const SttLexicon *base, const SttLexiconEntry *entry, GArray *out,
    GError **error)
{
  g_array_set_size (out, 0);
  for (guint i = 0; entry->phones && entry->phones[i]; i++) {
    gint p = stt_lexicon_lookup_phone (base, entry->phones[i]);
    if (p < 0) {
      g_set_error (error, STT_LEXICON_ERROR, STT_LEXICON_ERROR_FORMAT, "the pronunciation of "
          "\"%s\" uses the phone \"%s\", which the lexicon's phone set does not have",
          entry->word, entry->phones[i]);
      return FALSE;
    }
    guint16 p16 = (guint16) p;
    g_array_append_val (out, p16);
  }
  if (out->len == 0)
    g_set_error (error, STT_LEXICON_ERROR, STT_LEXICON_ERROR_FORMAT, "\"%s\" has an empty "
        "pronunciation", entry->word);
  return out->len > 0;
}

SttLexicon *
stt_lexicon_new_extended (const SttLexicon *base, const SttLexiconEntry *entries, guint n,
    guint *n_added, GError **error)
{
  SttLexiconBuilder *b = stt_lexicon_builder_new ();
  GHashTable *ids = g_hash_table_new (g_str_hash, g_str_equal);
  GArray *phones = g_array_new (FALSE, FALSE, sizeof (guint16));
  SttLexicon *lex = NULL;
  guint added = 0;
  for (guint p = 0; p < stt_lexicon_get_n_phones (base); p++)
    g_ptr_array_add (b->phones, g_strdup (stt_lexicon_get_phone (base, p)));
  guint nb = stt_lexicon_get_n_words (base);
  for (guint32 w = 0; w < nb; w++) {
    guint np;
    const guint16 *pron = stt_lexicon_get_pron (base, w, &np);
    append (b, ids, g_strdup (stt_lexicon_get_word (base, w)), stt_lexicon_get_base (base, w),
        stt_lexicon_is_filler (base, w) ? STT_LEXICON_FILLER : 0, pron, np);
  }
  stt_lexicon_get_stats (base, &b->stats);
  for (guint i = 0; i < n; i++) {
    const SttLexiconEntry *e = &entries[i];
    if (!e->word || !*e->word || strpbrk (e->word, " \t\r\n()")
        || !g_utf8_validate (e->word, -1, NULL)) {
      g_set_error (error, STT_LEXICON_ERROR, STT_LEXICON_ERROR_FORMAT, "\"%s\" cannot be a "
          "lexicon word (empty, not UTF-8, or has blanks or parentheses)",
          e->word ? e->word : "");
      goto out;
    }
    if (!entry_phones (base, e, phones, error))
      goto out;
    guint id = GPOINTER_TO_UINT (g_hash_table_lookup (ids, e->word));
    if (id && stt_lexicon_is_filler (base, id - 1)) {
      g_set_error (error, STT_LEXICON_ERROR, STT_LEXICON_ERROR_FORMAT, "\"%s\" is a filler "
          "word of the lexicon; it cannot get a pronunciation", e->word);
      goto out;
    }
    /* Known word: a new pronunciation becomes an alternate; one it already has is skipped. */
    if (id && has_pron (b, ids, e->word, (const guint16 *) phones->data, phones->len))
      continue;
    guint32 base_id = id ? g_array_index (b->base, guint32, id - 1) : G_MAXUINT32;
    append (b, ids, id ? alternate_name (ids, e->word) : g_strdup (e->word), base_id, 0,
        (const guint16 *) phones->data, phones->len);
    b->stats.n_main++;
    b->stats.n_alternates += id != 0;
    added++;
  }
  b->stats.n_words = b->words->len;
  GBytes *bytes = stt_lexicon_builder_to_bytes (b, "extended lexicon", error);
  if (bytes) {
    lex = stt_lexicon_new_from_bytes (bytes, "extended lexicon", error);
    g_bytes_unref (bytes);
  }
  if (n_added)
    *n_added = added;
out:
  g_array_unref (phones);
  g_hash_table_unref (ids);
  stt_lexicon_builder_free (b);
  return lex;
}
