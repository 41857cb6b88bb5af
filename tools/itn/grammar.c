/* gst-stt — the ITN grammar compiler: parser, fragment construction, epsilon removal, output.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every expression becomes a fragment with one start and one final state (Thompson
 * construction). A rule's fragment occupies a contiguous range of states, so a reference to a
 * rule is a copy of that range. Only `main` is written: the states it reaches are kept, pure
 * epsilon arcs are removed (with their weights pushed into the arcs that follow), dead states
 * are trimmed and identical states merged.
 */
#include "grammar.h"
#include "itn-fst.h"
#include "stt/itn.h"

#include <math.h>
#include <string.h>

#define MAX_STATES 4000000
#define MAX_DET_STATES 500000

typedef struct {
  guint32 i, o;
  double w;
  guint32 next;
} BArc;

typedef struct {
  GArray *arcs;                 /* BArc */
  double final;
} BState;

typedef struct {
  guint32 start, final, lo, hi;
} Frag;

typedef struct {
  Frag frag;
  guint32 marker;               /* output label of its class marker, 0 when not a class */
} Rule;

typedef struct {
  const char *src, *name, *dir;
  gsize pos;
  int line, col;
} Lexer;

typedef struct {
  GArray *states;               /* BState */
  GHashTable *isym_ids, *osym_ids;
  GPtrArray *isyms, *osyms;
  GByteArray *okind;
  GHashTable *rules;            /* name -> Rule */
  guint n_classes;
  Lexer lx;
  int depth;
  GError **error;
} Compiler;

/* ---- errors and lexing ------------------------------------------------------------------- */

static gboolean
syntax_error (Compiler *c, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gboolean
syntax_error (Compiler *c, const char *fmt, ...)
{
  if (c->error && *c->error)
    return FALSE;
  va_list ap;
  va_start (ap, fmt);
  char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (c->error, STT_ITN_ERROR, STT_ITN_ERROR_GRAMMAR, "%s:%d:%d: %s", c->lx.name,
      c->lx.line, c->lx.col, msg);
  g_free (msg);
  return FALSE;
}

static char
peek_char (Compiler *c)
{
  return c->lx.src[c->lx.pos];
}

static void
advance (Compiler *c)
{
  if (c->lx.src[c->lx.pos] == '\n') {
    c->lx.line++;
    c->lx.col = 1;
  } else {
    c->lx.col++;
  }
  c->lx.pos++;
}

static void
skip_space (Compiler *c)
{
  for (;;) {
    char ch = peek_char (c);
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
      advance (c);
    } else if (ch == '#') {
      while (peek_char (c) && peek_char (c) != '\n')
        advance (c);
    } else {
      return;
    }
  }
}

/* The next significant character, without consuming it. */
static char
peek (Compiler *c)
{
  skip_space (c);
  return peek_char (c);
}

static gboolean
expect (Compiler *c, char ch, const char *context)
{
  char got = peek (c);
  if (got != ch) {
    if (got)
      return syntax_error (c, "expected '%c' %s, found '%c'", ch, context, got);
    return syntax_error (c, "expected '%c' %s, found the end of the file", ch, context);
  }
  advance (c);
  return TRUE;
}

static gboolean
is_name_char (char ch, gboolean first)
{
  return g_ascii_isalpha (ch) || ch == '_' || (!first && g_ascii_isdigit (ch));
}

static char *
read_name (Compiler *c)
{
  gsize start = c->lx.pos;
  while (is_name_char (peek_char (c), c->lx.pos == start))
    advance (c);
  return g_strndup (c->lx.src + start, c->lx.pos - start);
}

/* A "..." string with \" \\ \n \t escapes; the opening quote is next. */
static char *
read_string (Compiler *c)
{
  advance (c);
  GString *s = g_string_new (NULL);
  for (;;) {
    char ch = peek_char (c);
    if (ch == '\0' || ch == '\n') {
      syntax_error (c, "unterminated string (close it with '\"' on the same line)");
      g_string_free (s, TRUE);
      return NULL;
    }
    advance (c);
    if (ch == '"')
      break;
    if (ch == '\\') {
      char e = peek_char (c);
      if (e != '"' && e != '\\' && e != 'n' && e != 't') {
        syntax_error (c, "unknown escape '\\%c' (use \\\" \\\\ \\n or \\t)", e ? e : ' ');
        g_string_free (s, TRUE);
        return NULL;
      }
      advance (c);
      ch = e == 'n' ? '\n' : e == 't' ? '\t' : e;
    }
    g_string_append_c (s, ch);
  }
  if (!g_utf8_validate (s->str, s->len, NULL)) {
    syntax_error (c, "string is not valid UTF-8");
    g_string_free (s, TRUE);
    return NULL;
  }
  return g_string_free (s, FALSE);
}

/* ---- the transducer under construction --------------------------------------------------- */

static guint32
new_state (Compiler *c)
{
  BState s = { g_array_new (FALSE, FALSE, sizeof (BArc)), INFINITY };
  g_array_append_val (c->states, s);
  return c->states->len - 1;
}

static void
add_arc (Compiler *c, guint32 from, guint32 i, guint32 o, double w, guint32 to)
{
  BArc a = { i, o, w, to };
  g_array_append_val (g_array_index (c->states, BState, from).arcs, a);
}

static guint32
symbol (GHashTable *ids, GPtrArray *syms, const char *key, const char *text)
{
  gpointer v;
  if (g_hash_table_lookup_extended (ids, key, NULL, &v))
    return GPOINTER_TO_UINT (v);
  guint32 id = syms->len;
  g_ptr_array_add (syms, g_strdup (text));
  g_hash_table_insert (ids, g_strdup (key), GUINT_TO_POINTER (id));
  return id;
}

static guint32
isym (Compiler *c, const char *word)
{
  return symbol (c->isym_ids, c->isyms, word, word);
}

static guint32
osym (Compiler *c, const char *text, guint8 kind)
{
  if (!*text && kind == STT_WFST_OSYM_TEXT)
    return STT_WFST_EPS;
  char *key = g_strdup_printf ("%c%s", '0' + kind, text);
  guint32 before = c->osyms->len;
  guint32 id = symbol (c->osym_ids, c->osyms, key, text);
  if (id == before)
    g_byte_array_append (c->okind, &kind, 1);
  g_free (key);
  return id;
}

static Frag
frag_begin (Compiler *c)
{
  Frag f;
  f.lo = c->states->len;
  f.start = new_state (c);
  return f;
}

static void
frag_end (Compiler *c, Frag *f, guint32 final)
{
  f->final = final;
  f->hi = c->states->len;
}

/* A chain of arcs: @words (space separated) in, @out on the first arc (or, with @identity,
 * each word to itself with spaces between). */
static Frag
frag_words (Compiler *c, const char *words, const char *out, gboolean identity)
{
  Frag f = frag_begin (c);
  char **v = g_strsplit (words, " ", -1);
  guint32 s = f.start;
  gboolean first = TRUE;
  for (char **w = v; *w; w++) {
    if (!**w)
      continue;
    guint32 t = new_state (c), o;
    if (identity) {
      char *piece = first ? g_strdup (*w) : g_strconcat (" ", *w, NULL);
      o = osym (c, piece, STT_WFST_OSYM_TEXT);
      g_free (piece);
    } else {
      o = first && out ? osym (c, out, STT_WFST_OSYM_TEXT) : STT_WFST_EPS;
    }
    add_arc (c, s, isym (c, *w), o, 0, t);
    s = t;
    first = FALSE;
  }
  if (first) {                  /* no input words: an insertion (or nothing) */
    guint32 t = new_state (c);
    add_arc (c, s, STT_WFST_EPS, out && !identity ? osym (c, out, STT_WFST_OSYM_TEXT)
        : STT_WFST_EPS, 0, t);
    s = t;
  }
  g_strfreev (v);
  frag_end (c, &f, s);
  return f;
}

static Frag
frag_copy (Compiler *c, const Frag *src)
{
  guint32 delta = c->states->len - src->lo;
  for (guint32 s = src->lo; s < src->hi; s++) {
    guint32 t = new_state (c);
    GArray *from = g_array_index (c->states, BState, s).arcs;
    for (guint k = 0; k < from->len; k++) {
      BArc a = g_array_index (from, BArc, k);
      add_arc (c, t, a.i, a.o, a.w, a.next + delta);
    }
  }
  Frag f = { src->start + delta, src->final + delta, src->lo + delta, src->hi + delta };
  return f;
}

/* ---- parser ------------------------------------------------------------------------------ */

static gboolean parse_union (Compiler *c, Frag *out);

static gboolean
parse_reference (Compiler *c, Frag *out)
{
  int line = c->lx.line, col = c->lx.col;
  char *name = read_name (c);
  gboolean ok = TRUE;
  if (strcmp (name, "ANY") == 0) {
    *out = frag_begin (c);
    guint32 t = new_state (c);
    add_arc (c, out->start, STT_WFST_ANY, STT_WFST_ANY, 0, t);
    frag_end (c, out, t);
  } else {
    Rule *r = g_hash_table_lookup (c->rules, name);
    if (!r) {
      c->lx.line = line;
      c->lx.col = col;
      ok = syntax_error (c, "'%s' is not defined (define a rule before using it)", name);
    } else if (r->marker) {
      *out = frag_begin (c);
      Frag body = frag_copy (c, &r->frag);
      add_arc (c, out->start, STT_WFST_EPS, r->marker, 0, body.start);
      frag_end (c, out, body.final);
    } else {
      *out = frag_copy (c, &r->frag);
    }
  }
  g_free (name);
  return ok;
}

/* "in" | "in":"out" | "in": | :"out" */
static gboolean
parse_string_atom (Compiler *c, Frag *out)
{
  char *in = NULL, *o = NULL;
  if (peek_char (c) == '"' && !(in = read_string (c)))
    return FALSE;
  gboolean mapped = FALSE;
  if (peek (c) == ':') {
    advance (c);
    mapped = TRUE;
    if (peek (c) == '"' && !(o = read_string (c))) {
      g_free (in);
      return FALSE;
    }
    if (!in && !o) {
      g_free (in);
      return syntax_error (c, "':' must be followed by a string (\"written\")");
    }
  }
  *out = frag_words (c, in ? in : "", o ? o : "", !mapped);
  g_free (in);
  g_free (o);
  return TRUE;
}

static gboolean
parse_atom (Compiler *c, Frag *out)
{
  char ch = peek (c);
  if (ch == '"' || ch == ':')
    return parse_string_atom (c, out);
  if (ch == '(') {
    advance (c);
    return parse_union (c, out) && expect (c, ')', "to close '('");
  }
  if (is_name_char (ch, TRUE))
    return parse_reference (c, out);
  if (!ch)
    return syntax_error (c, "unexpected end of the file in an expression (missing ';'?)");
  return syntax_error (c, "unexpected '%c': expected a string, a rule name, ANY or '('", ch);
}

static gboolean
parse_weight (Compiler *c, double *w)
{
  advance (c);
  skip_space (c);
  const char *p = c->lx.src + c->lx.pos;
  char *end;
  *w = g_ascii_strtod (p, &end);
  if (end == p || !isfinite (*w) || *w < 0)
    return syntax_error (c, "a weight is a number >= 0 in angle brackets, like <0.5>");
  while (c->lx.src + c->lx.pos < end)
    advance (c);
  return expect (c, '>', "to close the weight");
}

/* expr -> "written": the words @out accepts, written as one string (its own output dropped). */
static gboolean
parse_rewrite (Compiler *c, Frag *out)
{
  advance (c);
  advance (c);
  if (peek (c) != '"')
    return syntax_error (c, "'->' must be followed by a string (\"written\")");
  char *text = read_string (c);
  if (!text)
    return FALSE;
  for (guint32 s = out->lo; s < out->hi; s++) {
    GArray *arcs = g_array_index (c->states, BState, s).arcs;
    for (guint k = 0; k < arcs->len; k++)
      g_array_index (arcs, BArc, k).o = STT_WFST_EPS;
  }
  Frag f = frag_begin (c);
  add_arc (c, f.start, STT_WFST_EPS, osym (c, text, STT_WFST_OSYM_TEXT), 0, out->start);
  frag_end (c, &f, out->final);
  f.lo = out->lo;
  *out = f;
  g_free (text);
  return TRUE;
}

/* atom followed by any of * + ? <weight> -> "written" */
static gboolean
parse_postfix (Compiler *c, Frag *out)
{
  if (!parse_atom (c, out))
    return FALSE;
  for (;;) {
    char ch = peek (c);
    if (ch == '-' && c->lx.src[c->lx.pos + 1] == '>') {
      if (!parse_rewrite (c, out))
        return FALSE;
      continue;
    }
    if (ch != '*' && ch != '+' && ch != '?' && ch != '<')
      return TRUE;
    double w = 0;
    if (ch == '<') {
      if (!parse_weight (c, &w))
        return FALSE;
    } else {
      advance (c);
    }
    Frag a = *out, f = frag_begin (c);
    guint32 fin = new_state (c);
    add_arc (c, f.start, STT_WFST_EPS, STT_WFST_EPS, w, a.start);
    add_arc (c, a.final, STT_WFST_EPS, STT_WFST_EPS, 0, fin);
    if (ch == '*' || ch == '+')
      add_arc (c, a.final, STT_WFST_EPS, STT_WFST_EPS, 0, a.start);
    if (ch == '*' || ch == '?')
      add_arc (c, f.start, STT_WFST_EPS, STT_WFST_EPS, 0, fin);
    frag_end (c, &f, fin);
    f.lo = a.lo;
    *out = f;
  }
}

static gboolean
starts_atom (char ch)
{
  return ch == '"' || ch == ':' || ch == '(' || is_name_char (ch, TRUE);
}

static gboolean
parse_concat (Compiler *c, Frag *out)
{
  if (!parse_postfix (c, out))
    return FALSE;
  while (starts_atom (peek (c))) {
    Frag b;
    if (!parse_postfix (c, &b))
      return FALSE;
    add_arc (c, out->final, STT_WFST_EPS, STT_WFST_EPS, 0, b.start);
    out->final = b.final;
    out->hi = b.hi;
  }
  return TRUE;
}

static gboolean
parse_union (Compiler *c, Frag *out)
{
  guint32 lo = c->states->len;
  if (!parse_concat (c, out))
    return FALSE;
  if (peek (c) != '|')
    return TRUE;
  guint32 start = new_state (c), fin = new_state (c);
  add_arc (c, start, STT_WFST_EPS, STT_WFST_EPS, 0, out->start);
  add_arc (c, out->final, STT_WFST_EPS, STT_WFST_EPS, 0, fin);
  while (peek (c) == '|') {
    advance (c);
    Frag b;
    if (!parse_concat (c, &b))
      return FALSE;
    add_arc (c, start, STT_WFST_EPS, STT_WFST_EPS, 0, b.start);
    add_arc (c, b.final, STT_WFST_EPS, STT_WFST_EPS, 0, fin);
  }
  Frag f = { start, fin, lo, c->states->len };
  *out = f;
  return TRUE;
}

static gboolean compile_source (Compiler *c, const char *source, const char *name,
    const char *dir);

static gboolean
parse_include (Compiler *c)
{
  if (peek (c) != '"')
    return syntax_error (c, "include takes a file name in quotes: include \"numbers.grm\";");
  char *file = read_string (c);
  if (!file || !expect (c, ';', "after the include"))
    return g_free (file), FALSE;
  char *path = g_path_is_absolute (file) ? g_strdup (file)
      : g_build_filename (c->lx.dir, file, NULL);
  char *text = NULL;
  GError *err = NULL;
  gboolean ok;
  if (c->depth >= 16) {
    ok = syntax_error (c, "includes nested more than 16 deep (an include cycle?)");
  } else if (!g_file_get_contents (path, &text, NULL, &err)) {
    ok = syntax_error (c, "cannot include \"%s\": %s", file, err->message);
    g_error_free (err);
  } else {
    Lexer saved = c->lx;
    char *dir = g_path_get_dirname (path);
    c->depth++;
    ok = compile_source (c, text, path, dir);
    c->depth--;
    g_free (dir);
    c->lx = saved;
  }
  g_free (text);
  g_free (path);
  g_free (file);
  return ok;
}

/* [class] name = expression ;   |   include "file" ; */
static gboolean
parse_statement (Compiler *c)
{
  if (!is_name_char (peek (c), TRUE))
    return syntax_error (c, "expected a rule (name = expression;), found '%c'", peek (c));
  int line = c->lx.line, col = c->lx.col;
  char *name = read_name (c);
  if (strcmp (name, "include") == 0) {
    g_free (name);
    return parse_include (c);
  }
  gboolean is_class = strcmp (name, "class") == 0;
  if (is_class) {
    g_free (name);
    if (!is_name_char (peek (c), TRUE))
      return syntax_error (c, "expected the class's name after 'class'");
    line = c->lx.line;
    col = c->lx.col;
    name = read_name (c);
  }
  gboolean ok = TRUE;
  if (strcmp (name, "ANY") == 0 || g_hash_table_contains (c->rules, name)) {
    c->lx.line = line;
    c->lx.col = col;
    ok = syntax_error (c, "'%s' is already defined (give this rule another name)", name);
  }
  Frag f;
  if (ok)
    ok = expect (c, '=', "after the rule's name") && parse_union (c, &f)
        && expect (c, ';', "at the end of the rule");
  if (ok && c->states->len > MAX_STATES)
    ok = syntax_error (c, "the grammar is too large (over %u states once rules are copied "
        "into their uses); split rules that are used in many places", MAX_STATES);
  if (ok) {
    Rule *r = g_new0 (Rule, 1);
    r->frag = f;
    if (is_class) {
      r->marker = osym (c, name, STT_WFST_OSYM_CLASS);
      c->n_classes++;
    }
    g_hash_table_insert (c->rules, name, r);
  } else {
    g_free (name);
  }
  return ok;
}

static gboolean
compile_source (Compiler *c, const char *source, const char *name, const char *dir)
{
  Lexer lx = { source, name, dir, 0, 1, 1 };
  c->lx = lx;
  while (peek (c))
    if (!parse_statement (c))
      return FALSE;
  return TRUE;
}

/* ---- optimisation and output ------------------------------------------------------------- */

typedef struct {
  guint32 n;
  GArray **arcs;                /* per state, BArc */
  double *final;
  guint32 start;
} Net;

static void
net_free (Net *n)
{
  for (guint32 s = 0; s < n->n; s++)
    g_array_free (n->arcs[s], TRUE);
  g_free (n->arcs);
  g_free (n->final);
}

/* The states reachable from @start (and, with @coaccess, that reach a final state), renumbered;
 * @start becomes state 0. */
static Net
net_trim (guint32 n, GArray **arcs, const double *final, guint32 start, gboolean coaccess)
{
  guint32 *map = g_new (guint32, n);
  guint8 *live = g_new0 (guint8, n);
  if (coaccess) {
    /* reverse reachability from the final states, by repeated sweeps */
    for (guint32 s = 0; s < n; s++)
      live[s] = isfinite (final[s]);
    gboolean changed = TRUE;
    while (changed) {
      changed = FALSE;
      for (guint32 s = 0; s < n; s++) {
        for (guint k = 0; !live[s] && k < arcs[s]->len; k++)
          if (live[g_array_index (arcs[s], BArc, k).next])
            live[s] = changed = TRUE;
      }
    }
  } else {
    memset (live, 1, n);
  }
  for (guint32 s = 0; s < n; s++)
    map[s] = G_MAXUINT32;
  GArray *order = g_array_new (FALSE, FALSE, sizeof (guint32));
  if (live[start]) {
    map[start] = 0;
    g_array_append_val (order, start);
  }
  for (guint q = 0; q < order->len; q++) {
    GArray *a = arcs[g_array_index (order, guint32, q)];
    for (guint k = 0; k < a->len; k++) {
      guint32 t = g_array_index (a, BArc, k).next;
      if (live[t] && map[t] == G_MAXUINT32) {
        map[t] = order->len;
        g_array_append_val (order, t);
      }
    }
  }
  Net out = { order->len, g_new (GArray *, MAX (order->len, 1)), g_new (double, MAX (order->len, 1)),
    0 };
  for (guint q = 0; q < order->len; q++) {
    guint32 s = g_array_index (order, guint32, q);
    out.final[q] = final[s];
    out.arcs[q] = g_array_new (FALSE, FALSE, sizeof (BArc));
    for (guint k = 0; k < arcs[s]->len; k++) {
      BArc b = g_array_index (arcs[s], BArc, k);
      if (map[b.next] != G_MAXUINT32) {
        b.next = map[b.next];
        g_array_append_val (out.arcs[q], b);
      }
    }
  }
  g_array_free (order, TRUE);
  g_free (map);
  g_free (live);
  return out;
}

static gint
arc_cmp (gconstpointer pa, gconstpointer pb)
{
  const BArc *a = pa, *b = pb;
  if (a->i != b->i)
    return a->i < b->i ? -1 : 1;
  if (a->o != b->o)
    return a->o < b->o ? -1 : 1;
  if (a->next != b->next)
    return a->next < b->next ? -1 : 1;
  return a->w < b->w ? -1 : a->w > b->w;
}

/* Sort and keep the cheapest of arcs with the same labels and destination. */
static void
arcs_normalize (GArray *a)
{
  g_array_sort (a, arc_cmp);
  guint n = 0;
  for (guint k = 0; k < a->len; k++) {
    BArc *b = &g_array_index (a, BArc, k);
    if (n > 0) {
      BArc *p = &g_array_index (a, BArc, n - 1);
      if (p->i == b->i && p->o == b->o && p->next == b->next)
        continue;
    }
    g_array_index (a, BArc, n++) = *b;
  }
  g_array_set_size (a, n);
}

static gboolean
is_pure_eps (const BArc *a)
{
  return a->i == STT_WFST_EPS && a->o == STT_WFST_EPS;
}

/* Replace pure epsilon arcs by the arcs they lead to (shortest epsilon distances, found by
 * queue relaxation; weights are never negative). */
static Net
net_rmepsilon (Net *n)
{
  Net out = { n->n, g_new (GArray *, n->n), g_new (double, n->n), n->start };
  double *dist = g_new (double, n->n);
  guint32 *seen = g_new0 (guint32, n->n);
  GArray *queue = g_array_new (FALSE, FALSE, sizeof (guint32));
  GArray *members = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint32 s = 0; s < n->n; s++) {
    g_array_set_size (queue, 0);
    g_array_set_size (members, 0);
    dist[s] = 0;
    seen[s] = s + 1;
    g_array_append_val (queue, s);
    g_array_append_val (members, s);
    for (guint q = 0; q < queue->len; q++) {
      guint32 u = g_array_index (queue, guint32, q);
      for (guint k = 0; k < n->arcs[u]->len; k++) {
        const BArc *a = &g_array_index (n->arcs[u], BArc, k);
        if (!is_pure_eps (a))
          continue;
        double d = dist[u] + a->w;
        if (seen[a->next] != s + 1) {
          seen[a->next] = s + 1;
          dist[a->next] = d;
          g_array_append_val (members, a->next);
          g_array_append_val (queue, a->next);
        } else if (d < dist[a->next]) {
          dist[a->next] = d;
          g_array_append_val (queue, a->next);
        }
      }
    }
    out.arcs[s] = g_array_new (FALSE, FALSE, sizeof (BArc));
    out.final[s] = INFINITY;
    for (guint m = 0; m < members->len; m++) {
      guint32 u = g_array_index (members, guint32, m);
      out.final[s] = MIN (out.final[s], dist[u] + n->final[u]);
      for (guint k = 0; k < n->arcs[u]->len; k++) {
        BArc a = g_array_index (n->arcs[u], BArc, k);
        if (is_pure_eps (&a))
          continue;
        a.w += dist[u];
        g_array_append_val (out.arcs[s], a);
      }
    }
    arcs_normalize (out.arcs[s]);
  }
  g_array_free (queue, TRUE);
  g_array_free (members, TRUE);
  g_free (dist);
  g_free (seen);
  return out;
}

static gint
arc_cmp_label_first (gconstpointer pa, gconstpointer pb)
{
  const BArc *a = pa, *b = pb;
  if (a->i != b->i)
    return a->i < b->i ? -1 : 1;
  if (a->o != b->o)
    return a->o < b->o ? -1 : 1;
  if (a->w != b->w)
    return a->w < b->w ? -1 : 1;
  return a->next < b->next ? -1 : a->next > b->next;
}

/* Subset construction over (input, output, weight) triples: paths that read, write and cost
 * the same share their prefix, so the runtime follows one state where it followed many. The
 * result accepts exactly the same weighted paths. Gives up (FALSE) past @max_states. */
static gboolean
net_determinize (Net *n, guint32 max_states, Net *out)
{
  GHashTable *ids = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
      (GDestroyNotify) g_bytes_unref, NULL);
  GPtrArray *sets = g_ptr_array_new ();          /* GBytes of guint32 state ids, per DFA state */
  GPtrArray *arcs = g_ptr_array_new ();          /* GArray of BArc, per DFA state */
  GArray *final = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *all = g_array_new (FALSE, FALSE, sizeof (BArc));
  GArray *members = g_array_new (FALSE, FALSE, sizeof (guint32));
  GBytes *first = g_bytes_new (&n->start, sizeof (guint32));
  g_hash_table_insert (ids, g_bytes_ref (first), GUINT_TO_POINTER (0));
  g_ptr_array_add (sets, first);
  gboolean ok = TRUE;
  for (guint d = 0; ok && d < sets->len; d++) {
    gsize size;
    const guint32 *set = g_bytes_get_data (g_ptr_array_index (sets, d), &size);
    guint n_set = size / sizeof (guint32);
    double fin = INFINITY;
    g_array_set_size (all, 0);
    for (guint k = 0; k < n_set; k++) {
      fin = MIN (fin, n->final[set[k]]);
      g_array_append_vals (all, n->arcs[set[k]]->data, n->arcs[set[k]]->len);
    }
    g_array_append_val (final, fin);
    g_array_sort (all, arc_cmp_label_first);
    GArray *darcs = g_array_new (FALSE, FALSE, sizeof (BArc));
    for (guint a = 0; a < all->len;) {
      const BArc *b = &g_array_index (all, BArc, a);
      g_array_set_size (members, 0);
      guint e = a;
      for (; e < all->len; e++) {
        const BArc *c = &g_array_index (all, BArc, e);
        if (c->i != b->i || c->o != b->o || c->w != b->w)
          break;
        if (!members->len || g_array_index (members, guint32, members->len - 1) != c->next)
          g_array_append_val (members, c->next);
      }
      GBytes *key = g_bytes_new (members->data, members->len * sizeof (guint32));
      gpointer v;
      if (!g_hash_table_lookup_extended (ids, key, NULL, &v)) {
        v = GUINT_TO_POINTER (sets->len);
        g_hash_table_insert (ids, g_bytes_ref (key), v);
        g_ptr_array_add (sets, g_bytes_ref (key));
      }
      g_bytes_unref (key);
      BArc na = { b->i, b->o, b->w, GPOINTER_TO_UINT (v) };
      g_array_append_val (darcs, na);
      a = e;
    }
    g_ptr_array_add (arcs, darcs);
    if (sets->len > max_states)
      ok = FALSE;
  }
  if (ok) {
    out->n = sets->len;
    out->start = 0;
    out->arcs = (GArray **) g_ptr_array_free (arcs, FALSE);
    out->final = (double *) g_array_free (final, FALSE);
  } else {
    for (guint d = 0; d < arcs->len; d++)
      g_array_free (g_ptr_array_index (arcs, d), TRUE);
    g_ptr_array_free (arcs, TRUE);
    g_array_free (final, TRUE);
  }
  for (guint d = 0; d < sets->len; d++)
    g_bytes_unref (g_ptr_array_index (sets, d));
  g_ptr_array_free (sets, TRUE);
  g_hash_table_destroy (ids);
  g_array_free (all, TRUE);
  g_array_free (members, TRUE);
  return ok;
}

/* Merge states with the same final weight and the same arcs (to the same classes), until
 * nothing changes: the copies that rule references make share their common tails. */
static Net
net_merge (Net *n)
{
  guint32 *cls = g_new0 (guint32, n->n), *ncls = g_new (guint32, n->n);
  guint32 n_cls = 1, prev = 0;
  GString *key = g_string_new (NULL);
  GArray *tmp = g_array_new (FALSE, FALSE, sizeof (BArc));
  while (n_cls != prev) {
    prev = n_cls;
    GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    for (guint32 s = 0; s < n->n; s++) {
      g_string_truncate (key, 0);
      g_string_append_printf (key, "%u|%a", cls[s], n->final[s]);
      g_array_set_size (tmp, 0);
      for (guint k = 0; k < n->arcs[s]->len; k++) {
        BArc b = g_array_index (n->arcs[s], BArc, k);
        b.next = cls[b.next];
        g_array_append_val (tmp, b);
      }
      arcs_normalize (tmp);
      for (guint k = 0; k < tmp->len; k++) {
        const BArc *b = &g_array_index (tmp, BArc, k);
        g_string_append_printf (key, "|%u,%u,%a,%u", b->i, b->o, b->w, b->next);
      }
      gpointer v;
      if (!g_hash_table_lookup_extended (ids, key->str, NULL, &v)) {
        v = GUINT_TO_POINTER (g_hash_table_size (ids));
        g_hash_table_insert (ids, g_strdup (key->str), v);
      }
      ncls[s] = GPOINTER_TO_UINT (v);
    }
    n_cls = g_hash_table_size (ids);
    g_hash_table_destroy (ids);
    memcpy (cls, ncls, n->n * sizeof (guint32));
  }
  g_string_free (key, TRUE);
  g_array_free (tmp, TRUE);
  Net out = { n_cls, g_new0 (GArray *, n_cls), g_new (double, n_cls), cls[n->start] };
  for (guint32 s = 0; s < n->n; s++) {
    guint32 q = cls[s];
    if (out.arcs[q])
      continue;
    out.final[q] = n->final[s];
    out.arcs[q] = g_array_new (FALSE, FALSE, sizeof (BArc));
    for (guint k = 0; k < n->arcs[s]->len; k++) {
      BArc b = g_array_index (n->arcs[s], BArc, k);
      b.next = cls[b.next];
      g_array_append_val (out.arcs[q], b);
    }
    arcs_normalize (out.arcs[q]);
  }
  g_free (cls);
  g_free (ncls);
  return out;
}

static GBytes *
serialize (Compiler *c, Net *n, SttItnGrammarStats *stats)
{
  guint32 *state_arcs = g_new (guint32, n->n + 1);
  float *final = g_new (float, n->n);
  GArray *arcs = g_array_new (FALSE, FALSE, sizeof (SttWfstArc));
  for (guint32 s = 0; s < n->n; s++) {
    state_arcs[s] = arcs->len;
    final[s] = n->final[s];
    for (guint k = 0; k < n->arcs[s]->len; k++) {
      const BArc *b = &g_array_index (n->arcs[s], BArc, k);
      SttWfstArc a = { b->i, b->o, b->w, b->next };
      g_array_append_val (arcs, a);
    }
  }
  state_arcs[n->n] = arcs->len;
  g_ptr_array_add (c->isyms, NULL);
  g_ptr_array_add (c->osyms, NULL);
  GBytes *bytes = stt_wfst_serialize (n->n, n->start, state_arcs, final,
      (const SttWfstArc *) arcs->data, (const char *const *) c->isyms->pdata,
      (const char *const *) c->osyms->pdata, c->okind->data);
  g_ptr_array_remove_index (c->isyms, c->isyms->len - 1);
  g_ptr_array_remove_index (c->osyms, c->osyms->len - 1);
  if (stats) {
    stats->n_states = n->n;
    stats->n_arcs = arcs->len;
    stats->n_words = c->isyms->len - STT_WFST_FIRST_SYM;
    stats->n_pieces = c->osyms->len - STT_WFST_FIRST_SYM;
    stats->n_classes = c->n_classes;
  }
  g_array_free (arcs, TRUE);
  g_free (state_arcs);
  g_free (final);
  return bytes;
}

static GBytes *
build (Compiler *c, SttItnGrammarStats *stats)
{
  Rule *main_rule = g_hash_table_lookup (c->rules, "main");
  if (!main_rule) {
    g_set_error (c->error, STT_ITN_ERROR, STT_ITN_ERROR_GRAMMAR,
        "%s: no rule named 'main' (main = the union of the classes, repeated)", c->lx.name);
    return NULL;
  }
  guint32 n = c->states->len;
  GArray **arcs = g_new (GArray *, n);
  double *final = g_new (double, n);
  for (guint32 s = 0; s < n; s++) {
    arcs[s] = g_array_index (c->states, BState, s).arcs;
    final[s] = s == main_rule->frag.final ? 0 : INFINITY;
  }
  Net reach = net_trim (n, arcs, final, main_rule->frag.start, FALSE);
  g_free (arcs);
  g_free (final);
  Net noeps = net_rmepsilon (&reach);
  net_free (&reach);
  Net live = net_trim (noeps.n, noeps.arcs, noeps.final, noeps.start, TRUE);
  net_free (&noeps);
  if (live.n == 0) {
    net_free (&live);
    g_set_error (c->error, STT_ITN_ERROR, STT_ITN_ERROR_GRAMMAR,
        "%s: 'main' accepts nothing", c->lx.name);
    return NULL;
  }
  Net det;
  if (net_determinize (&live, MAX_DET_STATES, &det)) {
    net_free (&live);
    live = det;
  }
  Net merged = net_merge (&live);
  net_free (&live);
  Net out = net_trim (merged.n, merged.arcs, merged.final, merged.start, TRUE);
  net_free (&merged);
  GBytes *bytes = serialize (c, &out, stats);
  net_free (&out);
  return bytes;
}

static void
state_clear (gpointer p)
{
  g_array_free (((BState *) p)->arcs, TRUE);
}

GBytes *
stt_itn_grammar_compile (const char *source, const char *name, const char *dir,
    SttItnGrammarStats *stats, GError **error)
{
  Compiler c = { 0 };
  c.states = g_array_new (FALSE, FALSE, sizeof (BState));
  g_array_set_clear_func (c.states, state_clear);
  c.isym_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  c.osym_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  c.isyms = g_ptr_array_new_with_free_func (g_free);
  c.osyms = g_ptr_array_new_with_free_func (g_free);
  c.okind = g_byte_array_new ();
  c.rules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  c.error = error;
  /* reserved labels: epsilon and ANY/copy */
  isym (&c, "<eps>");
  isym (&c, "<any>");
  osym (&c, "<eps>", STT_WFST_OSYM_CLASS);
  osym (&c, "<copy>", STT_WFST_OSYM_CLASS);
  c.okind->data[0] = c.okind->data[1] = STT_WFST_OSYM_TEXT;

  GBytes *bytes = NULL;
  if (compile_source (&c, source, name, dir ? dir : "."))
    bytes = build (&c, stats);
  g_array_free (c.states, TRUE);
  g_hash_table_destroy (c.isym_ids);
  g_hash_table_destroy (c.osym_ids);
  g_ptr_array_free (c.isyms, TRUE);
  g_ptr_array_free (c.osyms, TRUE);
  g_byte_array_free (c.okind, TRUE);
  g_hash_table_destroy (c.rules);
  return bytes;
}

GBytes *
stt_itn_grammar_compile_file (const char *path, SttItnGrammarStats *stats, GError **error)
{
  char *text;
  if (!g_file_get_contents (path, &text, NULL, error)) {
    g_prefix_error (error, "Cannot read the grammar: ");
    return NULL;
  }
  char *dir = g_path_get_dirname (path);
  GBytes *b = stt_itn_grammar_compile (text, path, dir, stats, error);
  g_free (dir);
  g_free (text);
  return b;
}
