/* gst-stt — `stt-model import-sphinx`: the state shared by the import steps.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The import is a sequence of steps (import-sphinx.c lists them in order). Each step is a
 * function in its own file that reads what it needs from the Sphinx folder, writes its files
 * through imp->writer and may leave parsed objects here for later steps.
 */
#pragma once

#include <stt/am.h>
#include <stt/lexicon.h>
#include <stt/lm.h>
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
/* The manifest's properties.lm for lm/lm.bin and lm/lexicon.bin (@missing: lexicon words the
 * LM lacks). */
void stt_import_describe_lm (SttModelWriter *writer, const SttLm *lm, const SttLexicon *lex,
    guint missing);
/* Remove the installed model @id of @models_dir (for --force), just before a commit. */
gboolean stt_import_remove_installed (const char *models_dir, const char *id, GError **error);

/* import-lm.c: the trigram LM and the dictionary (+ noisedict) into lm/lm.bin, lm/lexicon.bin. */
gboolean stt_import_lm (SttImport *imp, GError **error);

/* import-g2p.c: letter-to-sound (g2p/g2p.bin) trained from the dictionary, held-out error
 * rates in the manifest. Needs the acoustic step first (the phone set). */
gboolean stt_import_g2p (SttImport *imp, GError **error);

/* import-graph.c: the decoding graph (decoder/graph.bin) from the dictionaries; also the LM
 * (lm/lm.bin) if no earlier step wrote it. */
gboolean stt_import_graph (SttImport *imp, GError **error);

/* The graph from a phone set, transition matrices, lexicon and LM: writes decoder/graph.bin
 * into @writer and the manifest's properties.decoder (also used by custom models). */
gboolean stt_import_write_graph (SttModelWriter *writer, SttMdef *mdef, SttTmat *tmat,
    const SttLexicon *lex, const SttLm *lm, GError **error);
