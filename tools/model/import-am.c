/* gst-stt — import step: the acoustic model of a Sphinx PTM model into the am/ files.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "import.h"

#include <stt/fe.h>
#include <stdio.h>

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

/* "-svspec 0-12/13-25/26-38": the streams the features are split into. */
static gboolean
svspec_matches (const char *text, const SttGauden *g)
{
  const char *at = strstr (text, "-svspec");
  if (!at)
    return stt_gauden_n_streams (g) == 1;
  g_autofree char *value = g_strndup (at + 7, strcspn (at + 7, "\n"));
  g_auto (GStrv) groups = g_strsplit (g_strstrip (value), "/", -1);
  if (g_strv_length (groups) != (guint) stt_gauden_n_streams (g))
    return FALSE;
  for (int f = 0; groups[f]; f++) {
    int lo, hi;
    if (sscanf (groups[f], "%d-%d", &lo, &hi) != 2 || lo != stt_gauden_stream_offset (g, f)
        || hi - lo + 1 != stt_gauden_veclen (g, f))
      return FALSE;
  }
  return TRUE;
}

/* feat.params must load in the front end and give the features the model expects. */
static gboolean
check_feat_params (GBytes *bytes, const char *path, SttAcousticTables *tables, GError **error)
{
  gsize n;
  const char *data = g_bytes_get_data (bytes, &n);
  if (n == 0 || memchr (data, 0, n) || !g_utf8_validate_len (data, n, NULL)) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_FOREIGN,
        "%s: not a text file; expected \"-option value\" lines", path);
    return FALSE;
  }
  SttFeParams *params = stt_fe_params_load (path, error);
  if (!params)
    return FALSE;
  g_autofree char *text = g_strndup (data, n);
  SttGauden *means = stt_acoustic_tables_get_means (tables);
  int dim = stt_fe_params_get_dimension (params);
  g_autofree char *type = g_strdup (stt_fe_params_get_feature_type (params));
  stt_fe_params_unref (params);
  if (dim != stt_acoustic_tables_dim (tables) || !svspec_matches (text, means)) {
    g_set_error (error, STT_AM_ERROR, STT_AM_ERROR_CORRUPT,
        "%s: features of %d floats (-feat %s) split as its -svspec says do not fit the "
        "acoustic model's %d streams of %d floats; is it the model's own feat.params?", path,
        dim, type, stt_gauden_n_streams (means), stt_acoustic_tables_dim (tables));
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
  if (!check_feat_params (feat, feat_path, tables, error))
    return FALSE;
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
