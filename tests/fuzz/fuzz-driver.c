/* gst-stt — runs a libFuzzer target without libFuzzer: seeds, then bounded random mutations.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every fuzz target (tests/fuzz/fuzz-*.c) defines LLVMFuzzerTestOneInput. Linked with this
 * driver it becomes a test of the suite: it feeds each seed file of its corpus folder, then
 * STT_FUZZ_ITERATIONS (default 20000) mutations of them (bit flips, byte edits, truncations,
 * splices, repeated chunks), stopping after STT_FUZZ_SECONDS (default 20). The seed of the
 * random generator is printed so a failure can be replayed (STT_FUZZ_SEED). Under ASan and
 * UBSan any memory error aborts the test. With -Dfuzzing=true and clang the same targets are
 * also built as real libFuzzer programs (fuzz-*-libfuzzer) for longer runs.
 */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static GPtrArray *
load_corpus (const char *dir)
{
  GPtrArray *seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d))) {
    char *path = g_build_filename (dir, name, NULL);
    char *contents;
    gsize len;
    if (g_file_get_contents (path, &contents, &len, NULL))
      g_ptr_array_add (seeds, g_bytes_new_take (contents, len));
    g_free (path);
  }
  if (d)
    g_dir_close (d);
  if (seeds->len == 0)
    g_ptr_array_add (seeds, g_bytes_new ("", 0));
  return seeds;
}

static GByteArray *
mutate (GRand *rng, GPtrArray *seeds)
{
  GBytes *seed = g_ptr_array_index (seeds, g_rand_int_range (rng, 0, seeds->len));
  gsize len;
  const guint8 *src = g_bytes_get_data (seed, &len);
  GByteArray *b = g_byte_array_new ();
  g_byte_array_append (b, src, len);
  int edits = g_rand_int_range (rng, 1, 8);
  for (int e = 0; e < edits; e++) {
    guint n = b->len;
    switch (g_rand_int_range (rng, 0, 6)) {
      case 0:                  /* flip a bit */
        if (n)
          b->data[g_rand_int_range (rng, 0, n)] ^= 1u << g_rand_int_range (rng, 0, 8);
        break;
      case 1:                  /* set an interesting byte */
        if (n) {
          static const guint8 special[] = { 0, 0xff, 0x7f, 0x80, '"', '{', '[', '\\', '\n', '0' };
          b->data[g_rand_int_range (rng, 0, n)] = special[g_rand_int_range (rng, 0, 10)];
        }
        break;
      case 2:                  /* truncate */
        if (n)
          g_byte_array_set_size (b, g_rand_int_range (rng, 0, n));
        break;
      case 3:{                 /* insert random bytes */
        guint8 junk[8];
        guint k = g_rand_int_range (rng, 1, 9);
        for (guint i = 0; i < k; i++)
          junk[i] = g_rand_int_range (rng, 0, 256);
        g_byte_array_prepend (b, junk, 0);     /* keep GByteArray happy when empty */
        guint at = n ? g_rand_int_range (rng, 0, n + 1) : 0;
        g_byte_array_set_size (b, n + k);
        memmove (b->data + at + k, b->data + at, n - at);
        memcpy (b->data + at, junk, k);
        break;
      }
      case 4:{                 /* repeat a chunk */
        if (n && n < (1u << 20)) {
          guint at = g_rand_int_range (rng, 0, n);
          guint want = g_rand_int_range (rng, 1, 64);    /* not inside MIN: it evaluates twice */
          guint k = MIN (n - at, want);
          guint8 *chunk = g_memdup2 (b->data + at, k);
          g_byte_array_append (b, chunk, k);
          g_free (chunk);
        }
        break;
      }
      default:{                /* splice with another seed */
        GBytes *other = g_ptr_array_index (seeds, g_rand_int_range (rng, 0, seeds->len));
        gsize olen;
        const guint8 *o = g_bytes_get_data (other, &olen);
        if (olen) {
          guint from = g_rand_int_range (rng, 0, olen);
          g_byte_array_set_size (b, n ? g_rand_int_range (rng, 0, n) : 0);
          g_byte_array_append (b, o + from, olen - from);
        }
        break;
      }
    }
  }
  return b;
}

static guint64
env_number (const char *name, guint64 fallback)
{
  const char *v = g_getenv (name);
  return v && *v ? g_ascii_strtoull (v, NULL, 10) : fallback;
}

int
main (int argc, char **argv)
{
  if (argc < 2) {
    fprintf (stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  GPtrArray *seeds = load_corpus (argv[1]);
  guint64 iterations = env_number ("STT_FUZZ_ITERATIONS", 20000);
  gint64 deadline = g_get_monotonic_time () + env_number ("STT_FUZZ_SECONDS", 20) * G_USEC_PER_SEC;
  guint32 seed = env_number ("STT_FUZZ_SEED", (guint32) g_get_real_time ());
  printf ("# fuzz %s: %u seeds, up to %" G_GUINT64_FORMAT " mutations, STT_FUZZ_SEED=%u\n",
      argv[1], seeds->len, iterations, seed);
  for (guint i = 0; i < seeds->len; i++) {
    gsize len;
    const guint8 *d = g_bytes_get_data (g_ptr_array_index (seeds, i), &len);
    LLVMFuzzerTestOneInput (d, len);
  }
  GRand *rng = g_rand_new_with_seed (seed);
  guint64 done = 0;
  for (; done < iterations && g_get_monotonic_time () < deadline; done++) {
    GByteArray *b = mutate (rng, seeds);
    LLVMFuzzerTestOneInput (b->data, b->len);
    g_byte_array_unref (b);
  }
  printf ("ok 1 %" G_GUINT64_FORMAT " inputs without a crash\n1..1\n", done + seeds->len);
  g_rand_free (rng);
  g_ptr_array_unref (seeds);
  return 0;
}
