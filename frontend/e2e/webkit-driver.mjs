// A minimal W3C WebDriver client for WebKitGTK: WebKitWebDriver drives MiniBrowser (the
// WebKitGTK engine the app's window uses) on a given X display. Only what the jobs tests need:
// open a URL, run a script in the page (sync or async), quit.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
/** A failure deadline for the driver and browser to come up, not a timing assertion. */
const START_DEADLINE_MS = 60_000;

export function webkitAvailable() {
  return existsSync(MINIBROWSER) && existsSync('/usr/bin/WebKitWebDriver');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts WebKitWebDriver and a MiniBrowser session on display ({ DISPLAY, XAUTHORITY }). */
export async function startWebKit(display) {
  const port = await freePort();
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], { env: { ...process.env, ...display, WEBKIT_DISABLE_DMABUF_RENDERER: '1', LANG: 'en_US.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  driver.stdout.on('data', (c) => (log = (log + c).slice(-10_000)));
  driver.stderr.on('data', (c) => (log = (log + c).slice(-10_000)));
  const base = `http://127.0.0.1:${port}`;
  const request = async (method, path, body) => {
    const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await res.json();
    if (!res.ok || json.value?.error) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(json.value)}\n${log}`);
    return json.value;
  };
  const start = Date.now();
  for (;;) {
    try {
      await request('GET', '/status');
      break;
    } catch (err) {
      if (driver.exitCode !== null || Date.now() - start > START_DEADLINE_MS) throw new Error(`WebKitWebDriver did not start: ${err.message}\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  let session;
  try {
    session = await request('POST', '/session', {
      capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } } },
    });
  } catch (err) {
    driver.kill();
    throw err;
  }
  const sid = session.sessionId;
  return {
    goto: (url) => request('POST', `/session/${sid}/url`, { url }),
    /** Runs body (a function's source text taking the args) in the page and returns its value. */
    run: (fn, ...args) => request('POST', `/session/${sid}/execute/sync`, { script: `return (${fn}).apply(null, arguments)`, args }),
    /** Like run, for an async function: resolves with what its promise resolves with. */
    runAsync: (fn, ...args) =>
      request('POST', `/session/${sid}/execute/async`, {
        script: `const done = arguments[arguments.length - 1]; Promise.resolve((${fn}).apply(null, Array.from(arguments).slice(0, -1))).then((v) => done({ ok: v }), (e) => done({ err: String(e) }));`,
        args,
      }).then((r) => {
        if (r && 'err' in r) throw new Error(r.err);
        return r?.ok;
      }),
    /** Polls fn in the page until it returns a truthy value; returns it. */
    async waitFor(fn, what, args = [], deadlineMs = 120_000) {
      const t0 = Date.now();
      for (;;) {
        const v = await request('POST', `/session/${sid}/execute/sync`, { script: `return (${fn}).apply(null, arguments)`, args });
        if (v) return v;
        if (Date.now() - t0 > deadlineMs) throw new Error(`WebKitGTK: ${what} did not happen within ${deadlineMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async quit() {
      await request('DELETE', `/session/${sid}`).catch(() => {});
      driver.kill();
    },
  };
}
