/* gst-stt — stt-model: build, import and inspect models (subcommands in their own files).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "stt-model.h"

#include <glib.h>
#include <string.h>

static const struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *help;
} commands[] = {
  { "import-sphinx", stt_model_cmd_import_sphinx,
    "import-sphinx DIR [--models-dir D] [--id UUID]   Sphinx PTM model -> gst-stt base model" },
  { "g2p", stt_model_cmd_g2p, "g2p [--model ID|DIR] [--nbest N] WORD...   guess pronunciations" },
  { "g2p-eval", stt_model_cmd_g2p_eval, "g2p-eval [--model ID|DIR]   letter-to-sound held-out "
    "phone/word error rates" },
  { "custom", stt_model_cmd_custom,
    "custom --base ID --text FILE [--pron FILE] [--weight W]   base model + domain text -> "
    "custom model" },
};

static int
usage (int status)
{
  GString *s = g_string_new ("usage: stt-model COMMAND [OPTIONS...]   (COMMAND --help for "
      "details)\ncommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (s, "  %s\n", commands[i].help);
  (status ? g_printerr : g_print) ("%s", s->str);
  g_string_free (s, TRUE);
  return status;
}

int
main (int argc, char **argv)
{
  if (argc < 2)
    return usage (2);
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    return usage (0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);
  g_printerr ("stt-model: unknown command \"%s\"\n", argv[1]);
  return usage (2);
}
