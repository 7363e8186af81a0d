// make bench, Lab part: one edit of a 1500-byte echo request in the static web lab, from the
// input event to the end of the frame that shows it (e2e/web-lab-checks.mjs timeEditsInPage),
// in headless Chromium and in WebKitGTK's MiniBrowser (WebKitWebDriver under Xvfb), and the
// CPU time of the page's main thread per edit beyond the browser's own typing (timedRound:
// what a busy machine does not inflate). Also the same for a 64-byte packet as the baseline of
// the run, so a busy machine shows as a ratio. Each figure is the mean of two rounds' medians.
// Beside it, the same edit timed from the start of the typing command (a keystroke's work before
// its input event, where an engine's editing may lay the box out), the page's work to a laid-out
// DOM, and the next display tick (timeEditsInPage's workMedian, tickMedian and waited).
// Exits non-zero only when something is functionally wrong (the checks of timeEditsInPage);
// the goal (median < 16 ms) is printed with the figures.
// Knobs: BENCH_LAB_EDITS (101 per packet and engine), BENCH_LAB_PROFILE=path writes a Chromium
// CPU profile (.cpuprofile, open in Chromium's DevTools) of the 1500-byte edits,
// BENCH_LAB_JSON=path also writes the figures as JSON, BENCH_LAB_DIST=dir measures that built
// web lab instead of building this tree's, BENCH_LAB_BASELINE=dir also measures another build
// (say an older commit's dist/web) in the same browsers, alternating with this one (baseline,
// this, this, baseline), so both see the same load: the paired before/after of a change;
// BENCH_LAB_ENGINES (chromium,webkitgtk) picks the engines.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath, frontendDir, repoRoot } from './harness.mjs';
import { serveStatic } from './static-server.mjs';
import { EDIT_BUDGET_MS, makePacketInPage, timedRound, timeEditsInPage } from './web-lab-checks.mjs';
import { chromiumPid } from './process-cpu.mjs';
import { waitInPage } from './engines/common.mjs';
import { openWebKit, webkitMissing } from './engines/webkit.mjs';

const edits = Number(process.env.BENCH_LAB_EDITS ?? 101);
const profilePath = process.env.BENCH_LAB_PROFILE;
const engines = (process.env.BENCH_LAB_ENGINES ?? 'chromium,webkitgtk').split(',');

/** Rounds 64, 1500, 1500, 64 bytes (a neighbour's burst hurts both sizes alike), each half the edits. */
async function measure(engine, evaluate, pid) {
  const out = {};
  for (const size of [64, 1500, 1500, 64]) {
    const length = await evaluate(makePacketInPage, size);
    if (!length.startsWith(`${size} bytes`)) throw new Error(`${engine}: the Lab shows ${length}, wanted ${size} bytes`);
    const r = await timedRound(evaluate, pid, Math.ceil(edits / 2));
    const key = `${size}`;
    out[key] ??= noFigures();
    out[key].frame.push(r.median);
    out[key].dom.push(r.domMedian);
    out[key].work.push(r.workMedian);
    out[key].tick.push(r.tickMedian);
    out[key].waited.push(r.waited / r.samples);
    out[key].typed.push(r.typedMedian);
    out[key].codec.push(r.codecMedian);
    out[key].cpu.push(r.cpuPerEdit);
    out[key].typing.push(r.typingCpu);
    out[key].elements = r.elements;
  }
  return out;
}

const avg = (v) => v.reduce((a, b) => a + b, 0) / v.length;

function report(engine, m) {
  const big = m['1500'];
  const small = m['64'];
  const line = (label, v) => `${label} ${avg(v.frame).toFixed(2)} ms to the frame (${avg(v.typed).toFixed(2)} from the typing command; DOM ${avg(v.dom).toFixed(2)}, work to layout ${avg(v.work).toFixed(2)}, next display tick ${avg(v.tick).toFixed(2)}, ${(avg(v.waited) * 100).toFixed(0)} % of frames shown after it; codec ${avg(v.codec).toFixed(2)}; main thread CPU ${avg(v.cpu).toFixed(1)} ms per edit beyond the browser's typing, ${avg(v.typing).toFixed(1)} ms), ${v.elements} elements`;
  console.log(`${engine.padEnd(10)} 1500 B: ${line('median', big)}`);
  console.log(`${''.padEnd(10)}   64 B: ${line('median', small)}`);
  const ok = avg(big.frame) < EDIT_BUDGET_MS;
  console.log(`${''.padEnd(10)} ratio 1500/64: ${(avg(big.frame) / avg(small.frame)).toFixed(2)}; goal median < ${EDIT_BUDGET_MS} ms: ${ok ? 'met' : 'NOT met'}; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} CPUs`);
}

let webDir = process.env.BENCH_LAB_DIST;
if (!webDir) {
  webDir = join(repoRoot, 'dist', 'web');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '-c', 'vite.web.config.ts'], { cwd: frontendDir, stdio: 'inherit' });
}
const builds = [{ label: 'this build', dir: webDir }];
if (process.env.BENCH_LAB_BASELINE) builds.push({ label: 'baseline', dir: process.env.BENCH_LAB_BASELINE });
for (const build of builds) build.server = await serveStatic(build.dir);
/** The order builds are measured in: one alone, or baseline, this, this, baseline. */
const order = builds.length === 1 ? [builds[0]] : [builds[1], builds[0], builds[0], builds[1]];

/** A packet size's figures before its first round: one list per figure. */
function noFigures() {
  return { frame: [], dom: [], work: [], tick: [], waited: [], codec: [], cpu: [], typing: [], typed: [] };
}

/** Each build's rounds in one engine (open(url) loads the Lab; the figures of a build's turns merged). */
async function measureBuilds(engine, open, evaluate, pid) {
  const out = new Map();
  for (const build of order) {
    await open(build.server.url);
    const m = await measure(engine, evaluate, pid);
    const into = out.get(build) ?? {};
    for (const [size, v] of Object.entries(m)) {
      into[size] ??= noFigures();
      for (const [k, list] of Object.entries(v)) {
        if (Array.isArray(list)) into[size][k].push(...list);
        else into[size][k] = list;
      }
    }
    out.set(build, into);
  }
  for (const build of builds) {
    if (builds.length > 1) console.log(`${engine}, ${build.label} (${build.dir}):`);
    report(engine, out.get(build));
  }
  if (builds.length > 1) {
    const [now, base] = builds.map((b) => out.get(b)['1500']);
    console.log(`${''.padEnd(10)} this build / baseline, 1500 B: frame ${(avg(now.frame) / avg(base.frame)).toFixed(2)}, the Lab's CPU ${(avg(now.cpu) / avg(base.cpu)).toFixed(2)}`);
  }
  return Object.fromEntries(builds.map((b) => [b.label, out.get(b)]));
}

const results = {};
console.log(`== Lab: one edit of a 1500-byte echo request, input event -> end of the frame showing it (${edits} edits per packet size, medians)`);
const profile = mkdtempSync(join(tmpdir(), 'echoscope-bench-lab-'));
try {
  if (engines.includes('chromium')) {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      headless: true,
      viewport: { width: 1360, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const open = async (url) => {
        await page.goto(url);
        await page.getByTestId('lab-verdict').waitFor({ timeout: 30_000 });
      };
      if (profilePath) {
        await open(builds[0].server.url);
        const cdp = await context.newCDPSession(page);
        await page.evaluate(makePacketInPage, 1500);
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        await cdp.send('Profiler.start');
        await page.evaluate(timeEditsInPage, edits);
        const { profile: cpu } = await cdp.send('Profiler.stop');
        writeFileSync(profilePath, JSON.stringify(cpu));
        console.log(`chromium CPU profile of ${edits} edits: ${profilePath}`);
      }
      results.chromium = await measureBuilds('chromium', open, (fn, arg) => page.evaluate(fn, arg), chromiumPid(profile));
      if (errors.length) throw new Error(`errors in the page: ${errors.join('; ')}`);
    } finally {
      await context.close();
    }
  }
  const missing = engines.includes('webkitgtk') ? webkitMissing() : 'not asked for (BENCH_LAB_ENGINES)';
  if (missing) {
    console.log(`webkitgtk  skipped: ${missing}`);
  } else {
    const webkit = await openWebKit();
    try {
      const open = async (url) => {
        await webkit.goto(url);
        await waitInPage(webkit, () => document.querySelector('[data-testid="lab-verdict"]') !== null, undefined, 'the Lab');
      };
      results.webkitgtk = await measureBuilds('webkitgtk', open, webkit.evaluate, webkit.pid);
    } finally {
      await webkit.close();
    }
  }
} finally {
  for (const build of builds) await build.server.close();
  rmSync(profile, { recursive: true, force: true });
}
if (process.env.BENCH_LAB_JSON) writeFileSync(process.env.BENCH_LAB_JSON, JSON.stringify(results, null, 2));
