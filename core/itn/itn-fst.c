/* gst-stt — reading, checking and writing the binary ITN transducer format (itn-fst.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "itn-fst.h"
#include "stt/itn.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (stt-itn-error-quark, stt_itn_error)

guint32
stt_wfst_hash (const char *word)
{
  guint32 h = 2166136261u;
  for (const guint8 *p = (const guint8 *) word; *p; p++)
    h = (h ^ *p) * 16777619u;
  return h;
}

guint64
stt_wfst_checksum (const guint8 *data, gsize len)
{
  guint64 h = G_GUINT64_CONSTANT (14695981039346656037);
  for (gsize i = 0; i < len; i++)
    h = (h ^ data[i]) * G_GUINT64_CONSTANT (1099511628211);
  return h;
}

/* Byte sizes of the sections after the header, in file order. */
static void
section_sizes (const guint32 *h, guint64 sizes[9])
{
  guint64 n_states = h[0], n_arcs = h[1], n_isyms = h[2], n_osyms = h[3], hash_size = h[4];
  sizes[0] = (n_states + 1) * 4;
  sizes[1] = n_states * 4;
  sizes[2] = n_arcs * sizeof (SttWfstArc);
  sizes[3] = (n_isyms + 1) * 4;
  sizes[4] = (n_osyms + 1) * 4;
  sizes[5] = hash_size * 4;
  sizes[6] = (n_osyms + 3) & ~(guint64) 3;
  sizes[7] = h[6];
  sizes[8] = 0;
}

static gboolean
fail (GError **error, const char *name, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, const char *name, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, STT_ITN_ERROR, STT_ITN_ERROR_FORMAT,
      "%s: %s; rebuild it with stt-itn-compile from the grammar sources", name, msg);
  g_free (msg);
  return FALSE;
}

static gboolean
check_symbols (const guint32 *off, guint32 n, const char *strings, guint32 lo, guint32 hi,
    const char *what, const char *name, GError **error)
{
  /* input words come first in the string section, output pieces after them */
  if (off[0] != lo || off[n] != hi)
    return fail (error, name, "%s table does not span the string section", what);
  for (guint32 i = 0; i < n; i++) {
    if (off[i + 1] <= off[i] || off[i + 1] > hi || strings[off[i + 1] - 1] != '\0')
      return fail (error, name, "%s %u is not a NUL-terminated string", what, i);
  }
  return TRUE;
}

static gboolean
check_states (SttWfst *f, const char *name, GError **error)
{
  if (f->start >= f->n_states)
    return fail (error, name, "start state %u out of range (%u states)", f->start, f->n_states);
  if (f->state_arcs[0] != 0 || f->state_arcs[f->n_states] != f->n_arcs)
    return fail (error, name, "arc index does not cover the %u arcs", f->n_arcs);
  for (guint32 s = 0; s < f->n_states; s++) {
    guint32 a0 = f->state_arcs[s], a1 = f->state_arcs[s + 1];
    if (a1 < a0 || a1 > f->n_arcs)
      return fail (error, name, "state %u has a bad arc range", s);
    if (isnan (f->final[s]) || f->final[s] < 0)
      return fail (error, name, "state %u has a bad final weight", s);
    for (guint32 a = a0; a < a1; a++) {
      const SttWfstArc *arc = &f->arcs[a];
      if (arc->next >= f->n_states || arc->ilabel >= f->n_isyms || arc->olabel >= f->n_osyms
          || !isfinite (arc->weight) || arc->weight < 0)
        return fail (error, name, "arc %u of state %u is out of range", a - a0, s);
      if (a > a0 && arc->ilabel < f->arcs[a - 1].ilabel)
        return fail (error, name, "arcs of state %u are not sorted", s);
    }
  }
  return TRUE;
}

gboolean
stt_wfst_parse (SttWfst *f, const guint8 *data, gsize len, const char *name, GError **error)
{
  if (G_BYTE_ORDER != G_LITTLE_ENDIAN)
    return fail (error, name, "only little-endian machines are supported");
  if (len < STT_WFST_HEADER_SIZE || memcmp (data, STT_WFST_MAGIC, 8) != 0)
    return fail (error, name, "not an ITN transducer (no %s header)", STT_WFST_MAGIC);
  guint32 h[8];
  memcpy (h, data + 12, sizeof h);
  guint32 version;
  memcpy (&version, data + 8, 4);
  if (version != STT_WFST_VERSION)
    return fail (error, name, "format version %u, this build reads %u", version,
        STT_WFST_VERSION);
  guint64 sizes[9], total = STT_WFST_HEADER_SIZE;
  section_sizes (h, sizes);
  for (int i = 0; i < 8; i++)
    total += sizes[i];
  if (total != len)
    return fail (error, name, "size is %" G_GSIZE_FORMAT " bytes, its header says %"
        G_GUINT64_FORMAT " (truncated or damaged)", len, total);
  guint64 sum;
  memcpy (&sum, data + 12 + sizeof h, 8);
  if (h[7] != 0)
    return fail (error, name, "reserved header field is not zero (damaged)");
  for (gsize i = 12 + sizeof h + 8; i < STT_WFST_HEADER_SIZE; i++)
    if (data[i] != 0)
      return fail (error, name, "header byte %" G_GSIZE_FORMAT " is not zero (damaged)", i);
  if (((guintptr) data & 3) != 0)
    return fail (error, name, "data is not 4-byte aligned");
  if (stt_wfst_checksum (data + STT_WFST_HEADER_SIZE, len - STT_WFST_HEADER_SIZE) != sum)
    return fail (error, name, "checksum mismatch (the file is damaged)");

  f->n_states = h[0];
  f->n_arcs = h[1];
  f->n_isyms = h[2];
  f->n_osyms = h[3];
  f->hash_size = h[4];
  f->start = h[5];
  f->strings_len = h[6];
  const guint8 *p = data + STT_WFST_HEADER_SIZE;
  f->state_arcs = (const guint32 *) p; p += sizes[0];
  f->final = (const float *) p; p += sizes[1];
  f->arcs = (const SttWfstArc *) p; p += sizes[2];
  f->isym_off = (const guint32 *) p; p += sizes[3];
  f->osym_off = (const guint32 *) p; p += sizes[4];
  f->hash = (const guint32 *) p; p += sizes[5];
  f->osym_kind = p; p += sizes[6];
  f->strings = (const char *) p;

  if (f->n_states == 0 || f->n_isyms < STT_WFST_FIRST_SYM || f->n_osyms < STT_WFST_FIRST_SYM)
    return fail (error, name, "empty transducer or symbol tables");
  if (f->hash_size < f->n_isyms || (f->hash_size & (f->hash_size - 1)) != 0)
    return fail (error, name, "bad word hash size %u", f->hash_size);
  guint32 mid = f->isym_off[f->n_isyms];
  if (mid > f->strings_len)
    return fail (error, name, "input symbol table runs past the string section");
  if (!check_symbols (f->isym_off, f->n_isyms, f->strings, 0, mid, "input symbol", name, error)
      || !check_symbols (f->osym_off, f->n_osyms, f->strings, mid, f->strings_len,
          "output symbol", name, error))
    return FALSE;
  for (guint32 i = 0; i < f->hash_size; i++) {
    if (f->hash[i] >= f->n_isyms || (f->hash[i] != 0 && f->hash[i] < STT_WFST_FIRST_SYM))
      return fail (error, name, "word hash entry %u out of range", i);
  }
  for (guint32 i = 0; i < f->n_osyms; i++) {
    if (f->osym_kind[i] > STT_WFST_OSYM_CLASS)
      return fail (error, name, "output symbol %u has unknown kind %u", i, f->osym_kind[i]);
  }
  return check_states (f, name, error);
}

guint32
stt_wfst_lookup (const SttWfst *f, const char *word)
{
  guint32 mask = f->hash_size - 1;
  for (guint32 i = stt_wfst_hash (word) & mask, n = 0; n < f->hash_size; i = (i + 1) & mask, n++) {
    guint32 s = f->hash[i];
    if (s == 0)
      break;
    if (strcmp (stt_wfst_isym (f, s), word) == 0)
      return s;
  }
  return STT_WFST_ANY;
}

static guint32
count (const char *const *v)
{
  guint32 n = 0;
  while (v[n])
    n++;
  return n;
}

GBytes *
stt_wfst_serialize (guint32 n_states, guint32 start, const guint32 *state_arcs,
    const float *final, const SttWfstArc *arcs, const char *const *isyms,
    const char *const *osyms, const guint8 *osym_kind)
{
  guint32 n_isyms = count (isyms), n_osyms = count (osyms);
  guint32 hash_size = 4;
  while (hash_size < 2 * n_isyms)
    hash_size *= 2;
  GByteArray *strings = g_byte_array_new ();
  guint32 *isym_off = g_new0 (guint32, n_isyms + 1), *osym_off = g_new0 (guint32, n_osyms + 1);
  for (guint32 i = 0; i < n_isyms; i++) {
    g_byte_array_append (strings, (const guint8 *) isyms[i], strlen (isyms[i]) + 1);
    isym_off[i + 1] = strings->len;
  }
  osym_off[0] = strings->len;
  for (guint32 i = 0; i < n_osyms; i++) {
    g_byte_array_append (strings, (const guint8 *) osyms[i], strlen (osyms[i]) + 1);
    osym_off[i + 1] = strings->len;
  }
  guint32 *hash = g_new0 (guint32, hash_size);
  for (guint32 i = STT_WFST_FIRST_SYM; i < n_isyms; i++) {
    guint32 j = stt_wfst_hash (isyms[i]) & (hash_size - 1);
    while (hash[j])
      j = (j + 1) & (hash_size - 1);
    hash[j] = i;
  }
  guint32 h[8] = { n_states, state_arcs[n_states], n_isyms, n_osyms, hash_size, start,
    strings->len, 0 };
  guint64 sizes[9];
  section_sizes (h, sizes);
  GByteArray *out = g_byte_array_sized_new (STT_WFST_HEADER_SIZE);
  guint8 header[STT_WFST_HEADER_SIZE] = { 0 };
  g_byte_array_append (out, header, sizeof header);
  g_byte_array_append (out, (const guint8 *) state_arcs, sizes[0]);
  g_byte_array_append (out, (const guint8 *) final, sizes[1]);
  g_byte_array_append (out, (const guint8 *) arcs, sizes[2]);
  g_byte_array_append (out, (const guint8 *) isym_off, sizes[3]);
  g_byte_array_append (out, (const guint8 *) osym_off, sizes[4]);
  g_byte_array_append (out, (const guint8 *) hash, sizes[5]);
  guint8 *kinds = g_malloc0 (sizes[6]);
  memcpy (kinds, osym_kind, n_osyms);
  g_byte_array_append (out, kinds, sizes[6]);
  g_byte_array_append (out, strings->data, strings->len);

  memcpy (out->data, STT_WFST_MAGIC, 8);
  guint32 version = STT_WFST_VERSION;
  memcpy (out->data + 8, &version, 4);
  memcpy (out->data + 12, h, sizeof h);
  guint64 sum = stt_wfst_checksum (out->data + STT_WFST_HEADER_SIZE,
      out->len - STT_WFST_HEADER_SIZE);
  memcpy (out->data + 12 + sizeof h, &sum, 8);

  g_free (kinds);
  g_free (hash);
  g_free (isym_off);
  g_free (osym_off);
  g_byte_array_free (strings, TRUE);
  return g_byte_array_free_to_bytes (out);
}
