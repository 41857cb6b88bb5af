/* gst-stt — letter-to-sound accuracy on the words training held out (phone and word errors).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "g2p-private.h"

#include <stt/lexicon.h>
#include <string.h>

/* Levenshtein distance of two phone id sequences. */
static guint
edit_distance (const guint16 *a, guint na, const guint16 *b, guint nb)
{
  guint *row = g_new (guint, nb + 1);
  for (guint j = 0; j <= nb; j++)
    row[j] = j;
  for (guint i = 1; i <= na; i++) {
    guint diag = row[0];
    row[0] = i;
    for (guint j = 1; j <= nb; j++) {
      guint up = row[j];
      guint best = diag + (a[i - 1] != b[j - 1]);
      best = MIN (best, up + 1);
      best = MIN (best, row[j - 1] + 1);
      row[j] = best;
      diag = up;
    }
  }
  guint d = row[nb];
  g_free (row);
  return d;
}

/* The best guess for @word as model phone ids; NULL if it cannot be pronounced. */
static guint16 *
guess (const SttG2p *g2p, const char *word, guint *n)
{
  GPtrArray *prons = stt_g2p_pronounce (g2p, word, 1, NULL);
  if (!prons)
    return NULL;
  const SttG2pPron *p = prons->pdata[0];
  *n = g_strv_length (p->phones);
  guint16 *ids = g_new (guint16, *n + 1);
  for (guint i = 0; i < *n; i++)
    ids[i] = (guint16) stt_strings_lookup (&g2p->phones, p->phones[i]);
  g_ptr_array_unref (prons);
  return ids;
}

/* Score one held-out word against its pronunciations (@first and its alternates, chained
 * through @next_alt). */
static void
score_word (const SttG2p *g2p, const SttLexicon *lex, guint32 first, const guint32 *next_alt,
    const guint16 *map, SttG2pEval *ev)
{
  g_autofree char *low = g_utf8_strdown (stt_lexicon_get_word (lex, first), -1);
  guint nh = 0;
  g_autofree guint16 *hyp = guess (g2p, low, &nh);
  guint best = G_MAXUINT, best_len = 0;
  for (guint32 id = first; id != G_MAXUINT32; id = next_alt[id]) {
    guint nr;
    const guint16 *ph = stt_lexicon_get_pron (lex, id, &nr);
    guint16 *ref = g_new (guint16, nr + 1);
    for (guint i = 0; i < nr; i++)
      ref[i] = map[ph[i]];
    guint d = hyp ? edit_distance (hyp, nh, ref, nr) : nr;
    if (d < best || (d == best && nr > best_len)) {
      best = d;
      best_len = nr;
    }
    g_free (ref);
  }
  ev->n_words++;
  ev->n_failed += hyp == NULL;
  ev->n_word_errors += best > 0;
  ev->n_ref_phones += best_len;
  ev->n_phone_errors += best;
}

gboolean
stt_g2p_evaluate_lexicon (const SttG2p *g2p, const SttLexicon *lex, guint max_words,
    SttG2pEval *ev, GError **error)
{
  memset (ev, 0, sizeof *ev);
  if (g2p->held_out_every == 0) {
    g_set_error (error, STT_G2P_ERROR, STT_G2P_ERROR_FORMAT, "the letter-to-sound model %s "
        "held no words out of training: nothing to evaluate on", g2p->name);
    return FALSE;
  }
  SttLexiconStats st;
  stt_lexicon_get_stats (lex, &st);
  /* lexicon phone id -> model phone id (G2P_NONE: the model lacks it, never matches) */
  guint np = stt_lexicon_get_n_phones (lex);
  g_autofree guint16 *map = g_new (guint16, MAX (np, 1));
  for (guint i = 0; i < np; i++) {
    gint64 id = stt_strings_lookup (&g2p->phones, stt_lexicon_get_phone (lex, i));
    map[i] = id < 0 ? G2P_NONE : (guint16) id;
  }
  /* each base word's alternates, in dictionary order */
  g_autofree guint32 *next_alt = g_new (guint32, MAX (st.n_main, 1));
  g_autofree guint32 *last = g_new (guint32, MAX (st.n_main, 1));
  for (guint32 id = 0; id < st.n_main; id++) {
    next_alt[id] = last[id] = G_MAXUINT32;
    guint32 base = stt_lexicon_get_base (lex, id);
    if (base != id && base < id) {
      next_alt[last[base] == G_MAXUINT32 ? base : last[base]] = id;
      last[base] = id;
    }
  }
  gint64 t0 = g_get_monotonic_time ();
  for (guint32 id = 0; id < st.n_main && (!max_words || ev->n_words < max_words); id++)
    if (stt_lexicon_get_base (lex, id) == id
        && stt_g2p_is_held_out (g2p, stt_lexicon_get_word (lex, id)))
      score_word (g2p, lex, id, next_alt, map, ev);
  ev->seconds = (g_get_monotonic_time () - t0) / 1e6;
  if (ev->n_words == 0) {
    g_set_error (error, STT_G2P_ERROR, STT_G2P_ERROR_FORMAT, "the dictionary has none of the "
        "words the letter-to-sound model %s held out of training", g2p->name);
    return FALSE;
  }
  ev->per = ev->n_ref_phones ? (double) ev->n_phone_errors / ev->n_ref_phones : 0.0;
  ev->wer = (double) ev->n_word_errors / ev->n_words;
  return TRUE;
}

gboolean
stt_g2p_evaluate (const SttG2p *g2p, const char *dict_path, guint max_words, SttG2pEval *ev,
    GError **error)
{
  GError *err = NULL;
  g_autoptr (SttLexicon) lex = stt_lexicon_load_sphinx (dict_path, NULL, NULL, &err);
  if (!lex) {
    memset (ev, 0, sizeof *ev);
    g_set_error_literal (error, STT_G2P_ERROR, err->code == STT_LEXICON_ERROR_IO
        ? STT_G2P_ERROR_IO : STT_G2P_ERROR_FORMAT, err->message);
    g_error_free (err);
    return FALSE;
  }
  if (!stt_g2p_evaluate_lexicon (g2p, lex, max_words, ev, error)) {
    g_prefix_error (error, "%s: ", dict_path);
    return FALSE;
  }
  return TRUE;
}
