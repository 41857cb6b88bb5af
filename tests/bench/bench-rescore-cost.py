#!/usr/bin/python3
# gst-stt — CPU cost of lattice rescoring (docs/benchmarks.md, "Rescoring").
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Wall-time RTF differences between two runs of bench-wer.py are within the noise of a shared
# machine, so this measures the rescorer's CPU time directly: every utterance of the chosen
# sets is decoded once with `sttdecoder ! fakesink` and once with N chained `sttrescore`
# elements (each rescores the same lattice, which stays attached), in one process; the extra
# CPU time (user + system, all threads) divided by N is one rescoring pass.
#
# Usage: tests/bench/bench-rescore-cost.py [--build build] [--sets a,b] [--chain N]
#                                          [--rescore 'sttrescore properties']
import argparse
import importlib.util
import os
import resource
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('bench_wer', os.path.join(HERE, 'bench-wer.py'))
bench_wer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_wer)


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run(Gst, files, chain, props):
    tail = ''.join(' ! sttrescore %s' % props for _ in range(chain))
    t0 = cpu()
    for path in files:
        pipe = Gst.parse_launch('filesrc location="%s" ! decodebin ! audioconvert ! '
                                'audioresample ! sttfeatures ! sttacoustic ! sttdecoder%s ! '
                                'fakesink' % (path, tail))
        pipe.set_state(Gst.State.PLAYING)
        pipe.get_bus().timed_pop_filtered(Gst.CLOCK_TIME_NONE,
                                          Gst.MessageType.EOS | Gst.MessageType.ERROR)
        pipe.set_state(Gst.State.NULL)
    return cpu() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.path.join(bench_wer.ROOT, 'build'))
    ap.add_argument('--data', default=os.environ.get('STT_TEST_DATA') or
                    os.path.join(bench_wer.ROOT, '..', 'shared', 'data'))
    ap.add_argument('--sets', default='arctic_cathy,ljspeech')
    ap.add_argument('--chain', type=int, default=10)
    ap.add_argument('--rescore', default='')
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    os.environ['GST_PLUGIN_PATH'] = ':'.join(os.path.join(build, 'plugins', d)
                                             for d in os.listdir(os.path.join(build, 'plugins')))
    os.environ.setdefault('STT_MODEL_PATH', os.path.join(build, 'models'))
    import gi
    gi.require_version('Gst', '1.0')
    from gi.repository import Gst
    Gst.init(None)
    files = [u[1] for _, utts in bench_wer.load_sets(args.data, set(args.sets.split(',')))
             for u in utts]
    audio = sum(bench_wer.wav_seconds(f) for f in files)
    run(Gst, files[:1], args.chain, args.rescore)   # load models and plugins once
    base = run(Gst, files, 0, args.rescore)
    chained = run(Gst, files, args.chain, args.rescore)
    per = (chained - base) / args.chain
    print('%d files, %.1f s of audio' % (len(files), audio))
    print('first pass: %.2f CPU s (CPU RTF %.4f)' % (base, base / audio))
    print('one rescoring pass: %.2f CPU s (CPU RTF %.4f, %.1f%% of the first pass)' %
          (per, per / audio, 100 * per / base))


if __name__ == '__main__':
    sys.exit(main())
