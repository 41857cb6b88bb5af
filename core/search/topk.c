/* gst-stt — top-K lists of distinct hypotheses (shared by the decoder's and the rescorer's
 * N-best searches).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "stt/topk.h"

#include <string.h>

static double
score_of (gconstpointer entry, gsize offset)
{
  double s;
  memcpy (&s, (const char *) entry + offset, sizeof s);
  return s;
}

static guint64
hash_of (gconstpointer entry, gsize offset)
{
  guint64 h;
  memcpy (&h, (const char *) entry + offset, sizeof h);
  return h;
}

static gconstpointer
entry_at (GArray *entries, gint32 index)
{
  return entries->data + (gsize) index * g_array_get_element_size (entries);
}

void
stt_topk_insert (GArray *entries, gint32 *list, guint k, gconstpointer entry,
    gsize score_offset, gsize hash_offset)
{
  double score = score_of (entry, score_offset);
  guint64 hash = hash_of (entry, hash_offset);
  guint n = 0;
  while (n < k && list[n] >= 0)
    n++;
  for (guint i = 0; i < n; i++) {
    gconstpointer o = entry_at (entries, list[i]);
    if (hash_of (o, hash_offset) == hash) {
      if (score_of (o, score_offset) >= score)
        return;
      memmove (list + i, list + i + 1, (n - i - 1) * sizeof (gint32));
      n--;
      break;
    }
  }
  guint pos = n;
  while (pos > 0 && score_of (entry_at (entries, list[pos - 1]), score_offset) < score)
    pos--;
  if (pos >= k)
    return;
  if (n == k)
    n--;
  memmove (list + pos + 1, list + pos, (n - pos) * sizeof (gint32));
  list[pos] = entries->len;
  g_array_append_vals (entries, entry, 1);
}
