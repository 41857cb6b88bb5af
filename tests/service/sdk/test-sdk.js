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
  return cfg;
}

function once(port, buf, opts) {
  const rec = new sdk.SpeechRecognizer(config(port, opts || {}),
    sdk.AudioConfig.fromWavFileInput(buf, 'test.wav'));
  return new Promise((resolve, reject) => {
    rec.recognizeOnceAsync((r) => { rec.close(); resolve(r); }, (e) => { rec.close(); reject(e); });
  });
}

function continuous(port, audioConfig, opts) {
  const rec = new sdk.SpeechRecognizer(config(port, opts || {}), audioConfig);
  const events = [];
  return new Promise((resolve, reject) => {
    const finish = () => rec.stopContinuousRecognitionAsync(() => { rec.close(); resolve(events); },
      (e) => { rec.close(); reject(e); });
    rec.recognizing = (_, e) => events.push(['recognizing', e.result]);
    rec.recognized = (_, e) => events.push(['recognized', e.result]);
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
    ['interactive, silence that never ends: NoMatch after the initial silence timeout', async () => {
      const fmt = sdk.AudioStreamFormat.getWaveFormatPCM(16000, 16, 1);
      const push = sdk.AudioInputStream.createPushStream(fmt);
      // 8 s of room-level noise (digital zeros are not what a microphone gives), stream left open
      const noise = new Int16Array(16000 * 8);
      let x = 12345;
      for (let i = 0; i < noise.length; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; noise[i] = (x % 61) - 30; }
      push.write(noise.buffer);
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
