/* gst-stt — durable, checksummed usage records (append, fsync; torn lines are skipped).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stt/json.h>
#include "usage.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#define CRC_DIGITS 16

struct _SttUsageLog {
  GMutex lock;
  int fd;
  char *path;
};

static gboolean
fail_errno (GError **error, const char *what, const char *path)
{
  int e = errno;
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s %s: %s", what, path,
      g_strerror (e));
  return FALSE;
}

/* Make the file's directory entry durable too (a new file is lost on crash otherwise). */
static void
sync_dir (const char *dir)
{
  int dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync (dfd);
    close (dfd);
  }
}

SttUsageLog *
stt_usage_log_open (const char *dir, GError **error)
{
  if (g_mkdir_with_parents (dir, 0755) != 0) {
    fail_errno (error, "cannot create the output folder (Mounts:Output)", dir);
    return NULL;
  }
  g_autofree char *path = g_build_filename (dir, STT_USAGE_FILE_NAME, NULL);
  int fd = open (path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    fail_errno (error, "cannot open the usage file", path);
    return NULL;
  }
  sync_dir (dir);
  /* A previous run may have been killed in the middle of a line: end that line so the next
   * record starts clean (the reader skips the torn one by its checksum). */
  struct stat st;
  char last = '\n';
  if (fstat (fd, &st) == 0 && st.st_size > 0 && pread (fd, &last, 1, st.st_size - 1) == 1
      && last != '\n') {
    if (write (fd, "\n", 1) != 1 || fsync (fd) != 0) {
      fail_errno (error, "cannot write to the usage file", path);
      close (fd);
      return NULL;
    }
  }
  SttUsageLog *log = g_new0 (SttUsageLog, 1);
  g_mutex_init (&log->lock);
  log->fd = fd;
  log->path = g_steal_pointer (&path);
  return log;
}

const char *
stt_usage_log_get_path (const SttUsageLog *log)
{
  return log->path;
}

static char *
record_line (const char *model_id, double audio_seconds, const char *endpoint)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = g_date_time_format_iso8601 (now);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "time");
  json_builder_add_string_value (b, time);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, model_id ? model_id : "");
  json_builder_set_member_name (b, "audio_seconds");
  json_builder_add_double_value (b, audio_seconds);
  json_builder_set_member_name (b, "endpoint");
  json_builder_add_string_value (b, endpoint ? endpoint : "");
  json_builder_set_member_name (b, "pid");
  json_builder_add_int_value (b, getpid ());
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *json = json_to_string (root, FALSE);
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);
  return g_strdup_printf ("%s %.*s\n", json, CRC_DIGITS, sum);
}

gboolean
stt_usage_log_append (SttUsageLog *log, const char *model_id, double audio_seconds,
    const char *endpoint, GError **error)
{
  g_autofree char *line = record_line (model_id, audio_seconds, endpoint);
  size_t len = strlen (line);
  gboolean ok = TRUE;

  g_mutex_lock (&log->lock);
  struct stat st;
  if (fstat (log->fd, &st) != 0) {
    ok = fail_errno (error, "cannot stat the usage file", log->path);
  } else {
    ssize_t n = write (log->fd, line, len);
    if (n != (ssize_t) len || fsync (log->fd) != 0) {
      if (n >= 0 && n != (ssize_t) len)
        errno = ENOSPC;
      ok = fail_errno (error, "cannot record usage in", log->path);
      /* leave no partial record behind (disk full, file size limit, I/O error) */
      if (ftruncate (log->fd, st.st_size) == 0)
        fsync (log->fd);
    }
  }
  g_mutex_unlock (&log->lock);
  return ok;
}

void
stt_usage_log_close (SttUsageLog *log)
{
  if (!log)
    return;
  close (log->fd);
  g_mutex_clear (&log->lock);
  g_free (log->path);
  g_free (log);
}

static void
record_free (gpointer p)
{
  SttUsageRecord *r = p;
  g_free (r->time);
  g_free (r->model_id);
  g_free (r->endpoint);
  g_free (r);
}

/* One line's record, or NULL when the line is torn or altered. */
static SttUsageRecord *
parse_line (const char *line)
{
  const char *space = strrchr (line, ' ');
  if (!space || strlen (space + 1) != CRC_DIGITS)
    return NULL;
  g_autofree char *json = g_strndup (line, space - line);
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);
  if (strncmp (sum, space + 1, CRC_DIGITS) != 0)
    return NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  JsonNode *root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  JsonObject *o = json_node_get_object (root);
  SttUsageRecord *r = g_new0 (SttUsageRecord, 1);
  r->time = g_strdup (stt_json_string (o, "time", ""));
  r->model_id = g_strdup (stt_json_string (o, "model", ""));
  r->endpoint = g_strdup (stt_json_string (o, "endpoint", ""));
  r->audio_seconds = json_object_get_double_member_with_default (o, "audio_seconds", 0);
  return r;
}

GPtrArray *
stt_usage_read (const char *path, guint *n_skipped, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  return stt_usage_parse (text, len, n_skipped);
}

GPtrArray *
stt_usage_parse (const char *text, gsize len, guint *n_skipped)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (record_free);
  guint skipped = 0;
  const char *p = text, *end = text + len;
  while (p < end) {
    const char *nl = memchr (p, '\n', end - p);
    if (!nl) {                  /* torn last line: never acknowledged to anyone */
      skipped++;
      break;
    }
    if (nl > p) {
      g_autofree char *line = g_strndup (p, nl - p);
      SttUsageRecord *r = parse_line (line);
      if (r)
        g_ptr_array_add (records, r);
      else
        skipped++;
    }
    p = nl + 1;
  }
  if (n_skipped)
    *n_skipped = skipped;
  return records;
}
