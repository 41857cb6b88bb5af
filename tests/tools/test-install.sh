#!/usr/bin/env bash
# The Dockerfile's install step (tools/dev/install.sh) into a staging folder, then the staged
# install used for real: its plugins load, its container finds its models and prints the
# pipeline, and the installed elements transcribe a recording. TAP output.
set -uo pipefail
src=${STT_SOURCE_ROOT:?}
work=$(mktemp -d "${TMPDIR:-/tmp}/stt-install-XXXXXX")
trap 'rm -rf "$work"' EXIT
n=0; failed=0
check () { n=$((n+1)); if "$@"; then echo "ok $n $desc"; else echo "not ok $n $desc"; failed=1; fi; }

desc="install.sh builds and installs into a staging folder"
# The models come from this build's models folder (MODELS_FROM), as the Dockerfile takes them
# from the host's: training the optimised default punct model again would take most of the
# suite's time, and the build that runs this test has just built and tested the models.
install_quietly () {
  DESTDIR="$work/root" BUILD_DIR="$work/build" MODELS_DIR=/usr/local/models \
    MODELS_FROM="${STT_MODEL_PATH:?}" \
    "$src/tools/dev/install.sh" /usr/local > "$work/install.log" 2>&1 \
    || { sed 's/^/# /' "$work/install.log" | tail -20; return 1; }
}
check install_quietly

root="$work/root/usr/local"
export LD_LIBRARY_PATH="$root/lib" GST_PLUGIN_PATH="$root/lib/gstreamer-1.0" \
  GST_PLUGIN_PATH_1_0="$root/lib/gstreamer-1.0" GST_REGISTRY_1_0="$work/registry.bin" \
  STT_MODEL_PATH="$work/root/usr/local/models"
unset GST_TRACERS

desc="the installed plugins provide every recognizer element"
check bash -c 'for e in sttfeatures sttacoustic sttdecoder sttpunct sttreseg sttitn sttsink; do
  gst-inspect-1.0 "$e" >/dev/null 2>&1 || { echo "# missing $e"; exit 1; }; done'

desc="the installed stt-container finds the installed models"
check bash -c '"$0/bin/stt-container" Eula=accept ModelsDir="$STT_MODEL_PATH" Punct Wfstitn \
  --print-pipeline > "$1/pipeline.txt" 2>&1 && grep -q "sttitn model=" "$1/pipeline.txt"' \
  "$root" "$work"

wav=${STT_TEST_DATA:?}/dev/arctic_cathy/cathy_arctic_a0003.wav
desc="the installed elements transcribe a recording"
check bash -c 'gst-launch-1.0 -q filesrc location="$0" ! decodebin ! audioconvert ! \
  audioresample ! sttfeatures ! sttacoustic ! sttdecoder ! sttsink location="$1/out.txt" \
  && grep -qi "evening" "$1/out.txt"' "$wav" "$work"

echo "1..$n"
exit $failed
