#!/usr/bin/env bash
# Builds gst-stt optimised and installs it under PREFIX (default /usr/local): libraries and
# plugins in PREFIX/lib (plugins in PREFIX/lib/gstreamer-1.0, which GST_PLUGIN_PATH must name
# for a prefix other than /usr), programs in PREFIX/bin. Used by the Dockerfile.
# DESTDIR is honoured (staged installs).
set -euo pipefail
prefix=${1:-/usr/local}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$src/build-install}
if [ -f "$build/build.ninja" ]; then
  meson configure "$build" --prefix="$prefix" --libdir=lib
else
  meson setup "$build" "$src" --buildtype=release --prefix="$prefix" --libdir=lib -Dtests=false
fi
meson compile -C "$build"
meson install -C "$build" ${DESTDIR:+--destdir "$DESTDIR"}
if [ -z "${DESTDIR:-}" ] && [ "$(id -u)" -eq 0 ]; then ldconfig; fi
