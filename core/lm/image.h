/* gst-stt — the section container shared by the own LM and lexicon formats (internal).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Layout, little-endian:
 *   header (32 bytes): char magic[8]; u32 version; u32 n_sections; u32 params[4]
 *   table at byte 32:  n_sections x { char tag[4]; u32 zero; u64 offset; u64 size }
 *   sections, each starting 8-byte aligned, in any order; readers ignore unknown tags.
 * A string table is three sections: "<p>STR" NUL-terminated strings, "<p>OFF" u32 offset of
 * string i, "<p>SRT" u32 ids sorted by strcmp (lookup by binary search); <p> is one letter.
 */
#pragma once

#include <glib.h>

#define STT_IMAGE_HEADER_SIZE 32
#define STT_IMAGE_ENTRY_SIZE 24
#define STT_IMAGE_MAX_SECTIONS 64

typedef struct {
  const guint8 *data;
  gsize size;
  const char *name;       /* file name for messages */
  const char *what;       /* "LM", "lexicon": for messages */
  GQuark domain;
  gint code;              /* the domain's "corrupt file" code */
  guint32 version;
  guint32 params[4];
  guint n_sections;
} SttImage;

/* Check magic, version (must equal @version) and the section table. */
gboolean stt_image_open (SttImage *im, const char *magic, guint32 version, GError **error);
gboolean stt_image_fail (const SttImage *im, gsize offset, GError **error, const char *fmt, ...)
    G_GNUC_PRINTF (4, 5);
/* Find section @tag; if @elem_size > 0 it must hold exactly @count elements. *out is NULL
 * when the section is absent and not @required. */
gboolean stt_image_section (const SttImage *im, const char *tag, gsize elem_size,
    guint64 count, gboolean required, gconstpointer *out, gsize *out_size, GError **error);
gsize stt_image_offset (const SttImage *im, gconstpointer p);

/* Writing: collect sections (ownership of @data passes to the writer), then lay them out. */
typedef struct _SttImageWriter SttImageWriter;
SttImageWriter *stt_image_writer_new (void);
void stt_image_writer_add (SttImageWriter *w, const char *tag, gpointer data, gsize size);
GBytes *stt_image_writer_finish (SttImageWriter *w, const char *magic, guint32 version,
    const guint32 params[4]);
void stt_image_writer_free (SttImageWriter *w);

/* String tables. */
typedef struct {
  const char *str;
  gsize len;
  const guint32 *off, *sorted;
  guint32 n;
} SttStrings;

/* Adds "<p>STR", "<p>OFF", "<p>SRT". Returns the index of a duplicate string and adds
 * nothing if there is one, else -1. */
gint64 stt_strings_write (SttImageWriter *w, char prefix, const char *const *strings,
    guint32 n);
gboolean stt_strings_read (const SttImage *im, char prefix, guint32 n, SttStrings *s,
    GError **error);
/* The id of @str, or -1. */
gint64 stt_strings_lookup (const SttStrings *s, const char *str);

static inline const char *
stt_strings_get (const SttStrings *s, guint32 i)
{
  return s->str + s->off[i];
}
