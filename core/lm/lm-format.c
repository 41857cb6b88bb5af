/* gst-stt — opening an own-format LM image in place, after checking every offset and index.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "lm-private.h"

#include <string.h>

G_DEFINE_QUARK (stt-lm-error-quark, stt_lm_error)

/* A value column "<prefix>F" or "<prefix>Q" + "<prefix>T". */
static gboolean
values (const SttImage *im, const char *prefix, guint32 n, SttLmValues *v, GError **error)
{
  char tf[5], tq[5], tt[5];
  g_snprintf (tf, 5, "%sF", prefix);
  g_snprintf (tq, 5, "%sQ", prefix);
  g_snprintf (tt, 5, "%sT", prefix);
  gconstpointer f, q, t;
  gsize tsize = 0;
  memset (v, 0, sizeof *v);
  if (!stt_image_section (im, tf, 4, n, FALSE, &f, NULL, error))
    return FALSE;
  if (f) {
    v->f = f;
    return TRUE;
  }
  if (!stt_image_section (im, tq, 2, n, TRUE, &q, NULL, error)
      || !stt_image_section (im, tt, 0, 0, TRUE, &t, &tsize, error))
    return FALSE;
  if (tsize % 4 != 0 || tsize == 0 || tsize > 65536 * 4)
    return stt_image_fail (im, stt_image_offset (im, t), error, "value table %s has %"
        G_GSIZE_FORMAT " bytes", tt, tsize);
  const guint16 *qi = q;
  for (guint32 i = 0; i < n; i++)
    if (qi[i] >= tsize / 4)
      return stt_image_fail (im, stt_image_offset (im, &qi[i]), error, "value index %u of %s "
          "is beyond its table of %" G_GSIZE_FORMAT, qi[i], tq, tsize / 4);
  v->q = q;
  v->table = t;
  return TRUE;
}

/* @next[0..n_parents] must rise from 0 to @n_children; @word[] must ascend within each range
 * and stay below @n_words. */
static gboolean
check_children (const SttImage *im, const guint32 *next, guint32 n_parents,
    const guint32 *word, guint32 n_children, guint32 n_words, GError **error)
{
  if (next[0] != 0 || next[n_parents] != n_children)
    return stt_image_fail (im, stt_image_offset (im, next), error, "children ranges start at "
        "%u and end at %u, expected 0 and %u", next[0], next[n_parents], n_children);
  for (guint32 p = 0; p < n_parents; p++) {
    if (next[p + 1] < next[p] || next[p + 1] > n_children)
      return stt_image_fail (im, stt_image_offset (im, &next[p + 1]), error, "children range "
          "of entry %u runs backwards or past the end", p);
    for (guint32 c = next[p]; c < next[p + 1]; c++) {
      if (word[c] >= n_words)
        return stt_image_fail (im, stt_image_offset (im, &word[c]), error, "word id %u is out "
            "of range (%u words)", word[c], n_words);
      if (c > next[p] && word[c] <= word[c - 1])
        return stt_image_fail (im, stt_image_offset (im, &word[c]), error, "n-gram words are "
            "not ascending");
    }
  }
  return TRUE;
}

#define SECTION(tag, size, count, field) \
  G_STMT_START { \
    gconstpointer p_; \
    if (!stt_image_section (im, tag, size, count, TRUE, &p_, NULL, error)) \
      return FALSE; \
    lm->field = p_; \
  } G_STMT_END

static gboolean
parse_image (SttImage *im, SttLm *lm, GError **error)
{
  if (!stt_image_open (im, STT_LM_MAGIC, STT_LM_VERSION, error))
    return FALSE;
  lm->order = im->params[0];
  if (lm->order < 1 || lm->order > STT_LM_MAX_ORDER)
    return stt_image_fail (im, 16, error, "order %u is not 1..%d", lm->order, STT_LM_MAX_ORDER);
  for (guint n = 1; n <= STT_LM_MAX_ORDER; n++)
    lm->n[n] = im->params[n];
  if (lm->n[1] == 0)
    return stt_image_fail (im, 20, error, "the vocabulary is empty");
  for (guint n = lm->order + 1; n <= STT_LM_MAX_ORDER; n++)
    if (lm->n[n] != 0)
      return stt_image_fail (im, 16 + 4 * n, error, "%u-grams in an order-%u model", n,
          lm->order);
  guint32 n1 = lm->n[1], n2 = lm->n[2], n3 = lm->n[3];
  if (!stt_strings_read (im, 'V', n1, &lm->vocab, error))
    return FALSE;
  SECTION ("UPRB", 4, n1, uprob);
  SECTION ("UBOF", 4, n1, ubo);
  if (lm->order >= 2) {
    SECTION ("UNXT", 4, (guint64) n1 + 1, unext);
    SECTION ("BWRD", 4, n2, bword);
    if (!check_children (im, lm->unext, n1, lm->bword, n2, n1, error)
        || !values (im, "BPR", n2, &lm->bprob, error))
      return FALSE;
  }
  if (lm->order >= 3) {
    SECTION ("BNXT", 4, (guint64) n2 + 1, bnext);
    SECTION ("TWRD", 4, n3, tword);
    if (!check_children (im, lm->bnext, n2, lm->tword, n3, n1, error)
        || !values (im, "BBO", n2, &lm->bbo, error)
        || !values (im, "TPR", n3, &lm->tprob, error))
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
  SttImage im = { g_bytes_get_data (lm->bytes, NULL), size, lm->name, "LM", STT_LM_ERROR,
    STT_LM_ERROR_FORMAT };
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
