/* gst-stt — n-gram LMs: Sphinx trie scores against sphinxbase, own format and ARPA round
 * trips, states, damaged files.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "testutil.h"
#include "lm-private.h"   /* the Sphinx reader's list of unreachable n-grams, raw readers */

#include <stt/lm.h>
#include <string.h>
#include <glib/gstdio.h>

#define OOV "zzqx-not-a-word"

static SttLm *big;                /* en-us.lm.bin */
static GPtrArray *big_dropped;    /* n-grams the Sphinx reader left out, "w1 w2 w3" */
static char *big_path, *phone_path;

/* ---- helpers ----------------------------------------------------------------------------- */
static SttLm *
lm_from_builder (SttLmBuilder *b, const char *name)
{
  GError *error = NULL;
  g_assert_nonnull (b);
  GBytes *bytes = stt_lm_builder_to_bytes (b, name, &error);
  g_assert_no_error (error);
  SttLm *lm = stt_lm_new_from_bytes (bytes, name, &error);
  g_assert_no_error (error);
  g_bytes_unref (bytes);
  return lm;
}

static void
load_big (void)
{
  GError *error = NULL;
  big_path = stt_test_sphinx_path ("en-us.lm.bin");
  phone_path = stt_test_sphinx_path ("en-us-phone.lm.bin");
  GMappedFile *map = g_mapped_file_new (big_path, FALSE, &error);
  g_assert_no_error (error);
  SttLmBuilder *b = stt_lm_read_sphinx_trie ((const guint8 *) g_mapped_file_get_contents (map),
      g_mapped_file_get_length (map), big_path, &error);
  g_assert_no_error (error);
  big_dropped = g_ptr_array_ref (b->dropped);
  big = lm_from_builder (b, big_path);
  stt_lm_builder_free (b);
  g_mapped_file_unref (map);
}

/* A query: words as strings (OOV allowed), predicted first, history most recent first. */
typedef struct {
  char *w[3];
  guint n;
} Query;

static void
add_query (GArray *qs, const SttLm *lm, SttLmWord w, SttLmWord h1, SttLmWord h2, guint n)
{
  Query q = { { NULL }, n };
  SttLmWord ids[3] = { w, h1, h2 };
  for (guint i = 0; i < n; i++)
    q.w[i] = g_strdup (ids[i] >= 0 ? stt_lm_word (lm, ids[i]) : OOV);
  g_array_append_val (qs, q);
}

static gint32
our_score (const SttLm *lm, const Query *q, guint *n_used)
{
  SttLmWord id[3] = { STT_LM_NO_WORD, STT_LM_NO_WORD, STT_LM_NO_WORD };
  for (guint i = 0; i < q->n; i++)
    id[i] = stt_lm_word_id (lm, q->w[i]);
  return stt_lm_score_full (lm, id[0], id[1], id[2], n_used);
}

/* sphinxbase's ngram_prob for every query, through Debian's python3-pocketsphinx. */
static gint32 *
reference_scores (const char *lm_path, GArray *qs)
{
  GError *error = NULL;
  char *qfile = NULL;
  int fd = g_file_open_tmp ("stt-lm-queries-XXXXXX", &qfile, &error);
  g_assert_no_error (error);
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < qs->len; i++) {
    Query *q = &g_array_index (qs, Query, i);
    for (guint k = 0; k < q->n; k++)
      g_string_append_printf (s, "%s%s", k ? "\t" : "", q->w[k]);
    g_string_append_c (s, '\n');
  }
  g_assert_true (write (fd, s->str, s->len) == (gssize) s->len);
  close (fd);
  g_string_free (s, TRUE);
  char *script = stt_test_source_path ("tests/core/lm-ngram-prob.py");
  char *argv[] = { (char *) "/usr/bin/python3", script, (char *) lm_path, qfile, NULL };
  char *out = NULL, *err = NULL;
  int status;
  g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("sphinxbase reference failed (Debian's /usr/bin/python3 with python3-pocketsphinx "
        "is needed): %s", err);
  char **lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, qs->len + 1);
  gint32 *ref = g_new (gint32, qs->len);
  for (guint i = 0; i < qs->len; i++)
    ref[i] = (gint32) g_ascii_strtoll (lines[i], NULL, 10);
  g_strfreev (lines);
  g_unlink (qfile);
  g_free (qfile);
  g_free (script);
  g_free (out);
  g_free (err);
  return ref;
}

static void
free_queries (GArray *qs)
{
  for (guint i = 0; i < qs->len; i++)
    for (guint k = 0; k < 3; k++)
      g_free (g_array_index (qs, Query, i).w[k]);
  g_array_unref (qs);
}

typedef struct {
  SttLmWord w[3];
} Gram;

/* Sample every stored n-gram of order n with probability 1/every. */
typedef struct {
  GArray *out;      /* SttLmWord[3] */
  GRand *rand;
  guint every;
} Sample;

static gboolean
sample_ngram (const SttLmWord *words, guint n, float prob, float backoff, gpointer data)
{
  Sample *s = data;
  if (g_rand_int_range (s->rand, 0, (gint32) s->every) == 0) {
    Gram g = { { words[0], n > 1 ? words[1] : -1, n > 2 ? words[2] : -1 } };
    g_array_append_val (s->out, g);
  }
  return TRUE;
}

static GArray *
sample (const SttLm *lm, guint n, guint every, GRand *rand)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Gram));
  Sample s = { out, rand, every };
  stt_lm_foreach_ngram (lm, n, sample_ngram, &s);
  return out;
}

static gboolean
stored (const SttLm *lm, SttLmWord a, SttLmWord b, SttLmWord c)
{
  SttLmWord w[3] = { a, b, c };
  return stt_lm_find_ngram (lm, w, c >= 0 ? 3 : 2, NULL, NULL);
}

/* Queries covering every path of the score (spec §7.5), by construction. */
enum { UNI, BI_HIT, BI_MISS, TRI_HIT, CTX_BI_HIT, CTX_BI_MISS, NOCTX_BI_HIT, NOCTX_BI_MISS,
  UNKNOWN, N_PATHS };

static GArray *
make_queries (const SttLm *lm, guint per_path, guint *per_kind)
{
  GRand *rand = g_rand_new_with_seed (20261125);
  GArray *qs = g_array_new (FALSE, TRUE, sizeof (Query));
  gint32 nw = (gint32) stt_lm_get_n_words (lm);
  GArray *bi = sample (lm, 2, MAX (1, stt_lm_get_count (lm, 2) / (4 * per_path)), rand);
  GArray *tri = sample (lm, 3, MAX (1, stt_lm_get_count (lm, 3) / (4 * per_path)), rand);
  g_assert_cmpuint (bi->len, >=, per_path);
  g_assert_cmpuint (tri->len, >=, per_path);
#define RW() ((SttLmWord) g_rand_int_range (rand, 0, nw))
#define BI(i) (g_array_index (bi, Gram, (i) % bi->len).w)
#define TRI(i) (g_array_index (tri, Gram, (i) % tri->len).w)
  memset (per_kind, 0, N_PATHS * sizeof (guint));
#define ADD(kind, w, h1, h2, n) (add_query (qs, lm, w, h1, h2, n), per_kind[kind]++)
  for (guint i = 0; i < per_path; i++) {
    ADD (UNI, RW (), -1, -1, 1);
    ADD (BI_HIT, BI (i)[1], BI (i)[0], -1, 2);
    SttLmWord h = RW (), w = RW ();
    if (!stored (lm, h, w, -1))
      ADD (BI_MISS, w, h, -1, 2);
    ADD (TRI_HIT, TRI (i)[2], TRI (i)[1], TRI (i)[0], 3);
    /* context "h2 h1" stored: next word with a bigram but no trigram, and with neither */
    SttLmWord h2 = TRI (i + 7)[0], h1 = TRI (i + 7)[1];
    for (guint j = 0; j < bi->len; j++) {
      const SttLmWord *b = BI (i * 31 + j);
      if (b[0] == h1 && !stored (lm, h2, h1, b[1])) {
        ADD (CTX_BI_HIT, b[1], h1, h2, 3);
        break;
      }
    }
    w = RW ();
    if (!stored (lm, h1, w, -1))
      ADD (CTX_BI_MISS, w, h1, h2, 3);
    /* context "h2 h1" not stored */
    h2 = RW ();
    if (!stored (lm, h2, BI (i + 3)[0], -1))
      ADD (NOCTX_BI_HIT, BI (i + 3)[1], BI (i + 3)[0], h2, 3);
    h2 = RW (), h1 = RW (), w = RW ();
    if (!stored (lm, h2, h1, -1) && !stored (lm, h1, w, -1))
      ADD (NOCTX_BI_MISS, w, h1, h2, 3);
  }
  /* unknown words: predicted, most recent, oldest */
  for (guint i = 0; i < 5; i++) {
    ADD (UNKNOWN, -1, RW (), RW (), 3);
    ADD (UNKNOWN, TRI (i)[2], -1, TRI (i)[0], 3);
    ADD (UNKNOWN, TRI (i)[2], TRI (i)[1], -1, 3);
  }
#undef ADD
#undef RW
#undef BI
#undef TRI
  g_array_unref (bi);
  g_array_unref (tri);
  g_rand_free (rand);
  return qs;
}

static void
add_dropped_queries (GArray *qs)
{
  for (guint i = 0; i < big_dropped->len; i++) {
    char **w = g_strsplit (g_ptr_array_index (big_dropped, i), " ", -1);
    guint n = g_strv_length (w);
    Query q = { { NULL }, n };
    for (guint k = 0; k < n; k++)
      q.w[k] = g_strdup (w[n - 1 - k]);
    g_array_append_val (qs, q);
    g_strfreev (w);
  }
}

/* ---- tests ------------------------------------------------------------------------------- */
static void
test_spec_examples (void)
{
  struct { const char *w, *h1, *h2; gint32 raw; guint n_used; } ex[] = {
    { "the", "of", NULL, -16085, 2 },
    { "customers", "time", "first", -91755, 3 },
    { "reregulation", "time", "first", -194045, 1 },
  };
  g_assert_cmpuint (stt_lm_get_order (big), ==, 3);
  g_assert_cmpuint (stt_lm_get_n_words (big), ==, 72547);
  for (guint i = 0; i < G_N_ELEMENTS (ex); i++) {
    guint n_used;
    SttLmWord h2 = ex[i].h2 ? stt_lm_word_id (big, ex[i].h2) : -1;
    gint32 raw = stt_lm_score_full (big, stt_lm_word_id (big, ex[i].w),
        stt_lm_word_id (big, ex[i].h1), h2, &n_used);
    g_assert_cmpint (raw, ==, ex[i].raw);
    g_assert_cmpuint (n_used, ==, ex[i].n_used);
  }
  g_assert_cmpint (stt_lm_score (big, -1, -1, -1), ==, STT_LM_LOGZERO);
  g_assert_cmpint (stt_lm_score (big, stt_lm_word_id (big, OOV), -1, -1), ==, STT_LM_LOGZERO);
  g_assert_cmpstr (stt_lm_word (big, stt_lm_word_id (big, "customers")), ==, "customers");
}

static void
test_sphinx_reference (void)
{
  guint per_kind[N_PATHS];
  GArray *qs = make_queries (big, 400, per_kind);
  add_dropped_queries (qs);
  g_assert_cmpuint (big_dropped->len, >, 0);
  for (guint k = 0; k < N_PATHS; k++) {
    g_test_message ("path %u: %u queries", k, per_kind[k]);
    g_assert_cmpuint (per_kind[k], >=, k == UNKNOWN ? 15 : 100);
  }
  gint32 *ref = reference_scores (big_path, qs);
  guint used[4] = { 0 };
  for (guint i = 0; i < qs->len; i++) {
    Query *q = &g_array_index (qs, Query, i);
    guint n_used;
    gint32 ours = our_score (big, q, &n_used);
    used[n_used]++;
    if (ours != ref[i])
      g_error ("P(%s | %s %s): ours %d, sphinxbase %d", q->w[0], q->n > 2 ? q->w[2] : "",
          q->n > 1 ? q->w[1] : "", ours, ref[i]);
  }
  g_test_message ("%u queries equal to sphinxbase; n-gram used: 1: %u, 2: %u, 3: %u, none: %u",
      qs->len, used[1], used[2], used[3], used[0]);
  g_free (ref);
  free_queries (qs);
}

/* Scoring through states gives the same numbers as scoring from word histories, along
 * whole word sequences, and equal states score every word alike. */
static void
test_states (void)
{
  GRand *rand = g_rand_new_with_seed (7);
  GArray *tri = sample (big, 3, 2000, rand);
  gint32 nw = (gint32) stt_lm_get_n_words (big);
  SttLmState st, begin;
  stt_lm_state_init_begin (big, &begin);
  g_assert_cmpint (begin.w1, ==, stt_lm_word_id (big, "<s>"));
  for (guint s = 0; s < 200; s++) {
    SttLmWord h1 = stt_lm_word_id (big, "<s>"), h2 = -1;
    st = begin;
    for (guint i = 0; i < 12; i++) {
      /* mostly follow stored trigrams so that contexts exist, sometimes a random word */
      const SttLmWord *t = g_array_index (tri, Gram, g_rand_int_range (rand, 0,
          (gint32) tri->len)).w;
      SttLmWord w = g_rand_boolean (rand) ? t[2] : (SttLmWord) g_rand_int_range (rand, 0, nw);
      if (i % 3 == 0) {
        h2 = t[0], h1 = t[1];
        stt_lm_state_init (big, &st, h1, h2);
      }
      SttLmState again;
      stt_lm_state_init (big, &again, h1, h2);
      g_assert_true (stt_lm_state_equal (&st, &again));
      gint32 a = stt_lm_score_state (big, &st, w, &st);
      g_assert_cmpint (a, ==, stt_lm_score (big, w, h1, h2));
      h2 = h1, h1 = w;
    }
  }
  /* states that are equal without the same history: a context with no stored bigram */
  SttLmWord the = stt_lm_word_id (big, "the");
  SttLmState a, b;
  for (SttLmWord h2 = 0, found = 0; h2 < nw && found < 50; h2++) {
    stt_lm_state_init (big, &a, the, h2);
    if (a.ctx != 0)
      continue;
    found++;
    stt_lm_state_init (big, &b, the, -1);
    g_assert_true (stt_lm_state_equal (&a, &b));
    for (guint i = 0; i < 50; i++) {
      SttLmWord w = (SttLmWord) g_rand_int_range (rand, 0, nw);
      g_assert_cmpint (stt_lm_score (big, w, the, h2), ==, stt_lm_score_state (big, &b, w, NULL));
    }
  }
  g_array_unref (tri);
  g_rand_free (rand);
}

static void
assert_same_lm (const SttLm *a, const SttLm *b, GArray *qs)
{
  g_assert_cmpuint (stt_lm_get_order (a), ==, stt_lm_get_order (b));
  for (guint n = 1; n <= stt_lm_get_order (a); n++)
    g_assert_cmpuint (stt_lm_get_count (a, n), ==, stt_lm_get_count (b, n));
  for (guint i = 0; i < qs->len; i++) {
    Query *q = &g_array_index (qs, Query, i);
    g_assert_cmpint (our_score (a, q, NULL), ==, our_score (b, q, NULL));
  }
}

static void
test_own_format_round_trip (void)
{
  GError *error = NULL;
  char *dir = g_dir_make_tmp ("stt-lm-XXXXXX", &error);
  g_assert_no_error (error);
  char *path = g_build_filename (dir, "lm.sttlm", NULL);
  g_assert_true (stt_lm_write (big, path, &error));
  g_assert_no_error (error);
  SttLm *mapped = stt_lm_load (path, STT_LM_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  guint per_kind[N_PATHS];
  GArray *qs = make_queries (big, 200, per_kind);
  assert_same_lm (big, mapped, qs);
  GBytes *x = stt_lm_get_bytes (big), *y = stt_lm_get_bytes (mapped);
  g_assert_true (g_bytes_equal (x, y));
  g_bytes_unref (x);
  g_bytes_unref (y);
  /* explicit format mismatch is refused with the file name */
  g_assert_null (stt_lm_load (path, STT_LM_FORMAT_SPHINX_TRIE, &error));
  g_assert_error (error, STT_LM_ERROR, STT_LM_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  free_queries (qs);
  stt_lm_unref (mapped);
  g_unlink (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
}

static const char small_arpa[] =
    "Some free text before the data section is allowed.\n"
    "\\data\\\nngram 1=6\nngram 2=5\nngram 3=3\n\n"
    "\\1-grams:\n-1.0 <s> -0.5\n-0.8 </s>\n-0.7 a -0.3\n-0.9 b -0.25\n-1.2 c -0.1\n"
    "-1.5 d 0.1\n\n"
    "\\2-grams:\n-0.3 <s> a -0.2\n-0.4 a b -0.15\n-0.5\tb c 0.05\n-0.2 c </s>\n"
    "-0.6 a c -0.01\n\n"
    "\\3-grams:\n-0.1 <s> a b\n-0.2 a b c\n-0.05 b c </s>\n\\end\\\n";

/* Every query over the vocabulary (plus OOV) up to trigrams. */
static GArray *
all_queries (const SttLm *lm)
{
  GArray *qs = g_array_new (FALSE, TRUE, sizeof (Query));
  gint32 nw = (gint32) stt_lm_get_n_words (lm);
  for (SttLmWord w = -1; w < nw; w++)
    for (SttLmWord h1 = -1; h1 < nw; h1++)
      for (SttLmWord h2 = -1; h2 < nw; h2++)
        add_query (qs, lm, w, h1, h2, 3);
  return qs;
}

static void
test_arpa_round_trip (void)
{
  GError *error = NULL;
  char *src = stt_test_tmp_file ("stt-lm-small.arpa", small_arpa, -1);
  char *out = g_strconcat (src, ".out", NULL), *out2 = g_strconcat (src, ".out2", NULL);
  SttLm *a = stt_lm_load (src, STT_LM_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  g_assert_true (stt_lm_write_arpa (a, out, &error));
  g_assert_no_error (error);
  SttLm *b = stt_lm_load (out, STT_LM_FORMAT_ARPA, &error);
  g_assert_no_error (error);
  GArray *qs = all_queries (a);
  assert_same_lm (a, b, qs);
  /* and the same as sphinxbase reading the original ARPA */
  gint32 *ref = reference_scores (src, qs);
  for (guint i = 0; i < qs->len; i++)
    g_assert_cmpint (our_score (a, &g_array_index (qs, Query, i), NULL), ==, ref[i]);
  g_free (ref);
  /* writing again gives the same text */
  g_assert_true (stt_lm_write_arpa (b, out2, &error));
  char *t1, *t2;
  g_file_get_contents (out, &t1, NULL, &error);
  g_file_get_contents (out2, &t2, NULL, &error);
  g_assert_cmpstr (t1, ==, t2);
  g_assert_nonnull (strstr (t1, "\n-0.1 <s> a b\n"));
  g_free (t1);
  g_free (t2);
  free_queries (qs);
  stt_lm_unref (a);
  stt_lm_unref (b);
  g_unlink (src);
  g_unlink (out);
  g_unlink (out2);
  g_free (src);
  g_free (out);
  g_free (out2);
}

/* A real trie LM (the phone LM: 43 words, 21837 trigrams) through ARPA and back, every
 * query equal. */
static void
test_arpa_phone_lm (void)
{
  GError *error = NULL;
  SttLm *a = stt_lm_load (phone_path, STT_LM_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  char *out = stt_test_tmp_file ("stt-lm-phone.arpa", "", 0);
  g_assert_true (stt_lm_write_arpa (a, out, &error));
  SttLm *b = stt_lm_load (out, STT_LM_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  GArray *qs = all_queries (a);
  assert_same_lm (a, b, qs);
  free_queries (qs);
  stt_lm_unref (a);
  stt_lm_unref (b);
  g_unlink (out);
  g_free (out);
}

static void
expect_arpa_error (const char *text, const char *what, gint code)
{
  GError *error = NULL;
  char *path = stt_test_tmp_file ("stt-lm-bad.arpa", text, -1);
  g_assert_null (stt_lm_load (path, STT_LM_FORMAT_AUTO, &error));
  g_assert_error (error, STT_LM_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, what));
  g_error_free (error);
  g_unlink (path);
  g_free (path);
}

static void
test_arpa_errors (void)
{
  char *t = g_strdup (small_arpa);
  expect_arpa_error ("hello\n", "no \\data\\", STT_LM_ERROR_FORMAT);
  char *s = strstr (t, "-0.6 a c");
  s[5] = 'x';   /* unknown word "x" in a bigram */
  expect_arpa_error (t, "line 20: the word \"x\" is not among the unigrams",
      STT_LM_ERROR_FORMAT);
  s[5] = 'a';
  *strstr (t, "\\end\\") = '\0';
  expect_arpa_error (t, "expected \"\\end\\\"", STT_LM_ERROR_FORMAT);
  g_free (t);
  t = g_strdup (small_arpa);
  strstr (t, "ngram 2=5")[8] = '6';
  expect_arpa_error (t, "5 2-grams found, \\data\\ announced 6", STT_LM_ERROR_FORMAT);
  g_free (t);
  expect_arpa_error ("\\data\\\nngram 1=1\nngram 2=1\nngram 3=1\nngram 4=1\n", "order 4",
      STT_LM_ERROR_UNSUPPORTED);
  expect_arpa_error ("\\data\\\nngram 1=2\n\\1-grams:\n-1 a\n-1 a\n\\end\\\n",
      "line 5: the word \"a\" is listed twice", STT_LM_ERROR_FORMAT);
  expect_arpa_error ("\\data\\\nngram 1=1\n\\1-grams:\nabc a\n\\end\\\n", "line 4",
      STT_LM_ERROR_FORMAT);
  expect_arpa_error ("\\data\\\nngram 1=2\nngram 2=2\n\\1-grams:\n-1 a\n-1 b\n\\2-grams:\n"
      "-1 a b\n-2 a b\n\\end\\\n", "the 2-gram \"a b\" is listed twice", STT_LM_ERROR_FORMAT);
}

static void
expect_trie_error (const guint8 *data, gsize size, const char *what)
{
  GError *error = NULL;
  SttLmBuilder *b = stt_lm_read_sphinx_trie (data, size, big_path, &error);
  g_assert_null (b);
  g_assert_error (error, STT_LM_ERROR, STT_LM_ERROR_FORMAT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, big_path));
  g_assert_nonnull (strstr (error->message, "byte "));
  if (what)
    g_assert_nonnull (strstr (error->message, what));
  g_error_free (error);
}

static void
test_trie_damaged (void)
{
  GError *error = NULL;
  GMappedFile *map = g_mapped_file_new (big_path, FALSE, &error);
  g_assert_no_error (error);
  gsize size = g_mapped_file_get_length (map);
  guint8 *copy = g_memdup2 (g_mapped_file_get_contents (map), size);
  g_mapped_file_unref (map);
  /* truncated anywhere: refused before any n-gram is read */
  gsize cuts[] = { 0, 5, 19, 21, 33, 40, 786468, 1657000, 20000000, size - 619068,
    size - 100, size - 1 };
  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    expect_trie_error (copy, cuts[i], cuts[i] < 20 ? NULL : "");
  expect_trie_error (copy, 3, "magic");
  /* trailing garbage */
  guint8 *longer = g_malloc (size + 4);
  memcpy (longer, copy, size);
  memset (longer + size, 0, 4);
  expect_trie_error (longer, size + 4, "unexpected bytes after the vocabulary");
  g_free (longer);
  /* a unigram's children pointer past the bigrams */
  gsize uni = 19 + 1 + 12 + 4 + 3 * 65536 * 4;
  guint32 saved, huge = 0x7fffffff;
  memcpy (&saved, copy + uni + 100 * 12 + 8, 4);
  memcpy (copy + uni + 100 * 12 + 8, &huge, 4);
  expect_trie_error (copy, size, "children range");
  memcpy (copy + uni + 100 * 12 + 8, &saved, 4);
  /* a broken vocabulary: an empty word */
  copy[size - 619068] = '\0';
  expect_trie_error (copy, size, "empty");
  g_free (copy);
  /* foreign files */
  char *dict = stt_test_sphinx_path ("cmudict-en-us.dict");
  g_assert_null (stt_lm_load (dict, STT_LM_FORMAT_AUTO, &error));
  g_assert_error (error, STT_LM_ERROR, STT_LM_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, dict));
  g_clear_error (&error);
  g_assert_null (stt_lm_load ("/nonexistent/lm.bin", STT_LM_FORMAT_AUTO, &error));
  g_assert_error (error, STT_LM_ERROR, STT_LM_ERROR_IO);
  g_clear_error (&error);
  g_free (dict);
}

/* Own-format image of the small LM: every truncation refused, random damage either refused or
 * harmless to query. */
static void
exercise (const SttLm *lm)
{
  gint32 nw = (gint32) stt_lm_get_n_words (lm);
  SttLmState st;
  stt_lm_state_init_begin (lm, &st);
  for (SttLmWord w = -1; w < MIN (nw, 50); w++)
    for (SttLmWord h = -1; h < MIN (nw, 50); h++) {
      stt_lm_score (lm, w, h, (w + h) % MAX (nw, 1));
      stt_lm_score_state (lm, &st, w, &st);
    }
  for (SttLmWord w = 0; w < nw; w++)
    g_assert_cmpint (stt_lm_word_id (lm, stt_lm_word (lm, w)), ==, w);
}

static gboolean
count_ngram (const SttLmWord *words, guint n, float prob, float backoff, gpointer data)
{
  (*(guint *) data)++;
  return TRUE;
}

static void
test_own_format_damaged (void)
{
  GError *error = NULL;
  char *src = stt_test_tmp_file ("stt-lm-small2.arpa", small_arpa, -1);
  SttLm *lm = stt_lm_load (src, STT_LM_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  GBytes *img = stt_lm_get_bytes (lm);
  gsize size;
  const guint8 *data = g_bytes_get_data (img, &size);
  for (gsize cut = 0; cut + 8 <= size; cut++) {
    GBytes *b = g_bytes_new (data, cut);
    SttLm *bad = stt_lm_new_from_bytes (b, "small.sttlm", &error);
    g_assert_null (bad);
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "small.sttlm: byte "));
    g_clear_error (&error);
    g_bytes_unref (b);
  }
  GRand *rand = g_rand_new_with_seed (99);
  guint8 *copy = g_malloc (size);
  guint accepted = 0;
  for (guint it = 0; it < 3000; it++) {
    memcpy (copy, data, size);
    for (gint k = g_rand_int_range (rand, 1, 4); k > 0; k--)
      copy[g_rand_int_range (rand, 0, (gint32) size)] = (guint8) g_rand_int (rand);
    GBytes *b = g_bytes_new (copy, size);
    SttLm *x = stt_lm_new_from_bytes (b, "fuzz", &error);
    if (x) {
      accepted++;
      exercise (x);
      guint n = 0;
      stt_lm_foreach_ngram (x, 3, count_ngram, &n);
      g_assert_cmpuint (n, ==, stt_lm_get_count (x, 3));
      stt_lm_unref (x);
    } else {
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
    g_bytes_unref (b);
  }
  g_test_message ("own format: %u of 3000 damaged images accepted (values changed only)",
      accepted);
  g_free (copy);
  /* the Sphinx reader on the real phone LM with random damage */
  GMappedFile *map = g_mapped_file_new (phone_path, FALSE, &error);
  g_assert_no_error (error);
  gsize psize = g_mapped_file_get_length (map);
  copy = g_malloc (psize);
  for (guint it = 0; it < 60; it++) {
    memcpy (copy, g_mapped_file_get_contents (map), psize);
    for (gint k = g_rand_int_range (rand, 1, 6); k > 0; k--) {
      /* half of the hits in the small header/unigram/vocabulary parts */
      gsize at = g_rand_boolean (rand) ? (gsize) g_rand_int_range (rand, 0, 64)
          : (gsize) g_rand_int_range (rand, 0, (gint32) psize);
      copy[at] = (guint8) g_rand_int (rand);
    }
    SttLmBuilder *b = stt_lm_read_sphinx_trie (copy, psize, "fuzz", &error);
    if (b) {
      GBytes *bytes = stt_lm_builder_to_bytes (b, "fuzz", &error);
      SttLm *x = bytes ? stt_lm_new_from_bytes (bytes, "fuzz", &error) : NULL;
      if (x)
        exercise (x);
      g_clear_error (&error);
      if (x)
        stt_lm_unref (x);
      if (bytes)
        g_bytes_unref (bytes);
      stt_lm_builder_free (b);
    } else {
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
  }
  g_free (copy);
  g_mapped_file_unref (map);
  g_rand_free (rand);
  g_bytes_unref (img);
  stt_lm_unref (lm);
  g_unlink (src);
  g_free (src);
}

/* The default model's LM (written by `stt-model import-sphinx`): mapped once and shared, same
 * scores as the Sphinx file. */
static void
test_default_model (void)
{
  GError *error = NULL;
  SttModel *model = stt_model_cache_lookup (STT_DEFAULT_MODEL_ID, &error);
  g_assert_no_error (error);
  SttLm *a = stt_lm_new_from_model (model, "lm/lm.bin", &error);
  g_assert_no_error (error);
  SttLm *b = stt_lm_new_from_model (model, "lm/lm.bin", &error);
  g_assert_no_error (error);
  GBytes *x = stt_lm_get_bytes (a), *y = stt_lm_get_bytes (b);
  g_assert_true (g_bytes_get_data (x, NULL) == g_bytes_get_data (y, NULL));
  g_bytes_unref (x);
  g_bytes_unref (y);
  guint per_kind[N_PATHS];
  GArray *qs = make_queries (big, 100, per_kind);
  assert_same_lm (big, a, qs);
  free_queries (qs);
  g_assert_cmpint (stt_lm_score (a, stt_lm_word_id (a, "customers"), stt_lm_word_id (a, "time"),
          stt_lm_word_id (a, "first")), ==, -91755);
  g_assert_null (stt_lm_new_from_model (model, "lm/missing.bin", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  stt_lm_unref (a);
  stt_lm_unref (b);
  stt_model_unref (model);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  load_big ();
  g_test_add_func ("/lm/sphinx/spec-examples", test_spec_examples);
  g_test_add_func ("/lm/sphinx/equal-to-sphinxbase", test_sphinx_reference);
  g_test_add_func ("/lm/sphinx/damaged", test_trie_damaged);
  g_test_add_func ("/lm/states", test_states);
  g_test_add_func ("/lm/own/round-trip", test_own_format_round_trip);
  g_test_add_func ("/lm/own/damaged", test_own_format_damaged);
  g_test_add_func ("/lm/arpa/round-trip", test_arpa_round_trip);
  g_test_add_func ("/lm/arpa/phone-lm", test_arpa_phone_lm);
  g_test_add_func ("/lm/arpa/errors", test_arpa_errors);
  g_test_add_func ("/lm/default-model", test_default_model);
  int ret = g_test_run ();
  stt_lm_unref (big);
  g_ptr_array_unref (big_dropped);
  g_free (big_path);
  g_free (phone_path);
  return ret;
}
