/* gst-stt — synchronous libsoup 3 client of the model hub (docs/hub.md).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stt/json.h>
#include "config.h"
#include "hubclient.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <libsoup/soup.h>
#include <nettle/sha2.h>

G_DEFINE_QUARK (stt-hub-error-quark, stt_hub_error)

#define KEY_HEADER "Ocp-Apim-Subscription-Key"
#define CHUNK (256 * 1024)

struct _SttHubClient {
  SoupSession *session;
  char *base;                   /* ends with '/' */
  char *api_key;
};

SttHubClient *
stt_hub_client_new (const char *base_url, const char *api_key, GError **error)
{
  g_autoptr (GUri) uri = base_url ? g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (!uri || !g_uri_get_host (uri) || (g_strcmp0 (scheme, "http") != 0
          && g_strcmp0 (scheme, "https") != 0)) {
    g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_URL,
        "Billing=%s is not an http:// or https:// URL of a model hub (e.g. "
        "Billing=http://hub.example:8080/)", base_url ? base_url : "");
    return NULL;
  }
  SttHubClient *hub = g_new0 (SttHubClient, 1);
  hub->base = g_str_has_suffix (base_url, "/") ? g_strdup (base_url)
      : g_strconcat (base_url, "/", NULL);
  hub->api_key = g_strdup (api_key);
  hub->session = soup_session_new_with_options ("user-agent", "stt-container/" VERSION,
      "timeout", 60, "idle-timeout", 60, NULL);
  return hub;
}

void
stt_hub_client_free (SttHubClient *hub)
{
  if (!hub)
    return;
  g_object_unref (hub->session);
  g_free (hub->base);
  g_free (hub->api_key);
  g_free (hub);
}

const char *
stt_hub_client_get_url (const SttHubClient *hub)
{
  return hub->base;
}

static SoupMessage *
new_request (SttHubClient *hub, const char *path)
{
  g_autofree char *url = g_uri_resolve_relative (hub->base, path, G_URI_FLAGS_NONE, NULL);
  SoupMessage *msg = url ? soup_message_new ("GET", url) : NULL;
  if (msg && hub->api_key)
    soup_message_headers_replace (soup_message_get_request_headers (msg), KEY_HEADER,
        hub->api_key);
  return msg;
}

static void
set_transport_error (SttHubClient *hub, GError *cause, GError **error)
{
  g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_UNREACHABLE,
      "cannot reach the model hub at %s (Billing): %s: check Billing and the network",
      hub->base, cause->message);
}

/* The hub's {"error": "..."} text of a failed response, or the HTTP reason. */
static char *
error_text (SoupMessage *msg, GBytes *body)
{
  if (body && g_bytes_get_size (body) > 0) {
    g_autoptr (JsonParser) p = json_parser_new ();
    gsize len;
    const char *data = g_bytes_get_data (body, &len);
    if (json_parser_load_from_data (p, data, len, NULL) && json_parser_get_root (p)
        && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p))) {
      JsonObject *o = json_node_get_object (json_parser_get_root (p));
      const char *m = stt_json_string (o, "error", NULL);
      if (m)
        return g_strdup (m);
    }
  }
  return g_strdup (soup_message_get_reason_phrase (msg));
}

static gboolean
check_status (SttHubClient *hub, SoupMessage *msg, const char *path, GBytes *body,
    GError **error)
{
  guint status = soup_message_get_status (msg);
  if (status >= 200 && status < 300)
    return TRUE;
  g_autofree char *text = error_text (msg, body);
  if (status == 401 || status == 403)
    g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_AUTH,
        "the model hub at %s refused the ApiKey (HTTP %u: %s): check ApiKey", hub->base,
        status, text);
  else if (status == 404)
    g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_NOT_FOUND,
        "the model hub at %s has no %s (HTTP 404: %s)", hub->base, path, text);
  else
    g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_PROTOCOL,
        "the model hub at %s answered HTTP %u to %s: %s", hub->base, status, path, text);
  return FALSE;
}

GBytes *
stt_hub_client_get (SttHubClient *hub, const char *path, GError **error)
{
  g_autoptr (SoupMessage) msg = new_request (hub, path);
  g_autoptr (GError) local = NULL;
  if (!msg) {
    g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_URL, "cannot form a URL from %s and %s",
        hub->base, path);
    return NULL;
  }
  g_autoptr (GBytes) body = soup_session_send_and_read (hub->session, msg, NULL, &local);
  if (!body) {
    set_transport_error (hub, local, error);
    return NULL;
  }
  if (!check_status (hub, msg, path, body, error))
    return NULL;
  return g_steal_pointer (&body);
}

JsonObject *
stt_hub_client_parse_object (SttHubClient *hub, GBytes *body, const char *what,
    GError **error)
{
  g_autoptr (JsonParser) p = json_parser_new ();
  g_autoptr (GError) local = NULL;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  if (!json_parser_load_from_data (p, data, len, &local) || !json_parser_get_root (p)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p))) {
    g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_PROTOCOL,
        "the model hub at %s answered %s with something that is not a JSON object%s%s: is "
        "Billing the URL of an stt-hub?", hub->base, what, local ? ": " : "",
        local ? local->message : "");
    return NULL;
  }
  return json_object_ref (json_node_get_object (json_parser_get_root (p)));
}

JsonObject *
stt_hub_client_get_json (SttHubClient *hub, const char *path, GError **error)
{
  g_autoptr (GBytes) body = stt_hub_client_get (hub, path, error);
  return body ? stt_hub_client_parse_object (hub, body, path, error) : NULL;
}

/* Hash the first @length bytes of @dest (the part an earlier run downloaded). */
static gboolean
hash_prefix (struct sha256_ctx *ctx, const char *dest, guint64 length, GError **error)
{
  int fd = length ? open (dest, O_RDONLY | O_CLOEXEC) : -1;
  if (length && fd < 0) {
    int e = errno;
    g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_IO, "cannot read %s: %s", dest,
        g_strerror (e));
    return FALSE;
  }
  g_autofree guint8 *buf = g_malloc (CHUNK);
  while (length > 0) {
    ssize_t n = read (fd, buf, MIN ((guint64) CHUNK, length));
    if (n <= 0) {
      int e = n < 0 ? errno : EIO;
      g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_IO, "cannot read %s: %s", dest,
          g_strerror (e));
      close (fd);
      return FALSE;
    }
    sha256_update (ctx, n, buf);
    length -= n;
  }
  if (fd >= 0)
    close (fd);
  return TRUE;
}

static char *
hex_digest (struct sha256_ctx *ctx)
{
  guint8 digest[SHA256_DIGEST_SIZE];
  sha256_digest (ctx, sizeof digest, digest);
  char *hex = g_malloc (2 * sizeof digest + 1);
  for (guint i = 0; i < sizeof digest; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", digest[i]);
  return hex;
}

/* Copy the response stream after the first @offset bytes into @fd (and into @ctx). */
static gboolean
copy_body (SttHubClient *hub, GInputStream *in, int fd, const char *dest, guint64 offset,
    guint64 size, const char *name, SttHubProgressFunc progress, gpointer progress_data,
    struct sha256_ctx *ctx, GError **error)
{
  g_autofree guint8 *buf = g_malloc (CHUNK);
  guint64 done = offset;
  gboolean ok = TRUE;
  while (ok && done < size) {
    g_autoptr (GError) local = NULL;
    gssize n = g_input_stream_read (in, buf, MIN ((guint64) CHUNK, size - done), NULL, &local);
    if (n < 0 || (n == 0 && done < size)) {
      g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_UNREACHABLE,
          "the download of %s from %s broke off at byte %" G_GUINT64_FORMAT " of %"
          G_GUINT64_FORMAT "%s%s: run again to resume", name, hub->base, done, size,
          local ? ": " : "", local ? local->message : "");
      ok = FALSE;
      break;
    }
    for (gssize w = 0; w < n;) {
      ssize_t k = write (fd, buf + w, n - w);
      if (k < 0) {
        int e = errno;
        g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_IO, "cannot write %s: %s", dest,
            g_strerror (e));
        ok = FALSE;
        break;
      }
      w += k;
    }
    if (ok) {
      done += n;
      sha256_update (ctx, n, buf);
    }
    if (progress)
      progress (name, done, size, progress_data);
  }
  /* keep what arrived, durably, so that the next run resumes from it */
  if (fsync (fd) != 0 && ok) {
    int e = errno;
    g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_IO, "cannot fsync %s: %s", dest,
        g_strerror (e));
    ok = FALSE;
  }
  return ok;
}

gboolean
stt_hub_client_fetch_file (SttHubClient *hub, const char *path, const char *dest,
    guint64 size, const char *name, SttHubProgressFunc progress, gpointer progress_data,
    guint64 *resumed_from, char **sha256, GError **error)
{
  struct stat st;
  struct sha256_ctx ctx;
  guint64 offset = stat (dest, &st) == 0 ? (guint64) st.st_size : 0;
  if (offset > size)
    offset = 0;                 /* longer than the manifest says: start over */
  if (resumed_from)
    *resumed_from = offset;
  sha256_init (&ctx);
  if (size == 0) {              /* nothing to fetch, but the file must exist */
    int fd = open (dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      int e = errno;
      g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_IO, "cannot write %s: %s", dest,
          g_strerror (e));
      return FALSE;
    }
    close (fd);
  }
  if (offset == size) {
    if (sha256 && !hash_prefix (&ctx, dest, size, error))
      return FALSE;
    if (sha256)
      *sha256 = hex_digest (&ctx);
    return TRUE;
  }

  g_autoptr (SoupMessage) msg = new_request (hub, path);
  if (!msg) {
    g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_URL, "cannot form a URL from %s and %s",
        hub->base, path);
    return FALSE;
  }
  if (offset > 0)
    soup_message_headers_set_range (soup_message_get_request_headers (msg), offset, -1);
  g_autoptr (GError) local = NULL;
  g_autoptr (GInputStream) in = soup_session_send (hub->session, msg, NULL, &local);
  if (!in) {
    set_transport_error (hub, local, error);
    return FALSE;
  }
  guint status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_OK) {
    offset = 0;                 /* the whole file came back */
  } else if (status == SOUP_STATUS_PARTIAL_CONTENT) {
    goffset start = 0, end = 0, total = 0;
    if (!soup_message_headers_get_content_range (soup_message_get_response_headers (msg),
            &start, &end, &total) || (guint64) start != offset) {
      g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_PROTOCOL,
          "the model hub at %s answered a request for %s from byte %" G_GUINT64_FORMAT
          " with another range", hub->base, path, offset);
      return FALSE;
    }
  } else {
    g_autoptr (GBytes) body = g_input_stream_read_bytes (in, 4096, NULL, NULL);
    return check_status (hub, msg, path, body, error)
        || (g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_PROTOCOL,
                "the model hub at %s answered HTTP %u to %s", hub->base, status, path), FALSE);
  }
  if (resumed_from)
    *resumed_from = offset;
  if (!hash_prefix (&ctx, dest, offset, error))
    return FALSE;

  int fd = open (dest, O_WRONLY | O_CREAT | O_CLOEXEC | (offset ? O_APPEND : O_TRUNC), 0644);
  if (fd < 0) {
    int e = errno;
    g_set_error (error, STT_HUB_ERROR, STT_HUB_ERROR_IO, "cannot write %s: %s", dest,
        g_strerror (e));
    return FALSE;
  }
  gboolean ok = copy_body (hub, in, fd, dest, offset, size, name, progress, progress_data,
      &ctx, error);
  close (fd);
  g_input_stream_close (in, NULL, NULL);
  if (ok && sha256)
    *sha256 = hex_digest (&ctx);
  return ok;
}
