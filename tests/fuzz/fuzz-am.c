/* gst-stt — fuzz target: every acoustic-model parser (Sphinx files come from the user's
 * disk; the project's files from downloaded models). The first byte selects the parser.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Properties checked besides "no crash": a rejected input has an error message naming the
 * file; an accepted one serialises to the project's format, which parses again and
 * serialises to the same bytes. Seeds: corpus/am/ (make-am-seeds.py).
 */
#include <stt/am.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define NAME "fuzz-input"

typedef gpointer (*Parse) (GBytes *b, const char *name, GError **error);
typedef GBytes *(*Serialize) (gconstpointer obj);

static gpointer
gauden_sphinx (GBytes *b, const char *name, GError **error)
{
  return stt_gauden_parse_sphinx (b, name, TRUE, error);
}

static gpointer
gauden_own (GBytes *b, const char *name, GError **error)
{
  return stt_gauden_parse (b, name, TRUE, error);
}

static const struct {
  Parse parse, parse_own;
  Serialize serialize;
  GDestroyNotify unref;
} parsers[] = {
  { (Parse) stt_mdef_parse_sphinx, (Parse) stt_mdef_parse, (Serialize) stt_mdef_serialize,
    (GDestroyNotify) stt_mdef_unref },
  { (Parse) stt_mdef_parse, (Parse) stt_mdef_parse, (Serialize) stt_mdef_serialize,
    (GDestroyNotify) stt_mdef_unref },
  { (Parse) stt_tmat_parse_sphinx, (Parse) stt_tmat_parse, (Serialize) stt_tmat_serialize,
    (GDestroyNotify) stt_tmat_unref },
  { (Parse) stt_tmat_parse, (Parse) stt_tmat_parse, (Serialize) stt_tmat_serialize,
    (GDestroyNotify) stt_tmat_unref },
  { gauden_sphinx, gauden_own, (Serialize) stt_gauden_serialize,
    (GDestroyNotify) stt_gauden_unref },
  { gauden_own, gauden_own, (Serialize) stt_gauden_serialize,
    (GDestroyNotify) stt_gauden_unref },
  { (Parse) stt_mixw_parse_sphinx, (Parse) stt_mixw_parse, (Serialize) stt_mixw_serialize,
    (GDestroyNotify) stt_mixw_unref },
  { (Parse) stt_mixw_parse, (Parse) stt_mixw_parse, (Serialize) stt_mixw_serialize,
    (GDestroyNotify) stt_mixw_unref },
};

static void
check_error (GError *err)
{
  g_assert (err != NULL);
  g_assert (strstr (err->message, NAME) != NULL);
  g_error_free (err);
}

/* The real en-US phone set, for the filler dictionary check. */
static SttMdef *
en_us_mdef (void)
{
  static SttMdef *mdef;
  if (!mdef) {
    const char *dir = g_getenv ("STT_SPHINX_MODEL");
    char *path = g_build_filename (dir && *dir ? dir : "/usr/share/pocketsphinx/model/en-us",
        "en-us", "mdef", NULL);
    GMappedFile *f = g_mapped_file_new (path, FALSE, NULL);
    g_assert (f != NULL);
    GBytes *b = g_mapped_file_get_bytes (f);
    mdef = stt_mdef_parse_sphinx (b, path, NULL);
    g_assert (mdef != NULL);
    g_bytes_unref (b);
    g_mapped_file_unref (f);
    g_free (path);
  }
  return mdef;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  guint which = data[0] % (G_N_ELEMENTS (parsers) + 1);
  GBytes *b = g_bytes_new (data + 1, size - 1);
  GError *err = NULL;
  if (which == G_N_ELEMENTS (parsers)) {
    if (!stt_noisedict_check (b, NAME, en_us_mdef (), &err))
      check_error (err);
    g_bytes_unref (b);
    return 0;
  }
  gpointer obj = parsers[which].parse (b, NAME, &err);
  if (g_getenv ("STT_FUZZ_VERBOSE"))   /* to check that the seeds parse */
    g_printerr ("parser %u: %s\n", which, obj ? "accepted" : err->message);
  if (!obj) {
    check_error (err);
  } else {
    GBytes *own = parsers[which].serialize (obj);
    gpointer again = parsers[which].parse_own (own, NAME, &err);
    g_assert (again != NULL);
    GBytes *own2 = parsers[which].serialize (again);
    g_assert (g_bytes_equal (own, own2));
    g_bytes_unref (own2);
    parsers[which].unref (again);
    g_bytes_unref (own);
    parsers[which].unref (obj);
  }
  g_bytes_unref (b);
  return 0;
}
