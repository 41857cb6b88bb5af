/* gst-stt — usage records: one line per finished request, appended durably to Mounts:Output.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * File <output>/usage.jsonl, one record per line:
 *   {"time":"<ISO 8601 UTC>","model":"<id>","audio_seconds":1.25,"endpoint":"...","pid":N} <crc>
 * where <crc> is the first 16 hex digits of the sha256 of the JSON text before the space. Each
 * record is written with one write() and fsync()ed before stt_usage_log_append returns, so a
 * record the caller was told about survives a crash. A failed or short write is cut off again
 * (ftruncate to the previous size); a line torn by a crash (no newline, or a checksum that does
 * not match) is skipped by the reader, and the next writer starts on a fresh line.
 *
 * Thread-safety: stt_usage_log_append may be called from any thread (serialised inside).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define STT_USAGE_FILE_NAME "usage.jsonl"

typedef struct _SttUsageLog SttUsageLog;

/* Open (creating @dir and the file when missing) the usage file in @dir. */
SttUsageLog *stt_usage_log_open (const char *dir, GError **error);
const char *stt_usage_log_get_path (const SttUsageLog *log);
gboolean stt_usage_log_append (SttUsageLog *log, const char *model_id, double audio_seconds,
    const char *endpoint, GError **error);
void stt_usage_log_close (SttUsageLog *log);

typedef struct {
  char *time;
  char *model_id;
  char *endpoint;
  double audio_seconds;
} SttUsageRecord;

/* Every intact record of file @path, in order (a GPtrArray of SttUsageRecord, freeing its
 * elements). @n_skipped (may be NULL) receives the number of torn or altered lines skipped. */
GPtrArray *stt_usage_read (const char *path, guint *n_skipped, GError **error);
/* The same for the file's bytes @text (@length bytes, need not be NUL-terminated). */
GPtrArray *stt_usage_parse (const char *text, gsize length, guint *n_skipped);

G_END_DECLS
