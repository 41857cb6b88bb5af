/* gst-stt — punct models: tokenizer, training, prediction, casing, corrupt files.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include "punct-testutil.h"

static const char *const small_text[] = {
  "1790_george_washington_n.txt", "2014_barack_obama_d.txt", NULL
};

static void
test_tokenize (void)
{
  GArray *t = stt_punct_tokenize ("Mr. Speaker, the U.S. economy -- it grows [Applause] "
      "\"Why not?\" I asked; (NATO) agreed!");
  static const struct { const char *word, *cased; SttPunctLabel label; } want[] = {
    {"mr", "Mr", STT_PUNCT_PERIOD}, {"speaker", "Speaker", STT_PUNCT_COMMA},
    {"the", "the", STT_PUNCT_NONE}, {"u.s.", "U.S.", STT_PUNCT_NONE},
    {"economy", "economy", STT_PUNCT_COMMA}, {"it", "it", STT_PUNCT_NONE},
    {"grows", "grows", STT_PUNCT_NONE}, {"why", "Why", STT_PUNCT_NONE},
    {"not", "not", STT_PUNCT_QUESTION}, {"i", "I", STT_PUNCT_NONE},
    {"asked", "asked", STT_PUNCT_COMMA}, {"nato", "NATO", STT_PUNCT_NONE},
    {"agreed", "agreed", STT_PUNCT_PERIOD},
  };
  g_assert_cmpuint (t->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < t->len; i++) {
    SttPunctToken *tok = &g_array_index (t, SttPunctToken, i);
    g_assert_cmpstr (tok->word, ==, want[i].word);
    g_assert_cmpstr (tok->cased, ==, want[i].cased);
    g_assert_cmpint (tok->label, ==, want[i].label);
  }
  g_array_unref (t);
  t = stt_punct_tokenize ("  \n ... \xff\xfe ,");
  g_assert_cmpuint (t->len, ==, 0);
  g_array_unref (t);
}

static void
test_deterministic (void)
{
  GBytes *a = punct_test_train_bytes (small_text);
  GBytes *b = punct_test_train_bytes (small_text);
  g_assert_true (g_bytes_equal (a, b));
  /* the bytes depend on the text: another order of the same documents trains another model */
  static const char *const reversed[] = {
    "2014_barack_obama_d.txt", "1790_george_washington_n.txt", NULL
  };
  GBytes *c = punct_test_train_bytes (reversed);
  g_assert_false (g_bytes_equal (a, c));
  /* the window network too (its order of examples and initial weights are seeded) */
  GBytes *na = punct_test_train_bytes_with_network (small_text, 16);
  GBytes *nb = punct_test_train_bytes_with_network (small_text, 16);
  g_assert_true (g_bytes_equal (na, nb));
  g_assert_cmpuint (g_bytes_get_size (na), >, g_bytes_get_size (a));
  g_bytes_unref (na);
  g_bytes_unref (nb);
  g_bytes_unref (a);
  g_bytes_unref (b);
  g_bytes_unref (c);
}

static SttPunct *
small_model (void)
{
  GBytes *bytes = punct_test_train_bytes (small_text);
  GError *err = NULL;
  SttPunct *p = stt_punct_new_from_bytes (bytes, "small", &err);
  g_assert_no_error (err);
  g_bytes_unref (bytes);
  return p;
}

/* The model fits the text it was trained on: most marks and written forms come back. */
static void
test_learns_training_text (void)
{
  SttPunct *p = small_model ();
  char *path = punct_test_sotu_file ("2014_barack_obama_d.txt"), *text;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  GArray *tokens = stt_punct_tokenize (text);
  guint n = tokens->len;
  const char **words = g_new (const char *, n);
  for (guint i = 0; i < n; i++)
    words[i] = g_array_index (tokens, SttPunctToken, i).word;
  SttPunctLabel *labels = g_new (SttPunctLabel, n);
  stt_punct_predict (p, words, n, NULL, STT_PUNCT_FLAG_END_SENTENCE, labels);
  guint tp = 0, marks = 0, predicted = 0;
  for (guint i = 0; i < n; i++) {
    SttPunctLabel ref = g_array_index (tokens, SttPunctToken, i).label;
    marks += ref != STT_PUNCT_NONE;
    predicted += labels[i] != STT_PUNCT_NONE;
    tp += ref != STT_PUNCT_NONE && labels[i] == ref;
  }
  g_assert_cmpfloat ((double) tp / marks, >, 0.8);
  g_assert_cmpfloat ((double) tp / predicted, >, 0.8);
  g_assert_cmpint (labels[n - 1], ==, STT_PUNCT_PERIOD);

  char *w = stt_punct_case_word (p, "america", FALSE);
  g_assert_cmpstr (w, ==, "America");
  g_free (w);
  w = stt_punct_case_word (p, "i", FALSE);
  g_assert_cmpstr (w, ==, "I");
  g_free (w);
  w = stt_punct_case_word (p, "the", TRUE);
  g_assert_cmpstr (w, ==, "The");
  g_free (w);
  w = stt_punct_case_word (p, "zzyzx", FALSE);
  g_assert_cmpstr (w, ==, "zzyzx");
  g_free (w);

  /* format writes exactly the predicted marks after the cased words */
  char *line = stt_punct_format (p, words, n, labels, TRUE);
  char **out = g_strsplit (line, " ", -1);
  g_assert_cmpuint (g_strv_length (out), ==, n);
  for (guint i = 0; i < n; i++) {
    char *lower = g_utf8_strdown (out[i], -1);
    char mark = stt_punct_label_char (labels[i]);
    gsize len = strlen (lower);
    if (mark) {
      g_assert_cmpint (lower[len - 1], ==, mark);
      lower[len - 1] = '\0';
    }
    g_assert_cmpstr (lower, ==, words[i]);
    g_free (lower);
  }
  g_strfreev (out);
  g_free (line);
  g_free (labels);
  g_free (words);
  g_array_unref (tokens);
  g_free (text);
  g_free (path);
  stt_punct_unref (p);
}

static void
test_punctuate_lines (void)
{
  SttPunct *p = small_model ();
  char *s = stt_punct_punctuate (p, "", STT_PUNCT_FLAG_END_SENTENCE);
  g_assert_cmpstr (s, ==, "");
  g_free (s);
  s = stt_punct_punctuate (p, "  WE   the people  ", STT_PUNCT_FLAG_END_SENTENCE);
  g_assert_true (g_str_has_prefix (s, "We "));
  g_assert_true (g_str_has_suffix (s, "people.") || g_str_has_suffix (s, "people?"));
  g_free (s);
  /* a very long phrase: every word comes back once, with the linear model alone and with
   * the window network (which scores the words in batches) */
  GString *in = g_string_new (NULL);
  for (guint i = 0; i < 20000; i++)
    g_string_append (in, i % 7 ? "and the people " : "we ");
  g_strstrip (in->str);
  GBytes *bytes = punct_test_train_bytes_with_network (small_text, 16);
  GError *err = NULL;
  SttPunct *with_network = stt_punct_new_from_bytes (bytes, "small+network", &err);
  g_assert_no_error (err);
  g_bytes_unref (bytes);
  SttPunct *models[] = { p, with_network };
  for (guint m = 0; m < G_N_ELEMENTS (models); m++) {
    s = stt_punct_punctuate (models[m], in->str, STT_PUNCT_FLAG_NONE);
    char **words = g_strsplit (s, " ", -1);
    char **in_words = g_strsplit (in->str, " ", -1);
    g_assert_cmpuint (g_strv_length (words), ==, g_strv_length (in_words));
    g_strfreev (words);
    g_strfreev (in_words);
    g_free (s);
  }
  g_string_free (in, TRUE);
  stt_punct_unref (with_network);
  stt_punct_unref (p);
}

/* Pauses are evidence for a mark: two-second silences after every word give more marks, with
 * the linear model alone and with the window network. */
static void
check_pauses (SttPunct *p)
{
  char **words = g_strsplit ("we will build a future where every child can learn and every "
      "worker can earn a decent living and every family can save", " ", -1);
  guint n = g_strv_length (words);
  SttPunctLabel *plain = g_new (SttPunctLabel, n), *paused = g_new (SttPunctLabel, n);
  gint *pauses = g_new (gint, n);
  for (guint i = 0; i < n; i++)
    pauses[i] = 2000;
  stt_punct_predict (p, (const char *const *) words, n, NULL, 0, plain);
  stt_punct_predict (p, (const char *const *) words, n, pauses, 0, paused);
  guint a = 0, b = 0;
  for (guint i = 0; i < n; i++) {
    a += plain[i] != STT_PUNCT_NONE;
    b += paused[i] != STT_PUNCT_NONE;
  }
  g_assert_cmpuint (b, >, a);
  g_free (plain);
  g_free (paused);
  g_free (pauses);
  g_strfreev (words);
  stt_punct_unref (p);
}

static void
test_pauses (void)
{
  check_pauses (small_model ());
  GBytes *bytes = punct_test_train_bytes_with_network (small_text, 16);
  GError *err = NULL;
  SttPunct *p = stt_punct_new_from_bytes (bytes, "small+network", &err);
  g_assert_no_error (err);
  g_bytes_unref (bytes);
  check_pauses (p);
}

/* Every damaged file is refused with an error that names it; none is read out of bounds. */
static void
test_corrupt (void)
{
  GBytes *good = punct_test_train_bytes_with_network (small_text, 16);
  gsize size;
  const guint8 *data = g_bytes_get_data (good, &size);
  struct { gsize at; guint32 value; gsize size; const char *says; } cases[] = {
    {0, 0x21, size, "bad magic"},
    {8, 6, size, "version 6 at byte 8"},   /* the version before the layers */
    {12, 30, size, "hash_bits"},
    {16, 5, size, "labels"},
    {20, 0x7fffffff, size, "bytes"},
    {G_MAXSIZE, 0, size - 1, "truncated"},
    {G_MAXSIZE, 0, 10, "shorter than the header"},
    {96, 0x7fc00000, size, "not finite"},            /* a NaN weight scale */
    {96, 0xbf800000, size, "not positive"},          /* a negative weight scale */
    {32, 0x7f800000, size, "not finite"},            /* an infinite pause prior */
    {104, 100000, size, "network's shape"},          /* embedding size */
    {116, 5000, size, "network's shape"},            /* hidden units */
    {120, 3, size, "network's shape"},               /* vocabulary against the classes */
    {132, 0x7fc00000, size, "not finite"},           /* a NaN comma bias */
    {148, 0x7fffffff, size, "bytes"},                /* context entries */
    {100, 1, size, "sentence networks at byte 100"}, /* a member of no network */
    {180, 30, size, "question_bits 30 at byte 180"},
    {180, 2, size, "question_bits 2 at byte 180"},
    {180, 9, size, "bytes"},                         /* a table of another size */
    {188, 1, size, "byte 188 holds 1"},              /* the reserved word */
    {size - 4, 0x7fc00000, size, "question model weight"},
    {144, 0x7f800000, size, "question bias"},
    {G_MAXSIZE, 0, size - 4, "truncated"},           /* the question model's last weight */
  };
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++) {
    guint8 *copy = g_memdup2 (data, size);
    if (cases[c].at != G_MAXSIZE)
      memcpy (copy + cases[c].at, &cases[c].value, 4);
    GBytes *bad = g_bytes_new_take (copy, cases[c].size);
    GError *err = NULL;
    SttPunct *p = stt_punct_new_from_bytes (bad, "/models/x/punct.bin", &err);
    g_assert_null (p);
    g_assert_error (err, STT_PUNCT_ERROR, STT_PUNCT_ERROR_FORMAT);
    g_assert_nonnull (strstr (err->message, "/models/x/punct.bin"));
    if (!strstr (err->message, cases[c].says))
      g_error ("case %u: \"%s\" does not say \"%s\"", c, err->message, cases[c].says);
    g_clear_error (&err);
    g_bytes_unref (bad);
  }
  /* found through the header: the 192-byte header, int16 weights[2^bits][4],
   * the network's floats (padded to 8 bytes), then the casing, class and context entries, the
   * string pool and the question model's floats */
  guint32 h[38];
  memcpy (h, data, sizeof h);
  guint32 bits = h[3], n_cases = h[5], n_classes = h[7], n_contexts = h[37];
  guint32 dim = h[26], left = h[27], right = h[28], hidden = h[29], vocab = h[30];
  g_assert_cmpuint (n_cases, >, 0);
  g_assert_cmpuint (hidden, >, 0);
  gsize n_mlp = (gsize) vocab * dim + (gsize) hidden * (left + 1 + right) * dim + hidden
      + 4 * hidden + 4;
  gsize mlp_off = 192 + ((gsize) 8 << bits);
  gsize cases_off = mlp_off + ((n_mlp * 4 + 7) & ~(gsize) 7);
  gsize contexts_off = cases_off + 8 * ((gsize) n_cases + n_classes);
  struct { gsize at; guint32 value; const char *says; } deep[] = {
    {cases_off + 8 * (n_cases / 2), 0x7fffffff, "outside the string pool"},
    {mlp_off + 4 * (n_mlp / 2), 0x7f800000, "network parameter"},
    {contexts_off + 4, 0x7fffffff, "context entry"},
  };
  g_assert_cmpuint (n_contexts, >, 0);
  for (guint c = 0; c < G_N_ELEMENTS (deep); c++) {
    guint8 *copy = g_memdup2 (data, size);
    memcpy (copy + deep[c].at, &deep[c].value, 4);
    GBytes *bad = g_bytes_new_take (copy, size);
    GError *err = NULL;
    g_assert_null (stt_punct_new_from_bytes (bad, "p.bin", &err));
    if (!strstr (err->message, deep[c].says))
      g_error ("deep case %u: \"%s\" does not say \"%s\"", c, err->message, deep[c].says);
    g_clear_error (&err);
    g_bytes_unref (bad);
  }
  g_bytes_unref (good);
}

/* The sentence network: trained on a small text it loads, is deterministic, runs over long
 * phrases in overlapping windows, and a damaged network is refused. */
static void
test_rnn (void)
{
  GBytes *a = punct_test_train_bytes_with_rnn (small_text, 12);
  GBytes *b = punct_test_train_bytes_with_rnn (small_text, 12);
  GBytes *plain = punct_test_train_bytes (small_text);
  g_assert_true (g_bytes_equal (a, b));
  gsize size;
  const guint8 *data = g_bytes_get_data (a, &size);
  guint32 h[48];
  memcpy (h, data, sizeof h);
  guint32 bits = h[3], dim = h[38], hidden = h[39], vocab = h[40], window = h[41];
  g_assert_cmpuint (h[2], ==, 7);               /* the version with the layers */
  g_assert_cmpuint (h[42], ==, 3);              /* three layers (the default) */
  g_assert_cmpuint (h[25], ==, 1);              /* one sentence network */
  g_assert_cmpuint (h[29], ==, 0);              /* no window network */
  g_assert_cmpuint (dim, ==, 8);
  g_assert_cmpuint (hidden, ==, 12);
  g_assert_cmpuint (window, ==, 32);
  gsize n_rnn = (gsize) vocab * dim + 2 * (3 * hidden * dim + 3 * hidden * hidden + 6 * hidden)
      + 2 * 2 * (3 * hidden * 2 * hidden + 3 * hidden * hidden + 6 * hidden) + 8 * hidden + 4;
  g_assert_cmpuint (size, ==, g_bytes_get_size (plain) + ((n_rnn * 4 + 7) & ~(gsize) 7));
  GError *err = NULL;
  SttPunct *p = stt_punct_new_from_bytes (a, "small+rnn", &err);
  g_assert_no_error (err);
  SttPunct *q = stt_punct_new_from_bytes (plain, "small", &err);
  g_assert_no_error (err);

  /* a phrase of 1,000 words (many windows): every word comes back once; the network changes
   * some marks; the same words give the same text */
  char *path = punct_test_sotu_file ("1790_george_washington_n.txt"), *text;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  GArray *tokens = stt_punct_tokenize (text);
  g_assert_cmpuint (tokens->len, >, 1000);
  GString *in = g_string_new (NULL);
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (in, "%s ", g_array_index (tokens, SttPunctToken, i).word);
  char *with = stt_punct_punctuate (p, in->str, STT_PUNCT_FLAG_END_SENTENCE);
  char *again = stt_punct_punctuate (p, in->str, STT_PUNCT_FLAG_END_SENTENCE);
  char *without = stt_punct_punctuate (q, in->str, STT_PUNCT_FLAG_END_SENTENCE);
  g_assert_cmpstr (with, ==, again);
  g_assert_cmpstr (with, !=, without);
  char **words = g_strsplit (with, " ", -1);
  g_assert_cmpuint (g_strv_length (words), ==, 1000);
  g_strfreev (words);
  /* a phrase shorter than a window, and one word */
  char *s = stt_punct_punctuate (p, "we the people", STT_PUNCT_FLAG_END_SENTENCE);
  g_assert_true (g_str_has_prefix (s, "We "));
  g_free (s);
  s = stt_punct_punctuate (p, "people", STT_PUNCT_FLAG_END_SENTENCE);
  g_assert_true (g_str_equal (s, "People.") || g_str_equal (s, "People?"));
  g_free (s);
  g_free (with);
  g_free (again);
  g_free (without);
  g_string_free (in, TRUE);
  g_array_unref (tokens);
  g_free (text);
  g_free (path);

  /* where a sentence ends, the networks' question log-probability plus the offset at byte
   * 184 weighs in the question decision: a very large offset makes every end a question mark,
   * a very negative one a period */
  for (guint k = 0; k < 2; k++) {
    float offset = k ? -1e4f : 1e4f;
    guint8 *copy = g_memdup2 (data, size);
    memcpy (copy + 184, &offset, 4);
    GBytes *moved = g_bytes_new_take (copy, size);
    SttPunct *m = stt_punct_new_from_bytes (moved, "offset", &err);
    g_assert_no_error (err);
    s = stt_punct_punctuate (m, "we the people", STT_PUNCT_FLAG_END_SENTENCE);
    g_assert_true (g_str_has_suffix (s, k ? "people." : "people?"));
    g_free (s);
    stt_punct_unref (m);
    g_bytes_unref (moved);
  }

  /* damaged: the shape, the weights, a parameter, a truncated file */
  gsize rnn_off = 192 + ((gsize) 8 << bits);
  struct { gsize at; guint32 value; gsize size; const char *says; } cases[] = {
    {152, 100000, size, "sentence network's shape"},   /* embedding size */
    {156, 5000, size, "sentence network's shape"},     /* hidden units */
    {160, 3, size, "sentence network's shape"},        /* vocabulary against the classes */
    {164, 0, size, "sentence network's shape"},        /* no window */
    {168, 0, size, "layers 0"},                        /* no layer */
    {168, 4, size, "layers 4"},                        /* more layers than allowed */
    {168, 2, size, "truncated or extended"},           /* two layers where the file has three */
    {100, 0, size, "sentence networks at byte 100"},   /* no member */
    {100, 5, size, "sentence networks at byte 100"},   /* more members than allowed */
    {100, 2, size, "truncated or extended"},           /* a member more than the file has */
    {172, 0x7fc00000, size, "sentence network weight"},
    {176, 0x7f800000, size, "sentence network weight"},    /* its question weight */
    {184, 0xff800000, size, "sentence network question offset"},
    {rnn_off + 4 * (n_rnn - 1), 0x7f800000, size, "sentence network parameter"},
    {rnn_off + 4 * (n_rnn / 3), 0xffc00000, size, "sentence network parameter"},
    {G_MAXSIZE, 0, size - 8, "truncated"},
    {G_MAXSIZE, 0, rnn_off + 4 * (n_rnn / 2), "truncated"},
  };
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++) {
    guint8 *copy = g_memdup2 (data, size);
    if (cases[c].at != G_MAXSIZE)
      memcpy (copy + cases[c].at, &cases[c].value, 4);
    GBytes *bad = g_bytes_new_take (copy, cases[c].size);
    g_assert_null (stt_punct_new_from_bytes (bad, "/models/r/punct.bin", &err));
    g_assert_error (err, STT_PUNCT_ERROR, STT_PUNCT_ERROR_FORMAT);
    g_assert_nonnull (strstr (err->message, "/models/r/punct.bin"));
    if (!strstr (err->message, cases[c].says))
      g_error ("case %u: \"%s\" does not say \"%s\"", c, err->message, cases[c].says);
    g_clear_error (&err);
    g_bytes_unref (bad);
  }
  /* files of the versions before the network, before ensembles and before the question
   * model's own table are refused, asking for a retrain */
  for (guint32 v = 3; v <= 5; v++) {
    guint8 *old = g_memdup2 (data, size);
    memcpy (old + 8, &v, 4);
    GBytes *bad = g_bytes_new_take (old, size);
    g_assert_null (stt_punct_new_from_bytes (bad, "old.bin", &err));
    char *says = g_strdup_printf ("version %u", v);
    g_assert_nonnull (strstr (err->message, says));
    g_free (says);
    g_assert_nonnull (strstr (err->message, "retrain it"));
    g_clear_error (&err);
    g_bytes_unref (bad);
  }
  stt_punct_unref (p);
  stt_punct_unref (q);
  g_bytes_unref (a);
  g_bytes_unref (b);
  g_bytes_unref (plain);
}

/* An ensemble of sentence networks: the file holds every member after the other (the first
 * one is the network trained alone); it loads and is deterministic. That its log-probabilities
 * are the members' mean is tested in test-punct-rnn.c. */
static void
test_rnn_ensemble (void)
{
  /* one-layer networks here (the default has two: test_rnn) */
  SttPunctTrainOptions opts = { 16, 3, -1, 1, 12, 1, 8, 32, 2, 0.1, 0, 0 };
  opts.rnn_layers = 1;
  GBytes *two = punct_test_train_bytes_with_options (small_text, &opts);
  GBytes *again = punct_test_train_bytes_with_options (small_text, &opts);
  g_assert_true (g_bytes_equal (two, again));
  opts.rnn_members = 1;
  GBytes *one = punct_test_train_bytes_with_options (small_text, &opts);
  gsize size;
  const guint8 *data = g_bytes_get_data (two, &size);
  guint32 h[48];
  memcpy (h, data, sizeof h);
  guint32 dim = h[38], hidden = h[39], vocab = h[40];
  g_assert_cmpuint (h[25], ==, 2);
  g_assert_cmpuint (h[42], ==, 1);
  gsize n_rnn = (gsize) vocab * dim + 2 * (3 * hidden * dim + 3 * hidden * hidden + 6 * hidden)
      + 8 * hidden + 4;
  /* the same perceptron and tables; the file grows by one network (and the alignment) */
  g_assert_cmpuint (size, ==, g_bytes_get_size (one) - ((n_rnn * 4 + 7) & ~(gsize) 7)
      + ((2 * n_rnn * 4 + 7) & ~(gsize) 7));
  /* the first member is the network trained alone (the same seed), the second another */
  gsize rnn_off = 192 + ((gsize) 8 << h[3]);
  const guint8 *alone = g_bytes_get_data (one, NULL);
  g_assert_cmpmem (data + rnn_off, n_rnn * 4, alone + rnn_off, n_rnn * 4);
  g_assert_true (memcmp (data + rnn_off + n_rnn * 4, alone + rnn_off, n_rnn * 4) != 0);
  GError *err = NULL;
  SttPunct *p2 = stt_punct_new_from_bytes (two, "two", &err);
  g_assert_no_error (err);
  SttPunct *p1 = stt_punct_new_from_bytes (one, "one", &err);
  g_assert_no_error (err);
  char *a = stt_punct_punctuate (p2, "we the people of the united states", 0);
  char *b = stt_punct_punctuate (p2, "we the people of the united states", 0);
  g_assert_cmpstr (a, ==, b);
  g_free (a);
  g_free (b);
  stt_punct_unref (p1);
  stt_punct_unref (p2);
  g_bytes_unref (one);
  g_bytes_unref (two);
  g_bytes_unref (again);
}

/* A word written two ways gets the form its neighbour calls for. */
static void
test_context_casing (void)
{
  SttPunctTrainer *t = stt_punct_trainer_new (NULL);
  for (guint i = 0; i < 3; i++)
    stt_punct_trainer_add_document (t, "The State of the Union is strong, and a state can act "
        "alone. We met the State of the Union and a state can grow.");
  GError *err = NULL;
  GBytes *bytes = stt_punct_trainer_finish (t, &err);
  g_assert_no_error (err);
  stt_punct_trainer_free (t);
  SttPunct *p = stt_punct_new_from_bytes (bytes, "context", &err);
  g_assert_no_error (err);
  g_bytes_unref (bytes);
  char *usual = stt_punct_case_word (p, "state", FALSE);
  g_assert_cmpstr (usual, ==, "State");    /* as often as "state": the smaller string */
  g_free (usual);
  const char *words[] = { "so", "a", "state", "can", "see", "the", "state", "of", "it" };
  SttPunctLabel labels[G_N_ELEMENTS (words)] = { 0 };
  char **forms = stt_punct_case_words (p, words, G_N_ELEMENTS (words), labels);
  g_assert_cmpstr (forms[0], ==, "So");
  g_assert_cmpstr (forms[2], ==, "state");
  g_assert_cmpstr (forms[6], ==, "State");
  g_strfreev (forms);
  /* empty words stay empty and do not end a sentence */
  const char *gaps[] = { "a", "", "can" };
  SttPunctLabel ends[] = { STT_PUNCT_NONE, STT_PUNCT_PERIOD, STT_PUNCT_NONE };
  forms = stt_punct_case_words (p, gaps, 3, ends);
  g_assert_cmpstr (forms[0], ==, "A");
  g_assert_cmpstr (forms[1], ==, "");
  g_assert_cmpstr (forms[2], ==, "can");
  g_strfreev (forms);
  stt_punct_unref (p);
}

/* The question model, trained on addresses with many questions, takes sentences that open
 * with an inverted auxiliary or a wh-word and an auxiliary for questions, and the same words
 * in statement order for statements; stt_punct_predict writes its decision where a phrase
 * ends. */
static const char *const question_text[] = {
  "1862_abraham_lincoln_r.txt", "1936_franklin_d_roosevelt_d.txt",
  "1953_harry_s_truman_d.txt", "2013_barack_obama_d.txt", "2016_barack_obama_d.txt",
  "2021_joseph_r_biden_d.txt", NULL
};

static float
question_score (SttPunct *p, const char *sentence)
{
  char **words = g_strsplit (sentence, " ", -1);
  float q = stt_punct_question_score (p, (const char *const *) words, g_strv_length (words));
  g_strfreev (words);
  return q;
}

static void
test_question_model (void)
{
  GBytes *bytes = punct_test_train_bytes (question_text);
  GError *err = NULL;
  SttPunct *p = stt_punct_new_from_bytes (bytes, "questions", &err);
  g_assert_no_error (err);
  static const char *const questions[] = {
    "is it not time that we act together",
    "shall we stop here",
    "why are we still there",
    "are we ready to act",
    "how can we ask them to wait",
    "will we meet that test",
  };
  static const char *const statements[] = {
    "it is time that we act together",
    "we shall stop here",
    "we are still there",
    "we are ready to act",
    "we can ask them to wait",
    "we will meet that test",
  };
  /* each question well above its statement; every statement a statement, and all but one
   * question (a model trained on 45,000 words) a question */
  guint n_questions = 0;
  for (guint i = 0; i < G_N_ELEMENTS (questions); i++) {
    float q = question_score (p, questions[i]), s = question_score (p, statements[i]);
    if (q < s + 1 || s >= 0)
      g_error ("\"%s\" scores %.3f, \"%s\" %.3f (want it below 0 and 1 below the "
          "question)", questions[i], q, statements[i], s);
    n_questions += q > 0;
  }
  g_assert_cmpuint (n_questions, >=, G_N_ELEMENTS (questions) - 1);
  /* the decision where a phrase ends is the question model's */
  char *s = stt_punct_punctuate (p, "shall we stop here", STT_PUNCT_FLAG_END_SENTENCE);
  g_assert_cmpstr (s, ==, "Shall we stop here?");
  g_free (s);
  s = stt_punct_punctuate (p, "we shall stop here", STT_PUNCT_FLAG_END_SENTENCE);
  g_assert_cmpstr (s, ==, "We shall stop here.");
  g_free (s);
  stt_punct_unref (p);
  g_bytes_unref (bytes);
}

/* Text for the question model alone changes the question model's table and nothing else of
 * the file; it is read like the main text and the result is deterministic. */
static void
test_question_text (void)
{
  SttPunctTrainOptions opts = { 16, 3 };
  GBytes *plain = punct_test_train_bytes_with_options (small_text, &opts);
  GBytes *with[2];
  for (guint k = 0; k < 2; k++) {
    SttPunctTrainer *t = stt_punct_trainer_new (&opts);
    for (const char *const *n = small_text; *n; n++) {
      char *path = punct_test_sotu_file (*n), *text;
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      stt_punct_trainer_add_document (t, text);
      g_free (text);
      g_free (path);
    }
    for (guint i = 0; i < 20; i++)
      stt_punct_trainer_add_question_document (t, "Shall we go home? We shall go home. Is it "
          "late? It is late. Why are we here? We are here to work.");
    GError *err = NULL;
    with[k] = stt_punct_trainer_finish (t, &err);
    g_assert_no_error (err);
    stt_punct_trainer_free (t);
  }
  g_assert_true (g_bytes_equal (with[0], with[1]));
  gsize size, plain_size;
  const guint8 *a = g_bytes_get_data (with[0], &size), *b = g_bytes_get_data (plain,
      &plain_size);
  g_assert_cmpuint (size, ==, plain_size);
  guint32 q_bits;
  memcpy (&q_bits, a + 180, 4);
  gsize q_off = size - (sizeof (float) << q_bits);
  g_assert_cmpmem (a, q_off, b, q_off);
  g_assert_true (memcmp (a + q_off, b + q_off, size - q_off) != 0);
  GError *err = NULL;
  SttPunct *p = stt_punct_new_from_bytes (with[0], "question-text", &err);
  g_assert_no_error (err);
  const char *const q[] = { "shall", "we", "go", "home" };
  g_assert_cmpfloat (stt_punct_question_score (p, q, 4), >, 0);
  stt_punct_unref (p);
  g_bytes_unref (with[0]);
  g_bytes_unref (with[1]);
  g_bytes_unref (plain);
}

static void
test_train_empty (void)
{
  SttPunctTrainer *t = stt_punct_trainer_new (NULL);
  stt_punct_trainer_add_document (t, " ... -- ");
  GError *err = NULL;
  g_assert_null (stt_punct_trainer_finish (t, &err));
  g_assert_error (err, STT_PUNCT_ERROR, STT_PUNCT_ERROR_TRAIN);
  g_clear_error (&err);
  stt_punct_trainer_free (t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/punct/tokenize", test_tokenize);
  g_test_add_func ("/punct/deterministic", test_deterministic);
  g_test_add_func ("/punct/learns-training-text", test_learns_training_text);
  g_test_add_func ("/punct/punctuate-lines", test_punctuate_lines);
  g_test_add_func ("/punct/pauses", test_pauses);
  g_test_add_func ("/punct/corrupt", test_corrupt);
  g_test_add_func ("/punct/rnn", test_rnn);
  g_test_add_func ("/punct/rnn-ensemble", test_rnn_ensemble);
  g_test_add_func ("/punct/context-casing", test_context_casing);
  g_test_add_func ("/punct/train-empty", test_train_empty);
  g_test_add_func ("/punct/question-model", test_question_model);
  g_test_add_func ("/punct/question-text", test_question_text);
  return g_test_run ();
}
