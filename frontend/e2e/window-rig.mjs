// The rig of the window benches (soak-memory.mjs, bench-monitor.mjs): the dev-mode app (go
// build -tags dev,webkit2_41) under its own Xvfb, with its own WebKit window on the page, and
// a second copy of the page in WebKitGTK's MiniBrowser driven through WebKitWebDriver (plain
// W3C WebDriver calls over HTTP, no client library), which the bench drives. Also the
// measures both benches take of it: the resident memory of the app, its helper and every
// WebKit process of both pages, and the growth of its floor after the first minute.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './engines/common.mjs';
import { buildDevBinary, frontendDir, repoRoot } from './harness.mjs';
import { lowestBetween } from './heaplog.mjs';
import { processKindsMB } from './procmem.mjs';

const miniBrowser = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
/** A failure deadline for start-up, not a timing assertion. */
const START_DEADLINE_MS = 120_000;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls probe every 250 ms until it returns something truthy (returned); throws after the deadline. */
export async function waitFor(what, probe, deadlineMs = START_DEADLINE_MS) {
  const start = Date.now();
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch {
      // not yet
    }
    if (Date.now() - start > deadlineMs) throw new Error(`${what}: not within ${deadlineMs} ms`);
    await sleep(250);
  }
}

/** Starts cmd under its own xvfb-run, in a process group of its own (stopped as a whole);
 *  onOutput, when given, also gets every chunk of its stdout and stderr. */
function underXvfb(cmd, args, env = {}, onOutput = () => {}) {
  const child = spawn('xvfb-run', ['-a', '-s', '-screen 0 1400x900x24 -nolisten tcp', cmd, ...args], {
    cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WEBKIT_DISABLE_DMABUF_RENDERER: '1', ...env },
  });
  let log = '';
  const keep = (chunk) => {
    log = (log + chunk.toString()).slice(-20_000);
    onOutput(chunk);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { child, log: () => log };
}

async function stopGroup(child) {
  if (child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  await new Promise((r) => child.once('exit', r));
}

/** pid -> { ppid, comm, rssKB } for every process now. */
function processes() {
  const out = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const field = (name) => status.match(new RegExp(`^${name}:\\s*(.*)$`, 'm'))?.[1] ?? '';
      out.set(Number(entry), { ppid: Number(field('PPid')), comm: field('Name'), rssKB: Number.parseInt(field('VmRSS') || '0', 10) });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/**
 * The processes of interest under the given roots (pid -> name), by kind, and their total RSS
 * in MB (with, per root, its web processes' memory by mapping kind: procmem.mjs): the app, its helper, and the WebKit processes (WebKitWebProcess, WebKitNetworkProcess)
 * of each root. MiniBrowser itself is the driver, not the app, and is left out.
 */
export function measureRss(roots) {
  const procs = processes();
  // Which root (its name) a process descends from, or null.
  const under = (pid) => {
    for (let p = pid; p > 1; p = procs.get(p)?.ppid ?? 0) if (roots[p]) return roots[p];
    return null;
  };
  const byKind = {};
  const mappings = {};
  let total = 0;
  for (const [pid, p] of procs) {
    const root = under(pid);
    if (!root) continue;
    let kind = null;
    if (p.comm.startsWith('WebKitWebProces')) kind = 'WebKitWebProcess';
    else if (p.comm.startsWith('WebKitNetworkPr')) kind = 'WebKitNetworkProcess';
    else if (p.comm.startsWith('echoscope-dev')) kind = 'app';
    else if (p.comm.startsWith('echoscope-ping')) kind = 'helper';
    if (!kind) continue;
    if (kind.startsWith('WebKit')) kind = `${root} ${kind}`;
    const mb = p.rssKB / 1024;
    byKind[kind] = (byKind[kind] ?? 0) + mb;
    total += mb;
    // Where each web process's memory is (procmem.mjs), summed per root.
    if (kind.endsWith('WebKitWebProcess')) {
      const k = processKindsMB(pid);
      if (k) {
        const into = (mappings[root] ??= {});
        for (const [name, v] of Object.entries(k)) into[name] = Math.round(((into[name] ?? 0) + v) * 10) / 10;
      }
    }
  }
  return { totalMB: total, byKind, mappings };
}

/** One W3C WebDriver command. */
async function wd(base, method, path, body) {
  const res = await fetch(base + path, {
    method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok || json.value?.error) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(json.value)}`);
  return json.value;
}

/**
 * Starts the rig and opens the page in MiniBrowser; resolves once the page runs and its engine
 * is chosen (the badge leaves "checking": only then can a session start). Options: binary
 * (another dev build, to compare versions; else this tree's, built now), assetDir (another
 * build of the page), appEnv / driverEnv (added to the app's and WebKitWebDriver's
 * environment), onAppOutput / onDriverOutput (every chunk of their logs, for heaplog.mjs).
 * Returns { url, exec(script, ...args), execAsync(script, ...args), roots (pid -> name of the
 * app's and MiniBrowser's process trees, for measureRss), driverPid, logs(), close() }.
 */
export async function startWindowRig(options = {}) {
  if (!existsSync(join(frontendDir, 'dist', 'index.html'))) {
    throw new Error('frontend/dist is not built: run `npm run build` in frontend/ first');
  }
  if (!options.binary) buildDevBinary();
  const devBinary = options.binary ?? join(repoRoot, 'build', 'bin', 'echoscope-dev');
  const assetDir = options.assetDir ?? join(frontendDir, 'dist');
  const appPort = await freePort();
  const url = `http://127.0.0.1:${appPort}/`;
  const dataDir = mkdtempSync(join(tmpdir(), 'echoscope-window-data-'));
  const app = underXvfb(devBinary, ['-assetdir', assetDir, '-devserver', `127.0.0.1:${appPort}`, '-loglevel', 'Warning'],
    { ECHOSCOPE_DATA_DIR: dataDir, ...options.appEnv }, options.onAppOutput);
  const wdPort = await freePort();
  // MiniBrowser takes navigator.language from the messages locale; under C it is "C", which
  // Intl refuses, and the page does not start (the app sets the same for its own window,
  // locale.go).
  const driver = underXvfb('WebKitWebDriver', [`--port=${wdPort}`], { LC_ALL: '', LC_MESSAGES: 'en_US.UTF-8', ...options.driverEnv },
    options.onDriverOutput);
  const base = `http://127.0.0.1:${wdPort}`;
  let sessionId = null;
  const close = async () => {
    if (sessionId) await wd(base, 'DELETE', `/session/${sessionId}`).catch(() => {});
    await stopGroup(driver.child);
    await stopGroup(app.child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const sp = () => `/session/${sessionId}`;
  const exec = (script, ...args) => wd(base, 'POST', `${sp()}/execute/sync`, { script, args });
  const execAsync = (script, ...args) => wd(base, 'POST', `${sp()}/execute/async`, { script, args });
  try {
    await waitFor('the app', async () => (await fetch(url)).ok);
    await waitFor('WebKitWebDriver', async () => (await fetch(`${base}/status`)).ok);
    const s = await wd(base, 'POST', '/session', {
      capabilities: { alwaysMatch: { browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] } } },
    });
    sessionId = s.sessionId;
    await wd(base, 'POST', `${sp()}/url`, { url });
    await waitFor('the engine', () => exec("const b = document.querySelector('[data-testid=engine-badge]'); return !!b && !/checking/.test(b.textContent);"));
  } catch (err) {
    const logs = `--- app log:\n${app.log()}\n--- WebKitWebDriver log:\n${driver.log()}`;
    await close();
    throw new Error(`${err.message}\n${logs}`);
  }
  return {
    url,
    exec,
    execAsync,
    // The app's own window and MiniBrowser's page each have their WebKit processes.
    roots: { [app.child.pid]: 'window', [driver.child.pid]: 'minibrowser' },
    driverPid: driver.child.pid,
    logs: () => `--- app log:\n${app.log()}\n--- WebKitWebDriver log:\n${driver.log()}`,
    close,
  };
}

/**
 * A single sample's RSS depends on where the web processes are in their garbage collector's
 * cycle: JavaScriptCore lets the heap grow and then collects, a sawtooth that reached 50 MB in
 * the idle window and 180 MB in the busy page of the soak, with no leak. So the growth compared
 * with a goal is the growth of the floor: the lowest total within two minutes after the first
 * minute against the lowest total within the last two minutes. samples: [{ t (s), totalMB }].
 * Returns the figures and the verdict (NOT MEASURED below 5 minutes: the two windows would
 * overlap).
 */
export function floorGrowth(samples, goalMB) {
  const { atMinute, last, early: earlyWindow, late: lateWindow } = floorWindows(samples);
  const within = (w) => samples.filter((s) => s.t >= w.from && s.t <= w.to);
  const early = within(earlyWindow);
  const late = within(lateWindow);
  const lowest = (list) => Math.min(...list.map((s) => s.totalMB));
  const growthMB = lowest(late) - lowest(early);
  const longEnough = last.t >= atMinute.t + 240; // two windows of two minutes that do not overlap
  return {
    atMinute,
    last,
    early,
    late,
    earlyFloorMB: lowest(early),
    lateFloorMB: lowest(late),
    growthMB,
    plainGrowthMB: last.totalMB - atMinute.totalMB,
    peakMB: Math.max(...samples.filter((s) => s.t >= atMinute.t).map((s) => s.totalMB)),
    verdict: longEnough ? (growthMB <= goalMB ? 'MET' : 'NOT MET') : 'NOT MEASURED (run at least 5 minutes)',
  };
}

/**
 * The goal's two windows, in seconds since sampling began: the two minutes after the first
 * minute's sample, and the last two minutes. One place for every floor the benches take (the
 * total RSS, each process's, the heaps').
 */
export function floorWindows(samples) {
  const atMinute = samples.find((s) => s.t >= 60) ?? samples[0];
  const last = samples[samples.length - 1];
  return { atMinute, last, early: { from: atMinute.t, to: atMinute.t + 120 }, late: { from: last.t - 120, to: last.t } };
}

/**
 * A heap log's lowest reading in each of the two windows (heaplog.mjs readings are stamped
 * with the wall clock in ms; t0 is when sampling began); null where a window has none.
 */
export function heapFloors(readings, t0, samples) {
  const { early, late } = floorWindows(samples);
  const lowest = (w) => lowestBetween(readings, t0 + w.from * 1000, t0 + w.to * 1000);
  return { earlyMB: lowest(early), lateMB: lowest(late) };
}
