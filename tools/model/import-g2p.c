/* gst-stt — import step: a letter-to-sound model trained from the model's own dictionary.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Writes g2p/g2p.bin (stt/g2p.h, docs/g2p.md) trained on the Sphinx dictionary that the LM
 * step reads, restricted to the acoustic model's CI phones (imp->mdef), with 1 word in 20
 * held out; the manifest's "g2p" property records the training and the held-out phone and
 * word error rates measured here. A folder without a dictionary gives a model without it.
 */
#include "import.h"

#include <stt/g2p.h>

#define HELD_OUT_EVERY 20

static void
describe (SttImport *imp, const SttG2p *g2p, const SttG2pEval *ev, double train_s)
{
  JsonObject *o = json_object_new ();
  g_autofree char *abc = stt_g2p_get_alphabet (g2p);
  json_object_set_string_member (o, "file", STT_G2P_MODEL_FILE);
  json_object_set_string_member (o, "format", "STTG2P 1: joint-sequence (graphone) n-gram, "
      "modified Kneser-Ney (docs/g2p.md)");
  json_object_set_string_member (o, "alphabet", abc);
  json_object_set_int_member (o, "order", stt_g2p_get_order (g2p));
  json_object_set_int_member (o, "held_out_every", stt_g2p_get_held_out_every (g2p));
  json_object_set_int_member (o, "held_out_words", ev->n_words);
  json_object_set_double_member (o, "held_out_per", ev->per);
  json_object_set_double_member (o, "held_out_wer", ev->wer);
  json_object_set_double_member (o, "training_seconds", train_s);
  json_object_set_object_member (stt_model_writer_get_properties (imp->writer), "g2p", o);
}

gboolean
stt_import_g2p (SttImport *imp, GError **error)
{
  static const char *const dict_names[] = { "cmudict-en-us.dict", "words.dict", NULL };
  g_return_val_if_fail (imp->mdef != NULL, FALSE);
  g_autofree char *dict = NULL;
  for (guint i = 0; dict_names[i] && !dict; i++) {
    dict = g_build_filename (imp->sphinx_dir, dict_names[i], NULL);
    if (!g_file_test (dict, G_FILE_TEST_IS_REGULAR))
      g_clear_pointer (&dict, g_free);
  }
  if (!dict)
    return TRUE;   /* the LM step already noted the missing dictionary */
  int n_ci = stt_mdef_n_ciphones (imp->mdef);
  g_autofree const char **phones = g_new0 (const char *, n_ci + 1);
  for (int i = 0; i < n_ci; i++)
    phones[i] = stt_mdef_ciphone_name (imp->mdef, i);
  SttG2pTrainOptions opt = { .held_out_every = HELD_OUT_EVERY };
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (SttG2p) g2p = stt_g2p_train (dict, phones, &opt, error);
  double train_s = (g_get_monotonic_time () - t0) / 1e6;
  SttG2pEval ev;
  if (!g2p || !stt_g2p_evaluate (g2p, dict, 0, &ev, error))
    return FALSE;
  g_autoptr (GBytes) bytes = stt_g2p_get_bytes (g2p);
  if (!stt_model_writer_add_bytes (imp->writer, STT_G2P_MODEL_FILE, bytes, error))
    return FALSE;
  describe (imp, g2p, &ev, train_s);
  return TRUE;
}
