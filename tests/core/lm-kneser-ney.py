#!/usr/bin/python3
# gst-stt — reference for test-lm-train: interpolated modified Kneser-Ney probabilities
# computed directly from their definition (Chen & Goodman 1998, KenLM's variant of the counts),
# by recursion over the text's counts, independently of the C estimator and of any backoff
# table. The discount fallback for tiny texts is the one stt/lm.h documents.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: lm-kneser-ney.py ORDER TEXT QUERIES
# QUERIES: one query per line, tab-separated: predicted word, then history, most recent first.
# Prints log10 p per line.
import collections, math, sys

order = int(sys.argv[1])
sents = [["<s>"] + l.split() + ["</s>"] for l in open(sys.argv[2], encoding="utf-8")
         if l.split()]
vocab = {w for s in sents for w in s} | {"<unk>"}

raw = [None] + [collections.Counter() for _ in range(order)]
for s in sents:
    for n in range(1, order + 1):
        for i in range(len(s) - n + 1):
            raw[n][tuple(s[i:i + n])] += 1

left = collections.defaultdict(set)        # n-gram -> words seen before it
for n in range(2, order + 1):
    for g in raw[n]:
        left[g[1:]].add(g[0])
adj = [None] + [{} for _ in range(order)]
for n in range(1, order + 1):
    for g, c in raw[n].items():
        adj[n][g] = c if n == order or g[0] == "<s>" else len(left[g])


def discounts(n):
    t = collections.Counter(a for g, a in adj[n].items() if not (n == 1 and g == ("<s>",)))
    y = t[1] / (t[1] + 2 * t[2]) if t[1] and t[2] else 0.5
    if t[1] and t[2] and t[3] and t[4]:
        d = [None, 1 - 2 * y * t[2] / t[1], 2 - 3 * y * t[3] / t[2], 3 - 4 * y * t[4] / t[3]]
        if all(0 < d[k] < k for k in (1, 2, 3)):
            return d
    return [None, y, y, y]


D = [None] + [discounts(n) for n in range(1, order + 1)]
by_context = [None] + [collections.defaultdict(dict) for _ in range(order)]
for n in range(1, order + 1):
    for g, a in adj[n].items():
        if not (n == 1 and g == ("<s>",)):
            by_context[n][g[:-1]][g[-1]] = a


def prob(w, h):
    h = h[len(h) - (order - 1):] if order > 1 else ()
    n = len(h) + 1
    conts = by_context[n].get(h)
    if not conts:
        return prob(w, h[1:])
    s = sum(conts.values())
    d = D[n]
    gamma = sum(d[min(a, 3)] for a in conts.values()) / s
    a = conts.get(w, 0)
    own = (a - d[min(a, 3)]) / s if a else 0.0
    lower = 1.0 / (len(vocab) - 1) if n == 1 else prob(w, h[1:])
    return own + gamma * lower


out = []
for line in open(sys.argv[3], encoding="utf-8"):
    q = line.rstrip("\n").split("\t")
    hist = tuple(reversed(q[1:]))            # oldest first
    out.append(repr(math.log10(prob(q[0], hist))))
print("\n".join(out))
