// End to end through the real app: History (issue 5). Sessions survive a restart and reopen
// in the same views as live; a million-row session scrolls to its end and middle; captures
// import (and a corrupt one is refused in words); a pcapng exported from the window is read
// by tshark; a read-only data directory gives a banner while pinging goes on. Native file
// dialogs are answered with xdotool on the app's Xvfb display. Each test has its own
// ECHOSCOPE_DATA_DIR. Root only (raw ICMP sockets, tmpfs mounts). Run: npm run e2e.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { answerFileDialog, cancelFileDialog } from './dialogs.mjs';
import { artifactsDir, repoRoot, startApp } from './harness.mjs';
import { setOptions } from './ping-helpers.mjs';
import { chartXRange, comparisonText, dataDirForTest, openSessionRow, pingSession, statCardsLayout, searchHistory, shownNotice, sessionRowFacts, sessionRows, showHistory, statText, tableRowCounts, UI_WAIT } from './history-helpers.mjs';

const isRoot = process.getuid?.() === 0;
// Screenshots go to build/test-artifacts (a test run never changes tracked files; `make
// screenshots` copies them into docs/screenshots).
const screenshots = artifactsDir;
const fixtures = join(repoRoot, 'backend', 'capture', 'testdata');
// Titles of the backend's file dialogs (backend/service history_export.go, history_import.go).
const EXPORT_DIALOG = /^Export session/;
const IMPORT_DIALOG = /^Import a capture/;

/**
 * Captures loopback ICMP echo with dumpcap (pcap format, as tcpdump writes it) while iputils
 * ping sends count requests to 127.0.0.1, the way a person makes a capture to import.
 */
async function captureLoopbackPing(file, count) {
  // Only iputils' packets: its payload size (-s 77, an IP total length of 105 bytes) is one no
  // other ping on this machine's loopback uses by default (Echoscope and ping send 56), so a
  // session of someone else's pinging 127.0.0.1 at the same time stays out of the capture.
  const filter = '(icmp[icmptype] == icmp-echo or icmp[icmptype] == icmp-echoreply) and ip[2:2] == 105';
  const dumpcap = spawn('dumpcap', ['-q', '-i', 'lo', '-P', '-f', filter, '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  dumpcap.stderr.on('data', (c) => (err += c));
  try {
    // dumpcap says "Capturing on" once the filter is installed; only then ping.
    const start = Date.now();
    while (!err.includes('Capturing on')) {
      if (dumpcap.exitCode !== null) throw new Error(`dumpcap exited ${dumpcap.exitCode}: ${err}`);
      if (Date.now() - start > 30_000) throw new Error(`dumpcap did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    execFileSync('ping', ['-n', '-q', '-s', '77', '-c', String(count), '-i', '0.2', '127.0.0.1'], { stdio: 'ignore' });
  } finally {
    dumpcap.kill('SIGINT');
    await new Promise((r) => (dumpcap.exitCode !== null ? r() : dumpcap.once('exit', r)));
  }
}

/** Runs body with an app on dataDir, stopping the app whatever happens. */
async function withApp(dataDir, body, options = {}) {
  const app = await startApp({ dataDir, ...options });
  try {
    await app.page.getByTestId('engine-badge').filter({ hasText: /engine: (?!checking)/ }).waitFor(UI_WAIT);
    await body(app);
    assert.deepEqual(app.pageErrors, [], 'no uncaught errors in the page');
  } catch (err) {
    // What the app printed (a Go panic, a GTK warning) says why a step failed when the app
    // or its X server went away under the test.
    console.error(`app log (last 20 kB):\n${app.appLog()}`);
    throw err;
  } finally {
    await app.stop();
  }
}

describe('Echoscope history', { skip: !isRoot && 'needs root (raw ICMP sockets, tmpfs mounts)' }, () => {
  it('keeps sessions across restarts: listed with their numbers, reopened as live, searched, deleted for good', async () => {
    mkdirSync(screenshots, { recursive: true });
    const dir = dataDirForTest('restart');
    try {
      const live = {};
      await withApp(dir, async ({ page }) => {
        await pingSession(page, 'localhost', 3);
        await pingSession(page, '127.0.0.1', 5);
        live.sent = await statText(page, 'sent');
        live.received = await statText(page, 'received');
        live.loss = await statText(page, 'loss');
        // Rows of the session: the table's and the other programs' packets it hides by default.
        live.rows = await tableRowCounts(page);
      });
      assert.equal(live.sent, '5');

      await withApp(dir, async ({ page }) => {
        await showHistory(page);
        const rows = sessionRows(page);
        await rows.nth(1).waitFor(UI_WAIT);
        assert.equal(await rows.count(), 2);
        const newest = await sessionRowFacts(rows.first());
        assert.equal(newest.target, '127.0.0.1', 'newest first');
        assert.equal(newest.counts, `${live.sent} / ${live.received}`);
        assert.equal(newest.loss, live.loss, JSON.stringify({ live, newest }));
        assert.match(newest.median, /^[\d.]+ ms$/);
        assert.equal(newest.packets, live.rows.total, 'every row stored');
        assert.deepEqual(newest.badges, []);
        assert.match((await sessionRowFacts(rows.nth(1))).target, /^localhost/);
        // Only the top of the window: the list is short and the rest would be empty.
        const hint = await page.getByText(/Enter opens in the Ping view/).boundingBox();
        await page.screenshot({ path: join(screenshots, 'e2e-history-list.png'), clip: { x: 0, y: 0, width: 1360, height: Math.ceil(hint.y + hint.height + 16) } });

        // Reopen with the keyboard: the same chart, cards, table and inspector as live.
        await page.getByTestId('session-list').focus();
        await page.keyboard.press('Home');
        await page.keyboard.press('Enter');
        const strip = page.getByTestId('session-strip');
        await strip.waitFor(UI_WAIT);
        assert.match(await page.getByTestId('session-caption').textContent(), /^Recorded \d{4}-\d\d-\d\d \d\d:\d\d:\d\d · [\d.]+ (ms|s)$/);
        assert.equal(await statText(page, 'sent'), live.sent);
        assert.equal(await statText(page, 'received'), live.received);
        await page.getByTestId('row-count').filter({ hasText: new RegExp(`^${live.rows.table} rows`) }).waitFor(UI_WAIT);
        assert.deepEqual(await tableRowCounts(page), live.rows);
        const chartPoints = await page.evaluate(() => globalThis.echoscopePing.counters().chartPoints);
        assert.ok(chartPoints >= Number(live.received), `chart has ${chartPoints} points`);
        // 5 pings 100 ms apart: the x axis spans them, not a default 100 s window.
        const x = await chartXRange(page);
        assert.ok(x.min >= 0 && x.max > 0.2 && x.max < 2, `x range ${JSON.stringify(x)}`);
        // The four RTT numbers are readable at the app's default window and its minimum width.
        for (const size of [{ width: 1280, height: 820 }, { width: 900, height: 820 }]) {
          await page.setViewportSize(size);
          await page.waitForFunction((w) => innerWidth === w, size.width);
          const cards = await statCardsLayout(page);
          const rtt = cards.find((c) => c.key === 'rtt');
          assert.equal(rtt.nums.filter((n) => n.text !== ' ms').length, 4, JSON.stringify(rtt));
          assert.deepEqual(cards.filter((c) => c.cut), [], `numbers cut off at ${size.width} px`);
          assert.deepEqual(cards.filter((c) => c.labelCut).map((c) => c.key), [], `labels cut off at ${size.width} px`);
          await page.getByRole('region', { name: 'Statistics' }).screenshot({ path: join(artifactsDir, `e2e-history-stats-${size.width}.png`) });
        }
        await page.setViewportSize({ width: 1360, height: 900 });
        const reply = page.locator('[role="row"][data-kind="reply"][data-class="on-time"]').first();
        await reply.waitFor(UI_WAIT);
        await reply.click();
        const inspector = page.getByRole('region', { name: 'Packet inspector' });
        await inspector.getByTestId('match-headline').waitFor(UI_WAIT);
        assert.match(await inspector.getByTestId('inspector-row').textContent(), /reply received/);
        assert.match(await inspector.getByTestId('match-class').textContent(), /on time/);
        assert.match(await inspector.textContent(), /Echo Reply[\s\S]*Request sent/);
        await page.screenshot({ path: join(screenshots, 'e2e-history-reopened.png') });

        // Back to live pinging: the Start form, empty.
        await page.getByTestId('back-to-live').click();
        await page.getByTestId('session-strip').waitFor({ state: 'detached', ...UI_WAIT });
        assert.match(await page.getByTestId('row-count').textContent(), /^0 rows/);

        // Search (on the server): by name, then nothing.
        await showHistory(page);
        await searchHistory(page, 'localhost');
        assert.equal(await sessionRows(page).count(), 1);
        assert.match((await sessionRowFacts(sessionRows(page).first())).target, /^localhost/);
        await searchHistory(page, 'no-such-target');
        await page.getByTestId('history-empty').filter({ hasText: 'No session matches' }).waitFor(UI_WAIT);
        await searchHistory(page, '');
        await rows.nth(1).waitFor(UI_WAIT);

        // Delete asks first, in the page: Escape keeps the session, Delete removes it.
        await page.getByTestId('session-list').focus();
        await page.keyboard.press('Home');
        await page.keyboard.press('Delete');
        const confirm = page.getByTestId('delete-confirm');
        await confirm.waitFor(UI_WAIT);
        assert.match(await confirm.textContent(), /127\.0\.0\.1.*packets\. This cannot be undone/);
        await page.keyboard.press('Escape');
        await confirm.waitFor({ state: 'detached', ...UI_WAIT });
        assert.equal(await rows.count(), 2);
        await rows.first().getByRole('button', { name: /^Delete the session/ }).click();
        await confirm.getByRole('button', { name: 'Delete' }).click();
        await page.locator('[data-testid="session-list"] [data-session]').nth(1).waitFor({ state: 'detached', ...UI_WAIT });
        assert.equal(await rows.count(), 1);
      });

      await withApp(dir, async ({ page }) => {
        await showHistory(page);
        await sessionRows(page).first().waitFor(UI_WAIT);
        await page.getByTestId('session-count').filter({ hasText: /^\s*1 session\s*$/ }).waitFor(UI_WAIT);
        assert.match((await sessionRowFacts(sessionRows(page).first())).target, /^localhost/, 'the deleted session stays deleted');
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reopens a million-row session and scrolls to its end and its middle', async () => {
    const dir = dataDirForTest('million');
    try {
      const seedStart = Date.now();
      const out = execFileSync('go', ['run', './backend/history/cmd/echoscope-seed', '-dir', dir, '-packets', '1000000'], { cwd: repoRoot, encoding: 'utf8' });
      const seeded = JSON.parse(out);
      const seedMs = Date.now() - seedStart;
      assert.equal(seeded.rows, 1_000_000);
      await withApp(dir, async ({ page }) => {
        await showHistory(page);
        const row = sessionRows(page).first();
        await row.waitFor(UI_WAIT);
        assert.equal((await sessionRowFacts(row)).packets, 1_000_000);
        const openStart = Date.now();
        await openSessionRow(row, page);
        await page.getByTestId('row-count').filter({ hasText: /^1000000 rows/ }).waitFor(UI_WAIT);
        await page.locator('[role="row"][data-row="0"][data-kind]').waitFor(UI_WAIT);
        const openMs = Date.now() - openStart;
        console.log(`# million rows: seeding took ${seedMs} ms (go run included), opening until row 0 showed ${openMs} ms`);

        // End: the last row renders, is selected and opens in the inspector.
        const table = page.getByTestId('packet-table');
        await table.focus();
        await page.keyboard.press('End');
        const last = page.locator('[role="row"][data-row="999999"][aria-selected="true"]');
        await last.waitFor(UI_WAIT);
        await page.locator('[role="row"][data-row="999999"][data-kind]').waitFor(UI_WAIT);
        assert.equal((await last.locator('.c-n').textContent()).trim(), '999999');
        const nearEnd = page.locator('[role="row"][data-row="999990"][data-kind]');
        await nearEnd.click();
        const inspector = page.getByRole('region', { name: 'Packet inspector' });
        await inspector.getByTestId('inspector-row').filter({ hasText: /^Row 999990 · / }).waitFor(UI_WAIT);

        // The middle: half the scroll range shows rows around 500 000, loaded from the store.
        await page.evaluate(() => {
          const viewport = document.querySelector('[data-testid="packet-table"] .viewport');
          viewport.scrollTop = (viewport.scrollHeight - viewport.clientHeight) / 2;
        });
        await page.waitForFunction(() => {
          const rows = [...document.querySelectorAll('[data-testid="packet-table"] [role="row"][data-row]')];
          const loaded = rows.filter((r) => r.hasAttribute('data-kind'));
          return loaded.length > 5 && loaded.length === rows.length && rows.some((r) => Number(r.dataset.row) >= 499_990 && Number(r.dataset.row) <= 500_010);
        }, null, UI_WAIT);
        const shown = await page.locator('[data-testid="packet-table"] [role="row"][data-row]').evaluateAll((rows) => rows.map((r) => [Number(r.dataset.row), r.querySelector('.c-n')?.textContent?.trim(), r.querySelector('.c-type')?.textContent?.trim()]));
        for (const [n, cell, type] of shown) {
          assert.ok(n > 499_900 && n < 500_100, `row ${n} near the middle`);
          assert.equal(cell, String(n));
          assert.match(type, /Echo (Request|Reply)|No reply/);
        }
        assert.ok(shown.length < 80, 'only a window of rows is in the page');
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('imports captures through the open dialog (a pcapng fixture, a pcap dumpcap makes now) and opens them in the inspector; a corrupt file is refused in words', async () => {
    const dir = dataDirForTest('import');
    const files = dataDirForTest('import-files');
    try {
      const capture = join(files, 'loopback.pcapng');
      copyFileSync(join(fixtures, 'loopback.pcapng'), capture);
      const corrupt = join(files, 'corrupt.pcapng');
      const fresh = join(files, 'dumpcap-lo.pcap');
      writeFileSync(corrupt, Buffer.from('this is not a capture file at all, just words\n'.repeat(4)));
      await withApp(dir, async ({ page, display }) => {
        assert.ok(display, 'the app display is known');
        await showHistory(page);
        await page.getByTestId('history-empty').filter({ hasText: 'No sessions yet' }).waitFor(UI_WAIT);

        // Cancelled: nothing is said.
        await page.getByTestId('import-button').click();
        await cancelFileDialog(display, IMPORT_DIALOG);
        await page.getByTestId('import-button').and(page.locator(':not([disabled])')).waitFor(UI_WAIT);
        assert.equal(await shownNotice(page).count(), 0);

        await page.getByTestId('import-button').click();
        await answerFileDialog(display, IMPORT_DIALOG, capture);
        const notice = shownNotice(page);
        await notice.filter({ hasText: /Imported \d+ packets? from .*loopback\.pcapng/ }).waitFor(UI_WAIT);
        const row = sessionRows(page).first();
        await row.waitFor(UI_WAIT);
        const facts = await sessionRowFacts(row);
        assert.deepEqual(facts.badges, ['imported: loopback.pcapng']);
        assert.ok(facts.packets > 0);
        await openSessionRow(row, page);
        assert.equal((await page.getByTestId('session-caption').textContent()).trim(), 'Imported from loopback.pcapng');
        const reply = page.locator('[role="row"][data-kind="reply"]').first();
        await reply.waitFor(UI_WAIT);
        await reply.click();
        const inspector = page.getByRole('region', { name: 'Packet inspector' });
        await inspector.getByTestId('inspector-row').filter({ hasText: /reply received .*imported/ }).waitFor(UI_WAIT);
        assert.match(await inspector.textContent(), /Echo Reply/);
        // Its chart on the capture's time line: 10 requests over ~1.7 s, from 0.
        const x = await chartXRange(page);
        assert.ok(x.min === 0 && x.max > 1 && x.max < 3, `imported chart x range ${JSON.stringify(x)}`);
        // A reply from the address its request went to, and iputils' payload named for what it is.
        await inspector.getByTestId('match-comparisons').waitFor(UI_WAIT);
        assert.match(await comparisonText(inspector, 'Source address'), /^Source address \| (\S+) \| \1 \| = equal$/);
        const token = await comparisonText(inspector, 'session token');
        assert.match(token, /\| — \| — \| \S* ?not compared not an Echoscope request: no session token \(matched by identifier and sequence\)$/);
        assert.doesNotMatch(token, /too short/);
        await page.waitForTimeout(300); // let the codec paint before the screenshot (not an assertion)
        await page.screenshot({ path: join(screenshots, 'e2e-history-imported.png') });

        await showHistory(page);
        await page.getByTestId('import-button').click();
        await answerFileDialog(display, IMPORT_DIALOG, corrupt);
        await notice.filter({ hasText: /Import failed: .*not a pcap or pcapng file/ }).waitFor(UI_WAIT);
        assert.equal(await sessionRows(page).count(), 1, 'nothing imported from the corrupt file');

        // A capture made just now by dumpcap (pcap) while iputils ping ran.
        await captureLoopbackPing(fresh, 4);
        await page.getByTestId('import-button').click();
        await answerFileDialog(display, IMPORT_DIALOG, fresh);
        await notice.filter({ hasText: /Imported \d+ packets? from .*dumpcap-lo\.pcap/ }).waitFor(UI_WAIT);
        const newest = sessionRows(page).first();
        await newest.locator('[data-badge="imported"]').filter({ hasText: 'dumpcap-lo.pcap' }).waitFor(UI_WAIT);
        const caught = await sessionRowFacts(newest);
        assert.match(caught.target, /127\.0\.0\.1/);
        await openSessionRow(newest, page);
        // iputils ping's replies, matched by the engine's rules: on time (others' pings on
        // loopback may be in the capture too, as their own flows).
        const onTime = page.locator('[role="row"][data-kind="reply"][data-class="on-time"]').first();
        await onTime.waitFor(UI_WAIT);
        await onTime.click();
        await inspector.getByTestId('match-class').filter({ hasText: 'on time' }).waitFor(UI_WAIT);
        assert.match(await comparisonText(inspector, 'Source address'), /^Source address \| 127\.0\.0\.1 \| 127\.0\.0\.1 \| = equal$/);
        assert.match(await comparisonText(inspector, 'session token'), /not an Echoscope request/);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(files, { recursive: true, force: true });
    }
  });

  it('exports a session as pcapng through the save dialog (tshark lists every echo request and reply) and as CSV from its History row', async () => {
    const dir = dataDirForTest('export');
    const out = dataDirForTest('export-files');
    try {
      const file = join(out, 'loopback-export.pcapng');
      const csv = join(out, 'loopback-export.csv');
      await withApp(dir, async ({ page, display }) => {
        await pingSession(page, '127.0.0.1', 4);
        const sent = Number(await statText(page, 'sent'));
        const received = Number(await statText(page, 'received'));
        await page.getByRole('region', { name: 'Ping' }).getByTestId('export-button').click();
        await page.getByRole('menuitem', { name: /pcapng/ }).click();
        await answerFileDialog(display, EXPORT_DIALOG, file, { save: true });
        await shownNotice(page).filter({ hasText: /Exported \d+ packets to .*loopback-export\.pcapng \(pcapng/ }).waitFor(UI_WAIT);
        assert.ok(existsSync(file));
        // Ours: the identifier of our requests (other processes' pings on loopback are in the
        // session too, as foreign rows, and so in the export).
        const ourId = await page.evaluate(async () => {
          const ping = globalThis.go.service.PingService;
          const [newest] = await ping.Sessions('', 1);
          return (await ping.Rows(newest.id, 0, 50)).rows.find((r) => r.kind === 'send').id;
        });
        const all = execFileSync('tshark', ['-r', file, '-Y', 'icmp.type == 8 || icmp.type == 0', '-T', 'fields', '-e', 'icmp.type', '-e', 'icmp.seq', '-e', 'icmp.ident', '-e', 'icmp.checksum.status'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
          .trim()
          .split('\n')
          .map((l) => l.split('\t'));
        const lines = all.filter(([, , ident]) => Number(ident) === ourId); // "0x1c2d" or decimal
        const shown = JSON.stringify(lines.slice(0, 20));
        const requests = lines.filter(([type]) => type === '8');
        const replies = lines.filter(([type]) => type === '0');
        assert.equal(requests.length, sent, `every request exported (id ${ourId}): ${shown}`);
        assert.ok(replies.length >= received, `every reply exported (id ${ourId}): ${shown}`);
        assert.deepEqual([...new Set(requests.map(([, seq]) => seq))].length, sent, 'distinct sequence numbers');
        assert.ok(all.every(([, , , status]) => status === '1'), `checksums good: ${JSON.stringify(all.filter(([, , , st]) => st !== '1').slice(0, 10))}`);

        // The session is in History already (listed when it ended), and exports from its row too.
        // The table's rows and the other programs' packets it hides by default: the session's rows.
        const rows = (await tableRowCounts(page)).total;
        await showHistory(page);
        const row = sessionRows(page).first();
        await row.waitFor(UI_WAIT);
        const facts = await sessionRowFacts(row);
        assert.equal(facts.counts, `${sent} / ${received}`);
        assert.equal(facts.packets, rows);
        assert.deepEqual(facts.badges, []);
        await row.getByTestId('export-button').click();
        await page.getByRole('menuitem', { name: /CSV/ }).click();
        await answerFileDialog(display, EXPORT_DIALOG, csv, { save: true });
        await shownNotice(page).filter({ hasText: /Exported \d+ packets to .*loopback-export\.csv \(csv/ }).waitFor(UI_WAIT);
        const csvLines = readFileSync(csv, 'utf8').trim().split(/\r?\n/);
        assert.match(csvLines[0], /^n,kind,time,/);
        assert.equal(csvLines.length - 1, rows, 'one CSV line per table row');
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('says history is not saved on a read-only data directory, and pinging goes on', async () => {
    const dir = dataDirForTest('readonly');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir]);
    try {
      await withApp(dir, async ({ page }) => {
        const banner = page.getByTestId('storage-banner');
        await banner.waitFor(UI_WAIT);
        assert.match(await banner.textContent(), /History is not being saved\.[\s\S]*(read-only|cannot)/i);
        await pingSession(page, '127.0.0.1', 3);
        await page.locator('[role="row"][data-kind="reply"][data-class="on-time"]').first().waitFor(UI_WAIT);
        assert.equal(await statText(page, 'received'), '3');
        assert.equal(await banner.isVisible(), true, 'the banner stays');
        await page.screenshot({ path: join(artifactsDir, 'e2e-history-readonly.png') });
      });
    } finally {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says so when the disk fills during a session, pings on, and shows the rows it could not store as not stored', async () => {
    const dir = dataDirForTest('diskfull');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
    try {
      await withApp(dir, async ({ page }) => {
        // 1400-byte requests every 2 ms: the 1 MB disk fills within the first second.
        await setOptions(page, { size: 1400 });
        await pingSession(page, '127.0.0.1', 4000, { intervalMs: 2 });
        const banner = page.getByTestId('storage-banner');
        await banner.waitFor(UI_WAIT);
        assert.match(await banner.textContent(), /disk full|no space/i);
        assert.equal(await statText(page, 'sent'), '4000', 'pinging went on');

        // The page keeps the newest 4000 rows it was streamed; older ones are paged from the
        // store, which lacks the rows it refused. Find the first such row, old enough to be paged.
        const total = Number((await page.getByTestId('row-count').textContent()).match(/\d+/)[0]);
        const missing = await page.evaluate(async (total) => {
          const ping = globalThis.go.service.PingService;
          const [newest] = await ping.Sessions('', 1);
          for (let offset = 0; offset < total; offset += 200) {
            const got = new Set((await ping.Rows(newest.id, offset, 200)).rows.map((r) => r.n));
            for (let n = offset; n < Math.min(total, offset + 200); n++) if (!got.has(n)) return n;
          }
          return -1;
        }, total);
        assert.ok(missing >= 0 && missing < total - 4100, `a row refused by the store, older than the newest 4000 (row ${missing} of ${total})`);
        await page.evaluate((n) => {
          document.querySelector('[data-testid="packet-table"] .viewport').scrollTop = Math.max(0, n - 3) * 24;
        }, missing);
        const row = page.locator(`[role="row"][data-row="${missing}"][data-kind="not-stored"]`);
        await row.waitFor(UI_WAIT);
        assert.match(await row.textContent(), /not stored/);
        assert.equal(await page.getByTestId('ping-error').count(), 0, 'no error for rows that were never stored');
        await page.screenshot({ path: join(artifactsDir, 'e2e-history-diskfull.png') });
      });
    } finally {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
