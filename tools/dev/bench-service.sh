#!/usr/bin/env bash
# Service load benchmark (tests/bench/service-load.js) on the optimised build; needs the
# recognizer (plugins/decoder). Prints a Markdown table for docs/benchmarks.md "Service load".
#   tools/dev/bench-service.sh [--max K] [--files N] [--pipeline DESC]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$root/build}
export STT_SOURCE_ROOT=$root STT_BUILD_ROOT=$build
if [ -z "${STT_TEST_DATA:-}" ]; then
  # the build's -Dshared_data, else ../shared/data beside the source tree
  STT_TEST_DATA=$(meson introspect --buildoptions "$build" | python3 -c \
    'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="shared_data"))')
  [ -n "$STT_TEST_DATA" ] || STT_TEST_DATA=$root/../shared/data
fi
export STT_TEST_DATA
export GST_PLUGIN_PATH_1_0=$(find "$build/plugins" -mindepth 1 -maxdepth 1 -type d | paste -sd:)
export STT_MODEL_PATH=${STT_MODEL_PATH:-$build/models}
# run.sh installs the pinned SDK and ws once per build tree
exec "$root/tests/service/sdk/run.sh" ../../bench/service-load.js "$@"
