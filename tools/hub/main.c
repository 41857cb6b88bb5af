/* gst-stt — stt-hub: serve a folder of models (and licenses) to stt-container over HTTP.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <glib-unix.h>

#include "hub.h"

static gboolean
quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  g_autofree char *models = NULL, *host = NULL, *api_key = NULL, *license_key = NULL;
  int port = 8080;
  double license_days = 365;
  gint64 rate = 0;
  GOptionEntry entries[] = {
    { "models", 'm', 0, G_OPTION_ARG_FILENAME, &models,
      "folder with one sub-folder per model (required)", "DIR" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "TCP port (default 8080; 0 = any free port)",
      "N" },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, "address to listen on (default: all)", "ADDR" },
    { "api-key", 0, 0, G_OPTION_ARG_STRING, &api_key,
      "key every request must carry in Ocp-Apim-Subscription-Key (default: none)", "KEY" },
    { "license-key", 0, 0, G_OPTION_ARG_FILENAME, &license_key,
      "Ed25519 private key file to sign licenses with; created when missing (default: no "
      "licenses)", "FILE" },
    { "license-days", 0, 0, G_OPTION_ARG_DOUBLE, &license_days,
      "validity of issued licenses in days (default 365)", "DAYS" },
    { "rate", 0, 0, G_OPTION_ARG_INT64, &rate,
      "limit each download to this many bytes per second (default: unlimited)", "BYTES" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- serve gst-stt models");
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || !models || port < 0
      || port > 65535 || rate < 0) {
    g_printerr ("stt-hub: %s\n", error ? error->message
        : "give --models DIR, a --port from 0 to 65535 and a --rate >= 0 (see --help)");
    return 2;
  }
  SttHubConfig config = {
    .models_dir = models, .host = host, .port = port, .api_key = api_key,
    .license_key_file = license_key, .license_days = license_days, .rate = rate,
  };
  SttHub *hub = stt_hub_new (&config, &error);
  if (!hub) {
    g_printerr ("stt-hub: %s\n", error->message);
    return 1;
  }
  /* the first line on stdout is the URL, so scripts (and the tests) can start on port 0 */
  printf ("http://%s:%u/\n", host ? host : "127.0.0.1", stt_hub_get_port (hub));
  fflush (stdout);
  g_printerr ("stt-hub: serving %s on port %u%s%s\n", models, stt_hub_get_port (hub),
      api_key ? ", key required" : "", license_key ? ", issuing licenses" : "");
  GMainLoop *loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit, loop);
  g_unix_signal_add (SIGTERM, quit, loop);
  g_main_loop_run (loop);
  g_main_loop_unref (loop);
  stt_hub_free (hub);
  return 0;
}
