/* gst-stt — usage records: a kill -9 in the middle of writing loses no acknowledged record,
 * a torn line is skipped, a full disk leaves no partial record.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "testutil.h"
#include "toolrun.h"
#include "usage.h"

static void
test_append_read (void)
{
  g_autofree char *dir = tr_tmpdir ();
  g_autoptr (GError) error = NULL;
  SttUsageLog *log = stt_usage_log_open (dir, &error);
  g_assert_no_error (error);
  g_assert_true (stt_usage_log_append (log, "model-a", 1.5, "/rest", &error));
  g_assert_true (stt_usage_log_append (log, "model-b", 2.25, "/ws", &error));
  stt_usage_log_close (log);
  g_autofree char *path = g_build_filename (dir, STT_USAGE_FILE_NAME, NULL);
  guint skipped = 9;
  g_autoptr (GPtrArray) recs = stt_usage_read (path, &skipped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recs->len, ==, 2);
  g_assert_cmpuint (skipped, ==, 0);
  SttUsageRecord *b = g_ptr_array_index (recs, 1);
  g_assert_cmpstr (b->model_id, ==, "model-b");
  g_assert_cmpfloat (b->audio_seconds, ==, 2.25);
  g_assert_cmpstr (b->endpoint, ==, "/ws");

  /* an altered record fails its checksum */
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  char *sec = strstr (text, "1.5");
  g_assert_nonnull (sec);
  sec[0] = '9';
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_autoptr (GPtrArray) again = stt_usage_read (path, &skipped, &error);
  g_assert_cmpuint (again->len, ==, 1);
  g_assert_cmpuint (skipped, ==, 1);
  tr_tmpdir_free (g_steal_pointer (&dir));
}

/* Read acknowledged counts from the writer until it has acknowledged at least @n. */
static guint64
wait_acknowledged (GDataInputStream *in, guint64 n)
{
  guint64 last = 0;
  while (last < n) {
    g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
    g_assert_nonnull (line);
    last = g_ascii_strtoull (line, NULL, 10);
  }
  return last;
}

static void
test_kill_9 (void)
{
  g_autofree char *dir = tr_tmpdir ();
  g_autofree char *path = g_build_filename (dir, STT_USAGE_FILE_NAME, NULL);
  const char *argv[] = { tr_bin ("STT_USAGE_WRITER_BIN"), dir, NULL };
  guint64 total_acked = 0;

  for (int round = 0; round < 3; round++) {
    GSubprocess *p = tr_spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    g_autoptr (GDataInputStream) in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p));
    guint64 acked = wait_acknowledged (in, 30 + 17 * round);
    g_subprocess_force_exit (p);        /* SIGKILL while it keeps writing */
    g_subprocess_wait (p, NULL, NULL);
    g_object_unref (p);
    total_acked += acked;

    guint skipped = 0;
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) recs = stt_usage_read (path, &skipped, &error);
    g_assert_no_error (error);
    /* every acknowledged record is there; at most one (unacknowledged) line per kill is torn */
    g_assert_cmpuint (recs->len, >=, total_acked);
    g_assert_cmpuint (skipped, <=, round + 1);
    total_acked = recs->len;
  }

  /* a torn last line (as a crash mid-write leaves) is skipped and the next writer starts clean */
  FILE *f = fopen (path, "a");
  fputs ("{\"time\":\"2026-11-25T16:00:00Z\",\"model\":\"x\",\"audio_sec", f);
  fclose (f);
  guint skipped_before = 0;
  g_autoptr (GPtrArray) before = stt_usage_read (path, &skipped_before, NULL);
  g_autoptr (GError) error = NULL;
  SttUsageLog *log = stt_usage_log_open (dir, &error);
  g_assert_true (stt_usage_log_append (log, "after", 1.0, "/rest", &error));
  stt_usage_log_close (log);
  guint skipped_after = 0;
  g_autoptr (GPtrArray) after = stt_usage_read (path, &skipped_after, NULL);
  g_assert_cmpuint (after->len, ==, before->len + 1);
  g_assert_cmpuint (skipped_after, ==, skipped_before);
  SttUsageRecord *last = g_ptr_array_index (after, after->len - 1);
  g_assert_cmpstr (last->model_id, ==, "after");
  tr_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_disk_full (void)
{
  g_autofree char *dir = tr_tmpdir ();
  g_autofree char *path = g_build_filename (dir, STT_USAGE_FILE_NAME, NULL);
  /* room for a few records, then every write fails (EFBIG, partially written at the limit) */
  const char *argv[] = { tr_bin ("STT_USAGE_WRITER_BIN"), dir, "1000", NULL };
  GSubprocess *p = tr_spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *out = NULL;
  g_assert_true (g_subprocess_communicate_utf8 (p, NULL, NULL, &out, NULL, NULL));
  g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 3);
  g_object_unref (p);
  const char *failed = strstr (out, "failed after ");
  g_assert_nonnull (failed);
  guint64 acked = g_ascii_strtoull (failed + strlen ("failed after "), NULL, 10);
  g_assert_cmpuint (acked, >, 0);
  g_assert_nonnull (strstr (failed, "usage"));

  guint skipped = 9;
  g_autoptr (GPtrArray) recs = stt_usage_read (path, &skipped, NULL);
  g_assert_cmpuint (recs->len, ==, acked);
  g_assert_cmpuint (skipped, ==, 0);    /* the failed record was cut off again */
  tr_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/usage/append-read", test_append_read);
  g_test_add_func ("/usage/kill-9", test_kill_9);
  g_test_add_func ("/usage/disk-full", test_disk_full);
  return g_test_run ();
}
