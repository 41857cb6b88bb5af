#!/usr/bin/env bash
# Builds the libFuzzer programs with clang (build-fuzz/) and runs each on its seed corpus for a
# bounded time, for CI. The suite's own runs (fuzz-driver.c) stay short.
#   tools/dev/fuzz.sh [SECONDS]   (default 60 per target)
set -euo pipefail
secs=${1:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzzing=true
meson compile -C build-fuzz
for t in build-fuzz/tests/fuzz/fuzz-*-libfuzzer; do
  name=$(basename "$t" -libfuzzer)
  name=${name#fuzz-}
  work=$(mktemp -d)
  echo "fuzzing $name for ${secs}s"
  "$t" "$work" "tests/fuzz/corpus/$name" -max_total_time="$secs" -print_final_stats=1
  rm -rf "$work"
done
