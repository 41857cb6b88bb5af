/* gst-stt — pronunciation lexicons: Sphinx dictionaries (cmudict + noisedict) and the own
 * compact format, words mapped to LM ids.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Reading a Sphinx dictionary (spec §6) follows pocketsphinx: lines starting with "##" or ";;"
 * are comments; a line is a word followed by its phones; lines with one token, words with a
 * phone outside the given phone set, and repeated words (first wins) are skipped and counted.
 * "word(2)" is an alternate pronunciation of "word": accepted only after its base word, it
 * keeps its own entry (id) and shares the base word's LM identity. The filler dictionary is
 * read after the main one; <s>, </s> and <sil> are added with phone SIL when missing, and
 * every filler entry except <s> and </s> is a filler word (not looked up in the LM).
 *
 * Word ids are 0 .. n_words-1 in reading order (main dictionary, then fillers). Phone ids are
 * positions in the phone set given at load time (so they can be the acoustic model's CI phone
 * ids), or in order of first use when no set is given.
 *
 * The own format "STTLEXIC" (docs/lm.md) is what a model ships; it is read in place
 * from a mapping (stt_lexicon_new_from_model shares the model's mapping).
 *
 * Ownership: reference counted, immutable after loading. Thread-safety: all const functions
 * may be called from any thread at once.
 */
#pragma once

#include <glib.h>
#include <stt/model.h>
#include <stt/lm.h>

G_BEGIN_DECLS

#define STT_LEXICON_ERROR (stt_lexicon_error_quark ())
GQuark stt_lexicon_error_quark (void);
typedef enum {
  STT_LEXICON_ERROR_IO,       /* cannot open, read or write */
  STT_LEXICON_ERROR_FORMAT,   /* corrupt own-format file, or an unusable dictionary */
} SttLexiconError;

typedef struct _SttLexicon SttLexicon;

/* What reading the dictionaries kept and skipped. */
typedef struct {
  guint n_words;           /* entries kept: main + filler dictionary (incl. added <s> ...) */
  guint n_main;            /* entries kept from the main dictionary */
  guint n_alternates;      /* of which alternates "word(N)" */
  guint n_fillers;         /* filler words (noisedict minus <s>, </s>) */
  guint skipped_phones;    /* lines naming a phone outside the phone set */
  guint skipped_duplicates;/* repeated words */
  guint skipped_orphans;   /* alternates whose base word was not (yet) there */
  guint skipped_malformed; /* lines with a word but no phones, or not UTF-8 */
} SttLexiconStats;

/* Read a Sphinx main dictionary and (optional, may be NULL) filler dictionary. @phones: the
 * allowed phone names (NULL-terminated; NULL = any). The error names file and line. */
SttLexicon *stt_lexicon_load_sphinx (const char *dict_path, const char *filler_path,
    const char *const *phones, GError **error);
/* Own format: from a file (mapped), bytes, or file @name of @model (shared mapping). */
SttLexicon *stt_lexicon_load (const char *path, GError **error);
SttLexicon *stt_lexicon_new_from_bytes (GBytes *bytes, const char *name, GError **error);
SttLexicon *stt_lexicon_new_from_model (SttModel *model, const char *name, GError **error);

SttLexicon *stt_lexicon_ref (SttLexicon *lex);
void stt_lexicon_unref (SttLexicon *lex);

/* Own-format bytes (new reference) and atomic write to a file. */
GBytes *stt_lexicon_get_bytes (const SttLexicon *lex);
gboolean stt_lexicon_write (const SttLexicon *lex, const char *path, GError **error);

void stt_lexicon_get_stats (const SttLexicon *lex, SttLexiconStats *stats);
guint stt_lexicon_get_n_words (const SttLexicon *lex);
/* Word id of @word ("read(2)" names the alternate), or -1. O(log n). */
gint32 stt_lexicon_lookup (const SttLexicon *lex, const char *word);
const char *stt_lexicon_get_word (const SttLexicon *lex, guint32 id);   /* NULL if out of range */
/* Id of the base word ("read" for "read(2)"; itself for a base word). */
guint32 stt_lexicon_get_base (const SttLexicon *lex, guint32 id);
gboolean stt_lexicon_is_filler (const SttLexicon *lex, guint32 id);
/* Phone ids of word @id (owned by the lexicon), *n_phones set. */
const guint16 *stt_lexicon_get_pron (const SttLexicon *lex, guint32 id, guint *n_phones);

guint stt_lexicon_get_n_phones (const SttLexicon *lex);
const char *stt_lexicon_get_phone (const SttLexicon *lex, guint phone);
gint stt_lexicon_lookup_phone (const SttLexicon *lex, const char *name);   /* -1 if absent */

/* The LM id of every word (a new array of n_words): the id of its base word's string, or
 * STT_LM_NO_WORD for fillers and words the LM lacks (counted in *n_missing, may be NULL). */
SttLmWord *stt_lexicon_map_lm (const SttLexicon *lex, const SttLm *lm, guint *n_missing);

/* A new entry for stt_lexicon_new_extended. */
typedef struct {
  const char *word;            /* the spelling (UTF-8, no blanks or parentheses) */
  const char *const *phones;   /* NULL-terminated phone names of the base's phone set */
} SttLexiconEntry;

/* A new lexicon: every entry of @base (same ids), then @entries in order. A word @base lacks
 * gets a new entry; a word it has gets its new pronunciation as the next alternate "word(N)";
 * a pronunciation the word already has is skipped. Unknown phones, empty pronunciations,
 * filler words and unusable spellings are an error naming the word. *@n_added (may be NULL)
 * receives the number of entries added. Custom models use this (tools/model/custom.c). */
SttLexicon *stt_lexicon_new_extended (const SttLexicon *base, const SttLexiconEntry *entries,
    guint n, guint *n_added, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttLexicon, stt_lexicon_unref)

G_END_DECLS
