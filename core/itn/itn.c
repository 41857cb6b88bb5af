/* gst-stt — the ITN runtime: loads a transducer and finds the best written form of a phrase.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Composition with the (linear) input and shortest path are done in one Viterbi pass: the
 * trellis holds, for each input position, the best cost of every transducer state reached
 * there. Input-epsilon arcs (insertions, class markers) are followed within a position, word
 * arcs move to the next one. Weights are never negative, so relaxing in queue order finds the
 * exact best path.
 */
#include "itn-fst.h"
#include "stt/itn.h"

#include <string.h>

struct _SttItn {
  gint refcount;
  GBytes *bytes;
  SttWfst fst;
};

SttItn *
stt_itn_new_from_bytes (GBytes *bytes, const char *name, GError **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  SttItn *itn = g_new0 (SttItn, 1);
  if (!stt_wfst_parse (&itn->fst, data, len, name ? name : "ITN transducer", error)) {
    g_free (itn);
    return NULL;
  }
  itn->refcount = 1;
  itn->bytes = g_bytes_ref (bytes);
  return itn;
}

SttItn *
stt_itn_new_from_file (const char *path, GError **error)
{
  GMappedFile *mf = g_mapped_file_new (path, FALSE, error);
  if (!mf) {
    g_prefix_error (error, "Cannot read the ITN transducer: ");
    return NULL;
  }
  GBytes *bytes = g_mapped_file_get_bytes (mf);
  g_mapped_file_unref (mf);
  SttItn *itn = stt_itn_new_from_bytes (bytes, path, error);
  g_bytes_unref (bytes);
  return itn;
}

static gpointer
create_shared (SttModel *model, gpointer user_data, GError **error)
{
  GBytes *bytes = stt_model_map (model, STT_ITN_FST_FILE, error);
  if (!bytes)
    return NULL;
  char *path = stt_model_get_path (model, STT_ITN_FST_FILE, NULL);
  SttItn *itn = stt_itn_new_from_bytes (bytes, path ? path : STT_ITN_FST_FILE, error);
  g_free (path);
  g_bytes_unref (bytes);
  return itn;
}

SttItn *
stt_itn_new_from_model (SttModel *model, GError **error)
{
  if (g_strcmp0 (stt_model_get_kind (model), STT_ITN_MODEL_KIND) != 0) {
    g_set_error (error, STT_ITN_ERROR, STT_ITN_ERROR_MODEL,
        "model %s (%s) is of kind \"%s\", not an ITN model (\"%s\"); give an ITN model's id "
        "or folder", stt_model_get_id (model), stt_model_get_dir (model),
        stt_model_get_kind (model), STT_ITN_MODEL_KIND);
    return NULL;
  }
  SttItn *itn = stt_model_get_shared (model, "stt-itn", create_shared, NULL,
      (GDestroyNotify) stt_itn_unref, error);
  return itn ? stt_itn_ref (itn) : NULL;
}

SttItn *
stt_itn_open (const char *id_or_dir, GError **error)
{
  if (g_file_test (id_or_dir, G_FILE_TEST_IS_REGULAR))
    return stt_itn_new_from_file (id_or_dir, error);
  SttModel *model = stt_model_cache_lookup (id_or_dir, error);
  if (!model)
    return NULL;
  SttItn *itn = stt_itn_new_from_model (model, error);
  stt_model_unref (model);
  return itn;
}

SttItn *
stt_itn_ref (SttItn *itn)
{
  g_atomic_int_inc (&itn->refcount);
  return itn;
}

void
stt_itn_unref (SttItn *itn)
{
  if (itn && g_atomic_int_dec_and_test (&itn->refcount)) {
    g_bytes_unref (itn->bytes);
    g_free (itn);
  }
}

guint
stt_itn_get_n_states (const SttItn *itn)
{
  return itn->fst.n_states;
}

guint
stt_itn_get_n_arcs (const SttItn *itn)
{
  return itn->fst.n_arcs;
}

/* ---- output ---------------------------------------------------------------------------- */

struct _SttItnOutput {
  GArray *tokens;               /* SttItnToken */
  GStringChunk *strings;
  char *text;
};

static SttItnOutput *
output_new (void)
{
  SttItnOutput *out = g_new0 (SttItnOutput, 1);
  out->tokens = g_array_new (FALSE, FALSE, sizeof (SttItnToken));
  out->strings = g_string_chunk_new (256);
  return out;
}

static void
output_add (SttItnOutput *out, const char *text, gsize len, guint first, guint n,
    const char *klass)
{
  SttItnToken t = { g_string_chunk_insert_len (out->strings, text, len), first, n, klass };
  g_array_append_val (out->tokens, t);
}

guint
stt_itn_output_get_n_tokens (const SttItnOutput *out)
{
  return out->tokens->len;
}

const SttItnToken *
stt_itn_output_get_token (const SttItnOutput *out, guint index)
{
  g_return_val_if_fail (index < out->tokens->len, NULL);
  return &g_array_index (out->tokens, SttItnToken, index);
}

const char *
stt_itn_output_get_text (const SttItnOutput *out)
{
  return out->text;
}

void
stt_itn_output_free (SttItnOutput *out)
{
  if (!out)
    return;
  g_array_free (out->tokens, TRUE);
  g_string_chunk_free (out->strings);
  g_free (out->text);
  g_free (out);
}

/* ---- the Viterbi pass -------------------------------------------------------------------- */

#define NONE G_MAXUINT32

typedef struct {
  guint32 state;
  float cost;
  guint32 back;                 /* entry this one was reached from */
  guint32 arc;                  /* arc taken from it */
} Entry;

struct _SttItnRunner {
  SttItn *itn;
  guint32 *stamp[2], *slot[2];  /* per state and position parity: generation, entry index */
  guint32 gen;
  Entry *ent;                   /* the trellis, n_ent used of cap_ent */
  guint32 n_ent, cap_ent;
  GArray *pos_start;            /* guint32: first entry of each position */
  GArray *labels;               /* guint32: input label of each word */
  GArray *path;                 /* guint32: arcs of the best path */
  GString *text;
  GArray *text_pos;             /* guint32: input word of each byte of text */
};

SttItnRunner *
stt_itn_runner_new (SttItn *itn)
{
  SttItnRunner *r = g_new0 (SttItnRunner, 1);
  r->itn = stt_itn_ref (itn);
  for (int i = 0; i < 2; i++) {
    r->stamp[i] = g_new0 (guint32, itn->fst.n_states);
    r->slot[i] = g_new0 (guint32, itn->fst.n_states);
  }
  r->gen = 1;
  r->cap_ent = 1024;
  r->ent = g_new (Entry, r->cap_ent);
  r->pos_start = g_array_new (FALSE, FALSE, sizeof (guint32));
  r->labels = g_array_new (FALSE, FALSE, sizeof (guint32));
  r->path = g_array_new (FALSE, FALSE, sizeof (guint32));
  r->text = g_string_new (NULL);
  r->text_pos = g_array_new (FALSE, FALSE, sizeof (guint32));
  return r;
}

void
stt_itn_runner_free (SttItnRunner *r)
{
  if (!r)
    return;
  for (int i = 0; i < 2; i++) {
    g_free (r->stamp[i]);
    g_free (r->slot[i]);
  }
  g_free (r->ent);
  g_array_free (r->pos_start, TRUE);
  g_array_free (r->labels, TRUE);
  g_array_free (r->path, TRUE);
  g_string_free (r->text, TRUE);
  g_array_free (r->text_pos, TRUE);
  stt_itn_unref (r->itn);
  g_free (r);
}

/* Reach @state at position @pos. Entries from @fresh on have not been expanded yet and are
 * improved in place; an expanded one is superseded by a new entry (so it is expanded again). */
static inline void
relax (SttItnRunner *r, guint32 base, guint pos, guint32 state, float cost, guint32 back,
    guint32 arc, guint32 fresh)
{
  guint par = pos & 1;
  guint32 g = base + pos;
  if (r->stamp[par][state] == g) {
    guint32 k = r->slot[par][state];
    Entry *e = &r->ent[k];
    if (cost >= e->cost)
      return;
    if (k >= fresh) {
      e->cost = cost;
      e->back = back;
      e->arc = arc;
      return;
    }
  }
  if (G_UNLIKELY (r->n_ent == r->cap_ent)) {
    r->cap_ent *= 2;
    r->ent = g_renew (Entry, r->ent, r->cap_ent);
  }
  r->stamp[par][state] = g;
  r->slot[par][state] = r->n_ent;
  Entry e = { state, cost, back, arc };
  r->ent[r->n_ent++] = e;
}

static inline gboolean
is_current (SttItnRunner *r, guint32 base, guint pos, guint32 k, guint32 state)
{
  return r->stamp[pos & 1][state] == base + pos && r->slot[pos & 1][state] == k;
}

/* First arc of [a0, a1) with ilabel >= @label. */
static inline guint32
lower_bound (const SttWfstArc *arcs, guint32 a0, guint32 a1, guint32 label)
{
  while (a0 < a1) {
    guint32 mid = a0 + (a1 - a0) / 2;
    if (arcs[mid].ilabel < label)
      a0 = mid + 1;
    else
      a1 = mid;
  }
  return a0;
}

static void
expand_epsilons (SttItnRunner *r, guint32 base, guint pos)
{
  const SttWfst *f = &r->itn->fst;
  for (guint32 k = g_array_index (r->pos_start, guint32, pos); k < r->n_ent; k++) {
    Entry e = r->ent[k];
    if (!is_current (r, base, pos, k, e.state))
      continue;
    for (guint32 a = f->state_arcs[e.state]; a < f->state_arcs[e.state + 1]; a++) {
      const SttWfstArc *arc = &f->arcs[a];
      if (arc->ilabel != STT_WFST_EPS)
        break;
      relax (r, base, pos, arc->next, e.cost + arc->weight, k, a, k + 1);
    }
  }
}

static void
expand_word (SttItnRunner *r, guint32 base, guint pos, guint32 first, guint32 last,
    guint32 label)
{
  const SttWfst *f = &r->itn->fst;
  guint32 fresh = r->n_ent;
  for (guint32 k = first; k < last; k++) {
    Entry e = r->ent[k];
    if (!is_current (r, base, pos, k, e.state))
      continue;
    guint32 a0 = f->state_arcs[e.state], a1 = f->state_arcs[e.state + 1];
    guint32 a = lower_bound (f->arcs, a0, a1, STT_WFST_ANY);
    for (; a < a1 && f->arcs[a].ilabel == STT_WFST_ANY; a++)
      relax (r, base, pos + 1, f->arcs[a].next, e.cost + f->arcs[a].weight, k, a, fresh);
    if (label == STT_WFST_ANY)
      continue;
    for (a = lower_bound (f->arcs, a, a1, label); a < a1 && f->arcs[a].ilabel == label; a++)
      relax (r, base, pos + 1, f->arcs[a].next, e.cost + f->arcs[a].weight, k, a, fresh);
  }
}

/* The best path's arcs into r->path; FALSE when the transducer rejects the input. */
static gboolean
best_path (SttItnRunner *r, const char *const *words, guint n)
{
  const SttWfst *f = &r->itn->fst;
  if (r->gen > G_MAXUINT32 - n - 2) {
    for (int i = 0; i < 2; i++)
      memset (r->stamp[i], 0, f->n_states * sizeof (guint32));
    r->gen = 1;
  }
  guint32 base = r->gen;
  r->gen += n + 1;
  r->n_ent = 0;
  g_array_set_size (r->pos_start, n + 1);
  g_array_set_size (r->labels, n);
  for (guint i = 0; i < n; i++)
    g_array_index (r->labels, guint32, i) = stt_wfst_lookup (f, words[i]);

  g_array_index (r->pos_start, guint32, 0) = 0;
  relax (r, base, 0, f->start, 0, NONE, NONE, 0);
  for (guint i = 0;; i++) {
    expand_epsilons (r, base, i);
    if (i == n)
      break;
    guint32 first = g_array_index (r->pos_start, guint32, i), last = r->n_ent;
    g_array_index (r->pos_start, guint32, i + 1) = last;
    expand_word (r, base, i, first, last, g_array_index (r->labels, guint32, i));
    if (r->n_ent == last)
      return FALSE;
  }
  guint32 best = NONE;
  float best_cost = G_MAXFLOAT;
  for (guint32 k = g_array_index (r->pos_start, guint32, n); k < r->n_ent; k++) {
    const Entry *e = &r->ent[k];
    float c = e->cost + f->final[e->state];
    if (is_current (r, base, n, k, e->state) && c < best_cost) {
      best_cost = c;
      best = k;
    }
  }
  if (best == NONE)
    return FALSE;
  g_array_set_size (r->path, 0);
  for (guint32 k = best; r->ent[k].back != NONE;
      k = r->ent[k].back)
    g_array_append_val (r->path, r->ent[k].arc);
  return TRUE;
}

/* Split one span's text into tokens; a token's words start at the word its first byte came
 * from (kept increasing) and run to where the next token's start, the span's words covering
 * the deleted words between them. */
static void
flush_span (SttItnRunner *r, SttItnOutput *out, const char *klass, guint start, guint end,
    guint offset)
{
  const char *s = r->text->str;
  gsize len = r->text->len;
  guint n_tok = 0;
  gsize tb[STT_ITN_MAX_SPAN * 2 + 8], te[G_N_ELEMENTS (tb)];
  guint ts[G_N_ELEMENTS (tb)];
  for (gsize i = 0; i < len;) {
    while (i < len && s[i] == ' ')
      i++;
    if (i == len)
      break;
    gsize j = i;
    while (j < len && s[j] != ' ')
      j++;
    if (n_tok == G_N_ELEMENTS (tb)) {
      te[n_tok - 1] = len;      /* absurdly many tokens: keep the rest in the last one */
      break;
    }
    guint p = g_array_index (r->text_pos, guint32, i);
    p = CLAMP (p, start, end > start ? end - 1 : start);
    if (n_tok == 0)
      p = start;
    else if (p <= ts[n_tok - 1])
      p = MIN (ts[n_tok - 1] + 1, end > start ? end - 1 : start);
    tb[n_tok] = i;
    te[n_tok] = j;
    ts[n_tok++] = p;
    i = j;
  }
  for (guint k = 0; k < n_tok; k++) {
    guint e = k + 1 < n_tok ? MAX (ts[k + 1], ts[k] + 1) : end;
    e = MIN (e, end);
    output_add (out, s + tb[k], te[k] - tb[k], offset + ts[k], e > ts[k] ? e - ts[k] : 0,
        klass);
  }
  g_string_truncate (r->text, 0);
  g_array_set_size (r->text_pos, 0);
}

static void
append_text (SttItnRunner *r, const char *text, guint pos)
{
  gsize len = strlen (text), old = r->text->len;
  g_string_append_len (r->text, text, len);
  g_array_set_size (r->text_pos, old + len);
  for (gsize i = 0; i < len; i++)
    g_array_index (r->text_pos, guint32, old + i) = pos;
}

static void
write_path (SttItnRunner *r, SttItnOutput *out, const char *const *words, guint n,
    guint offset)
{
  const SttWfst *f = &r->itn->fst;
  const char *klass = g_intern_static_string ("word");
  guint start = 0, cur = 0;
  g_string_truncate (r->text, 0);
  g_array_set_size (r->text_pos, 0);
  for (guint i = r->path->len; i-- > 0;) {
    const SttWfstArc *arc = &f->arcs[g_array_index (r->path, guint32, i)];
    if (arc->olabel == STT_WFST_ANY) {
      if (arc->ilabel == STT_WFST_ANY && cur < n)
        append_text (r, words[cur], cur);
    } else if (f->osym_kind[arc->olabel] == STT_WFST_OSYM_CLASS) {
      if (r->text->len || cur > start)
        flush_span (r, out, klass, start, cur, offset);
      klass = g_intern_string (stt_wfst_osym (f, arc->olabel));
      start = cur;
    } else if (arc->olabel != STT_WFST_EPS) {
      append_text (r, stt_wfst_osym (f, arc->olabel), MIN (cur, n ? n - 1 : 0));
    }
    if (arc->ilabel != STT_WFST_EPS)
      cur++;
  }
  flush_span (r, out, klass, start, n, offset);
}

static void
pass_through (SttItnOutput *out, const char *const *words, guint n, guint offset)
{
  for (guint i = 0; i < n; i++) {
    if (*words[i])
      output_add (out, words[i], strlen (words[i]), offset + i, 1,
          g_intern_static_string ("word"));
  }
}

SttItnOutput *
stt_itn_runner_apply (SttItnRunner *r, const char *const *words, guint n_words)
{
  SttItnOutput *out = output_new ();
  for (guint off = 0; off < n_words; off += STT_ITN_MAX_SPAN) {
    guint n = MIN (n_words - off, STT_ITN_MAX_SPAN);
    if (best_path (r, words + off, n))
      write_path (r, out, words + off, n, off);
    else
      pass_through (out, words + off, n, off);
  }
  GString *text = g_string_new (NULL);
  for (guint i = 0; i < out->tokens->len; i++) {
    if (i)
      g_string_append_c (text, ' ');
    g_string_append (text, g_array_index (out->tokens, SttItnToken, i).text);
  }
  out->text = g_string_free (text, FALSE);
  return out;
}

char *
stt_itn_runner_apply_text (SttItnRunner *r, const char *text)
{
  char **v = g_strsplit_set (text, " \t\r\n", -1);
  guint n = 0;
  for (guint i = 0; v[i]; i++) {
    if (*v[i])
      v[n++] = v[i];
    else
      g_free (v[i]);
  }
  v[n] = NULL;
  SttItnOutput *out = stt_itn_runner_apply (r, (const char *const *) v, n);
  char *res = g_strdup (stt_itn_output_get_text (out));
  stt_itn_output_free (out);
  g_strfreev (v);
  return res;
}
