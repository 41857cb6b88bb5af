/* gst-stt — stt-hub's HTTP API directly (docs/hub.md): key header, listing filters, ranges,
 * refusals, bad command lines.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "testutil.h"
#include "toolrun.h"

#define KEY "hub-test-key"

static const char *const wav[] = { "dev/fsdd_digits/fsdd_george_2_0.wav", NULL };

typedef struct {
  guint status;
  GBytes *body;
  char *content_range;
} Reply;

static Reply
get (TrHub *hub, const char *path, const char *key, const char *range)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (hub->url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  SoupMessageHeaders *h = soup_message_get_request_headers (msg);
  if (key)
    soup_message_headers_replace (h, "Ocp-Apim-Subscription-Key", key);
  if (range)
    soup_message_headers_replace (h, "Range", range);
  g_autoptr (GError) error = NULL;
  Reply r = { 0 };
  r.body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  r.status = soup_message_get_status (msg);
  r.content_range = g_strdup (soup_message_headers_get_one (
      soup_message_get_response_headers (msg), "Content-Range"));
  return r;
}

static void
reply_clear (Reply *r)
{
  g_bytes_unref (r->body);
  g_free (r->content_range);
}

static void
test_api (void)
{
  g_autofree char *dir = tr_tmpdir ();
  g_autofree char *base = tr_make_model (dir, "base", "en-US", NULL, "sttdecoder", NULL, wav);
  g_autofree char *punct = tr_make_model (dir, "punct", "en-us", NULL, NULL, NULL, wav);
  g_autofree char *itn = tr_make_model (dir, "wfstitn", "de-DE", NULL, NULL, NULL, wav);
  const char *args[] = { "--api-key", KEY, NULL };
  TrHub *hub = tr_hub_start (dir, args);

  /* the key travels in Ocp-Apim-Subscription-Key */
  Reply r = get (hub, "api/v1/status", NULL, NULL);
  g_assert_cmpuint (r.status, ==, 401);
  reply_clear (&r);
  r = get (hub, "api/v1/status", "nearly-" KEY, NULL);
  g_assert_cmpuint (r.status, ==, 401);
  reply_clear (&r);
  r = get (hub, "api/v1/status", KEY, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  reply_clear (&r);

  /* listing: locale case-insensitive, kinds as a list */
  r = get (hub, "api/v1/models?locale=EN-us&kind=punct,base", KEY, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_autofree char *list = g_strndup (g_bytes_get_data (r.body, NULL), g_bytes_get_size (r.body));
  g_assert_nonnull (strstr (list, base));
  g_assert_nonnull (strstr (list, punct));
  g_assert_null (strstr (list, itn));
  reply_clear (&r);

  /* ranges: the bytes of the file from the given offset */
  g_autofree char *src = stt_test_data_path (wav[0]);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (src, &data, &len, NULL));
  g_autofree char *file = g_strdup_printf ("api/v1/models/%s/files/data/fsdd_george_2_0.wav",
      base);
  r = get (hub, file, KEY, NULL);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (r.body), ==, len);
  g_assert_cmpmem (g_bytes_get_data (r.body, NULL), len, data, len);
  reply_clear (&r);
  r = get (hub, file, KEY, "bytes=1000-");
  g_assert_cmpuint (r.status, ==, 206);
  g_assert_cmpmem (g_bytes_get_data (r.body, NULL), g_bytes_get_size (r.body), data + 1000,
      len - 1000);
  g_autofree char *cr = g_strdup_printf ("bytes 1000-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT,
      len - 1, len);
  g_assert_cmpstr (r.content_range, ==, cr);
  reply_clear (&r);
  r = get (hub, file, KEY, "bytes=100-199");
  g_assert_cmpuint (r.status, ==, 206);
  g_assert_cmpmem (g_bytes_get_data (r.body, NULL), g_bytes_get_size (r.body), data + 100, 100);
  reply_clear (&r);
  g_autofree char *past = g_strdup_printf ("bytes=%" G_GSIZE_FORMAT "-", len + 10);
  r = get (hub, file, KEY, past);
  g_assert_cmpuint (r.status, ==, 416);
  reply_clear (&r);

  /* only listed files of real models */
  g_autofree char *manifest_as_file = g_strdup_printf ("api/v1/models/%s/files/manifest.json",
      base);
  g_autofree char *escape = g_strdup_printf ("api/v1/models/%s/files/..%%2F..%%2Fetc%%2Fpasswd",
      base);
  const char *refused[] = { manifest_as_file, escape, "api/v1/models/not-an-id/manifest",
    "api/v1/models/6f1d5a43-0f6e-4b8e-9a0c-111111111111/manifest", "api/v1/nothing",
    "api/v1/license" };
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++) {
    r = get (hub, refused[i], KEY, NULL);
    g_assert_cmpuint (r.status, >=, 400);
    g_assert_cmpuint (r.status, <, 500);
    reply_clear (&r);
  }
  tr_hub_free (hub);
  tr_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_command_line (void)
{
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "no-such-stt-models", NULL);
  const char *no_models[] = { tr_bin ("STT_HUB_BIN"), "--port", "0", NULL };
  const char *bad_dir[] = { tr_bin ("STT_HUB_BIN"), "--models", missing, "--port", "0", NULL };
  const char *const *cases[] = { no_models, bad_dir };
  int expect[] = { 2, 1 };
  const char *says[] = { "--models", "does not exist" };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GSubprocess) p = tr_spawn (cases[i], G_SUBPROCESS_FLAGS_STDERR_PIPE
        | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
    g_autofree char *err = NULL;
    g_assert_true (g_subprocess_communicate_utf8 (p, NULL, NULL, NULL, &err, NULL));
    g_assert_cmpint (g_subprocess_get_exit_status (p), ==, expect[i]);
    g_assert_nonnull (strstr (err, says[i]));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hub/api", test_api);
  g_test_add_func ("/hub/command-line", test_command_line);
  return g_test_run ();
}
