/* gst-stt — tests of the phone set / triphone tree and transition-matrix readers on the real
 * pocketsphinx-en-us files, and of the project's own mdef/tmat files written from them.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stt/am.h>
#include "testutil.h"

#include <math.h>
#include <string.h>

static char *
sphinx_file (const char *name)
{
  const char *dir = g_getenv ("STT_SPHINX_MODEL");
  return g_build_filename (dir && *dir ? dir : "/usr/share/pocketsphinx/model/en-us", "en-us",
      name, NULL);
}

static GBytes *
load (const char *name)
{
  g_autofree char *path = sphinx_file (name);
  g_autoptr (GMappedFile) f = g_mapped_file_new (path, FALSE, NULL);
  if (!f)
    g_error ("missing %s (install pocketsphinx-en-us)", path);
  return g_mapped_file_get_bytes (f);
}

static SttMdef *
load_mdef (void)
{
  g_autoptr (GBytes) b = load ("mdef");
  g_autoptr (GError) error = NULL;
  SttMdef *m = stt_mdef_parse_sphinx (b, "mdef", &error);
  g_assert_no_error (error);
  return m;
}

static int
triphone (const SttMdef *m, const char *b, const char *l, const char *r, SttWordPosition w)
{
  return stt_mdef_phone_lookup (m, stt_mdef_ciphone_id (m, b), stt_mdef_ciphone_id (m, l),
      stt_mdef_ciphone_id (m, r), w);
}

static void
check_mdef (const SttMdef *m)
{
  g_assert_cmpint (stt_mdef_n_ciphones (m), ==, 42);
  g_assert_cmpint (stt_mdef_n_phones (m), ==, 137095);
  g_assert_cmpint (stt_mdef_n_senones (m), ==, 5126);
  g_assert_cmpint (stt_mdef_n_emit_states (m), ==, 3);
  g_assert_cmpstr (stt_mdef_ciphone_name (m, 32), ==, "SIL");
  g_assert_cmpint (stt_mdef_silence (m), ==, 32);
  g_assert_true (stt_mdef_is_filler (m, stt_mdef_ciphone_id (m, "+NSN+")));
  g_assert_false (stt_mdef_is_filler (m, stt_mdef_ciphone_id (m, "AH")));
  /* every triphone's own (wpos, base, left, right) leads back to it */
  for (int p = stt_mdef_n_ciphones (m); p < stt_mdef_n_phones (m); p++) {
    int b, l, r;
    SttWordPosition w;
    stt_mdef_phone_info (m, p, &b, &l, &r, &w);
    g_assert_cmpint (stt_mdef_phone_lookup (m, b, l, r, w), ==, p);
    g_assert_cmpint (stt_mdef_phone_tmat (m, p), ==, stt_mdef_phone_tmat (m, b));
  }
  /* values checked against pocketsphinx (Sphinx format notes §4) */
  int p = triphone (m, "AH", "K", "T", STT_WPOS_INTERNAL);
  g_assert_cmpint (p, ==, 8261);
  const guint16 *sen = stt_mdef_phone_senones (m, p);
  g_assert_cmpint (sen[0], ==, 407);
  g_assert_cmpint (sen[1], ==, 548);
  g_assert_cmpint (sen[2], ==, 744);
  g_assert_cmpint (stt_mdef_phone_tmat (m, p), ==, 4);
  g_assert_cmpint (stt_mdef_senone_codebook (m, 407), ==, stt_mdef_ciphone_id (m, "AH"));
  g_assert_cmpint (triphone (m, "K", "SIL", "AE", STT_WPOS_BEGIN), ==, 72187);
  g_assert_cmpint (triphone (m, "T", "AE", "SIL", STT_WPOS_END), ==, 113220);
  g_assert_cmpint (triphone (m, "AH", "SIL", "SIL", STT_WPOS_SINGLE), ==, 9582);
  /* fillers as context are looked up as SIL */
  g_assert_cmpint (triphone (m, "K", "+NSN+", "AE", STT_WPOS_BEGIN), ==, 72187);
}

static void
test_mdef_sphinx (void)
{
  g_autoptr (SttMdef) m = load_mdef ();
  check_mdef (m);
}

static void
test_mdef_nearest (void)
{
  g_autoptr (SttMdef) m = load_mdef ();
  int ah = stt_mdef_ciphone_id (m, "AH"), sil = stt_mdef_silence (m);
  /* an exact hit is returned unchanged */
  int exact = triphone (m, "K", "SIL", "AE", STT_WPOS_BEGIN);
  g_assert_cmpint (stt_mdef_phone_nearest (m, stt_mdef_ciphone_id (m, "K"), sil,
          stt_mdef_ciphone_id (m, "AE"), STT_WPOS_BEGIN), ==, exact);
  /* for every (left, right) pair: the result has base AH, and when the exact triphone is
   * missing it is either a triphone at another position, one with SIL contexts, or AH itself */
  int n_exact = 0, n_other = 0, n_ci = 0;
  for (int l = 0; l < stt_mdef_n_ciphones (m); l++)
    for (int r = 0; r < stt_mdef_n_ciphones (m); r++) {
      int p = stt_mdef_phone_nearest (m, ah, l, r, STT_WPOS_BEGIN);
      int b;
      stt_mdef_phone_info (m, p, &b, NULL, NULL, NULL);
      g_assert_cmpint (b, ==, ah);
      if (p == stt_mdef_phone_lookup (m, ah, l, r, STT_WPOS_BEGIN))
        n_exact++;
      else if (p == ah)
        n_ci++;
      else
        n_other++;
    }
  g_assert_cmpint (n_exact + n_other + n_ci, ==, 42 * 42);
  g_assert_cmpint (n_other, >, 0);
  /* a filler base has no triphones: the CI phone itself */
  int nsn = stt_mdef_ciphone_id (m, "+NSN+");
  g_assert_cmpint (stt_mdef_phone_nearest (m, nsn, ah, ah, STT_WPOS_INTERNAL), ==, nsn);
  g_assert_cmpint (stt_mdef_phone_nearest (m, 999, ah, ah, STT_WPOS_INTERNAL), ==, -1);
}

static void
test_mdef_own_roundtrip (void)
{
  g_autoptr (SttMdef) m = load_mdef ();
  g_autoptr (GBytes) own = stt_mdef_serialize (m);
  g_autoptr (GError) error = NULL;
  g_autoptr (SttMdef) m2 = stt_mdef_parse (own, "am/mdef.bin", &error);
  g_assert_no_error (error);
  check_mdef (m2);
  g_autoptr (GBytes) own2 = stt_mdef_serialize (m2);
  g_assert_true (g_bytes_equal (own, own2));
  /* the Sphinx reader does not take our file, nor ours the Sphinx one */
  g_assert_null (stt_mdef_parse_sphinx (own, "am/mdef.bin", &error));
  g_assert_error (error, STT_AM_ERROR, STT_AM_ERROR_FOREIGN);
  g_assert_nonnull (strstr (error->message, "am/mdef.bin"));
}

static void
test_tmat (void)
{
  g_autoptr (GBytes) b = load ("transition_matrices");
  g_autoptr (GError) error = NULL;
  g_autoptr (SttTmat) t = stt_tmat_parse_sphinx (b, "transition_matrices", &error);
  g_assert_no_error (error);
  g_assert_cmpint (stt_tmat_n_tmats (t), ==, 42);
  g_assert_cmpint (stt_tmat_n_emit_states (t), ==, 3);
  /* tmat 0 (+NSN+) quantised as pocketsphinx does (§5.4): [[1,17,-,-],[-,0,28,-],[-,-,1,22]] */
  static const int want[3][4] = { { 1, 17, 255, 255 }, { 255, 0, 28, 255 },
    { 255, 255, 1, 22 } };
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++)
      g_assert_cmpint (stt_tmat_sphinx_cost (t, 0, i, j), ==, want[i][j]);
  for (int m = 0; m < 42; m++)
    for (int i = 0; i < 3; i++) {
      double sum = 0;
      for (int j = 0; j < 4; j++)
        sum += exp (stt_tmat_logprob (t, m, i, j));
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
      g_assert_true (isinf (stt_tmat_logprob (t, m, i, 0)) || i == 0);  /* left-to-right */
      if (i < 2)   /* this model has no skip arcs */
        g_assert_true (isinf (stt_tmat_logprob (t, m, i, i + 2)));
    }
  g_autoptr (GBytes) own = stt_tmat_serialize (t);
  g_autoptr (SttTmat) t2 = stt_tmat_parse (own, "am/tmat.bin", &error);
  g_assert_no_error (error);
  for (int m = 0; m < 42; m++)
    for (int i = 0; i < 3; i++)
      for (int j = 0; j < 4; j++) {
        g_assert_cmpfloat (stt_tmat_logprob (t, m, i, j), ==, stt_tmat_logprob (t2, m, i, j));
        g_assert_cmpint (stt_tmat_sphinx_cost (t, m, i, j), ==,
            stt_tmat_sphinx_cost (t2, m, i, j));
      }
}

/* One flipped bit in the data is caught by the s3 checksum, and the message says where. */
static void
test_tmat_checksum (void)
{
  g_autoptr (GBytes) b = load ("transition_matrices");
  gsize n;
  const guint8 *data = g_bytes_get_data (b, &n);
  guint8 *copy = g_memdup2 (data, n);
  copy[n - 100] ^= 0x10;
  g_autoptr (GBytes) bad = g_bytes_new_take (copy, n);
  g_autoptr (GError) error = NULL;
  g_assert_null (stt_tmat_parse_sphinx (bad, "transition_matrices", &error));
  g_assert_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "transition_matrices: checksum at byte"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/am/mdef/sphinx", test_mdef_sphinx);
  g_test_add_func ("/am/mdef/nearest", test_mdef_nearest);
  g_test_add_func ("/am/mdef/own-roundtrip", test_mdef_own_roundtrip);
  g_test_add_func ("/am/tmat/sphinx", test_tmat);
  g_test_add_func ("/am/tmat/checksum", test_tmat_checksum);
  return g_test_run ();
}
