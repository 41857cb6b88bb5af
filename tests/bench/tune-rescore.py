#!/usr/bin/python3
# gst-stt — grid search of sttrescore's LM weight and word insertion penalty on the dev set
# (how the default rescore model's values were chosen, docs/benchmarks.md "Rescoring").
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Each utterance is decoded once; one chained `sttrescore` per setting rescores the same lattice
# (it stays attached), and every element's final texts are scored as bench-wer.py does.
#
# Usage: tests/bench/tune-rescore.py [--build build] [--sets a,b] [--fe 'sttfeatures props']
#                                    [--model ID] "LW,WIP;LW,WIP;..."
import argparse
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('bench_wer', os.path.join(HERE, 'bench-wer.py'))
bench_wer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_wer)


def decode(Gst, wav, fe, chain):
    pipe = Gst.parse_launch('filesrc location="%s" ! decodebin ! audioconvert ! audioresample ! '
                            'sttfeatures %s ! sttacoustic ! sttdecoder name=dec ! %s ! fakesink'
                            % (wav, fe, chain))
    bus = pipe.get_bus()
    texts = {}
    pipe.set_state(Gst.State.PLAYING)
    while True:
        msg = bus.timed_pop_filtered(Gst.CLOCK_TIME_NONE, Gst.MessageType.ELEMENT |
                                     Gst.MessageType.EOS | Gst.MessageType.ERROR)
        if msg.type != Gst.MessageType.ELEMENT:
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
    grid = [tuple(float(v) for v in g.split(',')) for g in args.grid.split(';')]
    model = 'model=%s' % args.model if args.model else ''
    chain = ' ! '.join('sttrescore name=r%d %s lm-weight=%g word-insertion-penalty=%g' %
                       (i, model, lw, wip) for i, (lw, wip) in enumerate(grid))
    names = ['dec'] + ['r%d' % i for i in range(len(grid))]
    errs = [0] * len(names)
    words = 0
    for _, utts in bench_wer.load_sets(args.data, set(s for s in args.sets.split(',') if s)):
        for _, wav, ref in utts:
            texts = decode(Gst, wav, args.fe, chain)
            r = bench_wer.normalise(ref)
            words += len(r)
            for i, k in enumerate(names):
                hyp = bench_wer.normalise(' '.join(t for t in texts.get(k, []) if t))
                errs[i] += bench_wer.edit_distance(r, hyp)
    print('first pass: WER %.2f%%' % (100 * errs[0] / max(words, 1)))
    for i, (lw, wip) in enumerate(grid):
        print('lm-weight %g wip %g: WER %.2f%%' % (lw, wip, 100 * errs[i + 1] / max(words, 1)))


if __name__ == '__main__':
    sys.exit(main())
