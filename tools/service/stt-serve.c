/* gst-stt — stt-serve: the speech service on one pipeline fragment, for development and tests.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   stt-serve --pipeline "sttfeatures ! sttacoustic ! sttdecoder" --port 5000
 * Prints "listening on port N" once it accepts connections (port 0 picks a free one), and
 * stops cleanly on SIGINT/SIGTERM.
 */
#include "service.h"

#include <glib-unix.h>
#include <gst/gst.h>
#include <stdio.h>
#include <stdlib.h>

static gboolean
on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static gboolean
print_usage (const char *model_id, double audio_seconds, const char *endpoint,
    gpointer user_data, GError **error)
{
  g_print ("usage: model=%s endpoint=%s audio_seconds=%.3f\n", model_id ? model_id : "",
      endpoint, audio_seconds);
  return TRUE;
}

int
main (int argc, char **argv)
{
  char *pipeline = NULL, *host = NULL, *model_id = NULL, *locale = NULL, *key = NULL;
  int port = 5000, max_streams = 0, max_audio = 0;
  int header_timeout = 0, idle_timeout = 0, connection_idle_timeout = 0;
  gboolean usage = FALSE;
  GOptionEntry entries[] = {
    { "pipeline", 'p', 0, G_OPTION_ARG_STRING, &pipeline,
      "Pipeline fragment from 16 kHz S16LE mono audio to application/x-stt-result", "DESC" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "TCP port (default 5000; 0 = any free port)", "N" },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, "Address to bind (default: all)", "ADDR" },
    { "model-id", 0, 0, G_OPTION_ARG_STRING, &model_id, "Model id reported in /status", "ID" },
    { "locale", 0, 0, G_OPTION_ARG_STRING, &locale, "Language served (default en-US)", "LOC" },
    { "max-streams", 0, 0, G_OPTION_ARG_INT, &max_streams,
      "Concurrent recognition streams (default 0 = unlimited)", "N" },
    { "max-audio-seconds", 0, 0, G_OPTION_ARG_INT, &max_audio,
      "Audio per request in seconds (default 0 = unlimited)", "S" },
    { "key", 0, 0, G_OPTION_ARG_STRING, &key,
      "Key clients must send (Ocp-Apim-Subscription-Key); default none", "KEY" },
    { "header-timeout", 0, 0, G_OPTION_ARG_INT, &header_timeout,
      "Seconds a request may take to send its headers (default 10)", "S" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
      "Seconds without data that drop a request body or a WebSocket turn (default 30)", "S" },
    { "connection-idle-timeout", 0, 0, G_OPTION_ARG_INT, &connection_idle_timeout,
      "Seconds without messages that close a WebSocket between turns (default 180)", "S" },
    { "print-usage", 0, 0, G_OPTION_ARG_NONE, &usage,
      "Print one line per finished request (the usage callback)", NULL },
    { NULL },
  };
  GOptionContext *ctx = g_option_context_new ("- serve speech recognition over the Speech SDK "
      "protocol");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  GError *err = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    fprintf (stderr, "stt-serve: %s (see --help)\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);
  if (!pipeline) {
    fprintf (stderr, "stt-serve: --pipeline is required, e.g. --pipeline "
        "\"sttfeatures ! sttacoustic ! sttdecoder\"\n");
    return 2;
  }
  if (port < 0 || port > 65535 || max_streams < 0 || max_audio < 0 || header_timeout < 0
      || idle_timeout < 0 || connection_idle_timeout < 0) {
    fprintf (stderr, "stt-serve: --port must be 0-65535 and limits and timeouts must not be "
        "negative\n");
    return 2;
  }
  SttServiceConfig config = {
    .host = host, .port = port, .pipeline = pipeline, .model_id = model_id,
    .locale = locale ? locale : "en-US", .max_streams = max_streams,
    .max_audio_seconds = max_audio, .api_key = key,
    .header_timeout_seconds = header_timeout, .idle_timeout_seconds = idle_timeout,
    .connection_idle_timeout_seconds = connection_idle_timeout,
    .usage_func = usage ? print_usage : NULL,
  };
  SttService *service = stt_service_new (&config, &err);
  if (!service || !stt_service_start (service, &err)) {
    fprintf (stderr, "stt-serve: %s\n", err->message);
    stt_service_free (service);
    return 1;
  }
  g_print ("listening on port %u\n", stt_service_get_port (service));
  GMainLoop *loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  stt_service_stop (service);
  stt_service_free (service);
  g_main_loop_unref (loop);
  g_free (pipeline);
  g_free (host);
  g_free (model_id);
  g_free (locale);
  g_free (key);
  return 0;
}
