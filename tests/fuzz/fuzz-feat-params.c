/* gst-stt — fuzz target: the feat.params parser (model folders may come from anywhere), and a
 * few frames through a front end built from whatever it accepts.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stt/fe.h>
#include <math.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *err = NULL;
  SttFeParams *p = stt_fe_params_parse ((const char *) data, size, "fuzz.params", &err);
  if (!p) {
    g_assert (err != NULL && err->message[0]);
    g_error_free (err);
    return 0;
  }
  /* accepted parameters must give a working front end: finite output, every mode */
  static gint16 audio[2000];
  for (int i = 0; i < 2000; i++)
    audio[i] = (gint16) ((i * 7919) % 2001 - 1000);
  for (int mode = 0; mode < 3; mode++) {
    SttFe *fe = stt_fe_new (p);
    stt_fe_set_cmn (fe, (SttFeCmn) mode);
    stt_fe_set_remove_silence (fe, mode == 1);
    stt_fe_process (fe, audio, 2000);
    stt_fe_end_utterance (fe);
    float out[STT_FE_FEAT_DIM];
    while (stt_fe_read (fe, out, NULL, 1) == 1)
      for (int d = 0; d < STT_FE_FEAT_DIM; d++)
        g_assert (isfinite (out[d]));
    stt_fe_free (fe);
  }
  stt_fe_params_unref (p);
  return 0;
}
