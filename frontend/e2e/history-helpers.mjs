// Helpers for the History end-to-end tests: the History tab, its rows, opening a session in
// the Ping view, the stats a card shows, a data directory of one's own.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PING_WAIT, ping } from './ping-helpers.mjs';

export const UI_WAIT = PING_WAIT;

/** A fresh ECHOSCOPE_DATA_DIR that outlives app restarts (the caller removes it). */
export function dataDirForTest(name) {
  return mkdtempSync(join(tmpdir(), `echoscope-e2e-${name}-`));
}

export async function showHistory(page) {
  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByRole('region', { name: 'History' }).waitFor(UI_WAIT);
}

/** The History row locators, newest first. */
export function sessionRows(page) {
  return page.locator('[data-testid="session-list"] [role="row"][data-session]');
}

/** The texts of one History row's cells, by test id. */
export async function sessionRowFacts(row) {
  const text = async (id) => (await row.getByTestId(id).textContent()).trim();
  return {
    target: await text('session-target'),
    counts: await text('session-counts'),
    loss: await text('session-loss'),
    median: await text('session-median'),
    packets: Number((await text('session-packets')).replace(/\s/g, '')),
    badges: await row.locator('[data-badge]').allTextContents(),
  };
}

/** Types into the History search box; waits until the list says what it matched. */
export async function searchHistory(page, query) {
  await page.getByRole('searchbox', { name: 'Search sessions' }).fill(query);
  const q = query.trim();
  const want = q ? new RegExp(`matching “${q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}”`) : /^\s*\d+ sessions?\s*$/;
  await page.getByTestId('session-count').filter({ hasText: want }).waitFor(UI_WAIT);
}

/** Opens a History row with its Open button and waits for the Ping view's strip. */
export async function openSessionRow(row, page) {
  await row.getByRole('button', { name: /^Open the session/ }).click();
  await page.getByTestId('session-strip').waitFor(UI_WAIT);
}

/**
 * The rows of the session shown in the Ping view: the table's row count plus the packets of
 * other programs its default view hides ("3 packets from other programs hidden — show").
 * Returns { table, hidden, total }.
 */
export async function tableRowCounts(page) {
  const table = Number((await page.getByTestId('row-count').textContent()).match(/\d+/)[0]);
  const notice = page.getByTestId('foreign-notice');
  const hidden = (await notice.count()) && /hidden/.test(await notice.textContent()) ? Number((await notice.textContent()).match(/\d+/)[0]) : 0;
  return { table, hidden, total: table + hidden };
}

/** A statistics card's value ("5", "0 %"), thin spaces removed. */
export async function statText(page, key) {
  return (await page.getByTestId(`stat-${key}`).textContent()).replace(/\u2009/g, '').trim();
}

/**
 * Pings target count times and waits until that session is over: its own sent count shown and
 * the state done (an earlier session's "done" does not count).
 */
export async function pingSession(page, target, count, { intervalMs = 100 } = {}) {
  await ping(page, { target, count, intervalMs, timeoutMs: 1000, wait: false });
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="stat-sent"]')?.textContent?.replace(/\u2009/g, '').trim() === String(n) && /^\s*done\s*$/.test(document.querySelector('[data-testid="ping-state"]')?.textContent ?? ''),
    count,
    UI_WAIT,
  );
}

/** The export/import result in the view on screen (Ping and History each have one). */
export function shownNotice(page) {
  return page.getByTestId('history-notice').filter({ visible: true });
}

/** The Matching view's comparison row for `what` ("Source address", "session token"): its cells joined by " | ". */
export async function comparisonText(inspector, what) {
  const row = inspector.getByTestId('match-comparisons').locator('tr').filter({ has: inspector.page().locator('th', { hasText: new RegExp(`^${what}$`) }) });
  const cells = await row.locator('th, td').allTextContents();
  return cells.map((c) => c.replace(/\s+/g, ' ').trim()).join(' | ');
}

/** The RTT chart's x range in seconds, as uPlot set it (the axis itself is canvas). */
export async function chartXRange(page) {
  const chart = page.getByTestId('rtt-chart');
  await chart.and(page.locator('[data-x-max]')).waitFor(UI_WAIT);
  return { min: Number(await chart.getAttribute('data-x-min')), max: Number(await chart.getAttribute('data-x-max')) };
}

/**
 * How the statistics cards show their numbers at the current window size: for each card, its
 * number boxes and whether any is cut off (outside the card, or the value overflowing its
 * box, which is where an ellipsis would hide it), and whether its label is cut off.
 */
export async function statCardsLayout(page) {
  return page.getByRole('region', { name: 'Statistics' }).evaluate((section) =>
    [...section.querySelectorAll('[data-stat]')].map((card) => {
      const box = card.getBoundingClientRect();
      const value = card.querySelector('[data-testid^="stat-"]');
      const nums = [...value.querySelectorAll('.num, .unit')].map((n) => {
        const r = n.getBoundingClientRect();
        return { text: n.textContent, inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 };
      });
      const label = card.querySelector('.label');
      return {
        key: card.dataset.stat,
        nums,
        cut: value.scrollWidth > value.clientWidth + 1 || nums.some((n) => !n.inside),
        labelCut: label.scrollWidth > label.clientWidth + 1,
      };
    }),
  );
}
