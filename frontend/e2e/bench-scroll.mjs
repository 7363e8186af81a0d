// make bench, History part: how a reopened million-row session scrolls, against a small
// session as the baseline, in one app. Seeds both sessions (backend/history/cmd/echoscope-seed)
// into one data directory, starts the dev-mode app (harness: Xvfb, headless Chromium), and for
// each session, opened from the History tab, measures in the page:
//   - Open -> first rows painted (the viewport full of the right rows) and -> chart drawn
//   - PageDown x N then PageUp x N (paced like key repeat; each key selects a row, so the
//     inspector follows), and mouse-wheel bursts: requestAnimationFrame intervals meanwhile,
//     frames with "loading..." rows in the DOM, how long until the rows are complete after the
//     last key / each burst
//   - jumps (End, Home, scrollTop set to random positions, drags that move scrollTop there over
//     8 frames as a thumb drag does): time until the visible rows are there with their right
//     row numbers (the page came from Go)
//   - Rows calls (count, round-trip time) and the most rows the page held in its cache
// Machines are noisy: it prints ratios to the baseline, and asserts no speed. It exits non-zero
// only when something is functionally wrong: rows that never arrive, wrong row numbers, a Rows
// page that numbers its rows wrongly, a chart never drawn, an error in the page.
// Knobs: BENCH_SCROLL_ROWS (1000000), BENCH_SCROLL_BASE_ROWS (1000), BENCH_SCROLL_KEYS (60),
// BENCH_SCROLL_KEY_MS (33), BENCH_SCROLL_BURSTS (12), BENCH_SCROLL_JUMPS (50),
// BENCH_SCROLL_DRAGS (10), BENCH_SCROLL_ROUNDS (2: small, big, then big, small, so that a noisy
// neighbour hurts both alike; samples of all rounds pooled), BENCH_SCROLL_JSON=path also
// writes the figures as JSON.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startApp } from './harness.mjs';
import { sessionRowFacts, sessionRows, showHistory, UI_WAIT } from './history-helpers.mjs';

const knob = (name, fallback) => Number(process.env[name] ?? fallback);
const bigRows = knob('BENCH_SCROLL_ROWS', 1_000_000);
const baseRows = knob('BENCH_SCROLL_BASE_ROWS', 1000);
const wantKeys = knob('BENCH_SCROLL_KEYS', 60);
const keyMs = knob('BENCH_SCROLL_KEY_MS', 33);
const bursts = knob('BENCH_SCROLL_BURSTS', 12);
const jumps = knob('BENCH_SCROLL_JUMPS', 50);
const drags = knob('BENCH_SCROLL_DRAGS', 10);
const rounds = Math.max(1, knob('BENCH_SCROLL_ROUNDS', 2));
const WHEEL_EVENTS = 8; // per burst, one every 16 ms: a flick of a mouse wheel
const WHEEL_DELTA = 120; // px per notch, as Chromium's wheel on Linux
const DRAG_FRAMES = 8; // scroll positions a thumb drag passes through, one per frame
/** A failure deadline for rows or the chart to show up, not a timing assertion. */
const DEADLINE_MS = 60_000;

/** Something is functionally wrong (not slow): the bench exits non-zero. */
class FunctionalError extends Error {}

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** The median, the middle two averaged (two rounds give their mean). */
function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function spread(values, qs = [0.5, 0.95, 0.99, 1]) {
  const sorted = [...values].sort((a, b) => a - b);
  return qs.map((q) => quantile(sorted, q));
}

/** A small seeded PRNG (mulberry32): both sessions jump to the same fractions, run after run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedSessions(dataDir) {
  const bin = join(dataDir, 'echoscope-seed');
  execFileSync('go', ['build', '-o', bin, './backend/history/cmd/echoscope-seed'], { cwd: repoRoot, stdio: 'inherit' });
  const seeded = {};
  for (const rows of [baseRows, bigRows]) {
    const t0 = Date.now();
    const out = JSON.parse(execFileSync(bin, ['-dir', dataDir, '-packets', String(rows)], { encoding: 'utf8' }));
    if (out.rows !== rows) throw new FunctionalError(`seeding ${rows} rows stored ${out.rows}`);
    seeded[rows] = Date.now() - t0;
  }
  rmSync(bin);
  return seeded;
}

/** Fails with the page's last view of the rows when they did not settle. */
function settled(result, what) {
  if (result.badPage) throw new FunctionalError(`${what}: ${result.problems.slice(0, 3).join('; ')}`);
  if (result.timedOut) {
    const why = result.problems.length ? result.problems.slice(0, 5).join('; ') : `${result.loading} rows still loading`;
    throw new FunctionalError(`${what}: the visible rows did not settle within ${DEADLINE_MS} ms (${why})`);
  }
  return result;
}

const waitSettled = (page, total, since) => page.evaluate(([t, s, d]) => globalThis.benchScroll.waitSettled(t, s, d), [total, since, DEADLINE_MS]);
const probe = (page, fn, arg) => page.evaluate(fn, arg);

async function openFromHistory(page, total) {
  await showHistory(page);
  const rows = sessionRows(page);
  await rows.nth(1).waitFor(UI_WAIT);
  let row = null;
  for (let i = 0; i < (await rows.count()); i++) {
    if ((await sessionRowFacts(rows.nth(i))).packets === total) row = rows.nth(i);
  }
  if (!row) throw new FunctionalError(`History lists no session of ${total} packets`);
  await probe(page, (t) => globalThis.benchScroll.armOpen(t), total);
  await row.getByRole('button', { name: /^Open the session/ }).click();
  const rowsPainted = settled(await page.evaluate(([t, d]) => globalThis.benchScroll.waitOpen(t, d), [total, DEADLINE_MS]), `opening ${total} rows`);
  const chart = await page.evaluate((d) => globalThis.benchScroll.waitChart(d), DEADLINE_MS);
  if (chart?.badPage) settled(chart, `opening ${total} rows`);
  if (chart === null) throw new FunctionalError(`opening ${total} rows: the RTT chart was never drawn`);
  const answeredMs = await probe(page, () => globalThis.benchScroll.openedAt - globalThis.benchScroll.openAt);
  return { answeredMs: [answeredMs], rowsMs: [rowsPainted.ms], chartMs: [chart] };
}

/** PageDown x keys then PageUp x keys, one press every keyMs; the selection must end where the keys say. */
async function keyScroll(page, total, keys) {
  const table = page.getByTestId('packet-table');
  await table.focus();
  await page.keyboard.press('Home');
  settled(await waitSettled(page, total, await probe(page, () => performance.now())), 'Home before the keys');
  const pageRows = await probe(page, () => Math.max(1, Math.floor(document.querySelector('[data-testid="packet-table"] .viewport').clientHeight / 24) - 1));
  await probe(page, () => globalThis.benchScroll.phase('keys'));
  const legs = [];
  for (const key of ['PageDown', 'PageUp']) {
    for (let i = 0; i < keys; i++) {
      await page.keyboard.press(key);
      await page.waitForTimeout(keyMs); // key repeat's pace, not an assertion
    }
    const leg = settled(await waitSettled(page, total, await probe(page, () => globalThis.benchScroll.keyAt)), `after ${keys} x ${key}`);
    const want = key === 'PageDown' ? Math.min(total - 1, keys * pageRows) : 0;
    const selected = await probe(page, () => Number(document.querySelector('[data-testid="packet-table"] [aria-selected="true"]')?.dataset.row ?? -1));
    if (selected !== want) throw new FunctionalError(`after ${keys} x ${key} row ${selected} is selected, not row ${want}`);
    legs.push(leg.ms);
  }
  return { presses: 2 * keys, rowsPerPage: pageRows, settleMs: legs, ...(await probe(page, () => globalThis.benchScroll.phase(null))) };
}

/** Bursts of wheel notches over the table; the rows must be complete and right after each. */
async function wheelScroll(page, total) {
  const box = await page.getByTestId('packet-table').locator('.viewport').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await probe(page, () => globalThis.benchScroll.phase('wheel'));
  const settle = [];
  for (let b = 0; b < bursts; b++) {
    for (let i = 0; i < WHEEL_EVENTS; i++) {
      await page.mouse.wheel(0, WHEEL_DELTA);
      await page.waitForTimeout(16); // a wheel's notch rate, not an assertion
    }
    const since = await probe(page, () => performance.now());
    settle.push(settled(await waitSettled(page, total, since), `wheel burst ${b + 1}`).ms);
  }
  return { events: bursts * WHEEL_EVENTS, settleMs: settle, ...(await probe(page, () => globalThis.benchScroll.phase(null))) };
}

/** End, Home, and scrollTop set to random fractions of the scroll range. */
async function jumpAround(page, total) {
  await probe(page, () => globalThis.benchScroll.phase('jumps'));
  const next = random(5);
  const ms = [];
  for (let i = 0; i < jumps; i++) {
    const fraction = next();
    const r = await page.evaluate(([f, t, d]) => globalThis.benchScroll.jumpTo(f, t, d), [fraction, total, DEADLINE_MS]);
    ms.push(settled(r, `jump to ${(fraction * 100).toFixed(1)} %`).ms);
  }
  // A drag of the scrollbar's thumb: the webview moves the thumb itself and the page sees a
  // scroll event per frame on the way (headless Chromium hides scrollbars, so the thumb cannot
  // be grabbed with the mouse there); the pages for the positions passed are asked for too.
  const dragMs = [];
  for (let i = 0; i < drags; i++) {
    const fraction = next();
    const r = await page.evaluate(([f, t, d, n]) => globalThis.benchScroll.dragTo(f, t, d, n), [fraction, total, DEADLINE_MS, DRAG_FRAMES]);
    dragMs.push(settled(r, `drag to ${(fraction * 100).toFixed(1)} %`).ms);
  }
  const key = async (name, check) => {
    await page.getByTestId('packet-table').focus();
    await page.keyboard.press(name);
    const r = settled(await waitSettled(page, total, await probe(page, () => globalThis.benchScroll.keyAt)), name);
    if (!check(r)) throw new FunctionalError(`${name}: rows ${r.first}-${r.last} shown`);
    return r.ms;
  };
  const endMs = [await key('End', (r) => r.last === total - 1)];
  const homeMs = [await key('Home', (r) => r.first === 0)];
  return { jumpMs: ms, dragMs, endMs, homeMs, ...(await probe(page, () => globalThis.benchScroll.phase(null))) };
}

async function measure(page, total, keys) {
  const calls0 = await probe(page, () => globalThis.benchScroll.rowsCalls());
  const open = await openFromHistory(page, total);
  const keyRun = await keyScroll(page, total, keys);
  const wheel = await wheelScroll(page, total);
  const jumpRun = await jumpAround(page, total);
  const calls = await probe(page, (since) => globalThis.benchScroll.rowsCalls(since), calls0.count);
  // Leave the table at its top, so that the next session opens where this one did.
  await page.getByTestId('packet-table').focus();
  await page.keyboard.press('Home');
  return { rows: total, open, keys: keyRun, wheel, jumps: jumpRun, rowsCalls: calls };
}

const f1 = (v) => (Number.isFinite(v) ? v.toFixed(1) : '-');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : '-');
const cells = (xs) => xs.map(f1).join('/');

function report(base, big, seedMs, engineNote) {
  const lines = [];
  const row = (label, b, m, unit = 'ms') => {
    const bs = Array.isArray(b) ? cells(b) : f1(b);
    const ms = Array.isArray(m) ? cells(m) : f1(m);
    const rs = Array.isArray(b) ? b.map((x, i) => ratio(m[i], x)).join('/') : ratio(m, b);
    lines.push(`   ${label.padEnd(40)} ${`${bs} ${unit}`.padStart(26)} ${`${ms} ${unit}`.padStart(26)}   ${rs}`);
  };
  const frames = (phase) => spread(phase.frameMs);
  lines.push(`== History scroll: ${big.rows} rows against a ${base.rows}-row baseline (${engineNote})`);
  lines.push(`   seeded ${big.rows} rows in ${f1(seedMs[big.rows] / 1000)} s, ${base.rows} in ${f1(seedMs[base.rows] / 1000)} s; frames = requestAnimationFrame intervals p50/p95/p99/max`);
  lines.push(`   ${''.padEnd(40)} ${`${base.rows} rows`.padStart(26)} ${`${big.rows} rows`.padStart(26)}   ratio`);
  const opens = (label, key) => {
    const pair = (s) => [s.firstOpen[key][0], s.againOpen[key].length ? median(s.againOpen[key]) : NaN];
    row(`open -> ${label} first/again`, pair(base), pair(big));
  };
  opens('OpenSession answered', 'answeredMs');
  opens('rows painted', 'rowsMs');
  opens('chart drawn', 'chartMs');
  row(`PageDown/Up x${base.keys.presses / 2}: frames`, frames(base.keys), frames(big.keys));
  row('  rows complete after last key p50/max', spread(base.keys.settleMs, [0.5, 1]), spread(big.keys.settleMs, [0.5, 1]));
  row(`wheel ${bursts}x${WHEEL_EVENTS} notches: frames`, frames(base.wheel), frames(big.wheel));
  row('  rows complete after a burst p50/max', spread(base.wheel.settleMs, [0.5, 1]), spread(big.wheel.settleMs, [0.5, 1]));
  row(`jumps x${jumps}: rows right p50/p95/max`, spread(base.jumps.jumpMs, [0.5, 0.95, 1]), spread(big.jumps.jumpMs, [0.5, 0.95, 1]));
  row('  End / Home', [median(base.jumps.endMs), median(base.jumps.homeMs)], [median(big.jumps.endMs), median(big.jumps.homeMs)]);
  row(`drags x${drags} (${DRAG_FRAMES} frames): p50/max`, spread(base.jumps.dragMs, [0.5, 1]), spread(big.jumps.dragMs, [0.5, 1]));
  row('Rows calls (round trip p50/p95)', spread(base.rowsCalls.ms, [0.5, 0.95]), spread(big.rowsCalls.ms, [0.5, 0.95]));
  const phases = ['keys', 'wheel', 'jumps'];
  const sum = (s, key) => phases.reduce((n, p) => n + s[p][key], 0);
  const callsAndCache = (s) => `${Math.round(s.rowsCalls.count / s.rounds)} / ${Math.max(...phases.map((p) => s[p].maxCachedRows))}`;
  lines.push(`   ${'Rows calls a round / cached rows'.padEnd(40)} ${callsAndCache(base).padStart(26)} ${callsAndCache(big).padStart(26)}   (cache bounded at 4000 rows)`);
  lines.push(`   ${'frames with loading rows in DOM'.padEnd(40)} ${`${sum(base, 'loadingFrames')} of ${sum(base, 'frames')}`.padStart(26)} ${`${sum(big, 'loadingFrames')} of ${sum(big, 'frames')}`.padStart(26)}`);
  lines.push(`   (ratio = ${big.rows} rows / ${base.rows} rows; ${big.rounds} rounds each, pooled; one-off figures are medians of the rounds;`);
  lines.push(`    times run from the input to the frame that has the rows)`);
  return lines.join('\n');
}

/**
 * Page side, installed once with page.evaluate (so it uses nothing from this module): counts
 * and times Rows calls, notes when Open was clicked, when OpenSession answered and when the
 * chart's canvas was first stroked after it, samples animation frames per phase, and judges
 * the rows on screen.
 */
function installScrollProbe() {
  const w = globalThis;
  const b = { keyAt: 0, openAt: 0, openedAt: 0, chartAt: 0, current: null, calls: [], bad: [] };
  w.benchScroll = b;
  const table = () => document.querySelector('[data-testid="packet-table"]');
  document.addEventListener('keydown', () => (b.keyAt = performance.now()), true);
  document.addEventListener('click', (e) => {
    if (e.target.closest?.('button[aria-label^="Open the session"]')) b.openAt = performance.now();
  }, true);

  // The generated bindings look window.go up on every call, so wrapping here sees every call.
  const svc = w.go.service.PingService;
  const rows = svc.Rows;
  svc.Rows = async (id, offset, limit) => {
    const t0 = performance.now();
    const page = await rows(id, offset, limit);
    b.calls.push(performance.now() - t0);
    const got = page.rows ?? [];
    // Seeded sessions have no gaps: a page holds exactly the rows it was asked for.
    if (got.length !== Math.max(0, Math.min(limit, page.totalRows - offset))) b.bad.push(`Rows(${offset}, ${limit}) brought ${got.length} rows of ${page.totalRows}`);
    got.forEach((r, i) => r.n !== offset + i && b.bad.length < 20 && b.bad.push(`Rows(${offset}, ${limit}): row ${i} is numbered ${r.n}`));
    return page;
  };
  // OpenSession is a job (backend/service/jobs.go): it has answered when its job:done arrives;
  // the store shows the session in the task that event resolves.
  w.runtime.EventsOnMultiple('job:done', (end) => {
    if (end.kind === 'open') b.openedAt = performance.now();
  }, -1);
  if (svc.Rows === rows) throw new Error('the PingService bindings cannot be wrapped');

  const stroke = CanvasRenderingContext2D.prototype.stroke;
  CanvasRenderingContext2D.prototype.stroke = function (...args) {
    if (b.openedAt && !b.chartAt && this.canvas.closest?.('[data-testid="rtt-chart"]') && w.echoscopePing.counters().chartPoints > 0) b.chartAt = performance.now();
    return stroke.apply(this, args);
  };

  let last = performance.now();
  const tick = (now) => {
    const s = b.current;
    if (s) {
      s.frameMs.push(now - last);
      s.frames++;
      if (table()?.querySelector('.row.pending')) s.loadingFrames++;
      s.maxCachedRows = Math.max(s.maxCachedRows, w.echoscopePing.counters().cachedRows);
    }
    last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  b.phase = (name) => {
    const done = b.current;
    b.current = name ? { frameMs: [], frames: 0, loadingFrames: 0, maxCachedRows: 0 } : null;
    return done;
  };
  b.rowsCalls = (since = 0) => ({ count: b.calls.length - since, ms: b.calls.slice(since) });
  b.misnumbered = () => b.bad;

  // The rows on screen: all loaded, contiguous, numbered as the scroll offset says (the
  // mapping of lib/ping/virtual.ts, derived again here as the oracle), each with the seq the
  // seeder gives row n (one request per ms, replies within 2 ms: seq ~ n/2 + 1, mod 2^16).
  b.visible = (total) => {
    const t = table();
    const vp = t?.querySelector('.viewport');
    const shown = Number(t?.querySelector('[data-testid="row-count"]')?.textContent.match(/\d+/)?.[0] ?? -1);
    if (!vp || shown !== total || vp.clientHeight < 24) return { ok: false, loading: 0, problems: [`the table shows ${shown} rows`], first: -1, last: -1 };
    const vr = vp.getBoundingClientRect();
    const els = [...vp.querySelectorAll('[role="row"][data-row]')].filter((e) => {
      const r = e.getBoundingClientRect();
      return r.bottom > vr.top + 1 && r.top < vr.bottom - 1;
    });
    const ns = els.map((e) => Number(e.dataset.row));
    const problems = [];
    const rowPx = 24;
    const vh = vp.clientHeight;
    const spacerPx = parseFloat(vp.querySelector('.spacer').style.height);
    const range = Math.max(1, spacerPx - vh);
    const top = total * rowPx > spacerPx + 0.5 ? (Math.min(Math.max(0, vp.scrollTop), range) / range) * Math.max(0, total - vh / rowPx) : vp.scrollTop / rowPx;
    if (!(Math.abs(ns[0] - Math.floor(top)) <= 1)) problems.push(`top row ${ns[0]}, the scroll offset says ${Math.floor(top)}`);
    if (els.length < Math.min(total, Math.floor(vh / rowPx))) problems.push(`${els.length} rows in a viewport of ${Math.floor(vh / rowPx)}`);
    let loading = 0;
    els.forEach((e, i) => {
      const n = ns[i];
      if (i > 0 && n !== ns[i - 1] + 1) problems.push(`row ${n} follows row ${ns[i - 1]}`);
      if (e.querySelector('.c-n')?.textContent.trim() !== String(n)) problems.push(`row ${n} is labelled ${e.querySelector('.c-n')?.textContent}`);
      if (!e.hasAttribute('data-kind')) return void loading++;
      const type = e.querySelector('.c-type')?.textContent ?? '';
      const seq = Number(e.querySelector('.c-num')?.textContent);
      const want = (Math.floor(n / 2) + 1) & 0xffff;
      const d = Math.abs(seq - want);
      if (!/Echo (Request|Reply)/.test(type) || !(Math.min(d, 65536 - d) <= 8)) problems.push(`row ${n} is "${type}" seq ${seq}; the seeded row ${n} has seq ~${want}`);
    });
    return { ok: loading === 0 && problems.length === 0, loading, problems, first: ns[0] ?? -1, last: ns.at(-1) ?? -1 };
  };
  const until = (done, deadlineMs) => new Promise((resolve) => {
    const start = performance.now();
    // Checked in animation frames: by then the scroll event and Svelte's update have run.
    const step = () => {
      if (b.bad.length) return resolve({ loading: 0, problems: b.bad, badPage: true });
      const r = done();
      if (r !== null) return resolve(r);
      if (performance.now() - start > deadlineMs) return resolve(undefined);
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  b.waitSettled = async (total, since, deadlineMs) => {
    let last;
    const r = await until(() => ((last = b.visible(total)).ok ? { ...last, ms: performance.now() - since } : null), deadlineMs);
    return r ?? { ...last, timedOut: true };
  };
  b.armOpen = () => Object.assign(b, { openAt: 0, openedAt: 0, chartAt: 0 });
  b.waitOpen = async (total, deadlineMs) => {
    let last = { loading: 0, problems: ['OpenSession never answered'] };
    const r = await until(() => (b.openAt && b.openedAt && (last = b.visible(total)).ok ? { ...last, ms: performance.now() - b.openAt } : null), deadlineMs);
    return r ?? { ...last, timedOut: true };
  };
  b.waitChart = async (deadlineMs) => (await until(() => (b.chartAt ? b.chartAt - b.openAt : null), deadlineMs)) ?? null;
  b.dragTo = async (fraction, total, deadlineMs, frames) => {
    const vp = table().querySelector('.viewport');
    const from = vp.scrollTop;
    const to = fraction * (vp.scrollHeight - vp.clientHeight);
    for (let i = 1; i <= frames; i++) {
      vp.scrollTop = from + ((to - from) * i) / frames;
      if (i < frames) await new Promise((r) => requestAnimationFrame(r));
    }
    return b.waitSettled(total, performance.now(), deadlineMs);
  };
  b.jumpTo = (fraction, total, deadlineMs) => {
    const vp = table().querySelector('.viewport');
    vp.scrollTop = fraction * (vp.scrollHeight - vp.clientHeight);
    return b.waitSettled(total, performance.now(), deadlineMs);
  };
}

/** The open figures of some rounds, pooled. */
function opensOf(runs) {
  const cat = (key) => runs.flatMap((r) => r.open[key]);
  return { answeredMs: cat('answeredMs'), rowsMs: cat('rowsMs'), chartMs: cat('chartMs') };
}

/** Pools the rounds of one session: samples concatenated, counts summed, the cache's peak kept. */
function pool(runs, firstOpen) {
  const cat = (get) => runs.flatMap(get);
  const sum = (get) => runs.reduce((n, r) => n + get(r), 0);
  const phase = (name) => ({
    frameMs: cat((r) => r[name].frameMs),
    frames: sum((r) => r[name].frames),
    loadingFrames: sum((r) => r[name].loadingFrames),
    maxCachedRows: Math.max(...runs.map((r) => r[name].maxCachedRows)),
  });
  return {
    rows: runs[0].rows,
    rounds: runs.length,
    // The first open reads the session cold (SQLite pages, the backend's summary); later ones not.
    firstOpen: firstOpen ?? runs[0].open,
    againOpen: opensOf(runs),
    keys: { ...phase('keys'), presses: runs[0].keys.presses, settleMs: cat((r) => r.keys.settleMs) },
    wheel: { ...phase('wheel'), settleMs: cat((r) => r.wheel.settleMs) },
    jumps: { ...phase('jumps'), jumpMs: cat((r) => r.jumps.jumpMs), dragMs: cat((r) => r.jumps.dragMs), endMs: cat((r) => r.jumps.endMs), homeMs: cat((r) => r.jumps.homeMs) },
    rowsCalls: { count: sum((r) => r.rowsCalls.count), ms: cat((r) => r.rowsCalls.ms) },
  };
}

async function main() {
  if (bigRows === baseRows) throw new Error('BENCH_SCROLL_ROWS and BENCH_SCROLL_BASE_ROWS must differ (sessions are told apart by size)');
  const dataDir = mkdtempSync(join(tmpdir(), 'echoscope-bench-scroll-'));
  let app;
  try {
    const seedMs = seedSessions(dataDir);
    app = await startApp({ dataDir });
    const { page } = app;
    await page.getByTestId('engine-badge').filter({ hasText: /engine: (?!checking)/ }).waitFor(UI_WAIT);
    await page.evaluate(installScrollProbe);
    // The key run must not reach the baseline's last row (both sessions get the same input).
    const baseFirstOpen = await openFromHistory(page, baseRows);
    const rowsPerPage = await probe(page, () => Math.max(1, Math.floor(document.querySelector('[data-testid="packet-table"] .viewport').clientHeight / 24) - 1));
    const keys = Math.max(1, Math.min(wantKeys, Math.floor((baseRows - 1) / rowsPerPage)));
    // Warm-up (not reported): the page's code and Go's first queries pay their start-up once.
    await jumpAround(page, baseRows);
    const runs = { [baseRows]: [], [bigRows]: [] };
    for (let r = 0; r < rounds; r++) {
      for (const total of r % 2 === 0 ? [baseRows, bigRows] : [bigRows, baseRows]) runs[total].push(await measure(page, total, keys));
    }
    const base = pool(runs[baseRows], baseFirstOpen);
    const big = pool(runs[bigRows]);
    big.againOpen = opensOf(runs[bigRows].slice(1)); // its first round opened it cold
    const errors = app.pageErrors.length ? app.pageErrors : await probe(page, () => globalThis.benchScroll.misnumbered());
    if (errors.length) throw new FunctionalError(`in the page: ${errors.slice(0, 5).join('; ')}`);
    console.log(report(base, big, seedMs, 'dev-mode app under Xvfb, headless Chromium'));
    if (process.env.BENCH_SCROLL_JSON) writeFileSync(process.env.BENCH_SCROLL_JSON, JSON.stringify({ seedMs, keysPerLeg: keys, keyMs, rounds, baseFirstOpen, runs }, null, 2));
  } finally {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench-scroll: ${err instanceof FunctionalError ? 'FUNCTIONAL FAILURE: ' : ''}${err.message}`);
  process.exit(1);
});
