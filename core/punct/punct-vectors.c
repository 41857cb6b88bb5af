/* gst-stt — word vectors for the punct sentence networks from a word-vector text file.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Vectors learnt elsewhere from far more text than the training addresses (e.g. GloVe,
 * Pennington, Socher & Manning 2014, trained on 6 billion words) carry what that text taught
 * about each word. The file is the common text format of GloVe, word2vec and fastText: one
 * word per line followed by its numbers, separated by spaces; an optional first line of two
 * integers (fastText's "count dimension") is skipped. Only the lines of the asked words are
 * parsed, so a file of hundreds of thousands of words costs a scan, not a parse. Words are
 * matched as written, then lower-cased.
 */
#include "punct-private.h"

#include <math.h>
#include <string.h>

/* Longest word kept from a line; longer ones cannot be network words anyway. */
#define MAX_WORD 256

static gboolean
is_count_line (const char *line, const char *end)
{
  guint fields = 0;
  for (const char *p = line; p < end;) {
    while (p < end && *p == ' ')
      p++;
    if (p == end)
      break;
    if (!g_ascii_isdigit (*p))
      return FALSE;
    while (p < end && g_ascii_isdigit (*p))
      p++;
    fields++;
  }
  return fields == 2;
}

/* Count the numbers after the word, storing the first @dim of them in @out (may be NULL);
 * FALSE when a field is not a number that is finite as a float. */
static gboolean
parse_numbers (const char *p, const char *end, guint dim, float *out, guint *n_fields)
{
  char buf[64];
  guint n = 0;
  *n_fields = 0;
  while (p < end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
      p++;
    if (p == end)
      break;
    const char *q = p;
    while (q < end && *q != ' ' && *q != '\t' && *q != '\r')
      q++;
    gsize len = (gsize) (q - p);
    if (len >= sizeof buf)
      return FALSE;
    memcpy (buf, p, len);
    buf[len] = '\0';
    char *stop;
    double v = g_ascii_strtod (buf, &stop);
    /* finite as a float too: 1e39 is a double but overflows the embedding's floats */
    if (*stop || !isfinite ((float) v))
      return FALSE;
    if (n < dim && out)
      out[n] = (float) v;
    *n_fields = ++n;
    p = q;
  }
  return TRUE;
}

static void
set_error (GError **error, const char *path, gsize line_no, const char *what)
{
  g_autofree char *where = line_no ? g_strdup_printf ("line %" G_GSIZE_FORMAT " ", line_no)
      : g_strdup ("");
  g_set_error (error, STT_PUNCT_ERROR, STT_PUNCT_ERROR_TRAIN,
      "--rnn-init-vectors %s: %s%s; give a word-vector text file (GloVe, word2vec or fastText "
      "text format: a word, then its numbers, on each line)", path, where, what);
}

float *
punct_file_embeddings (const char *path, const char *const *words, guint n_words,
    float rms, guint *dim, guint8 *found, guint *n_found, GError **error)
{
  GError *err = NULL;
  g_autoptr (GMappedFile) map = g_mapped_file_new (path, FALSE, &err);
  if (!map) {
    g_set_error (error, STT_PUNCT_ERROR, STT_PUNCT_ERROR_TRAIN,
        "--rnn-init-vectors: %s; give a word-vector text file (GloVe, word2vec or fastText "
        "text format)", err->message);
    g_error_free (err);
    return NULL;
  }
  /* exact spelling first, then the lower-case form: a row is claimed by the first line that
   * matches its word either way, exact matches winning */
  g_autoptr (GHashTable) want = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n_words; i++)
    if (words[i] && !g_hash_table_contains (want, words[i]))
      g_hash_table_insert (want, (gpointer) words[i], GUINT_TO_POINTER (i + 1));
  const char *p = g_mapped_file_get_contents (map);
  const char *end = p + g_mapped_file_get_length (map);
  float *emb = NULL;
  guint d = 0, n = 0;
  guint8 *exact = g_new0 (guint8, n_words);
  memset (found, 0, n_words);
  for (gsize line_no = 1; p < end; line_no++) {
    const char *eol = memchr (p, '\n', (gsize) (end - p));
    if (!eol)
      eol = end;
    const char *sp = p;
    while (sp < eol && *sp != ' ' && *sp != '\t')
      sp++;
    if (line_no == 1 && is_count_line (p, eol)) {
      p = eol + 1;
      continue;
    }
    if (sp == p || sp == eol) {
      if (eol > p && !(eol - p == 1 && *p == '\r')) {
        set_error (error, path, line_no, "has a word and no numbers");
        goto fail;
      }
      p = eol + 1;
      continue;
    }
    if (d == 0) {
      guint fields;
      if (!parse_numbers (sp, eol, 0, NULL, &fields) || fields == 0) {
        set_error (error, path, line_no, "has a field after the word that is not a number");
        goto fail;
      }
      d = fields;
      emb = g_new0 (float, (gsize) n_words * d);
    }
    gsize wlen = (gsize) (sp - p);
    if (wlen < MAX_WORD) {
      char word[MAX_WORD];
      memcpy (word, p, wlen);
      word[wlen] = '\0';
      guint row = GPOINTER_TO_UINT (g_hash_table_lookup (want, word));
      gboolean is_exact = row != 0;
      if (!row && g_utf8_validate (word, (gssize) wlen, NULL)) {
        g_autofree char *lower = g_utf8_strdown (word, (gssize) wlen);
        row = GPOINTER_TO_UINT (g_hash_table_lookup (want, lower));
      }
      if (row && !exact[row - 1] && (is_exact || !found[row - 1])) {
        guint fields;
        gboolean ok = parse_numbers (sp, eol, d, emb + (gsize) (row - 1) * d, &fields);
        if (!ok || fields != d) {
          g_autofree char *what = ok ? g_strdup_printf ("(word \"%s\") has %u numbers where "
              "the first vector has %u", word, fields, d) : g_strdup_printf ("(word \"%s\") "
              "has a field that is not a number", word);
          set_error (error, path, line_no, what);
          goto fail;
        }
        n += !found[row - 1];
        found[row - 1] = 1;
        exact[row - 1] = is_exact;
      }
    }
    p = eol + 1;
  }
  if (d == 0) {
    set_error (error, path, 0, "the file has no vectors");
    goto fail;
  }
  /* every found row gets the same length, as the LM vectors do (punct-embed.c) */
  const double length = rms * sqrt (d);
  for (guint i = 0; i < n_words; i++) {
    if (!found[i])
      continue;
    float *v = emb + (gsize) i * d;
    double norm = 0;
    for (guint j = 0; j < d; j++)
      norm += (double) v[j] * v[j];
    float s = norm > 1e-24 ? (float) (length / sqrt (norm)) : 0.0f;
    for (guint j = 0; j < d; j++)
      v[j] *= s;
  }
  g_free (exact);
  *dim = d;
  if (n_found)
    *n_found = n;
  return emb;
fail:
  g_free (exact);
  g_free (emb);
  memset (found, 0, n_words);
  return NULL;
}
