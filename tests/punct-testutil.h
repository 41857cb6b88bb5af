/* gst-stt — helpers of the punctuation and resegmentation tests.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once
#include <gst/gst.h>
#include <stt/punct.h>
#include "testutil.h"

/* A State of the Union address from the build's training text (installed by the build from
 * the pinned npm package; see models/punct/build-default.sh). Free with g_free. */
char *punct_test_sotu_file (const char *name);

/* punct.bin bytes trained (small table, 3 epochs) from the given addresses. */
GBytes *punct_test_train_bytes (const char *const *names);
/* The same with a window network of @hidden units (1 pass), which small texts do not get by
 * default. */
GBytes *punct_test_train_bytes_with_network (const char *const *names, gint hidden);
/* The same with no window network and a sentence network of @hidden GRU units each way (8-number
 * embeddings, windows of 32 words, 1 pass). */
GBytes *punct_test_train_bytes_with_rnn (const char *const *names, gint hidden);
GBytes *punct_test_train_bytes_with_options (const char *const *names,
    const SttPunctTrainOptions *opts);

/* Install @bytes as a punct model in a new folder under @models_dir; returns its folder. */
char *punct_test_install (const char *models_dir, GBytes *bytes);

/* Remove a folder and everything in it (test scratch folders). */
void punct_test_rm_tree (const char *path);
