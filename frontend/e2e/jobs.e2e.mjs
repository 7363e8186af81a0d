// Long work as jobs, end to end in the app (dev binary under Xvfb + Chromium): exporting a
// million-row session shows a progress bar (rows done of the total, a rate), the page keeps
// drawing frames (60 requestAnimationFrame gaps: none frozen, at most 3 over 100 ms) and answering
// while it runs, and Cancel leaves no file; importing a capture
// shows bytes done of the total and Cancel stores no session. Each job's job:progress events
// are collected in the page and checked: within the total, and a finished job ends at it.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { answerFileDialog } from './dialogs.mjs';
import { artifactsDir, repoRoot, startApp } from './harness.mjs';
import { waitUntil } from './engines/common.mjs';
import { openWebKit, webkitMissing } from './engines/webkit.mjs';
import { dataDirForTest, sessionRowFacts, sessionRows, shownNotice, showHistory, UI_WAIT } from './history-helpers.mjs';

const EXPORT_DIALOG = /^Export session/;
const IMPORT_DIALOG = /^Import a capture/;
/** The seeded sessions: the million rows, and a smaller one to export and import whole. */
const BIG_ROWS = 1_000_000;
const SMALL_ROWS = 100_000;
/** A frame is late past this (issue 17: "a frame within 100 ms"). */
const FRAME_BUDGET_MS = 100;
/**
 * Late frames tolerated out of 60: on the shared 2-core test machine (load 15 to 20) the
 * scheduler alone delays a frame now and then, job or not (WebKitGTK saw 2 of 60 at 187 ms
 * once). A page held up by the job (events flooding it, work on its thread) makes most frames
 * late, which this still fails; so does any frame over FROZEN_MS.
 */
const LATE_FRAMES_ALLOWED = 3;
/** A gap this long is a frozen page, whatever the machine's load. */
const FROZEN_MS = 1000;

/** Fails unless the frame gaps measured while a job ran show a page that answers. */
function checkFrames(engine, gaps) {
  const late = gaps.filter((g) => g > FRAME_BUDGET_MS);
  const sorted = [...gaps].sort((a, b) => a - b);
  console.log(`# ${engine} frames during a 1M-row export: median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms, ${late.length}/${gaps.length} over ${FRAME_BUDGET_MS} ms`);
  const shown = gaps.map((g) => g.toFixed(0)).join(' ');
  assert.ok(sorted.at(-1) < FROZEN_MS, `${engine}: a frame took ${sorted.at(-1).toFixed(0)} ms while exporting: ${shown}`);
  assert.ok(late.length <= LATE_FRAMES_ALLOWED, `${engine}: ${late.length} of ${gaps.length} frames over ${FRAME_BUDGET_MS} ms while exporting: ${shown}`);
}

let dataDir;
let files;
/** The pcapng the second test exports; the WebKitGTK test imports it too. */
let capture;

/** Seeds dir's history with a session of rows rows (backend/history/cmd/echoscope-seed). */
function seed(dir, rows) {
  const out = execFileSync('go', ['run', './backend/history/cmd/echoscope-seed', '-dir', dir, '-packets', String(rows)], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(JSON.parse(out).rows, rows);
}

/** Runs body with an app on the seeded data directory. */
async function withApp(body) {
  const app = await startApp({ dataDir });
  try {
    await app.page.getByTestId('engine-badge').filter({ hasText: /engine: (?!checking)/ }).waitFor(UI_WAIT);
    // Every job:progress and job end, as the page receives them (Wails' own runtime hub).
    await app.page.evaluate(() => {
      globalThis.jobEvents = [];
      for (const name of ['job:progress', 'job:done', 'job:failed', 'job:cancelled']) {
        globalThis.runtime.EventsOnMultiple(name, (p) => globalThis.jobEvents.push({ name, ...p }), -1);
      }
    });
    await body(app);
    assert.deepEqual(app.pageErrors, [], 'no uncaught errors in the page');
  } finally {
    await app.stop();
  }
}

/** The History row of the session with rows rows. */
async function rowWith(page, rows) {
  await showHistory(page);
  const all = sessionRows(page);
  await all.first().waitFor(UI_WAIT);
  for (let i = 0; i < (await all.count()); i++) {
    if ((await sessionRowFacts(all.nth(i))).packets === rows) return all.nth(i);
  }
  throw new Error(`no History row with ${rows} packets`);
}

/** Waits until the progress bar of a kind of job shows some work done; returns its locator. */
async function jobUnderWay(page, kind) {
  const job = page.locator(`[data-testid="job"][data-kind="${kind}"]`);
  await job.waitFor(UI_WAIT);
  await page.waitForFunction((k) => Number(document.querySelector(`[data-testid="job"][data-kind="${k}"] [data-testid="job-progress"]`)?.dataset.done ?? 0) > 0, kind, UI_WAIT);
  return job;
}

/**
 * The job:progress events of the one job of this kind that ended with end, checked, sorted by
 * done. The dev server sends each event to the page on its own goroutine, so they may arrive
 * out of order here: that done never decreases in the order they are emitted is checked by the
 * Go tests (backend/service/jobs_test.go); here every event stays within its total.
 */
async function checkedProgress(page, kind, end) {
  const events = await page.evaluate(() => globalThis.jobEvents);
  const ended = events.filter((e) => e.kind === kind && e.name === end);
  assert.ok(ended.length >= 1, `a ${kind} job ended with ${end}: ${JSON.stringify(events.filter((e) => e.name !== 'job:progress'))}`);
  const id = ended.at(-1).jobId;
  const progress = events.filter((e) => e.jobId === id && e.name === 'job:progress').sort((a, b) => a.done - b.done);
  assert.ok(progress.length >= 2, `${kind}: ${progress.length} progress events`);
  for (const p of progress) assert.ok(p.total === 0 || p.done <= p.total, `${kind}: done ${p.done} of ${p.total}`);
  return progress;
}

describe('jobs: progress and cancel', { timeout: 900_000 }, () => {
  before(() => {
    mkdirSync(artifactsDir, { recursive: true });
    dataDir = dataDirForTest('jobs');
    files = dataDirForTest('jobs-files');
    const start = Date.now();
    seed(dataDir, BIG_ROWS);
    seed(dataDir, SMALL_ROWS);
    console.log(`# seeding ${BIG_ROWS} + ${SMALL_ROWS} rows took ${Date.now() - start} ms (go run included)`);
  });
  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  it('exports a million rows with progress while the page keeps drawing and answering; Cancel leaves no file', async () => {
    await withApp(async ({ page, display }) => {
      const big = await rowWith(page, BIG_ROWS);
      await big.getByTestId('export-button').click();
      await page.getByRole('menuitem', { name: /CSV/ }).click();
      await answerFileDialog(display, EXPORT_DIALOG, join(files, 'million.csv'), { save: true });
      const job = await jobUnderWay(page, 'export');
      assert.match(await job.getByTestId('job-progress').textContent(), /^[\d\u2009]+ of 1\u2009000\u2009000 rows$/);
      await page.screenshot({ path: join(artifactsDir, 'e2e-job-progress.png') });

      // Frames: 60 requestAnimationFrame callbacks in a row, each waited for on its own.
      const gaps = await page.evaluate(async () => {
        const out = [];
        for (let i = 0; i < 60; i++) {
          const asked = performance.now();
          await new Promise((r) => requestAnimationFrame(r));
          out.push(performance.now() - asked);
        }
        return out;
      });
      // The page answers: a bound call and a tab switch while the export runs.
      const listed = await page.evaluate(async () => (await globalThis.go.service.PingService.Sessions('', 0)).length);
      assert.equal(listed, 2);
      await page.getByRole('tab', { name: 'Ping' }).click();
      await page.getByRole('region', { name: 'Ping' }).waitFor(UI_WAIT);
      assert.ok(await job.isVisible(), 'the export still runs after the frames were measured (the measurement saw it)');
      checkFrames('Chromium', gaps);

      await job.getByTestId('job-cancel').click();
      await shownNotice(page).or(page.getByTestId('history-notice')).filter({ hasText: 'Export cancelled: no file was written.' }).first().waitFor(UI_WAIT);
      await job.waitFor({ state: 'detached', ...UI_WAIT });
      await checkedProgress(page, 'export', 'job:cancelled');
      assert.deepEqual(readdirSync(files), [], 'no file and no temporary file left');
    });
  });

  it('exports a session whole with progress to its total, then imports it: progress in bytes, Cancel stores nothing', async () => {
    capture = join(files, 'small.pcapng');
    await withApp(async ({ page, display }) => {
      const small = await rowWith(page, SMALL_ROWS);
      await small.getByTestId('export-button').click();
      await page.getByRole('menuitem', { name: /pcapng/ }).click();
      await answerFileDialog(display, EXPORT_DIALOG, capture, { save: true });
      await shownNotice(page).filter({ hasText: /Exported [\d]+ packets to .*small\.pcapng/ }).waitFor(UI_WAIT);
      const exported = await checkedProgress(page, 'export', 'job:done');
      assert.deepEqual([exported.at(-1).done, exported.at(-1).total], [SMALL_ROWS, SMALL_ROWS]);
      assert.ok(existsSync(capture));

      // Import, cancelled once under way: no session stored. The capture's sections repeated
      // (pcapng allows several in a file): the small capture alone imports in about 300 ms on a
      // quiet machine, too soon for Cancel.
      const repeated = join(files, 'repeated.pcapng');
      const bytes = readFileSync(capture);
      writeFileSync(repeated, Buffer.concat(Array.from({ length: 12 }, () => bytes)));
      await page.getByTestId('import-button').click();
      await answerFileDialog(display, IMPORT_DIALOG, repeated);
      const job = await jobUnderWay(page, 'import');
      assert.match(await job.getByTestId('job-progress').textContent(), /(bytes|kB|MB) of [\d.]+ MB$/);
      await job.getByTestId('job-cancel').click();
      await shownNotice(page).filter({ hasText: 'Import cancelled: nothing was stored.' }).waitFor(UI_WAIT);
      await checkedProgress(page, 'import', 'job:cancelled');
      assert.equal(await page.evaluate(async () => (await globalThis.go.service.PingService.Sessions('', 0)).length), 2, 'the cancelled import stored no session');
      rmSync(repeated);

      // Imported whole: done reaches the total (both readings of the file).
      await page.getByTestId('import-button').click();
      await answerFileDialog(display, IMPORT_DIALOG, capture);
      await shownNotice(page).filter({ hasText: /Imported \d+ packets from .*small\.pcapng/ }).waitFor(UI_WAIT);
      const imported = await checkedProgress(page, 'import', 'job:done');
      assert.equal(imported.at(-1).done, imported.at(-1).total);
      assert.equal(await page.evaluate(async () => (await globalThis.go.service.PingService.Sessions('', 0)).length), 3);
    });
  });

  // The same in WebKitGTK (MiniBrowser, the engine of the app's window, through WebKitWebDriver),
  // driven by scripts in the page: the Playwright locators above are Chromium's.
  it('WebKitGTK: export progress and Cancel leaves no file; import progress and Cancel stores nothing', { skip: webkitMissing() ?? false }, async () => {
    assert.ok(capture && existsSync(capture), 'the capture exported by the test before');
    const out = dataDirForTest('jobs-webkit');
    const app = await startApp({ dataDir, browser: false });
    let web;
    /** Polls fn(arg) in MiniBrowser's page until truthy (a failure deadline, not a timing check: the big session is slow). */
    const waitFor = (fn, what, arg) => waitUntil(() => web.evaluate(fn, arg), `WebKitGTK: ${what}`, 120_000);
    try {
      // MiniBrowser runs on its own Xvfb (engines/webkit.mjs); the app's file dialogs still open
      // on the app's display, where answerFileDialog finds them.
      web = await openWebKit();
      await web.goto(app.url);
      await waitFor(() => /engine: (?!checking)/.test(document.querySelector('[data-testid="engine-badge"]')?.textContent ?? ''), 'the engine badge');
      await web.evaluate(() => {
        globalThis.jobEvents = [];
        for (const name of ['job:progress', 'job:done', 'job:failed', 'job:cancelled']) {
          globalThis.runtime.EventsOnMultiple(name, (p) => globalThis.jobEvents.push({ name, ...p }), -1);
        }
        [...document.querySelectorAll('[role="tab"]')].find((t) => t.textContent.trim() === 'History').click();
      });
      const exportFrom = (rows, format) =>
        waitFor(
          ([n, f]) => {
            const row = [...document.querySelectorAll('[data-testid="session-list"] [role="row"][data-session]')].find((r) => Number(r.querySelector('[data-testid="session-packets"]')?.textContent.replace(/\s/g, '')) === n);
            if (!row) return false;
            row.querySelector('[data-testid="export-button"]').click();
            return new Promise((r) => setTimeout(r, 50)).then(() => {
              const item = [...document.querySelectorAll('[role="menuitem"]')].find((m) => m.textContent.includes(f));
              item?.click();
              return Boolean(item);
            });
          },
          `the ${rows}-row session's export menu`,
          [rows, format],
        );
      const underWay = (kind) => waitFor((k) => Number(document.querySelector(`[data-testid="job"][data-kind="${k}"] [data-testid="job-progress"]`)?.dataset.done ?? 0) > 0, `${kind} progress`, kind);
      const cancel = (kind) => web.evaluate((k) => document.querySelector(`[data-testid="job"][data-kind="${k}"] [data-testid="job-cancel"]`).click(), kind);
      const notice = (text) => waitFor((t) => [...document.querySelectorAll('[data-testid="history-notice"]')].some((e) => e.offsetParent !== null && e.textContent.includes(t)), `the notice "${text}"`, text);
      const progressOf = async (kind, end) => {
        const events = await web.evaluate(() => globalThis.jobEvents);
        const id = events.filter((e) => e.kind === kind && e.name === end).at(-1)?.jobId;
        assert.ok(id, `a ${kind} job ended with ${end}`);
        const ps = events.filter((e) => e.jobId === id && e.name === 'job:progress');
        assert.ok(ps.length >= 2, `${kind}: ${ps.length} progress events`);
        for (const p of ps) assert.ok(p.total === 0 || p.done <= p.total, `${kind} progress ${JSON.stringify(p)}`);
      };

      await exportFrom(BIG_ROWS, 'CSV');
      await answerFileDialog(app.display, EXPORT_DIALOG, join(out, 'million.csv'), { save: true });
      await underWay('export');
      const gaps = await web.evaluate(async () => {
        const gaps = [];
        for (let i = 0; i < 60; i++) {
          const asked = performance.now();
          await new Promise((r) => requestAnimationFrame(r));
          gaps.push(performance.now() - asked);
        }
        return gaps;
      });
      checkFrames('WebKitGTK', gaps);
      await cancel('export');
      await notice('Export cancelled: no file was written.');
      await progressOf('export', 'job:cancelled');
      assert.deepEqual(readdirSync(out), [], 'no file and no temporary file left');

      const before = await web.evaluate(async () => (await globalThis.go.service.PingService.Sessions('', 0)).length);
      await web.evaluate(() => document.querySelector('[data-testid="import-button"]').click());
      await answerFileDialog(app.display, IMPORT_DIALOG, capture);
      await underWay('import');
      await cancel('import');
      await notice('Import cancelled: nothing was stored.');
      await progressOf('import', 'job:cancelled');
      assert.equal(await web.evaluate(async () => (await globalThis.go.service.PingService.Sessions('', 0)).length), before, 'the cancelled import stored no session');
    } finally {
      await web?.close();
      await app.stop();
      rmSync(out, { recursive: true, force: true });
    }
  });
});
