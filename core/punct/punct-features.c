/* gst-stt — the features of the punct model: hashed word n-grams and sentence context.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Words are hashed once (FNV-1a); a feature is a mix of its template number and the hashes of
 * its words, so no feature string is ever built. The trainer and the runtime call the same
 * function, which is what keeps a trained model meaningful.
 */
#include "punct-private.h"

/* Sentinels beyond both ends of the sequence. */
#define HASH_BOS G_GUINT64_CONSTANT (0x5bd1e9955bd1e995)
#define HASH_EOS G_GUINT64_CONSTANT (0x27d4eb2f165667c5)

enum {
  F_BIAS, F_W0, F_WM1, F_WP1, F_WM2, F_WP2, F_WP3,
  F_WM1_W0, F_W0_WP1, F_WP1_WP2, F_WM2_WM1,
  F_WM2_WM1_W0, F_WM1_W0_WP1, F_W0_WP1_WP2,
  F_LEN, F_S1, F_S1_S2, F_S1_LEN, F_S1_W0,
  F_PREV, F_PREV_W0, F_LEN_WP1,
  F_WM3, F_WP4, F_W0_WP2, F_WM1_WP1, F_WP1_WP2_WP3,
};

guint64
punct_hash_word (const char *word)
{
  guint64 h = G_GUINT64_CONSTANT (14695981039346656037);
  for (const unsigned char *p = (const unsigned char *) word; *p; p++) {
    h ^= *p;
    h *= G_GUINT64_CONSTANT (1099511628211);
  }
  return h;
}

/* splitmix64's finaliser: spreads every input bit over the output. */
static guint64
mix (guint64 x)
{
  x ^= x >> 30;
  x *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x ^= x >> 27;
  x *= G_GUINT64_CONSTANT (0x94d049bb133111eb);
  x ^= x >> 31;
  return x;
}

static guint64
word_at (const PunctSeq *seq, gint64 i)
{
  if (i < 0)
    return HASH_BOS;
  if (i >= seq->n)
    return HASH_EOS;
  return seq->hashes[i];
}

static guint32
row (guint bits, guint tmpl, guint64 a, guint64 b, guint64 c)
{
  guint64 h = mix (tmpl * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) ^ a);
  h = mix (h ^ (b * G_GUINT64_CONSTANT (0xc2b2ae3d27d4eb4f)));
  h = mix (h ^ (c * G_GUINT64_CONSTANT (0x165667b19e3779f9)));
  return (guint32) (h >> (64 - bits));
}

/* Sentence length so far, in a few buckets (questions and periods come after some words). */
static guint
len_bucket (guint len)
{
  static const guint limits[] = { 1, 2, 3, 5, 8, 12, 17, 25, 35 };
  for (guint b = 0; b < G_N_ELEMENTS (limits); b++)
    if (len <= limits[b])
      return b;
  return G_N_ELEMENTS (limits);
}

guint
punct_features (const PunctSeq *seq, guint i, const PunctHistory *hist, guint bits,
    guint32 *rows)
{
  gint64 k = i;
  guint64 w0 = word_at (seq, k), wm1 = word_at (seq, k - 1), wm2 = word_at (seq, k - 2);
  guint64 wp1 = word_at (seq, k + 1), wp2 = word_at (seq, k + 2), wp3 = word_at (seq, k + 3);
  guint64 s1 = word_at (seq, hist->sentence_start);
  guint64 s2 = hist->sentence_start + 1 <= i ? word_at (seq, hist->sentence_start + 1) : HASH_EOS;
  guint64 len = len_bucket (i - hist->sentence_start + 1);
  guint64 prev = hist->prev;
  guint n = 0;

  rows[n++] = row (bits, F_BIAS, 0, 0, 0);
  rows[n++] = row (bits, F_W0, w0, 0, 0);
  rows[n++] = row (bits, F_WM1, wm1, 0, 0);
  rows[n++] = row (bits, F_WP1, wp1, 0, 0);
  rows[n++] = row (bits, F_WM2, wm2, 0, 0);
  rows[n++] = row (bits, F_WP2, wp2, 0, 0);
  rows[n++] = row (bits, F_WP3, wp3, 0, 0);
  rows[n++] = row (bits, F_WM1_W0, wm1, w0, 0);
  rows[n++] = row (bits, F_W0_WP1, w0, wp1, 0);
  rows[n++] = row (bits, F_WP1_WP2, wp1, wp2, 0);
  rows[n++] = row (bits, F_WM2_WM1, wm2, wm1, 0);
  rows[n++] = row (bits, F_WM2_WM1_W0, wm2, wm1, w0);
  rows[n++] = row (bits, F_WM1_W0_WP1, wm1, w0, wp1);
  rows[n++] = row (bits, F_W0_WP1_WP2, w0, wp1, wp2);
  guint64 wm3 = word_at (seq, k - 3), wp4 = word_at (seq, k + 4);
  rows[n++] = row (bits, F_WM3, wm3, 0, 0);
  rows[n++] = row (bits, F_WP4, wp4, 0, 0);
  rows[n++] = row (bits, F_W0_WP2, w0, wp2, 0);
  rows[n++] = row (bits, F_WM1_WP1, wm1, wp1, 0);
  rows[n++] = row (bits, F_WP1_WP2_WP3, wp1, wp2, wp3);
  rows[n++] = row (bits, F_LEN, len, 0, 0);
  rows[n++] = row (bits, F_S1, s1, 0, 0);
  rows[n++] = row (bits, F_S1_S2, s1, s2, 0);
  rows[n++] = row (bits, F_S1_LEN, s1, len, 0);
  rows[n++] = row (bits, F_S1_W0, s1, w0, 0);
  rows[n++] = row (bits, F_PREV, prev, 0, 0);
  rows[n++] = row (bits, F_PREV_W0, prev, w0, 0);
  rows[n++] = row (bits, F_LEN_WP1, len, wp1, 0);
  g_assert (n <= PUNCT_MAX_FEATURES);
  return n;
}

void
punct_history_advance (PunctHistory *hist, guint i, SttPunctLabel label)
{
  hist->prev = label;
  if (label == STT_PUNCT_PERIOD || label == STT_PUNCT_QUESTION)
    hist->sentence_start = i + 1;
}

guint
punct_pause_bucket (gint pause_ms)
{
  if (pause_ms < 250)           /* unknown (negative) or within a breath */
    return 0;
  if (pause_ms < 500)
    return 1;
  if (pause_ms < 1000)
    return 2;
  return 3;
}

/* Priors, in units of the model's mean winning margin: a short pause hints at a comma, a long
 * one at a sentence end. Not learned: the training text has no timing. */
void
punct_default_pause_bonus (float margin, float bonus[PUNCT_N_PAUSE_BUCKETS][STT_PUNCT_N_LABELS])
{
  static const float prior[PUNCT_N_PAUSE_BUCKETS][STT_PUNCT_N_LABELS] = {
    /* none   comma  period question */
    { 0.0f, 0.0f, 0.0f, 0.0f },
    { 0.0f, 0.5f, 0.25f, 0.25f },
    { 0.0f, 0.75f, 0.75f, 0.75f },
    { 0.0f, 1.0f, 1.5f, 1.5f },
  };
  for (guint b = 0; b < PUNCT_N_PAUSE_BUCKETS; b++)
    for (guint l = 0; l < STT_PUNCT_N_LABELS; l++)
      bonus[b][l] = prior[b][l] * margin;
}
