// make bench, UI part: how many packets per second the ping view absorbs with no growing
// backlog, and the webview's frame time meanwhile. Runs the dev-mode app (real engine, root:
// in-process raw sockets), pings 127.0.0.1 every BENCH_UI_INTERVAL_MS (default 1 ms, i.e.
// 1000 requests/s) for BENCH_UI_SECONDS (default 60), and samples in the page:
//   - requestAnimationFrame intervals (frame time; 16.7 ms is a smooth 60 Hz)
//   - frame delivery lag (receive time - the backend's emit time), first vs last third of the
//     run: a backlog that grows shows as a lag that grows
//   - frames merged between two paints, frames missed, events the store dropped
//   - rows known to the page vs rows the backend reports at the end (nothing lost)
// Prints one summary block; BENCH_UI_JSON=path also writes it as JSON.

import { writeFileSync } from 'node:fs';
import { startApp } from './harness.mjs';
import { setOptions } from './ping-helpers.mjs';

const seconds = Number(process.env.BENCH_UI_SECONDS ?? 60);
const intervalMs = Number(process.env.BENCH_UI_INTERVAL_MS ?? 1);

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const app = await startApp();
const { page } = app;
try {
  await page.getByTestId('engine-badge').filter({ hasText: /engine: (?!checking)/ }).waitFor({ timeout: 60_000 });
  const engine = (await page.getByTestId('engine-badge').textContent()).replace(/^[^a-z]*/i, '').trim();
  await setOptions(page, { count: 0, intervalMs, timeoutMs: 1000 });
  // Sample rAF intervals and counters inside the page, off the measured path.
  await page.evaluate(() => {
    const w = globalThis;
    w.benchFrames = [];
    w.benchLags = [];
    let last = performance.now();
    const tick = (now) => {
      w.benchFrames.push(now - last);
      last = now;
      const c = w.echoscopePing.counters();
      w.benchLags.push([now, c.lastLagMs, c.totalRows]);
      w.benchRaf = requestAnimationFrame(tick);
    };
    w.benchRaf = requestAnimationFrame(tick);
  });
  const box = page.getByRole('combobox', { name: 'Target' });
  await box.fill('127.0.0.1');
  const t0 = Date.now();
  await box.press('Enter');
  await page.waitForTimeout(seconds * 1000); // the run's length, not an assertion
  await page.keyboard.press('Escape');
  await page.getByTestId('ping-state').filter({ hasText: /stopped|done|failed/ }).waitFor({ timeout: 60_000 });
  const wall = (Date.now() - t0) / 1000;
  await page.waitForTimeout(500);
  const r = await page.evaluate(() => {
    const w = globalThis;
    cancelAnimationFrame(w.benchRaf);
    return { frames: w.benchFrames, lags: w.benchLags, counters: w.echoscopePing.counters() };
  });
  const sent = Number((await page.getByTestId('stat-sent').textContent()).replace(/\D/g, ''));
  const received = Number((await page.getByTestId('stat-received').textContent()).replace(/\D/g, ''));
  const backendRows = Number((await page.getByTestId('row-count').textContent()).match(/\d+/)[0]);

  const frameTimes = r.frames.slice(5).sort((a, b) => a - b);
  const lags = r.lags.filter(([, lag]) => lag > 0);
  const third = Math.floor(lags.length / 3);
  const median = (xs) => quantile([...xs].sort((a, b) => a - b), 0.5);
  const lagFirst = median(lags.slice(0, third).map(([, l]) => l));
  const lagLast = median(lags.slice(-third).map(([, l]) => l));
  const c = r.counters;
  const summary = {
    engine,
    seconds: wall,
    intervalMs,
    sent,
    received,
    packetsPerSecond: Math.round(sent / wall),
    rowsPerSecond: Math.round(c.rowsStreamed / wall),
    framesPerSecond: Math.round(c.frames / wall),
    frameTimeMs: { p50: quantile(frameTimes, 0.5), p95: quantile(frameTimes, 0.95), p99: quantile(frameTimes, 0.99), max: frameTimes.at(-1) },
    deliveryLagMs: { firstThirdMedian: lagFirst, lastThirdMedian: lagLast, max: c.maxLagMs },
    maxFramesBetweenPaints: c.maxPendingFrames,
    missedFrames: c.missedFrames,
    droppedEvents: c.droppedEvents,
    rowsKnownToPage: c.totalRows,
    rowsInBackend: backendRows,
    cachedRows: c.cachedRows,
    chartPoints: c.chartPoints,
    backlogGrowing: lagLast > lagFirst + 50,
  };
  const f = (v) => (Number.isFinite(v) ? v.toFixed(1) : String(v));
  console.log(`== UI stream: ${engine}, ping 127.0.0.1 -i ${intervalMs / 1000} for ${f(wall)} s`);
  console.log(`   absorbed        ${summary.packetsPerSecond} packets/s (${sent} sent, ${received} received), ${summary.rowsPerSecond} rows/s in ${summary.framesPerSecond} frames/s`);
  console.log(`   frame time      p50 ${f(summary.frameTimeMs.p50)} ms, p95 ${f(summary.frameTimeMs.p95)} ms, p99 ${f(summary.frameTimeMs.p99)} ms, max ${f(summary.frameTimeMs.max)} ms (requestAnimationFrame intervals)`);
  console.log(`   delivery lag    median ${f(lagFirst)} ms in the first third, ${f(lagLast)} ms in the last third, max ${f(c.maxLagMs)} ms -> backlog ${summary.backlogGrowing ? 'GROWING' : 'not growing'}`);
  console.log(`   page time       ${f(c.mergeMs)} ms merging frames, ${f(c.chartMs)} ms redrawing the chart`);
  console.log(`   bounded         ${c.cachedRows} rows cached of ${c.totalRows}, ${c.chartPoints} chart points; ${c.maxPendingFrames} frames at most between paints, ${c.missedFrames} missed, ${c.droppedEvents} events dropped by the store`);
  if (process.env.BENCH_UI_JSON) writeFileSync(process.env.BENCH_UI_JSON, JSON.stringify(summary, null, 2));
  if (app.pageErrors.length) console.log(`   page errors: ${app.pageErrors.join('; ')}`);
} finally {
  await app.stop();
}
