// make bench, soak part: does the live window's memory stay bounded? Runs the dev-mode app
// (go build -tags dev,webkit2_41) under Xvfb, its own WebKit window on the page, and drives a
// second copy of the page in MiniBrowser through WebKitWebDriver (plain W3C WebDriver calls
// over HTTP, no client library): that page starts an endless session to 127.0.0.1 at
// BENCH_SOAK_RATE requests per second (default 100) and shows it, while every
// BENCH_SOAK_SAMPLE_SECONDS (10) the resident memory (VmRSS) of the app and of every WebKit
// process of both (WebKitWebProcess, WebKitNetworkProcess; MiniBrowser itself is the driver,
// not the app, and is left out) is summed, next to the page's own counters (rows cached,
// chart points). Runs BENCH_SOAK_SECONDS (default 600). Goal (issue 10): the total grows by
// at most 20 MB after the first minute (its floor: see below). BENCH_SOAK_JSON=path writes
// the samples as JSON. BENCH_SOAK_BINARY and BENCH_SOAK_ASSETDIR run another build of the
// app and of the page, to compare two versions. Beside the RSS it reads the heaps' own logs
// (heaplog.mjs): the Go heap's live size and each page's live JavaScript heap after full
// collections, so that growth can be told apart: live objects, or memory a process keeps.
//
// Both pages get every frame, each from the frame feed (service.FrameFeed, long-polled by
// lib/api/frames.ts): the app's window through the Wails asset server (a custom URI scheme),
// the MiniBrowser page over HTTP from the dev server; only the MiniBrowser page shows the
// session. The window receives frames and draws little (as a minimized window would, its
// animation frames stopped).

import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './engines/common.mjs';
import { heapLog, lowestBetween } from './heaplog.mjs';
import { processKindsMB } from './procmem.mjs';
import { buildDevBinary, frontendDir, repoRoot } from './harness.mjs';

const seconds = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const rate = Number(process.env.BENCH_SOAK_RATE ?? 100);
const sampleSeconds = Number(process.env.BENCH_SOAK_SAMPLE_SECONDS ?? 10);
const goalMB = 20;
// BENCH_SOAK_BINARY runs another dev build (to compare two versions); else this tree's.
const devBinary = process.env.BENCH_SOAK_BINARY ?? join(repoRoot, 'build', 'bin', 'echoscope-dev');
const miniBrowser = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
/** A failure deadline for start-up, not a timing assertion. */
const START_DEADLINE_MS = 120_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, probe) {
  const start = Date.now();
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch {
      // not yet
    }
    if (Date.now() - start > START_DEADLINE_MS) throw new Error(`${what}: not within ${START_DEADLINE_MS} ms`);
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

/** The processes of interest under the given roots, by kind, and their total RSS in MB. */
function measure(roots) {
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
    // Where each web process's memory is (procmem.mjs), summed per page.
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

// Runs in the page: fills the form the way a person would (input events, the Options panel)
// and starts. Returns '' or what went wrong.
const startScript = `
const [intervalMs, done] = [arguments[0], arguments[arguments.length - 1]];
const setValue = (input, value) => {
  input.value = String(value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
};
const field = (label) => [...document.querySelectorAll('label')].find((l) => l.textContent.trim().startsWith(label))?.querySelector('input');
(async () => {
  const toggle = [...document.querySelectorAll('button')].find((b) => /Options/.test(b.textContent));
  if (!toggle) return done('no Options button');
  if (toggle.getAttribute('aria-expanded') !== 'true') toggle.click();
  await new Promise((r) => setTimeout(r, 200));
  for (const [label, value] of [['Count', 0], ['Interval (ms)', intervalMs], ['Timeout (ms)', 1000]]) {
    const input = field(label);
    if (!input) return done('no field ' + label);
    setValue(input, value);
  }
  const target = document.querySelector('input[aria-label="Target"]');
  if (!target) return done('no Target field');
  setValue(target, '127.0.0.1');
  await new Promise((r) => setTimeout(r, 100));
  target.form.requestSubmit();
  done('');
})();
`;

// The page's counters, and what its document holds: every node (elements, text, comments),
// the packet table's row elements, and the canvases with their pixels (uPlot's), so that a
// page that kept nodes or canvases per frame would show it in the samples.
const countersScript = `
const c = globalThis.echoscopePing ? globalThis.echoscopePing.counters() : null;
if (!c) return null;
let nodes = 0;
for (const w = document.createTreeWalker(document, NodeFilter.SHOW_ALL); w.nextNode(); ) nodes++;
const canvases = [...document.querySelectorAll('canvas')];
return { ...c, domNodes: nodes, tableRowElements: document.querySelectorAll('[data-testid=packet-table] .row').length,
  canvases: canvases.length, canvasPixels: canvases.reduce((sum, x) => sum + x.width * x.height, 0) };
`;

if (!existsSync(join(frontendDir, 'dist', 'index.html'))) {
  throw new Error('frontend/dist is not built: run `npm run build` in frontend/ first');
}
if (!process.env.BENCH_SOAK_BINARY) buildDevBinary();
const appPort = await freePort();
const url = `http://127.0.0.1:${appPort}/`;
const dataDir = mkdtempSync(join(tmpdir(), 'echoscope-soak-data-'));
// BENCH_SOAK_ASSETDIR serves another build of the page (to compare two versions of it).
const assetDir = process.env.BENCH_SOAK_ASSETDIR ?? join(frontendDir, 'dist');
// The app's Go heap and its window's JavaScript heap; MiniBrowser's page's JavaScript heap.
const appHeaps = heapLog();
const pageHeaps = heapLog();
const gcLogs = { GODEBUG: 'gctrace=1', JSC_logGC: 'basic' };
// With BENCH_SOAK_JSON, the processes' whole output (their collections, line by line) is kept
// beside it, soak-app.log and soak-minibrowser.log, stamped with the seconds since sampling
// began, so a fall in a process's RSS can be matched with what its collector did then.
/** When sampling began (ms), 0 before. */
let t0 = 0;
const logDir = process.env.BENCH_SOAK_JSON ? dirname(process.env.BENCH_SOAK_JSON) : null;
const keepLog = (name, feed) => {
  if (!logDir) return feed;
  const path = join(logDir, name);
  writeFileSync(path, '');
  return (chunk) => {
    const at = t0 ? ((Date.now() - t0) / 1000).toFixed(1) : '-';
    appendFileSync(path, chunk.toString().replace(/^(?=.)/gm, `[${at}] `));
    feed(chunk);
  };
};
const app = underXvfb(devBinary, ['-assetdir', assetDir, '-devserver', `127.0.0.1:${appPort}`, '-loglevel', 'Warning'],
  { ECHOSCOPE_DATA_DIR: dataDir, ...gcLogs }, keepLog('soak-app.log', appHeaps.feed));
const wdPort = await freePort();
// MiniBrowser takes navigator.language from the messages locale; under C it is "C", which
// Intl refuses, and the page does not start (the app sets the same for its own window,
// locale.go).
const driver = underXvfb('WebKitWebDriver', [`--port=${wdPort}`], { LC_ALL: '', LC_MESSAGES: 'en_US.UTF-8', ...gcLogs }, keepLog('soak-minibrowser.log', pageHeaps.feed));
const base = `http://127.0.0.1:${wdPort}`;
let sessionId = null;
const samples = [];
let failure = null;
try {
  await waitFor('the app', async () => (await fetch(url)).ok);
  await waitFor('WebKitWebDriver', async () => (await fetch(`${base}/status`)).ok);
  const s = await wd(base, 'POST', '/session', {
    capabilities: { alwaysMatch: { browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] } } },
  });
  sessionId = s.sessionId;
  const sp = `/session/${sessionId}`;
  await wd(base, 'POST', `${sp}/url`, { url });
  await waitFor('the page', () => wd(base, 'POST', `${sp}/execute/sync`, { script: countersScript, args: [] }));
  // The engine badge leaves "checking" once the engine is chosen: only then can Start work.
  await waitFor('the engine', () => wd(base, 'POST', `${sp}/execute/sync`, {
    script: "const b = document.querySelector('[data-testid=engine-badge]'); return !!b && !/checking/.test(b.textContent);", args: [],
  }));
  const problem = await wd(base, 'POST', `${sp}/execute/async`, { script: startScript, args: [1000 / rate] });
  if (problem) throw new Error(`starting the session: ${problem}`);
  await waitFor('the first rows', async () => (await wd(base, 'POST', `${sp}/execute/sync`, { script: countersScript, args: [] }))?.totalRows > 0);

  // The app's own window and MiniBrowser's page each have their WebKit processes.
  const roots = { [app.child.pid]: 'window', [driver.child.pid]: 'minibrowser' };
  t0 = Date.now();
  console.log(`== soak: ${rate} requests/s to 127.0.0.1 for ${seconds} s, RSS of the app + WebKit processes every ${sampleSeconds} s`);
  for (let next = 0; next <= seconds; next += sampleSeconds) {
    await sleep(Math.max(0, t0 + next * 1000 - Date.now())); // the sampling clock, not an assertion
    const m = measure(roots);
    const page = await wd(base, 'POST', `${sp}/execute/sync`, { script: countersScript, args: [] });
    const latest = (list) => list[list.length - 1]?.mb ?? null;
    const heaps = { goHeapMB: latest(appHeaps.readings().go), windowJsMB: latest(appHeaps.readings().js), pageJsMB: latest(pageHeaps.readings().js) };
    const dom = { domNodes: page?.domNodes ?? 0, tableRowElements: page?.tableRowElements ?? 0, canvases: page?.canvases ?? 0, canvasPixels: page?.canvasPixels ?? 0 };
    const sample = { t: Math.round((Date.now() - t0) / 1000), ...m, rows: page?.totalRows ?? 0, cachedRows: page?.cachedRows ?? 0, chartPoints: page?.chartPoints ?? 0, ...heaps, ...dom };
    samples.push(sample);
    const kinds = Object.entries(m.byKind).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
    const mb = (v) => (v === null ? '-' : v.toFixed(1));
    const where = Object.entries(m.mappings).map(([root, k]) => `${root} arenas ${k.arena} heap ${k.heap} anon ${k.anon} shared ${k.shared} file ${k.file}`).join('; ');
    console.log(`t=${String(sample.t).padStart(5)} s  total ${m.totalMB.toFixed(1)} MB  (${kinds})  rows ${sample.rows}, cached ${sample.cachedRows}, chart points ${sample.chartPoints}; live heaps: Go ${mb(heaps.goHeapMB)}, window JS ${mb(heaps.windowJsMB)}, page JS ${mb(heaps.pageJsMB)} MB; page DOM ${dom.domNodes} nodes, ${dom.tableRowElements} table rows, ${dom.canvases} canvases (${dom.canvasPixels} px); web processes' RSS by mapping (MB): ${where}`);
  }
} catch (err) {
  failure = err;
} finally {
  if (sessionId) await wd(base, 'DELETE', `/session/${sessionId}`).catch(() => {});
  await stopGroup(driver.child);
  await stopGroup(app.child);
  rmSync(dataDir, { recursive: true, force: true });
}
if (failure) {
  console.error(`soak: ${failure.message}\n--- app log:\n${app.log()}\n--- WebKitWebDriver log:\n${driver.log()}`);
  process.exit(1);
}

// A single sample's RSS depends on where the web processes are in their garbage collector's
// cycle: JavaScriptCore lets the heap grow and then collects, a sawtooth that reached 50 MB in
// the idle window and 180 MB in the busy page here, with no leak. So the growth compared
// with the goal is the growth of the floor: the lowest total within two minutes after the
// first minute against the lowest total within the last two minutes. The plain difference
// (last sample - sample at 60 s) is printed too.
const atMinute = samples.find((s) => s.t >= 60) ?? samples[0];
const last = samples[samples.length - 1];
const lowest = (list) => Math.min(...list.map((s) => s.totalMB));
const early = samples.filter((s) => s.t >= atMinute.t && s.t <= atMinute.t + 120);
const late = samples.filter((s) => s.t >= last.t - 120);
const floorGrowth = lowest(late) - lowest(early);
const peak = Math.max(...samples.filter((s) => s.t >= atMinute.t).map((s) => s.totalMB));
const plainGrowth = last.totalMB - atMinute.totalMB;
const longEnough = last.t >= atMinute.t + 240; // two windows of two minutes that do not overlap
const verdict = longEnough ? (floorGrowth <= goalMB ? 'MET' : 'NOT MET') : 'NOT MEASURED (run at least 5 minutes)';
console.log(`soak: total RSS ${samples[0].totalMB.toFixed(1)} MB at start, ${atMinute.totalMB.toFixed(1)} MB at ${atMinute.t} s, ${last.totalMB.toFixed(1)} MB at ${last.t} s; peak after the first minute ${peak.toFixed(1)} MB`);
console.log(`soak: last - first-minute sample ${plainGrowth.toFixed(1)} MB (depends on the GC phase); floor ${lowest(early).toFixed(1)} MB (minutes 1-3) -> ${lowest(late).toFixed(1)} MB (last 2 minutes)`);
console.log(`soak: growth of the floor after the first minute ${floorGrowth.toFixed(1)} MB (goal <= ${goalMB} MB): ${verdict}`);
// Each process's own floor over the same two windows (the parts need not add up to the
// total's floor, which is taken at other samples), its anonymous memory apart, and the
// page's DOM: which part grew.
const floorOf = (list, value) => Math.min(...list.map(value));
for (const kind of Object.keys(last.byKind)) {
  const a = floorOf(early, (s) => s.byKind[kind] ?? Infinity);
  const b = floorOf(late, (s) => s.byKind[kind] ?? Infinity);
  const root = kind.split(' ')[0];
  const anon = kind.endsWith('WebKitWebProcess') && last.mappings[root]
    ? `; anonymous mappings ${floorOf(early, (s) => s.mappings[root]?.anon ?? Infinity).toFixed(1)} -> ${floorOf(late, (s) => s.mappings[root]?.anon ?? Infinity).toFixed(1)} MB`
    : '';
  console.log(`soak: ${kind}: floor ${a.toFixed(1)} -> ${b.toFixed(1)} MB, ${(b - a).toFixed(1)} MB${anon}`);
}
const range = (f) => `${Math.min(...samples.map(f))}-${Math.max(...samples.map(f))}`;
console.log(`soak: the page's DOM: ${range((s) => s.domNodes)} nodes, ${range((s) => s.canvases)} canvases of ${range((s) => s.canvasPixels)} pixels over the run`);
// The same two windows for the heaps' live sizes (readings are timed by the wall clock).
const heapFloors = {};
for (const [name, list] of [['Go heap (app)', appHeaps.readings().go], ['JS heap (window)', appHeaps.readings().js], ['JS heap (MiniBrowser page)', pageHeaps.readings().js]]) {
  const a = lowestBetween(list, t0 + atMinute.t * 1000, t0 + (atMinute.t + 120) * 1000);
  const b = lowestBetween(list, t0 + (last.t - 120) * 1000, t0 + last.t * 1000);
  heapFloors[name] = { earlyMB: a, lateMB: b };
  const words = a === null || b === null ? 'no readings' : `${a.toFixed(1)} MB (minutes 1-3) -> ${b.toFixed(1)} MB (last 2 minutes), ${(b - a).toFixed(1)} MB`;
  console.log(`soak: live ${name}, lowest after a collection: ${words}`);
}
if (process.env.BENCH_SOAK_JSON) {
  writeFileSync(process.env.BENCH_SOAK_JSON, JSON.stringify({ rate, seconds, goalMB, floorGrowthMB: floorGrowth, plainGrowthMB: plainGrowth, peakMB: peak, verdict, heapFloors, samples }, null, 2));
}
