/* gst-stt — `stt-model custom`: text normalisation and pronunciation files for custom models.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The rules are those of docs/custom.md ("What is normalised").
 */
#pragma once

#include <glib.h>
#include <stt/lexicon.h>

/* The domain LM's weight in the mix with the base LM (chosen on the dev set: docs/custom.md). */
#define STT_CUSTOM_DEFAULT_WEIGHT 0.3

/* The domain text made ready for LM training. */
typedef struct {
  GString *sentences;       /* normalised sentences, one per line */
  GHashTable *counts;       /* word -> occurrences (GUINT_TO_POINTER) */
  guint n_sentences, n_words;
  guint n_number_tokens;    /* tokens with digits, left out (sentences are cut there) */
  GPtrArray *number_examples;  /* up to 5 of them, for the report */
} SttCustomText;

/* Normalise @text (@len bytes read from @path, used in errors). FALSE with an error naming
 * the byte offset and line for bytes that are not UTF-8, and for a text without words. */
gboolean stt_custom_text_parse (SttCustomText *t, const char *text, gsize len,
    const char *path, GError **error);
void stt_custom_text_clear (SttCustomText *t);

/* One pronunciation of a --pron file. */
typedef struct {
  char *word;        /* lowercased */
  char **phones;     /* phone names of the lexicon's phone set */
  guint line;
} SttCustomPron;

/* Read a pronunciation file: "word PHONE PHONE ..." per line, '#' and ";;" comments, stress
 * digits dropped (AH0 -> AH), "word(2)" read as "word". Every phone must be a non-filler phone
 * of @lex; an unknown phone or a malformed line fails naming file:line, what is wrong and the
 * valid phones. Returns a GPtrArray of SttCustomPron*. */
GPtrArray *stt_custom_pron_read (const char *path, const SttLexicon *lex,
    const char *const *filler_phones, GError **error);
/* The same on @len bytes of @text (@path is used in errors). */
GPtrArray *stt_custom_pron_parse (const char *text, gsize len, const char *path,
    const SttLexicon *lex, const char *const *filler_phones, GError **error);
void stt_custom_pron_free (SttCustomPron *p);
