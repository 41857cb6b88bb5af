#!/usr/bin/python3
# gst-stt — grid search of sttrescore's settings on the dev set, on a fixed half of it
# (how the default rescore model's values were chosen, docs/benchmarks.md "Rescoring").
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Each utterance is decoded once; the decoder's results go through a tee to one `sttrescore`
# per setting (so every rescorer sees the first pass's result, lattice and confidence), and
# every element's final texts are scored as bench-wer.py does.
#
# The utterances are split in two fixed halves by the SHA-1 of the file name without ".wav"
# (even = "tune", odd = "test", see split()): choose settings on the tune half, report the test
# half (and all). Per setting it prints WER on tune, test, all, and per set (all utterances).
#
# Usage: tests/bench/tune-rescore.py [--build build] [--sets a,b] [--fe 'sttfeatures props']
#          [--props 'sttdecoder props'] [--model ID] "LW,WIP[,KEEP[,KEEPAC]];..."
# KEEP = keep-confidence (default 2: rescore every result), KEEPAC = keep-acoustic-score
# (default 0: rescore every result).
import argparse
import hashlib
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('bench_wer', os.path.join(HERE, 'bench-wer.py'))
bench_wer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_wer)


def split(uid):
    """'tune' or 'test': a fixed half of the dev utterances, by the hash of the file name."""
    return 'tune' if int(hashlib.sha1(uid.encode()).hexdigest(), 16) % 2 == 0 else 'test'


def decode(Gst, wav, fe, props, branches):
    tee = ''.join(' t. ! queue ! %s ! fakesink' % b for b in branches)
    pipe = Gst.parse_launch('filesrc location="%s" ! decodebin ! audioconvert ! audioresample ! '
                            'sttfeatures %s ! sttacoustic ! sttdecoder name=dec %s ! tee name=t%s'
                            % (wav, fe, props, tee))
    bus = pipe.get_bus()
    texts = {}
    pipe.set_state(Gst.State.PLAYING)
    while True:
        msg = bus.timed_pop_filtered(Gst.CLOCK_TIME_NONE, Gst.MessageType.ELEMENT |
                                     Gst.MessageType.EOS | Gst.MessageType.ERROR)
        if msg.type != Gst.MessageType.ELEMENT:
            if msg.type == Gst.MessageType.ERROR:
                raise SystemExit('%s: %s' % (wav, msg.parse_error()[0].message))
            break
        s = msg.get_structure()
        if s.get_name() == 'stt-result' and s.get_value('final'):
            texts.setdefault(msg.src.get_name(), []).append(s.get_value('text'))
    pipe.set_state(Gst.State.NULL)
    return texts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.path.join(bench_wer.ROOT, 'build'))
    ap.add_argument('--data', default=os.environ.get('STT_TEST_DATA') or
                    os.path.join(bench_wer.ROOT, '..', 'shared', 'data'))
    ap.add_argument('--sets', default='')
    ap.add_argument('--fe', default='', help='sttfeatures properties, e.g. cmn=batch')
    ap.add_argument('--props', default='', help='sttdecoder properties, e.g. lattice=false')
    ap.add_argument('--model', default='', help='rescore model (default: the element default)')
    ap.add_argument('grid')
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    os.environ['GST_PLUGIN_PATH'] = ':'.join(os.path.join(build, 'plugins', d)
                                             for d in os.listdir(os.path.join(build, 'plugins')))
    os.environ.setdefault('STT_MODEL_PATH', os.path.join(build, 'models'))
    import gi
    gi.require_version('Gst', '1.0')
    from gi.repository import Gst
    Gst.init(None)
    grid = []
    for g in args.grid.split(';'):
        v = [float(x) for x in g.split(',')]
        grid.append(tuple(v + [2.0, 0.0][len(v) - 2:]))
    model = 'model=%s' % args.model if args.model else ''
    branches = ['sttrescore name=r%d %s lm-weight=%g word-insertion-penalty=%g '
                'keep-confidence=%g keep-acoustic-score=%g' % ((i, model) + g)
                for i, g in enumerate(grid)]
    names = ['dec'] + ['r%d' % i for i in range(len(grid))]
    errs = {}    # (name, group) -> errors; groups: tune, test, all, and each set
    words = {}
    for set_name, utts in bench_wer.load_sets(args.data, set(s for s in args.sets.split(',')
                                                             if s)):
        for uid, wav, ref in utts:
            texts = decode(Gst, wav, args.fe, args.props, branches)
            r = bench_wer.normalise(ref)
            groups = (split(uid), 'all', set_name, (split(uid), set_name))
            for grp in groups:
                words[grp] = words.get(grp, 0) + len(r)
            for k in names:
                hyp = bench_wer.normalise(' '.join(t for t in texts.get(k, []) if t))
                e = bench_wer.edit_distance(r, hyp)
                for grp in groups:
                    errs[k, grp] = errs.get((k, grp), 0) + e
    sets = [g for g in words if g not in ('tune', 'test', 'all') and not isinstance(g, tuple)]
    cols = ['tune', 'test', 'all'] + sets
    # the selection rule's constraint: the most word errors a setting adds to one set's tune half
    print('setting (lm-weight, wip, keep-confidence, keep-acoustic-score) | ' +
          ' | '.join(cols) + ' | most errors added to a set (tune half)')
    for i, k in enumerate(names):
        label = 'first pass' if k == 'dec' else '%g, %g, %g, %g' % grid[i - 1]
        worst = max(errs.get((k, ('tune', s)), 0) - errs.get(('dec', ('tune', s)), 0)
                    for s in sets)
        print('%s | %s | %+d' % (label, ' | '.join('%.2f%%' % (100 * errs.get((k, c), 0) /
                                                              max(words[c], 1)) for c in cols),
                                 worst))


if __name__ == '__main__':
    sys.exit(main())
