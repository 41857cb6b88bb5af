// gst-stt — the web page in headless Chromium: microphone (a WAV file as fake capture) ->
// the page's protocol client -> the service; prints the page's DOM after it finished.
// SPDX-License-Identifier: LGPL-2.1-or-later
//   node page.js FILE.wav SECONDS [expect-final]
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startService, tap, assert } = require('./sdk/serve.js');

// Chromium silently plays nothing from a capture file whose path holds "..", as the suite's
// default data path (<source>/../shared/data) does: give it the resolved path.
const [given, seconds, expect] = process.argv.slice(2);
const file = fs.realpathSync(given);
const pipeline = process.env.STT_SERVICE_PIPELINE || 'sttfeatures ! sttacoustic ! sttdecoder';

// Chromium with the DevTools protocol on a pipe-free port: open the page, poll its status
// element until the turn is over (or @waitMs passes), return { state, phrases }.
function runChromium(url, waitMs) {
  const WebSocket = require('ws');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'stt-chromium-'));
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream', '--use-file-for-fake-audio-capture=' + file + '%noloop',
    '--autoplay-policy=no-user-gesture-required', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--user-data-dir=' + profile,
    '--remote-debugging-port=0', 'about:blank'];
  const c = spawn(process.env.CHROMIUM || 'chromium', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const cleanup = () => { c.kill('SIGTERM'); setTimeout(() => fs.rmSync(profile, { recursive: true, force: true }), 500); };
  return new Promise((resolve, reject) => {
    let err = '';
    c.stderr.on('data', (d) => {
      err += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (!m || c.connected) return;
      c.connected = true;
      const ws = new WebSocket(m[1]);
      let id = 0;
      const pending = new Map();
      const call = (method, params, sessionId) => new Promise((res) => {
        pending.set(++id, res);
        ws.send(JSON.stringify({ id, method, params: params || {}, sessionId }));
      });
      ws.on('message', (raw) => {
        const msg = JSON.parse(raw);
        if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg.result || msg); pending.delete(msg.id); }
      });
      ws.on('open', async () => {
        try {
          const { targetId } = await call('Target.createTarget', { url });
          const { sessionId } = await call('Target.attachToTarget', { targetId, flatten: true });
          const deadline = Date.now() + waitMs;
          let state = 'idle', phrases = [];
          while (Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 250));
            const r = await call('Runtime.evaluate', { returnByValue: true, expression:
              'JSON.stringify({s: document.getElementById("status").dataset.state + " " + ' +
              'document.getElementById("status").textContent, p: [...document.querySelectorAll(".phrase")].map(e => e.textContent)})' }, sessionId);
            if (!r.result || !r.result.value) continue;
            const v = JSON.parse(r.result.value);
            state = v.s;
            phrases = v.p;
            if (/^(done|error|status-)/.test(state)) break;
          }
          ws.close();
          cleanup();
          resolve({ state, phrases });
        } catch (e) { cleanup(); reject(e); }
      });
      ws.on('error', (e) => { cleanup(); reject(e); });
    });
    c.on('exit', (code) => { if (!c.connected) reject(new Error('chromium exited ' + code + ': ' + err.slice(-1500))); });
  });
}

tap([['page records and shows the final text', async () => {
  const s = await startService(['--pipeline', pipeline]);
  try {
    const { state, phrases } = await runChromium('http://127.0.0.1:' + s.port +
      '/?autostart=1&seconds=' + seconds, (parseFloat(seconds) + 10) * 1000);
    console.log('# page status: ' + state);
    console.log('# final text: ' + phrases.join(' | '));
    if (expect === 'expect-final') {
      assert(/^done/.test(state), 'the turn ended: ' + state);
      // the text is that of the recording: at least two words of its reference
      const utt = path.basename(file, '.wav');
      const ref = new Set(fs.readFileSync(path.join(path.dirname(file), 'refs.norm.txt'), 'utf8')
        .split('\n').find((l) => l.startsWith(utt + ' ')).split(' ').slice(1));
      const shown = phrases.join(' ').toLowerCase().replace(/[^a-z' ]/g, ' ').split(/\s+/);
      assert(shown.filter((w) => ref.has(w)).length >= 2, 'final text shown: ' + phrases.join(' '));
    } else {
      assert(!/^(idle|listening|error)/.test(state),
        'the page completed a turn with the service: ' + state);
    }
  } finally { await s.stop(); }
}, 90]]);
