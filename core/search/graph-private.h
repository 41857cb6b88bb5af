/* gst-stt — the in-memory layout of an "stt-graph-1" decoding graph (docs/decoder.md).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stt/search.h>

#define STT_GRAPH_MAGIC "STTGRPH1"
#define STT_GRAPH_VERSION 1
#define STT_GRAPH_HEADER_SIZE (8 + 14 * 4)
#define STT_GRAPH_LOGZERO (-1e30f)

enum {
  STT_GRAPH_WORD_FILLER = 1,
  STT_GRAPH_WORD_SILENCE = 2,
};

typedef struct {
  guint16 sen[3];
  guint16 tmat;
} SttGraphHmm;

typedef struct {
  guint32 text;                 /* offset of the output spelling in the text pool */
  guint32 flags;
} SttGraphWord;

static inline gboolean
stt_graph_node_has_rc (const struct _SttGraph *g, guint32 node);

typedef struct {
  guint32 hmm;                  /* HMM id; roots: row of the mpx table (= node id);
                                   word-final phones of longer words: right-context row */
  guint32 first_child;
  guint32 n_child;
  gint32 word;                  /* >= 0: the node is the last phone of this word */
  guint32 ci;
} SttGraphNode;

/* An HMM with its transition log-probabilities inline (built at load, for the search). */
typedef struct {
  float t00, t01, t11, t12, t22, t23;
  guint16 sen[3];
  guint16 pad;
} SttGraphHmmFast;

struct _SttGraph {
  gint refcount;
  GBytes *bytes;
  guint n_ci, sil, n_tmat, n_hmm, n_node, n_root, n_word, n_senones;
  const guint32 *ci_flags;
  float *tmat;                  /* [n_tmat][3][4], copied (aligned, host order) */
  SttGraphHmm *hmm;             /* unpacked */
  SttGraphHmmFast *hmm_fast;
  const guint32 *mpx;           /* [n_root][n_ci] */
  const SttGraphNode *node;
  const SttGraphWord *word;
  const char *text;
  guint32 text_size;
  /* right-context fan-out of word-final phones (nodes >= n_root with a word) */
  guint n_rcrow, n_rcvar;
  const guint8 *rc_var;         /* [n_rcrow][rc_stride]: variant of each right-context phone */
  guint rc_stride;              /* n_ci rounded up to 4 */
  const guint32 *rc_first;      /* [n_rcrow]: first variant in rc_hmm; [n_rcrow] = n_rcvar */
  const guint32 *rc_hmm;        /* [n_rcvar] */
  guint32 *var_base;            /* [n_node]: first slot of a word-final node's variants */
  guint n_slots;                /* n_node + variants of every word-final node */
  guint root_sil_word;          /* node of the <sil> word, or G_MAXUINT */
};

/* Word-final phones of multi-phone words fan out over the next word's first phone. */
static inline gboolean
stt_graph_node_has_rc (const SttGraph *g, guint32 node)
{
  return node >= g->n_root && g->node[node].word >= 0;
}

static inline guint
stt_graph_node_n_var (const SttGraph *g, guint32 node)
{
  guint row = g->node[node].hmm;
  return g->rc_first[row + 1] - g->rc_first[row];
}
