/* gst-stt — stt-rescore-model: packages an LM and its settings as a model of kind "rescore".
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   stt-rescore-model --models-dir DIR [--base ID] [--lm-weight X] [--wip X]
 *       [--keep-confidence X] [--keep-acoustic-score X]
 *       [--text FILE [--order N] | --lm FILE] [--interpolation-weight W] [--static]
 *       [--id UUID] [--name NAME] [--force]
 *
 * Without --text/--lm the model rescores with the base model's own LM (the default en-US
 * rescore model). --text builds a modified Kneser-Ney LM from a user's sentences (stt_lm_train,
 * as `stt-lm build`) and mixes it with the base LM at the interpolation weight; --lm takes any
 * LM file (own, Sphinx trie, ARPA), e.g. a larger one (weight 1 = use it alone). By default
 * the mixture is computed per lookup by sttrescore; --static stores it as one LM
 * (stt_lm_interpolate, as `stt-lm interpolate`). docs/rescore.md.
 */
#include "rescore.h"

#include <gio/gio.h>
#include <stdio.h>

/* The default en-US rescore model's settings, tuned on half of the dev set
 * (docs/benchmarks.md, "Rescoring"). */
#define TUNED_LM_WEIGHT 11
#define TUNED_WIP -12
#define TUNED_KEEP_CONFIDENCE 0.75
#define TUNED_KEEP_ACOUSTIC -3.6

typedef struct {
  char *models_dir, *base, *text, *lm, *id, *name;
  double lm_weight, wip, weight, keep_confidence, keep_acoustic;
  int order;
  gboolean stat, force;
} Options;

/* Remove an installed model folder of @id (build-system use: --force). */
static gboolean
remove_tree (GFile *dir, GError **error)
{
  GFileEnumerator *e = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
      G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, error);
  gboolean ok = e != NULL;
  GFileInfo *info;
  while (ok && (info = g_file_enumerator_next_file (e, NULL, error))) {
    GFile *child = g_file_get_child (dir, g_file_info_get_name (info));
    ok = g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY ? remove_tree (child, error)
        : g_file_delete (child, NULL, error);
    g_object_unref (child);
    g_object_unref (info);
  }
  if (e)
    g_object_unref (e);
  return ok && (!error || !*error) && g_file_delete (dir, NULL, error);
}

/* The own LM of the model, or NULL (and no error) when it rescores with the base LM alone. */
static SttLm *
own_lm (const Options *o, SttModel *base, GError **error)
{
  SttLm *lm = NULL;
  if (o->text) {
    char *text;
    gsize len;
    if (!g_file_get_contents (o->text, &text, &len, error))
      return NULL;
    lm = stt_lm_train (text, len, o->order, error);
    g_free (text);
    if (!lm)
      g_prefix_error (error, "%s: ", o->text);
  } else if (o->lm) {
    lm = stt_lm_load (o->lm, STT_LM_FORMAT_AUTO, error);
  }
  if (!lm || !o->stat || o->weight >= 1)
    return lm;
  SttLm *b = stt_lm_new_from_model (base, "lm/lm.bin", error);
  SttLm *mix = b ? stt_lm_interpolate (lm, b, o->weight, error) : NULL;
  if (b)
    stt_lm_unref (b);
  stt_lm_unref (lm);
  return mix;
}

static char *
build (const Options *o, GError **error)
{
  SttModel *base = stt_model_cache_lookup (o->base, error);
  if (!base)
    return NULL;
  if (g_strcmp0 (stt_model_get_kind (base), "base") != 0 &&
      g_strcmp0 (stt_model_get_kind (base), "custom") != 0) {
    g_set_error (error, STT_RESCORE_ERROR, STT_RESCORE_ERROR_MODEL, "--base %s is a model of "
        "kind \"%s\"; give a base or custom model", o->base, stt_model_get_kind (base));
    stt_model_unref (base);
    return NULL;
  }
  GError *err = NULL;
  SttLm *lm = own_lm (o, base, &err);
  SttModelWriter *w = err ? NULL : stt_model_writer_new (o->models_dir, "rescore",
      stt_model_get_locale (base), &err);
  if (w && o->id)
    stt_model_writer_set_id (w, o->id, &err);
  char *dir = NULL;
  if (w && !err) {
    stt_model_writer_set_name (w, o->name ? o->name : lm ? "rescore: own LM"
        : "rescore: base model LM");
    stt_model_writer_set_pipeline (w, "sttrescore");
    JsonObject *r = json_object_new ();
    json_object_set_string_member (r, "base_model", stt_model_get_id (base));
    json_object_set_double_member (r, "lm_weight", o->lm_weight);
    json_object_set_double_member (r, "wip", o->wip);
    json_object_set_double_member (r, "keep_confidence", o->keep_confidence);
    json_object_set_double_member (r, "keep_acoustic_score", o->keep_acoustic);
    json_object_set_double_member (r, "interpolation_weight",
        !lm ? 0.0 : o->stat ? 1.0 : o->weight);
    if (lm) {
      GBytes *bytes = stt_lm_get_bytes (lm);
      json_object_set_string_member (r, "lm", STT_RESCORE_LM_FILE);
      json_object_set_int_member (r, "lm_order", stt_lm_get_order (lm));
      json_object_set_int_member (r, "lm_words", stt_lm_get_n_words (lm));
      stt_model_writer_add_bytes (w, STT_RESCORE_LM_FILE, bytes, &err);
      g_bytes_unref (bytes);
    }
    json_object_set_object_member (stt_model_writer_get_properties (w), "rescore", r);
    if (!err && o->force) {
      GFile *old = g_file_new_build_filename (o->models_dir, stt_model_writer_get_id (w), NULL);
      if (g_file_query_exists (old, NULL))
        remove_tree (old, &err);
      g_object_unref (old);
    }
  }
  if (w && !err)
    dir = stt_model_writer_commit (w, &err);
  else if (w)
    stt_model_writer_abort (w);
  if (err)
    g_propagate_error (error, err);
  if (lm)
    stt_lm_unref (lm);
  stt_model_unref (base);
  return dir;
}

int
main (int argc, char **argv)
{
  Options o = { .lm_weight = TUNED_LM_WEIGHT, .wip = TUNED_WIP, .weight = -1, .order = 3,
    .keep_confidence = -1, .keep_acoustic = 1 };
  char *stamp = NULL;
  GOptionEntry entries[] = {
    { "models-dir", 0, 0, G_OPTION_ARG_FILENAME, &o.models_dir,
      "Folder to install the model in (required)", "DIR" },
    { "base", 0, 0, G_OPTION_ARG_STRING, &o.base,
      "Base model (id or folder) whose LM is rescored with (default: the en-US model)", "ID" },
    { "text", 0, 0, G_OPTION_ARG_FILENAME, &o.text,
      "Domain text, one sentence per line: build an LM and mix it with the base LM", "FILE" },
    { "order", 0, 0, G_OPTION_ARG_INT, &o.order, "Order of the LM built from --text (1-3, "
      "default 3)", "N" },
    { "lm", 0, 0, G_OPTION_ARG_FILENAME, &o.lm,
      "An LM to rescore with (own format, Sphinx trie or ARPA)", "FILE" },
    { "interpolation-weight", 0, 0, G_OPTION_ARG_DOUBLE, &o.weight,
      "Weight of the --text/--lm LM against the base LM, 0..1 (default 0.5 with --text, 1 "
      "with --lm)", "W" },
    { "static", 0, 0, G_OPTION_ARG_NONE, &o.stat,
      "Store the mixture as one LM instead of mixing per lookup", NULL },
    { "lm-weight", 0, 0, G_OPTION_ARG_DOUBLE, &o.lm_weight,
      "LM weight for rescoring (default " G_STRINGIFY (TUNED_LM_WEIGHT) ", tuned on the dev set)",
      "X" },
    { "wip", 0, 0, G_OPTION_ARG_DOUBLE, &o.wip,
      "Word insertion penalty, natural log per word (default " G_STRINGIFY (TUNED_WIP) ")", "X" },
    { "keep-confidence", 0, 0, G_OPTION_ARG_DOUBLE, &o.keep_confidence,
      "Leave results whose first-pass confidence is at least X unchanged, 0..2 (default "
      G_STRINGIFY (TUNED_KEEP_CONFIDENCE) " without --text/--lm, else 2 = rescore all)", "X" },
    { "keep-acoustic-score", 0, 0, G_OPTION_ARG_DOUBLE, &o.keep_acoustic,
      "... or whose words' acoustic score is at least X nats per frame, -100..0 (default "
      G_STRINGIFY (TUNED_KEEP_ACOUSTIC) " without --text/--lm, else 0 = rescore all)", "X" },
    { "id", 0, 0, G_OPTION_ARG_STRING, &o.id, "Model id (default: a new random UUID)", "UUID" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &o.name, "Model name", "NAME" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &o.force, "Replace an installed model of that id",
      NULL },
    { "stamp", 0, 0, G_OPTION_ARG_FILENAME, &stamp, "Write the model folder to FILE (build "
      "systems)", "FILE" },
    { NULL }
  };
  GError *error = NULL;
  GOptionContext *ctx = g_option_context_new ("- package an LM as a rescore model");
  g_option_context_add_main_entries (ctx, entries, NULL);
  gboolean ok = g_option_context_parse (ctx, &argc, &argv, &error);
  g_option_context_free (ctx);
  if (ok && (!o.models_dir || argc != 1 || (o.text && o.lm) || o.order < 1 || o.order > 3 ||
          o.lm_weight <= 0 || o.lm_weight > 100 || o.wip < -100 || o.wip > 100 ||
          (o.keep_confidence != -1 && (o.keep_confidence < 0 || o.keep_confidence > 2)) ||
          (o.keep_acoustic != 1 && (o.keep_acoustic < -100 || o.keep_acoustic > 0)) ||
          (o.weight != -1 && (o.weight < 0 || o.weight > 1)))) {
    g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "give --models-dir, at most "
        "one of --text and --lm, --order 1..3, --lm-weight in (0, 100], --wip in [-100, 100], "
        "--interpolation-weight in [0, 1], --keep-confidence in [0, 2], "
        "--keep-acoustic-score in [-100, 0] (see --help)");
    ok = FALSE;
  }
  if (o.weight == -1)
    o.weight = o.text ? 0.5 : 1.0;
  /* The gates were tuned for rescoring with the base LM, where only a stronger LM weight
   * differs from the first pass; a domain or larger LM brings new knowledge to every result. */
  if (o.keep_confidence == -1)
    o.keep_confidence = o.text || o.lm ? 2.0 : TUNED_KEEP_CONFIDENCE;
  if (o.keep_acoustic == 1)
    o.keep_acoustic = o.text || o.lm ? 0.0 : TUNED_KEEP_ACOUSTIC;
  if (!o.base)
    o.base = g_strdup (STT_DEFAULT_MODEL_ID);
  char *dir = ok ? build (&o, &error) : NULL;
  if (dir && stamp && !g_file_set_contents (stamp, dir, -1, &error))
    g_clear_pointer (&dir, g_free);
  if (!dir) {
    fprintf (stderr, "stt-rescore-model: %s\n", error->message);
    g_error_free (error);
  } else {
    printf ("%s\n", dir);
  }
  int rc = dir ? 0 : 1;
  g_free (dir);
  g_free (stamp);
  g_free (o.models_dir);
  g_free (o.base);
  g_free (o.text);
  g_free (o.lm);
  g_free (o.id);
  g_free (o.name);
  return rc;
}
