/* gst-stt — lattice rescoring internals shared by the reader and the search.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "rescore.h"

#include <math.h>

typedef struct {
  const char *word;             /* in the lattice's string chunk (equal words, equal pointers) */
  gint32 start, end;
  double ascr;
  gboolean filler, is_start, is_final;
  guint32 *pred;                /* predecessor node ids */
  guint n_pred, cap_pred;
} LatNode;

struct _RescoreLattice {
  gint64 first_frame;
  gint32 n_frames;
  guint frame_rate;
  double lm_weight, wip;        /* of the first pass (informative) */
  guint n_nodes;
  LatNode *nodes;
  guint32 *order;               /* node ids by start frame: a topological order */
  GStringChunk *strings;
};
