// make bench, Lab part: one edit of a 1500-byte echo request in the static web lab, from the
// input event to the end of the frame that shows it (e2e/web-lab-checks.mjs timeEditsInPage),
// in headless Chromium and in WebKitGTK's MiniBrowser (WebKitWebDriver under Xvfb), and the
// CPU time of the page's main thread per edit beyond the browser's own typing (timedRound:
// what a busy machine does not inflate). Also the same for a 64-byte packet as the baseline of
// the run, so a busy machine shows as a ratio. Each figure is the mean of two rounds' medians.
// Beside it, the same edit timed from the start of the typing command (a keystroke's work before
// its input event, where an engine's editing may lay the box out).
// Exits non-zero only when something is functionally wrong (the checks of timeEditsInPage);
// the goal (median < 16 ms) is printed with the figures.
// Knobs: BENCH_LAB_EDITS (101 per packet and engine), BENCH_LAB_PROFILE=path writes a Chromium
// CPU profile (.cpuprofile, open in Chromium's DevTools) of the 1500-byte edits,
// BENCH_LAB_JSON=path also writes the figures as JSON.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath, frontendDir, repoRoot } from './harness.mjs';
import { serveStatic } from './static-server.mjs';
import { EDIT_BUDGET_MS, timedRound, timeEditsInPage } from './web-lab-checks.mjs';
import { chromiumPid } from './process-cpu.mjs';
import { waitInPage } from './engines/common.mjs';
import { openWebKit, webkitMissing } from './engines/webkit.mjs';

const edits = Number(process.env.BENCH_LAB_EDITS ?? 101);
const profilePath = process.env.BENCH_LAB_PROFILE;

/** Runs in the page: a pattern payload of `size` bytes, set as typing would. */
const makePacket = async (size) => {
  const set = (id, v) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  };
  set('lab-payload-kind', 'pattern');
  await new Promise((r) => setTimeout(r, 50));
  set('lab-payload', 'a5');
  set('lab-size', String(size - 8));
  await new Promise((r) => setTimeout(r, 50));
  return document.querySelector('[data-testid="lab-length"]').textContent;
};

/** Rounds 64, 1500, 1500, 64 bytes (a neighbour's burst hurts both sizes alike), each half the edits. */
async function measure(engine, evaluate, pid) {
  const out = {};
  for (const size of [64, 1500, 1500, 64]) {
    const length = await evaluate(makePacket, size);
    if (!length.startsWith(`${size} bytes`)) throw new Error(`${engine}: the Lab shows ${length}, wanted ${size} bytes`);
    const r = await timedRound(evaluate, pid, Math.ceil(edits / 2));
    const key = `${size}`;
    out[key] ??= { frame: [], dom: [], codec: [], cpu: [], typing: [], typed: [] };
    out[key].frame.push(r.median);
    out[key].dom.push(r.domMedian);
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
  const line = (label, v) => `${label} ${avg(v.frame).toFixed(2)} ms to the frame (${avg(v.typed).toFixed(2)} from the typing command; DOM ${avg(v.dom).toFixed(2)}, codec ${avg(v.codec).toFixed(2)}; main thread CPU ${avg(v.cpu).toFixed(1)} ms per edit beyond the browser's typing, ${avg(v.typing).toFixed(1)} ms), ${v.elements} elements`;
  console.log(`${engine.padEnd(10)} 1500 B: ${line('median', big)}`);
  console.log(`${''.padEnd(10)}   64 B: ${line('median', small)}`);
  const ok = avg(big.frame) < EDIT_BUDGET_MS;
  console.log(`${''.padEnd(10)} ratio 1500/64: ${(avg(big.frame) / avg(small.frame)).toFixed(2)}; goal median < ${EDIT_BUDGET_MS} ms: ${ok ? 'met' : 'NOT met'}; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} CPUs`);
}

const webDir = join(repoRoot, 'dist', 'web');
execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '-c', 'vite.web.config.ts'], { cwd: frontendDir, stdio: 'inherit' });
const server = await serveStatic(webDir);
const results = {};
console.log(`== Lab: one edit of a 1500-byte echo request, input event -> end of the frame showing it (${edits} edits per packet size, medians)`);
const profile = mkdtempSync(join(tmpdir(), 'echoscope-bench-lab-'));
try {
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
    await page.goto(server.url);
    await page.getByTestId('lab-verdict').waitFor({ timeout: 30_000 });
    let cdp;
    if (profilePath) {
      cdp = await context.newCDPSession(page);
      await page.evaluate(makePacket, 1500);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
      await page.evaluate(timeEditsInPage, edits);
      const { profile: cpu } = await cdp.send('Profiler.stop');
      writeFileSync(profilePath, JSON.stringify(cpu));
      console.log(`chromium CPU profile of ${edits} edits: ${profilePath}`);
    }
    results.chromium = await measure('chromium', (fn, arg) => page.evaluate(fn, arg), chromiumPid(profile));
    if (errors.length) throw new Error(`errors in the page: ${errors.join('; ')}`);
    report('chromium', results.chromium);
  } finally {
    await context.close();
  }
  const missing = webkitMissing();
  if (missing) {
    console.log(`webkitgtk  skipped: ${missing}`);
  } else {
    const webkit = await openWebKit();
    try {
      await webkit.goto(server.url);
      await waitInPage(webkit, () => document.querySelector('[data-testid="lab-verdict"]') !== null, undefined, 'the Lab');
      results.webkitgtk = await measure('webkitgtk', webkit.evaluate, webkit.pid);
      report('webkitgtk', results.webkitgtk);
    } finally {
      await webkit.close();
    }
  }
} finally {
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
if (process.env.BENCH_LAB_JSON) writeFileSync(process.env.BENCH_LAB_JSON, JSON.stringify(results, null, 2));
