/* gst-stt — `stt-model import-sphinx`: the state shared by the import steps.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The import is a sequence of steps (import-sphinx.c lists them in order). Each step is a
 * function in its own file that reads what it needs from the Sphinx folder, writes its files
 * through imp->writer and may leave parsed objects here for later steps.
 */
#pragma once

#include <stt/am.h>
#include <stt/model.h>

typedef struct {
  const char *sphinx_dir;   /* the folder given on the command line (holds en-us.lm.bin...) */
  char *hmm_dir;            /* its acoustic model folder (mdef, means...), maybe the same */
  SttModelWriter *writer;
  SttMdef *mdef;            /* set by the acoustic step: the phone set, for later steps */
} SttImport;

typedef gboolean (*SttImportStep) (SttImport *imp, GError **error);

/* Map a source file of the import; the error names the path. */
GBytes *stt_import_read (const char *dir, const char *name, GError **error);

/* import-am.c: phone set, transition matrices, Gaussians, mixture weights (the am/ files), and
 * the front end's feat.params and the filler dictionary noisedict, copied verbatim. */
gboolean stt_import_am (SttImport *imp, GError **error);
/* import-lm.c: the trigram LM and the dictionary (+ noisedict) into lm/lm.bin, lm/lexicon.bin. */
gboolean stt_import_lm (SttImport *imp, GError **error);

/* import-g2p.c: letter-to-sound (g2p/g2p.bin) trained from the dictionary, held-out error
 * rates in the manifest. Needs the acoustic step first (the phone set). */
gboolean stt_import_g2p (SttImport *imp, GError **error);

/* import-graph.c: the decoding graph (decoder/graph.bin) from the dictionaries; also the LM
 * (lm/lm.bin) if no earlier step wrote it. */
gboolean stt_import_graph (SttImport *imp, GError **error);
