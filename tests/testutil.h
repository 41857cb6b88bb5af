/* gst-stt — helpers shared by the tests.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once
#include <stdarg.h>
#include <stt/stt.h>

/* Absolute path of a file under the shared data folder ($STT_TEST_DATA, else ../shared/data
 * beside the source tree), e.g. stt_test_data_path ("dev/arctic_cathy/refs.txt").
 * Aborts the test with a clear message when the file is missing. Free with g_free. */
char *stt_test_data_path (const char *relative);

/* Absolute path under the source tree ($STT_SOURCE_ROOT). Free with g_free. */
char *stt_test_source_path (const char *relative);

/* A final result with one hypothesis whose Lexical text is @lexical, one word per token with
 * 300 ms per word starting at @offset_ticks, confidence 0.9. */
SttResult *stt_test_result_new (const char *lexical, gint64 offset_ticks);

/* The samples of a 16-bit PCM mono WAV file (RIFF chunks walked, the "data" chunk read), its
 * sample rate in @rate (may be NULL). Aborts the test with a message naming the file when it
 * is not such a file. Free with g_free. */
gint16 *stt_test_read_wav (const char *path, gsize *n_samples, int *rate);

/* The feat.params of Debian's pocketsphinx-en-us ($STT_SPHINX_MODEL/en-us/feat.params).
 * Aborts the test with a message saying what to install when it is missing. Free with g_free. */
char *stt_test_sphinx_feat_params (void);

/* The 1s_c_d_dd features of the recording @wav_relative (under the shared data folder),
 * computed by core/fe with @feat_params, batch CMN and every frame kept (no VAD), as
 * pocketsphinx_batch does for a whole file. @n_frames gets the frame count; the dimension is
 * STT_FE_FEAT_DIM (39). Free with g_free. */
float *stt_test_wav_features (const char *feat_params, const char *wav_relative,
    gsize *n_frames);

/* Absolute path of file @name of Debian's pocketsphinx-en-us model folder ($STT_SPHINX_MODEL,
 * e.g. "en-us.lm.bin", "en-us/noisedict"). Aborts the test with a message saying what to
 * install when it is missing. Free with g_free. */
char *stt_test_sphinx_path (const char *name);

/* A new temporary file with a unique name ending in @suffix, holding @len bytes of @contents
 * (-1: a NUL-terminated string). Free the path with g_free; remove the file with g_unlink. */
char *stt_test_tmp_file (const char *suffix, const char *contents, gssize len);

/* Wait (up to 5 s) until @object's refcount drops to @expected and return the final count:
 * a bin that just changed state asynchronously may hold a reference for a moment from its
 * helper thread, so a pipeline's refcount is checked with this rather than right away. */
int stt_test_wait_refcount (gpointer object, int expected);

/* Word-level edit distance between the blank-separated words of @ref and @hyp. */
guint stt_test_word_errors (const char *ref, const char *hyp);

/* Run the build tree's program @rel ($STT_BUILD_ROOT/@rel, e.g. "tools/lm/stt-lm") with the
 * NULL-terminated arguments in @args to completion: 0 when it exited with 0, else 1; its
 * output in *@out and *@err (free with g_free). */
int stt_test_run_toolv (const char *rel, char **out, char **err, va_list args);
