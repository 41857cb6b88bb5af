/* gst-stt — the acoustic tables of an SttModel, parsed once per model and shared.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "am-private.h"

typedef gpointer (*ParseFunc) (GBytes *bytes, const char *name, GError **error);

typedef struct {
  const char *file;
  ParseFunc parse;
} SharedFile;

static gpointer
create_from_file (SttModel *model, gpointer user_data, GError **error)
{
  const SharedFile *sf = user_data;
  g_autoptr (GBytes) bytes = stt_model_map (model, sf->file, error);
  if (!bytes)
    return NULL;
  g_autofree char *name = g_build_filename (stt_model_get_dir (model), sf->file, NULL);
  return sf->parse (bytes, name, error);
}

/* The shared object parsed from @file with @parse; the caller gets no reference. */
gpointer
stt_am_shared_file (SttModel *model, const char *file, gpointer parse, GDestroyNotify destroy,
    GError **error)
{
  SharedFile sf = { file, (ParseFunc) parse };
  return stt_model_get_shared (model, file, create_from_file, &sf, destroy, error);
}

SttMdef *
stt_mdef_from_model (SttModel *model, GError **error)
{
  SttMdef *m = stt_am_shared_file (model, "am/mdef.bin", stt_mdef_parse,
      (GDestroyNotify) stt_mdef_unref, error);
  return m ? stt_mdef_ref (m) : NULL;
}

SttTmat *
stt_tmat_from_model (SttModel *model, GError **error)
{
  SttTmat *t = stt_am_shared_file (model, "am/tmat.bin", stt_tmat_parse,
      (GDestroyNotify) stt_tmat_unref, error);
  return t ? stt_tmat_ref (t) : NULL;
}
