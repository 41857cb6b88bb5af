/* gst-stt — punctuated text to words and the marks after them (training and benchmarks).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "punct-private.h"

#include <string.h>

char
stt_punct_label_char (SttPunctLabel label)
{
  switch (label) {
    case STT_PUNCT_COMMA:
      return ',';
    case STT_PUNCT_PERIOD:
      return '.';
    case STT_PUNCT_QUESTION:
      return '?';
    default:
      return '\0';
  }
}

static SttPunctLabel
mark_of (const char *s, const char *end)
{
  SttPunctLabel label = STT_PUNCT_NONE, l;
  while (s < end) {
    gunichar c = g_utf8_get_char (s);
    switch (c) {
      case '?':
        l = STT_PUNCT_QUESTION;
        break;
      case '.': case '!':
        l = STT_PUNCT_PERIOD;
        break;
      case ',': case ';': case ':': case '-': case 0x2014: case 0x2013:
        l = STT_PUNCT_COMMA;
        break;
      default:
        l = STT_PUNCT_NONE;
        break;
    }
    label = MAX (label, l);
    s = g_utf8_next_char (s);
  }
  return label;
}

static void
mark_previous (GArray *out, SttPunctLabel label)
{
  if (out->len) {
    SttPunctToken *t = &g_array_index (out, SttPunctToken, out->len - 1);
    t->label = MAX (t->label, label);
  }
}

/* One piece of text without spaces or dashes. */
static void
add_piece (GArray *out, const char *s, const char *end)
{
  const char *first = NULL, *last_end = NULL;
  for (const char *p = s; p < end; p = g_utf8_next_char (p)) {
    if (g_unichar_isalnum (g_utf8_get_char (p))) {
      if (!first)
        first = p;
      last_end = g_utf8_next_char (p);
    }
  }
  if (!first) {
    mark_previous (out, mark_of (s, end));
    return;
  }
  /* "[Applause]", "[1]": annotations, not speech. */
  if (*s == '[' && end[-1] == ']')
    return;
  /* "U.S.": a period inside the word makes the final one part of it too. */
  if (last_end < end && *last_end == '.' && memchr (first, '.', last_end - first))
    last_end++;
  SttPunctToken t;
  t.cased = g_strndup (first, last_end - first);
  t.word = g_utf8_strdown (t.cased, -1);
  t.label = mark_of (last_end, end);
  g_array_append_val (out, t);
}

/* Dashes ("--", em and en dash) separate words like a comma. */
static const char *
find_dash (const char *s, const char *end, gsize *dash_len)
{
  for (const char *p = s; p < end; p++) {
    if (p[0] == '-' && p + 1 < end && p[1] == '-') {
      *dash_len = 2;
      return p;
    }
    if ((guchar) p[0] == 0xe2 && p + 2 < end && (guchar) p[1] == 0x80
        && ((guchar) p[2] == 0x94 || (guchar) p[2] == 0x93)) {
      *dash_len = 3;
      return p;
    }
  }
  return NULL;
}

static void
add_raw (GArray *out, const char *s, const char *end)
{
  gsize dash_len;
  const char *d;
  while ((d = find_dash (s, end, &dash_len))) {
    if (d > s)
      add_piece (out, s, d);
    mark_previous (out, STT_PUNCT_COMMA);
    s = d + dash_len;
  }
  if (end > s)
    add_piece (out, s, end);
}

static void
clear_token (gpointer p)
{
  SttPunctToken *t = p;
  g_free (t->word);
  g_free (t->cased);
}

GArray *
stt_punct_tokenize (const char *text)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (SttPunctToken));
  g_array_set_clear_func (out, clear_token);
  char *valid = g_utf8_make_valid (text, -1);
  const char *p = valid;
  while (*p) {
    while (*p && g_unichar_isspace (g_utf8_get_char (p)))
      p = g_utf8_next_char (p);
    const char *s = p;
    while (*p && !g_unichar_isspace (g_utf8_get_char (p)))
      p = g_utf8_next_char (p);
    if (p > s)
      add_raw (out, s, p);
  }
  g_free (valid);
  return out;
}
