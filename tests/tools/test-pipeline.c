/* gst-stt — the pipeline builder (pipelines/): model= placement, display order, refusals.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <gst/gst.h>

#include "testutil.h"
#include "toolrun.h"
#include "sttpipeline.h"

static const char *const files[] = { "dev/fsdd_digits/fsdd_george_2_0.wav", NULL };

static SttModel *
model (const char *dir, const char *kind, const char *locale, const char *pipeline)
{
  g_autofree char *id = tr_make_model (dir, kind, locale, NULL, pipeline, NULL, files);
  g_autofree char *path = g_build_filename (dir, id, NULL);
  g_autoptr (GError) error = NULL;
  SttModel *m = stt_model_open (path, &error);
  g_assert_no_error (error);
  return m;
}

static void
test_build (void)
{
  g_autofree char *dir = tr_tmpdir ();
  /* audioconvert is installed and has no model property; sttfeatures/sttdecoder are not
   * (in this tree) and follow the naming convention; a given model= and caps stay as they are */
  g_autoptr (SttModel) base = model (dir, "base", "en-US",
      "audioconvert ! audio/x-raw,rate=16000 ! sttfeatures !  sttdecoder model=fixed ");
  SttModel *display[STT_DISPLAY_N] = { NULL };
  display[STT_DISPLAY_WFSTITN] = model (dir, "wfstitn", "en-us", NULL);
  display[STT_DISPLAY_RESCORE] = model (dir, "rescore", "en-US", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *p = stt_pipeline_build (base, display, &error);
  g_assert_no_error (error);
  g_autofree char *expect = g_strdup_printf ("audioconvert ! audio/x-raw,rate=16000 ! "
      "sttfeatures model=%s ! sttdecoder model=fixed ! sttrescore model=%s ! sttitn model=%s",
      stt_model_get_id (base), stt_model_get_id (display[STT_DISPLAY_RESCORE]),
      stt_model_get_id (display[STT_DISPLAY_WFSTITN]));
  g_assert_cmpstr (p, ==, expect);

  g_autofree char *line = stt_pipeline_launch_line (p, "/my models");
  g_assert_true (g_str_has_prefix (line, "STT_MODEL_PATH='/my models' gst-launch-1.0 "));
  g_assert_true (g_str_has_suffix (line, " ! sttsink"));
  for (int t = 0; t < STT_DISPLAY_N; t++)
    g_clear_pointer (&display[t], stt_model_unref);
  tr_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_refusals (void)
{
  g_autofree char *dir = tr_tmpdir ();
  g_autoptr (SttModel) no_pipe = model (dir, "base", "en-US", NULL);
  g_autoptr (SttModel) base = model (dir, "base", "en-US", "sttdecoder");
  g_autoptr (SttModel) punct_fr = model (dir, "punct", "fr-FR", NULL);
  g_autoptr (SttModel) rescore = model (dir, "rescore", "en-US", NULL);
  SttModel *display[STT_DISPLAY_N] = { NULL };
  g_autoptr (GError) error = NULL;

  g_assert_null (stt_pipeline_build (no_pipe, display, &error));
  g_assert_nonnull (strstr (error->message, "\"pipeline\""));
  g_clear_error (&error);

  g_assert_null (stt_pipeline_build (rescore, display, &error));
  g_assert_nonnull (strstr (error->message, "base or custom"));
  g_clear_error (&error);

  display[STT_DISPLAY_PUNCT] = punct_fr;
  g_assert_null (stt_pipeline_build (base, display, &error));
  g_assert_nonnull (strstr (error->message, "fr-FR"));
  g_clear_error (&error);

  display[STT_DISPLAY_PUNCT] = rescore;         /* a rescore model in the punct place */
  g_assert_null (stt_pipeline_build (base, display, &error));
  g_assert_nonnull (strstr (error->message, "not a Punct display model"));
  g_clear_error (&error);
  tr_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pipeline/build", test_build);
  g_test_add_func ("/pipeline/refusals", test_refusals);
  return g_test_run ();
}
