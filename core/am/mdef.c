/* gst-stt — phone set and triphone tree: Sphinx binary mdef and the project's am/mdef.bin.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Both files hold the same body (§4 of the Sphinx notes): CI phone names, the context tree,
 * the phone table and the senone sequences; they differ only in what precedes the ten counts
 * (Sphinx: "BMDF", version, a text description; ours: "STTMDEF\0", version 1) and in that ours
 * is always little-endian. The whole structure is copied into native arrays on load (3 MB).
 */
#include "am-private.h"

#include <string.h>

typedef struct {
  gint16 ctx;
  gint16 n_down;
  gint32 pid_or_down;
} CdNode;

typedef struct {
  gint32 ssid;
  gint32 tmat;
  guint8 a[4];   /* CI: a[0] = filler flag; CD: wpos, base, left, right */
} Phone;

enum { N_COUNTS = 10 };

struct _SttMdef {
  gint refcount;
  gint32 n_ciphone, n_phone, n_emit_state, n_ci_sen, n_sen, n_tmat, n_sseq, n_ctx, n_cd_tree;
  gint32 sil_header;   /* as stored; the silence phone used is looked up by name */
  char **ciname;       /* n_ciphone, NULL-terminated */
  GHashTable *ci_by_name;
  int sil;
  CdNode *tree;
  Phone *phones;
  guint16 *sseq;       /* n_sseq × n_emit_state */
  gint16 *sen2cb;      /* n_sen */
};

static const char bmdf_magic[4] = { 'B', 'M', 'D', 'F' };
static const char own_magic[8] = { 'S', 'T', 'T', 'M', 'D', 'E', 'F', 0 };

static void
mdef_free (SttMdef *m)
{
  g_strfreev (m->ciname);
  g_clear_pointer (&m->ci_by_name, g_hash_table_unref);
  g_free (m->tree);
  g_free (m->phones);
  g_free (m->sseq);
  g_free (m->sen2cb);
  g_free (m);
}

SttMdef *
stt_mdef_ref (SttMdef *mdef)
{
  g_atomic_int_inc (&mdef->refcount);
  return mdef;
}

void
stt_mdef_unref (SttMdef *mdef)
{
  if (mdef && g_atomic_int_dec_and_test (&mdef->refcount))
    mdef_free (mdef);
}

static inline guint32
get32 (const guint8 *p, gboolean swap)
{
  guint32 v;
  memcpy (&v, p, 4);
  return swap ? GUINT32_SWAP_LE_BE (v) : v;
}

static inline guint16
get16 (const guint8 *p, gboolean swap)
{
  guint16 v;
  memcpy (&v, p, 2);
  return swap ? GUINT16_SWAP_LE_BE (v) : v;
}

static gboolean
read_counts (SttReader *r, SttMdef *m, GError **error)
{
  static const struct { const char *what; gint64 lo, hi; } lim[N_COUNTS] = {
    { "n_ciphone", 1, 255 }, { "n_phone", 1, 1 << 24 }, { "n_emit_state", 0, 16 },
    { "n_ci_sen", 1, 65535 }, { "n_sen", 1, 65535 }, { "n_tmat", 1, 65535 },
    { "n_sseq", 1, 1 << 24 }, { "n_ctx", 0, 16 }, { "n_cd_tree", 0, 1 << 26 },
    { "sil", -1, 255 },
  };
  gint32 *dst[N_COUNTS] = { &m->n_ciphone, &m->n_phone, &m->n_emit_state, &m->n_ci_sen,
    &m->n_sen, &m->n_tmat, &m->n_sseq, &m->n_ctx, &m->n_cd_tree, &m->sil_header };
  for (int i = 0; i < N_COUNTS; i++) {
    gsize at = r->pos;
    if (!stt_reader_i32 (r, lim[i].what, dst[i], error)
        || !stt_check_range (r, at, lim[i].what, *dst[i], lim[i].lo, lim[i].hi, error))
      return FALSE;
  }
  if (m->n_emit_state == 0) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_UNSUPPORTED,
        "%s: variable-length state sequences (n_emit_state 0) are not supported; use a model "
        "with a fixed HMM topology", r->name);
    return FALSE;
  }
  if (m->n_ctx != 3) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_UNSUPPORTED,
        "%s: n_ctx is %d, only triphone models (n_ctx 3) are supported", r->name, m->n_ctx);
    return FALSE;
  }
  if (m->n_phone < m->n_ciphone || m->n_ci_sen > m->n_sen) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
        "%s: inconsistent counts: n_phone %d < n_ciphone %d or n_ci_sen %d > n_sen %d; the "
        "file is damaged", r->name, m->n_phone, m->n_ciphone, m->n_ci_sen, m->n_sen);
    return FALSE;
  }
  return TRUE;
}

static gboolean
read_names (SttReader *r, SttMdef *m, GError **error)
{
  gsize start = r->pos;
  m->ciname = g_new0 (char *, m->n_ciphone + 1);
  m->ci_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  m->sil = -1;
  for (int i = 0; i < m->n_ciphone; i++) {
    gsize at = r->pos;
    const guint8 *nul = memchr (r->data + r->pos, 0, MIN (r->size - r->pos, 64));
    if (!nul || nul == r->data + r->pos) {
      if (!nul && r->size - r->pos < 64)
        return stt_reader_need (r, r->size - r->pos + 1, "a CI phone name", error);
      g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
          "%s: CI phone name %d at byte %" G_GSIZE_FORMAT " is %s (expected 1 to 63 "
          "characters and a NUL); the file is damaged", r->name, i, at,
          nul ? "empty" : "too long");
      return FALSE;
    }
    m->ciname[i] = g_strndup ((const char *) r->data + r->pos, nul - (r->data + r->pos));
    r->pos = nul - r->data + 1;
    if (g_hash_table_contains (m->ci_by_name, m->ciname[i])) {
      g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
          "%s: CI phone name \"%s\" at byte %" G_GSIZE_FORMAT " appears twice; the file is "
          "damaged", r->name, m->ciname[i], at);
      return FALSE;
    }
    g_hash_table_insert (m->ci_by_name, m->ciname[i], GINT_TO_POINTER (i + 1));
    if (strcmp (m->ciname[i], "SIL") == 0)
      m->sil = i;
  }
  gsize pad = (4 - (r->pos - start) % 4) % 4;
  const guint8 *skip;
  return stt_reader_bytes (r, "the padding after the CI phone names", pad, &skip, error);
}

static gboolean
read_tree (SttReader *r, SttMdef *m, GError **error)
{
  const guint8 *p;
  gsize start = r->pos;
  if (!stt_reader_bytes (r, "the context tree", (gsize) m->n_cd_tree * 8, &p, error))
    return FALSE;
  m->tree = g_new (CdNode, MAX (m->n_cd_tree, 1));
  for (gint32 i = 0; i < m->n_cd_tree; i++, p += 8) {
    CdNode *n = &m->tree[i];
    n->ctx = get16 (p, r->swap);
    n->n_down = get16 (p + 2, r->swap);
    n->pid_or_down = get32 (p + 4, r->swap);
    gsize at = start + (gsize) i * 8;
    if (!stt_check_range (r, at + 2, "a context-tree node's child count", n->n_down, 0,
            m->n_cd_tree, error))
      return FALSE;
    if (n->n_down > 0 ? !stt_check_range (r, at + 4, "a context-tree node's first child",
            n->pid_or_down, 0, m->n_cd_tree - n->n_down, error)
        : !stt_check_range (r, at + 4, "a context-tree leaf's phone id", n->pid_or_down, -1,
            m->n_phone - 1, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
read_phones (SttReader *r, SttMdef *m, GError **error)
{
  const guint8 *p;
  gsize start = r->pos;
  if (!stt_reader_bytes (r, "the phone table", (gsize) m->n_phone * 12, &p, error))
    return FALSE;
  m->phones = g_new (Phone, m->n_phone);
  for (gint32 i = 0; i < m->n_phone; i++, p += 12) {
    Phone *ph = &m->phones[i];
    gsize at = start + (gsize) i * 12;
    ph->ssid = get32 (p, r->swap);
    ph->tmat = get32 (p + 4, r->swap);
    memcpy (ph->a, p + 8, 4);
    if (!stt_check_range (r, at, "a phone's senone sequence id", ph->ssid, 0, m->n_sseq - 1,
            error)
        || !stt_check_range (r, at + 4, "a phone's transition matrix id", ph->tmat, 0,
            m->n_tmat - 1, error))
      return FALSE;
    if (i < m->n_ciphone) {
      if (!stt_check_range (r, at + 8, "a CI phone's filler flag", ph->a[0], 0, 1, error))
        return FALSE;
      continue;
    }
    if (!stt_check_range (r, at + 8, "a triphone's word position", ph->a[0], 0, 3, error))
      return FALSE;
    for (int k = 1; k < 4; k++)
      if (!stt_check_range (r, at + 8 + k, "a triphone's base/context phone", ph->a[k], 0,
              m->n_ciphone - 1, error))
        return FALSE;
  }
  return TRUE;
}

static gboolean
read_sseq (SttReader *r, SttMdef *m, GError **error)
{
  gint32 size;
  gsize at = r->pos;
  if (!stt_reader_i32 (r, "the senone sequence size", &size, error)
      || !stt_check_range (r, at, "the senone sequence size", size,
          (gint64) m->n_sseq * m->n_emit_state, (gint64) m->n_sseq * m->n_emit_state, error))
    return FALSE;
  m->sseq = g_new (guint16, size);
  at = r->pos;
  if (!stt_reader_u16_array (r, "the senone sequences", size, m->sseq, error))
    return FALSE;
  for (gint32 i = 0; i < size; i++)
    if (!stt_check_range (r, at + 2 * (gsize) i, "a senone id", m->sseq[i], 0, m->n_sen - 1,
            error))
      return FALSE;
  return TRUE;
}

/* Codebook of each senone = the base CI phone of the phones that use it (PTM). */
static gboolean
build_sen2cb (SttReader *r, SttMdef *m, GError **error)
{
  m->sen2cb = g_new (gint16, m->n_sen);
  for (gint32 s = 0; s < m->n_sen; s++)
    m->sen2cb[s] = -1;
  for (gint32 p = 0; p < m->n_phone; p++) {
    int base = p < m->n_ciphone ? p : m->phones[p].a[1];
    const guint16 *sen = m->sseq + (gsize) m->phones[p].ssid * m->n_emit_state;
    for (int j = 0; j < m->n_emit_state; j++)
      if (m->sen2cb[sen[j]] < 0)
        m->sen2cb[sen[j]] = base;
  }
  for (gint32 s = 0; s < m->n_sen; s++)
    if (m->sen2cb[s] < 0) {
      g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
          "%s: senone %d is used by no phone (expected every senone in some senone sequence); "
          "the file is damaged", r->name, s);
      return FALSE;
    }
  return TRUE;
}

static SttMdef *
parse_body (SttReader *r, GError **error)
{
  SttMdef *m = g_new0 (SttMdef, 1);
  m->refcount = 1;
  if (!read_counts (r, m, error) || !read_names (r, m, error) || !read_tree (r, m, error)
      || !read_phones (r, m, error) || !read_sseq (r, m, error)
      || !stt_reader_at_end (r, error) || !build_sen2cb (r, m, error)) {
    mdef_free (m);
    return NULL;
  }
  return m;
}

SttMdef *
stt_mdef_parse_sphinx (GBytes *bytes, const char *name, GError **error)
{
  SttReader r;
  const guint8 *magic;
  stt_reader_init (&r, bytes, name);
  if (!stt_reader_bytes (&r, "the magic \"BMDF\"", 4, &magic, error))
    return NULL;
  if (memcmp (magic, bmdf_magic, 4) == 0) {
    r.swap = G_BYTE_ORDER == G_BIG_ENDIAN;
  } else if (memcmp (magic, "FDMB", 4) == 0) {
    r.swap = G_BYTE_ORDER == G_LITTLE_ENDIAN;
  } else {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_FOREIGN,
        "%s: not a Sphinx binary mdef: expected \"BMDF\" at byte 0, found %02x %02x %02x %02x "
        "(a text mdef must be converted with sphinx's mdef_convert)", name, magic[0],
        magic[1], magic[2], magic[3]);
    return NULL;
  }
  gint32 version, len;
  gsize at = r.pos;
  if (!stt_reader_i32 (&r, "the format version", &version, error)
      || !stt_check_range (&r, at, "the BMDF format version", version, 1, 1, error))
    return NULL;
  at = r.pos;
  const guint8 *text;
  if (!stt_reader_i32 (&r, "the description length", &len, error)
      || !stt_check_range (&r, at, "the description length", len, 0, 1 << 20, error)
      || !stt_reader_bytes (&r, "the format description", len, &text, error))
    return NULL;
  return parse_body (&r, error);
}

SttMdef *
stt_mdef_parse (GBytes *bytes, const char *name, GError **error)
{
  SttReader r;
  stt_reader_init (&r, bytes, name);
  if (!stt_own_read_header (&r, own_magic, error))
    return NULL;
  return parse_body (&r, error);
}

GBytes *
stt_mdef_serialize (const SttMdef *m)
{
  GByteArray *out = g_byte_array_new ();
  stt_own_write_header (out, own_magic);
  const gint32 counts[N_COUNTS] = { m->n_ciphone, m->n_phone, m->n_emit_state, m->n_ci_sen,
    m->n_sen, m->n_tmat, m->n_sseq, m->n_ctx, m->n_cd_tree, m->sil_header };
  for (int i = 0; i < N_COUNTS; i++)
    stt_own_write_u32 (out, counts[i]);
  guint names = 0;
  for (int i = 0; i < m->n_ciphone; i++) {
    g_byte_array_append (out, (const guint8 *) m->ciname[i], strlen (m->ciname[i]) + 1);
    names += strlen (m->ciname[i]) + 1;
  }
  static const guint8 zeros[4];
  g_byte_array_append (out, zeros, (4 - names % 4) % 4);
  for (gint32 i = 0; i < m->n_cd_tree; i++) {
    guint16 v[2] = { GUINT16_TO_LE (m->tree[i].ctx), GUINT16_TO_LE (m->tree[i].n_down) };
    g_byte_array_append (out, (const guint8 *) v, 4);
    stt_own_write_u32 (out, m->tree[i].pid_or_down);
  }
  for (gint32 i = 0; i < m->n_phone; i++) {
    stt_own_write_u32 (out, m->phones[i].ssid);
    stt_own_write_u32 (out, m->phones[i].tmat);
    g_byte_array_append (out, m->phones[i].a, 4);
  }
  gsize n = (gsize) m->n_sseq * m->n_emit_state;
  stt_own_write_u32 (out, n);
  for (gsize i = 0; i < n; i++) {
    guint16 v = GUINT16_TO_LE (m->sseq[i]);
    g_byte_array_append (out, (const guint8 *) &v, 2);
  }
  return g_byte_array_free_to_bytes (out);
}

int stt_mdef_n_ciphones (const SttMdef *m) { return m->n_ciphone; }
int stt_mdef_n_phones (const SttMdef *m) { return m->n_phone; }
int stt_mdef_n_emit_states (const SttMdef *m) { return m->n_emit_state; }
int stt_mdef_n_senones (const SttMdef *m) { return m->n_sen; }
int stt_mdef_n_ci_senones (const SttMdef *m) { return m->n_ci_sen; }
int stt_mdef_n_tmats (const SttMdef *m) { return m->n_tmat; }
int stt_mdef_silence (const SttMdef *m) { return m->sil; }

const char *
stt_mdef_ciphone_name (const SttMdef *m, int ci)
{
  return ci >= 0 && ci < m->n_ciphone ? m->ciname[ci] : NULL;
}

int
stt_mdef_ciphone_id (const SttMdef *m, const char *name)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (m->ci_by_name, name)) - 1;
}

gboolean
stt_mdef_is_filler (const SttMdef *m, int ci)
{
  return ci >= 0 && ci < m->n_ciphone && m->phones[ci].a[0] != 0;
}

void
stt_mdef_phone_info (const SttMdef *m, int pid, int *base, int *left, int *right,
    SttWordPosition *wpos)
{
  g_return_if_fail (pid >= 0 && pid < m->n_phone);
  gboolean ci = pid < m->n_ciphone;
  const Phone *p = &m->phones[pid];
  if (base)
    *base = ci ? pid : p->a[1];
  if (left)
    *left = ci ? -1 : p->a[2];
  if (right)
    *right = ci ? -1 : p->a[3];
  if (wpos)
    *wpos = ci ? STT_WPOS_INTERNAL : (SttWordPosition) p->a[0];
}

const guint16 *
stt_mdef_phone_senones (const SttMdef *m, int pid)
{
  g_return_val_if_fail (pid >= 0 && pid < m->n_phone, NULL);
  return m->sseq + (gsize) m->phones[pid].ssid * m->n_emit_state;
}

int
stt_mdef_phone_tmat (const SttMdef *m, int pid)
{
  g_return_val_if_fail (pid >= 0 && pid < m->n_phone, -1);
  return m->phones[pid].tmat;
}

int
stt_mdef_senone_codebook (const SttMdef *m, int sen)
{
  g_return_val_if_fail (sen >= 0 && sen < m->n_sen, -1);
  return m->sen2cb[sen];
}

/* Walk the tree with keys (wpos, base, left, right); every level is a block of siblings. */
static int
tree_walk (const SttMdef *m, int b, int l, int r, int wpos)
{
  const int key[4] = { wpos, b, l, r };
  gint32 start = 0, count = MIN (4, m->n_cd_tree);
  for (int level = 0; level < 4; level++) {
    const CdNode *hit = NULL;
    for (gint32 i = start; i < start + count; i++)
      if (m->tree[i].ctx == key[level]) {
        hit = &m->tree[i];
        break;
      }
    if (!hit)
      return -1;
    if (hit->n_down == 0)
      return hit->pid_or_down;
    start = hit->pid_or_down;
    count = hit->n_down;
  }
  return -1;
}

int
stt_mdef_phone_lookup (const SttMdef *m, int base, int left, int right, SttWordPosition wpos)
{
  if (base < 0 || base >= m->n_ciphone || left < 0 || left >= m->n_ciphone || right < 0
      || right >= m->n_ciphone || wpos < 0 || wpos >= STT_N_WPOS || m->sil < 0)
    return -1;
  if (stt_mdef_is_filler (m, left))
    left = m->sil;
  if (stt_mdef_is_filler (m, right))
    right = m->sil;
  return tree_walk (m, base, left, right, wpos);
}

/* The exact triphone at @wpos, else at the other positions in order. */
static int
lookup_any_position (const SttMdef *m, int b, int l, int r, SttWordPosition wpos)
{
  int p = stt_mdef_phone_lookup (m, b, l, r, wpos);
  for (int w = 0; p < 0 && w < STT_N_WPOS; w++)
    if (w != (int) wpos)
      p = stt_mdef_phone_lookup (m, b, l, r, w);
  return p;
}

int
stt_mdef_phone_nearest (const SttMdef *m, int base, int left, int right, SttWordPosition wpos)
{
  if (base < 0 || base >= m->n_ciphone)
    return -1;
  int p = lookup_any_position (m, base, left, right, wpos);
  if (p >= 0 || m->sil < 0)
    return p >= 0 ? p : base;
  int l = left, r = right;
  if (stt_mdef_is_filler (m, l) || wpos == STT_WPOS_BEGIN || wpos == STT_WPOS_SINGLE)
    l = m->sil;
  if (stt_mdef_is_filler (m, r) || wpos == STT_WPOS_END || wpos == STT_WPOS_SINGLE)
    r = m->sil;
  if (l != left || r != right)
    p = lookup_any_position (m, base, l, r, wpos);
  return p >= 0 ? p : base;
}
