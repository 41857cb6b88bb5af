#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/) and runs each for a bounded time.
#   tools/dev/fuzz.sh [SECONDS]   (default 60 per target)
set -euo pipefail
secs=${1:-60}
[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzzing=true
meson compile -C build-fuzz
for t in build-fuzz/tests/fuzz/fuzz-*; do
  case "$t" in *-mutate|*.p) continue ;; esac
  [ -x "$t" ] || continue
  echo "fuzzing $t for ${secs}s"
  "$t" -max_total_time="$secs" -print_final_stats=1
done
