/* gst-stt — stt-itn: spoken-form lines on stdin, their written form on stdout.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   stt-itn [--model ID|FOLDER|FILE.wfst] [--tokens]  < spoken.txt
 */
#include "config.h"

#include <stdio.h>
#include <stt/itn.h>

int
main (int argc, char **argv)
{
  char *model = NULL;
  gboolean tokens = FALSE;
  GOptionEntry entries[] = {
    {"model", 'm', 0, G_OPTION_ARG_STRING, &model,
        "ITN model id, model folder or transducer file (default: the en-US ITN model)", "M"},
    {"tokens", 't', 0, G_OPTION_ARG_NONE, &tokens,
        "Also print each written token with its class and spoken word range", NULL},
    {NULL}
  };
  GError *err = NULL;
  GOptionContext *ctx = g_option_context_new ("- inverse text normalization of stdin lines");
  g_option_context_add_main_entries (ctx, entries, NULL);
  gboolean ok = g_option_context_parse (ctx, &argc, &argv, &err);
  g_option_context_free (ctx);
  SttItn *itn = ok ? stt_itn_open (model ? model : STT_ITN_DEFAULT_MODEL_ID, &err) : NULL;
  if (!itn) {
    g_printerr ("stt-itn: %s\n", err->message);
    g_error_free (err);
    g_free (model);
    return 1;
  }
  SttItnRunner *runner = stt_itn_runner_new (itn);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getline (&line, &cap, stdin)) >= 0) {
    char **v = g_strsplit_set (line, " \t\r\n", -1);
    GPtrArray *words = g_ptr_array_new ();
    for (char **w = v; *w; w++)
      if (**w)
        g_ptr_array_add (words, *w);
    SttItnOutput *out = stt_itn_runner_apply (runner, (const char *const *) words->pdata,
        words->len);
    printf ("%s\n", stt_itn_output_get_text (out));
    for (guint i = 0; tokens && i < stt_itn_output_get_n_tokens (out); i++) {
      const SttItnToken *t = stt_itn_output_get_token (out, i);
      printf ("\t%s\t%s\t%u+%u\n", t->text, t->klass, t->first_word, t->n_words);
    }
    stt_itn_output_free (out);
    g_ptr_array_free (words, TRUE);
    g_strfreev (v);
  }
  free (line);
  fflush (stdout);
  stt_itn_runner_free (runner);
  stt_itn_unref (itn);
  g_free (model);
  return ferror (stdout) ? 1 : 0;
}
