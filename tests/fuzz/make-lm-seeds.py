#!/usr/bin/env python3
# gst-stt — writes the small seed files of the fuzz-lm target (tests/fuzz/fuzz-lm.c) into
# corpus/lm/, each prefixed with the byte that selects its reader: a small trigram LM as ARPA,
# as a compact Sphinx trie (written here from spec §7, quantisation tables left out as the
# target expects) and in the own format; a small dictionary as Sphinx text and in the own
# lexicon format. The own formats come from the built stt-lm.
# Re-run after changing a format: python3 make-lm-seeds.py BUILD_DIR
# SPDX-License-Identifier: LGPL-2.1-or-later
import os, struct, subprocess, sys, tempfile

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "lm")

ARPA = """\\data\\
ngram 1=6
ngram 2=5
ngram 3=3

\\1-grams:
-1.0 <s> -0.5
-0.8 </s>
-0.7 a -0.3
-0.9 b -0.25
-1.2 c -0.1
-1.5 d 0.1

\\2-grams:
-0.3 <s> a -0.2
-0.4 a b -0.15
-0.5 b c 0.05
-0.2 c </s>
-0.6 a c -0.01

\\3-grams:
-0.1 <s> a b
-0.2 a b c
-0.05 b c </s>
\\end\\
"""
DICT = "## seed\nhello HH AH L OW\nhello(2) HH EH L OW\nworld W ER L D\n"
NOISE = "<s> SIL\n</s> SIL\n<sil> SIL\n[NOISE] +NSN+\n"


def bits(v):
    return v.bit_length()


class BitWriter:
    def __init__(self):
        self.value, self.pos = 0, 0

    def put(self, v, n):
        self.value |= (v & ((1 << n) - 1)) << self.pos
        self.pos += n


def trie():
    sections, order = {1: [], 2: [], 3: []}, 0
    for line in ARPA.splitlines():
        if line.startswith("\\") and line.endswith("-grams:"):
            order = int(line[1])
        elif order and line and not line.startswith("\\"):
            sections[order].append(line.split())
    words = [l[1] for l in sections[1]]
    wid = {w: i for i, w in enumerate(words)}
    uni = {l[1]: (float(l[0]), float(l[2]) if len(l) > 2 else 0.0) for l in sections[1]}
    bi = [tuple(l[1:3]) for l in sections[2]]
    tri = [tuple(l[1:4]) for l in sections[3]]
    n1, n2, n3 = len(words), len(bi), len(tri)
    wb, nb = bits(n1), bits(n3)
    # reversed trie: bigrams grouped by predicted word, trigrams by their (w, h1) node
    bis = sorted(bi, key=lambda b: (wid[b[1]], wid[b[0]]))
    uni_next, b_next, tris = [], [], []
    for w in words:
        uni_next.append(sum(1 for b in bis if wid[b[1]] < wid[w]))
    uni_next.append(n2)
    for h1, w in bis:
        b_next.append(len(tris))
        tris += sorted((t for t in tri if t[1] == h1 and t[2] == w), key=lambda t: wid[t[0]])
    b_next.append(len(tris))
    out = b"Trie Language Model" + bytes([3]) + struct.pack("<3I", n1, n2, n3)
    out += struct.pack("<i", 1)      # the quantisation tables would follow here
    for i, w in enumerate(words):
        p, b = uni[w]
        out += struct.pack("<ffI", p * 23027.002, b * 23027.002, uni_next[i])
    out += struct.pack("<ffI", 0, 0, uni_next[n1])
    bw = BitWriter()
    for i in range(n2 + 1):
        h1 = wid[bis[i][0]] if i < n2 else 0
        bw.put(h1, wb); bw.put((i << 16) | i, 32); bw.put(b_next[i], nb)
    size = ((1 + n2) * (wb + 32 + nb) + 7) // 8 + 8
    out += bw.value.to_bytes(size, "little")
    bw = BitWriter()
    for i, t in enumerate(tris):
        bw.put(wid[t[0]], wb); bw.put(i, 16)
    size = ((1 + n3) * (wb + 16) + 7) // 8 + 8
    out += bw.value.to_bytes(size, "little")
    vocab = b"".join(w.encode() + b"\0" for w in words)
    return out + struct.pack("<i", len(vocab)) + vocab


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    stt_lm = os.path.join(build, "tools", "lm", "stt-lm")
    os.makedirs(HERE, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        paths = {n: os.path.join(tmp, n) for n in ("a.arpa", "a.lm", "d.dict", "n.dict", "d.lex")}
        open(paths["a.arpa"], "w").write(ARPA)
        open(paths["d.dict"], "w").write(DICT)
        open(paths["n.dict"], "w").write(NOISE)
        subprocess.run([stt_lm, "convert", paths["a.arpa"], paths["a.lm"]], check=True)
        subprocess.run([stt_lm, "lexicon", paths["d.dict"], paths["n.dict"], paths["d.lex"]],
                       check=True, stdout=subprocess.DEVNULL)
        seeds = {
            "own-small": b"\0" + open(paths["a.lm"], "rb").read(),
            "trie-small": b"\1" + trie(),
            "arpa-small": b"\2" + ARPA.encode(),
            "lexicon-own": b"\3" + open(paths["d.lex"], "rb").read(),
            "dict-small": b"\4" + DICT.encode() + b"\0" + NOISE.encode(),
        }
    for name, data in seeds.items():
        open(os.path.join(HERE, name), "wb").write(data)


if __name__ == "__main__":
    main()
