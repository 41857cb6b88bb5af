/* gst-stt — the model hub's HTTP API on libsoup 3 (docs/hub.md).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "hub.h"

#include <string.h>
#include <libsoup/soup.h>
#include <stt/model.h>

#include "license.h"

#define KEY_HEADER "Ocp-Apim-Subscription-Key"
#define PREFIX "/api/v1/"

struct _SttHub {
  SoupServer *server;
  char *models_dir;
  char *api_key;
  gboolean licenses;
  guint8 priv[STT_LICENSE_KEY_SIZE], pub[STT_LICENSE_KEY_SIZE];
  double license_days;
  guint64 rate;
  guint port;
};

static void
log_request (SoupServerMessage *msg, guint status)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *range = soup_message_headers_get_one (h, "Range");
  GUri *uri = soup_server_message_get_uri (msg);
  g_printerr ("stt-hub: %s %s%s%s%s%s -> %u\n", soup_server_message_get_method (msg),
      g_uri_get_path (uri), g_uri_get_query (uri) ? "?" : "",
      g_uri_get_query (uri) ? g_uri_get_query (uri) : "", range ? " range=" : "",
      range ? range : "", status);
}

static void
reply_json (SoupServerMessage *msg, guint status, JsonNode *node)
{
  g_autofree char *text = json_to_string (node, TRUE);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text,
      strlen (text));
  log_request (msg, status);
}

/* Reply a JSON object of string members: name, value, ..., NULL. */
static void
reply_strings (SoupServerMessage *msg, guint status, const char *name, ...) G_GNUC_NULL_TERMINATED;

static void
reply_strings (SoupServerMessage *msg, guint status, const char *name, ...)
{
  va_list args;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  va_start (args, name);
  for (const char *n = name; n; n = va_arg (args, const char *)) {
    json_builder_set_member_name (b, n);
    json_builder_add_string_value (b, va_arg (args, const char *));
  }
  va_end (args);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  reply_json (msg, status, root);
}

static void
reply_error (SoupServerMessage *msg, guint status, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
reply_error (SoupServerMessage *msg, guint status, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  reply_strings (msg, status, "error", text, NULL);
}

/* Constant-time comparison, so response times do not reveal how much of a key matched. */
static gboolean
key_matches (const char *given, const char *want)
{
  size_t lg = strlen (given), lw = strlen (want);
  guint8 diff = lg != lw;
  for (size_t i = 0; i < lw; i++)
    diff |= (guint8) want[i] ^ (guint8) (i < lg ? given[i] : 0);
  return diff == 0;
}

static gboolean
authorised (SttHub *hub, SoupServerMessage *msg)
{
  if (!hub->api_key)
    return TRUE;
  const char *given = soup_message_headers_get_one (
      soup_server_message_get_request_headers (msg), KEY_HEADER);
  if (given && key_matches (given, hub->api_key))
    return TRUE;
  reply_error (msg, SOUP_STATUS_UNAUTHORIZED, given ? "the " KEY_HEADER " header does not "
      "hold a valid key" : "missing the " KEY_HEADER " header (the ApiKey)");
  return FALSE;
}

/* A model id from a URL: one path component, not hidden. */
static gboolean
id_is_safe (const char *id)
{
  return id && g_uuid_string_is_valid (id);
}

static void
add_summary (JsonBuilder *b, SttModel *m)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, stt_model_get_id (m));
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, stt_model_get_name (m) ? stt_model_get_name (m) : "");
  json_builder_set_member_name (b, "locale");
  json_builder_add_string_value (b, stt_model_get_locale (m));
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, stt_model_get_kind (m));
  json_builder_set_member_name (b, "created");
  json_builder_add_string_value (b, stt_model_get_created (m));
  if (stt_model_get_base_model (m)) {
    json_builder_set_member_name (b, "base_model");
    json_builder_add_string_value (b, stt_model_get_base_model (m));
  }
  json_builder_end_object (b);
}

static gint
newest_first (gconstpointer a, gconstpointer b)
{
  SttModel *ma = *(SttModel **) a, *mb = *(SttModel **) b;
  int c = g_strcmp0 (stt_model_get_created (mb), stt_model_get_created (ma));
  return c ? c : g_strcmp0 (stt_model_get_id (ma), stt_model_get_id (mb));
}

static gboolean
kind_wanted (const char *kinds, const char *kind)
{
  if (!kinds || !*kinds)
    return TRUE;
  g_auto (GStrv) list = g_strsplit (kinds, ",", -1);
  for (char **k = list; *k; k++)
    if (g_strcmp0 (*k, kind) == 0)
      return TRUE;
  return FALSE;
}

/* GET /api/v1/models?locale=&kind= : the models of the folder, newest first. The folder is
 * read on every request, so a mirror sees models copied in without a restart. */
static void
list_models (SttHub *hub, SoupServerMessage *msg, GHashTable *query)
{
  const char *locale = query ? g_hash_table_lookup (query, "locale") : NULL;
  const char *kinds = query ? g_hash_table_lookup (query, "kind") : NULL;
  g_autoptr (GPtrArray) models = g_ptr_array_new_with_free_func (
      (GDestroyNotify) stt_model_unref);
  g_autoptr (GDir) dir = g_dir_open (hub->models_dir, 0, NULL);
  const char *name;
  while (dir && (name = g_dir_read_name (dir))) {
    if (name[0] == '.')
      continue;
    g_autofree char *path = g_build_filename (hub->models_dir, name, NULL);
    g_autoptr (GError) error = NULL;
    SttModel *m = g_file_test (path, G_FILE_TEST_IS_DIR) ? stt_model_open (path, &error) : NULL;
    if (m && g_strcmp0 (stt_model_get_id (m), name) != 0) {
      g_printerr ("stt-hub: skipping %s: its manifest says id %s; a model folder is named by "
          "its id\n", path, stt_model_get_id (m));
      g_clear_pointer (&m, stt_model_unref);
    }
    if (!m) {
      if (error)
        g_printerr ("stt-hub: skipping %s: %s\n", path, error->message);
      continue;
    }
    if ((!locale || g_ascii_strcasecmp (locale, stt_model_get_locale (m)) == 0)
        && kind_wanted (kinds, stt_model_get_kind (m)))
      g_ptr_array_add (models, m);
    else
      stt_model_unref (m);
  }
  g_ptr_array_sort (models, newest_first);

  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "models");
  json_builder_begin_array (b);
  for (guint i = 0; i < models->len; i++)
    add_summary (b, g_ptr_array_index (models, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  reply_json (msg, SOUP_STATUS_OK, root);
}

static SttModel *
open_model (SttHub *hub, SoupServerMessage *msg, const char *id)
{
  g_autoptr (GError) error = NULL;
  if (!id_is_safe (id)) {
    reply_error (msg, SOUP_STATUS_BAD_REQUEST, "\"%s\" is not a model id", id);
    return NULL;
  }
  g_autofree char *path = g_build_filename (hub->models_dir, id, NULL);
  SttModel *m = stt_model_open (path, &error);
  if (!m)
    reply_error (msg, SOUP_STATUS_NOT_FOUND, "no model %s on this hub", id);
  return m;
}

static void
send_manifest (SttHub *hub, SoupServerMessage *msg, const char *id)
{
  g_autoptr (SttModel) m = open_model (hub, msg, id);
  if (!m)
    return;
  g_autofree char *path = g_build_filename (stt_model_get_dir (m), "manifest.json", NULL);
  g_autofree char *text = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &text, &len, NULL)) {
    reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "cannot read the manifest of %s", id);
    return;
  }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
      g_steal_pointer (&text), len);
  log_request (msg, SOUP_STATUS_OK);
}

/* ---- file bodies, in chunks (paced when --rate is given) ---- */

typedef struct {
  GBytes *data;                 /* the whole file, mapped */
  gsize offset, end;            /* the range still to send */
  gsize chunk;
  guint interval_ms;
  gboolean finished;
} Transfer;

static void
transfer_free (gpointer p)
{
  Transfer *t = p;
  g_bytes_unref (t->data);
  g_free (t);
}

static void
append_chunk (SoupServerMessage *msg, Transfer *t)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  if (t->offset < t->end) {
    gsize n = MIN (t->chunk, t->end - t->offset);
    g_autoptr (GBytes) part = g_bytes_new_from_bytes (t->data, t->offset, n);
    soup_message_body_append_bytes (body, part);
    t->offset += n;
  } else {
    soup_message_body_complete (body);
  }
  soup_server_message_unpause (msg);
}

static gboolean
paced_chunk (gpointer data)
{
  SoupServerMessage *msg = data;
  Transfer *t = g_object_get_data (G_OBJECT (msg), "stt-transfer");
  if (!t->finished)
    append_chunk (msg, t);
  return G_SOURCE_REMOVE;
}

static void
next_chunk (SoupServerMessage *msg, gpointer data)
{
  Transfer *t = data;
  if (t->finished)
    return;
  if (t->interval_ms && t->offset > 0 && t->offset < t->end) {
    soup_server_message_pause (msg);
    g_timeout_add_full (G_PRIORITY_DEFAULT, t->interval_ms, paced_chunk, g_object_ref (msg),
        g_object_unref);
  } else {
    append_chunk (msg, t);
  }
}

static void
transfer_finished (SoupServerMessage *msg, gpointer data)
{
  ((Transfer *) data)->finished = TRUE;
}

static void
send_file (SttHub *hub, SoupServerMessage *msg, const char *id, const char *name)
{
  g_autoptr (SttModel) m = open_model (hub, msg, id);
  if (!m)
    return;
  gboolean listed = FALSE;
  for (const char *const *f = stt_model_list_files (m); f && *f; f++)
    listed |= strcmp (*f, name) == 0;
  g_autofree char *path = listed ? stt_model_get_path (m, name, NULL) : NULL;
  g_autoptr (GMappedFile) mapped = path ? g_mapped_file_new (path, FALSE, NULL) : NULL;
  if (!mapped) {
    reply_error (msg, SOUP_STATUS_NOT_FOUND, "model %s has no file %s", id, name);
    return;
  }
  Transfer *t = g_new0 (Transfer, 1);
  t->data = g_mapped_file_get_bytes (mapped);
  gsize size = g_bytes_get_size (t->data);
  t->end = size;
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  SoupRange *ranges = NULL;
  int n_ranges = 0;
  guint status = SOUP_STATUS_OK;
  if (soup_message_headers_get_ranges (req, size, &ranges, &n_ranges)) {
    if (n_ranges != 1 || ranges[0].start > ranges[0].end || (gsize) ranges[0].start >= size) {
      soup_message_headers_free_ranges (req, ranges);
      transfer_free (t);
      soup_message_headers_set_content_range (resp, 0, -1, size);
      reply_error (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE,
          "one byte range within the file's %" G_GSIZE_FORMAT " bytes is supported", size);
      return;
    }
    t->offset = ranges[0].start;
    t->end = ranges[0].end + 1;
    soup_message_headers_free_ranges (req, ranges);
    soup_message_headers_set_content_range (resp, t->offset, t->end - 1, size);
    status = SOUP_STATUS_PARTIAL_CONTENT;
  }
  soup_message_headers_replace (resp, "Accept-Ranges", "bytes");
  soup_message_headers_set_content_type (resp, "application/octet-stream", NULL);
  soup_message_headers_set_encoding (resp, SOUP_ENCODING_CONTENT_LENGTH);
  soup_message_headers_set_content_length (resp, t->end - t->offset);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  soup_server_message_set_status (msg, status, NULL);
  log_request (msg, status);

  /* pace by sending rate/10 bytes every 100 ms */
  t->chunk = hub->rate ? MAX (hub->rate / 10, 1) : 256 * 1024;
  t->interval_ms = hub->rate ? 100 : 0;
  g_object_set_data_full (G_OBJECT (msg), "stt-transfer", t, transfer_free);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (next_chunk), t);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (next_chunk), t);
  g_signal_connect (msg, "finished", G_CALLBACK (transfer_finished), t);
  g_signal_connect (msg, "disconnected", G_CALLBACK (transfer_finished), t);
}

/* ---- licenses ---- */

static void
send_public_key (SttHub *hub, SoupServerMessage *msg)
{
  g_autofree char *key = stt_license_key_to_string (hub->pub);
  g_autofree char *key_id = stt_license_key_id (hub->pub);
  reply_strings (msg, SOUP_STATUS_OK, "algorithm", "ed25519", "public_key", key, "key_id",
      key_id, NULL);
}

static void
send_license (SttHub *hub, SoupServerMessage *msg)
{
  const char *key = soup_message_headers_get_one (
      soup_server_message_get_request_headers (msg), KEY_HEADER);
  /* the subject names the key the license was issued to without revealing it */
  g_autofree char *key_sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
      key ? key : "", -1);
  g_autofree char *subject = g_strdup_printf ("api-key-sha256:%.16s", key_sum);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) expires = g_date_time_add_seconds (now, hub->license_days * 86400.0);
  g_autofree char *doc = stt_license_issue (hub->priv, hub->pub, subject, expires);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, doc,
      strlen (doc));
  log_request (msg, SOUP_STATUS_OK);
}

static void
send_status (SttHub *hub, SoupServerMessage *msg)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "service");
  json_builder_add_string_value (b, "stt-hub");
  json_builder_set_member_name (b, "apiStatus");
  json_builder_add_string_value (b, "Valid");
  json_builder_set_member_name (b, "apiStatusMessage");
  json_builder_add_string_value (b, hub->api_key ? "Api Key is valid." : "No key required.");
  json_builder_set_member_name (b, "licenses");
  json_builder_add_boolean_value (b, hub->licenses);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  reply_json (msg, SOUP_STATUS_OK, root);
}

static void
handle_api (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
    gpointer data)
{
  SttHub *hub = data;
  if (g_strcmp0 (soup_server_message_get_method (msg), "GET") != 0) {
    reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "only GET is served");
    return;
  }
  if (!authorised (hub, msg))
    return;
  const char *rest = g_str_has_prefix (path, PREFIX) ? path + strlen (PREFIX) : "";
  g_auto (GStrv) parts = g_strsplit (rest, "/", 4);
  guint n = g_strv_length (parts);

  if (n == 1 && strcmp (parts[0], "status") == 0)
    send_status (hub, msg);
  else if (n == 1 && strcmp (parts[0], "models") == 0)
    list_models (hub, msg, query);
  else if (n == 3 && strcmp (parts[0], "models") == 0 && strcmp (parts[2], "manifest") == 0) {
    g_autofree char *id = g_uri_unescape_string (parts[1], "/");
    send_manifest (hub, msg, id);
  } else if (n == 4 && strcmp (parts[0], "models") == 0 && strcmp (parts[2], "files") == 0) {
    g_autofree char *id = g_uri_unescape_string (parts[1], "/");
    g_autofree char *name = g_uri_unescape_string (parts[3], NULL);
    if (id && name)
      send_file (hub, msg, id, name);
    else
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed escapes in %s", path);
  }
  else if (parts[0] && strcmp (parts[0], "license") == 0 && n <= 2 && !hub->licenses)
    reply_error (msg, SOUP_STATUS_NOT_FOUND, "this hub does not issue licenses (it was "
        "started without --license-key)");
  else if (n == 1 && strcmp (parts[0], "license") == 0)
    send_license (hub, msg);
  else if (n == 2 && strcmp (parts[0], "license") == 0 && strcmp (parts[1], "public-key") == 0)
    send_public_key (hub, msg);
  else
    reply_error (msg, SOUP_STATUS_NOT_FOUND, "no such endpoint %s (see docs/hub.md)", path);
}

SttHub *
stt_hub_new (const SttHubConfig *config, GError **error)
{
  if (!g_file_test (config->models_dir, G_FILE_TEST_IS_DIR)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
        "models folder %s does not exist: give --models a folder holding one sub-folder "
        "per model", config->models_dir);
    return NULL;
  }
  SttHub *hub = g_new0 (SttHub, 1);
  hub->models_dir = g_strdup (config->models_dir);
  hub->api_key = g_strdup (config->api_key);
  hub->license_days = config->license_days;
  hub->rate = config->rate;
  if (config->license_key_file) {
    if (!stt_license_key_load_or_create (config->license_key_file, hub->priv, hub->pub, error)) {
      stt_hub_free (hub);
      return NULL;
    }
    hub->licenses = TRUE;
  }
  hub->server = soup_server_new ("server-header", "stt-hub", NULL);
  soup_server_add_handler (hub->server, "/api", handle_api, hub, NULL);
  gboolean ok;
  if (config->host) {
    g_autoptr (GInetAddress) addr = g_inet_address_new_from_string (config->host);
    if (!addr) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "--host %s is not an IP address", config->host);
      stt_hub_free (hub);
      return NULL;
    }
    g_autoptr (GSocketAddress) sa = g_inet_socket_address_new (addr, config->port);
    ok = soup_server_listen (hub->server, sa, 0, error);
  } else {
    ok = soup_server_listen_all (hub->server, config->port, 0, error);
  }
  if (!ok) {
    stt_hub_free (hub);
    return NULL;
  }
  GSList *uris = soup_server_get_uris (hub->server);
  hub->port = uris ? (guint) g_uri_get_port (uris->data) : config->port;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return hub;
}

guint
stt_hub_get_port (const SttHub *hub)
{
  return hub->port;
}

void
stt_hub_free (SttHub *hub)
{
  if (!hub)
    return;
  if (hub->server) {
    soup_server_disconnect (hub->server);
    g_object_unref (hub->server);
  }
  memset (hub->priv, 0, sizeof hub->priv);
  g_free (hub->models_dir);
  g_free (hub->api_key);
  g_free (hub);
}
