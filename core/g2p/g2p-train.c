/* gst-stt — letter-to-sound training from a Sphinx dictionary: entries, alphabet, the file.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "g2p-private.h"

#include <stt/lexicon.h>
#include <string.h>

#define G2P_DEFAULT_ORDER 7
#define G2P_EM_ITERATIONS 15
#define G2P_CUTOFF 1

/* The dictionary through the lexicon reader (same parsing rules as the recognizer's), with
 * lexicon errors moved into the g2p domain. The reader adds <s> with phone SIL, so SIL joins
 * a phone set that lacks it; *@sil is then its id (entries using it are skipped), else -1. */
static SttLexicon *
read_dictionary (const char *dict_path, const char *const *phones, gint *sil, GError **error)
{
  GError *err = NULL;
  g_autofree const char **with_sil = NULL;
  *sil = -1;
  if (phones && !g_strv_contains (phones, "SIL")) {
    guint n = g_strv_length ((char **) phones);
    with_sil = g_new0 (const char *, n + 2);
    memcpy (with_sil, phones, n * sizeof (char *));
    with_sil[n] = "SIL";
    *sil = (gint) n;
  }
  SttLexicon *lex = stt_lexicon_load_sphinx (dict_path, NULL, with_sil ? with_sil : phones,
      &err);
  if (!lex) {
    g_set_error_literal (error, STT_G2P_ERROR, err->code == STT_LEXICON_ERROR_IO
        ? STT_G2P_ERROR_IO : STT_G2P_ERROR_FORMAT, err->message);
    g_error_free (err);
  }
  return lex;
}

/* The base word of entry @id, lowercased. */
static char *
base_word (const SttLexicon *lex, guint32 id)
{
  return g_utf8_strdown (stt_lexicon_get_word (lex, stt_lexicon_get_base (lex, id)), -1);
}

static gboolean
held_out (const char *low, guint every)
{
  return every > 0 && stt_g2p_word_hash (low) % every == 0;
}

static gboolean
uses_phone (const guint16 *ph, guint n, guint phone)
{
  for (guint i = 0; i < n; i++)
    if (ph[i] == phone)
      return TRUE;
  return FALSE;
}

static int
cmp_unichar (gconstpointer a, gconstpointer b)
{
  gunichar x = *(const gunichar *) a, y = *(const gunichar *) b;
  return x < y ? -1 : x > y;
}

/* Training entries of @lex (all but the held-out words and words too long); the alphabet
 * is every letter they use. */
static GArray *
collect_entries (const SttLexicon *lex, guint n_main, guint every, gint sil, GArray *alphabet,
    guint *n_held, guint *n_sil)
{
  GArray *entries = g_array_new (FALSE, TRUE, sizeof (SttG2pEntry));
  GHashTable *letters = g_hash_table_new (NULL, NULL);
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  *n_held = *n_sil = 0;
  for (guint32 id = 0; id < n_main; id++) {
    char *low = base_word (lex, id);
    if (held_out (low, every) || g_utf8_strlen (low, -1) > STT_G2P_MAX_LETTERS) {
      *n_held += held_out (low, every) && stt_lexicon_get_base (lex, id) == id;
      g_free (low);
      continue;
    }
    SttG2pEntry e = { 0 };
    const guint16 *ph = stt_lexicon_get_pron (lex, id, &e.n_phones);
    if (sil >= 0 && uses_phone (ph, e.n_phones, (guint) sil)) {
      (*n_sil)++;
      g_free (low);
      continue;
    }
    e.phones = g_memdup2 (ph, e.n_phones * sizeof (guint16));
    for (const char *p = low; *p; p = g_utf8_next_char (p))
      g_hash_table_add (letters, GUINT_TO_POINTER (g_utf8_get_char (p)));
    g_array_append_val (entries, e);
    g_ptr_array_add (words, low);
  }
  GList *keys = g_hash_table_get_keys (letters);
  for (GList *l = keys; l; l = l->next) {
    gunichar c = GPOINTER_TO_UINT (l->data);
    g_array_append_val (alphabet, c);
  }
  g_list_free (keys);
  g_array_sort (alphabet, cmp_unichar);
  for (guint k = 0; k < entries->len; k++) {
    SttG2pEntry *e = &g_array_index (entries, SttG2pEntry, k);
    const char *low = words->pdata[k];
    e->letters = g_new (guint16, strlen (low));
    for (const char *p = low; *p; p = g_utf8_next_char (p)) {
      gunichar c = g_utf8_get_char (p);
      gunichar *hit = bsearch (&c, alphabet->data, alphabet->len, sizeof c, cmp_unichar);
      e->letters[e->n_letters++] = (guint16) (hit - (gunichar *) alphabet->data);
    }
  }
  g_hash_table_unref (letters);
  g_ptr_array_unref (words);
  return entries;
}

static void
free_entries (GArray *entries)
{
  for (guint k = 0; k < entries->len; k++) {
    g_free (g_array_index (entries, SttG2pEntry, k).letters);
    g_free (g_array_index (entries, SttG2pEntry, k).phones);
  }
  g_array_unref (entries);
}

/* Renumber the phones of @entries to those they use, in lexicon order; their names. */
static const char **
compact_phones (const SttLexicon *lex, GArray *entries, guint *n_phones)
{
  guint n = stt_lexicon_get_n_phones (lex);
  guint16 *map = g_new (guint16, MAX (n, 1));
  memset (map, 0xff, n * sizeof (guint16));
  for (guint k = 0; k < entries->len; k++) {
    const SttG2pEntry *e = &g_array_index (entries, SttG2pEntry, k);
    for (guint i = 0; i < e->n_phones; i++)
      map[e->phones[i]] = 0;
  }
  const char **names = g_new0 (const char *, n + 1);
  *n_phones = 0;
  for (guint p = 0; p < n; p++)
    if (map[p] == 0) {
      names[*n_phones] = stt_lexicon_get_phone (lex, p);
      map[p] = (guint16) (*n_phones)++;
    }
  for (guint k = 0; k < entries->len; k++) {
    SttG2pEntry *e = &g_array_index (entries, SttG2pEntry, k);
    for (guint i = 0; i < e->n_phones; i++)
      e->phones[i] = map[e->phones[i]];
  }
  g_free (map);
  return names;
}

static GBytes *
build (const SttLexicon *lex, GArray *entries, const GArray *alphabet, guint order,
    guint every, const char *dict_path, GError **error)
{
  guint n_phones, n_graphones = 0, n_skipped = 0;
  g_autofree const char **names = compact_phones (lex, entries, &n_phones);
  GPtrArray *seqs = g_ptr_array_new_with_free_func (g_free);
  SttG2pGraphone *gr = stt_g2p_align ((const SttG2pEntry *) entries->data, entries->len,
      alphabet->len, n_phones, G2P_EM_ITERATIONS, seqs, &n_graphones, &n_skipped, error);
  if (!gr) {
    g_ptr_array_unref (seqs);
    g_prefix_error (error, "%s: ", dict_path);
    return NULL;
  }
  if (n_skipped == entries->len) {
    g_set_error (error, STT_G2P_ERROR, STT_G2P_ERROR_FORMAT, "%s: no entry could be aligned "
        "(each letter maps to at most 2 phones): not a usable pronunciation dictionary",
        dict_path);
    g_free (gr);
    g_ptr_array_unref (seqs);
    return NULL;
  }
  SttImageWriter *w = stt_image_writer_new ();
  if (!stt_g2p_ngram_build (seqs, n_graphones + G2P_FIRST, order, G2P_CUTOFF, w, error)) {
    stt_image_writer_free (w);
    g_free (gr);
    g_ptr_array_unref (seqs);
    return NULL;
  }
  g_ptr_array_unref (seqs);
  stt_image_writer_add (w, "GRPH", gr, n_graphones * sizeof (SttG2pGraphone));
  stt_image_writer_add (w, "ALPH", g_memdup2 (alphabet->data, alphabet->len * 4),
      alphabet->len * 4);
  gint64 dup = stt_strings_write (w, 'P', names, n_phones);
  g_assert (dup < 0);   /* the lexicon's phone set has no duplicates */
  const guint32 params[4] = { order, alphabet->len, n_phones, every };
  return stt_image_writer_finish (w, STT_G2P_MAGIC, STT_G2P_VERSION, params);
}

SttG2p *
stt_g2p_train (const char *dict_path, const char *const *phones,
    const SttG2pTrainOptions *options, GError **error)
{
  guint every = options ? options->held_out_every : 0;
  guint order = options && options->order ? options->order : G2P_DEFAULT_ORDER;
  if (order > STT_G2P_MAX_ORDER) {
    g_set_error (error, STT_G2P_ERROR, STT_G2P_ERROR_FORMAT, "n-gram order %u: letter-to-sound "
        "models have order 1 to %u", order, STT_G2P_MAX_ORDER);
    return NULL;
  }
  gint sil;
  g_autoptr (SttLexicon) lex = read_dictionary (dict_path, phones, &sil, error);
  if (!lex)
    return NULL;
  SttLexiconStats st;
  stt_lexicon_get_stats (lex, &st);
  GArray *alphabet = g_array_new (FALSE, FALSE, sizeof (gunichar));
  guint n_held, n_sil;
  GArray *entries = collect_entries (lex, st.n_main, every, sil, alphabet, &n_held, &n_sil);
  GBytes *bytes = NULL;
  if (entries->len == 0)
    g_set_error (error, STT_G2P_ERROR, STT_G2P_ERROR_FORMAT, "%s has no usable entry to train "
        "letter-to-sound from (%u entries read, %u held out, %u with phones outside the phone "
        "set, %u malformed): give a dictionary of \"word PH PH ...\" lines", dict_path, st.n_main,
        n_held, st.skipped_phones + n_sil, st.skipped_malformed);
  else
    bytes = build (lex, entries, alphabet, order, every, dict_path, error);
  free_entries (entries);
  g_array_unref (alphabet);
  if (!bytes)
    return NULL;
  g_autofree char *name = g_strdup_printf ("(trained from %s)", dict_path);
  return stt_g2p_new_take (bytes, name, error);
}
