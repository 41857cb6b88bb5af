/* gst-stt — stt-model's subcommands (one file each), called from stt-model.c.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* Each takes argv[0] = the subcommand name and returns the exit status. */
int stt_model_cmd_import_sphinx (int argc, char **argv);
/* g2p.c: a model's letter-to-sound from the shell. */
int stt_model_cmd_g2p (int argc, char **argv);
int stt_model_cmd_g2p_eval (int argc, char **argv);
int stt_model_cmd_custom (int argc, char **argv);
