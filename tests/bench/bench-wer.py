#!/usr/bin/python3
# gst-stt — recognition accuracy and speed: our pipeline vs the pocketsphinx GStreamer element.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# In one invocation, for every utterance of each set (the folders of ../shared/data/dev and the
# LibriVox utterances of Debian's pocketsphinx-testdata), runs
#   ours:         filesrc ! decodebin ! audioconvert ! audioresample !
#                 sttfeatures ! sttacoustic ! sttdecoder ! appsink
#   pocketsphinx: filesrc ! decodebin ! audioconvert ! audioresample ! pocketsphinx ! fakesink
# (same acoustic model, dictionary and LM; pocketsphinx with its defaults), each system in its
# own process (one model load, pipelines one after another), and prints per set: WER of both
# with the same normalisation, real-time factor of both (wall time of the pipelines / audio
# duration), peak memory of each process, and the ratios. Then the memory each additional
# concurrent pipeline of ours costs in one process.
#
# Usage: tests/bench/bench-wer.py [--build build] [--sets a,b] [--limit N] [--skip-peer]
#                                 [--batch-cmn] [--props 'sttdecoder properties']
#                                 [--rescore 'sttrescore properties']
# --batch-cmn adds a third column: ours with sttfeatures cmn=batch (per-file CMN, which
# pocketsphinx's element cannot do; pocketsphinx_batch does). STT_BENCH_FE="prop=value" adds
# sttfeatures properties to the "ours" column (experiments).
# --rescore adds a column: ours followed by sttrescore (lattice rescoring, docs/rescore.md) with
# the given properties ('' = its defaults); its RTF minus ours' is the cost of rescoring.
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LIBRIVOX = '/usr/share/pocketsphinx/test/data/librivox'


def normalise(text):
    """The dev set's normalisation (SOURCES.md): lower case, punctuation removed except
    apostrophes inside words, hyphens split words, mr/mrs/dr read as mister/missus/doctor."""
    t = text.lower().replace('-', ' ')
    t = re.sub(r"[^a-z0-9' ]", ' ', t)
    words = []
    for w in t.split():
        w = w.strip("'")
        if not w:
            continue
        w = {'mr': 'mister', 'mrs': 'missus', 'dr': 'doctor'}.get(w, w)
        words.append(w)
    return words


def edit_distance(ref, hyp):
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def load_sets(data, names):
    sets = []
    dev = os.path.join(data, 'dev')
    for name in sorted(os.listdir(dev)):
        folder = os.path.join(dev, name)
        if not os.path.isdir(folder) or (names and name not in names):
            continue
        refs_file = os.path.join(folder, 'refs.expanded.norm.txt')
        if not os.path.exists(refs_file):
            refs_file = os.path.join(folder, 'refs.norm.txt')
        utts = []
        for line in open(refs_file, encoding='utf-8'):
            uid, _, text = line.strip().partition(' ')
            wav = os.path.join(folder, uid + '.wav')
            if os.path.exists(wav):
                utts.append((uid, wav, text))
        sets.append((name, utts))
    if os.path.isdir(LIBRIVOX) and (not names or 'librivox' in names):
        utts = []
        for line in open(os.path.join(LIBRIVOX, 'transcription'), encoding='utf-8'):
            m = re.match(r'\s*(.*?)\s*\((\S+)\)\s*$', line)
            text = m.group(1).replace('<s>', '').replace('</s>', '').strip()
            utts.append((m.group(2), os.path.join(LIBRIVOX, m.group(2) + '.wav'), text))
        sets.append(('librivox (pocketsphinx-testdata)', utts))
    return sets


def wav_seconds(path):
    import wave
    with wave.open(path) as w:
        return w.getnframes() / w.getframerate()


# ---- child: run one system over files, print JSON ------------------------------------------

def run_child(system, files, props, rescore=''):
    import gi
    gi.require_version('Gst', '1.0')
    from gi.repository import Gst
    Gst.init(None)
    out = {}
    total = 0.0
    for path in files:
        if system.startswith('ours'):
            fe = 'cmn=batch' if system == 'ours-batch' else os.environ.get('STT_BENCH_FE', '')
            tail = 'sttfeatures %s ! sttacoustic ! sttdecoder name=dec %s ! fakesink' % (fe, props)
            if system == 'ours-rescore':
                tail = tail.replace('! fakesink', '! sttrescore name=resc %s ! fakesink' % rescore)
        else:
            tail = 'pocketsphinx name=dec ! fakesink'
        desc = ('filesrc location="%s" ! decodebin ! audioconvert ! audioresample ! '
                'audio/x-raw,format=S16LE,rate=16000,channels=1 ! %s' % (path, tail))
        pipe = Gst.parse_launch(desc)
        bus = pipe.get_bus()
        texts = []
        t0 = time.monotonic()
        pipe.set_state(Gst.State.PLAYING)
        while True:
            msg = bus.timed_pop_filtered(Gst.CLOCK_TIME_NONE, Gst.MessageType.ELEMENT |
                                         Gst.MessageType.EOS | Gst.MessageType.ERROR)
            if msg.type == Gst.MessageType.ERROR:
                err, dbg = msg.parse_error()
                sys.stderr.write('%s: %s (%s)\n' % (path, err.message, dbg))
                break
            if msg.type == Gst.MessageType.EOS:
                break
            s = msg.get_structure()
            if system.startswith('ours') and s.get_name() == 'stt-result' and \
                    s.get_value('final') and \
                    msg.src.get_name() == ('resc' if system == 'ours-rescore' else 'dec'):
                texts.append(s.get_value('text'))
            if system == 'pocketsphinx' and s.get_name() == 'pocketsphinx' and \
                    s.get_value('final'):
                texts.append(s.get_value('hypothesis'))
        total += time.monotonic() - t0
        pipe.set_state(Gst.State.NULL)
        out[path] = ' '.join(t for t in texts if t)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({'hyps': out, 'seconds': total, 'maxrss': maxrss}))


def run_system(args, system, files):
    env = dict(os.environ)
    build = os.path.abspath(args.build)
    env['GST_PLUGIN_PATH'] = os.path.join(build, 'plugins') + ':' + env.get('GST_PLUGIN_PATH', '')
    env.setdefault('STT_MODEL_PATH', os.path.join(build, 'models'))
    for d in os.listdir(os.path.join(build, 'plugins')):
        env['GST_PLUGIN_PATH'] = os.path.join(build, 'plugins', d) + ':' + env['GST_PLUGIN_PATH']
    p = subprocess.run([sys.executable, __file__, '--child', system, '--props', args.props,
                        '--rescore', args.rescore or ''] + files, env=env, stdout=subprocess.PIPE, check=True)
    return json.loads(p.stdout)


# ---- memory per additional concurrent pipeline ----------------------------------------------

def run_concurrency(n, wav, props):
    import gi
    gi.require_version('Gst', '1.0')
    from gi.repository import Gst
    Gst.init(None)
    pipes = []
    desc = ('filesrc location="%s" ! decodebin ! audioconvert ! audioresample ! '
            'sttfeatures ! sttacoustic ! sttdecoder %s ! fakesink' % (wav, props))
    for _ in range(n):
        pipes.append(Gst.parse_launch(desc))
    for p in pipes:
        p.set_state(Gst.State.PLAYING)
    for p in pipes:
        p.get_bus().timed_pop_filtered(Gst.CLOCK_TIME_NONE,
                                       Gst.MessageType.EOS | Gst.MessageType.ERROR)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    for p in pipes:
        p.set_state(Gst.State.NULL)
    print(json.dumps({'maxrss': rss}))


def concurrency_cost(args, wav):
    env = dict(os.environ)
    build = os.path.abspath(args.build)
    env['GST_PLUGIN_PATH'] = ':'.join(os.path.join(build, 'plugins', d)
                                      for d in os.listdir(os.path.join(build, 'plugins')))
    env.setdefault('STT_MODEL_PATH', os.path.join(build, 'models'))
    rss = {}
    for n in (1, 4):
        p = subprocess.run([sys.executable, __file__, '--concurrent', str(n), '--props',
                            args.props, wav], env=env, stdout=subprocess.PIPE, check=True)
        rss[n] = json.loads(p.stdout)['maxrss']
    return rss[1], (rss[4] - rss[1]) / 3


def default_data():
    """$STT_TEST_DATA, else ../shared/data beside the source tree (or its worktree folder)."""
    return os.environ.get('STT_TEST_DATA') or next(
        (d for d in (os.path.join(ROOT, '..', 'shared', 'data'),
                     os.path.join(ROOT, '..', '..', 'shared', 'data')) if os.path.isdir(d)), '')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.path.join(ROOT, 'build'))
    data = default_data()
    ap.add_argument('--data', default=data, help='the shared data folder (holds dev/)')
    ap.add_argument('--sets', default='')
    ap.add_argument('--limit', type=int, default=0)
    ap.add_argument('--props', default='', help='extra sttdecoder properties')
    ap.add_argument('--skip-peer', action='store_true')
    ap.add_argument('--batch-cmn', action='store_true',
                    help='also run ours with sttfeatures cmn=batch (whole-file CMN)')
    ap.add_argument('--rescore', default=None,
                    help='also run ours + sttrescore with these properties')
    ap.add_argument('--child')
    ap.add_argument('--concurrent', type=int)
    ap.add_argument('--score', help='score a file of "<utt-id> words" lines against --sets')
    ap.add_argument('files', nargs='*')
    args = ap.parse_args()
    if args.child:
        return run_child(args.child, args.files, args.props, args.rescore or '')
    if args.concurrent:
        return run_concurrency(args.concurrent, args.files[0], args.props)

    names = set(s for s in args.sets.split(',') if s)
    sets = load_sets(args.data, names)
    if args.score:
        hyps = {}
        for line in open(args.score, encoding='utf-8'):
            uid, _, text = line.strip().partition(' ')
            hyps[uid] = text
        for name, utts in sets:
            errs = sum(edit_distance(normalise(t), normalise(hyps.get(u, ''))) for u, _, t in utts)
            words = sum(len(normalise(t)) for _, _, t in utts)
            print('%-34s %7.2f%% (%d/%d)' % (name, 100 * errs / max(words, 1), errs, words))
        return 0
    systems = ['ours'] + ([] if args.skip_peer else ['pocketsphinx'])
    if args.batch_cmn:
        systems.append('ours-batch')
    if args.rescore is not None:
        systems.append('ours-rescore')
    print('Recognition accuracy and speed (WER = errors/reference words; RTF = wall time / audio)')
    hdr = '%-34s %5s %7s' % ('set', 'utts', 'audio s')
    for s in systems:
        hdr += ' %8s %7s %7s' % ({'ours': 'WER ours', 'pocketsphinx': 'WER ps',
                                  'ours-batch': 'WER o-b', 'ours-rescore': 'WER o+r'}[s],
                                 'RTF', 'MiB')
    if not args.skip_peer:
        hdr += ' %9s %9s %8s' % ('WER ratio', 'RTF ratio', 'mem ratio')
    print(hdr)
    totals = {s: [0, 0, 0.0] for s in systems}
    audio_total = 0.0
    for name, utts in sets:
        if args.limit:
            utts = utts[:args.limit]
        files = [u[1] for u in utts]
        audio = sum(wav_seconds(f) for f in files)
        audio_total += audio
        row = '%-34s %5d %7.1f' % (name, len(utts), audio)
        res = {}
        for s in systems:
            r = run_system(args, s, files)
            errs = words = 0
            for uid, wav, ref in utts:
                ref_w = normalise(ref)
                hyp_w = normalise(r['hyps'].get(wav, ''))
                errs += edit_distance(ref_w, hyp_w)
                words += len(ref_w)
                if os.environ.get('STT_BENCH_VERBOSE'):
                    sys.stderr.write('%s %s\n  ref: %s\n  hyp: %s\n' % (s, uid, ' '.join(ref_w),
                                                                        ' '.join(hyp_w)))
            wer = errs / max(words, 1)
            res[s] = (wer, r['seconds'] / audio, r['maxrss'])
            totals[s][0] += errs
            totals[s][1] += words
            totals[s][2] += r['seconds']
            row += ' %7.2f%% %7.3f %7.0f' % (100 * wer, r['seconds'] / audio,
                                             r['maxrss'] / 2**20)
        if not args.skip_peer:
            o, p = res['ours'], res['pocketsphinx']
            row += ' %9.2f %9.2f %8.2f' % (o[0] / p[0] if p[0] else float('nan'), o[1] / p[1],
                                           o[2] / p[2])
        print(row, flush=True)
    row = '%-34s %5s %7.1f' % ('all (pooled)', '', audio_total)
    for s in systems:
        e, w, sec = totals[s]
        row += ' %7.2f%% %7.3f %7s' % (100 * e / max(w, 1), sec / audio_total, '')
    print(row)
    first, extra = concurrency_cost(args, sets[0][1][0][1])
    print('memory: one pipeline process %.0f MiB peak; each additional concurrent pipeline '
          '%.1f MiB (4 pipelines in one process)' % (first / 2**20, extra / 2**20))


if __name__ == '__main__':
    sys.exit(main())
