/* gst-stt — ARPA text LMs: reading user LMs, writing any LM for inspection.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * ARPA stores log10 probabilities; we keep raw units (base 1.0001) as float32, like Sphinx.
 * The writer prints the shortest decimal that reads back to the same float.
 */
#include "lm-private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

typedef struct {
  const char *p, *end;
  const char *name;
  guint line;
  char *buf;                /* current line, NUL-terminated */
  gsize buf_size;
} Lines;

/* Next line (without its end of line) into l->buf; FALSE at the end of the text. */
static gboolean
next_line (Lines *l)
{
  if (l->p >= l->end)
    return FALSE;
  const char *nl = memchr (l->p, '\n', (gsize) (l->end - l->p));
  const char *e = nl ? nl : l->end;
  gsize len = (gsize) (e - l->p);
  if (len > 0 && e[-1] == '\r')
    len--;
  if (len + 1 > l->buf_size) {
    l->buf_size = len + 1 + 256;
    l->buf = g_realloc (l->buf, l->buf_size);
  }
  memcpy (l->buf, l->p, len);
  l->buf[len] = '\0';
  l->p = nl ? nl + 1 : l->end;
  l->line++;
  return TRUE;
}

static gboolean
fail (GError **error, const Lines *l, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, const Lines *l, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_FORMAT, "%s: line %u: %s", l->name, l->line,
      msg);
  g_free (msg);
  return FALSE;
}

static gboolean
blank (const char *s)
{
  while (g_ascii_isspace (*s))
    s++;
  return *s == '\0';
}

/* A finite decimal (log10 value) in raw units; very small values are clamped to logzero. */
static gboolean
parse_log10 (const char *tok, float *out)
{
  char *end;
  errno = 0;
  double v = g_ascii_strtod (tok, &end);
  if (end == tok || *end || (errno == ERANGE && v != 0) || v != v || v > 1e6)
    return FALSE;
  double raw = v * STT_LM_RAW_PER_LOG10;
  *out = raw < STT_LM_LOGZERO ? (float) STT_LM_LOGZERO : (float) raw;
  return TRUE;
}

/* "\data\" then "ngram N=count" lines; returns the order. */
static guint
read_header (Lines *l, guint64 *counts, GError **error)
{
  gboolean in_data = FALSE;
  guint order = 0;
  while (next_line (l)) {
    g_strstrip (l->buf);
    if (!in_data) {
      in_data = strcmp (l->buf, "\\data\\") == 0;
      continue;
    }
    if (l->buf[0] == '\0')
      continue;
    if (g_str_has_prefix (l->buf, "\\1-grams:"))
      break;
    guint n;
    guint64 c;
    char extra;
    if (sscanf (l->buf, "ngram %u = %" G_GUINT64_FORMAT " %c", &n, &c, &extra) != 2
        && sscanf (l->buf, "ngram %u=%" G_GUINT64_FORMAT " %c", &n, &c, &extra) != 2) {
      fail (error, l, "expected \"ngram N=count\" or \"\\1-grams:\", found \"%s\"", l->buf);
      return 0;
    }
    if (n != order + 1 || c > G_MAXINT32) {
      fail (error, l, "unexpected \"%s\" (orders must be listed 1, 2, ... with counts below "
          "2^31)", l->buf);
      return 0;
    }
    if (n > STT_LM_MAX_ORDER) {
      g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_UNSUPPORTED, "%s: line %u: order %u; "
          "supported orders are 1 to %d (prune the LM to a trigram)", l->name, l->line, n,
          STT_LM_MAX_ORDER);
      return 0;
    }
    counts[n] = c;
    order = n;
  }
  if (!in_data || order == 0) {
    fail (error, l, "no \\data\\ section with ngram counts: not an ARPA LM (nor a Sphinx "
        "trie or gst-stt LM binary)");
    return 0;
  }
  if (counts[1] == 0) {
    fail (error, l, "the LM has no unigrams");
    return 0;
  }
  return order;
}

/* The lines of section @n (the "\n-grams:" line was just read). */
static gboolean
read_section (Lines *l, SttLmBuilder *b, guint n, guint64 count, GHashTable *ids,
    GError **error)
{
  guint64 seen = 0;
  char **tok = NULL;
  gboolean ok = FALSE;
  while (next_line (l)) {
    if (blank (l->buf))
      continue;
    if (l->buf[0] == '\\')
      break;
    g_strfreev (tok);
    tok = g_strsplit_set (g_strstrip (l->buf), " \t", -1);
    /* collapse empty tokens made by repeated blanks */
    guint k = 0;
    for (guint i = 0; tok[i]; i++) {
      if (tok[i][0])
        tok[k++] = tok[i];
      else
        g_free (tok[i]);
    }
    tok[k] = NULL;
    gboolean has_bo = k == n + 2;
    if (k != n + 1 && !has_bo) {
      fail (error, l, "a %u-gram line needs a log10 probability, %u words and an optional "
          "backoff; found %u fields", n, n, k);
      goto out;
    }
    float prob, bo = 0;
    if (!parse_log10 (tok[0], &prob) || (has_bo && !parse_log10 (tok[n + 1], &bo))) {
      fail (error, l, "\"%s\" or its backoff is not a number (log10)", tok[0]);
      goto out;
    }
    if (n == b->order)
      bo = 0;   /* the highest order has no backoff; ignore one if present */
    if (++seen > count) {
      fail (error, l, "more %u-grams than the %" G_GUINT64_FORMAT " announced in \\data\\", n,
          count);
      goto out;
    }
    if (n == 1) {
      if (g_hash_table_contains (ids, tok[1])) {
        fail (error, l, "the word \"%s\" is listed twice", tok[1]);
        goto out;
      }
      g_hash_table_insert (ids, g_strdup (tok[1]), GUINT_TO_POINTER (b->words->len + 1));
      g_ptr_array_add (b->words, g_strdup (tok[1]));
      g_array_append_val (b->uprob, prob);
      g_array_append_val (b->ubo, bo);
      continue;
    }
    SttLmEntry e = { { 0 }, prob, bo };
    for (guint i = 0; i < n; i++) {
      guint id = GPOINTER_TO_UINT (g_hash_table_lookup (ids, tok[1 + i]));
      if (id == 0) {
        fail (error, l, "the word \"%s\" is not among the unigrams", tok[1 + i]);
        goto out;
      }
      e.w[i] = id - 1;
    }
    g_array_append_val (b->ngrams[n], e);
  }
  if (seen != count) {
    fail (error, l, "%" G_GUINT64_FORMAT " %u-grams found, \\data\\ announced %"
        G_GUINT64_FORMAT, seen, n, count);
    goto out;
  }
  ok = TRUE;
out:
  g_strfreev (tok);
  return ok;
}

SttLmBuilder *
stt_lm_read_arpa (const char *text, gsize size, const char *name, GError **error)
{
  Lines l = { text, text + size, name, 0, NULL, 0 };
  guint64 counts[STT_LM_MAX_ORDER + 1] = { 0 };
  SttLmBuilder *b = NULL;
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint order = read_header (&l, counts, error);
  if (!order)
    goto fail;
  if (!g_utf8_validate_len (text, size, NULL)) {
    fail (error, &l, "the file is not UTF-8 text");
    goto fail;
  }
  b = stt_lm_builder_new (order);
  for (guint n = 1; n <= order; n++) {
    if (n > 1) {
      char want[16];
      g_snprintf (want, sizeof want, "\\%u-grams:", n);
      if (strcmp (g_strstrip (l.buf), want) != 0) {
        fail (error, &l, "expected \"%s\", found \"%s\"", want, l.buf);
        goto fail;
      }
    }
    if (!read_section (&l, b, n, counts[n], ids, error))
      goto fail;
  }
  if (l.p > l.end || strcmp (g_strstrip (l.buf), "\\end\\") != 0) {
    fail (error, &l, "expected \"\\end\\\" after the %u-grams", order);
    goto fail;
  }
  g_hash_table_unref (ids);
  g_free (l.buf);
  return b;
fail:
  g_hash_table_unref (ids);
  g_free (l.buf);
  stt_lm_builder_free (b);
  return NULL;
}

/* ---- writer ------------------------------------------------------------------------------ */

/* Shortest "%.Ng" of the log10 value that reads back to exactly @raw. */
static void
format_value (char *buf, gsize size, float raw)
{
  double v = raw / STT_LM_RAW_PER_LOG10;
  for (int digits = 6; digits <= 17; digits++) {
    char fmt[8];
    g_snprintf (fmt, sizeof fmt, "%%.%dg", digits);
    g_ascii_formatd (buf, (gint) size, fmt, v);
    float back;
    if (parse_log10 (buf, &back) && back == raw)
      return;
  }
}

typedef struct {
  const SttLm *lm;
  GString *out;
  FILE *f;
  gboolean failed;
} ArpaWriter;

static gboolean
write_ngram (const SttLmWord *words, guint n, float prob, float backoff, gpointer user_data)
{
  ArpaWriter *w = user_data;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_truncate (w->out, 0);
  format_value (buf, sizeof buf, prob);
  g_string_append (w->out, buf);
  for (guint k = 0; k < n; k++) {
    g_string_append_c (w->out, ' ');
    g_string_append (w->out, stt_lm_word (w->lm, words[k]));
  }
  if (n < stt_lm_get_order (w->lm)) {
    format_value (buf, sizeof buf, backoff);
    g_string_append_c (w->out, ' ');
    g_string_append (w->out, buf);
  }
  g_string_append_c (w->out, '\n');
  if (fwrite (w->out->str, 1, w->out->len, w->f) != w->out->len) {
    w->failed = TRUE;
    return FALSE;
  }
  return TRUE;
}

gboolean
stt_lm_write_arpa (const SttLm *lm, const char *path, GError **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.tmp-XXXXXX", path);
  int fd = g_mkstemp (tmp);
  if (fd < 0) {
    g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_IO, "cannot create %s: %s", tmp,
        g_strerror (errno));
    return FALSE;
  }
  /* mkstemp creates 0600; an exported LM is an ordinary readable file */
  FILE *f = fchmod (fd, 0644) == 0 ? fdopen (fd, "w") : NULL;
  if (!f) {
    int e = errno;
    close (fd);
    g_unlink (tmp);
    g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_IO, "cannot write %s: %s", tmp,
        g_strerror (e));
    return FALSE;
  }
  ArpaWriter w = { lm, g_string_new (NULL), f, FALSE };
  guint order = stt_lm_get_order (lm);
  fprintf (f, "\\data\\\n");
  for (guint n = 1; n <= order; n++)
    fprintf (f, "ngram %u=%u\n", n, stt_lm_get_count (lm, n));
  for (guint n = 1; n <= order && !w.failed; n++) {
    fprintf (f, "\n\\%u-grams:\n", n);
    stt_lm_foreach_ngram (lm, n, write_ngram, &w);
  }
  fprintf (f, "\n\\end\\\n");
  g_string_free (w.out, TRUE);
  gboolean ok = !w.failed && fflush (f) == 0 && fsync (fileno (f)) == 0;
  ok = (fclose (f) == 0) && ok;
  if (ok && rename (tmp, path) != 0)
    ok = FALSE;
  if (!ok) {
    int e = errno;
    g_unlink (tmp);
    g_set_error (error, STT_LM_ERROR, STT_LM_ERROR_IO, "cannot write the ARPA LM %s: %s", path,
        g_strerror (e));
    return FALSE;
  }
  return TRUE;
}
