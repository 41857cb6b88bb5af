// gst-stt — the page's client: microphone -> 16 kHz PCM -> Speech SDK WebSocket protocol.
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Page parameters: ?autostart=1 starts at load, seconds=N stops after N s, language=xx-XX,
// key=K (sent as the Ocp-Apim-Subscription-Key query parameter), mode=interactive|conversation.
'use strict';

const params = new URLSearchParams(location.search);
const RATE = 16000;
const CHUNK_BYTES = 3200;       // 100 ms, as the SDK sends
const $ = (id) => document.getElementById(id);
let ws = null, ctx = null, source = null, node = null, media = null, requestId = null;
let pending = [], pendingBytes = 0, ended = false;

function hexId() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
}

function setStatus(state, text) {
  $('status').dataset.state = state;
  $('status').textContent = text || state;
}

function headers(path, extra) {
  let h = 'Path: ' + path + '\r\nX-RequestId: ' + requestId + '\r\nX-Timestamp: ' +
      new Date().toISOString() + '\r\n';
  for (const [k, v] of Object.entries(extra || {})) h += k + ': ' + v + '\r\n';
  return h;
}

function sendText(path, body) {
  ws.send(headers(path, { 'Content-Type': 'application/json' }) + '\r\n' + JSON.stringify(body));
}

function sendAudio(payload, extra) {
  const h = new TextEncoder().encode(headers('audio', extra));
  const msg = new Uint8Array(2 + h.length + payload.byteLength);
  msg[0] = h.length >> 8;
  msg[1] = h.length & 0xff;
  msg.set(h, 2);
  msg.set(new Uint8Array(payload), 2 + h.length);
  ws.send(msg.buffer);
}

function riffHeader() {
  const b = new ArrayBuffer(44), v = new DataView(b);
  const tag = (o, s) => { for (let i = 0; i < 4; i++) v.setUint8(o + i, s.charCodeAt(i)); };
  tag(0, 'RIFF'); v.setUint32(4, 0, true); tag(8, 'WAVE'); tag(12, 'fmt ');
  v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true);
  v.setUint32(24, RATE, true); v.setUint32(28, RATE * 2, true); v.setUint16(32, 2, true);
  v.setUint16(34, 16, true); tag(36, 'data'); v.setUint32(40, 0, true);
  return b;
}

// Float samples at the context's rate -> 16-bit samples at 16 kHz (linear interpolation).
function toPcm16(input, fromRate) {
  const ratio = fromRate / RATE, n = Math.floor(input.length / ratio);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const x = i * ratio, i0 = Math.floor(x), f = x - i0;
    const s = input[i0] * (1 - f) + (input[Math.min(i0 + 1, input.length - 1)] || 0) * f;
    out[i] = Math.max(-32768, Math.min(32767, Math.round(s * 32767)));
  }
  return out;
}

function queuePcm(pcm) {
  pending.push(new Uint8Array(pcm.buffer));
  pendingBytes += pcm.byteLength;
  while (pendingBytes >= CHUNK_BYTES && ws && ws.readyState === WebSocket.OPEN && !ended) {
    const chunk = new Uint8Array(CHUNK_BYTES);
    let filled = 0;
    while (filled < CHUNK_BYTES) {
      const head = pending[0], take = Math.min(head.length, CHUNK_BYTES - filled);
      chunk.set(head.subarray(0, take), filled);
      filled += take;
      if (take === head.length) pending.shift(); else pending[0] = head.subarray(take);
    }
    pendingBytes -= CHUNK_BYTES;
    sendAudio(chunk.buffer);
  }
}

function showMessage(text) {
  const sep = text.indexOf('\r\n\r\n');
  const head = sep < 0 ? text : text.slice(0, sep), body = sep < 0 ? '' : text.slice(sep + 4);
  let path = '';
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && line.slice(0, i).trim().toLowerCase() === 'path')
      path = line.slice(i + 1).trim().toLowerCase();
  }
  const json = body ? JSON.parse(body) : {};
  if (path === 'speech.hypothesis') {
    $('partial').textContent = json.Text;
  } else if (path === 'speech.phrase') {
    $('partial').textContent = '';
    if (json.RecognitionStatus === 'Success') {
      const p = document.createElement('p');
      p.className = 'phrase';
      p.textContent = json.DisplayText;
      $('final').appendChild(p);
    } else {
      setStatus('status-' + json.RecognitionStatus,
          json.RecognitionStatus + (json.DisplayText ? ': ' + json.DisplayText : ''));
    }
  } else if (path === 'turn.end') {
    const s = $('status').dataset.state;
    if (!s.startsWith('status-') || s === 'status-NoMatch' ||
        s === 'status-InitialSilenceTimeout')
      setStatus('done');
    stopCapture();
    ws.close(1000);
  }
}

function stopCapture() {
  if (node) node.disconnect();
  if (source) source.disconnect();
  if (media) media.getTracks().forEach((t) => t.stop());
  if (ctx) ctx.close();
  node = source = media = ctx = null;
  $('start').disabled = false;
  $('stop').disabled = true;
}

function stop() {
  if (!ws || ended) return;
  ended = true;
  if (ws.readyState === WebSocket.OPEN) sendAudio(new ArrayBuffer(0));
  setStatus('finishing');
  if (node) node.disconnect();
}

async function start() {
  $('start').disabled = true;
  $('final').textContent = '';
  ended = false;
  pending = [];
  pendingBytes = 0;
  requestId = hexId();
  try {
    media = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (e) {
    setStatus('error', 'microphone: ' + e.message);
    $('start').disabled = false;
    return;
  }
  const mode = params.get('mode') || 'conversation';
  const q = new URLSearchParams({ language: params.get('language') || 'en-US',
    format: 'simple', 'X-ConnectionId': hexId() });
  if (params.get('key')) q.set('Ocp-Apim-Subscription-Key', params.get('key'));
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  ws = new WebSocket(scheme + '//' + location.host + '/speech/recognition/' + mode +
      '/cognitiveservices/v1?' + q);
  ws.binaryType = 'arraybuffer';
  ws.onmessage = (ev) => { if (typeof ev.data === 'string') showMessage(ev.data); };
  ws.onclose = (ev) => {
    if (ev.code !== 1000 && ev.code !== 1005) setStatus('error', 'closed ' + ev.code + ' ' + ev.reason);
    stopCapture();
  };
  ws.onopen = () => {
    sendText('speech.config', { context: { system: { name: 'gst-stt page', version: '1' } } });
    sendText('speech.context', { phraseDetection: { language: q.get('language') },
      phraseOutput: { format: 'Simple' } });
    sendAudio(riffHeader(), { 'Content-Type': 'audio/x-wav' });
    ctx = new AudioContext();
    source = ctx.createMediaStreamSource(media);
    node = ctx.createScriptProcessor(4096, 1, 1);
    node.onaudioprocess = (ev) => queuePcm(toPcm16(ev.inputBuffer.getChannelData(0), ctx.sampleRate));
    source.connect(node);
    node.connect(ctx.destination);
    setStatus('listening');
    $('stop').disabled = false;
    const secs = parseFloat(params.get('seconds'));
    if (secs > 0) setTimeout(stop, secs * 1000);
  };
}

$('start').onclick = start;
$('stop').onclick = stop;
if (params.get('autostart')) start();
