/* gst-stt — helpers shared by the tests.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "testutil.h"
#include <stt/fe.h>
#include <string.h>
#include <glib/gstdio.h>

static char *
under (const char *env, const char *fallback, const char *relative)
{
  const char *root = g_getenv (env);
  char *path = g_build_filename (root && *root ? root : fallback, relative, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_error ("test file missing: %s (set %s to the folder that holds it)", path, env);
  return path;
}

char *
stt_test_data_path (const char *relative)
{
  return under ("STT_TEST_DATA", STT_TEST_DATA_DEFAULT, relative);
}

char *
stt_test_source_path (const char *relative)
{
  return under ("STT_SOURCE_ROOT", ".", relative);
}

SttResult *
stt_test_result_new (const char *lexical, gint64 offset_ticks)
{
  SttResult *r = stt_result_new (STT_RESULT_FINAL);
  SttHypothesis *h = stt_result_add_hypothesis (r);
  char **words = g_strsplit (lexical, " ", -1);
  gint64 t = offset_ticks, word = 3000000;
  for (char **w = words; *w; w++) {
    if (!**w)
      continue;
    stt_hypothesis_add_word (h, *w, t, word, 0.9);
    t += word;
  }
  g_strfreev (words);
  stt_hypothesis_set_text (h, STT_TEXT_LEXICAL, lexical);
  stt_hypothesis_set_confidence (h, 0.9);
  r->offset = offset_ticks;
  r->duration = t - offset_ticks;
  return r;
}

static guint32
le32 (const guint8 *p)
{
  return p[0] | p[1] << 8 | p[2] << 16 | (guint32) p[3] << 24;
}

gint16 *
stt_test_read_wav (const char *path, gsize *n_samples, int *rate)
{
  char *data;
  gsize len;
  GError *error = NULL;
  if (!g_file_get_contents (path, &data, &len, &error))
    g_error ("%s", error->message);
  const guint8 *d = (const guint8 *) data;
  if (len < 12 || memcmp (d, "RIFF", 4) || memcmp (d + 8, "WAVE", 4))
    g_error ("%s: not a RIFF WAVE file", path);
  gboolean fmt_ok = FALSE;
  gint16 *samples = NULL;
  for (gsize off = 12; off + 8 <= len;) {
    gsize size = le32 (d + off + 4);
    if (size > len - off - 8)
      size = len - off - 8;     /* some writers leave a streaming size here */
    if (!memcmp (d + off, "fmt ", 4) && size >= 16) {
      guint16 format = d[off + 8] | d[off + 9] << 8, channels = d[off + 10] | d[off + 11] << 8;
      guint16 bits = d[off + 22] | d[off + 23] << 8;
      if (format != 1 || channels != 1 || bits != 16)
        g_error ("%s: want 16-bit PCM mono, found format %u, %u channels, %u bits", path,
            format, channels, bits);
      if (rate)
        *rate = (int) le32 (d + off + 12);
      fmt_ok = TRUE;
    } else if (!memcmp (d + off, "data", 4) && fmt_ok) {
      *n_samples = size / 2;
      samples = g_new (gint16, *n_samples + 1);
      for (gsize i = 0; i < *n_samples; i++)
        samples[i] = (gint16) (d[off + 8 + 2 * i] | d[off + 9 + 2 * i] << 8);
      break;
    }
    off += 8 + size + (size & 1);
  }
  g_free (data);
  if (!samples)
    g_error ("%s: no fmt chunk before a data chunk", path);
  return samples;
}

char *
stt_test_sphinx_feat_params (void)
{
  return stt_test_sphinx_path ("en-us/feat.params");
}

char *
stt_test_sphinx_path (const char *name)
{
  const char *model = g_getenv ("STT_SPHINX_MODEL");
  char *path = g_build_filename (model && *model ? model : "/usr/share/pocketsphinx/model/en-us",
      name, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_error ("%s missing: install Debian's pocketsphinx-en-us (tools/dev/debian-packages.txt) "
        "or set STT_SPHINX_MODEL", path);
  return path;
}

float *
stt_test_wav_features (const char *feat_params, const char *wav_relative, gsize *n_frames)
{
  GError *error = NULL;
  SttFeParams *params = stt_fe_params_load (feat_params, &error);
  if (!params)
    g_error ("%s", error->message);
  SttFe *fe = stt_fe_new (params);
  stt_fe_set_remove_silence (fe, FALSE);
  stt_fe_set_cmn (fe, STT_FE_CMN_BATCH);
  char *path = stt_test_data_path (wav_relative);
  gsize n;
  gint16 *pcm = stt_test_read_wav (path, &n, NULL);
  stt_fe_process (fe, pcm, n);
  stt_fe_end_utterance (fe);
  *n_frames = stt_fe_n_pending (fe);
  float *feat = g_new (float, *n_frames * stt_fe_get_output_dimension (fe) + 1);
  stt_fe_read (fe, feat, NULL, *n_frames);
  stt_fe_free (fe);
  stt_fe_params_unref (params);
  g_free (pcm);
  g_free (path);
  return feat;
}

char *
stt_test_tmp_file (const char *suffix, const char *contents, gssize len)
{
  GError *error = NULL;
  char *tmpl = g_strdup_printf ("stt-test-XXXXXX-%s", suffix), *path = NULL;
  int fd = g_file_open_tmp (tmpl, &path, &error);
  if (fd < 0)
    g_error ("cannot create a temporary file: %s", error->message);
  g_close (fd, NULL);
  if (!g_file_set_contents (path, contents, len, &error))
    g_error ("cannot write %s: %s", path, error->message);
  g_free (tmpl);
  return path;
}

int
stt_test_wait_refcount (gpointer object, int expected)
{
  for (int i = 0; i < 500 && (int) G_OBJECT (object)->ref_count != expected; i++)
    g_usleep (10000);
  return G_OBJECT (object)->ref_count;
}

guint
stt_test_word_errors (const char *ref, const char *hyp)
{
  g_auto (GStrv) r = g_strsplit_set (ref, " ", -1), h = g_strsplit_set (hyp, " ", -1);
  guint nr = g_strv_length (r), nh = g_strv_length (h);
  guint *prev = g_new (guint, nh + 1), *cur = g_new (guint, nh + 1);
  for (guint j = 0; j <= nh; j++)
    prev[j] = j;
  for (guint i = 1; i <= nr; i++) {
    cur[0] = i;
    for (guint j = 1; j <= nh; j++)
      cur[j] = MIN (MIN (prev[j] + 1, cur[j - 1] + 1),
          prev[j - 1] + (strcmp (r[i - 1], h[j - 1]) != 0));
    memcpy (prev, cur, sizeof (guint) * (nh + 1));
  }
  guint d = prev[nh];
  g_free (prev);
  g_free (cur);
  return d;
}

int
stt_test_run_toolv (const char *rel, char **out, char **err, va_list args)
{
  const char *root = g_getenv ("STT_BUILD_ROOT");
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_build_filename (root ? root : ".", rel, NULL));
  for (const char *a; (a = va_arg (args, const char *));)
    g_ptr_array_add (argv, g_strdup (a));
  g_ptr_array_add (argv, NULL);
  int status;
  GError *error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
          out, err, &status, &error));
  g_assert_no_error (error);
  g_ptr_array_unref (argv);
  return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
}
