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

typedef struct {
  guint32 hmm;                  /* HMM id; for roots the row of the mpx table (= node id) */
  guint32 first_child;
  guint32 n_child;
  gint32 word;                  /* >= 0: the node is the last phone of this word */
  guint32 ci;
} SttGraphNode;

struct _SttGraph {
  gint refcount;
  GBytes *bytes;
  guint n_ci, sil, n_tmat, n_hmm, n_node, n_root, n_word, n_senones;
  const guint32 *ci_flags;
  float *tmat;                  /* [n_tmat][3][4], copied (aligned, host order) */
  SttGraphHmm *hmm;             /* unpacked */
  const guint32 *mpx;           /* [n_root][n_ci] */
  const SttGraphNode *node;
  const SttGraphWord *word;
  const char *text;
  guint32 text_size;
  guint root_sil_word;          /* node of the <sil> word, or G_MAXUINT */
};
