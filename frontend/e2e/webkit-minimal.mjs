// A minimal WebKitGTK driver for the web lab e2e: WebKitWebDriver (under its own Xvfb via
// xvfb-run) driving MiniBrowser through the plain W3C WebDriver HTTP protocol, no npm package.
// Written for the Packet Lab while the window branch's WebKitGTK harness (issue 12) was not
// committed yet; when it is, the web lab e2e should move onto it and this file go.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Whether WebKitWebDriver and MiniBrowser are installed (scripts/setup.sh installs them). */
export function webkitAvailable() {
  return existsSync('/usr/bin/WebKitWebDriver') && existsSync(MINIBROWSER);
}

/** Starts WebKitWebDriver and a MiniBrowser session; returns a small page API and stop(). */
export async function startWebKit() {
  const port = await freePort();
  let log = '';
  const child = spawn('xvfb-run', ['-a', '-s', '-screen 0 1400x900x24 -nolisten tcp', 'WebKitWebDriver', `--port=${port}`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // MiniBrowser under LANG=C reports navigator.language "C"; give it a real language.
    env: { ...process.env, LANG: 'en_US.UTF-8', WEBKIT_DISABLE_DMABUF_RENDERER: '1' },
  });
  child.stdout.on('data', (c) => (log = (log + c).slice(-8000)));
  child.stderr.on('data', (c) => (log = (log + c).slice(-8000)));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // gone
      }
      await new Promise((r) => child.once('exit', r));
    }
  };
  async function wd(method, path, body) {
    const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    const json = await res.json();
    if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.error}: ${json.value?.message}`);
    return json.value;
  }
  try {
    for (let i = 0; ; i++) {
      try {
        await wd('GET', '/status');
        break;
      } catch (err) {
        if (child.exitCode !== null || i > 300) throw new Error(`WebKitWebDriver did not start: ${err.message}\n${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const session = await wd('POST', '/session', {
      capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } } },
    });
    const sid = session.sessionId;
    const s = (path) => `/session/${sid}${path}`;
    const find = async (testid) => {
      for (let i = 0; ; i++) {
        try {
          return (await wd('POST', s('/element'), { using: 'css selector', value: `[data-testid="${testid}"]` }))[ELEMENT];
        } catch (err) {
          if (i > 300) throw err; // ~30 s: a failure deadline, not a timing assertion
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const page = {
      goto: (url) => wd('POST', s('/url'), { url }),
      text: async (testid) => wd('GET', s(`/element/${await find(testid)}/text`)),
      value: async (testid) => wd('GET', s(`/element/${await find(testid)}/property/value`)),
      click: async (testid) => wd('POST', s(`/element/${await find(testid)}/click`), {}),
      waitFor: find,
      /** Runs an async page function (its source) and returns its result. */
      run: (fn) => wd('POST', s('/execute/async'), { script: `(${fn.toString()})().then(arguments[0], (e) => arguments[0]({ error: String(e) }));`, args: [] }),
      /** Sets a form control's value as typing would (input and change events). */
      set: (testid, value) =>
        wd('POST', s('/execute/sync'), {
          script: `const el = document.querySelector('[data-testid="${testid}"]'); el.value = arguments[0]; el.dispatchEvent(new Event('input', { bubbles: true })); el.dispatchEvent(new Event('change', { bubbles: true }));`,
          args: [value],
        }),
    };
    return { page, stop: async () => { await wd('DELETE', s('')).catch(() => {}); await stop(); } };
  } catch (err) {
    await stop();
    throw err;
  }
}
