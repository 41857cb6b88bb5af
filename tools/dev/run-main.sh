#!/usr/bin/env bash
# The README's main job.
# SUBSET FOR NOW (said on the first line it prints): the recognizer of issues 3 and 4 has not
# landed, so this lists the gst-stt elements the build provides. It becomes the service on
# port 5000 serving the default en-US model when the recognizer and the container land.
set -euo pipefail
build=${1:-build}
echo "gst-stt: SUBSET - the recognizer is not built yet; these are the elements that exist:"
meson devenv -C "$build" gst-inspect-1.0 2>/dev/null | grep -E '^stt' || true
