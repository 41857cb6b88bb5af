// gst-stt — service load benchmark: K clients stream recordings at real-time pace at once;
// finds the largest K whose final phrases arrive within 500 ms of the end of speech (p95), and
// the memory each stream costs. Not part of the suite (needs the recognizer, takes minutes).
// SPDX-License-Identifier: LGPL-2.1-or-later
//
//   tools/dev/bench-service.sh [--max K] [--files N] [--segment-silence MS] [--pipeline DESC]
//                              [--tail MS] [--only K] [--aligned] [--lead MS]
//                              [--per-stream N] [--verbose]
//
// Each client is what a Speech SDK client with Speech_SegmentationSilenceTimeoutMs set sends:
// segmentationSilenceTimeoutMs in the URL and the segmentation block in speech.context
// (--segment-silence, default 300 ms), detailed results with word times, 100 ms chunks sent on
// a real-time schedule as a live microphone would: a recording (--per-stream N: N of them)
// followed by 1.5 s of silence (--tail MS), optionally after a random 0-MS ms of silence
// before the speaker starts (--lead MS). Every client connects and streams from the start.
//
// End of speech of a phrase: the earlier of (a) the end of its last word (the word times of the
// phrase, in audio time: where in the recording the decoder aligned the word, not when
// anything arrived) and (b) the end of the last 10 ms frame of the recording, between the
// phrase's start and 300 ms after that word, whose energy is 12 dB or more above the
// recording's floor (its 10th-percentile frame). Taking the earlier can only overstate latency.
// Latency = arrival of the speech.phrase - the wall time the speaker stopped: the send time of
// the chunk holding the end of speech, minus the part of that chunk after it (a live
// microphone delivers a chunk when it is full, so this includes the client's <= 100 ms of
// chunking). The "service side" column starts at the send time of that chunk instead.
// Memory per stream = (peak RSS of stt-serve during the run - its RSS after a warm-up stream)
// / K, and its ratio to the peak RSS of the same fragment run alone in one gst-launch-1.0
// process (what a process-per-stream server would pay per stream).
//
// K doubles up to --max, then the knee (largest K whose p95 holds 500 ms) is bisected; finally
// K = 1, the knee and --max run once more with 500 ms (the SDK's default) and 200 ms of
// segmentation silence.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const WebSocket = require('ws');
const { startService } = require('../service/sdk/serve.js');

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf('--' + name); return i >= 0 ? args[i + 1] : def; };
const maxK = parseInt(opt('max', '32'), 10);
const ONLY = parseInt(opt('only', '0'), 10);    // run this K once, no sweep
const nFiles = parseInt(opt('files', '24'), 10);
const pipeline = opt('pipeline', process.env.STT_SERVICE_PIPELINE || 'sttfeatures ! sttacoustic ! sttdecoder');
const data = process.env.STT_TEST_DATA || path.join(__dirname, '..', '..', '..', 'shared', 'data');
const BUDGET_MS = 500;
const VERBOSE = args.includes('--verbose');      // one line per phrase on stderr
// Independent microphones are not synchronised: each client starts its 100 ms chunk clock at
// a random phase (uniform in 0-100 ms; fixed seed, so every run draws the same phases).
// --aligned starts every clock at once, so all K chunks arrive in the same instant (the worst
// case: every chunk of a tick waits for the others' processing).
const ALIGNED = args.includes('--aligned');
let seed = 12345;
const random = (n) => { seed = (seed * 48271) % 2147483647; return seed % n; };
const nextPhase = () => ALIGNED ? 0 : random(100);
// --lead MS: every stream is connected and sending from the start, but its speaker starts
// talking after a random 0-MS ms of silence (10 ms steps), as users do after they open the
// microphone. By default (0) all K speakers start at once, so the search's busiest moment
// (the first words, before pruning settles) comes at the same instant in every stream.
const LEAD_MS = parseInt(opt('lead', '0'), 10);
// --per-stream N: recordings per stream, one after the other (each followed by the tail
// below), so that all K streams carry speech for the whole run (sustained load); by default
// one, and the short recordings' streams end early.
const PER_STREAM = parseInt(opt('per-stream', '1'), 10);
// The pause that ends a phrase (sttdecoder's end-silence-timeout, set through the SDK's
// segmentationSilenceTimeoutMs): a final cannot exist before that much silence was sent.
const SEGMENT_SILENCE_MS = parseInt(opt('segment-silence', '300'), 10);
// Comparison rows after the sweep: the SDK's default (500 ms), and a shorter pause that leaves
// more of the budget to the service (200 ms; splits more sentences, docs/benchmarks.md).
const COMPARE_SILENCES_MS = [500, 200];
// A live microphone goes on after the speaker stops: every recording is followed by this much
// silence before the end of audio, so finals come from the pause, not from the end of the
// stream (the recordings end 0.1-0.9 s after their last word). Digital silence, as a noise
// gate or a browser's noise suppression sends it (sttfeatures dithers it): synthetic white
// noise or a looped quiet piece of the recording made the decoder hear words in the tail or
// miss the pause, which would measure the filler, not the service.
const TAIL_MS = parseInt(opt('tail', '1500'), 10);

function recordings() {
  const dev = path.join(data, 'dev');
  const out = [];
  for (const d of fs.readdirSync(dev).sort()) {
    const dir = path.join(dev, d);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort())
      if (f.endsWith('.wav')) out.push(path.join(dir, f));
  }
  // Spread over the corpora: every n-th file.
  const step = Math.max(1, Math.floor(out.length / nFiles));
  return out.filter((_, i) => i % step === 0).slice(0, nFiles).map((f) => {
    const b = fs.readFileSync(f);
    let pos = 12;
    while (pos + 8 <= b.length) {
      const id = b.toString('ascii', pos, pos + 4), size = b.readUInt32LE(pos + 4);
      if (id === 'data') {
        const speech = b.subarray(pos + 8, pos + 8 + size);
        const energy = frameEnergies(speech);
        return { file: f, pcm: Buffer.concat([speech, Buffer.alloc(Math.round(TAIL_MS * 16) * 2)]), energy };
      }
      pos += 8 + size + (size & 1);
    }
    throw new Error(f + ': no data chunk');
  });
}

// log10 energy of each 10 ms frame, and the speech threshold: 12 dB over the 10th percentile.
function frameEnergies(pcm) {
  const n = Math.floor(pcm.length / 320), e = new Float64Array(n);
  for (let f = 0; f < n; f++) {
    let sum = 1;
    for (let i = 0; i < 160; i++) { const x = pcm.readInt16LE(f * 320 + i * 2); sum += x * x; }
    e[f] = Math.log10(sum / 160);
  }
  const sorted = [...e].sort((a, b) => a - b);
  return { e, threshold: (sorted[Math.floor(0.1 * (n - 1))] || 0) + 1.2 };
}

// A stream's audio: @lead ms of digital silence, then each recording with its tail; the
// recordings' places (ms into the stream) for the end of speech.
function streamAudio(recList, leadMs) {
  const parts = [Buffer.alloc(leadMs * 32)], segments = [];
  let at = leadMs;
  for (const rec of recList) {
    segments.push({ rec, start: at, end: at + rec.pcm.length / 32 });
    parts.push(rec.pcm);
    at += rec.pcm.length / 32;
  }
  return { pcm: Buffer.concat(parts), segments, name: recList.map((r) => path.basename(r.file)).join('+') };
}

// End of speech (ms into the stream) of a phrase: see the header; the energy comes from the
// recording the phrase's last word falls in.
function endOfSpeech(audio, phrase) {
  const words = (phrase.NBest && phrase.NBest[0] && phrase.NBest[0].Words) || [];
  const wordEnd = words.length ? Math.max(...words.map((w) => (w.Offset + w.Duration) / 1e4))
    : (phrase.Offset + phrase.Duration) / 1e4;
  const seg = audio.segments.find((g) => wordEnd > g.start && wordEnd <= g.end);
  let energyEnd = -1;
  if (seg) {
    const { e, threshold } = seg.rec.energy;
    const from = Math.max(0, Math.floor((phrase.Offset / 1e4 - seg.start) / 10));
    const to = Math.min(e.length, Math.ceil((wordEnd - seg.start + 300) / 10));
    for (let f = from; f < to; f++) if (e[f] > threshold) energyEnd = seg.start + (f + 1) * 10;
  }
  return { wordEnd, energyEnd, end: energyEnd >= 0 ? Math.min(wordEnd, energyEnd) : wordEnd,
    file: seg ? path.basename(seg.rec.file) : '(lead silence)' };
}

const hex = () => crypto.randomBytes(16).toString('hex').toUpperCase();

function textMsg(pathName, id, body) {
  return 'Path: ' + pathName + '\r\nX-RequestId: ' + id + '\r\nX-Timestamp: ' + new Date().toISOString() +
    '\r\nContent-Type: application/json\r\n\r\n' + JSON.stringify(body);
}

function audioMsg(id, payload) {
  const h = Buffer.from('Path: audio\r\nX-RequestId: ' + id + '\r\nX-Timestamp: ' + new Date().toISOString() + '\r\n');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(h.length);
  return Buffer.concat([len, h, payload]);
}

function riff() {
  const b = Buffer.alloc(44);
  b.write('RIFF', 0); b.write('WAVEfmt ', 8); b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22); b.writeUInt32LE(16000, 24); b.writeUInt32LE(32000, 28);
  b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34); b.write('data', 36);
  return b;
}

// One client: streams a recording in 100 ms chunks on a real-time clock with @silenceMs of
// segmentation silence; resolves one latency record per Success phrase.
function stream(port, audio, silenceMs, phaseMs = 0) {
  const pcm = audio.pcm;
  return new Promise((resolve, reject) => {
    const id = hex();
    const ws = new WebSocket('ws://127.0.0.1:' + port +
      '/speech/recognition/conversation/cognitiveservices/v1?language=en-US&format=detailed' +
      '&wordLevelTimestamps=true&segmentationSilenceTimeoutMs=' + silenceMs);
    const sentAt = [];
    const latencies = [];
    let timer;
    ws.on('open', () => {
      ws.send(textMsg('speech.config', id, { context: { system: { name: 'bench' } } }));
      ws.send(textMsg('speech.context', id, {
        phraseDetection: { mode: 'Conversation', conversation:
          { segmentation: { mode: 'Custom', segmentationSilenceTimeoutMs: silenceMs } } },
        phraseOutput: { format: 'Detailed', detailed: { options: ['WordTimings'] } },
      }));
      ws.send(audioMsg(id, riff()));
      const t0 = Date.now() + phaseMs;
      let i = 0;
      const tick = () => {
        if (i * 3200 >= pcm.length) { ws.send(audioMsg(id, Buffer.alloc(0))); return; }
        ws.send(audioMsg(id, pcm.subarray(i * 3200, (i + 1) * 3200)));
        sentAt[i] = Date.now();
        i++;
        timer = setTimeout(tick, Math.max(0, t0 + i * 100 - Date.now()));
      };
      timer = setTimeout(tick, phaseMs);
    });
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return;
      const s = raw.toString();
      const sep = s.indexOf('\r\n\r\n');
      const head = s.slice(0, sep);
      const p = /Path: *([^\r]*)/i.exec(head)[1].toLowerCase();
      if (p === 'speech.phrase') {
        const j = JSON.parse(s.slice(sep + 4));
        if (j.RecognitionStatus !== 'Success') return;
        const now = Date.now();
        const eos = endOfSpeech(audio, j);
        const chunk = Math.min(sentAt.length - 1, Math.floor(eos.end / 100));
        const spokenEnd = sentAt[chunk] - ((chunk + 1) * 100 - eos.end);
        latencies.push({ speech: now - spokenEnd, service: now - sentAt[chunk],
          wordMinusEnergy: eos.energyEnd >= 0 ? eos.wordEnd - eos.energyEnd : NaN });
        if (VERBOSE)
          console.error('# ' + eos.file + ': words end ' + eos.wordEnd.toFixed(0) +
            ' ms, energy end ' + eos.energyEnd + ' ms, phrase end ' + ((j.Offset + j.Duration) / 1e4).toFixed(0) +
            ' ms, last chunk sent ' + ((sentAt.length - 1) * 100) + ' ms, final ' + (now - spokenEnd) +
            ' ms after the end of speech (' + (now - sentAt[sentAt.length - 1]) + ' ms after the latest chunk)');
      } else if (p === 'turn.end') {
        clearTimeout(timer);
        ws.close();
        resolve(latencies);
      }
    });
    ws.on('error', reject);
  });
}

function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync('/proc/' + pid + '/status', 'utf8'));
  return m ? parseInt(m[1], 10) : 0;
}

// CPU seconds (user + system) stt-serve has used so far.
function cpuSeconds(pid) {
  const f = fs.readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1].split(' ');
  return (parseInt(f[11], 10) + parseInt(f[12], 10)) / 100;     // utime, stime (USER_HZ 100)
}

function p95(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)];
}

// Peer for memory: the same fragment in its own gst-launch-1.0 process per stream (no model
// shared between streams), decoding one recording; its peak RSS in KiB.
function standaloneRssKiB(file) {
  const { spawn } = require('child_process');
  const c = spawn('gst-launch-1.0', ['-q', 'filesrc', 'location=' + file, '!', 'decodebin', '!',
    'audioconvert', '!', 'audioresample', '!', 'audio/x-raw,format=S16LE,rate=16000,channels=1',
    '!', ...pipeline.split(/\s+/), '!', 'fakesink'], { stdio: 'ignore' });
  let peak = 0;
  const t = setInterval(() => { try { peak = Math.max(peak, rssKiB(c.pid)); } catch (e) { /* exited */ } }, 50);
  return new Promise((resolve) => c.on('exit', () => { clearInterval(t); resolve(peak); }));
}

(async () => {
  const recs = recordings();
  const peer = await standaloneRssKiB(recs[0].file);
  const svc = await startService(['--pipeline', pipeline]);
  try {
    await stream(svc.port, streamAudio([recs[0]], 0), SEGMENT_SILENCE_MS);  // warm-up: models mapped, caches filled
    const idle = rssKiB(svc.pid);
    console.log('| K streams | segmentation silence (ms) | phrases | p95 latency from end of speech (ms) | max (ms) | p95 service side (ms) | service CPU (cores) | RSS per stream (MiB) | ratio to a process per stream |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    const diffs = [];
    // Memory is measured against the RSS after the warm-up, so only in the sweep: the
    // comparison runs come after the largest K, whose high-water mark the heap keeps.
    const run = async (k, silenceMs, memory = true) => {
      let peak = idle;
      const sampler = setInterval(() => { peak = Math.max(peak, rssKiB(svc.pid)); }, 200);
      const cpu0 = cpuSeconds(svc.pid), wall0 = Date.now();
      seed = 12345;
      const audios = Array.from({ length: k }, (_, i) => streamAudio(
        Array.from({ length: PER_STREAM }, (_, j) => recs[(i * PER_STREAM + j) % recs.length]),
        LEAD_MS ? random(LEAD_MS / 10 + 1) * 10 : 0));
      const phrases = (await Promise.all(audios.map((a) =>
        stream(svc.port, a, silenceMs, nextPhase())))).flat();
      clearInterval(sampler);
      const cores = (cpuSeconds(svc.pid) - cpu0) / ((Date.now() - wall0) / 1000);
      const all = phrases.map((l) => l.speech);
      diffs.push(...phrases.map((l) => l.wordMinusEnergy).filter((d) => !isNaN(d)));
      const q = p95(all);
      console.log('| ' + k + ' | ' + silenceMs + ' | ' + all.length + ' | ' + q.toFixed(0) + ' | ' +
        Math.max(...all).toFixed(0) + ' | ' + p95(phrases.map((l) => l.service)).toFixed(0) +
        ' | ' + cores.toFixed(2) + ' | ' + (memory ? ((peak - idle) / k / 1024).toFixed(1) + ' | ' +
        ((peak - idle) / k / peer).toFixed(3) : '– | –') + ' |');
      return q <= BUDGET_MS;
    };
    if (ONLY) {
      await run(ONLY, SEGMENT_SILENCE_MS);
      return;
    }
    // Every doubling of K up to --max (how latency grows with load), then bisect between the
    // last K that held the budget and the first that missed it.
    let best = 0, fail = 0;
    const ks = [];
    for (let k = 1; k < maxK; k *= 2) ks.push(k);
    ks.push(maxK);
    for (const k of ks) {
      const ok = await run(k, SEGMENT_SILENCE_MS);
      if (ok && !fail) best = k;
      if (!ok && !fail) fail = k;
    }
    while (fail && fail - best > 1) {
      const k = Math.floor((best + fail) / 2);
      if (await run(k, SEGMENT_SILENCE_MS)) best = k; else fail = k;
    }
    for (const ms of COMPARE_SILENCES_MS.filter((x) => x !== SEGMENT_SILENCE_MS))
      for (const k of [...new Set([1, Math.max(best, 1), maxK])])
        await run(k, ms, false);
    const sorted = [...diffs].sort((a, b) => a - b);
    console.log('\nend of speech: last word end - energy end, median ' +
      (sorted[Math.floor(sorted.length / 2)] || 0).toFixed(0) + ' ms, 5th-95th percentile ' +
      (sorted[Math.floor(0.05 * (sorted.length - 1))] || 0).toFixed(0) + ' to ' +
      (sorted[Math.floor(0.95 * (sorted.length - 1))] || 0).toFixed(0) + ' ms over ' + sorted.length + ' phrases');
    console.log('\npeer: one gst-launch-1.0 process per stream, peak RSS ' + (peer / 1024).toFixed(1) +
      ' MiB; service idle RSS after warm-up ' + (idle / 1024).toFixed(1) + ' MiB');
    console.log('largest K with p95 latency from end of speech <= ' + BUDGET_MS + ' ms at ' +
      SEGMENT_SILENCE_MS + ' ms segmentation silence: ' + best + ' (pipeline "' + pipeline +
      '", ' + recs.length + ' recordings)');
  } finally {
    await svc.stop();
  }
})().catch((e) => { console.error(e); process.exit(1); });
