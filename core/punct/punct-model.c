/* gst-stt — the punct runtime: open a punct.bin, predict marks, restore case, format.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "punct-private.h"
#include "../util/blas.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (stt-punct-error-quark, stt_punct_error)

struct _SttPunct {
  gint refcount;
  GBytes *bytes;
  const PunctHeader *header;
  const PunctWeight *weights;
  float scale;
  const PunctCaseEntry *cases;
  const PunctCaseEntry *classes; /* key, class number */
  const PunctCaseEntry *contexts; /* key, written form */
  const char *pool;
  const float *question;        /* the question model's 2^question_bits weights */
  PunctMlp mlp;                 /* hidden 0: none */
  PunctRnn rnn[PUNCT_RNN_MAX_MEMBERS];  /* header->rnn_members of them */
};

static gboolean
format_error (GError **error, const char *where, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
format_error (GError **error, const char *where, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, STT_PUNCT_ERROR, STT_PUNCT_ERROR_FORMAT,
      "%s: not a valid punct model: %s; retrain it with `stt-punct train`", where, msg);
  g_free (msg);
  return FALSE;
}

static gboolean
check_floats (const float *v, gsize n, const char *where, const char *what, GError **error)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (v[i]))
      return format_error (error, where, "%s value %" G_GSIZE_FORMAT " is not finite", what, i);
  return TRUE;
}

/* Sorted entries whose keys (and forms, when @form_is_string) lie in the string pool. */
static gboolean
check_entries (SttPunct *p, const PunctCaseEntry *e, guint32 n, gsize off, gboolean form_is_string,
    const char *what, const char *where, GError **error)
{
  guint32 size = p->header->strings_size;
  for (guint32 i = 0; i < n; i++) {
    if (e[i].key >= size || (form_is_string && e[i].form >= size))
      return format_error (error, where, "%s entry %u (byte %" G_GSIZE_FORMAT
          ") points outside the string pool", what, i, off + i * sizeof (PunctCaseEntry));
    if (i > 0 && strcmp (p->pool + e[i - 1].key, p->pool + e[i].key) >= 0)
      return format_error (error, where, "%s entry %u (\"%s\") is out of order", what, i,
          p->pool + e[i].key);
  }
  return TRUE;
}

/* Check every size, offset and string of the file before anything reads it. */
static gboolean
validate (SttPunct *p, const char *where, GError **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (p->bytes, &size);
  if (G_BYTE_ORDER != G_LITTLE_ENDIAN)
    return format_error (error, where, "this build reads little-endian models only");
  if (size < sizeof (PunctHeader))
    return format_error (error, where, "%" G_GSIZE_FORMAT " bytes, shorter than the header",
        size);
  const PunctHeader *h = (const PunctHeader *) data;
  if (memcmp (h->magic, PUNCT_MAGIC, 8) != 0)
    return format_error (error, where, "bad magic at byte 0 (expected \"" PUNCT_MAGIC "\")");
  if (h->version != PUNCT_VERSION)
    return format_error (error, where, "version %u at byte 8, this build reads version %u",
        h->version, PUNCT_VERSION);
  if (h->n_labels != STT_PUNCT_N_LABELS)
    return format_error (error, where, "%u labels at byte 16, expected %u", h->n_labels,
        STT_PUNCT_N_LABELS);
  if (h->hash_bits < PUNCT_MIN_BITS || h->hash_bits > PUNCT_MAX_BITS)
    return format_error (error, where, "hash_bits %u at byte 12 is outside %u..%u",
        h->hash_bits, PUNCT_MIN_BITS, PUNCT_MAX_BITS);
  const PunctMlpShape *ms = &h->mlp;
  if (ms->hidden && (ms->dim < 1 || ms->dim > PUNCT_MLP_MAX_DIM
          || ms->left > PUNCT_MLP_MAX_CONTEXT || ms->right > PUNCT_MLP_MAX_CONTEXT
          || ms->hidden > PUNCT_MLP_MAX_HIDDEN
          || ms->vocab != PUNCT_MLP_FIRST + (gsize) h->n_class_entries))
    return format_error (error, where, "the network's shape at byte 104 (dim %u, context "
        "%u+%u, hidden %u, vocabulary %u) is outside the limits or does not match the %u "
        "class entries", ms->dim, ms->left, ms->right, ms->hidden, ms->vocab,
        h->n_class_entries);
  const PunctRnnShape *rs = &h->rnn;
  if (rs->hidden && (rs->dim < 1 || rs->dim > PUNCT_RNN_MAX_DIM
          || rs->hidden > PUNCT_RNN_MAX_HIDDEN || rs->window < 1
          || rs->window > PUNCT_RNN_MAX_WINDOW || rs->layers < 1
          || rs->layers > PUNCT_RNN_MAX_LAYERS
          || rs->vocab != PUNCT_MLP_FIRST + (gsize) h->n_class_entries))
    return format_error (error, where, "the sentence network's shape at byte 152 (dim %u, "
        "hidden %u, vocabulary %u, window %u, layers %u) is outside the limits or does not "
        "match the %u class entries", rs->dim, rs->hidden, rs->vocab, rs->window, rs->layers,
        h->n_class_entries);
  if (h->reserved != 0)
    return format_error (error, where, "byte 188 holds %u where this version has 0",
        h->reserved);
  if (rs->hidden ? h->rnn_members < 1 || h->rnn_members > PUNCT_RNN_MAX_MEMBERS
      : h->rnn_members != 0)
    return format_error (error, where, "%u sentence networks at byte 100, expected %s",
        h->rnn_members, rs->hidden ? "1.." G_STRINGIFY (PUNCT_RNN_MAX_MEMBERS)
        : "0 (the sentence network's shape has no units)");
  gsize n_mlp = ms->hidden ? punct_mlp_n_params (ms) : 0;
  gsize n_one_rnn = rs->hidden ? punct_rnn_n_params (rs) : 0;
  gsize n_rnn = n_one_rnn * h->rnn_members;
  gsize n_weights = ((gsize) 1 << h->hash_bits) * STT_PUNCT_N_LABELS;
  gsize weights_off = PUNCT_ALIGN8 (sizeof (PunctHeader));
  gsize mlp_off = weights_off + n_weights * sizeof (PunctWeight);
  gsize rnn_off = PUNCT_ALIGN8 (mlp_off + n_mlp * sizeof (float));
  gsize cases_off = PUNCT_ALIGN8 (rnn_off + n_rnn * sizeof (float));
  gsize classes_off = cases_off + (gsize) h->n_case_entries * sizeof (PunctCaseEntry);
  gsize contexts_off = classes_off + (gsize) h->n_class_entries * sizeof (PunctCaseEntry);
  gsize strings_off = PUNCT_ALIGN8 (contexts_off + (gsize) h->n_context_entries
      * sizeof (PunctCaseEntry));
  if (h->question_bits < PUNCT_MIN_BITS || h->question_bits > PUNCT_MAX_BITS)
    return format_error (error, where, "question_bits %u at byte 180 is outside %u..%u",
        h->question_bits, PUNCT_MIN_BITS, PUNCT_MAX_BITS);
  gsize question_off = PUNCT_ALIGN8 (strings_off + h->strings_size);
  gsize expected = question_off + (sizeof (float) << h->question_bits);
  if (size != expected)
    return format_error (error, where, "%" G_GSIZE_FORMAT " bytes, the header describes %"
        G_GSIZE_FORMAT " (truncated or extended file)", size, expected);
  p->header = h;
  p->weights = (const PunctWeight *) (data + weights_off);
  p->scale = h->weight_scale;
  p->cases = (const PunctCaseEntry *) (data + cases_off);
  p->classes = (const PunctCaseEntry *) (data + classes_off);
  p->contexts = (const PunctCaseEntry *) (data + contexts_off);
  p->pool = (const char *) data + strings_off;
  p->question = (const float *) (data + question_off);
  if (!check_floats (p->question, (gsize) 1 << h->question_bits, where, "question model weight",
          error))
    return FALSE;
  if (ms->hidden) {
    float *params = (float *) (data + mlp_off);   /* only read */
    if (!check_floats (params, n_mlp, where, "network parameter", error)
        || !check_floats (&h->mlp_weight, 1, where, "network weight", error))
      return FALSE;
    punct_mlp_view (&p->mlp, ms, params);
  }
  if (rs->hidden) {
    float *params = (float *) (data + rnn_off);   /* only read */
    if (!check_floats (params, n_rnn, where, "sentence network parameter", error)
        || !check_floats (&h->rnn_weight, 2, where, "sentence network weight", error)
        || !check_floats (&h->rnn_question_offset, 1, where, "sentence network question "
            "offset", error))
      return FALSE;
    for (guint k = 0; k < h->rnn_members; k++)
      punct_rnn_view (&p->rnn[k], rs, params + k * n_one_rnn);
    stt_blas_single_thread ();
  }
  if (h->strings_size > 0 && p->pool[h->strings_size - 1] != '\0')
    return format_error (error, where, "the string pool at byte %" G_GSIZE_FORMAT
        " does not end with NUL", strings_off);
  /* the forms go into Display as they are: they must be text */
  for (const char *s = p->pool; s < p->pool + h->strings_size; s += strlen (s) + 1)
    if (!g_utf8_validate (s, -1, NULL))
      return format_error (error, where, "the string at byte %" G_GSIZE_FORMAT
          " is not UTF-8", strings_off + (gsize) (s - p->pool));
  if (!check_entries (p, p->cases, h->n_case_entries, cases_off, TRUE, "casing", where, error)
      || !check_entries (p, p->classes, h->n_class_entries, classes_off, FALSE, "class", where,
          error)
      || !check_entries (p, p->contexts, h->n_context_entries, contexts_off, TRUE, "context",
          where, error))
    return FALSE;
  return check_floats (&h->pause_bonus[0][0], PUNCT_N_PAUSE_BUCKETS * STT_PUNCT_N_LABELS,
      where, "pause prior", error)
      && check_floats (&h->weight_scale, 1, where, "weight scale", error)
      && check_floats (h->label_bias, STT_PUNCT_N_LABELS, where, "label bias", error)
      && check_floats (&h->question_bias, 1, where, "question bias", error)
      && (h->weight_scale > 0 || format_error (error, where, "weight scale %g at byte 96 is "
              "not positive", h->weight_scale));
}

SttPunct *
stt_punct_new_from_bytes (GBytes *bytes, const char *where, GError **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  SttPunct *p = g_new0 (SttPunct, 1);
  p->refcount = 1;
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);
  /* The tables are read as floats and 16- and 32-bit integers in place. */
  if ((guintptr) data % 8 != 0)
    p->bytes = g_bytes_new (data, size);
  else
    p->bytes = g_bytes_ref (bytes);
  if (!validate (p, where ? where : STT_PUNCT_MODEL_FILE, error)) {
    stt_punct_unref (p);
    return NULL;
  }
  return p;
}

SttPunct *
stt_punct_ref (SttPunct *punct)
{
  g_atomic_int_inc (&punct->refcount);
  return punct;
}

void
stt_punct_unref (SttPunct *punct)
{
  if (punct && g_atomic_int_dec_and_test (&punct->refcount)) {
    g_bytes_unref (punct->bytes);
    g_free (punct);
  }
}

static gpointer
create_shared (SttModel *model, gpointer user_data, GError **error)
{
  GBytes *bytes = stt_model_map (model, STT_PUNCT_MODEL_FILE, error);
  if (!bytes)
    return NULL;
  char *where = g_build_filename (stt_model_get_dir (model), STT_PUNCT_MODEL_FILE, NULL);
  SttPunct *p = stt_punct_new_from_bytes (bytes, where, error);
  g_free (where);
  g_bytes_unref (bytes);
  return p;
}

SttPunct *
stt_punct_new_from_model (SttModel *model, GError **error)
{
  const char *kind = stt_model_get_kind (model);
  if (g_strcmp0 (kind, "punct") != 0) {
    g_set_error (error, STT_PUNCT_ERROR, STT_PUNCT_ERROR_KIND,
        "model %s (%s) is of kind \"%s\", not \"punct\"; give the id or folder of a punct "
        "model", stt_model_get_id (model), stt_model_get_dir (model), kind ? kind : "");
    return NULL;
  }
  SttPunct *p = stt_model_get_shared (model, "stt-punct", create_shared, NULL,
      (GDestroyNotify) stt_punct_unref, error);
  return p ? stt_punct_ref (p) : NULL;
}

static int
compare_key (const void *key, const void *entry, const void *pool)
{
  return strcmp (key, (const char *) pool + ((const PunctCaseEntry *) entry)->key);
}

static const PunctCaseEntry *
lookup (const SttPunct *punct, const PunctCaseEntry *e, guint32 n, const char *word)
{
  gsize lo = 0, hi = n;
  while (lo < hi) {
    gsize mid = lo + (hi - lo) / 2;
    int c = compare_key (word, &e[mid], punct->pool);
    if (c == 0)
      return &e[mid];
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

static const char *
lookup_form (const SttPunct *punct, const char *word)
{
  const PunctCaseEntry *e = lookup (punct, punct->cases, punct->header->n_case_entries, word);
  return e ? punct->pool + e->form : word;
}

static void
score_rows (const SttPunct *punct, const guint32 *rows, guint n, float score[STT_PUNCT_N_LABELS])
{
  gint32 acc[STT_PUNCT_N_LABELS] = { 0 };
  for (guint f = 0; f < n; f++) {
    const PunctWeight *w = punct->weights + (gsize) rows[f] * STT_PUNCT_N_LABELS;
    for (guint l = 0; l < STT_PUNCT_N_LABELS; l++)
      acc[l] += w[l];
  }
  for (guint l = 0; l < STT_PUNCT_N_LABELS; l++)
    score[l] = acc[l] * punct->scale;
}

/* The hashes and classes of @n words (free with free_seq). */
static PunctSeq
make_seq (const SttPunct *punct, const char *const *words, guint n)
{
  guint64 *hashes = g_new (guint64, n);
  guint32 *classes = g_new (guint32, n);
  for (guint i = 0; i < n; i++) {
    hashes[i] = punct_hash_word (words[i]);
    const PunctCaseEntry *e = lookup (punct, punct->classes, punct->header->n_class_entries,
        words[i]);
    classes[i] = punct_class_of (e ? e->form : PUNCT_NO_CLASS, words[i]);
  }
  return (PunctSeq) { hashes, classes, n };
}

static void
free_seq (PunctSeq *seq)
{
  g_free ((gpointer) seq->hashes);
  g_free ((gpointer) seq->classes);
}

void
stt_punct_predict (const SttPunct *punct, const char *const *words, guint n,
    const gint *pause_ms, SttPunctFlags flags, SttPunctLabel *labels)
{
  if (n == 0)
    return;
  const PunctHeader *h = punct->header;
  PunctSeq seq = make_seq (punct, words, n);
  PunctHistory hist = { 0, 0, STT_PUNCT_NONE };
  float *mlp = NULL, *rnn = NULL;
  if (h->mlp.hidden || h->rnn.hidden) {
    guint32 *ids = g_new (guint32, n);
    for (guint i = 0; i < n; i++) {
      const PunctCaseEntry *e = lookup (punct, punct->classes, h->n_class_entries, words[i]);
      ids[i] = e ? PUNCT_MLP_FIRST + (guint32) (e - punct->classes)
          : seq.classes[i] == PUNCT_NUMBER_CLASS ? PUNCT_MLP_NUMBER : PUNCT_MLP_UNKNOWN;
    }
    if (h->mlp.hidden) {
      mlp = g_new (float, (gsize) n * STT_PUNCT_N_LABELS);
      punct_mlp_log_probs (&punct->mlp, ids, n, mlp);
    }
    if (h->rnn.hidden) {
      rnn = g_new (float, (gsize) n * STT_PUNCT_N_LABELS);
      punct_rnn_ensemble_log_probs (punct->rnn, h->rnn_members, ids, n, rnn);
    }
    g_free (ids);
  }
  guint32 rows[MAX (PUNCT_MAX_FEATURES, PUNCT_MAX_SENTENCE_FEATURES)];
  float score[STT_PUNCT_N_LABELS];
  for (guint i = 0; i < n; i++) {
    guint n_rows = punct_features (&seq, i, &hist, h->hash_bits, rows);
    score_rows (punct, rows, n_rows, score);
    for (guint l = 0; l < STT_PUNCT_N_LABELS; l++)
      score[l] += h->label_bias[l]
          + (mlp ? h->mlp_weight * mlp[(gsize) i * STT_PUNCT_N_LABELS + l] : 0.0f)
          + (rnn ? h->rnn_weight * rnn[(gsize) i * STT_PUNCT_N_LABELS + l] : 0.0f);
    guint bucket = pause_ms ? punct_pause_bucket (pause_ms[i]) : 0;
    for (guint l = 0; l < STT_PUNCT_N_LABELS; l++)
      score[l] += h->pause_bonus[bucket][l];
    SttPunctLabel label = punct_argmax (score);
    if (i + 1 == n && (flags & STT_PUNCT_FLAG_END_SENTENCE))
      label = STT_PUNCT_PERIOD;
    if (label == STT_PUNCT_PERIOD || label == STT_PUNCT_QUESTION) {
      /* where a sentence ends, the question model picks its mark */
      guint n_s = punct_sentence_features (&seq, hist.sentence_start, i, h->question_bits,
          rows);
      float q = punct_question_score (punct->question, rows, n_s) + h->question_bias;
      if (rnn)
        q += h->rnn_question_weight * (rnn[(gsize) i * STT_PUNCT_N_LABELS + STT_PUNCT_QUESTION]
            - rnn[(gsize) i * STT_PUNCT_N_LABELS + STT_PUNCT_PERIOD] + h->rnn_question_offset);
      label = q > 0 ? STT_PUNCT_QUESTION : STT_PUNCT_PERIOD;
    }
    labels[i] = label;
    punct_history_advance (&hist, i, label);
  }
  free_seq (&seq);
  g_free (mlp);
  g_free (rnn);
}

float
stt_punct_question_score (const SttPunct *punct, const char *const *words, guint n)
{
  g_return_val_if_fail (n > 0, 0.0f);
  const PunctHeader *h = punct->header;
  PunctSeq seq = make_seq (punct, words, n);
  guint32 rows[PUNCT_MAX_SENTENCE_FEATURES];
  guint n_rows = punct_sentence_features (&seq, 0, n - 1, h->question_bits, rows);
  float q = punct_question_score (punct->question, rows, n_rows) + h->question_bias;
  free_seq (&seq);
  return q;
}

/* @form with a capital first letter when @sentence_start (newly allocated). */
static char *
start_case (const char *form, gboolean sentence_start)
{
  if (!sentence_start || !*form)
    return g_strdup (form);
  gunichar first = g_utf8_get_char (form);
  char buf[8] = { 0 };
  g_unichar_to_utf8 (g_unichar_totitle (first), buf);
  return g_strconcat (buf, g_utf8_next_char (form), NULL);
}

char *
stt_punct_case_word (const SttPunct *punct, const char *word, gboolean sentence_start)
{
  return start_case (lookup_form (punct, word), sentence_start);
}

/* The form of @word next to @other (before it when @side is PUNCT_CONTEXT_RIGHT), or NULL. */
static const char *
lookup_context (const SttPunct *punct, char side, const char *a, const char *b)
{
  if (!punct->header->n_context_entries)
    return NULL;
  char *key = g_strdup_printf ("%c%s %s", side, a, b);
  const PunctCaseEntry *e = lookup (punct, punct->contexts, punct->header->n_context_entries,
      key);
  g_free (key);
  return e ? punct->pool + e->form : NULL;
}

char **
stt_punct_case_words (const SttPunct *punct, const char *const *words, guint n,
    const SttPunctLabel *labels)
{
  char **out = g_new0 (char *, n + 1);
  gboolean start = TRUE;
  for (guint i = 0; i < n; i++) {
    if (!*words[i]) {           /* no word: no form, and its label is not a sentence end */
      out[i] = g_strdup ("");
      continue;
    }
    const char *form = i + 1 < n ? lookup_context (punct, PUNCT_CONTEXT_RIGHT, words[i],
        words[i + 1]) : NULL;
    if (!form && i > 0)
      form = lookup_context (punct, PUNCT_CONTEXT_LEFT, words[i - 1], words[i]);
    out[i] = start_case (form ? form : lookup_form (punct, words[i]), start);
    SttPunctLabel label = labels ? labels[i] : STT_PUNCT_NONE;
    start = label == STT_PUNCT_PERIOD || label == STT_PUNCT_QUESTION;
  }
  return out;
}

char *
stt_punct_format (const SttPunct *punct, const char *const *words, guint n,
    const SttPunctLabel *labels, gboolean write_marks)
{
  GString *out = g_string_new (NULL);
  char **cased = stt_punct_case_words (punct, words, n, labels);
  for (guint i = 0; i < n; i++) {
    if (!*words[i])
      continue;
    if (out->len)
      g_string_append_c (out, ' ');
    g_string_append (out, cased[i]);
    SttPunctLabel label = labels ? labels[i] : STT_PUNCT_NONE;
    if (label != STT_PUNCT_NONE && write_marks)
      g_string_append_c (out, stt_punct_label_char (label));
  }
  g_strfreev (cased);
  return g_string_free (out, FALSE);
}

char *
stt_punct_punctuate (const SttPunct *punct, const char *text, SttPunctFlags flags)
{
  char *valid = g_utf8_make_valid (text, -1);
  char *lower = g_utf8_strdown (valid, -1);
  g_free (valid);
  GPtrArray *words = g_ptr_array_new ();
  char **tokens = g_strsplit_set (lower, " \t\r\n\f\v", -1);
  for (char **t = tokens; *t; t++)
    if (**t)
      g_ptr_array_add (words, *t);
  SttPunctLabel *labels = g_new (SttPunctLabel, words->len + 1);
  stt_punct_predict (punct, (const char *const *) words->pdata, words->len, NULL, flags,
      labels);
  char *out = stt_punct_format (punct, (const char *const *) words->pdata, words->len, labels,
      TRUE);
  g_free (labels);
  g_ptr_array_unref (words);
  g_strfreev (tokens);
  g_free (lower);
  return out;
}
