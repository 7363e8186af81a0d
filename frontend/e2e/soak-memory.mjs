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

import { appendFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { allocationRate } from './gcrate.mjs';
import { heapLog, lineSplitter } from './heaplog.mjs';
import { floorGrowth, heapFloors as floorsOfHeap, measureRss, sleep, startWindowRig, waitFor } from './window-rig.mjs';

const seconds = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const rate = Number(process.env.BENCH_SOAK_RATE ?? 100);
const sampleSeconds = Number(process.env.BENCH_SOAK_SAMPLE_SECONDS ?? 10);
const goalMB = 20;

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
  // One stamp a line (a process writes a line in several chunks): gcrate.mjs reads it again.
  const keep = lineSplitter((line) => appendFileSync(path, `[${t0 ? ((Date.now() - t0) / 1000).toFixed(1) : '-'}] ${line}\n`));
  return (chunk) => {
    keep(chunk);
    feed(chunk);
  };
};
// BENCH_SOAK_BINARY runs another dev build and BENCH_SOAK_ASSETDIR another build of the page
// (to compare two versions); else this tree's.
const rig = await startWindowRig({
  binary: process.env.BENCH_SOAK_BINARY, assetDir: process.env.BENCH_SOAK_ASSETDIR,
  appEnv: gcLogs, driverEnv: gcLogs, onAppOutput: keepLog('soak-app.log', appHeaps.feed), onDriverOutput: keepLog('soak-minibrowser.log', pageHeaps.feed),
});
const samples = [];
let failure = null;
try {
  const problem = await rig.execAsync(startScript, 1000 / rate);
  if (problem) throw new Error(`starting the session: ${problem}`);
  await waitFor('the first rows', async () => (await rig.exec(countersScript))?.totalRows > 0);

  t0 = Date.now();
  console.log(`== soak: ${rate} requests/s to 127.0.0.1 for ${seconds} s, RSS of the app + WebKit processes every ${sampleSeconds} s`);
  for (let next = 0; next <= seconds; next += sampleSeconds) {
    await sleep(Math.max(0, t0 + next * 1000 - Date.now())); // the sampling clock, not an assertion
    const m = measureRss(rig.roots);
    const page = await rig.exec(countersScript);
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
  await rig.close();
}
if (failure) {
  console.error(`soak: ${failure.message}\n${rig.logs()}`);
  process.exit(1);
}

// The growth compared with the goal is that of the floor (see floorGrowth in window-rig.mjs);
// the plain difference (last sample - sample at 60 s) is printed too.
const { atMinute, last, early, late, earlyFloorMB, lateFloorMB, growthMB: floorGrowthMB, plainGrowthMB: plainGrowth, peakMB: peak, verdict } = floorGrowth(samples, goalMB);
console.log(`soak: total RSS ${samples[0].totalMB.toFixed(1)} MB at start, ${atMinute.totalMB.toFixed(1)} MB at ${atMinute.t} s, ${last.totalMB.toFixed(1)} MB at ${last.t} s; peak after the first minute ${peak.toFixed(1)} MB`);
console.log(`soak: last - first-minute sample ${plainGrowth.toFixed(1)} MB (depends on the GC phase); floor ${earlyFloorMB.toFixed(1)} MB (minutes 1-3) -> ${lateFloorMB.toFixed(1)} MB (last 2 minutes)`);
console.log(`soak: growth of the floor after the first minute ${floorGrowthMB.toFixed(1)} MB (goal <= ${goalMB} MB): ${verdict}`);
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
  const { earlyMB: a, lateMB: b } = (heapFloors[name] = floorsOfHeap(list, t0, samples));
  const words = a === null || b === null ? 'no readings' : `${a.toFixed(1)} MB (minutes 1-3) -> ${b.toFixed(1)} MB (last 2 minutes), ${(b - a).toFixed(1)} MB`;
  console.log(`soak: live ${name}, lowest after a collection: ${words}`);
}
// The JavaScript garbage each page makes after the first minute (gcrate.mjs: what its heap
// grew by between collections): what the chart's redraws used to fill.
const garbage = {};
for (const [name, heaps] of [['MiniBrowser page', pageHeaps], ['window', appHeaps]]) {
  const inSeconds = heaps.readings().collections.map((c) => ({ ...c, at: (c.at - t0) / 1000 }));
  const r = allocationRate(inSeconds, atMinute.t, last.t);
  garbage[name] = r;
  const words = r ? `${r.mbPerSecond?.toFixed(2)} MB/s (${r.allocatedMB.toFixed(0)} MB in ${r.seconds.toFixed(0)} s, ${r.eden} eden and ${r.full} full collections)` : 'fewer than two collections';
  console.log(`soak: JS allocated by the ${name} after the first minute: ${words}`);
}
if (process.env.BENCH_SOAK_JSON) {
  writeFileSync(process.env.BENCH_SOAK_JSON, JSON.stringify({ rate, seconds, goalMB, floorGrowthMB, plainGrowthMB: plainGrowth, peakMB: peak, verdict, heapFloors, garbage, samples }, null, 2));
}
