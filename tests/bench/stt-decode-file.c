/* gst-stt — decode WAV files with the core libraries directly (front end, scorer, search),
 * without GStreamer: a developer tool for tuning the search (not part of the suite).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * stt-decode-file [--model ID|DIR] [--beam B] [--lw W] [--wip P] [--live] FILE.wav...
 * prints "<file basename> <words>" per file and the real-time factor (thread CPU time) on
 * stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <stt/am.h>
#include <stt/fe.h>
#include <stt/search.h>

/* CPU time of this thread in microseconds (timings stay meaningful on a busy machine). */
static gint64
cpu_us (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_GINT64_CONSTANT (1000000) + ts.tv_nsec / 1000;
}

static gint16 *
read_wav (const char *path, gsize *n, GError **error)
{
  char *data;
  gsize len;
  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  if (len < 44 || memcmp (data, "RIFF", 4) != 0) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: not a WAV file", path);
    g_free (data);
    return NULL;
  }
  /* find the "data" chunk */
  gsize pos = 12;
  while (pos + 8 <= len) {
    guint32 sz;
    memcpy (&sz, data + pos + 4, 4);
    if (memcmp (data + pos, "data", 4) == 0) {
      gsize bytes = MIN ((gsize) sz, len - pos - 8);
      *n = bytes / 2;
      gint16 *s = g_memdup2 (data + pos + 8, *n * 2);
      g_free (data);
      return s;
    }
    pos += 8 + sz + (sz & 1);
  }
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: no data chunk", path);
  g_free (data);
  return NULL;
}

int
main (int argc, char **argv)
{
  char *model_id = NULL;
  double beam = 0, lw = 0, wip = 1, wbeam = 0, pscale = 0;
  gboolean live = FALSE;
  int nbest = 1, max_active = 0;
  GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_STRING, &model_id, "model id or folder", "M" },
    { "beam", 0, 0, G_OPTION_ARG_DOUBLE, &beam, "beam (nats)", "B" },
    { "wbeam", 0, 0, G_OPTION_ARG_DOUBLE, &wbeam, "word beam (nats)", "B" },
    { "lw", 0, 0, G_OPTION_ARG_DOUBLE, &lw, "LM weight", "W" },
    { "wip", 0, 0, G_OPTION_ARG_DOUBLE, &wip, "word insertion penalty (nats)", "P" },
    { "max-active", 0, 0, G_OPTION_ARG_INT, &max_active, "max active HMMs", "N" },
    { "posterior-scale", 0, 0, G_OPTION_ARG_DOUBLE, &pscale, "posterior scale", "S" },
    { "nbest", 0, 0, G_OPTION_ARG_INT, &nbest, "print N-best", "N" },
    { "live", 0, 0, G_OPTION_ARG_NONE, &live, "live CMN (as streaming)", NULL },
    { NULL }
  };
  GError *error = NULL;
  GOptionContext *ctx = g_option_context_new ("FILE.wav...");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    return 2;
  }
  SttModel *model = stt_model_cache_lookup (model_id ? model_id : STT_DEFAULT_MODEL_ID, &error);
  const SttSearchResources *res = model ? stt_search_resources_get (model, &error) : NULL;
  SttAcousticTables *tables = res ? stt_acoustic_tables_from_model (model, &error) : NULL;
  char *fp = model ? stt_model_get_path (model, "feat.params", &error) : NULL;
  SttFeParams *params = fp ? stt_fe_params_load (fp, &error) : NULL;
  if (!params || !res || !tables) {
    g_printerr ("%s\n", error->message);
    return 1;
  }
  SttSearchConfig cfg;
  stt_search_config_init (&cfg);
  if (beam > 0)
    cfg.beam = cfg.pbeam = beam;
  if (wbeam > 0)
    cfg.wbeam = wbeam;
  if (lw > 0)
    cfg.lm_weight = lw;
  if (pscale > 0)
    cfg.posterior_scale = pscale;
  if (max_active > 0)
    cfg.max_active = max_active;
  if (wip <= 0)
    cfg.wip = wip;
  SttSearch *search = stt_search_new (res->graph, &res->search_lm, res->map, &cfg);
  SttAcousticScorer *scorer = stt_acoustic_scorer_new (tables, 4, TRUE, 64);
  int n_sen = stt_acoustic_tables_n_senones (tables);
  double audio = 0, t_fe = 0, t_am = 0, t_search = 0;
  for (int i = 1; i < argc; i++) {
    gsize n;
    gint16 *samples = read_wav (argv[i], &n, &error);
    if (!samples) {
      g_printerr ("%s\n", error->message);
      g_clear_error (&error);
      continue;
    }
    audio += n / 16000.0;
    gint64 t0 = cpu_us ();
    SttFe *fe = stt_fe_new (params);
    stt_fe_set_remove_silence (fe, FALSE);
    stt_fe_set_cmn (fe, live ? STT_FE_CMN_LIVE : STT_FE_CMN_BATCH);
    stt_fe_process (fe, samples, n);
    stt_fe_end_utterance (fe);
    gsize nf = stt_fe_n_pending (fe);
    float *feat = g_new (float, nf * 39);
    stt_fe_read (fe, feat, NULL, nf);
    stt_fe_free (fe);
    gint64 t1 = cpu_us ();
    float *scores = g_new (float, nf * n_sen);
    stt_acoustic_scorer_score (scorer, feat, nf, scores);
    if (g_str_has_suffix (argv[i], ".wav") && g_getenv ("STT_SEN_FILE")) {
      /* pocketsphinx .sen log (all senones scored): replace our scores by its costs */
      char *sd;
      gsize sl;
      g_file_get_contents (g_getenv ("STT_SEN_FILE"), &sd, &sl, NULL);
      const char *e = strstr (sd, "endhdr\n");
      gsize pos = e - sd + 7 + 4;
      gsize f = 0;
      while (pos + 2 <= sl && f < nf) {
        gint16 na;
        memcpy (&na, sd + pos, 2);
        pos += 2;
        for (int k = 0; k < n_sen; k++) {
          gint16 c;
          memcpy (&c, sd + pos + 2 * k, 2);
          scores[f * n_sen + k] = -c * 1024 * 1.0001159260704876e-4;
        }
        pos += 2 * n_sen;
        f++;
      }
      g_printerr ("sen: %zu frames (ours %zu)\n", f, nf);
      nf = f;
      g_free (sd);
    }
    gint64 t2 = cpu_us ();
    if (g_getenv ("STT_DUMP_FRAME")) {
      int fr = atoi (g_getenv ("STT_DUMP_FRAME"));
      float *v = g_memdup2 (scores + (gsize) fr * n_sen, n_sen * sizeof (float));
      int cmp (const void *a, const void *b) {
        float x = *(const float *) a, y = *(const float *) b;
        return x < y ? 1 : x > y ? -1 : 0;
      }
      qsort (v, n_sen, sizeof (float), cmp);
      int q[] = { 0, 1, 5, 10, 50, 100, 500, 1000, 2500, 5000, 5125 };
      for (guint k = 0; k < G_N_ELEMENTS (q); k++)
        g_printerr ("rank %d: %.2f\n", q[k], v[q[k]]);
      g_free (v);
      for (gsize f2 = 0; f2 < nf; f2 += 5) {
        const float *row = scores + f2 * n_sen;
        int b = 0;
        for (int k = 0; k < n_sen; k++)
          if (row[k] > row[b])
            b = k;
        g_printerr ("f%zu:%d(%.1f,%.1f,%.1f) ", f2, b, row[96], row[97], row[98]);
      }
      g_printerr ("\n");
    }
    stt_search_start (search, 0);
    for (gsize f = 0; f < nf; f++)
      stt_search_step (search, scores + f * n_sen);
    if (g_getenv ("STT_PRINT_VITERBI")) {
      char *vit = stt_search_get_partial (search);
      g_printerr ("viterbi: %s\n", vit);
      g_free (vit);
    }
    SttLattice *lat = stt_search_finish (search);
    GPtrArray *paths = lat ? stt_lattice_nbest (lat, nbest) : g_ptr_array_new ();
    gint64 t3 = cpu_us ();
    t_fe += (t1 - t0) / 1e6;
    t_am += (t2 - t1) / 1e6;
    t_search += (t3 - t2) / 1e6;
    char *base = g_path_get_basename (argv[i]);
    char *dot = strrchr (base, '.');
    if (dot)
      *dot = 0;
    for (guint p = 0; p < MAX (paths->len, 1u); p++) {
      printf ("%s", base);
      if (p < paths->len) {
        SttLatticePath *path = g_ptr_array_index (paths, p);
        for (guint w = 0; w < path->words->len; w++) {
          SttLatticeWord *lw_ = &g_array_index (path->words, SttLatticeWord, w);
          printf (nbest > 1 || g_getenv ("STT_PRINT_CONF") ? " %s:%.3f" : " %s", lw_->word,
              lw_->posterior);
        }
      }
      printf ("\n");
    }
    fflush (stdout);
    g_free (base);
    g_ptr_array_unref (paths);
    stt_lattice_free (lat);
    g_free (scores);
    g_free (feat);
    g_free (samples);
  }
  g_printerr ("audio %.1f s; fe %.3f am %.3f search %.3f s; RTF %.4f (search %.4f)\n", audio,
      t_fe, t_am, t_search, (t_fe + t_am + t_search) / audio, t_search / audio);
  stt_search_free (search);
  stt_acoustic_scorer_free (scorer);
  stt_acoustic_tables_unref (tables);
  stt_fe_params_unref (params);
  g_free (fp);
  stt_model_unref (model);
  return 0;
}
