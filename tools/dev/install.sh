#!/usr/bin/env bash
# Builds gst-stt optimised and installs it under PREFIX (default /usr/local): libraries and
# plugins in PREFIX/lib (plugins in PREFIX/lib/gstreamer-1.0, which GST_PLUGIN_PATH must name
# for a prefix other than /usr), programs in PREFIX/bin, and the default models (en-US base,
# punctuation, resegmentation, ITN) in MODELS_DIR (default PREFIX/share/gst-stt/models).
# MODELS_FROM=DIR takes the models from an earlier build (e.g. the host's build/models) instead
# of building them: building the punctuation model fetches its training text from the npm
# registry, which an image build must not do. Used by the Dockerfile. DESTDIR is honoured.
set -euo pipefail
prefix=${1:-/usr/local}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$src/build-install}
models_dir=${MODELS_DIR:-$prefix/share/gst-stt/models}
if [ -f "$build/build.ninja" ]; then
  meson configure "$build" --prefix="$prefix" --libdir=lib
else
  meson setup "$build" "$src" --buildtype=release --prefix="$prefix" --libdir=lib -Dtests=false
fi
if [ -n "${MODELS_FROM:-}" ]; then
  # the trained models are taken from the host's build, so their targets must not rebuild here
  targets=()
  for t in $(meson introspect --targets "$build" | python3 -c 'import json,sys; print(" ".join(t["name"] for t in json.load(sys.stdin) if t["type"] != "custom"))'); do targets+=("$t"); done
  meson compile -C "$build" "${targets[@]}"
  models_from="$MODELS_FROM"
else
  meson compile -C "$build"
  models_from="$build/models"
fi
meson install -C "$build" --no-rebuild ${DESTDIR:+--destdir "$DESTDIR"}
mkdir -p "${DESTDIR:-}$models_dir"
for m in "$models_from"/*/; do
  id=$(basename "$m")
  [ -e "${DESTDIR:-}$models_dir/$id" ] || cp -a "$m" "${DESTDIR:-}$models_dir/$id"
done
echo "install: models in ${DESTDIR:-}$models_dir: $(ls "${DESTDIR:-}$models_dir" | tr '\n' ' ')"
if [ -z "${DESTDIR:-}" ] && [ "$(id -u)" -eq 0 ]; then ldconfig; fi
