/* gst-stt — bounds-checked reading of acoustic-model files (Sphinx s3 header, checksum).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "am-private.h"

#include <string.h>

G_DEFINE_QUARK (stt-am-error-quark, stt_am_error)

#define S3_MAGIC 0x11223344u
#define S3_MAX_PAIRS 32

void
stt_reader_init (SttReader *r, GBytes *bytes, const char *name)
{
  memset (r, 0, sizeof *r);
  r->data = g_bytes_get_data (bytes, &r->size);
  r->name = name;
}

gboolean
stt_reader_need (SttReader *r, gsize n, const char *what, GError **error)
{
  if (n <= r->size - r->pos)
    return TRUE;
  g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_TRUNCATED,
      "%s: truncated at byte %" G_GSIZE_FORMAT " reading %s: need %" G_GSIZE_FORMAT
      " bytes, only %" G_GSIZE_FORMAT " left (file size %" G_GSIZE_FORMAT "); the file is "
      "incomplete, copy it again", r->name, r->pos, what, n, r->size - r->pos, r->size);
  return FALSE;
}

static inline guint32
rotl32 (guint32 v, int k)
{
  return (v << k) | (v >> (32 - k));
}

/* @n values of @width (2 or 4) bytes into @out, swapped to host order, checksummed. */
static gboolean
read_array (SttReader *r, const char *what, gsize n, int width, void *out, GError **error)
{
  if (!stt_reader_need (r, n > G_MAXSIZE / width ? G_MAXSIZE : n * width, what, error))
    return FALSE;
  memcpy (out, r->data + r->pos, n * width);
  r->pos += n * width;
  for (gsize i = 0; i < n; i++) {
    guint32 v;
    if (width == 4) {
      guint32 *p = (guint32 *) out + i;
      v = *p = r->swap ? GUINT32_SWAP_LE_BE (*p) : *p;
    } else {
      guint16 *p = (guint16 *) out + i;
      v = *p = r->swap ? GUINT16_SWAP_LE_BE (*p) : *p;
    }
    if (r->checksum)   /* rotation 20 per 4-byte value, 10 per 2-byte value (§3) */
      r->sum = rotl32 (r->sum, width * 5) + v;
  }
  return TRUE;
}

gboolean
stt_reader_u32_array (SttReader *r, const char *what, gsize n, guint32 *out, GError **error)
{
  return read_array (r, what, n, 4, out, error);
}

gboolean
stt_reader_u16_array (SttReader *r, const char *what, gsize n, guint16 *out, GError **error)
{
  return read_array (r, what, n, 2, out, error);
}

gboolean
stt_reader_u32 (SttReader *r, const char *what, guint32 *out, GError **error)
{
  return stt_reader_u32_array (r, what, 1, out, error);
}

gboolean
stt_reader_i32 (SttReader *r, const char *what, gint32 *out, GError **error)
{
  return stt_reader_u32_array (r, what, 1, (guint32 *) out, error);
}

gboolean
stt_reader_bytes (SttReader *r, const char *what, gsize n, const guint8 **out, GError **error)
{
  if (!stt_reader_need (r, n, what, error))
    return FALSE;
  *out = r->data + r->pos;
  if (r->checksum)
    for (gsize i = 0; i < n; i++)
      r->sum = rotl32 (r->sum, 5) + r->data[r->pos + i];
  r->pos += n;
  return TRUE;
}

gboolean
stt_reader_at_end (SttReader *r, GError **error)
{
  if (r->pos == r->size)
    return TRUE;
  g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
      "%s: %" G_GSIZE_FORMAT " unexpected bytes after the data at byte %" G_GSIZE_FORMAT
      " (expected the file to end there); the file is damaged or not this kind of file",
      r->name, r->size - r->pos, r->pos);
  return FALSE;
}

gboolean
stt_check_range (const SttReader *r, gsize offset, const char *what, gint64 value, gint64 lo,
    gint64 hi, GError **error)
{
  if (value >= lo && value <= hi)
    return TRUE;
  g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
      "%s: %s at byte %" G_GSIZE_FORMAT " is %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT
      "..%" G_GINT64_FORMAT "; the file is damaged", r->name, what, offset, value, lo, hi);
  return FALSE;
}

/* One text line starting at r->pos (without the newline), advancing past it. */
static gboolean
read_line (SttReader *r, char **line, GError **error)
{
  const guint8 *start = r->data + r->pos;
  const guint8 *nl = memchr (start, '\n', MIN (r->size - r->pos, 4096));
  if (!nl) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_TRUNCATED,
        "%s: header line at byte %" G_GSIZE_FORMAT " has no end (expected a newline within "
        "4096 bytes before \"endhdr\"); the file is damaged or not a Sphinx-3 file",
        r->name, r->pos);
    return FALSE;
  }
  *line = g_strndup ((const char *) start, nl - start);
  r->pos += nl - start + 1;
  return TRUE;
}

gboolean
stt_s3_read_header (SttReader *r, GHashTable **header, GError **error)
{
  if (r->size < 3 || memcmp (r->data, "s3\n", 3) != 0) {
    char found[16] = "";
    for (gsize i = 0; i < MIN (r->size, 4); i++)
      g_snprintf (found + strlen (found), 4, "%02x ", r->data[i]);
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_FOREIGN,
        "%s: not a Sphinx-3 binary file: expected \"s3\\n\" at byte 0, found bytes %s"
        "(check that this is the right file)", r->name, found);
    return FALSE;
  }
  r->pos = 3;
  g_autoptr (GHashTable) h = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (;;) {
    gsize at = r->pos;
    g_autofree char *line = NULL;
    if (!read_line (r, &line, error))
      return FALSE;
    g_auto (GStrv) words = g_strsplit_set (g_strstrip (line), " \t", 2);
    if (!words[0] || !*words[0] || words[0][0] == '#')
      continue;
    if (strcmp (words[0], "endhdr") == 0)
      break;
    if (g_hash_table_size (h) >= S3_MAX_PAIRS) {
      g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
          "%s: more than %d header pairs before \"endhdr\" (at byte %" G_GSIZE_FORMAT
          "); the file is damaged", r->name, S3_MAX_PAIRS, at);
      return FALSE;
    }
    g_hash_table_replace (h, g_strdup (words[0]),
        g_strdup (words[1] ? g_strstrip (words[1]) : ""));
  }
  gsize at = r->pos;
  guint32 magic;
  if (!stt_reader_u32 (r, "the byte-order magic", &magic, error))
    return FALSE;
  if (magic == GUINT32_SWAP_LE_BE (S3_MAGIC)) {
    r->swap = TRUE;
  } else if (magic != S3_MAGIC) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
        "%s: byte-order magic at byte %" G_GSIZE_FORMAT " is 0x%08x, expected 0x11223344 "
        "(or 0x44332211); the file is damaged", r->name, at, magic);
    return FALSE;
  }
  r->checksum = g_hash_table_contains (h, "chksum0");
  r->sum = 0;
  *header = g_steal_pointer (&h);
  return TRUE;
}

gboolean
stt_s3_read_checksum (SttReader *r, GHashTable *header, GError **error)
{
  if (g_hash_table_contains (header, "chksum0")) {
    guint32 want = r->sum, found;
    gsize at = r->pos;
    r->checksum = FALSE;
    if (!stt_reader_u32 (r, "the checksum", &found, error))
      return FALSE;
    if (found != want) {
      g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
          "%s: checksum at byte %" G_GSIZE_FORMAT " is 0x%08x but the data sums to 0x%08x; "
          "the file is damaged, copy it again", r->name, at, found, want);
      return FALSE;
    }
  }
  return stt_reader_at_end (r, error);
}

gboolean
stt_own_read_header (SttReader *r, const char magic[8], GError **error)
{
  const guint8 *m;
  r->swap = G_BYTE_ORDER == G_BIG_ENDIAN;
  if (!stt_reader_bytes (r, "the magic", 8, &m, error))
    return FALSE;
  if (memcmp (m, magic, 8) != 0) {
    g_autofree char *found = g_strcanon (g_strndup ((const char *) m, 8),
        G_CSET_A_2_Z G_CSET_a_2_z G_CSET_DIGITS "_+-", '?');
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_FOREIGN,
        "%s: not a gst-stt %.7s file: expected magic \"%.7s\" at byte 0, found \"%.8s\"; "
        "re-import the model with stt-model", r->name, magic, magic, found);
    return FALSE;
  }
  guint32 version;
  gsize at = r->pos;
  if (!stt_reader_u32 (r, "the format version", &version, error))
    return FALSE;
  if (version != 1) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_UNSUPPORTED,
        "%s: format version at byte %" G_GSIZE_FORMAT " is %u, this build reads version 1; "
        "re-import the model with this version of stt-model", r->name, at, version);
    return FALSE;
  }
  return TRUE;
}

void
stt_own_write_header (GByteArray *out, const char magic[8])
{
  g_byte_array_append (out, (const guint8 *) magic, 8);
  stt_own_write_u32 (out, 1);
}

void
stt_own_write_u32 (GByteArray *out, guint32 v)
{
  guint32 le = GUINT32_TO_LE (v);
  g_byte_array_append (out, (const guint8 *) &le, 4);
}

void
stt_own_write_f32 (GByteArray *out, float v)
{
  guint32 u;
  memcpy (&u, &v, 4);
  stt_own_write_u32 (out, u);
}
