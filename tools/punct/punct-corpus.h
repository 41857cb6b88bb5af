/* gst-stt — the training and evaluation texts of punct models, and their fixed split.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A corpus is a list of text files (folders are read for their *.txt files, sorted by name).
 * Each file holds documents separated by blank lines.
 *
 * The split (docs/models.md, "Punct models"): a file whose name starts with a four-digit year
 * followed by '_' (the State of the Union files, "1790_george_washington_n.txt") is held out
 * for evaluation when the year ends in 5 (1795, 1805, ..., 2015): whole addresses the model
 * never sees. Every other file is training text. The development split, for choosing the
 * trainer's settings without looking at the held-out years, is the training files whose year
 * ends in 0 ("dev"); "fit" is the training files without them.
 */
#pragma once
#include <glib.h>

typedef enum {
  PUNCT_SPLIT_ALL,
  PUNCT_SPLIT_TRAIN,
  PUNCT_SPLIT_TEST,
  PUNCT_SPLIT_FIT,
  PUNCT_SPLIT_DEV,
} PunctSplit;

gboolean punct_split_from_string (const char *s, PunctSplit *split);
gboolean punct_corpus_is_heldout (const char *path);
/* Whether @path is a file of the development split (a year ending in 0). */
gboolean punct_corpus_is_dev (const char *path);

/* The files of @paths in @split, in a fixed order (newly allocated, NULL-terminated). Fails
 * naming the first path that does not exist or cannot be listed. */
char **punct_corpus_files (char **paths, PunctSplit split, GError **error);

/* The documents of one file (newly allocated, NULL-terminated). */
char **punct_corpus_read_documents (const char *path, GError **error);
