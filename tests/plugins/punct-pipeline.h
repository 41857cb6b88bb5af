/* gst-stt — run results through a post-processing element in a real pipeline.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once
#include <gst/gst.h>
#include "testutil.h"

/* Run @results (n of them) through "appsrc ! @element ! appsink" in a real pipeline until EOS.
 * Returns the results that came out (free function stt_result_unref); the buffers' PTS are
 * checked against the results' offsets. *warnings (optional) gets the warning messages posted,
 * one per line. Fails the test on an error message unless @allow_error. */
GPtrArray *punct_test_run (const char *element, SttResult **results, guint n, char **warnings,
    gboolean allow_error);
