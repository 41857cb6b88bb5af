/* gst-stt — fuzz target: the letter-to-sound model reader (g2p/g2p.bin of downloaded models).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Besides "no crash": a refused input has a message naming it; an accepted model pronounces
 * words spelled from its own alphabet (every phone a phone of the model, the N-best distinct),
 * refuses a letter it does not know, and reads back from its own bytes with the same answers.
 * Seeds: corpus/g2p/ (make-g2p-seeds.sh).
 */
#include <stt/g2p.h>

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define NAME "fuzz-input"

static void
check_prons (const SttG2p *g, GPtrArray *prons)
{
  for (guint k = 0; k < prons->len; k++) {
    const SttG2pPron *p = prons->pdata[k];
    for (guint i = 0; p->phones[i]; i++) {
      gboolean known = FALSE;
      for (guint f = 0; f < stt_g2p_get_n_phones (g) && !known; f++)
        known = strcmp (p->phones[i], stt_g2p_get_phone (g, f)) == 0;
      g_assert (known);
    }
    for (guint j = 0; j < k; j++)
      g_assert (!g_strv_equal ((const char *const *) p->phones,
              (const char *const *) ((const SttG2pPron *) prons->pdata[j])->phones));
  }
}

static void
exercise (SttG2p *g, const uint8_t *data, size_t size)
{
  g_autofree char *abc = stt_g2p_get_alphabet (g);
  glong n = g_utf8_strlen (abc, -1);
  g_autoptr (GBytes) bytes = stt_g2p_get_bytes (g);
  SttG2p *again = stt_g2p_new_from_bytes (bytes, NAME, NULL);
  g_assert (again != NULL);
  for (guint w = 0; w < 4; w++) {
    /* a word of the model's letters, chosen by input bytes */
    GString *word = g_string_new (NULL);
    for (guint i = 0; i < 3 + w * 2; i++) {
      guint pick = size ? data[(w * 7 + i * 13) % size] : i;
      g_string_append_unichar (word, g_utf8_get_char (g_utf8_offset_to_pointer (abc,
                  pick % n)));
    }
    GError *error = NULL;
    GPtrArray *a = stt_g2p_pronounce (g, word->str, 3, &error);
    GPtrArray *b = stt_g2p_pronounce (again, word->str, 3, NULL);
    g_assert ((a == NULL) == (b == NULL));
    if (a) {
      check_prons (g, a);
      g_assert (a->len == b->len);
      g_ptr_array_unref (a);
      g_ptr_array_unref (b);
    } else {
      g_assert (error && error->code == STT_G2P_ERROR_WORD);
      g_error_free (error);
    }
    g_string_free (word, TRUE);
  }
  GError *error = NULL;
  g_assert (stt_g2p_pronounce (g, "\x01", 1, &error) == NULL);   /* never a letter */
  g_assert (error && error->code == STT_G2P_ERROR_WORD);
  g_error_free (error);
  stt_g2p_unref (again);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GBytes *b = g_bytes_new (data, size);
  GError *error = NULL;
  SttG2p *g = stt_g2p_new_from_bytes (b, NAME, &error);
  if (g) {
    exercise (g, data, size);
    stt_g2p_unref (g);
  } else {
    g_assert (error != NULL && error->domain == STT_G2P_ERROR);
    if (!strstr (error->message, NAME))
      g_error ("the message does not name the input: %s", error->message);
    g_error_free (error);
  }
  g_bytes_unref (b);
  return 0;
}
