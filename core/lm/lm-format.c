/* gst-stt — opening an own-format LM image in place, after checking every offset and index.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "lm-private.h"

#include <string.h>

G_DEFINE_QUARK (stt-lm-error-quark, stt_lm_error)

typedef struct {
  const guint8 *data;
  gsize size;
  const char *name;
  guint n_sections;
} Image;

static gboolean
fail (GError **error, const Image *im, gsize offset, const char *fmt, ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (GError **error, const Image *im, gsize offset, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_FORMAT,
      "%s: byte %" G_GSIZE_FORMAT ": %s; the LM file is corrupt or truncated, rebuild it "
      "(stt-lm convert)", im->name, offset, msg);
  g_free (msg);
  return FALSE;
}

/* Find section @tag; if @elem_size > 0 its size must be @count elements of that size. Sets
 * *out (NULL if absent and not @required). */
static gboolean
section (const Image *im, const char *tag, gsize elem_size, guint64 count, gboolean required,
    gconstpointer *out, gsize *out_size, GError **error)
{
  *out = NULL;
  for (guint i = 0; i < im->n_sections; i++) {
    gsize ent = STT_LM_HEADER_SIZE + (gsize) i * STT_LM_SECTION_SIZE;
    if (memcmp (im->data + ent, tag, 4) != 0)
      continue;
    guint64 off, size;
    memcpy (&off, im->data + ent + 8, 8);
    memcpy (&size, im->data + ent + 16, 8);
    if (off % 8 != 0 || off > im->size || size > im->size - off)
      return fail (error, im, ent, "section %.4s at %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT
          " bytes) is misaligned or beyond the end of the file (%" G_GSIZE_FORMAT " bytes)",
          tag, off, size, im->size);
    if (elem_size && size != count * elem_size)
      return fail (error, im, ent, "section %.4s has %" G_GUINT64_FORMAT " bytes, expected %"
          G_GUINT64_FORMAT, tag, size, count * elem_size);
    *out = im->data + off;
    if (out_size)
      *out_size = size;
    return TRUE;
  }
  if (required)
    return fail (error, im, STT_LM_HEADER_SIZE, "section %.4s is missing", tag);
  return TRUE;
}

static gsize
offset_of (const Image *im, gconstpointer p)
{
  return (gsize) ((const guint8 *) p - im->data);
}

/* A value column "<prefix>F" or "<prefix>Q" + "<prefix>T". */
static gboolean
values (const Image *im, const char *prefix, guint32 n, SttLmValues *v, GError **error)
{
  char tf[5], tq[5], tt[5];
  g_snprintf (tf, 5, "%sF", prefix);
  g_snprintf (tq, 5, "%sQ", prefix);
  g_snprintf (tt, 5, "%sT", prefix);
  gconstpointer f, q, t;
  gsize tsize = 0;
  memset (v, 0, sizeof *v);
  if (!section (im, tf, 4, n, FALSE, &f, NULL, error))
    return FALSE;
  if (f) {
    v->f = f;
    return TRUE;
  }
  if (!section (im, tq, 2, n, TRUE, &q, NULL, error)
      || !section (im, tt, 0, 0, TRUE, &t, &tsize, error))
    return FALSE;
  if (tsize % 4 != 0 || tsize == 0 || tsize > 65536 * 4)
    return fail (error, im, offset_of (im, t), "value table %s has %" G_GSIZE_FORMAT " bytes",
        tt, tsize);
  const guint16 *qi = q;
  for (guint32 i = 0; i < n; i++)
    if (qi[i] >= tsize / 4)
      return fail (error, im, offset_of (im, &qi[i]), "value index %u of %s is beyond its "
          "table of %" G_GSIZE_FORMAT, qi[i], tq, tsize / 4);
  v->q = q;
  v->table = t;
  return TRUE;
}

/* @next[0..n_parents] must rise from 0 to @n_children; @word[] must ascend within each range
 * and stay below @n_words. */
static gboolean
check_children (const Image *im, const guint32 *next, guint32 n_parents, const guint32 *word,
    guint32 n_children, guint32 n_words, GError **error)
{
  if (next[0] != 0 || next[n_parents] != n_children)
    return fail (error, im, offset_of (im, next), "children ranges start at %u and end at %u, "
        "expected 0 and %u", next[0], next[n_parents], n_children);
  for (guint32 p = 0; p < n_parents; p++) {
    if (next[p + 1] < next[p] || next[p + 1] > n_children)
      return fail (error, im, offset_of (im, &next[p + 1]), "children range of entry %u "
          "runs backwards or past the end", p);
    for (guint32 c = next[p]; c < next[p + 1]; c++) {
      if (word[c] >= n_words)
        return fail (error, im, offset_of (im, &word[c]), "word id %u is out of range "
            "(%u words)", word[c], n_words);
      if (c > next[p] && word[c] <= word[c - 1])
        return fail (error, im, offset_of (im, &word[c]), "n-gram words are not ascending");
    }
  }
  return TRUE;
}

static gboolean
vocabulary (const Image *im, SttLm *lm, GError **error)
{
  guint32 n1 = lm->n[1];
  gconstpointer s, o, srt;
  gsize len;
  if (!section (im, "VSTR", 0, 0, TRUE, &s, &len, error)
      || !section (im, "VOFF", 4, n1, TRUE, &o, NULL, error)
      || !section (im, "VSRT", 4, n1, TRUE, &srt, NULL, error))
    return FALSE;
  lm->vstr = s;
  lm->vstr_len = len;
  lm->voff = o;
  lm->vsorted = srt;
  if (len == 0 || lm->vstr[len - 1] != '\0')
    return fail (error, im, offset_of (im, s), "the word strings do not end with NUL");
  for (guint32 i = 0; i < n1; i++)
    if (lm->voff[i] >= len)
      return fail (error, im, offset_of (im, &lm->voff[i]), "word %u starts beyond the strings",
          i);
  /* strictly ascending strings of valid ids: a permutation without duplicate words */
  for (guint32 i = 0; i < n1; i++) {
    if (lm->vsorted[i] >= n1)
      return fail (error, im, offset_of (im, &lm->vsorted[i]), "sorted word id %u is out of "
          "range", lm->vsorted[i]);
    if (i > 0 && strcmp (lm->vstr + lm->voff[lm->vsorted[i - 1]],
            lm->vstr + lm->voff[lm->vsorted[i]]) >= 0)
      return fail (error, im, offset_of (im, &lm->vsorted[i]), "the word index is not sorted "
          "or has duplicates");
  }
  return TRUE;
}

static gboolean
parse_image (const Image *src, SttLm *lm, GError **error)
{
  Image im = *src;
  if (im.size < STT_LM_HEADER_SIZE || memcmp (im.data, STT_LM_MAGIC, 8) != 0)
    return fail (error, &im, 0, "not an STTNGRAM language model (no \"" STT_LM_MAGIC
        "\" magic)");
  guint32 hdr[6];
  memcpy (hdr, im.data + 8, sizeof hdr);
  if (hdr[0] != STT_LM_VERSION) {
    g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_UNSUPPORTED, "%s: byte 8: LM format "
        "version %u, this build reads version %u; convert the LM again with this stt-lm",
        im.name, hdr[0], STT_LM_VERSION);
    return FALSE;
  }
  if (hdr[1] < 1 || hdr[1] > STT_LM_MAX_ORDER)
    return fail (error, &im, 12, "order %u is not 1..%d", hdr[1], STT_LM_MAX_ORDER);
  lm->order = hdr[1];
  for (guint n = 1; n <= STT_LM_MAX_ORDER; n++)
    lm->n[n] = hdr[1 + n];
  if (lm->n[1] == 0)
    return fail (error, &im, 16, "the vocabulary is empty");
  for (guint n = lm->order + 1; n <= STT_LM_MAX_ORDER; n++)
    if (lm->n[n] != 0)
      return fail (error, &im, 12 + 4 * n, "%u-grams in an order-%u model", n, lm->order);
  im.n_sections = hdr[5];
  if (im.n_sections > STT_LM_MAX_SECTIONS
      || im.size < STT_LM_HEADER_SIZE + (gsize) im.n_sections * STT_LM_SECTION_SIZE)
    return fail (error, &im, 28, "section table of %u entries does not fit", im.n_sections);

  guint32 n1 = lm->n[1], n2 = lm->n[2], n3 = lm->n[3];
  gconstpointer p;
  if (!vocabulary (&im, lm, error))
    return FALSE;
  if (!section (&im, "UPRB", 4, n1, TRUE, &p, NULL, error))
    return FALSE;
  lm->uprob = p;
  if (!section (&im, "UBOF", 4, n1, TRUE, &p, NULL, error))
    return FALSE;
  lm->ubo = p;
  if (lm->order >= 2) {
    if (!section (&im, "UNXT", 4, (guint64) n1 + 1, TRUE, &p, NULL, error))
      return FALSE;
    lm->unext = p;
    if (!section (&im, "BWRD", 4, n2, TRUE, &p, NULL, error))
      return FALSE;
    lm->bword = p;
    if (!check_children (&im, lm->unext, n1, lm->bword, n2, n1, error)
        || !values (&im, "BPR", n2, &lm->bprob, error))
      return FALSE;
  }
  if (lm->order >= 3) {
    if (!section (&im, "BNXT", 4, (guint64) n2 + 1, TRUE, &p, NULL, error))
      return FALSE;
    lm->bnext = p;
    if (!section (&im, "TWRD", 4, n3, TRUE, &p, NULL, error))
      return FALSE;
    lm->tword = p;
    if (!check_children (&im, lm->bnext, n2, lm->tword, n3, n1, error)
        || !values (&im, "BBO", n2, &lm->bbo, error)
        || !values (&im, "TPR", n3, &lm->tprob, error))
      return FALSE;
  }
  return TRUE;
}

SttLm *
stt_lm_new_from_bytes (GBytes *bytes, const char *name, GError **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  if (!name)
    name = "(memory)";
  if (G_BYTE_ORDER != G_LITTLE_ENDIAN) {
    g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_UNSUPPORTED,
        "%s: the LM format is little-endian and this host is not", name);
    return NULL;
  }
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);
  SttLm *lm = g_new0 (SttLm, 1);
  lm->ref_count = 1;
  lm->name = g_strdup (name);
  /* sections are 8-aligned relative to the start; the arrays need the start aligned too */
  if (((guintptr) data & 7) != 0)
    lm->bytes = g_bytes_new (data, size);
  else
    lm->bytes = g_bytes_ref (bytes);
  Image im = { g_bytes_get_data (lm->bytes, NULL), size, name, 0 };
  if (!im.data)
    im.data = (const guint8 *) "";
  if (!parse_image (&im, lm, error)) {
    stt_lm_unref (lm);
    return NULL;
  }
  return lm;
}

SttLm *
stt_lm_ref (SttLm *lm)
{
  g_return_val_if_fail (lm != NULL, NULL);
  g_atomic_int_inc (&lm->ref_count);
  return lm;
}

void
stt_lm_unref (SttLm *lm)
{
  if (!lm || !g_atomic_int_dec_and_test (&lm->ref_count))
    return;
  g_bytes_unref (lm->bytes);
  g_free (lm->name);
  g_free (lm);
}

GBytes *
stt_lm_get_bytes (const SttLm *lm)
{
  return g_bytes_ref (lm->bytes);
}
