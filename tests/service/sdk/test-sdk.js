// gst-stt — the real Speech SDK for JavaScript (1.52.0) against stt-serve (spec §5 plan).
// SPDX-License-Identifier: LGPL-2.1-or-later
//
//   run.sh test-sdk.js protocol       cases decided before recognition (any pipeline fragment)
//   run.sh test-sdk.js recognition    single-shot, continuous, detailed+words, push stream;
//                                      needs a recognizer: $STT_SERVICE_PIPELINE or the default
'use strict';
const fs = require('fs');
const path = require('path');
const sdk = require('microsoft-cognitiveservices-speech-sdk');
const { startService, tap, assert } = require('./serve.js');

const TICKS = 1e7;
const data = process.env.STT_TEST_DATA;
const pipeline = process.env.STT_SERVICE_PIPELINE || 'sttfeatures ! sttacoustic ! sttdecoder';

function wav(rel) {
  return fs.readFileSync(path.join(data, rel));
}

// Seconds of audio in a 16 kHz 16-bit mono WAV (data chunk size).
function wavSeconds(buf) {
  let pos = 12;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('ascii', pos, pos + 4), size = buf.readUInt32LE(pos + 4);
    if (id === 'data') return size / 32000;
    pos += 8 + size + (size & 1);
  }
  throw new Error('no data chunk');
}

// Words of the recording's reference (refs.norm.txt) that occur in @text.
function sharedWords(text, rel) {
  const dir = path.join(data, path.dirname(rel)), utt = path.basename(rel, '.wav');
  const line = fs.readFileSync(path.join(dir, 'refs.norm.txt'), 'utf8').split('\n')
    .find((l) => l.startsWith(utt + ' '));
  const ref = new Set(line.split(' ').slice(1));
  return text.toLowerCase().replace(/[^a-z' ]/g, ' ').split(/\s+/).filter((w) => ref.has(w)).length;
}

function config(port, opts) {
  const cfg = opts.key ? sdk.SpeechConfig.fromHost(new URL('ws://127.0.0.1:' + port), opts.key)
    : sdk.SpeechConfig.fromHost(new URL('ws://127.0.0.1:' + port));
  cfg.speechRecognitionLanguage = opts.language || 'en-US';
  if (opts.detailed) cfg.outputFormat = sdk.OutputFormat.Detailed;
  if (opts.words) cfg.requestWordLevelTimestamps();
  if (opts.segmentMs) cfg.setProperty(sdk.PropertyId.Speech_SegmentationSilenceTimeoutMs, String(opts.segmentMs));
  if (opts.stable) cfg.setProperty(sdk.PropertyId.SpeechServiceResponse_StablePartialResultThreshold, String(opts.stable));
  if (opts.storeAudio) cfg.enableAudioLogging();
  return cfg;
}

function recognizer(port, audioConfig, opts) {
  const cfg = config(port, opts);
  return opts.languages
    ? sdk.SpeechRecognizer.FromConfig(cfg, sdk.AutoDetectSourceLanguageConfig.fromLanguages(opts.languages), audioConfig)
    : new sdk.SpeechRecognizer(cfg, audioConfig);
}

// Room-level noise (what a microphone gives between words; digital zeros are not), as PCM.
function noise(seconds) {
  const n = new Int16Array(Math.round(16000 * seconds));
  let x = 12345;
  for (let i = 0; i < n.length; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; n[i] = (x % 61) - 30; }
  return Buffer.from(n.buffer);
}

// Digital silence (a noise gate's pause; sttfeatures dithers it), as PCM.
function silence(seconds) {
  return Buffer.alloc(Math.round(16000 * seconds) * 2);
}

// Writes @pcm to a push stream in 100 ms chunks on a real-time clock, then closes it.
// Returns { push, written() } where written() is the audio seconds written so far.
function pacedPush(pcm) {
  const push = sdk.AudioInputStream.createPushStream(sdk.AudioStreamFormat.getWaveFormatPCM(16000, 16, 1));
  let pos = 0;
  const t0 = Date.now();
  const tick = () => {
    if (pos >= pcm.length) { push.close(); return; }
    const slice = pcm.subarray(pos, pos + 3200);
    push.write(slice.buffer.slice(slice.byteOffset, slice.byteOffset + slice.length));
    pos += 3200;
    setTimeout(tick, Math.max(0, t0 + (pos / 3200) * 100 - Date.now()));
  };
  tick();
  return { push, written: () => Math.min(pos, pcm.length) / 32000 };
}

function once(port, buf, opts) {
  const rec = recognizer(port, sdk.AudioConfig.fromWavFileInput(buf, 'test.wav'), opts || {});
  return new Promise((resolve, reject) => {
    rec.recognizeOnceAsync((r) => { rec.close(); resolve(r); }, (e) => { rec.close(); reject(e); });
  });
}

function continuous(port, audioConfig, opts) {
  opts = opts || {};
  const rec = recognizer(port, audioConfig, opts);
  if (opts.phrases) {
    const list = sdk.PhraseListGrammar.fromRecognizer(rec);
    for (const p of opts.phrases) list.addPhrase(p);
  }
  const events = [];
  const now = opts.clock || (() => 0);
  return new Promise((resolve, reject) => {
    const finish = () => rec.stopContinuousRecognitionAsync(() => { rec.close(); resolve(events); },
      (e) => { rec.close(); reject(e); });
    rec.recognizing = (_, e) => events.push(['recognizing', e.result, now()]);
    rec.recognized = (_, e) => events.push(['recognized', e.result, now()]);
    rec.speechStartDetected = (_, e) => events.push(['speechStart', e.offset]);
    rec.speechEndDetected = (_, e) => events.push(['speechEnd', e.offset]);
    rec.canceled = (_, e) => {
      events.push(['canceled', e]);
      if (e.reason === sdk.CancellationReason.Error) {
        rec.close();
        reject(new Error('canceled: ' + e.errorDetails));
      }
    };
    rec.sessionStopped = () => finish();
    rec.startContinuousRecognitionAsync(() => {}, reject);
  });
}

function checkPhraseTimes(result, seconds) {
  assert(result.offset >= 0, 'offset >= 0, got ' + result.offset);
  assert(result.duration > 0, 'duration > 0');
  assert(result.offset + result.duration <= (seconds + 0.1) * TICKS,
    'phrase ends within the audio: ' + (result.offset + result.duration) / TICKS + ' s of ' + seconds);
}

// Decided before audio reaches the fragment: any fragment that builds will do.
const protocolTests = () => [
  ['wrong language: canceled with BadRequestParameters (close 1007)', async () => {
    const s = await startService(['--pipeline', 'identity']);
    try {
      const r = await once(s.port, wav('dev/arctic_cathy/cathy_arctic_a0002.wav'), { language: 'de-DE' });
      assert(r.reason === sdk.ResultReason.Canceled, 'reason Canceled, got ' + r.reason);
      const d = sdk.CancellationDetails.fromResult(r);
      assert(d.ErrorCode === sdk.CancellationErrorCode.BadRequestParameters,
        'BadRequestParameters, got ' + d.ErrorCode + ' ' + d.errorDetails);
      assert(/de-DE/.test(d.errorDetails), 'the reason names the language: ' + d.errorDetails);
    } finally { await s.stop(); }
  }],
  ['wrong key: upgrade refused, canceled with ConnectionFailure', async () => {
    const s = await startService(['--pipeline', 'identity', '--key', 'right-key']);
    try {
      const r = await once(s.port, wav('dev/arctic_cathy/cathy_arctic_a0002.wav'), { key: 'wrong' });
      assert(r.reason === sdk.ResultReason.Canceled, 'reason Canceled');
      const d = sdk.CancellationDetails.fromResult(r);
      assert(d.ErrorCode === sdk.CancellationErrorCode.ConnectionFailure,
        'ConnectionFailure, got ' + d.ErrorCode + ' ' + d.errorDetails);
      assert(/401/.test(d.errorDetails), 'the message has the HTTP status: ' + d.errorDetails);
    } finally { await s.stop(); }
  }, 90],
];

const recognitionTests = () => {
  const file = 'dev/arctic_cathy/cathy_arctic_a0002.wav';
  let s;
  return [
    ['start the service', async () => { s = await startService(['--pipeline', pipeline, '--key', 'k1']); }],
    ['recognizeOnceAsync: text, offsets within the audio', async () => {
      const buf = wav(file);
      const r = await once(s.port, buf, { key: 'k1' });
      assert(r.reason === sdk.ResultReason.RecognizedSpeech, 'RecognizedSpeech, got ' + r.reason +
        ' ' + (r.reason === sdk.ResultReason.Canceled ? sdk.CancellationDetails.fromResult(r).errorDetails : ''));
      assert(sharedWords(r.text, file) >= 2, 'the text is that of the recording: "' + r.text + '"');
      checkPhraseTimes(r, wavSeconds(buf));
      const json = JSON.parse(r.properties.getProperty(sdk.PropertyId.SpeechServiceResponse_JsonResult));
      assert(json.RecognitionStatus === 'Success' && json.DisplayText === r.text, 'simple JSON');
    }],
    ['detailed with word timings parsed by the SDK', async () => {
      const buf = wav(file);
      const r = await once(s.port, buf, { key: 'k1', detailed: true, words: true });
      assert(r.reason === sdk.ResultReason.RecognizedSpeech, 'RecognizedSpeech');
      const json = JSON.parse(r.properties.getProperty(sdk.PropertyId.SpeechServiceResponse_JsonResult));
      const best = json.NBest[0];
      for (const k of ['Lexical', 'ITN', 'MaskedITN', 'Display']) assert(typeof best[k] === 'string', k);
      assert(best.Words.length > 0, 'words');
      let last = -1;
      for (const w of best.Words) {
        assert(w.Offset >= last, 'word offsets increase');
        assert(w.Offset >= json.Offset && w.Offset + w.Duration <= json.Offset + json.Duration + TICKS / 10,
          'word ' + w.Word + ' within its phrase');
        last = w.Offset;
      }
    }],
    ['continuous: recognizing before recognized, offsets monotonic', async () => {
      const buf = wav(file);
      const ev = await continuous(s.port, sdk.AudioConfig.fromWavFileInput(buf, 'c.wav'), { key: 'k1' });
      const kinds = ev.map((e) => e[0]);
      const firstRecognized = kinds.findIndex((k, i) => k === 'recognized' && ev[i][1].reason === sdk.ResultReason.RecognizedSpeech);
      assert(firstRecognized >= 0, 'a recognized phrase: ' + kinds.join(','));
      assert(kinds.indexOf('recognizing') >= 0 && kinds.indexOf('recognizing') < firstRecognized,
        'recognizing before recognized: ' + kinds.join(','));
      assert(kinds.indexOf('speechStart') >= 0 && kinds.indexOf('speechStart') < kinds.indexOf('recognizing'),
        'speechStartDetected first: ' + kinds.join(','));
      assert(kinds.indexOf('speechEnd') > firstRecognized, 'speechEndDetected after the phrase: ' + kinds.join(','));
      let last = -1;
      for (const [k, r] of ev) {
        if (k !== 'recognized' || r.reason !== sdk.ResultReason.RecognizedSpeech) continue;
        assert(r.offset >= last, 'phrase offsets increase');
        checkPhraseTimes(r, wavSeconds(buf));
        last = r.offset;
      }
    }, 120],
    ['push stream at real-time pace', async () => {
      const buf = wav(file);
      const pcm = buf.subarray(44);
      const fmt = sdk.AudioStreamFormat.getWaveFormatPCM(16000, 16, 1);
      const push = sdk.AudioInputStream.createPushStream(fmt);
      let pos = 0;
      const timer = setInterval(() => {
        if (pos >= pcm.length) { clearInterval(timer); push.close(); return; }
        const slice = pcm.subarray(pos, pos + 3200);
        push.write(slice.buffer.slice(slice.byteOffset, slice.byteOffset + slice.length));
        pos += 3200;
      }, 100);
      const ev = await continuous(s.port, sdk.AudioConfig.fromStreamInput(push), { key: 'k1' });
      const text = ev.filter((e) => e[0] === 'recognized').map((e) => e[1].text).join(' ');
      assert(sharedWords(text, file) >= 2, 'the text is that of the recording: "' + text + '"');
    }, 120],
    ['segmentation silence: a shorter one gives an earlier final', async () => {
      // speech, then 3 s of silence, at real-time pace; the gap = audio written when the
      // final arrives - the phrase's end, in audio seconds (so load does not blur it much)
      const pcm = Buffer.concat([wav(file).subarray(44), silence(3)]);
      const gap = async (ms) => {
        const p = pacedPush(pcm);
        const ev = await continuous(s.port, sdk.AudioConfig.fromStreamInput(p.push),
          { key: 'k1', segmentMs: ms, clock: p.written });
        const first = ev.find((e) => e[0] === 'recognized' && e[1].reason === sdk.ResultReason.RecognizedSpeech);
        assert(first, 'a phrase with segmentation silence ' + ms + ' ms');
        assert(sharedWords(first[1].text, file) >= 2, 'the text is that of the recording: "' + first[1].text + '"');
        return first[2] - (first[1].offset + first[1].duration) / TICKS;
      };
      const short = await gap(300), long = await gap(1500);
      console.log('# final after the phrase end: ' + short.toFixed(2) + ' s with 300 ms, ' +
        long.toFixed(2) + ' s with 1500 ms of segmentation silence');
      assert(short >= 0.3 - 0.1, 'not before 300 ms of pause: ' + short);
      assert(long >= 1.5 - 0.1, 'not before 1500 ms of pause: ' + long);
      assert(short + 0.8 < long, 'the shorter silence ends the phrase earlier: ' + short + ' vs ' + long);
      assert(long < 2.9, 'the 1500 ms pause ended the phrase, not the end of the stream: ' + long);
    }, 120],
    ['two turns on one connection: request ids and offsets', async () => {
      // recognizeOnceAsync twice on one recognizer and one push stream: two recordings, each
      // followed by silence; the socket is reused and each turn gets its own request id
      const a = 'dev/arctic_cathy/cathy_arctic_a0002.wav', b = 'dev/arctic_cathy/cathy_arctic_a0003.wav';
      const pcm = Buffer.concat([wav(a).subarray(44), silence(1.5), wav(b).subarray(44), silence(2)]);
      const p = pacedPush(pcm);
      const rec = recognizer(s.port, sdk.AudioConfig.fromStreamInput(p.push), { key: 'k1' });
      let connections = 0;
      sdk.Connection.fromRecognizer(rec).connected = () => connections++;
      const one = () => new Promise((resolve, reject) => rec.recognizeOnceAsync(resolve, reject));
      const r1 = await one();
      const r2 = await one();
      rec.close();
      for (const [r, f] of [[r1, a], [r2, b]]) {
        assert(r.reason === sdk.ResultReason.RecognizedSpeech, 'RecognizedSpeech, got ' + r.reason);
        assert(sharedWords(r.text, f) >= 2, 'turn text is that of ' + f + ': "' + r.text + '"');
        assert(/^[0-9A-F]{32}$/i.test(r.resultId), 'result id is the turn request id: ' + r.resultId);
      }
      assert(connections === 1, 'one connection for both turns, got ' + connections);
      assert(r1.resultId !== r2.resultId, 'each turn has its own request id');
      // Offsets count from the start of each recognition's audio (the SDK starts the second
      // one where the first phrase ended, spec §2.5): turn 1 lies within recording 1, turn 2
      // covers recording 2 only and lies within the audio left after phrase 1.
      const r1End = r1.offset + r1.duration, total = pcm.length / 32000 * TICKS;
      assert(r1.offset >= 0 && r1End <= wavSeconds(wav(a)) * TICKS + TICKS / 10, 'turn 1 within recording 1: ' + [r1.offset, r1.duration]);
      assert(r2.offset >= 0 && r2.duration > 0 && r2.duration <= wavSeconds(wav(b)) * TICKS + TICKS / 10,
        'turn 2 spans recording 2 only: ' + [r2.offset, r2.duration]);
      assert(r2.offset + r2.duration <= total - r1End + TICKS / 10,
        'turn 2 counted from its own start, not the connection\'s: ' + [r2.offset, r2.duration, total - r1End]);
    }, 120],
    ['stable partials: only words stable for N partials, in fewer hypotheses', async () => {
      const buf = wav(file);
      const texts = async (stable) => (await continuous(s.port, sdk.AudioConfig.fromWavFileInput(buf, 'c.wav'),
        { key: 'k1', stable })).filter((e) => e[0] === 'recognizing').map((e) => e[1].text);
      const all = await texts(0), stable = await texts(3);
      console.log('# ' + all.length + ' partials, ' + stable.length + ' with threshold 3: ' + JSON.stringify(stable));
      assert(all.length >= 3, 'enough partials to test: ' + all.length);
      assert(stable.length >= 1 && stable.length < all.length, 'fewer hypotheses: ' + stable.length + ' of ' + all.length);
      const words = (t) => t.split(' ').filter((w) => w);
      // every stable text is a word prefix of 3 partials in a row of the unfiltered run
      for (const t of stable) {
        const w = words(t);
        let run = 0, best = 0;
        for (const p of all) {
          const pw = words(p);
          run = w.every((x, i) => pw[i] === x) ? run + 1 : 0;
          best = Math.max(best, run);
        }
        assert(best >= 3, '"' + t + '" was in 3 partials in a row: ' + best);
      }
    }, 120],
    ['language identification with the served locale as the only candidate', async () => {
      const r = await once(s.port, wav(file), { key: 'k1', languages: ['en-US'] });
      assert(r.reason === sdk.ResultReason.RecognizedSpeech, 'RecognizedSpeech, got ' + r.reason);
      const lid = sdk.AutoDetectSourceLanguageResult.fromResult(r);
      assert(lid.language === 'en-US', 'language en-US, got ' + lid.language);
      assert(lid.languageDetectionConfidence === 'Unknown', 'no confidence claimed: ' + lid.languageDetectionConfidence);
      const bad = await once(s.port, wav(file), { key: 'k1', languages: ['en-US', 'de-DE'] });
      assert(bad.reason === sdk.ResultReason.Canceled, 'another candidate: Canceled, got ' + bad.reason);
      const d = sdk.CancellationDetails.fromResult(bad);
      assert(d.ErrorCode === sdk.CancellationErrorCode.BadRequestParameters && /de-DE/.test(d.errorDetails),
        'BadRequestParameters naming de-DE: ' + d.ErrorCode + ' ' + d.errorDetails);
    }, 60],
    ['phrase list and storeAudio: declined in the service log, recognition unchanged', async () => {
      const from = s.errors().length;
      const ev = await continuous(s.port, sdk.AudioConfig.fromWavFileInput(wav(file), 'c.wav'),
        { key: 'k1', phrases: ['Whittemore'], storeAudio: true });
      const text = ev.filter((e) => e[0] === 'recognized').map((e) => e[1].text).join(' ');
      assert(sharedWords(text, file) >= 2, 'the text is that of the recording: "' + text + '"');
      const log = s.errors().slice(from);
      assert(/phrase list \(dgi\) ignored/.test(log), 'the phrase list is declined in the log: ' + log);
      assert(/storeAudio=true ignored/.test(log), 'storeAudio is declined in the log: ' + log);
    }, 60],
    ['interactive, silence that never ends: NoMatch after the initial silence timeout', async () => {
      const fmt = sdk.AudioStreamFormat.getWaveFormatPCM(16000, 16, 1);
      const push = sdk.AudioInputStream.createPushStream(fmt);
      // 8 s of room-level noise, stream left open
      const n = noise(8);
      push.write(n.buffer.slice(n.byteOffset, n.byteOffset + n.length));
      const rec = new sdk.SpeechRecognizer(config(s.port, { key: 'k1' }), sdk.AudioConfig.fromStreamInput(push));
      const r = await new Promise((resolve, reject) => rec.recognizeOnceAsync(resolve, reject));
      rec.close();
      push.close();
      assert(r.reason === sdk.ResultReason.NoMatch, 'NoMatch, got ' + r.reason);
      const d = sdk.NoMatchDetails.fromResult(r);
      assert(d.reason === sdk.NoMatchReason.InitialSilenceTimeout, 'InitialSilenceTimeout, got ' + d.reason);
    }, 60],
    ['stop the service', async () => { await s.stop(); }],
  ];
};

const which = process.argv[2] || 'protocol';
tap(which === 'recognition' ? recognitionTests() : protocolTests());
