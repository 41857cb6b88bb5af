/* gst-stt — reads an "stt-lattice-1" word lattice (docs/lattice.md) into memory.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The reader is strict: every record is checked (counts, ids, frame ranges, numbers) and a
 * problem is reported with its line, so a damaged lattice is refused rather than rescored.
 */
#include "rescore-private.h"

#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (stt-rescore-error-quark, stt_rescore_error)

typedef struct {
  char **lines;
  guint n, pos;
  GError **error;
} Reader;

static gboolean
fail (Reader *r, const char *what)
{
  g_set_error (r->error, STT_RESCORE_ERROR, STT_RESCORE_ERROR_LATTICE,
      "stt-lattice-1, line %u: %s; the lattice is not rescored (it must be the unmodified "
      "output of sttdecoder, docs/lattice.md)", MAX (r->pos, 1), what);
  return FALSE;
}

static const char *
next_line (Reader *r)
{
  return r->pos < r->n ? r->lines[r->pos++] : NULL;
}

static gboolean
parse_int (const char *s, gint64 min, gint64 max, gint64 *out)
{
  char *end;
  if (!s || !*s)
    return FALSE;
  gint64 v = g_ascii_strtoll (s, &end, 10);
  if (*end || v < min || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
parse_double (const char *s, double *out)
{
  char *end;
  if (!s || !*s)
    return FALSE;
  *out = g_ascii_strtod (s, &end);
  return !*end && isfinite (*out);
}

/* "<key> <value>" with an integer value in [min, max]. */
static gboolean
read_int_field (Reader *r, const char *key, gint64 min, gint64 max, gint64 *out)
{
  const char *line = next_line (r);
  gsize kl = strlen (key);
  if (!line || strncmp (line, key, kl) != 0 || line[kl] != ' ' ||
      !parse_int (line + kl + 1, min, max, out)) {
    char *m = g_strdup_printf ("expected \"%s <integer %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT
        ">\"", key, min, max);
    fail (r, m);
    g_free (m);
    return FALSE;
  }
  return TRUE;
}

static gboolean
read_double_field (Reader *r, const char *key, double *out)
{
  const char *line = next_line (r);
  gsize kl = strlen (key);
  if (!line || strncmp (line, key, kl) != 0 || line[kl] != ' ' ||
      !parse_double (line + kl + 1, out)) {
    char *m = g_strdup_printf ("expected \"%s <number>\"", key);
    fail (r, m);
    g_free (m);
    return FALSE;
  }
  return TRUE;
}

static gboolean
read_node (Reader *r, RescoreLattice *l, guint i)
{
  const char *line = next_line (r);
  char **f = line ? g_strsplit (line, " ", -1) : NULL;
  gint64 id, start, end, filler;
  double post;
  LatNode *n = &l->nodes[i];
  gboolean ok = f && g_strv_length (f) == 7 && parse_int (f[0], i, i, &id) && *f[1] &&
      parse_int (f[2], 0, l->n_frames - 1, &start) &&
      parse_int (f[3], start, l->n_frames - 1, &end) && parse_double (f[4], &n->ascr) &&
      parse_double (f[5], &post) && parse_int (f[6], 0, 1, &filler);
  if (ok) {
    n->word = g_string_chunk_insert_const (l->strings, f[1]);
    n->start = start;
    n->end = end;
    n->filler = filler;
  }
  g_strfreev (f);
  if (!ok) {
    char *m = g_strdup_printf ("node %u: expected \"%u <word> <start> <end> <ascr> "
        "<posterior> <0|1>\" with 0 <= start <= end < %d", i, i, l->n_frames);
    fail (r, m);
    g_free (m);
  }
  return ok;
}

static gboolean
read_edge (Reader *r, RescoreLattice *l, guint i)
{
  const char *line = next_line (r);
  char **f = line ? g_strsplit (line, " ", -1) : NULL;
  gint64 a, b;
  gint64 last = (gint64) l->n_nodes - 1;
  gboolean ok = f && g_strv_length (f) == 2 && parse_int (f[0], 0, last, &a) &&
      parse_int (f[1], 0, last, &b) && l->nodes[a].end + 1 == l->nodes[b].start;
  g_strfreev (f);
  if (!ok) {
    char *m = g_strdup_printf ("edge %u: expected \"<from> <to>\", node ids below %u, the "
        "second starting the frame after the first ends", i, l->n_nodes);
    fail (r, m);
    g_free (m);
    return FALSE;
  }
  LatNode *to = &l->nodes[b];
  if (to->n_pred == to->cap_pred) {
    to->cap_pred = MAX (4, to->cap_pred * 2);
    to->pred = g_renew (guint32, to->pred, to->cap_pred);
  }
  to->pred[to->n_pred++] = a;
  return TRUE;
}

/* "start ..." / "final ...": sets @flag on the listed nodes. */
static gboolean
read_node_list (Reader *r, RescoreLattice *l, const char *key, gboolean final)
{
  const char *line = next_line (r);
  gsize kl = strlen (key);
  if (!line || strncmp (line, key, kl) != 0 || (line[kl] != ' ' && line[kl] != '\0')) {
    char *m = g_strdup_printf ("expected \"%s <node id> ...\"", key);
    fail (r, m);
    g_free (m);
    return FALSE;
  }
  char **f = g_strsplit (line + kl, " ", -1);
  gboolean ok = TRUE;
  for (char **p = f; *p && ok; p++) {
    gint64 id;
    if (!**p)
      continue;
    ok = parse_int (*p, 0, (gint64) l->n_nodes - 1, &id);
    if (ok && final)
      l->nodes[id].is_final = TRUE;
    else if (ok)
      l->nodes[id].is_start = TRUE;
  }
  g_strfreev (f);
  if (!ok) {
    char *m = g_strdup_printf ("\"%s\" lists a node id not below the node count %u", key,
        l->n_nodes);
    fail (r, m);
    g_free (m);
  }
  return ok;
}

static gint
start_cmp (gconstpointer a, gconstpointer b, gpointer data)
{
  const LatNode *nodes = data;
  const LatNode *x = &nodes[*(const guint32 *) a], *y = &nodes[*(const guint32 *) b];
  return x->start != y->start ? (x->start < y->start ? -1 : 1) : 0;
}

static gboolean
read_body (Reader *r, RescoreLattice *l)
{
  gint64 v;
  const char *magic = next_line (r);
  if (!magic || strcmp (magic, "stt-lattice-1") != 0)
    return fail (r, "expected the format line \"stt-lattice-1\"");
  if (!read_int_field (r, "first-frame", 0, G_MAXINT64 / 2, &l->first_frame))
    return FALSE;
  if (!read_int_field (r, "frames", 1, G_MAXINT32, &v))
    return FALSE;
  l->n_frames = v;
  if (!read_int_field (r, "frame-rate", 1, 100000, &v))
    return FALSE;
  l->frame_rate = v;
  if (!read_double_field (r, "lm-weight", &l->lm_weight) ||
      !read_double_field (r, "wip", &l->wip))
    return FALSE;
  if (!read_int_field (r, "nodes", 0, 10000000, &v))
    return FALSE;
  if (v > r->n - r->pos)
    return fail (r, "the node count is larger than the lines that follow");
  l->n_nodes = v;
  l->nodes = g_new0 (LatNode, MAX (l->n_nodes, 1));
  for (guint i = 0; i < l->n_nodes; i++) {
    if (!read_node (r, l, i))
      return FALSE;
  }
  if (!read_int_field (r, "edges", 0, 100000000, &v))
    return FALSE;
  if (v > r->n - r->pos)
    return fail (r, "the edge count is larger than the lines that follow");
  for (guint i = 0; i < v; i++) {
    if (!read_edge (r, l, i))
      return FALSE;
  }
  if (!read_node_list (r, l, "start", FALSE) || !read_node_list (r, l, "final", TRUE))
    return FALSE;
  while (r->pos < r->n && !*r->lines[r->pos])
    r->pos++;
  if (r->pos < r->n)
    return fail (r, "unexpected text after the \"final\" line");
  return TRUE;
}

RescoreLattice *
rescore_lattice_parse (GBytes *bytes, GError **error)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  RescoreLattice *l = g_new0 (RescoreLattice, 1);
  l->strings = g_string_chunk_new (4096);
  char *text = g_strndup (data ? data : "", len);
  Reader r = { g_strsplit (text, "\n", -1), 0, 0, error };
  g_free (text);
  r.n = g_strv_length (r.lines);
  gboolean ok = len == 0 || !memchr (data, 0, len) ? read_body (&r, l)
      : fail (&r, "the lattice contains a NUL byte");
  g_strfreev (r.lines);
  if (!ok) {
    rescore_lattice_free (l);
    return NULL;
  }
  l->order = g_new (guint32, l->n_nodes);
  for (guint i = 0; i < l->n_nodes; i++)
    l->order[i] = i;
  g_qsort_with_data (l->order, l->n_nodes, sizeof (guint32), start_cmp, l->nodes);
  return l;
}

void
rescore_lattice_free (RescoreLattice *l)
{
  if (!l)
    return;
  for (guint i = 0; i < l->n_nodes; i++)
    g_free (l->nodes[i].pred);
  g_free (l->nodes);
  g_free (l->order);
  g_string_chunk_free (l->strings);
  g_free (l);
}

gint64
rescore_lattice_get_first_frame (const RescoreLattice *l)
{
  return l->first_frame;
}

guint
rescore_lattice_get_frame_rate (const RescoreLattice *l)
{
  return l->frame_rate;
}

gboolean
rescore_lattice_acoustic_per_frame (const RescoreLattice *l, const RescoreSpan *words,
    guint n, double *per_frame)
{
  double sum = 0;
  gint64 frames = 0;
  for (guint i = 0; i < n; i++) {
    for (guint k = 0; k < l->n_nodes; k++) {
      const LatNode *x = &l->nodes[k];
      if (!x->filler && x->start == words[i].start && x->end == words[i].end &&
          strcmp (x->word, words[i].word) == 0) {
        sum += x->ascr;
        frames += x->end - x->start + 1;
        break;
      }
    }
  }
  if (frames == 0)
    return FALSE;
  *per_frame = sum / frames;
  return TRUE;
}
