/* gst-stt — sttitn: applying ITN spans to a Display text a punctuator already wrote.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The rule (docs/itn.md): each Display token is a spoken word with punctuation before and
 * after it. A word passed through keeps its Display token. The words of a converted span are
 * replaced by the written token, keeping the punctuation before the span's first word and after
 * its last word, and a capital first letter if the first word had one; punctuation between the
 * words of a span is dropped ("twenty, five" is one number).
 */
#include "gststtitn-display.h"

#include <string.h>

typedef struct {
  const char *start;            /* the token */
  gsize lead, core, trail;      /* byte lengths of punctuation, word, punctuation */
} DisplayToken;

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '\'' || c == '-';
}

static void
split_token (const char *tok, DisplayToken *t)
{
  const char *end = tok + strlen (tok), *a = tok, *b = end;
  while (a < end && !is_word_char (g_utf8_get_char (a)))
    a = g_utf8_next_char (a);
  while (b > a) {
    const char *p = g_utf8_prev_char (b);
    if (is_word_char (g_utf8_get_char (p)) && *p != '\'' && *p != '-')
      break;
    b = p;
  }
  t->start = tok;
  t->lead = a - tok;
  t->core = b - a;
  t->trail = end - b;
}

static gboolean
same_word (const DisplayToken *t, const char *spoken)
{
  char *a = g_utf8_casefold (t->start + t->lead, t->core), *b = g_utf8_casefold (spoken, -1);
  gboolean same = strcmp (a, b) == 0;
  g_free (a);
  g_free (b);
  return same;
}

static void
append_written (GString *s, const char *text, gboolean capital)
{
  if (capital && g_unichar_islower (g_utf8_get_char (text))) {
    char buf[8];
    g_string_append_len (s, buf, g_unichar_to_utf8 (g_unichar_toupper (g_utf8_get_char (text)),
            buf));
    g_string_append (s, g_utf8_next_char (text));
  } else {
    g_string_append (s, text);
  }
}

char *
gst_stt_itn_merge_display (const char *display, const char *const *spoken, guint n_spoken,
    const SttItnOutput *out, const char *const *written)
{
  char **v = g_strsplit_set (display, " \t\n", -1);
  GPtrArray *toks = g_ptr_array_new ();
  for (char **p = v; *p; p++)
    if (**p)
      g_ptr_array_add (toks, *p);
  DisplayToken *d = g_new0 (DisplayToken, MAX (toks->len, 1));
  gboolean aligned = toks->len == n_spoken;
  for (guint i = 0; aligned && i < n_spoken; i++) {
    split_token (g_ptr_array_index (toks, i), &d[i]);
    aligned = same_word (&d[i], spoken[i]);
  }
  GString *s = NULL;
  if (aligned) {
    s = g_string_new (NULL);
    guint n_tok = stt_itn_output_get_n_tokens (out), done = 0;
    for (guint k = 0; k < n_tok; k++) {
      const SttItnToken *t = stt_itn_output_get_token (out, k);
      guint first = MIN (t->first_word, n_spoken ? n_spoken - 1 : 0);
      guint last = t->n_words ? MIN (first + t->n_words, n_spoken) - 1 : first;
      const SttItnToken *next = k + 1 < n_tok ? stt_itn_output_get_token (out, k + 1) : NULL;
      gboolean opens = first >= done, closes = !next || next->first_word > last;
      done = MAX (done, last + 1);
      if (!written[k] || !n_spoken)
        continue;
      if (s->len)
        g_string_append_c (s, ' ');
      gboolean keep = t->n_words == 1 && opens && closes
          && strcmp (written[k], spoken[first]) == 0;
      if (keep) {               /* passed through: the punctuator's token as it is */
        g_string_append (s, d[first].start);
        continue;
      }
      if (opens)
        g_string_append_len (s, d[first].start, d[first].lead);
      gunichar c0 = g_utf8_get_char (d[first].start + d[first].lead);
      append_written (s, written[k], opens && g_unichar_isupper (c0));
      if (closes)
        g_string_append_len (s, d[last].start + d[last].lead + d[last].core, d[last].trail);
    }
  }
  g_free (d);
  g_ptr_array_free (toks, TRUE);
  g_strfreev (v);
  return s ? g_string_free (s, FALSE) : NULL;
}
