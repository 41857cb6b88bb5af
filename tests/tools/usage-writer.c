/* gst-stt — test helper: appends usage records with the container's usage log until killed
 * (or until the file size limit given stops it), printing the count of records acknowledged.
 *   usage-writer DIR [LIMIT_BYTES]
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "usage.h"

int
main (int argc, char **argv)
{
  if (argc < 2) {
    fprintf (stderr, "usage: usage-writer DIR [LIMIT_BYTES]\n");
    return 2;
  }
  if (argc > 2) {
    /* a full disk, as far as this process can tell: writes past the limit fail with EFBIG */
    struct rlimit rl = { .rlim_cur = strtoull (argv[2], NULL, 10),
      .rlim_max = RLIM_INFINITY };
    signal (SIGXFSZ, SIG_IGN);
    if (setrlimit (RLIMIT_FSIZE, &rl) != 0) {
      perror ("setrlimit");
      return 2;
    }
  }
  GError *error = NULL;
  SttUsageLog *log = stt_usage_log_open (argv[1], &error);
  if (!log) {
    fprintf (stderr, "%s\n", error->message);
    return 1;
  }
  for (unsigned long n = 1;; n++) {
    if (!stt_usage_log_append (log, "0e1f6d2a-5b7c-4e38-9a41-3c2d8f7b6a01", n * 0.25,
            "/speech/recognition/conversation/cognitiveservices/v1", &error)) {
      printf ("failed after %lu: %s\n", n - 1, error->message);
      fflush (stdout);
      g_error_free (error);
      stt_usage_log_close (log);
      return 3;
    }
    printf ("%lu\n", n);
    fflush (stdout);
  }
}
