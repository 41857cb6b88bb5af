/* gst-stt — stable partial results: the prefix of words that N partials agree on.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "stable.h"

#include <string.h>

struct _SttStableText {
  guint threshold;
  char **tokens;                /* of the previous partial */
  guint *counts;                /* consecutive partials each token has been in, in place */
  char *last_sent;
};

SttStableText *
stt_stable_text_new (guint threshold)
{
  SttStableText *st = g_new0 (SttStableText, 1);
  st->threshold = MAX (threshold, 1);
  return st;
}

void
stt_stable_text_reset (SttStableText *st)
{
  g_clear_pointer (&st->tokens, g_strfreev);
  g_clear_pointer (&st->counts, g_free);
  g_clear_pointer (&st->last_sent, g_free);
}

void
stt_stable_text_free (SttStableText *st)
{
  if (!st)
    return;
  stt_stable_text_reset (st);
  g_free (st);
}

/* Whitespace-separated tokens, no empty ones. */
static char **
tokenize (const char *text)
{
  GPtrArray *a = g_ptr_array_new ();
  char **parts = g_strsplit_set (text ? text : "", " \t\n", -1);
  for (char **p = parts; *p; p++)
    if (**p)
      g_ptr_array_add (a, g_strdup (*p));
  g_strfreev (parts);
  g_ptr_array_add (a, NULL);
  return (char **) g_ptr_array_free (a, FALSE);
}

char *
stt_stable_text_update (SttStableText *st, const char *text, guint *n_tokens)
{
  char **tokens = tokenize (text);
  guint n = g_strv_length (tokens);
  guint n_prev = st->tokens ? g_strv_length (st->tokens) : 0;
  guint *counts = g_new0 (guint, n + 1);
  /* A token continues its run only when everything before it matched too: a word that moved
   * is a new word. */
  gboolean same = TRUE;
  guint stable = 0;
  for (guint i = 0; i < n; i++) {
    same = same && i < n_prev && strcmp (tokens[i], st->tokens[i]) == 0;
    counts[i] = same ? st->counts[i] + 1 : 1;
    if (stable == i && counts[i] >= st->threshold)
      stable = i + 1;
  }
  g_strfreev (st->tokens);
  g_free (st->counts);
  st->tokens = tokens;
  st->counts = counts;
  if (!stable)
    return NULL;
  char *saved = tokens[stable];
  tokens[stable] = NULL;
  char *prefix = g_strjoinv (" ", tokens);
  tokens[stable] = saved;
  if (g_strcmp0 (prefix, st->last_sent) == 0) {
    g_free (prefix);
    return NULL;
  }
  g_free (st->last_sent);
  st->last_sent = g_strdup (prefix);
  *n_tokens = stable;
  return prefix;
}
