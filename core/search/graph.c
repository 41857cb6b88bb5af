/* gst-stt — load and validate an "stt-graph-1" decoding graph from read-only bytes.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "graph-private.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (stt-search-error-quark, stt_search_error)

#if G_BYTE_ORDER != G_LITTLE_ENDIAN
#error "stt-graph-1 is little-endian and used in place; add byte swapping for this host"
#endif

static gboolean
fail (GError **error, gsize offset, const char *what)
{
  g_set_error (error, STT_SEARCH_ERROR, STT_SEARCH_ERROR_FORMAT,
      "decoding graph: %s (byte offset %" G_GSIZE_FORMAT "); rebuild the model's graph with "
      "`stt-model import-sphinx`", what, offset);
  return FALSE;
}

/* Take @size bytes at *pos, or fail naming @section. */
static const guint8 *
take (const guint8 *data, gsize len, gsize *pos, guint64 size, const char *section,
    GError **error)
{
  if (size > len - *pos) {
    char *msg = g_strdup_printf ("section \"%s\" needs %" G_GUINT64_FORMAT " bytes but the file "
        "ends after %" G_GSIZE_FORMAT, section, size, len - *pos);
    fail (error, *pos, msg);
    g_free (msg);
    return NULL;
  }
  const guint8 *p = data + *pos;
  *pos += size;
  return p;
}

static gboolean
check_graph (SttGraph *g, gsize node_off, GError **error)
{
  for (guint i = 0; i < g->n_hmm; i++) {
    if (g->hmm[i].tmat >= g->n_tmat)
      return fail (error, 0, "an HMM names a transition matrix that does not exist");
  }
  for (guint i = 0; i < g->n_root * g->n_ci; i++) {
    if (g->mpx[i] >= g->n_hmm)
      return fail (error, 0, "a root names an HMM that does not exist");
  }
  for (guint i = 0; i < g->n_node; i++) {
    const SttGraphNode *n = &g->node[i];
    gsize off = node_off + (gsize) i * sizeof (SttGraphNode);
    if (n->ci >= g->n_ci)
      return fail (error, off, "a node has an unknown phone");
    if (i < g->n_root ? n->hmm != i : n->word >= 0 ? n->hmm >= g->n_rcrow
        : n->hmm >= g->n_hmm)
      return fail (error, off, "a node names an HMM that does not exist");
    if (n->word >= (gint32) g->n_word || n->word < -1)
      return fail (error, off, "a node names a word that does not exist");
    if (n->n_child > 0 && (n->word >= 0 || n->first_child <= i || n->first_child < g->n_root
            || n->n_child > g->n_node - n->first_child))
      return fail (error, off, "a node's children are out of range");
  }
  for (guint r = 0; r < g->n_rcrow; r++) {
    if (g->rc_first[r] >= g->rc_first[r + 1] || g->rc_first[r + 1] > g->n_rcvar)
      return fail (error, 0, "a right-context row is out of range");
    for (guint c = 0; c < g->n_ci; c++)
      if (g->rc_var[r * g->rc_stride + c] >= g->rc_first[r + 1] - g->rc_first[r])
        return fail (error, 0, "a right-context row names a variant that does not exist");
  }
  if (g->rc_first[g->n_rcrow] != g->n_rcvar)
    return fail (error, 0, "the right-context rows do not end at the variant count");
  for (guint v = 0; v < g->n_rcvar; v++)
    if (g->rc_hmm[v] >= g->n_hmm)
      return fail (error, 0, "a right-context variant names an HMM that does not exist");
  for (guint i = 0; i < g->n_word; i++) {
    if (g->word[i].text >= g->text_size)
      return fail (error, 0, "a word's spelling is outside the text section");
  }
  if (g->text_size == 0 || g->text[g->text_size - 1] != '\0')
    return fail (error, 0, "the text section is not NUL-terminated");
  for (guint i = 0; i < g->n_tmat * 12; i++) {
    if (isnan (g->tmat[i]) || g->tmat[i] > 0)
      return fail (error, 0, "a transition log-probability is not a number <= 0");
  }
  return TRUE;
}

SttGraph *
stt_graph_new_from_bytes (GBytes *bytes, GError **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  gsize pos = 0;
  if (len < STT_GRAPH_HEADER_SIZE || memcmp (data, STT_GRAPH_MAGIC, 8) != 0) {
    fail (error, 0, "not an stt-graph-1 file (magic \"" STT_GRAPH_MAGIC "\" missing)");
    return NULL;
  }
  if (GPOINTER_TO_SIZE (data) % 4) {
    fail (error, 0, "data is not 4-byte aligned");
    return NULL;
  }
  guint32 h[14];
  memcpy (h, data + 8, sizeof h);
  pos = STT_GRAPH_HEADER_SIZE;
  if (h[0] != STT_GRAPH_VERSION) {
    fail (error, 8, "unsupported version");
    return NULL;
  }
  SttGraph *g = g_new0 (SttGraph, 1);
  g->refcount = 1;
  g->bytes = g_bytes_ref (bytes);
  g->n_ci = h[1];
  g->sil = h[2];
  g->n_tmat = h[3];
  g->n_hmm = h[4];
  g->n_node = h[5];
  g->n_root = h[6];
  g->n_word = h[7];
  g->text_size = h[8];
  g->n_senones = h[9];
  g->n_rcrow = h[10];
  g->n_rcvar = h[11];
  g->rc_stride = (h[1] + 3) & ~3u;
  g->root_sil_word = G_MAXUINT;
  const guint8 *p;
  if (g->n_ci == 0 || g->n_ci > 255 || g->sil >= g->n_ci || g->n_root > g->n_node
      || g->n_senones > 65536 || g->n_tmat > 65536 || g->n_hmm == 0) {
    fail (error, 12, "header counts are inconsistent");
    goto bad;
  }
  if (!(p = take (data, len, &pos, (guint64) g->n_ci * 4, "phones", error)))
    goto bad;
  g->ci_flags = (const guint32 *) p;
  if (!(p = take (data, len, &pos, (guint64) g->n_tmat * 48, "transition matrices", error)))
    goto bad;
  g->tmat = g_memdup2 (p, (gsize) g->n_tmat * 48);
  if (!(p = take (data, len, &pos, (guint64) g->n_hmm * 8, "hmms", error)))
    goto bad;
  g->hmm = g_new (SttGraphHmm, g->n_hmm);
  for (guint i = 0; i < g->n_hmm; i++) {
    guint32 a, b;
    memcpy (&a, p + 8 * i, 4);
    memcpy (&b, p + 8 * i + 4, 4);
    g->hmm[i] = (SttGraphHmm) { {a & 0xffff, a >> 16, b & 0xffff}, b >> 16 };
    if (g->hmm[i].sen[0] >= g->n_senones || g->hmm[i].sen[1] >= g->n_senones
        || g->hmm[i].sen[2] >= g->n_senones) {
      fail (error, p + 8 * i - data, "an HMM names a senone beyond the header's count");
      goto bad;
    }
  }
  if (!(p = take (data, len, &pos, (guint64) g->n_root * g->n_ci * 4, "roots", error)))
    goto bad;
  g->mpx = (const guint32 *) p;
  gsize node_off = pos;
  if (!(p = take (data, len, &pos, (guint64) g->n_node * sizeof (SttGraphNode), "nodes",
              error)))
    goto bad;
  g->node = (const SttGraphNode *) p;
  if (!(p = take (data, len, &pos, (guint64) g->n_rcrow * g->rc_stride, "right contexts",
              error)))
    goto bad;
  g->rc_var = p;
  if (!(p = take (data, len, &pos, ((guint64) g->n_rcrow + 1) * 4, "right-context rows",
              error)))
    goto bad;
  g->rc_first = (const guint32 *) p;
  if (!(p = take (data, len, &pos, (guint64) g->n_rcvar * 4, "right-context variants", error)))
    goto bad;
  g->rc_hmm = (const guint32 *) p;
  if (!(p = take (data, len, &pos, (guint64) g->n_word * sizeof (SttGraphWord), "words",
              error)))
    goto bad;
  g->word = (const SttGraphWord *) p;
  if (!(p = take (data, len, &pos, g->text_size, "text", error)))
    goto bad;
  g->text = (const char *) p;
  if (pos != len) {
    fail (error, pos, "unexpected bytes after the text section");
    goto bad;
  }
  if (!check_graph (g, node_off, error))
    goto bad;
  g->hmm_fast = g_new (SttGraphHmmFast, g->n_hmm);
  for (guint i = 0; i < g->n_hmm; i++) {
    const float *t = g->tmat + 12 * g->hmm[i].tmat;
    g->hmm_fast[i] = (SttGraphHmmFast) { MAX (t[0], STT_GRAPH_LOGZERO), MAX (t[1],
          STT_GRAPH_LOGZERO), MAX (t[5], STT_GRAPH_LOGZERO), MAX (t[6], STT_GRAPH_LOGZERO),
      MAX (t[10], STT_GRAPH_LOGZERO), MAX (t[11], STT_GRAPH_LOGZERO),
      {g->hmm[i].sen[0], g->hmm[i].sen[1], g->hmm[i].sen[2]}, 0 };
  }
  g->var_base = g_new0 (guint32, g->n_node);
  guint64 slots = g->n_node;
  for (guint i = 0; i < g->n_node; i++) {
    if (stt_graph_node_has_rc (g, i)) {
      g->var_base[i] = slots;
      slots += stt_graph_node_n_var (g, i);
    }
  }
  if (slots > G_MAXINT32) {
    fail (error, 0, "too many HMM variants");
    goto bad;
  }
  g->n_slots = slots;
  for (guint r = 0; r < g->n_root; r++) {
    gint32 w = g->node[r].word;
    if (w >= 0 && (g->word[w].flags & STT_GRAPH_WORD_SILENCE))
      g->root_sil_word = r;
  }
  return g;
bad:
  stt_graph_unref (g);
  return NULL;
}

SttGraph *
stt_graph_ref (SttGraph *g)
{
  g_atomic_int_inc (&g->refcount);
  return g;
}

void
stt_graph_unref (SttGraph *g)
{
  if (!g || !g_atomic_int_dec_and_test (&g->refcount))
    return;
  g_bytes_unref (g->bytes);
  g_free (g->tmat);
  g_free (g->hmm);
  g_free (g->var_base);
  g_free (g->hmm_fast);
  g_free (g);
}

guint
stt_graph_get_n_words (const SttGraph *g)
{
  return g->n_word;
}

guint
stt_graph_get_n_nodes (const SttGraph *g)
{
  return g->n_node;
}

guint
stt_graph_get_n_senones (const SttGraph *g)
{
  return g->n_senones;
}

const char *
stt_graph_get_word (const SttGraph *g, guint w)
{
  g_return_val_if_fail (w < g->n_word, NULL);
  return g->text + g->word[w].text;
}

gboolean
stt_graph_word_is_filler (const SttGraph *g, guint w)
{
  g_return_val_if_fail (w < g->n_word, TRUE);
  return (g->word[w].flags & STT_GRAPH_WORD_FILLER) != 0;
}
