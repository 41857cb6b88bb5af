/* gst-stt — compile a pronunciation dictionary and a phone set into a lexicon-tree graph.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The tree: words sharing a phone prefix share HMMs. A root is a word's first phone keyed by
 * (phone, next phone); its triphone depends on the previous word's last phone, so a root
 * stores one HMM per left context ("left-context fan-in", resolved per token at run time).
 * Inner phones are word-internal triphones keyed by (parent, HMM). Each word's last phone is
 * a node of its own (right context silence) so the word is known when it is entered and the
 * LM can be applied there. Single-phone words and fillers are roots of their own.
 */
#include "graph-private.h"

#include <string.h>

typedef struct {
  guint hmm;                    /* HMM id (roots: index into mpx rows) */
  gint32 word;
  guint ci;
  gint32 first_child;           /* linked lists while building */
  gint32 next_sibling;
  gint32 last_child;
} BNode;

struct _SttGraphBuilder {
  SttGraphPhoneSet ps;
  GArray *nodes;                /* BNode; roots are listed in root_ids */
  GArray *root_ids;             /* node ids of roots, in creation order */
  GArray *mpx;                  /* guint32 [n_root][n_ci] */
  GArray *hmms;                 /* SttGraphHmm */
  GHashTable *hmm_index;        /* packed HMM -> id+1 */
  GHashTable *root_index;       /* (b0,b1) -> root node id+1 */
  GHashTable *child_index;      /* (parent,hmm) -> node id+1 */
  GArray *words;                /* SttGraphWord */
  GString *text;
  GHashTable *seen;             /* dictionary spellings already added */
  GHashTable *rc_index;         /* (base,left) -> rc row + 1 */
  GArray *rc_var;               /* guint8 [n_rcrow][stride] */
  GArray *rc_first;             /* guint32 */
  GArray *rc_hmm;               /* guint32 */
  guint max_senone;
  /* set by stt_graph_builder_new_for_am */
  SttMdef *mdef;
  SttTmat *tmat;
  gboolean *filler;
  float *tmat_logprob;
};

static guint
hmm_for_phone (SttGraphBuilder *b, gint pid)
{
  guint sen[3], tmat;
  b->ps.phone_hmm (b->ps.data, pid, sen, &tmat);
  guint64 key = ((guint64) sen[0]) | ((guint64) sen[1] << 16) | ((guint64) sen[2] << 32) |
      ((guint64) tmat << 48);
  gpointer v = g_hash_table_lookup (b->hmm_index, &key);
  if (v)
    return GPOINTER_TO_UINT (v) - 1;
  SttGraphHmm h = { {sen[0], sen[1], sen[2]}, tmat };
  for (guint j = 0; j < 3; j++)
    b->max_senone = MAX (b->max_senone, sen[j]);
  g_array_append_val (b->hmms, h);
  guint64 *k = g_new (guint64, 1);
  *k = key;
  g_hash_table_insert (b->hmm_index, k, GUINT_TO_POINTER (b->hmms->len));
  return b->hmms->len - 1;
}

static guint
node_new (SttGraphBuilder *b, guint hmm, gint32 word, guint ci)
{
  BNode n = { hmm, word, ci, -1, -1, -1 };
  g_array_append_val (b->nodes, n);
  return b->nodes->len - 1;
}

static void
node_link (SttGraphBuilder *b, guint parent, guint child)
{
  BNode *p = &g_array_index (b->nodes, BNode, parent);
  if (p->last_child < 0)
    p->first_child = child;
  else
    g_array_index (b->nodes, BNode, p->last_child).next_sibling = child;
  p->last_child = child;
}

/* A root: one HMM per left context, all at word position @pos with right context @right. */
static guint
root_new (SttGraphBuilder *b, guint base, guint right, SttWordPosition pos, gint32 word)
{
  guint row = b->root_ids->len;
  guint id = node_new (b, row, word, base);
  g_array_append_val (b->root_ids, id);
  for (guint l = 0; l < b->ps.n_ci; l++) {
    guint32 h = hmm_for_phone (b, b->ps.phone_id (b->ps.data, base, l, right, pos));
    g_array_append_val (b->mpx, h);
  }
  return id;
}

SttGraphBuilder *
stt_graph_builder_new (const SttGraphPhoneSet *phones)
{
  SttGraphBuilder *b = g_new0 (SttGraphBuilder, 1);
  b->ps = *phones;
  b->nodes = g_array_new (FALSE, FALSE, sizeof (BNode));
  b->root_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  b->mpx = g_array_new (FALSE, FALSE, sizeof (guint32));
  b->hmms = g_array_new (FALSE, FALSE, sizeof (SttGraphHmm));
  b->hmm_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  b->root_index = g_hash_table_new (g_direct_hash, g_direct_equal);
  b->child_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  b->words = g_array_new (FALSE, FALSE, sizeof (SttGraphWord));
  b->text = g_string_new (NULL);
  b->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  b->rc_index = g_hash_table_new (g_direct_hash, g_direct_equal);
  b->rc_var = g_array_new (FALSE, TRUE, 1);
  b->rc_first = g_array_new (FALSE, FALSE, sizeof (guint32));
  b->rc_hmm = g_array_new (FALSE, FALSE, sizeof (guint32));
  return b;
}

static gint
am_phone_id (gpointer data, guint base, guint left, guint right, SttWordPosition pos)
{
  return stt_mdef_phone_nearest (data, base, left, right, pos);
}

static void
am_phone_hmm (gpointer data, gint pid, guint senones[3], guint *tmat)
{
  const guint16 *sen = stt_mdef_phone_senones (data, pid);
  for (guint j = 0; j < 3; j++)
    senones[j] = sen[j];
  *tmat = stt_mdef_phone_tmat (data, pid);
}

SttGraphBuilder *
stt_graph_builder_new_for_am (SttMdef *mdef, SttTmat *tmat, GError **error)
{
  int n_ci = stt_mdef_n_ciphones (mdef), n_tmat = stt_tmat_n_tmats (tmat);
  if (stt_mdef_n_emit_states (mdef) != 3 || stt_tmat_n_emit_states (tmat) != 3
      || stt_mdef_silence (mdef) < 0 || n_tmat < stt_mdef_n_tmats (mdef)) {
    g_set_error (error, STT_SEARCH_ERROR, STT_SEARCH_ERROR_INPUT,
        "the decoding graph needs 3-state HMMs, a SIL phone and one transition matrix per "
        "mdef matrix; this acoustic model has %d states, %d matrices for %d",
        stt_mdef_n_emit_states (mdef), n_tmat, stt_mdef_n_tmats (mdef));
    return NULL;
  }
  gboolean *filler = g_new (gboolean, n_ci);
  for (int i = 0; i < n_ci; i++)
    filler[i] = stt_mdef_is_filler (mdef, i);
  float *lp = g_new (float, n_tmat * 12);
  for (int t = 0; t < n_tmat; t++)
    memcpy (lp + 12 * t, stt_tmat_logprobs (tmat, t), 12 * sizeof (float));
  SttGraphPhoneSet ps = { n_ci, stt_mdef_silence (mdef), filler, n_tmat, lp, am_phone_id,
    am_phone_hmm, mdef };
  SttGraphBuilder *b = stt_graph_builder_new (&ps);
  b->mdef = stt_mdef_ref (mdef);
  b->tmat = stt_tmat_ref (tmat);
  b->filler = filler;
  b->tmat_logprob = lp;
  return b;
}

void
stt_graph_builder_free (SttGraphBuilder *b)
{
  if (!b)
    return;
  g_array_unref (b->nodes);
  g_array_unref (b->root_ids);
  g_array_unref (b->mpx);
  g_array_unref (b->hmms);
  g_hash_table_unref (b->hmm_index);
  g_hash_table_unref (b->root_index);
  g_hash_table_unref (b->child_index);
  g_array_unref (b->words);
  g_string_free (b->text, TRUE);
  g_hash_table_unref (b->seen);
  g_hash_table_unref (b->rc_index);
  g_array_unref (b->rc_var);
  g_array_unref (b->rc_first);
  g_array_unref (b->rc_hmm);
  if (b->mdef)
    stt_mdef_unref (b->mdef);
  if (b->tmat)
    stt_tmat_unref (b->tmat);
  g_free (b->filler);
  g_free (b->tmat_logprob);
  g_free (b);
}

/* The right-context row of a word-final phone @base after @left: its distinct HMMs over
 * every possible next phone, and which one each next phone selects. */
static guint
rc_row (SttGraphBuilder *b, guint base, guint left)
{
  guint key = base * b->ps.n_ci + left + 1;
  gpointer v = g_hash_table_lookup (b->rc_index, GUINT_TO_POINTER (key));
  if (v)
    return GPOINTER_TO_UINT (v) - 1;
  guint row = b->rc_first->len;
  guint32 first = b->rc_hmm->len;
  g_array_append_val (b->rc_first, first);
  guint stride = (b->ps.n_ci + 3) & ~3u;
  g_array_set_size (b->rc_var, (row + 1) * stride);
  for (guint rc = 0; rc < b->ps.n_ci; rc++) {
    guint32 h = hmm_for_phone (b, b->ps.phone_id (b->ps.data, base, left, rc, STT_WPOS_END));
    guint v2;
    for (v2 = first; v2 < b->rc_hmm->len; v2++)
      if (g_array_index (b->rc_hmm, guint32, v2) == h)
        break;
    if (v2 == b->rc_hmm->len)
      g_array_append_val (b->rc_hmm, h);
    g_array_index (b->rc_var, guint8, row * stride + rc) = v2 - first;
  }
  g_hash_table_insert (b->rc_index, GUINT_TO_POINTER (key), GUINT_TO_POINTER (row + 1));
  return row;
}

/* Output spelling: "read(2)" -> "read". */
static char *
base_spelling (const char *word)
{
  gsize n = strlen (word);
  const char *open = strrchr (word, '(');
  if (n > 0 && word[n - 1] == ')' && open && open != word)
    return g_strndup (word, open - word);
  return g_strdup (word);
}

gboolean
stt_graph_builder_add_word (SttGraphBuilder *b, const char *word, const guint *ph, guint n,
    gboolean filler, GError **error)
{
  if (n == 0) {
    g_set_error (error, STT_SEARCH_ERROR, STT_SEARCH_ERROR_INPUT,
        "word \"%s\" has no phones; give every dictionary entry a pronunciation", word);
    return FALSE;
  }
  for (guint i = 0; i < n; i++) {
    if (ph[i] >= b->ps.n_ci) {
      g_set_error (error, STT_SEARCH_ERROR, STT_SEARCH_ERROR_INPUT,
          "word \"%s\": phone %u of %u has id %u, but the phone set has %u phones",
          word, i + 1, n, ph[i], b->ps.n_ci);
      return FALSE;
    }
  }
  if (g_hash_table_contains (b->seen, word))
    return TRUE;                /* first pronunciation wins, as in Sphinx dictionaries */
  g_hash_table_add (b->seen, g_strdup (word));

  char *spelling = base_spelling (word);
  SttGraphWord w = { b->text->len, filler ? STT_GRAPH_WORD_FILLER : 0 };
  if (filler && n == 1 && ph[0] == b->ps.sil)
    w.flags |= STT_GRAPH_WORD_SILENCE;
  g_string_append_len (b->text, spelling, strlen (spelling) + 1);
  g_free (spelling);
  gint32 wid = b->words->len;
  g_array_append_val (b->words, w);

  guint sil = b->ps.sil;
  if (n == 1) {
    root_new (b, ph[0], sil, STT_WPOS_SINGLE, wid);
    return TRUE;
  }
  guint rkey = ph[0] * b->ps.n_ci + ph[1] + 1;
  gpointer v = g_hash_table_lookup (b->root_index, GUINT_TO_POINTER (rkey));
  guint parent;
  if (v) {
    parent = GPOINTER_TO_UINT (v) - 1;
  } else {
    parent = root_new (b, ph[0], ph[1], STT_WPOS_BEGIN, -1);
    g_hash_table_insert (b->root_index, GUINT_TO_POINTER (rkey), GUINT_TO_POINTER (parent + 1));
  }
  for (guint i = 1; i + 1 < n; i++) {
    guint hmm = hmm_for_phone (b, b->ps.phone_id (b->ps.data, ph[i], ph[i - 1], ph[i + 1],
            STT_WPOS_INTERNAL));
    guint64 key = ((guint64) parent << 32) | hmm;
    v = g_hash_table_lookup (b->child_index, &key);
    if (v) {
      parent = GPOINTER_TO_UINT (v) - 1;
      continue;
    }
    guint c = node_new (b, hmm, -1, ph[i]);
    node_link (b, parent, c);
    guint64 *k = g_new (guint64, 1);
    *k = key;
    g_hash_table_insert (b->child_index, k, GUINT_TO_POINTER (c + 1));
    parent = c;
  }
  node_link (b, parent, node_new (b, rc_row (b, ph[n - 1], ph[n - 2]), wid, ph[n - 1]));
  return TRUE;
}

static void
put_u32 (GByteArray *out, guint32 v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };
  g_byte_array_append (out, b, 4);
}

static void
put_f32 (GByteArray *out, float f)
{
  guint32 v;
  memcpy (&v, &f, 4);
  put_u32 (out, v);
}

GBytes *
stt_graph_builder_finish (SttGraphBuilder *b, GError **error)
{
  if (b->words->len == 0) {
    g_set_error (error, STT_SEARCH_ERROR, STT_SEARCH_ERROR_INPUT,
        "the dictionary gave no words; check the dictionary and LM files");
    return NULL;
  }
  guint n_node = b->nodes->len, n_root = b->root_ids->len;
  /* Breadth-first numbering: roots first, every node's children contiguous. */
  guint32 *order = g_new (guint32, n_node);
  gint32 *newid = g_new (gint32, n_node);
  guint head = 0, tail = 0;
  for (guint r = 0; r < n_root; r++)
    order[tail++] = g_array_index (b->root_ids, guint, r);
  while (head < tail) {
    BNode *p = &g_array_index (b->nodes, BNode, order[head++]);
    for (gint32 c = p->first_child; c >= 0; c = g_array_index (b->nodes, BNode, c).next_sibling)
      order[tail++] = c;
  }
  g_assert (tail == n_node);
  for (guint i = 0; i < n_node; i++)
    newid[order[i]] = i;

  GByteArray *out = g_byte_array_new ();
  g_byte_array_append (out, (const guint8 *) STT_GRAPH_MAGIC, 8);
  guint32 text_size = (b->text->len + 3) & ~3u;
  guint32 hdr[] = { STT_GRAPH_VERSION, b->ps.n_ci, b->ps.sil, b->ps.n_tmat, b->hmms->len,
    n_node, n_root, b->words->len, text_size, b->max_senone + 1, b->rc_first->len,
    b->rc_hmm->len, 0, 0 };
  for (guint i = 0; i < G_N_ELEMENTS (hdr); i++)
    put_u32 (out, hdr[i]);
  for (guint i = 0; i < b->ps.n_ci; i++)
    put_u32 (out, b->ps.ci_filler[i] ? 1 : 0);
  for (guint i = 0; i < b->ps.n_tmat * 12; i++)
    put_f32 (out, MAX (b->ps.tmat[i], STT_GRAPH_LOGZERO));
  for (guint i = 0; i < b->hmms->len; i++) {
    SttGraphHmm *h = &g_array_index (b->hmms, SttGraphHmm, i);
    put_u32 (out, h->sen[0] | ((guint32) h->sen[1] << 16));
    put_u32 (out, h->sen[2] | ((guint32) h->tmat << 16));
  }
  for (guint i = 0; i < b->mpx->len; i++)
    put_u32 (out, g_array_index (b->mpx, guint32, i));
  for (guint i = 0; i < n_node; i++) {
    BNode *p = &g_array_index (b->nodes, BNode, order[i]);
    guint32 first = 0, count = 0;
    for (gint32 c = p->first_child; c >= 0; c = g_array_index (b->nodes, BNode, c).next_sibling) {
      if (count++ == 0)
        first = newid[c];
    }
    put_u32 (out, p->hmm);
    put_u32 (out, first);
    put_u32 (out, count);
    put_u32 (out, (guint32) p->word);
    put_u32 (out, p->ci);
  }
  for (guint i = 0; i < b->rc_var->len; i += 4) {
    const guint8 *v = (const guint8 *) b->rc_var->data + i;
    put_u32 (out, v[0] | (v[1] << 8) | (v[2] << 16) | ((guint32) v[3] << 24));
  }
  for (guint i = 0; i < b->rc_first->len; i++)
    put_u32 (out, g_array_index (b->rc_first, guint32, i));
  put_u32 (out, b->rc_hmm->len);
  for (guint i = 0; i < b->rc_hmm->len; i++)
    put_u32 (out, g_array_index (b->rc_hmm, guint32, i));
  for (guint i = 0; i < b->words->len; i++) {
    SttGraphWord *w = &g_array_index (b->words, SttGraphWord, i);
    put_u32 (out, w->text);
    put_u32 (out, w->flags);
  }
  g_byte_array_append (out, (const guint8 *) b->text->str, b->text->len);
  while (out->len % 4)
    g_byte_array_append (out, (const guint8 *) "", 1);
  g_free (order);
  g_free (newid);
  return g_byte_array_free_to_bytes (out);
}
