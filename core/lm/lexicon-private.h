/* gst-stt — lexicon internals: the own format and the builder the Sphinx reader fills.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Own format "STTLEXIC" version 1: the section container of image.h with
 * params = { n_words, n_phones, 0, 0 } and sections
 *   WSTR, WOFF, WSRT  words as a string table        PSTR, POFF, PSRT  phone names
 *   WBAS  u32[n] base word id (a base word's base is itself)
 *   WFLG  u8[n]  bit 0: filler word
 *   PRNX  u32[n+1] start of each word's phones in PRON;  PRON u16[] phone ids
 *   STAT  u32[8] SttLexiconStats, in its member order
 */
#pragma once

#include <stt/lexicon.h>
#include "image.h"

#define STT_LEXICON_MAGIC "STTLEXIC"
#define STT_LEXICON_VERSION 1
#define STT_LEXICON_FILLER 1

typedef struct {
  GPtrArray *words;       /* char * */
  GArray *base;           /* guint32 */
  GArray *flags;          /* guint8 */
  GArray *pron_next;      /* guint32, n_words + 1 */
  GArray *pron;           /* guint16 */
  GPtrArray *phones;      /* char * */
  SttLexiconStats stats;
} SttLexiconBuilder;

SttLexiconBuilder *stt_lexicon_builder_new (void);
void stt_lexicon_builder_free (SttLexiconBuilder *b);
GBytes *stt_lexicon_builder_to_bytes (SttLexiconBuilder *b, const char *name, GError **error);

/* The Sphinx reader on text in memory (@fill may be NULL); names are used in messages. */
SttLexicon *stt_lexicon_parse_sphinx (const char *dict, gsize dict_len, const char *dict_path,
    const char *fill, gsize fill_len, const char *filler_path, const char *const *phones,
    GError **error);
