#!/usr/bin/python3
# gst-stt — reference LM scores from sphinxbase (Debian's python3-pocketsphinx), for test-lm.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: lm-ngram-prob.py LM QUERIES
# QUERIES has one query per line: tab-separated words, the predicted word first, then the
# history, most recent first. Prints ngram_prob's raw integer score per line.
import sys

try:
    import pocketsphinx
except ImportError:
    sys.exit("lm-ngram-prob.py: python3-pocketsphinx is missing "
             "(apt-get install python3-pocketsphinx, see tools/dev/debian-packages.txt)")

model = pocketsphinx.NGramModel(sys.argv[1])
out = []
with open(sys.argv[2], encoding="utf-8") as f:
    for line in f:
        out.append(str(model.prob(line.rstrip("\n").split("\t"))))
sys.stdout.write("\n".join(out) + "\n")
