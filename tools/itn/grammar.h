/* gst-stt — the ITN grammar compiler: grammar source (docs/itn.md) to a binary transducer.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint n_states, n_arcs, n_words, n_pieces, n_classes;
} SttItnGrammarStats;

/* Compile the grammar in @source (named @name in errors; includes are looked up relative to
 * @dir) and return the transducer file's bytes (core/itn/itn-fst.h). Errors are
 * STT_ITN_ERROR_GRAMMAR with "file:line:column: what" and what to do. @stats may be NULL. */
GBytes *stt_itn_grammar_compile (const char *source, const char *name, const char *dir,
    SttItnGrammarStats *stats, GError **error);
GBytes *stt_itn_grammar_compile_file (const char *path, SttItnGrammarStats *stats,
    GError **error);

G_END_DECLS
