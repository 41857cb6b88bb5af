#!/usr/bin/env python3
# gst-stt — letter-to-sound benchmark with a peer (docs/benchmarks.md "Letter-to-sound").
#   python3 tests/bench/bench-g2p.py [--build build] [--dict cmudict-en-us.dict]
# Runs bench-g2p (trains on the dictionary minus the held-out 1/20, measures PER/WER with the
# library's evaluator, saves the model), then pronounces the same held-out words with
# `stt-model g2p` and with Festival's CMU letter-to-sound rules (Debian festival +
# festlex-cmu, `lts_predict` with cmu_lts_rules: the peer), and scores both here with the
# rule of docs/g2p.md (hash recomputed in Python, closest reference, edit distance).
# Festival's rules handle only a-z words and were trained on cmudict 0.4, which contains most
# of these held-out words, so the peer is partly scored on its own training data.
# SPDX-License-Identifier: LGPL-2.1-or-later
import argparse, os, re, subprocess, sys, tempfile, time

def fnv1a(s):
    h = 2166136261
    for b in s.encode():
        h = ((h ^ b) * 16777619) & 0xffffffff
    return h

def read_dict(path):
    refs = {}
    for line in open(path, encoding="utf-8"):
        if line.startswith(";;") or line.startswith("##"):
            continue
        parts = line.split()
        if len(parts) < 2:
            continue
        word = re.sub(r"\(\d+\)$", "", parts[0]).lower()
        refs.setdefault(word, []).append(parts[1:])
    return refs

def edit(a, b):
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        diag, row[0] = row[0], i
        for j in range(1, len(b) + 1):
            up = row[j]
            row[j] = min(diag + (a[i - 1] != b[j - 1]), up + 1, row[j - 1] + 1)
            diag = up
    return row[-1]

def score(hyps, refs, words):
    errs = ref_len = werr = 0
    for w in words:
        h = hyps.get(w)
        best = None
        for r in refs[w]:
            d = edit(h, r) if h is not None else len(r)
            if best is None or d < best[0] or (d == best[0] and len(r) > best[1]):
                best = (d, len(r))
        errs += best[0]
        ref_len += best[1]
        werr += best[0] > 0
    return 100.0 * errs / ref_len, 100.0 * werr / len(words)

def ours(build, model, words):
    hyps = {}
    t0 = time.monotonic()
    for i in range(0, len(words), 2000):
        out = subprocess.run([os.path.join(build, "tools/model/stt-model"), "g2p", "--file",
                              model] + words[i:i + 2000], capture_output=True, text=True,
                             check=True).stdout
        for line in out.splitlines():
            parts = line.split()
            hyps[parts[0]] = parts[1:]
    return hyps, time.monotonic() - t0

FEST_PHONES = {"ax": "AH", "axr": "ER", "pau": None}

def festival(words, chunk=200):
    # one festival process per 200 words: a single SIOD session slows down as it runs
    hyps = {}
    secs = 0.0
    for i in range(0, len(words), chunk):
        with tempfile.NamedTemporaryFile("w", suffix=".scm", delete=False) as f:
            f.write("(require 'lts)\n(load \"/usr/share/festival/dicts/cmu/cmu_lts_rules.scm\")\n")
            for w in words[i:i + chunk]:
                f.write('(print (list "%s" (lts_predict "%s" cmu_lts_rules)))\n' % (w, w))
            script = f.name
        t0 = time.monotonic()
        out = subprocess.run(["festival", "-b", script], capture_output=True, text=True).stdout
        secs += time.monotonic() - t0
        os.unlink(script)
        for m in re.finditer(r'^\("([a-z]+)" \(([^)]*)\)\)$', out, re.M):
            phones = []
            for p in m.group(2).split():
                p = re.sub(r"\d$", "", p)
                p = FEST_PHONES.get(p, p.upper())
                if p:
                    phones.append(p)
            hyps[m.group(1)] = phones
    return hyps, secs

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--dict", default=os.path.join(os.environ.get(
        "STT_SPHINX_MODEL", "/usr/share/pocketsphinx/model/en-us"), "cmudict-en-us.dict"))
    ap.add_argument("--every", type=int, default=20)
    a = ap.parse_args()
    model = tempfile.mktemp(suffix=".g2p")
    res = subprocess.run([os.path.join(a.build, "tests/bench/bench-g2p"), "--dict", a.dict,
                          "--every", str(a.every), "--save", model],
                         capture_output=True, text=True, check=True).stdout
    print(res, end="")
    refs = read_dict(a.dict)
    held = [w for w in refs if fnv1a(w) % a.every == 0]
    hyps, secs = ours(a.build, model, held)
    os.unlink(model)
    per, wer = score(hyps, refs, held)
    print("\nrescored here: %d held-out words, PER %.2f %%, WER %.2f %% (stt-model g2p: %.0f "
          "words/s incl. process start)" % (len(held), per, wer, len(held) / secs))
    az = [w for w in held if re.fullmatch(r"[a-z]+", w)]
    if not os.path.exists("/usr/share/festival/dicts/cmu/cmu_lts_rules.scm"):
        print("peer: Festival CMU rules not installed (apt-get install festival festlex-cmu)")
        return
    fh, fsecs = festival(az)
    if len(fh) != len(az):
        sys.exit("festival answered %d of %d words" % (len(fh), len(az)))
    per_o, wer_o = score(hyps, refs, az)
    per_f, wer_f = score(fh, refs, az)
    print("\non the %d held-out words of letters a-z only (what the peer handles):" % len(az))
    print("| system | PER | WER | words/s |")
    print("|---|---|---|---|")
    print("| gst-stt g2p (graphone 7-gram) | %.2f %% | %.2f %% | %.0f |" % (per_o, wer_o,
          len(held) / secs))
    print("| Festival CMU LTS rules (peer) | %.2f %% | %.2f %% | %.0f |" % (per_f, wer_f,
          len(az) / fsecs))
    print("(words/s of both include starting the program: stt-model once per 2000 words, "
          "festival once per 200)")
    print("ratios ours/peer: PER %.2f, WER %.2f" % (per_o / per_f, wer_o / wer_f))

if __name__ == "__main__":
    main()
