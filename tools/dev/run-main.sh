#!/usr/bin/env bash
# The README's main job: the speech service on port 5000 with the default en-US model and its
# display models (rescoring, punctuation, resegmentation, ITN), all built by `make build` into build/models.
# Before serving it transcribes one recording of the shared data through the same pipeline, so
# a fresh machine shows a real transcript at once (SHARED_DATA names the data folder, as for
# `make check`; without it the demo is skipped). PORT=N changes the port.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
models="$root/$build/models"
port=${PORT:-5000}
sample="${SHARED_DATA:-$root/../shared/data}/dev/librispeech_dev_clean/1272-128104-0000.wav"
args=(Eula=accept "ModelsDir=$models" FullDisplay "Port=$port")

if [ -f "$sample" ]; then
  pipeline=$(meson devenv -C "$build" stt-container "${args[@]}" --print-pipeline | tail -n 1)
  pipeline=${pipeline#gst-launch-1.0 }
  echo "gst-stt: transcribing $(basename "$sample") with: $pipeline"
  # shellcheck disable=SC2086  # the pipeline is a gst-launch description, split on purpose
  meson devenv -C "$build" gst-launch-1.0 -q ${pipeline/audio.wav/$sample}
fi
echo "gst-stt: serving on http://localhost:$port (Speech SDK: SpeechConfig.fromHost(\"ws://localhost:$port\")); Ctrl-C stops"
exec meson devenv -C "$build" stt-container "${args[@]}"
