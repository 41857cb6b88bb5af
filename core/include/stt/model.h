/* gst-stt — models: manifest, files, the process-wide cache, and writing a model atomically.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A model is a directory holding `manifest.json` and the files it lists (docs/models.md):
 *
 *   { "schema": 1, "id": "<uuid>", "name": "...", "locale": "en-US",
 *     "kind": "base" | "custom" | "rescore" | "punct" | "resegment" | "wfstitn",
 *     "created": "2026-11-25T15:00:00Z", "base_model": "<uuid>" (custom only),
 *     "pipeline": "sttfeatures ! sttacoustic ! sttdecoder",   (the fragment that uses it)
 *     "properties": { ... },                                  (free, per kind)
 *     "files": [ { "name": "am/means.f32", "size": 123, "sha256": "<hex>" }, ... ] }
 *
 * Loading (stt_model_open) checks the manifest and that every listed file exists with its
 * size; stt_model_verify also checks every sha256 (done on install and download).
 *
 * Sharing: stt_model_cache_lookup returns the one SttModel of a given id in this process, and
 * stt_model_map returns one read-only mapping per file, so N pipelines on one model map its
 * arrays once. Derived tables an element builds from the files (precomputed Gaussians, ...)
 * are attached with stt_model_get_shared, built once and shared the same way.
 *
 * Ownership: SttModel is reference counted. GBytes from stt_model_map are references to the
 * shared mapping. Strings returned by getters belong to the model.
 *
 * Thread-safety: everything here may be called from any thread; an SttModel is immutable after
 * it is opened, except its lazily created mappings and shared data, which are guarded.
 */
#pragma once

#include <glib.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The id of the default en-US base model, imported from Debian's pocketsphinx-en-us by
 * `stt-model import-sphinx`; fixed so that every install names it the same way. */
#define STT_DEFAULT_MODEL_ID "0e1f6d2a-5b7c-4e38-9a41-3c2d8f7b6a01"

#define STT_MODEL_ERROR (stt_model_error_quark ())
GQuark stt_model_error_quark (void);
typedef enum {
  STT_MODEL_ERROR_NOT_FOUND,    /* no such model id / folder / file */
  STT_MODEL_ERROR_MANIFEST,     /* manifest.json missing, not JSON, or missing members */
  STT_MODEL_ERROR_FILE,         /* a listed file is missing, has the wrong size or sha256 */
  STT_MODEL_ERROR_FORMAT,       /* a file's content is not what its reader expects */
  STT_MODEL_ERROR_IO,           /* reading or writing failed */
} SttModelError;

typedef struct _SttModel SttModel;

/* Open the model in folder @dir (checks manifest, file presence and sizes). */
SttModel *stt_model_open (const char *dir, GError **error);
SttModel *stt_model_ref (SttModel *model);
void stt_model_unref (SttModel *model);

const char *stt_model_get_id (const SttModel *model);
const char *stt_model_get_name (const SttModel *model);
const char *stt_model_get_locale (const SttModel *model);
const char *stt_model_get_kind (const SttModel *model);
const char *stt_model_get_created (const SttModel *model);
const char *stt_model_get_base_model (const SttModel *model);    /* NULL unless custom */
const char *stt_model_get_pipeline (const SttModel *model);      /* may be NULL */
const char *stt_model_get_dir (const SttModel *model);
JsonObject *stt_model_get_properties (const SttModel *model);    /* never NULL */
JsonObject *stt_model_get_manifest (const SttModel *model);      /* the whole manifest */

/* Names of the listed files, in manifest order (NULL-terminated, owned by the model). */
const char *const *stt_model_list_files (const SttModel *model);

/* Absolute path of listed file @name (newly allocated), or NULL with NOT_FOUND. */
char *stt_model_get_path (const SttModel *model, const char *name, GError **error);

/* The file's bytes, mapped read-only once per process and shared. */
GBytes *stt_model_map (SttModel *model, const char *name, GError **error);

/* Check every listed file's sha256; the error names the first file that differs. */
gboolean stt_model_verify (const SttModel *model, GError **error);

/* Per-model shared data, built on first request by @create (called with no lock held other
 * than one per (model,key), so two callers never build the same data twice) and kept until
 * the model is freed. @create returns NULL and sets @error on failure; nothing is kept then. */
typedef gpointer (*SttModelCreateFunc) (SttModel *model, gpointer user_data, GError **error);
gpointer stt_model_get_shared (SttModel *model, const char *key, SttModelCreateFunc create,
    gpointer user_data, GDestroyNotify destroy, GError **error);

/* ---- the process-wide cache ---------------------------------------------------------------
 * Models are found by id in the folders of the model path: $STT_MODEL_PATH (':'-separated),
 * then $XDG_DATA_HOME/gst-stt/models, then the install prefix's share/gst-stt/models, then
 * /usr/local/models (the container's mount). A folder of the path holds one sub-folder per
 * model, named by its id. */

/* The shared model for @id_or_dir: a UUID searched in the model path, or a folder path. */
SttModel *stt_model_cache_lookup (const char *id_or_dir, GError **error);

/* The folders searched, in order (newly allocated, NULL-terminated). */
char **stt_model_path_get (void);

/* Every model found in the model path (a new list of new references, first found wins for
 * duplicate ids). Folders that are not valid models are skipped with a g_warning. */
GList *stt_model_path_list (void);

/* ---- writing ------------------------------------------------------------------------------
 * A model is written into a hidden temporary folder next to its destination and renamed into
 * place by stt_model_writer_commit, so readers never see a half-written model. */
typedef struct _SttModelWriter SttModelWriter;

/* Start a model of @kind/@locale with a new random UUID, to be installed in @models_dir
 * (created if missing). */
SttModelWriter *stt_model_writer_new (const char *models_dir, const char *kind,
    const char *locale, GError **error);
const char *stt_model_writer_get_id (const SttModelWriter *writer);
/* Use a given id instead of a random one (e.g. to reproduce a published model). */
gboolean stt_model_writer_set_id (SttModelWriter *writer, const char *uuid, GError **error);
void stt_model_writer_set_name (SttModelWriter *writer, const char *name);
void stt_model_writer_set_base_model (SttModelWriter *writer, const char *uuid);
void stt_model_writer_set_pipeline (SttModelWriter *writer, const char *pipeline);
JsonObject *stt_model_writer_get_properties (SttModelWriter *writer);  /* add members here */

/* Absolute path where file @name (may contain '/') should be written in the temporary folder;
 * parent folders are created. The file is listed when the writer commits. */
char *stt_model_writer_file_path (SttModelWriter *writer, const char *name, GError **error);
/* Convenience: write @data as file @name (durably). */
gboolean stt_model_writer_add_bytes (SttModelWriter *writer, const char *name, GBytes *data,
    GError **error);

/* Hash and list every file written, write the manifest, fsync, and rename the folder into
 * place. Returns the final folder (newly allocated) or NULL; the writer is consumed either
 * way and, on failure, the temporary folder is removed. */
char *stt_model_writer_commit (SttModelWriter *writer, GError **error);
/* Abandon: remove the temporary folder. */
void stt_model_writer_abort (SttModelWriter *writer);

/* sha256 of a file as lower-case hex (newly allocated). */
char *stt_file_sha256 (const char *path, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SttModel, stt_model_unref)

G_END_DECLS
