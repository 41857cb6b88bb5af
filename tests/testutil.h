/* gst-stt — helpers shared by the tests.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once
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
