/* gst-stt — fuzz target: the word-vector text files of `stt-punct train --rnn-init-vectors`
 * (core/punct/punct-vectors.c), which users bring from elsewhere.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Besides "no crash": a refused file has a message naming it and leaves no row found; an
 * accepted one has a size, and every found row is finite with the asked root mean square while
 * the others stay zero. Seeds: corpus/punct-vectors/ (a GloVe and a fastText file).
 */
#include "punct-private.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <glib/gstdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *const words[] = { "the", "nation", "us", "we", ",", "zebra", NULL, "é" };
#define N_WORDS G_N_ELEMENTS (words)
#define RMS 0.19f

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *path;
  if (!path) {
    char *dir = g_dir_make_tmp ("fuzz-punct-vectors-XXXXXX", NULL);
    g_assert (dir != NULL);
    path = g_build_filename (dir, "vectors.txt", NULL);
    g_free (dir);
  }
  g_assert (g_file_set_contents (path, (const char *) data, (gssize) size, NULL));
  guint dim = 0, n_found = 0;
  guint8 found[N_WORDS];
  GError *error = NULL;
  float *v = punct_file_embeddings (path, words, N_WORDS, RMS, &dim, found, &n_found, &error);
  g_unlink (path);
  if (!v) {
    g_assert (error != NULL && strstr (error->message, path));
    g_error_free (error);
    for (guint i = 0; i < N_WORDS; i++)
      g_assert (!found[i]);
    return 0;
  }
  g_assert (error == NULL && dim > 0);
  guint n = 0;
  for (guint i = 0; i < N_WORDS; i++) {
    double sum = 0;
    for (guint j = 0; j < dim; j++) {
      float x = v[(gsize) i * dim + j];
      g_assert (isfinite (x));
      sum += (double) x * x;
    }
    if (found[i]) {
      /* a row of zeros stays zero: it has no direction to scale */
      g_assert (sum == 0 || fabs (sqrt (sum / dim) - RMS) < 1e-3);
      n++;
    } else
      g_assert (sum == 0);
  }
  g_assert (n == n_found);
  g_free (v);
  return 0;
}
