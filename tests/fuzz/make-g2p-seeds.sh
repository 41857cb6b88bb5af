#!/bin/sh
# gst-stt — writes the seed files of the fuzz-g2p target (tests/fuzz/fuzz-g2p.c) into
# corpus/g2p/: small letter-to-sound models (orders 1, 2 and 4) trained by the built
# bench-g2p from a tiny dictionary. Re-run after changing the format: make-g2p-seeds.sh BUILD_DIR
# SPDX-License-Identifier: LGPL-2.1-or-later
set -e
build=${1:?usage: make-g2p-seeds.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
out=$here/corpus/g2p
mkdir -p "$out"
dict=$(mktemp --suffix=.dict)
trap 'rm -f "$dict"' EXIT
cat > "$dict" <<'DICT'
cat K AE T
cats K AE T S
hat HH AE T
that DH AE T
this DH IH S
thin TH IH N
ship SH IH P
phone F OW N
fox F AA K S
box B AA K S
queen K W IY N
knee N IY
the DH AH
the(2) DH IY
o'clock AH K L AA K
x-ray EH K S R EY
DICT
for order in 1 2 4; do
  # bench-g2p writes the model before it evaluates (which fails here: no held-out word)
  "$build/tests/bench/bench-g2p" --dict "$dict" --order $order --every 1000 \
      --save "$out/order$order" > /dev/null 2>&1 || true
  test -s "$out/order$order"
done
ls -l "$out"
