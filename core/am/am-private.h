/* gst-stt — bounds-checked little/big-endian reading shared by the acoustic-model parsers.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An SttReader walks a byte array; every read checks the remaining length and fails with an
 * STT_AM_ERROR naming the file, the byte offset, and what was being read. Sphinx-3 files also
 * carry a running checksum over what is read after the byte-order magic (§3 of the notes).
 */
#pragma once

#include "stt/am.h"

typedef struct {
  const guint8 *data;
  gsize size;
  gsize pos;
  const char *name;     /* file name for messages */
  gboolean swap;        /* values are big-endian (or foreign-endian) */
  gboolean checksum;    /* accumulate the s3 checksum */
  guint32 sum;
} SttReader;

void stt_reader_init (SttReader *r, GBytes *bytes, const char *name);
gboolean stt_reader_need (SttReader *r, gsize n, const char *what, GError **error);
gboolean stt_reader_u32 (SttReader *r, const char *what, guint32 *out, GError **error);
gboolean stt_reader_i32 (SttReader *r, const char *what, gint32 *out, GError **error);
/* @n 4-byte values (float32 or int32) copied into @out (native order after swapping). */
gboolean stt_reader_u32_array (SttReader *r, const char *what, gsize n, guint32 *out,
    GError **error);
gboolean stt_reader_u16_array (SttReader *r, const char *what, gsize n, guint16 *out,
    GError **error);
/* A pointer to @n raw bytes inside the data (no copy). */
gboolean stt_reader_bytes (SttReader *r, const char *what, gsize n, const guint8 **out,
    GError **error);
/* Check that nothing follows. */
gboolean stt_reader_at_end (SttReader *r, GError **error);
/* Check that an int read at @offset lies in [lo, hi]. */
gboolean stt_check_range (const SttReader *r, gsize offset, const char *what, gint64 value,
    gint64 lo, gint64 hi, GError **error);

/* Sphinx-3 binary header: "s3\n", "name value" lines up to "endhdr", the byte-order magic.
 * On success the reader is positioned after the magic with swap and checksum set up and
 * @header holds the pairs (free with g_hash_table_unref). */
gboolean stt_s3_read_header (SttReader *r, GHashTable **header, GError **error);
/* After the data: compare the stored checksum with the accumulated one (if the header had
 * chksum0) and check the file ends there. */
gboolean stt_s3_read_checksum (SttReader *r, GHashTable *header, GError **error);

/* The project's files: 8-byte magic + uint32 version 1, little-endian. */
gboolean stt_own_read_header (SttReader *r, const char magic[8], GError **error);
void stt_own_write_header (GByteArray *out, const char magic[8]);
void stt_own_write_u32 (GByteArray *out, guint32 v);
void stt_own_write_f32 (GByteArray *out, float v);

/* log base of the Sphinx model integers: (double) f32 (1.0001) (§0 of the notes). */
#define STT_SPHINX_LN_B 1.0001159260704876e-4

/* The object parsed from model file @file by @parse (a function (GBytes *, const char *name,
 * GError **)), built once per model and kept with it; the caller gets no reference. */
gpointer stt_am_shared_file (SttModel *model, const char *file, gpointer parse,
    GDestroyNotify destroy, GError **error);
