/* gst-stt — the section container of the own LM and lexicon formats: checked reading, writing.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "image.h"

#include <string.h>

gboolean
stt_image_fail (const SttImage *im, gsize offset, GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, im->domain, im->code, "%s: byte %" G_GSIZE_FORMAT ": %s; the %s file is "
      "corrupt or truncated: build or import it again", im->name, offset, msg, im->what);
  g_free (msg);
  return FALSE;
}

gsize
stt_image_offset (const SttImage *im, gconstpointer p)
{
  return (gsize) ((const guint8 *) p - im->data);
}

gboolean
stt_image_open (SttImage *im, const char *magic, guint32 version, GError **error)
{
  if (im->size < STT_IMAGE_HEADER_SIZE || memcmp (im->data, magic, 8) != 0)
    return stt_image_fail (im, 0, error, "no \"%.8s\" magic: not a gst-stt %s file", magic,
        im->what);
  guint32 hdr[6];
  memcpy (hdr, im->data + 8, sizeof hdr);
  im->version = GUINT32_FROM_LE (hdr[0]);
  im->n_sections = GUINT32_FROM_LE (hdr[1]);
  for (guint i = 0; i < 4; i++)
    im->params[i] = GUINT32_FROM_LE (hdr[2 + i]);
  if (im->version != version)
    return stt_image_fail (im, 8, error, "format version %u, this build reads version %u",
        im->version, version);
  if (im->n_sections > STT_IMAGE_MAX_SECTIONS
      || im->size < STT_IMAGE_HEADER_SIZE + (gsize) im->n_sections * STT_IMAGE_ENTRY_SIZE)
    return stt_image_fail (im, 12, error, "a section table of %u entries does not fit",
        im->n_sections);
  return TRUE;
}

gboolean
stt_image_section (const SttImage *im, const char *tag, gsize elem_size, guint64 count,
    gboolean required, gconstpointer *out, gsize *out_size, GError **error)
{
  *out = NULL;
  for (guint i = 0; i < im->n_sections; i++) {
    gsize ent = STT_IMAGE_HEADER_SIZE + (gsize) i * STT_IMAGE_ENTRY_SIZE;
    if (memcmp (im->data + ent, tag, 4) != 0)
      continue;
    guint64 off, size;
    memcpy (&off, im->data + ent + 8, 8);
    memcpy (&size, im->data + ent + 16, 8);
    off = GUINT64_FROM_LE (off);
    size = GUINT64_FROM_LE (size);
    if (off % 8 != 0 || off > im->size || size > im->size - off)
      return stt_image_fail (im, ent, error, "section %.4s at %" G_GUINT64_FORMAT " (%"
          G_GUINT64_FORMAT " bytes) is misaligned or beyond the end of the file (%"
          G_GSIZE_FORMAT " bytes)", tag, off, size, im->size);
    if (elem_size && (count > G_MAXUINT64 / elem_size || size != count * elem_size))
      return stt_image_fail (im, ent, error, "section %.4s has %" G_GUINT64_FORMAT
          " bytes, expected %" G_GUINT64_FORMAT " elements of %" G_GSIZE_FORMAT, tag, size,
          count, elem_size);
    *out = im->data + off;
    if (out_size)
      *out_size = (gsize) size;
    return TRUE;
  }
  if (required)
    return stt_image_fail (im, STT_IMAGE_HEADER_SIZE, error, "section %.4s is missing", tag);
  return TRUE;
}

/* ---- writing -------------------------------------------------------------------------------- */
typedef struct {
  char tag[4];
  gpointer data;
  gsize size;
} Section;

struct _SttImageWriter {
  GArray *sections;
};

SttImageWriter *
stt_image_writer_new (void)
{
  SttImageWriter *w = g_new0 (SttImageWriter, 1);
  w->sections = g_array_new (FALSE, FALSE, sizeof (Section));
  return w;
}

void
stt_image_writer_add (SttImageWriter *w, const char *tag, gpointer data, gsize size)
{
  Section s;
  memcpy (s.tag, tag, 4);
  s.data = data;
  s.size = size;
  g_array_append_val (w->sections, s);
}

void
stt_image_writer_free (SttImageWriter *w)
{
  if (!w)
    return;
  for (guint i = 0; i < w->sections->len; i++)
    g_free (g_array_index (w->sections, Section, i).data);
  g_array_unref (w->sections);
  g_free (w);
}

static gsize
align8 (gsize n)
{
  return (n + 7) & ~(gsize) 7;
}

GBytes *
stt_image_writer_finish (SttImageWriter *w, const char *magic, guint32 version,
    const guint32 params[4])
{
  GArray *secs = w->sections;
  gsize start = align8 (STT_IMAGE_HEADER_SIZE + (gsize) secs->len * STT_IMAGE_ENTRY_SIZE);
  gsize total = start;
  for (guint i = 0; i < secs->len; i++)
    total += align8 (g_array_index (secs, Section, i).size);
  guint8 *img = g_malloc0 (total);
  memcpy (img, magic, 8);
  guint32 hdr[6] = { GUINT32_TO_LE (version), GUINT32_TO_LE (secs->len) };
  for (guint i = 0; i < 4; i++)
    hdr[2 + i] = GUINT32_TO_LE (params[i]);
  memcpy (img + 8, hdr, sizeof hdr);
  gsize pos = start;
  for (guint i = 0; i < secs->len; i++) {
    Section *s = &g_array_index (secs, Section, i);
    guint8 *ent = img + STT_IMAGE_HEADER_SIZE + (gsize) i * STT_IMAGE_ENTRY_SIZE;
    guint64 off = GUINT64_TO_LE (pos), size = GUINT64_TO_LE (s->size);
    memcpy (ent, s->tag, 4);
    memcpy (ent + 8, &off, 8);
    memcpy (ent + 16, &size, 8);
    if (s->size)
      memcpy (img + pos, s->data, s->size);
    pos += align8 (s->size);
  }
  stt_image_writer_free (w);
  return g_bytes_new_take (img, total);
}

/* ---- string tables -------------------------------------------------------------------------- */
static int
cmp_ids (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const char *const *strings = user_data;
  return strcmp (strings[*(const guint32 *) a], strings[*(const guint32 *) b]);
}

gint64
stt_strings_write (SttImageWriter *w, char prefix, const char *const *strings, guint32 n)
{
  GString *str = g_string_new (NULL);
  guint32 *off = g_new (guint32, MAX (n, 1));
  guint32 *sorted = g_new (guint32, MAX (n, 1));
  for (guint32 i = 0; i < n; i++) {
    off[i] = (guint32) str->len;
    g_string_append_len (str, strings[i], (gssize) strlen (strings[i]) + 1);
    sorted[i] = i;
  }
  g_qsort_with_data (sorted, (gint) n, sizeof (guint32), cmp_ids, (gpointer) strings);
  for (guint32 i = 1; i < n; i++)
    if (strcmp (strings[sorted[i - 1]], strings[sorted[i]]) == 0) {
      gint64 dup = MAX (sorted[i - 1], sorted[i]);
      g_free (off);
      g_free (sorted);
      g_string_free (str, TRUE);
      return dup;
    }
  char tag[4] = { prefix, 'S', 'T', 'R' };
  gsize len = str->len;
  stt_image_writer_add (w, tag, g_string_free (str, FALSE), len);
  memcpy (tag + 1, "OFF", 3);
  stt_image_writer_add (w, tag, off, (gsize) n * 4);
  memcpy (tag + 1, "SRT", 3);
  stt_image_writer_add (w, tag, sorted, (gsize) n * 4);
  return -1;
}

gboolean
stt_strings_read (const SttImage *im, char prefix, guint32 n, SttStrings *s, GError **error)
{
  char tag[5] = { prefix, 'S', 'T', 'R', 0 };
  gconstpointer p;
  memset (s, 0, sizeof *s);
  s->n = n;
  if (!stt_image_section (im, tag, 0, 0, TRUE, &p, &s->len, error))
    return FALSE;
  s->str = p;
  memcpy (tag + 1, "OFF", 3);
  if (!stt_image_section (im, tag, 4, n, TRUE, &p, NULL, error))
    return FALSE;
  s->off = p;
  memcpy (tag + 1, "SRT", 3);
  if (!stt_image_section (im, tag, 4, n, TRUE, &p, NULL, error))
    return FALSE;
  s->sorted = p;
  if (n > 0 && (s->len == 0 || s->str[s->len - 1] != '\0'))
    return stt_image_fail (im, stt_image_offset (im, s->str), error, "the strings of %c do "
        "not end with NUL", prefix);
  for (guint32 i = 0; i < n; i++)
    if (s->off[i] >= s->len)
      return stt_image_fail (im, stt_image_offset (im, &s->off[i]), error, "string %u starts "
          "beyond the string table", i);
  /* strictly ascending strings of valid ids: a permutation without duplicates */
  for (guint32 i = 0; i < n; i++) {
    if (s->sorted[i] >= n)
      return stt_image_fail (im, stt_image_offset (im, &s->sorted[i]), error, "sorted id %u "
          "is out of range", s->sorted[i]);
    if (i > 0 && strcmp (stt_strings_get (s, s->sorted[i - 1]),
            stt_strings_get (s, s->sorted[i])) >= 0)
      return stt_image_fail (im, stt_image_offset (im, &s->sorted[i]), error, "the string "
          "index is not sorted or has duplicates");
  }
  return TRUE;
}

gint64
stt_strings_lookup (const SttStrings *s, const char *str)
{
  guint32 lo = 0, hi = s->n;
  while (lo < hi) {
    guint32 mid = lo + (hi - lo) / 2;
    guint32 id = s->sorted[mid];
    int c = strcmp (stt_strings_get (s, id), str);
    if (c == 0)
      return id;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}
