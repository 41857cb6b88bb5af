/* gst-stt — top-K lists of distinct hypotheses, as N-best searches over lattices keep them.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A list holds up to K indices into a GArray of entries (caller's struct), best score first,
 * -1 marking unused slots, and never two entries with the same hash (the hash of the word
 * sequence, so N-best lists hold distinct texts). Entries are identified by where their
 * double score and guint64 hash sit in the caller's struct (G_STRUCT_OFFSET).
 * Thread-safety: none needed; everything is the caller's.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Offer @entry to the top-@k @list: if it makes the list (and beats any entry with the same
 * hash, which it then replaces), append it to @entries and put its index in place. */
void stt_topk_insert (GArray *entries, gint32 *list, guint k, gconstpointer entry,
    gsize score_offset, gsize hash_offset);

G_END_DECLS
