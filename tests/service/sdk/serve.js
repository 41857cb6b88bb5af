// gst-stt — start stt-serve on a free loopback port for a test, and stop it.
// SPDX-License-Identifier: LGPL-2.1-or-later
'use strict';
const { spawn } = require('child_process');
const path = require('path');

// Resolves { port, stop() } once the service prints its port.
function startService(args) {
  const bin = path.join(process.env.STT_BUILD_ROOT, 'tools', 'service', 'stt-serve');
  const child = spawn(bin, ['--host', '127.0.0.1', '--port', '0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  // the service's log goes on to ours, and is kept for tests that check it
  let errors = '';
  child.stderr.on('data', (d) => { errors += d; process.stderr.write(d); });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error('stt-serve exited with ' + code + ': ' + out)));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on port (\d+)/.exec(out);
      if (m) {
        child.removeAllListeners('exit');
        resolve({
          port: parseInt(m[1], 10),
          pid: child.pid,
          output: () => out,
          errors: () => errors,
          stop: () => new Promise((res) => { child.on('exit', res); child.kill('SIGTERM'); }),
        });
      }
    });
  });
}

// A tiny TAP producer: tests run one after another, each with a watchdog (the SDK has no
// receive timeout, spec §2.6).
function tap(tests) {
  (async () => {
    console.log('1..' + tests.length);
    let failed = 0;
    for (let i = 0; i < tests.length; i++) {
      const [name, fn, seconds] = tests[i];
      let timer;
      try {
        await Promise.race([fn(), new Promise((_, rej) => {
          timer = setTimeout(() => rej(new Error('timed out after ' + (seconds || 60) + ' s')),
            (seconds || 60) * 1000);
        })]);
        console.log('ok ' + (i + 1) + ' - ' + name);
      } catch (e) {
        failed++;
        console.log('not ok ' + (i + 1) + ' - ' + name);
        console.log('# ' + String(e && e.stack || e).split('\n').join('\n# '));
      } finally {
        clearTimeout(timer);
      }
    }
    process.exit(failed ? 1 : 0);
  })();
}

function assert(cond, msg) {
  if (!cond) throw new Error('assertion failed: ' + msg);
}

module.exports = { startService, tap, assert };
