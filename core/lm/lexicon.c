/* gst-stt — lexicons: the own format (build, check, read in place) and lookups.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "lexicon-private.h"

#include <string.h>

G_DEFINE_QUARK (stt-lexicon-error-quark, stt_lexicon_error)

struct _SttLexicon {
  gint ref_count;
  GBytes *bytes;
  char *name;
  guint32 n_words, n_phones;
  SttStrings words, phones;
  const guint32 *base, *pron_next;
  const guint8 *flags;
  const guint16 *pron;
  SttLexiconStats stats;
};

/* ---- building ------------------------------------------------------------------------------ */
SttLexiconBuilder *
stt_lexicon_builder_new (void)
{
  SttLexiconBuilder *b = g_new0 (SttLexiconBuilder, 1);
  b->words = g_ptr_array_new_with_free_func (g_free);
  b->base = g_array_new (FALSE, FALSE, sizeof (guint32));
  b->flags = g_array_new (FALSE, FALSE, sizeof (guint8));
  b->pron_next = g_array_new (FALSE, FALSE, sizeof (guint32));
  b->pron = g_array_new (FALSE, FALSE, sizeof (guint16));
  b->phones = g_ptr_array_new_with_free_func (g_free);
  guint32 zero = 0;
  g_array_append_val (b->pron_next, zero);
  return b;
}

void
stt_lexicon_builder_free (SttLexiconBuilder *b)
{
  if (!b)
    return;
  g_ptr_array_unref (b->words);
  g_array_unref (b->base);
  g_array_unref (b->flags);
  g_array_unref (b->pron_next);
  g_array_unref (b->pron);
  g_ptr_array_unref (b->phones);
  g_free (b);
}

static gpointer
array_copy (GArray *a)
{
  gsize size = (gsize) a->len * g_array_get_element_size (a);
  return size ? g_memdup2 (a->data, size) : NULL;
}

GBytes *
stt_lexicon_builder_to_bytes (SttLexiconBuilder *b, const char *name, GError **error)
{
  guint32 n = b->words->len;
  SttImageWriter *w = stt_image_writer_new ();
  if (stt_strings_write (w, 'W', (const char *const *) b->words->pdata, n) >= 0
      || stt_strings_write (w, 'P', (const char *const *) b->phones->pdata, b->phones->len)
      >= 0) {
    g_set_error (error, STT_LEXICON_ERROR, STT_LEXICON_ERROR_FORMAT, "%s: a word or phone "
        "is listed twice", name);
    stt_image_writer_free (w);
    return NULL;
  }
  stt_image_writer_add (w, "WBAS", array_copy (b->base), (gsize) n * 4);
  stt_image_writer_add (w, "WFLG", array_copy (b->flags), n);
  stt_image_writer_add (w, "PRNX", array_copy (b->pron_next), ((gsize) n + 1) * 4);
  stt_image_writer_add (w, "PRON", array_copy (b->pron), (gsize) b->pron->len * 2);
  G_STATIC_ASSERT (sizeof (SttLexiconStats) == 8 * sizeof (guint));
  stt_image_writer_add (w, "STAT", g_memdup2 (&b->stats, sizeof b->stats), sizeof b->stats);
  guint32 params[4] = { n, b->phones->len, 0, 0 };
  return stt_image_writer_finish (w, STT_LEXICON_MAGIC, STT_LEXICON_VERSION, params);
}

/* ---- reading ------------------------------------------------------------------------------- */
static gboolean
parse_image (SttImage *im, SttLexicon *lex, GError **error)
{
  gconstpointer p;
  gsize pron_size;
  if (!stt_image_open (im, STT_LEXICON_MAGIC, STT_LEXICON_VERSION, error))
    return FALSE;
  guint32 n = lex->n_words = im->params[0];
  lex->n_phones = im->params[1];
  if (lex->n_phones > 65536)
    return stt_image_fail (im, 20, error, "%u phones (at most 65536)", lex->n_phones);
  if (!stt_strings_read (im, 'W', n, &lex->words, error)
      || !stt_strings_read (im, 'P', lex->n_phones, &lex->phones, error))
    return FALSE;
  if (!stt_image_section (im, "WBAS", 4, n, TRUE, &p, NULL, error))
    return FALSE;
  lex->base = p;
  if (!stt_image_section (im, "WFLG", 1, n, TRUE, &p, NULL, error))
    return FALSE;
  lex->flags = p;
  if (!stt_image_section (im, "PRNX", 4, (guint64) n + 1, TRUE, &p, NULL, error))
    return FALSE;
  lex->pron_next = p;
  if (!stt_image_section (im, "PRON", 0, 0, TRUE, &p, &pron_size, error))
    return FALSE;
  lex->pron = p;
  if (!stt_image_section (im, "STAT", sizeof lex->stats, 1, TRUE, &p, NULL, error))
    return FALSE;
  memcpy (&lex->stats, p, sizeof lex->stats);
  if (pron_size % 2 || lex->pron_next[0] != 0 || lex->pron_next[n] != pron_size / 2)
    return stt_image_fail (im, stt_image_offset (im, lex->pron_next), error, "the phone lists "
        "do not cover the PRON section exactly");
  for (guint32 i = 0; i < n; i++) {
    if (lex->pron_next[i + 1] < lex->pron_next[i])
      return stt_image_fail (im, stt_image_offset (im, &lex->pron_next[i + 1]), error,
          "the phones of word %u end before they start", i);
    if (lex->base[i] >= n || lex->base[lex->base[i]] != lex->base[i])
      return stt_image_fail (im, stt_image_offset (im, &lex->base[i]), error, "word %u has "
          "base word %u, which is out of range or not a base word", i, lex->base[i]);
  }
  for (gsize i = 0; i < pron_size / 2; i++)
    if (lex->pron[i] >= lex->n_phones)
      return stt_image_fail (im, stt_image_offset (im, &lex->pron[i]), error, "phone id %u is "
          "out of range (%u phones)", lex->pron[i], lex->n_phones);
  return TRUE;
}

SttLexicon *
stt_lexicon_new_from_bytes (GBytes *bytes, const char *name, GError **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);
  SttLexicon *lex = g_new0 (SttLexicon, 1);
  lex->ref_count = 1;
  lex->name = g_strdup (name ? name : "(memory)");
  /* the arrays are read in place: the start must be 8-byte aligned */
  lex->bytes = ((guintptr) data & 7) ? g_bytes_new (data, size) : g_bytes_ref (bytes);
  SttImage im = { g_bytes_get_data (lex->bytes, NULL), size, lex->name, "lexicon",
    STT_LEXICON_ERROR, STT_LEXICON_ERROR_FORMAT };
  if (!im.data)
    im.data = (const guint8 *) "";
  if (G_BYTE_ORDER != G_LITTLE_ENDIAN || !parse_image (&im, lex, error)) {
    if (error && !*error)
      g_set_error (error, STT_LEXICON_ERROR, STT_LEXICON_ERROR_FORMAT, "%s: the lexicon format "
          "is little-endian and this host is not", lex->name);
    stt_lexicon_unref (lex);
    return NULL;
  }
  return lex;
}

SttLexicon *
stt_lexicon_load (const char *path, GError **error)
{
  GError *err = NULL;
  GMappedFile *map = g_mapped_file_new (path, FALSE, &err);
  if (!map) {
    g_set_error (error, STT_LEXICON_ERROR, STT_LEXICON_ERROR_IO, "cannot open the lexicon %s: "
        "%s", path, err->message);
    g_error_free (err);
    return NULL;
  }
  GBytes *bytes = g_mapped_file_get_bytes (map);
  g_mapped_file_unref (map);
  SttLexicon *lex = stt_lexicon_new_from_bytes (bytes, path, error);
  g_bytes_unref (bytes);
  return lex;
}

SttLexicon *
stt_lexicon_ref (SttLexicon *lex)
{
  g_atomic_int_inc (&lex->ref_count);
  return lex;
}

void
stt_lexicon_unref (SttLexicon *lex)
{
  if (!lex || !g_atomic_int_dec_and_test (&lex->ref_count))
    return;
  g_bytes_unref (lex->bytes);
  g_free (lex->name);
  g_free (lex);
}

GBytes *
stt_lexicon_get_bytes (const SttLexicon *lex)
{
  return g_bytes_ref (lex->bytes);
}

gboolean
stt_lexicon_write (const SttLexicon *lex, const char *path, GError **error)
{
  gsize size;
  gconstpointer data = g_bytes_get_data (lex->bytes, &size);
  GError *err = NULL;
  if (!g_file_set_contents_full (path, data, (gssize) size,
          G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, &err)) {
    g_set_error (error, STT_LEXICON_ERROR, STT_LEXICON_ERROR_IO, "cannot write the lexicon "
        "%s: %s", path, err->message);
    g_error_free (err);
    return FALSE;
  }
  return TRUE;
}

/* ---- lookups ------------------------------------------------------------------------------- */
void
stt_lexicon_get_stats (const SttLexicon *lex, SttLexiconStats *stats)
{
  *stats = lex->stats;
}

guint
stt_lexicon_get_n_words (const SttLexicon *lex)
{
  return lex->n_words;
}

gint32
stt_lexicon_lookup (const SttLexicon *lex, const char *word)
{
  g_return_val_if_fail (word != NULL, -1);
  return (gint32) stt_strings_lookup (&lex->words, word);
}

const char *
stt_lexicon_get_word (const SttLexicon *lex, guint32 id)
{
  return id < lex->n_words ? stt_strings_get (&lex->words, id) : NULL;
}

guint32
stt_lexicon_get_base (const SttLexicon *lex, guint32 id)
{
  g_return_val_if_fail (id < lex->n_words, id);
  return lex->base[id];
}

gboolean
stt_lexicon_is_filler (const SttLexicon *lex, guint32 id)
{
  return id < lex->n_words && (lex->flags[id] & STT_LEXICON_FILLER);
}

const guint16 *
stt_lexicon_get_pron (const SttLexicon *lex, guint32 id, guint *n_phones)
{
  if (id >= lex->n_words) {
    *n_phones = 0;
    return NULL;
  }
  *n_phones = lex->pron_next[id + 1] - lex->pron_next[id];
  return lex->pron + lex->pron_next[id];
}

guint
stt_lexicon_get_n_phones (const SttLexicon *lex)
{
  return lex->n_phones;
}

const char *
stt_lexicon_get_phone (const SttLexicon *lex, guint phone)
{
  return phone < lex->n_phones ? stt_strings_get (&lex->phones, phone) : NULL;
}

gint
stt_lexicon_lookup_phone (const SttLexicon *lex, const char *name)
{
  return (gint) stt_strings_lookup (&lex->phones, name);
}

SttLmWord *
stt_lexicon_map_lm (const SttLexicon *lex, const SttLm *lm, guint *n_missing)
{
  SttLmWord *ids = g_new (SttLmWord, MAX (lex->n_words, 1));
  guint missing = 0;
  for (guint32 i = 0; i < lex->n_words; i++) {
    if (lex->flags[i] & STT_LEXICON_FILLER) {
      ids[i] = STT_LM_NO_WORD;
      continue;
    }
    guint32 b = lex->base[i];
    ids[i] = b < i ? ids[b] : stt_lm_word_id (lm, stt_strings_get (&lex->words, b));
    if (ids[i] < 0)
      missing++;
  }
  if (n_missing)
    *n_missing = missing;
  return ids;
}
