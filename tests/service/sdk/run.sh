#!/bin/sh
# Installs the pinned Speech SDK (npm ci, once per build tree) and runs a test script with it.
#   run.sh test-sdk.js [args]      (STT_SOURCE_ROOT and STT_BUILD_ROOT come from the test env)
set -eu
src="$STT_SOURCE_ROOT/tests/service/sdk"
dir="$STT_BUILD_ROOT/tests/service/sdk-modules"
mkdir -p "$dir"
if ! cmp -s "$src/package-lock.json" "$dir/package-lock.json" \
    || [ ! -d "$dir/node_modules/microsoft-cognitiveservices-speech-sdk" ]; then
  cp "$src/package.json" "$src/package-lock.json" "$dir/"
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >&2
fi
script="$1"
shift
NODE_PATH="$dir/node_modules" exec node "$src/$script" "$@"
