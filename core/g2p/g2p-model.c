/* gst-stt — the STTG2P file: opening it in place after checking every offset and index.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "g2p-private.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (stt-g2p-error-quark, stt_g2p_error)

static gboolean
check_graphones (const SttImage *im, SttG2p *g, GError **error)
{
  const SttG2pGraphone *gr = g->graphones;
  for (guint i = 0; i < g->n_graphones; i++) {
    const SttG2pGraphone *x = &gr[i];
    gsize at = stt_image_offset (im, x);
    if (x->n_letters < 1 || x->n_letters > 2 || x->n_phones > 2)
      return stt_image_fail (im, at, error, "graphone %u has %u letters and %u phones (1-2 "
          "and 0-2 expected)", i, x->n_letters, x->n_phones);
    for (guint k = 0; k < 2; k++) {
      if (k < x->n_letters ? x->letters[k] >= g->n_letters : x->letters[k] != 0)
        return stt_image_fail (im, at, error, "graphone %u: letter id %u is out of range (%u "
            "letters)", i, x->letters[k], g->n_letters);
      if (k < x->n_phones ? x->phones[k] >= g->n_phones : x->phones[k] != 0)
        return stt_image_fail (im, at, error, "graphone %u: phone id %u is out of range (%u "
            "phones)", i, x->phones[k], g->n_phones);
    }
    if (i > 0) {
      const SttG2pGraphone *y = &gr[i - 1];
      guint64 a = ((guint64) y->letters[0] << 48) | ((guint64) y->n_letters << 40)
          | ((guint64) y->letters[1] << 24) | ((guint64) y->n_phones << 16);
      guint64 b = ((guint64) x->letters[0] << 48) | ((guint64) x->n_letters << 40)
          | ((guint64) x->letters[1] << 24) | ((guint64) x->n_phones << 16);
      guint32 pa = ((guint32) y->phones[0] << 16) | y->phones[1];
      guint32 pb = ((guint32) x->phones[0] << 16) | x->phones[1];
      if (a > b || (a == b && pa >= pb))
        return stt_image_fail (im, at, error, "graphones are not in ascending order at %u", i);
    }
  }
  /* the graphones of each first letter, for the search */
  g->by_letter = g_new0 (guint32, g->n_letters + 1);
  for (guint i = 0; i < g->n_graphones; i++)
    g->by_letter[gr[i].letters[0] + 1]++;
  for (guint a = 0; a < g->n_letters; a++)
    g->by_letter[a + 1] += g->by_letter[a];
  return TRUE;
}

/* Log probabilities are <= 0; log backoff weights are finite (above 0 where pruned
 * children left more mass than their lower-order estimates). */
static gboolean
check_floats (const SttImage *im, const float *v, guint32 n, float max, const char *what,
    GError **error)
{
  for (guint32 i = 0; i < n; i++)
    if (!isfinite (v[i]) || v[i] > max)
      return stt_image_fail (im, stt_image_offset (im, &v[i]), error, "%s %u is %g, not a "
          "log %s", what, i, (double) v[i], max > 1.0f ? "weight" : "probability");
  return TRUE;
}

/* next[] of level @k must rise from 0 to the size of level k+1, whose tokens ascend within
 * each range and stay below the token count. */
static gboolean
check_children (const SttImage *im, const SttG2pLevel *lo, const SttG2pLevel *up,
    guint n_tokens, GError **error)
{
  const guint32 *next = lo->next;
  if (next[0] != 0 || next[lo->n] != up->n)
    return stt_image_fail (im, stt_image_offset (im, next), error, "children ranges start at "
        "%u and end at %u, expected 0 and %u", next[0], next[lo->n], up->n);
  for (guint32 p = 0; p < lo->n; p++) {
    if (next[p + 1] < next[p] || next[p + 1] > up->n)
      return stt_image_fail (im, stt_image_offset (im, &next[p + 1]), error, "children range "
          "of entry %u runs backwards or past the end", p);
    for (guint32 c = next[p]; c < next[p + 1]; c++) {
      if (up->token[c] >= n_tokens)
        return stt_image_fail (im, stt_image_offset (im, &up->token[c]), error, "token %u is "
            "out of range (%u tokens)", up->token[c], n_tokens);
      if (c > next[p] && up->token[c] <= up->token[c - 1])
        return stt_image_fail (im, stt_image_offset (im, &up->token[c]), error, "n-gram "
            "tokens are not ascending");
    }
  }
  return TRUE;
}

#define SECTION(tag, size, count, out) \
  G_STMT_START { \
    gconstpointer p_; \
    if (!stt_image_section (im, tag, size, count, TRUE, &p_, NULL, error)) \
      return FALSE; \
    out = p_; \
  } G_STMT_END

static gboolean
parse_levels (SttImage *im, SttG2p *g, GError **error)
{
  const guint32 *counts;
  SECTION ("NGRM", 4, g->order, counts);
  guint n_tokens = g->n_graphones + G2P_FIRST;
  for (guint k = 1; k <= g->order; k++) {
    SttG2pLevel *l = &g->level[k];
    char tag[5];
    l->n = counts[k - 1];
    g_snprintf (tag, 5, "WRD%u", k);
    SECTION (tag, 2, l->n, l->token);
    g_snprintf (tag, 5, "PRB%u", k);
    SECTION (tag, 4, l->n, l->prob);
    if (!check_floats (im, l->prob, l->n, 1e-3f, "probability", error))
      return FALSE;
    if (k < g->order) {
      g_snprintf (tag, 5, "BOW%u", k);
      SECTION (tag, 4, l->n, l->bow);
      if (!check_floats (im, l->bow, l->n, 100.0f, "backoff weight", error))
        return FALSE;
      g_snprintf (tag, 5, "NXT%u", k);
      SECTION (tag, 4, (guint64) l->n + 1, l->next);
    }
    if (k >= 2) {
      g_snprintf (tag, 5, "LNK%u", k);
      SECTION (tag, 4, l->n, l->link);
      for (guint32 i = 0; i < l->n; i++)
        if (l->link[i] >= g->level[k - 1].n)
          return stt_image_fail (im, stt_image_offset (im, &l->link[i]), error, "suffix link "
              "%u of level %u is beyond level %u (%u entries)", l->link[i], k, k - 1,
              g->level[k - 1].n);
    }
  }
  SttG2pLevel *l1 = &g->level[1];
  if (l1->n != n_tokens)
    return stt_image_fail (im, stt_image_offset (im, counts), error, "level 1 has %u entries, "
        "expected one per token (%u)", l1->n, n_tokens);
  for (guint32 i = 0; i < l1->n; i++)
    if (l1->token[i] != i)
      return stt_image_fail (im, stt_image_offset (im, &l1->token[i]), error, "level 1 entry "
          "%u holds token %u", i, l1->token[i]);
  for (guint k = 1; k < g->order; k++)
    if (!check_children (im, &g->level[k], &g->level[k + 1], n_tokens, error))
      return FALSE;
  return TRUE;
}

static gboolean
parse_image (SttImage *im, SttG2p *g, GError **error)
{
  if (!stt_image_open (im, STT_G2P_MAGIC, STT_G2P_VERSION, error))
    return FALSE;
  g->order = im->params[0];
  g->n_letters = im->params[1];
  g->n_phones = im->params[2];
  g->held_out_every = im->params[3];
  if (g->order < 1 || g->order > STT_G2P_MAX_ORDER)
    return stt_image_fail (im, 16, error, "n-gram order %u (1-%u expected)", g->order,
        STT_G2P_MAX_ORDER);
  if (g->n_letters < 1 || g->n_letters >= 4096 || g->n_phones < 1 || g->n_phones >= 4096)
    return stt_image_fail (im, 20, error, "%u letters and %u phones (1-4095 each expected)",
        g->n_letters, g->n_phones);
  SECTION ("ALPH", 4, g->n_letters, g->alphabet);
  for (guint a = 0; a < g->n_letters; a++)
    if (!g_unichar_validate (g->alphabet[a]) || g->alphabet[a] == 0
        || (a > 0 && g->alphabet[a] <= g->alphabet[a - 1]))
      return stt_image_fail (im, stt_image_offset (im, &g->alphabet[a]), error, "letter %u "
          "(U+%04X) is not a character or not in ascending order", a, g->alphabet[a]);
  if (!stt_strings_read (im, 'P', g->n_phones, &g->phones, error))
    return FALSE;
  gconstpointer gr;
  gsize size;
  if (!stt_image_section (im, "GRPH", 0, 0, TRUE, &gr, &size, error))
    return FALSE;
  if (size % sizeof (SttG2pGraphone) != 0
      || size / sizeof (SttG2pGraphone) + G2P_FIRST >= G2P_NONE)
    return stt_image_fail (im, stt_image_offset (im, gr), error, "graphone table of %"
        G_GSIZE_FORMAT " bytes is not a whole number of 12-byte entries below %u", size,
        G2P_NONE - G2P_FIRST);
  g->graphones = gr;
  g->n_graphones = (guint) (size / sizeof (SttG2pGraphone));
  return check_graphones (im, g, error) && parse_levels (im, g, error);
}

SttG2p *
stt_g2p_new_take (GBytes *bytes, const char *name, GError **error)
{
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);
  if (GPOINTER_TO_SIZE (data) % 8 != 0) {
    /* sections are read in place as arrays: they need the file's 8-byte alignment */
    GBytes *copy = g_bytes_new (data, size);
    g_bytes_unref (bytes);
    bytes = copy;
    data = g_bytes_get_data (bytes, &size);
  }
  SttG2p *g = g_new0 (SttG2p, 1);
  g->ref_count = 1;
  g->bytes = bytes;
  g->name = g_strdup (name);
  SttImage im = { .data = data, .size = size, .name = name, .what = "letter-to-sound model",
    .domain = STT_G2P_ERROR, .code = STT_G2P_ERROR_FORMAT };
  if (G_BYTE_ORDER != G_LITTLE_ENDIAN) {
    g_set_error (error, STT_G2P_ERROR, STT_G2P_ERROR_FORMAT, "%s: the letter-to-sound file is "
        "little-endian and read in place; this build runs on a big-endian machine", name);
    stt_g2p_unref (g);
    return NULL;
  }
  if (!parse_image (&im, g, error)) {
    stt_g2p_unref (g);
    return NULL;
  }
  return g;
}

SttG2p *
stt_g2p_new_from_bytes (GBytes *bytes, const char *name, GError **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  return stt_g2p_new_take (g_bytes_ref (bytes), name ? name : "(bytes)", error);
}

SttG2p *
stt_g2p_load (const char *path, GError **error)
{
  GError *err = NULL;
  GMappedFile *map = g_mapped_file_new (path, FALSE, &err);
  if (!map) {
    g_set_error (error, STT_G2P_ERROR, STT_G2P_ERROR_IO, "cannot open the letter-to-sound "
        "model %s: %s", path, err->message);
    g_error_free (err);
    return NULL;
  }
  GBytes *bytes = g_mapped_file_get_bytes (map);
  g_mapped_file_unref (map);
  return stt_g2p_new_take (bytes, path, error);
}

SttG2p *
stt_g2p_new_from_model (SttModel *model, const char *name, GError **error)
{
  g_autoptr (GBytes) bytes = stt_model_map (model, name, error);
  if (!bytes)
    return NULL;
  g_autofree char *full = g_build_filename (stt_model_get_dir (model), name, NULL);
  return stt_g2p_new_from_bytes (bytes, full, error);
}

SttG2p *
stt_g2p_new_for_model (SttModel *model, GError **error)
{
  const char *const *files = stt_model_list_files (model);
  if (!files || !g_strv_contains (files, STT_G2P_MODEL_FILE)) {
    g_set_error (error, STT_G2P_ERROR, STT_G2P_ERROR_IO, "the model %s (%s) has no "
        "letter-to-sound model (%s): import it again with `stt-model import-sphinx`",
        stt_model_get_id (model), stt_model_get_dir (model), STT_G2P_MODEL_FILE);
    return NULL;
  }
  return stt_g2p_new_from_model (model, STT_G2P_MODEL_FILE, error);
}

GBytes *
stt_g2p_get_bytes (const SttG2p *g2p)
{
  return g_bytes_ref (g2p->bytes);
}

gboolean
stt_g2p_write (const SttG2p *g2p, const char *path, GError **error)
{
  gsize size;
  gconstpointer data = g_bytes_get_data (g2p->bytes, &size);
  GError *err = NULL;
  if (!g_file_set_contents_full (path, data, (gssize) size,
          G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, &err)) {
    g_set_error (error, STT_G2P_ERROR, STT_G2P_ERROR_IO, "cannot write the letter-to-sound "
        "model %s: %s", path, err->message);
    g_error_free (err);
    return FALSE;
  }
  return TRUE;
}

SttG2p *
stt_g2p_ref (SttG2p *g2p)
{
  g_atomic_int_inc (&g2p->ref_count);
  return g2p;
}

void
stt_g2p_unref (SttG2p *g2p)
{
  if (!g2p || !g_atomic_int_dec_and_test (&g2p->ref_count))
    return;
  g_bytes_unref (g2p->bytes);
  g_free (g2p->by_letter);
  g_free (g2p->name);
  g_free (g2p);
}

guint
stt_g2p_get_n_phones (const SttG2p *g2p)
{
  return g2p->n_phones;
}

const char *
stt_g2p_get_phone (const SttG2p *g2p, guint phone)
{
  return phone < g2p->n_phones ? stt_strings_get (&g2p->phones, phone) : NULL;
}

guint
stt_g2p_get_order (const SttG2p *g2p)
{
  return g2p->order;
}

guint
stt_g2p_get_held_out_every (const SttG2p *g2p)
{
  return g2p->held_out_every;
}

char *
stt_g2p_get_alphabet (const SttG2p *g2p)
{
  GString *s = g_string_new (NULL);
  for (guint a = 0; a < g2p->n_letters; a++)
    g_string_append_unichar (s, g2p->alphabet[a]);
  return g_string_free (s, FALSE);
}

guint32
stt_g2p_word_hash (const char *word)
{
  guint32 h = 2166136261u;
  for (const guchar *p = (const guchar *) word; *p; p++) {
    h ^= *p;
    h *= 16777619u;
  }
  return h;
}

gboolean
stt_g2p_is_held_out (const SttG2p *g2p, const char *word)
{
  if (g2p->held_out_every == 0)
    return FALSE;
  g_autofree char *low = g_utf8_strdown (word, -1);
  return stt_g2p_word_hash (low) % g2p->held_out_every == 0;
}

guint16 *
stt_g2p_word_letters (const SttG2p *g2p, const char *word, guint *n, GError **error)
{
  if (!word || !*word || !g_utf8_validate (word, -1, NULL)) {
    g_set_error (error, STT_G2P_ERROR, STT_G2P_ERROR_WORD, "%s word: give a non-empty UTF-8 "
        "word to pronounce", !word || !*word ? "an empty" : "a non-UTF-8");
    return NULL;
  }
  g_autofree char *low = g_utf8_strdown (word, -1);
  glong len = g_utf8_strlen (low, -1);
  if (len > STT_G2P_MAX_LETTERS) {
    g_set_error (error, STT_G2P_ERROR, STT_G2P_ERROR_WORD, "the word \"%s\" has %ld letters; "
        "letter-to-sound pronounces words of up to %d", word, len, STT_G2P_MAX_LETTERS);
    return NULL;
  }
  guint16 *ids = g_new (guint16, len);
  guint k = 0;
  for (const char *p = low; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    guint lo = 0, hi = g2p->n_letters;
    while (lo < hi) {
      guint mid = (lo + hi) / 2;
      if (g2p->alphabet[mid] < c)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo == g2p->n_letters || g2p->alphabet[lo] != c) {
      g_autofree char *abc = stt_g2p_get_alphabet (g2p);
      char ch[8] = { 0 };
      g_unichar_to_utf8 (c, ch);
      g_set_error (error, STT_G2P_ERROR, STT_G2P_ERROR_WORD, "the word \"%s\" has the letter "
          "'%s' (U+%04X) that the letter-to-sound model %s never saw (it knows \"%s\"): "
          "spell the word with those letters", word, ch, c, g2p->name, abc);
      g_free (ids);
      return NULL;
    }
    ids[k++] = (guint16) lo;
  }
  *n = k;
  return ids;
}
