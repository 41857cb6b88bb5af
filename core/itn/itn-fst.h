/* gst-stt — the binary transducer format of ITN models (private to libstt and its tools).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Little-endian, every section 4-byte aligned, so a read-only mapping is used as is:
 *
 *   header (64 bytes): magic "STTWFST1", u32 version, n_states, n_arcs, n_isyms, n_osyms,
 *     hash_size, start, strings_len, u64 FNV-1a checksum of every byte after the header
 *   u32 state_arcs[n_states + 1]   first arc of each state; arcs of a state sorted by ilabel
 *   f32 final[n_states]            final weight, +inf when not final
 *   arcs[n_arcs]                   { u32 ilabel, u32 olabel, f32 weight, u32 next }
 *   u32 isym_off[n_isyms + 1]      input words: offsets into strings (NUL-terminated)
 *   u32 osym_off[n_osyms + 1]      output pieces: offsets into strings
 *   u32 hash[hash_size]            open-addressing FNV-1a table of input words -> isym (0 empty)
 *   u8 osym_kind[n_osyms]          0 text, 1 class marker (its text is the class name)
 *   char strings[strings_len]
 *
 * Weights are tropical (costs, added along a path, the smallest wins). Labels 0 are epsilon;
 * input label 1 matches any word and output label 1 copies the word it matched.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define STT_WFST_MAGIC "STTWFST1"
#define STT_WFST_VERSION 1
#define STT_WFST_HEADER_SIZE 64
#define STT_WFST_EPS 0
#define STT_WFST_ANY 1          /* input: any word; output: copy of the word */
#define STT_WFST_FIRST_SYM 2

enum { STT_WFST_OSYM_TEXT = 0, STT_WFST_OSYM_CLASS = 1 };

typedef struct {
  guint32 ilabel, olabel;
  float weight;
  guint32 next;
} SttWfstArc;

typedef struct {
  guint32 n_states, n_arcs, n_isyms, n_osyms, hash_size, start, strings_len;
  const guint32 *state_arcs;
  const float *final;
  const SttWfstArc *arcs;
  const guint32 *isym_off, *osym_off, *hash;
  const guint8 *osym_kind;
  const char *strings;
} SttWfst;

guint32 stt_wfst_hash (const char *word);
guint64 stt_wfst_checksum (const guint8 *data, gsize len);

/* Point @fst into @data after checking every count, offset and index. @name is used in
 * errors. */
gboolean stt_wfst_parse (SttWfst *fst, const guint8 *data, gsize len, const char *name,
    GError **error);

/* The input label of @word, or STT_WFST_ANY when the transducer does not know it. */
guint32 stt_wfst_lookup (const SttWfst *fst, const char *word);

static inline const char *
stt_wfst_isym (const SttWfst *fst, guint32 i)
{
  return fst->strings + fst->isym_off[i];
}

static inline const char *
stt_wfst_osym (const SttWfst *fst, guint32 o)
{
  return fst->strings + fst->osym_off[o];
}

/* Serialise a transducer given as plain arrays (arcs already sorted per state); the symbol
 * tables are NULL-terminated, with their two reserved entries first. */
GBytes *stt_wfst_serialize (guint32 n_states, guint32 start, const guint32 *state_arcs,
    const float *final, const SttWfstArc *arcs, const char *const *isyms,
    const char *const *osyms, const guint8 *osym_kind);

G_END_DECLS
