#!/usr/bin/env python3
# gst-stt — writes the small seed files of the fuzz-am target (tests/fuzz/fuzz-am.c) into
# corpus/am/: tiny but valid Sphinx and gst-stt acoustic files, each prefixed with the byte that
# selects its parser. Re-run after changing a format: python3 make-am-seeds.py
# SPDX-License-Identifier: LGPL-2.1-or-later
import os, struct

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "am")

def rotl(v, k):
    return ((v << k) | (v >> (32 - k))) & 0xffffffff

def s3(ints, floats):
    """A Sphinx-3 binary file: header, magic, int32 dims, float32 data, checksum."""
    out = b"s3\nversion 1.0\nchksum0 yes\nendhdr\n" + struct.pack("<I", 0x11223344)
    s = 0
    for v in ints:
        out += struct.pack("<i", v); s = (rotl(s, 20) + (v & 0xffffffff)) & 0xffffffff
    for f in floats:
        b = struct.pack("<f", f); out += b
        s = (rotl(s, 20) + struct.unpack("<I", b)[0]) & 0xffffffff
    return out + struct.pack("<I", s)

def mdef_body():
    names = b"A\0B\0SIL\0"
    names += b"\0" * ((4 - len(names) % 4) % 4)
    counts = struct.pack("<10i", 3, 4, 3, 9, 12, 3, 4, 3, 7, 2)
    tree = [(0, 1, 4), (1, 0, -1), (2, 0, -1), (3, 0, -1), (0, 1, 5), (1, 1, 6), (2, 0, 3)]
    t = b"".join(struct.pack("<hhi", *n) for n in tree)
    phones = b"".join(struct.pack("<ii4B", i, i, 1 if i == 2 else 0, 0, 0, 0) for i in range(3))
    phones += struct.pack("<ii4B", 3, 0, 0, 0, 1, 2)
    sseq = struct.pack("<i", 12) + struct.pack("<12H", *range(12))
    return counts + names + t + phones + sseq

def own(magic, body):
    return magic + struct.pack("<I", 1) + body

def sendump():
    out = b""
    for s in (b"BEGIN FILE FORMAT DESCRIPTION\0", b"feature_count 1\0", b"cluster_count 0\0"):
        out += struct.pack("<i", len(s)) + s
    return out + struct.pack("<iii", 0, 2, 12) + bytes(range(3, 27))

tmat = [[[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]]] * 3
tmat_f = [x for m in tmat for row in m for x in row]
gauden_f = [0.5, 1.0, 2.0, 0.25] * 3
seeds = {
    "mdef-sphinx": (0, b"BMDF" + struct.pack("<ii", 1, 4) + b"desc" + mdef_body()),
    "mdef-own": (1, own(b"STTMDEF\0", mdef_body())),
    "tmat-sphinx": (2, s3([3, 3, 4, 36], tmat_f)),
    "tmat-own": (3, own(b"STTTMAT\0", struct.pack("<II", 3, 3)
                        + struct.pack("<36f", *[x / 2 for x in tmat_f]))),
    "gauden-sphinx": (4, s3([3, 1, 2, 2, 12], gauden_f)),
    "gauden-own": (5, own(b"STTGAUS\0", struct.pack("<4I", 3, 1, 2, 2)
                          + struct.pack("<12f", *gauden_f))),
    "mixw-sphinx": (6, sendump()),
    "mixw-own": (7, own(b"STTMIXW\0", struct.pack("<3If", 1, 2, 12, 0.1024)
                        + bytes(range(3, 27)))),
    "noisedict": (8, b"<s> SIL\n</s> SIL\n[NOISE] +NSN+\nhello HH AH L OW\n"),
}
for name, (sel, data) in seeds.items():
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(bytes([sel]) + data)
