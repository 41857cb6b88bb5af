/* gst-stt — letter-to-sound internals shared by training, the file reader and the search.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Tokens of the joint-sequence ("graphone") n-gram model: 0 = end of word, 1 = start of word,
 * 2 + g = graphone g. The n-gram model is a trie of levels 1..order (docs/g2p.md): level 1
 * holds every token at index = token id; a level-k entry (k < order) owns the children
 * next[i]..next[i+1]-1 of level k+1, sorted by token; link[i] of a level-k entry (k >= 2) is
 * the index at level k-1 of the same n-gram without its oldest token.
 */
#pragma once

#include <stt/g2p.h>
#include "../lm/image.h"

#define STT_G2P_MAGIC "STTG2P\0\0"
#define STT_G2P_VERSION 1
#define STT_G2P_MAX_ORDER 8
#define STT_G2P_MAX_LETTERS 64       /* longest word pronounced (letters) */
#define G2P_EOS 0
#define G2P_BOS 1
#define G2P_FIRST 2
#define G2P_NONE 0xffff

/* One letter-phone chunk: 1-2 letters with 0-2 phones (unused slots 0). Sorted by
 * letters[0], n_letters, letters[1], n_phones, phones[0], phones[1]. */
typedef struct {
  guint16 letters[2];
  guint16 phones[2];
  guint8 n_letters, n_phones;
  guint16 pad;
} SttG2pGraphone;
G_STATIC_ASSERT (sizeof (SttG2pGraphone) == 12);

typedef struct {
  guint32 n;
  const guint16 *token;
  const float *prob;     /* natural log p(token | context) */
  const float *bow;      /* natural log backoff weight as a context; NULL at the top level */
  const guint32 *next;   /* n + 1 child starts; NULL at the top level */
  const guint32 *link;   /* NULL at level 1 */
} SttG2pLevel;

struct _SttG2p {
  gint ref_count;
  GBytes *bytes;
  char *name;
  guint order, n_letters, n_phones, n_graphones, held_out_every;
  const guint32 *alphabet;          /* code points, ascending; letter id = index */
  SttStrings phones;
  const SttG2pGraphone *graphones;
  guint32 *by_letter;               /* n_letters + 1: graphones starting with letter a */
  SttG2pLevel level[STT_G2P_MAX_ORDER + 1];
};

/* A training entry: letter ids and phone ids (lexicon phone ids). */
typedef struct {
  guint16 *letters, *phones;
  guint n_letters, n_phones;
} SttG2pEntry;

/* g2p-align.c: EM alignment of every entry (1-2 letters to 0-2 phones, no 2-to-2 / 2-to-0).
 * Returns the graphone table (sorted, *n_graphones) and for each entry a token sequence
 * (BOS g... EOS) in @seqs (GArray of guint16 arrays); unalignable entries get NULL and are
 * counted in *n_skipped. */
SttG2pGraphone *stt_g2p_align (const SttG2pEntry *entries, guint n_entries, guint n_letters,
    guint n_phones, guint iterations, GPtrArray *seqs, guint *n_graphones, guint *n_skipped,
    GError **error);

/* g2p-ngram.c: a Kneser-Ney smoothed n-gram trie of @seqs (token arrays) over @n_tokens
 * tokens, added to @w as the sections WRDk, PRBk, BOWk, NXTk, LNKk and NGRM. N-grams of
 * order >= 3 seen fewer than @cutoff times are left out (1 = keep all). */
gboolean stt_g2p_ngram_build (GPtrArray *seqs, guint n_tokens, guint order, guint cutoff,
    SttImageWriter *w, GError **error);

/* g2p-model.c */
SttG2p *stt_g2p_new_take (GBytes *bytes, const char *name, GError **error);
/* Letter ids of @word (lowercased); NULL with STT_G2P_ERROR_WORD. */
guint16 *stt_g2p_word_letters (const SttG2p *g2p, const char *word, guint *n, GError **error);
/* FNV-1a 32 of the word's UTF-8 bytes (docs/g2p.md). */
guint32 stt_g2p_word_hash (const char *word);
