// The packet table's filters (issue 13, point 8) in both engines, Chromium (playwright-core)
// and WebKitGTK (WebKitWebDriver driving MiniBrowser), on one seeded session reopened from
// History: requests, losses, replies (some out of order) and one foreign reply. Another
// program's ICMP is hidden by default and its count said; each filter lists exactly the
// rows of the whole session that pass it, with their session row numbers and words; the
// filters move with the arrow keys; the table's keyboard and the inspector keep the
// session's numbering. Live (root only): a namespaced test host that sends two replies with
// other identifiers before each real one, so the running session's table hides them as they
// come and counts them.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromiumEngine } from './engines/chromium.mjs';
import { waitInPage, waitUntil } from './engines/common.mjs';
import { openWebKit, webkitMissing } from './engines/webkit.mjs';
import { repoRoot, startApp } from './harness.mjs';
import { ping, startTestHost } from './ping-helpers.mjs';
import { dataDirForTest } from './history-helpers.mjs';

/** Seeded: 10 requests, every third lost, one foreign reply (the odd row). */
const SEED = { rows: 21, lossEvery: 3, target: '198.18.0.7' };

/** The filters' meaning, written apart from the app's code (history.RowFilter). */
const PASSES = {
  all: () => true,
  ours: (r) => r.class !== 'foreign',
  requests: (r) => r.kind === 'send' && r.class !== 'foreign',
  replies: (r) => r.kind === 'reply' && r.class !== 'foreign',
  problems: (r) => r.kind === 'loss' || ['late', 'duplicate', 'out-of-order', 'corrupt', 'icmp-error'].includes(r.class),
  foreign: (r) => r.class === 'foreign',
};

const isRoot = process.getuid?.() === 0;
let app;
let dataDir;
let host;

before(async () => {
  dataDir = dataDirForTest('filters');
  const out = execFileSync('go', ['run', './backend/history/cmd/echoscope-seed', '-dir', dataDir, '-packets', String(SEED.rows), '-loss-every', String(SEED.lossEvery), '-target', SEED.target], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(JSON.parse(out).rows, SEED.rows);
  app = await startApp({ dataDir });
});

after(async () => {
  await app?.stop();
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The table's rendered rows: session number, kind, class, the # cell and the classification's words. */
function tableRows() {
  return [...document.querySelectorAll('[data-testid="packet-table"] [role="row"][data-kind]')].map((el) => ({
    n: Number(el.dataset.row),
    kind: el.dataset.kind,
    class: el.dataset.class,
    number: el.querySelector('.c-n')?.textContent?.trim(),
    word: el.querySelector('.c-class')?.textContent?.trim(),
    selected: el.getAttribute('aria-selected') === 'true',
  }));
}

const text = (testid) => document.querySelector(`[data-testid="${testid}"]`)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** Polls the table until check(rows) holds; returns the rows. */
async function rowsWhen(engine, what, check) {
  return waitUntil(async () => {
    const rows = await engine.evaluate(tableRows);
    return check(rows) ? rows : null;
  }, `${what} (${engine.name})`);
}

async function filtersRun(engine) {
  // Tall enough for the table to hold all 21 rows (the layout tests check the small sizes).
  await engine.setViewport(1400, 1300);
  await engine.goto(app.url);
  await waitInPage(engine, () => /engine: (?!checking)/.test(document.querySelector('[data-testid="engine-badge"]')?.textContent ?? ''), undefined, 'the app rendered');
  await engine.click('[role="tab"][aria-controls="view-history"]');
  await engine.click(`button[aria-label="Open the session to ${SEED.target}"]`);

  // The default view: every row but the foreign one, which the notice counts.
  await waitInPage(engine, () => /^1 packet from other programs hidden — show$/.test(document.querySelector('[data-testid="foreign-notice"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? ''), undefined, 'the hidden foreign count');
  await rowsWhen(engine, 'the default view without the foreign row', (rows) => rows.length === 20 && rows.every((r) => r.class !== 'foreign'));
  assert.equal(await engine.evaluate(text, 'row-count'), '20 rows');
  assert.equal(await engine.evaluate(() => document.querySelector('[data-filter="all"] input')?.checked), true, 'All is the default filter');

  // Shown: all 21 rows, numbered 0..20; the notice offers to hide them again.
  await engine.click('[data-testid="foreign-toggle"]');
  await rowsWhen(engine, 'every row', (rows) => rows.length === 21);
  const all = await engine.evaluate(tableRows);
  assert.deepEqual(all.map((r) => r.n), [...Array(21).keys()], 'the whole session, in order');
  assert.deepEqual(all.map((r) => r.number), all.map((r) => String(r.n)), 'the # column is the session row number');
  assert.equal(await engine.evaluate(text, 'foreign-notice'), '1 packet from other programs shown — hide');
  assert.equal(await engine.evaluate(text, 'row-count'), '21 rows');
  const counts = Object.fromEntries(Object.entries(PASSES).map(([f, pass]) => [f, all.filter(pass).length]));
  // The seeded session has some of each (else the checks below would prove little).
  assert.ok(counts.requests === 10 && counts.replies >= 5 && counts.problems >= 3 && counts.foreign === 1, JSON.stringify(counts));

  // The classification's words (the icon before them has no text of its own to rely on).
  const words = { requests: /\bsent$/, replies: /\b(on time|out of order|late|duplicate|corrupt)$/, problems: /\b(lost|out of order|late|duplicate|corrupt|ICMP error)$/, foreign: /\bforeign$/ };
  for (const filter of ['requests', 'replies', 'problems', 'foreign']) {
    await engine.click(`[data-filter="${filter}"]`);
    const want = all.filter(PASSES[filter]);
    const got = await rowsWhen(engine, `the ${filter} rows`, (rows) => rows.length === want.length && rows.every((r, i) => r.n === want[i].n));
    assert.deepEqual(got.map((r) => r.n), want.map((r) => r.n), `${filter}: the rows of the session that pass, with their numbers`);
    for (const r of got) {
      assert.equal(r.number, String(r.n), `${filter}: row ${r.n}'s # cell`);
      assert.match(r.word, words[filter], `${filter}: row ${r.n} says "${r.word}"`);
    }
    assert.equal(await engine.evaluate(text, 'row-count'), `${want.length} of 21 rows`);
    assert.equal(await engine.evaluate(() => !!document.querySelector('[data-testid="foreign-notice"]')), false, `${filter}: no foreign notice`);
  }

  // The keyboard: the filters are radio buttons, the arrows move between them.
  await engine.evaluate(() => document.querySelector('[data-filter="requests"] input').focus());
  await engine.press('ArrowRight');
  await rowsWhen(engine, 'replies by the keyboard', (rows) => rows.length === counts.replies && rows.every((r) => r.kind === 'reply'));
  assert.equal(await engine.evaluate(() => document.querySelector('[data-filter="replies"] input')?.checked), true);

  // The table's keyboard under a filter: Home selects the first reply, by its session number,
  // and the inspector names the same row.
  const replies = all.filter(PASSES.replies);
  await engine.evaluate(() => document.querySelector('[data-testid="packet-table"]').focus());
  await engine.press('Home');
  await waitInPage(engine, (n) => document.querySelector(`[role="row"][data-row="${n}"]`)?.getAttribute('aria-selected') === 'true', replies[0].n, 'the first reply selected');
  await waitInPage(engine, (n) => new RegExp(`^Row ${n}\\b`).test(document.querySelector('[data-testid="inspector-row"]')?.textContent?.trim() ?? ''), replies[0].n, 'the inspector on the first reply');
  await engine.press('ArrowDown');
  await waitInPage(engine, (n) => document.querySelector(`[role="row"][data-row="${n}"]`)?.getAttribute('aria-selected') === 'true', replies[1].n, 'ArrowDown: the second reply');
  await waitInPage(engine, (n) => new RegExp(`^Row ${n}\\b`).test(document.querySelector('[data-testid="inspector-row"]')?.textContent?.trim() ?? ''), replies[1].n, 'the inspector on the second reply');

  // A filter that hides the selected row says so; the inspector stays on it.
  await engine.click('[data-filter="requests"]');
  await waitInPage(engine, (n) => document.querySelector('[data-testid="selection-hidden"]')?.textContent?.trim() === `row ${n} (selected) is not in this filter`, replies[1].n, 'the hidden selection noted');

  // Back to All: the foreign row is still shown (the choice holds), then hidden again.
  await engine.click('[data-filter="all"]');
  await rowsWhen(engine, 'every row again', (rows) => rows.length === 21);
  await engine.click('[data-testid="foreign-toggle"]');
  await rowsWhen(engine, 'the foreign row hidden again', (rows) => rows.length === 20 && rows.every((r) => r.class !== 'foreign'));
  assert.equal(await engine.evaluate(text, 'foreign-notice'), '1 packet from other programs hidden — show');
}

describe('packet table filters in Chromium and WebKitGTK', () => {
  it('Chromium: each filter lists its rows with their numbers; foreign hidden by default and counted', async () => {
    await filtersRun(await chromiumEngine(app.page));
    assert.deepEqual(app.pageErrors, []);
  });

  it('Chromium, live: replies that are not ours (other identifiers) are hidden as they come, and counted', { skip: !isRoot && 'needs root (raw sockets, a namespaced test host)' }, async () => {
    host = await startTestHost(['-fault', 'foreign-flood', '-flood', '2']);
    const engine = await chromiumEngine(app.page);
    await engine.setViewport(1400, 1300);
    const count = 5;
    // Foreign replies come first, two per request: 10 foreign rows, 5 requests, 5 replies.
    await ping(app.page, { target: host.host.peerV4, count, intervalMs: 50, timeoutMs: 1000 });
    await waitInPage(engine, (n) => document.querySelector('[data-testid="foreign-notice"]')?.textContent?.replace(/\s+/g, ' ').trim() === `${n} packets from other programs hidden — show`, 2 * count, 'the hidden count after the run');
    const ours = await rowsWhen(engine, 'the live table without foreign rows', (rows) => rows.length === 2 * count);
    assert.ok(ours.every((r) => r.class !== 'foreign'), JSON.stringify(ours));
    assert.equal(await engine.evaluate(text, 'row-count'), `${2 * count} rows`);
    await engine.click('[data-filter="foreign"]');
    const foreign = await rowsWhen(engine, 'the foreign rows', (rows) => rows.length === 2 * count);
    assert.ok(foreign.every((r) => r.class === 'foreign'), JSON.stringify(foreign));
    assert.equal(await engine.evaluate(text, 'row-count'), `${2 * count} of ${4 * count} rows`);
    // Numbered in the session: the foreign rows sit between the requests and their replies.
    const all = [...ours, ...foreign].map((r) => r.n).sort((a, b) => a - b);
    assert.deepEqual(all, [...Array(4 * count).keys()], 'ours and foreign together are the session, numbered once');
    await engine.click('[data-filter="all"]');
    assert.deepEqual(app.pageErrors, []);
  });

  it('WebKitGTK: the same', { skip: webkitMissing() ?? false }, async () => {
    const engine = await openWebKit();
    try {
      await filtersRun(engine);
    } finally {
      await engine.close();
    }
  });
});
