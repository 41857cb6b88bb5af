// gst-stt — service load benchmark: K clients stream recordings at real-time pace at once;
// finds the largest K whose final phrases arrive within 500 ms of the end of speech (p95), and
// the memory each stream costs. Not part of the suite (needs the recognizer, takes minutes).
// SPDX-License-Identifier: LGPL-2.1-or-later
//
//   tools/dev/bench-service.sh [--max K] [--files N] [--pipeline DESC]
//
// Latency of a phrase = arrival of its speech.phrase - the moment the audio chunk was sent that
// made the final decidable: the chunk holding the phrase's end (Offset+Duration) plus the
// segmentation silence (--segment-silence, 500 ms, sent as segmentationSilenceTimeoutMs), or
// the last chunk when the recording ends first. The latency from the end of speech itself is
// reported too; it includes that configured wait, which is not a cost of load. Chunks are
// 100 ms, sent on a real-time schedule as a live microphone would. Memory per stream = (peak RSS of stt-serve during the run - its RSS
// after a warm-up stream) / K, and its ratio to the peak RSS of the same fragment run alone in
// one gst-launch-1.0 process (what a process-per-stream server would pay per stream).
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const WebSocket = require('ws');
const { startService } = require('../service/sdk/serve.js');

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf('--' + name); return i >= 0 ? args[i + 1] : def; };
const maxK = parseInt(opt('max', '32'), 10);
const nFiles = parseInt(opt('files', '24'), 10);
const pipeline = opt('pipeline', process.env.STT_SERVICE_PIPELINE || 'sttfeatures ! sttacoustic ! sttdecoder');
const data = process.env.STT_TEST_DATA || path.join(__dirname, '..', '..', '..', 'shared', 'data');
const BUDGET_MS = 500;
// The pause that ends a phrase (sttdecoder's end-silence-timeout, set through the SDK's
// segmentationSilenceTimeoutMs): a final cannot exist before that much silence was sent.
const SEGMENT_SILENCE_MS = parseInt(opt('segment-silence', '500'), 10);

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
      if (id === 'data') return { file: f, pcm: b.subarray(pos + 8, pos + 8 + size) };
      pos += 8 + size + (size & 1);
    }
    throw new Error(f + ': no data chunk');
  });
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

// One client: streams @pcm in 100 ms chunks on a real-time clock; resolves latencies (ms).
function stream(port, pcm) {
  return new Promise((resolve, reject) => {
    const id = hex();
    const ws = new WebSocket('ws://127.0.0.1:' + port +
      '/speech/recognition/conversation/cognitiveservices/v1?language=en-US&format=simple' +
      '&segmentationSilenceTimeoutMs=' + SEGMENT_SILENCE_MS);
    const sentAt = [];
    const latencies = [];
    let timer;
    ws.on('open', () => {
      ws.send(textMsg('speech.config', id, { context: { system: { name: 'bench' } } }));
      ws.send(textMsg('speech.context', id, { phraseOutput: {} }));
      ws.send(audioMsg(id, riff()));
      const t0 = Date.now();
      let i = 0;
      const tick = () => {
        if (i * 3200 >= pcm.length) { ws.send(audioMsg(id, Buffer.alloc(0))); return; }
        ws.send(audioMsg(id, pcm.subarray(i * 3200, (i + 1) * 3200)));
        sentAt[i] = Date.now();
        i++;
        timer = setTimeout(tick, Math.max(0, t0 + i * 100 - Date.now()));
      };
      tick();
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
        // end of speech, and the moment the final became decidable: end of speech + the
        // segmentation silence, or the last audio when the recording ends first (100 ms chunks)
        const endMs = (j.Offset + j.Duration) / 1e4;
        const last = sentAt.length - 1;
        const chunk = Math.min(last, Math.floor(endMs / 100));
        const due = Math.min(last, Math.floor((endMs + SEGMENT_SILENCE_MS) / 100));
        const now = Date.now();
        latencies.push({ speech: now - sentAt[chunk], decidable: now - sentAt[due] });
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
    await stream(svc.port, recs[0].pcm);         // warm-up: models mapped, caches filled
    const idle = rssKiB(svc.pid);
    console.log('| K streams | phrases | p95 final latency (ms) | max (ms) | p95 from end of speech (ms) | RSS per stream (MiB) | ratio to a process per stream |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|');
    const run = async (k) => {
      let peak = idle;
      const sampler = setInterval(() => { peak = Math.max(peak, rssKiB(svc.pid)); }, 200);
      const phrases = (await Promise.all(Array.from({ length: k },
        (_, i) => stream(svc.port, recs[i % recs.length].pcm)))).flat();
      clearInterval(sampler);
      const all = phrases.map((l) => l.decidable);
      const q = p95(all);
      console.log('| ' + k + ' | ' + all.length + ' | ' + q.toFixed(0) + ' | ' +
        Math.max(...all).toFixed(0) + ' | ' + p95(phrases.map((l) => l.speech)).toFixed(0) +
        ' | ' + ((peak - idle) / k / 1024).toFixed(1) + ' | ' +
        ((peak - idle) / k / peer).toFixed(3) + ' |');
      return q <= BUDGET_MS;
    };
    // Double K until the budget is missed, then bisect between the last pass and that K.
    let best = 0, fail = 0;
    for (let k = 1; k <= maxK; k *= 2) {
      if (!(await run(k))) { fail = k; break; }
      best = k;
    }
    while (fail && fail - best > 1) {
      const k = Math.floor((best + fail) / 2);
      if (await run(k)) best = k; else fail = k;
    }
    console.log('\npeer: one gst-launch-1.0 process per stream, peak RSS ' + (peer / 1024).toFixed(1) +
      ' MiB; service idle RSS after warm-up ' + (idle / 1024).toFixed(1) + ' MiB');
    console.log('largest K with p95 final latency <= ' + BUDGET_MS + ' ms: ' + best +
      ' (pipeline "' + pipeline + '", ' + recs.length + ' recordings)');
  } finally {
    await svc.stop();
  }
})().catch((e) => { console.error(e); process.exit(1); });
