/* gst-stt — state shared by the search and the lattice code.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "graph-private.h"

#define STT_SEARCH_WORST (-1e30f)

/* One word exit (backpointer table entry). Entry 0 of a table is the utterance start <s>. */
typedef struct {
  gint32 word;                  /* graph word, -1 for <s> */
  gint32 frame;                 /* last frame of the word, utterance-relative; -1 for <s> */
  float score;                  /* path score at the exit */
  gint32 prev;                  /* previous word's entry */
  gint32 h1, h2;                /* LM history after this word (fillers pass it through) */
  float pen;                    /* LM (or filler) term added when the word was entered */
  guint32 last_ci;              /* last phone: left context of the next word */
  gint32 rc_off;                /* exit scores per right-context variant (search only), or -1 */
  gint32 rc_row;
} SttBp;

struct _SttSearchLmMap {
  gint32 *lm_id;                /* [n_word] */
  /* [n_node]: unigram LM lookahead, the best ln P(w) of the words below a node (unweighted);
   * STT_LA_NONE when no word below it is in the LM */
  float *lookahead;
};
#define STT_LA_NONE (-1e6f)

/* LM score cache: (w,h1,h2) -> lw * ln P + wip. Direct mapped. */
#define STT_LM_CACHE_BITS 16
typedef struct {
  gint32 w, h1, h2;
  float score;
} SttLmCacheEntry;

typedef struct {
  const SttSearchLm *lm;
  float lw, wip;
  SttLmCacheEntry *entries;
  guint bits;                   /* 2^bits entries */
} SttLmCache;

/* @bits: log2 of the number of entries (the search's STT_LM_CACHE_BITS; the lattice's fewer) */
void stt_lm_cache_init (SttLmCache *cache, const SttSearchLm *lm, float lw, float wip,
    guint bits);
void stt_lm_cache_clear (SttLmCache *cache);
float stt_lm_cache_score (SttLmCache *cache, gint32 w, gint32 h1, gint32 h2);

/* The lattice of an utterance as the search goes (core/search/lattice.c): begun with the
 * utterance, given the backpointer table after every frame (the entries it has not seen yet
 * become nodes with their forward scores: they must all belong to finished frames), ended with
 * the utterance's length. New settings during the utterance recompute the forward scores. */
SttLattice *stt_lattice_begin (SttGraph *graph, const SttSearchLm *lm,
    const SttSearchLmMap *map, const SttSearchConfig *config, gint64 first_frame);
void stt_lattice_set_config (SttLattice *lattice, const SttSearchConfig *config);
void stt_lattice_add_exits (SttLattice *lattice, const GArray *bp);
void stt_lattice_end (SttLattice *lattice, gint32 n_frames);
