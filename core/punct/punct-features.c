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
  F_C0, F_CM1, F_CP1, F_CP2, F_CM1_C0, F_C0_CP1, F_CP1_CP2, F_CM1_C0_CP1, F_C0_CP1_CP2,
  F_W0_CP1, F_C0_WP1, F_S1C_LEN,
  F_CLAUSE, F_CLAUSE_CP1, F_CLAUSE_W0,
  F_F0, F_FP1, F_F0_FP1, F_FM1_F0, F_GM2_GM1_G0, F_GM1_G0_GP1, F_G0_GP1_GP2, F_GP1_GP2_GP3,
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

static guint64
class_at (const PunctSeq *seq, gint64 i, guint level)
{
  if (i < 0)
    return HASH_BOS;
  if (i >= seq->n)
    return HASH_EOS;
  return punct_class_hash (seq->classes[i], level);
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

/* Templates of the question model (whole sentences). The question model has a table of its
 * own, so these only need to differ from one another. */
enum {
  S_BIAS = 100, S_S1, S_S2, S_S3, S_S1_S2, S_S1_S3, S_S2_S3, S_S1_S2_S3, S_CS1, S_FS1,
  S_CS1_CS2, S_GS1_GS2, S_GS1_GS2_GS3, S_S1_CS2, S_CS1_S2, S_FIRST4, S_CFIRST4, S_OPEN_PAIR,
};

/* The question model looks at how a sentence opens: its first words, their word classes and
 * the pairs of words among its first six, wherever they stand ("how long should we": "should
 * we"; "is it not"). On the development split (the model alone at the text's own sentence
 * ends) the words at the end of the sentence, its length and a bag of all its words each made
 * it worse: they overfit the 444 questions of the training text. */
guint
punct_sentence_features (const PunctSeq *seq, guint start, guint end, guint bits, guint32 *rows)
{
  gint64 s = start, e = end;
  guint64 s1 = word_at (seq, s), s2 = s + 1 <= e ? word_at (seq, s + 1) : HASH_EOS;
  guint64 s3 = s + 2 <= e ? word_at (seq, s + 2) : HASH_EOS;
  guint64 cs1 = class_at (seq, s, 1), cs2 = s + 1 <= e ? class_at (seq, s + 1, 1) : HASH_EOS;
  guint64 gs1 = class_at (seq, s, 0), gs2 = s + 1 <= e ? class_at (seq, s + 1, 0) : HASH_EOS;
  guint64 gs3 = s + 2 <= e ? class_at (seq, s + 2, 0) : HASH_EOS;
  guint64 fs1 = class_at (seq, s, 2);
  guint n = 0;
  rows[n++] = row (bits, S_BIAS, 0, 0, 0);
  rows[n++] = row (bits, S_S1, s1, 0, 0);
  rows[n++] = row (bits, S_S2, s2, 0, 0);
  rows[n++] = row (bits, S_S3, s3, 0, 0);
  rows[n++] = row (bits, S_S1_S2, s1, s2, 0);
  rows[n++] = row (bits, S_S1_S3, s1, s3, 0);
  rows[n++] = row (bits, S_S2_S3, s2, s3, 0);
  rows[n++] = row (bits, S_S1_S2_S3, s1, s2, s3);
  rows[n++] = row (bits, S_CS1, cs1, 0, 0);
  rows[n++] = row (bits, S_FS1, fs1, 0, 0);
  rows[n++] = row (bits, S_CS1_CS2, cs1, cs2, 0);
  rows[n++] = row (bits, S_GS1_GS2, gs1, gs2, 0);
  rows[n++] = row (bits, S_GS1_GS2_GS3, gs1, gs2, gs3);
  rows[n++] = row (bits, S_S1_CS2, s1, cs2, 0);
  rows[n++] = row (bits, S_CS1_S2, cs1, s2, 0);
  for (gint64 k = s; k <= e && k < s + 4; k++) {
    rows[n++] = row (bits, S_FIRST4, word_at (seq, k), 0, 0);
    rows[n++] = row (bits, S_CFIRST4, class_at (seq, k, 1), 0, 0);
  }
  for (gint64 k = s; k < e && k < s + 5; k++)
    rows[n++] = row (bits, S_OPEN_PAIR, word_at (seq, k), word_at (seq, k + 1), 0);
  g_assert (n <= PUNCT_MAX_SENTENCE_FEATURES);
  return n;
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

  guint64 c0 = class_at (seq, k, 1), cm1 = class_at (seq, k - 1, 1);
  guint64 cp1 = class_at (seq, k + 1, 1), cp2 = class_at (seq, k + 2, 1);
  guint64 s1c = class_at (seq, hist->sentence_start, 1);
  guint64 f0 = class_at (seq, k, 2), fp1 = class_at (seq, k + 1, 2), fm1 = class_at (seq, k - 1, 2);
  guint64 g0 = class_at (seq, k, 0), gp1 = class_at (seq, k + 1, 0), gm1 = class_at (seq, k - 1, 0);
  guint64 gp2 = class_at (seq, k + 2, 0), gm2 = class_at (seq, k - 2, 0);
  guint64 gp3 = class_at (seq, k + 3, 0);
  guint64 clause = len_bucket (i - hist->clause_start + 1);
  rows[n++] = row (bits, F_CLAUSE, clause, 0, 0);
  rows[n++] = row (bits, F_CLAUSE_CP1, clause, cp1, 0);
  rows[n++] = row (bits, F_CLAUSE_W0, clause, w0, 0);
  rows[n++] = row (bits, F_F0, f0, 0, 0);
  rows[n++] = row (bits, F_FP1, fp1, 0, 0);
  rows[n++] = row (bits, F_F0_FP1, f0, fp1, 0);
  rows[n++] = row (bits, F_FM1_F0, fm1, f0, 0);
  rows[n++] = row (bits, F_GM2_GM1_G0, gm2, gm1, g0);
  rows[n++] = row (bits, F_GM1_G0_GP1, gm1, g0, gp1);
  rows[n++] = row (bits, F_G0_GP1_GP2, g0, gp1, gp2);
  rows[n++] = row (bits, F_GP1_GP2_GP3, gp1, gp2, gp3);
  rows[n++] = row (bits, F_C0, c0, 0, 0);
  rows[n++] = row (bits, F_CM1, cm1, 0, 0);
  rows[n++] = row (bits, F_CP1, cp1, 0, 0);
  rows[n++] = row (bits, F_CP2, cp2, 0, 0);
  rows[n++] = row (bits, F_CM1_C0, cm1, c0, 0);
  rows[n++] = row (bits, F_C0_CP1, c0, cp1, 0);
  rows[n++] = row (bits, F_CP1_CP2, cp1, cp2, 0);
  rows[n++] = row (bits, F_CM1_C0_CP1, cm1, c0, cp1);
  rows[n++] = row (bits, F_C0_CP1_CP2, c0, cp1, cp2);
  rows[n++] = row (bits, F_W0_CP1, w0, cp1, 0);
  rows[n++] = row (bits, F_C0_WP1, c0, wp1, 0);
  rows[n++] = row (bits, F_S1C_LEN, s1c, len, 0);
  g_assert (n <= PUNCT_MAX_FEATURES);
  return n;
}

void
punct_history_advance (PunctHistory *hist, guint i, SttPunctLabel label)
{
  hist->prev = label;
  if (label == STT_PUNCT_PERIOD || label == STT_PUNCT_QUESTION)
    hist->sentence_start = i + 1;
  if (label != STT_PUNCT_NONE)
    hist->clause_start = i + 1;
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
