/* gst-stt — import step: the acoustic model of a Sphinx PTM model into the am/ files.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "import.h"

#include <string.h>

/* Parse a Sphinx file with @parse, write @serialize's output as model file @out. */
typedef gpointer (*Parse) (GBytes *b, const char *name, GError **error);

static gpointer
parse_means (GBytes *b, const char *name, GError **error)
{
  return stt_gauden_parse_sphinx (b, name, FALSE, error);
}

static gpointer
parse_variances (GBytes *b, const char *name, GError **error)
{
  return stt_gauden_parse_sphinx (b, name, TRUE, error);
}

static gpointer
read_part (SttImport *imp, const char *file, Parse parse, GError **error)
{
  g_autoptr (GBytes) bytes = stt_import_read (imp->hmm_dir, file, error);
  if (!bytes)
    return NULL;
  g_autofree char *path = g_build_filename (imp->hmm_dir, file, NULL);
  return parse (bytes, path, error);
}

/* feat.params must be "-option value" text lines; the front end interprets it. */
static gboolean
check_feat_params (GBytes *bytes, const char *path, GError **error)
{
  gsize n;
  const char *data = g_bytes_get_data (bytes, &n);
  if (memchr (data, 0, n) || !g_utf8_validate_len (data, n, NULL)) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_FOREIGN,
        "%s: not a text file; expected \"-option value\" lines", path);
    return FALSE;
  }
  g_autofree char *text = g_strndup (data, n);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean has_feat = FALSE;
  for (int i = 0; lines[i]; i++) {
    char *l = g_strstrip (lines[i]);
    if (!*l || *l == '#')
      continue;
    if (*l != '-') {
      g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
          "%s:%d: expected \"-option value\", found \"%.40s\"", path, i + 1, l);
      return FALSE;
    }
    has_feat |= g_str_has_prefix (l, "-feat ") || g_str_has_prefix (l, "-feat\t");
  }
  if (!has_feat) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
        "%s: no -feat line (the feature type the model was trained on)", path);
    return FALSE;
  }
  return TRUE;
}

static gboolean
write_part (SttImport *imp, const char *name, GBytes *bytes, GError **error)
{
  return stt_model_writer_add_bytes (imp->writer, name, bytes, error);
}

static void
set_properties (SttImport *imp, SttAcousticTables *tables)
{
  JsonObject *props = stt_model_writer_get_properties (imp->writer);
  JsonObject *am = json_object_new ();
  SttGauden *means = stt_acoustic_tables_get_means (tables);
  json_object_set_string_member (am, "type", "ptm");
  json_object_set_string_member (am, "source", "pocketsphinx-en-us (Sphinx binary model)");
  json_object_set_int_member (am, "senones", stt_acoustic_tables_n_senones (tables));
  json_object_set_int_member (am, "dimension", stt_acoustic_tables_dim (tables));
  json_object_set_int_member (am, "codebooks", stt_gauden_n_codebooks (means));
  json_object_set_int_member (am, "streams", stt_gauden_n_streams (means));
  json_object_set_int_member (am, "densities", stt_gauden_n_densities (means));
  json_object_set_int_member (am, "phones", stt_mdef_n_phones (imp->mdef));
  json_object_set_string_member (am, "files",
      "am/mdef.bin am/tmat.bin am/means.bin am/variances.bin am/mixw.bin (core/am/README.md)");
  json_object_set_object_member (props, "acoustic", am);
}

gboolean
stt_import_am (SttImport *imp, GError **error)
{
  g_autoptr (SttTmat) tmat = NULL;
  g_autoptr (SttGauden) means = NULL, vars = NULL;
  g_autoptr (SttMixw) mixw = NULL;
  g_autoptr (GBytes) feat = NULL, noise = NULL;
  g_autofree char *feat_path = g_build_filename (imp->hmm_dir, "feat.params", NULL);
  g_autofree char *noise_path = g_build_filename (imp->hmm_dir, "noisedict", NULL);
  if (!(imp->mdef = read_part (imp, "mdef", (Parse) stt_mdef_parse_sphinx, error))
      || !(tmat = read_part (imp, "transition_matrices", (Parse) stt_tmat_parse_sphinx, error))
      || !(means = read_part (imp, "means", parse_means, error))
      || !(vars = read_part (imp, "variances", parse_variances, error))
      || !(mixw = read_part (imp, "sendump", (Parse) stt_mixw_parse_sphinx, error))
      || !(feat = stt_import_read (imp->hmm_dir, "feat.params", error))
      || !check_feat_params (feat, feat_path, error)
      || !(noise = stt_import_read (imp->hmm_dir, "noisedict", error))
      || !stt_noisedict_check (noise, noise_path, imp->mdef, error))
    return FALSE;
  if (stt_tmat_n_tmats (tmat) != stt_mdef_n_tmats (imp->mdef)
      || stt_tmat_n_emit_states (tmat) != stt_mdef_n_emit_states (imp->mdef)) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
        "%s: %d matrices of %d states, but mdef expects %d of %d", imp->hmm_dir,
        stt_tmat_n_tmats (tmat), stt_tmat_n_emit_states (tmat), stt_mdef_n_tmats (imp->mdef),
        stt_mdef_n_emit_states (imp->mdef));
    return FALSE;
  }
  g_autoptr (SttAcousticTables) tables = stt_acoustic_tables_new (imp->mdef, means, vars, mixw,
      error);
  if (!tables) {
    g_prefix_error (error, "%s: ", imp->hmm_dir);
    return FALSE;
  }
  g_autoptr (GBytes) b_mdef = stt_mdef_serialize (imp->mdef);
  g_autoptr (GBytes) b_tmat = stt_tmat_serialize (tmat);
  g_autoptr (GBytes) b_means = stt_gauden_serialize (means);
  g_autoptr (GBytes) b_vars = stt_gauden_serialize (vars);
  g_autoptr (GBytes) b_mixw = stt_mixw_serialize (mixw);
  if (!write_part (imp, "am/mdef.bin", b_mdef, error)
      || !write_part (imp, "am/tmat.bin", b_tmat, error)
      || !write_part (imp, "am/means.bin", b_means, error)
      || !write_part (imp, "am/variances.bin", b_vars, error)
      || !write_part (imp, "am/mixw.bin", b_mixw, error)
      || !write_part (imp, "feat.params", feat, error)
      || !write_part (imp, "noisedict", noise, error))
    return FALSE;
  set_properties (imp, tables);
  return TRUE;
}
