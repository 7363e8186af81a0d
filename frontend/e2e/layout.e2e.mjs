// The layout in both engines: Chromium (playwright-core) and WebKitGTK, the engine of the app's
// window (WebKitWebDriver driving MiniBrowser under LANG=C), light and dark, at the minimum
// window (900x700), the default (1280x820) and a large screen (1920x1080). With the inspector
// open on a reply, an ICMP error and a lost request, without it on a session with ICMP errors,
// and on the History and Decode views: the document never scrolls (only panes do), no cell or
// label is cut, nothing sticks out of the window, the packet table shows at least 8 rows with
// the inspector open, and on a large screen its columns use the width. Sessions come from two namespaced test
// hosts (root only); both engines open them from History, through the same dev server.
// The WebKitGTK run also writes the screenshots of docs/screenshots (make screenshots).

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromiumEngine } from './engines/chromium.mjs';
import { waitInPage } from './engines/common.mjs';
import { openWebKit, webkitMissing } from './engines/webkit.mjs';
import { artifactsDir, startApp } from './harness.mjs';
import { layoutProblems, settled, tableHeaders, tableTextReach, visibleTableRows } from './layout-checks.mjs';
import { ping, startTestHost } from './ping-helpers.mjs';

const isRoot = process.getuid?.() === 0;
const SIZES = [
  [900, 700],
  [1280, 820],
  [1920, 1080],
];
const MIN_TABLE_ROWS = 8;

let app;
const hosts = [];
/** Test host addresses: one answering every other request with Destination Unreachable, one dropping every other. */
const targets = {};

before(async () => {
  if (!isRoot) return;
  mkdirSync(artifactsDir, { recursive: true });
  app = await startApp();
  const unreachable = await startTestHost(['-fault', 'unreachable', '-every', '2']);
  hosts.push(unreachable);
  const drop = await startTestHost(['-fault', 'drop', '-every', '2']);
  hosts.push(drop);
  targets.errors = unreachable.host.peerV4;
  targets.losses = drop.host.peerV4;
  await app.page.getByTestId('engine-badge').filter({ hasText: /engine: (?!checking)/ }).waitFor({ timeout: 60_000 });
  await ping(app.page, { target: targets.errors, count: 6, intervalMs: 20, timeoutMs: 500 });
  await ping(app.page, { target: targets.losses, count: 6, intervalMs: 20, timeoutMs: 300 });
});

after(async () => {
  await app?.stop();
  for (const h of hosts) await h.stop();
});

/** The page is up: the Ping view rendered and the engine known. */
async function ready(engine) {
  await waitInPage(engine, () => /engine: (?!checking)/.test(document.querySelector('[data-testid="engine-badge"]')?.textContent ?? ''), undefined, 'the app rendered');
}

async function showView(engine, view) {
  await engine.click(`[role="tab"][aria-controls="view-${view}"]`);
  await waitInPage(engine, (v) => document.querySelector(`[role="tab"][aria-controls="view-${v}"]`)?.getAttribute('aria-selected') === 'true', view, `the ${view} view`);
}

/** Opens the stored session to target from History and selects its first row of kind. */
async function inspect(engine, target, kind) {
  await showView(engine, 'history');
  await waitInPage(engine, (t) => !!document.querySelector(`button[aria-label="Open the session to ${t}"]`), target, `the session to ${target} listed`);
  await engine.click(`button[aria-label="Open the session to ${target}"]`);
  await waitInPage(engine, (k) => !!document.querySelector(`[role="row"][data-kind="${k}"]`), kind, `a ${kind} row`);
  await engine.click(`[role="row"][data-kind="${kind}"]`);
  await waitInPage(engine, () => /Row \d+/.test(document.querySelector('[data-testid="inspector-row"]')?.textContent ?? '') && !!document.querySelector('[data-testid="packet-inspector"] table'), undefined, `the inspector on a ${kind}`);
}

/** Checks the layout at every size; returns the problems found, each labelled. */
async function checkSizes(engine, what, { rows = false, shot } = {}) {
  const found = [];
  for (const [w, h] of SIZES) {
    await engine.setViewport(w, h);
    await engine.evaluate(settled);
    const label = `${engine.name} ${engine.dark ? 'dark' : 'light'} ${w}x${h} ${what}`;
    for (const p of await engine.evaluate(layoutProblems)) found.push(`${label}: ${p}`);
    if (rows) {
      const n = await engine.evaluate(visibleTableRows);
      if (n < MIN_TABLE_ROWS) found.push(`${label}: the packet table shows ${n} rows (want >= ${MIN_TABLE_ROWS})`);
    }
    if (shot) await engine.screenshot(join(artifactsDir, `${engine.name}-${shot}-${engine.dark ? 'dark' : 'light'}-${w}x${h}.png`));
  }
  return found;
}

/**
 * The packet table on a large screen uses its width: From and Note (the errors' notes) come in
 * beside the columns every size has, and the rows' text reaches across the table (the right
 * quarter was blank). The minimum window keeps the narrow set.
 */
async function wideTable(engine) {
  const found = [];
  const label = `${engine.name} ${engine.dark ? 'dark' : 'light'}`;
  await engine.setViewport(1920, 1080);
  await engine.evaluate(settled);
  const wide = await engine.evaluate(tableHeaders);
  if (!wide.includes('From') || !wide.includes('Note')) found.push(`${label} 1920x1080: the packet table's columns are ${wide.join(', ')} (want From and Note too)`);
  const reach = await engine.evaluate(tableTextReach);
  if (reach < 0.85) found.push(`${label} 1920x1080: the rows' text ends at ${Math.round(reach * 100)} % of the table's width (want >= 85 %)`);
  const chartHeight = () => document.querySelector('[data-testid="rtt-chart"] canvas')?.getBoundingClientRect().height ?? 0;
  const tallChart = await engine.evaluate(chartHeight);
  await engine.setViewport(900, 700);
  await engine.evaluate(settled);
  // The chart takes part of a tall window (chartheight.ts), not a strip as thin as the smallest window's.
  const smallChart = await engine.evaluate(chartHeight);
  if (!(tallChart >= smallChart + 100)) found.push(`${label}: the RTT chart is ${Math.round(tallChart)} px high at 1920x1080 and ${Math.round(smallChart)} px at 900x700 (want at least 100 px more in the tall window)`);
  const narrow = await engine.evaluate(tableHeaders);
  if (narrow.includes('From') || narrow.includes('Note')) found.push(`${label} 900x700: From and Note in a narrow table (${narrow.join(', ')})`);
  return found;
}

/** The keyboard in one engine: focus at launch, separator keys, whole window, Escape, shortcuts. */
async function keyboardRun(engine) {
  const focused = () => {
    const el = document.activeElement;
    return el ? (el.getAttribute('aria-label') ?? el.getAttribute('data-testid') ?? el.tagName) : '';
  };
  await engine.setViewport(1280, 820);
  await engine.goto(app.url);
  await ready(engine);
  assert.equal(await engine.evaluate(focused), 'Target', 'the Target field has the focus at launch');
  // From the Options button to the packet table in at most 3 Tab presses.
  await engine.evaluate(() => document.querySelector('[aria-controls="ping-options"]').focus());
  let tabs = 0;
  while (tabs < 3 && (await engine.evaluate(focused)) !== 'Packets') {
    await engine.press('Tab');
    tabs++;
  }
  assert.equal(await engine.evaluate(focused), 'Packets', `Options to the packet table in ${tabs} Tab presses`);

  await inspect(engine, targets.errors, 'reply');
  const separator = '[data-testid="split-separator"]';
  const now = () => engine.evaluate((sel) => Number(document.querySelector(sel)?.getAttribute('aria-valuenow')), separator);
  await engine.evaluate((sel) => document.querySelector(sel).focus(), separator);
  const before = await now();
  await engine.press('ArrowLeft');
  await waitInPage(engine, ([sel, b]) => Number(document.querySelector(sel)?.getAttribute('aria-valuenow')) === b - 2, [separator, before], 'the separator 2 % to the left');
  await engine.press('ArrowRight');
  await waitInPage(engine, ([sel, b]) => Number(document.querySelector(sel)?.getAttribute('aria-valuenow')) === b, [separator, before], 'the separator back');

  await engine.click('[data-testid="inspector-max"]');
  await waitInPage(engine, () => !!document.querySelector('.work.maximized [data-testid="packet-inspector"]'), undefined, 'the inspector over the whole window');
  assert.deepEqual(await engine.evaluate(layoutProblems), [], 'the whole-window inspector fits');
  await engine.click('[data-testid="inspector-max"]');
  await waitInPage(engine, () => !document.querySelector('.work.maximized'), undefined, 'the inspector back beside the table');

  await engine.press('Escape');
  await waitInPage(engine, () => !document.querySelector('[data-testid="packet-inspector"]'), undefined, 'Escape closed the inspector');

  // The Time column as ms since start (µs precision) and back to the clock.
  await engine.click('[data-testid="time-mode"]');
  await waitInPage(engine, () => /^\d+\.\d{3}$/.test(document.querySelector('[data-row="0"] .c-time')?.textContent ?? ''), undefined, 'the Time column in ms since start');
  assert.deepEqual(await engine.evaluate(layoutProblems), [], 'relative times fit');
  await engine.click('[data-testid="time-mode"]');
  await waitInPage(engine, () => /^\d{2}:\d{2}:\d{2}\.\d{3}$/.test(document.querySelector('[data-row="0"] .c-time')?.textContent ?? ''), undefined, 'the Time column as the clock');

  await engine.press('Alt', '4');
  await waitInPage(engine, () => document.querySelector('[aria-controls="view-history"]')?.getAttribute('aria-selected') === 'true', undefined, 'Alt+4: History');
  await engine.press('Alt', 't');
  await waitInPage(engine, () => document.activeElement?.getAttribute('data-testid') === 'packet-table', undefined, 'Alt+T: the packet table focused, on the Ping view');
  await engine.press('?');
  await waitInPage(engine, () => /Alt\+T/.test(document.querySelector('[data-testid="shortcuts"]')?.textContent ?? ''), undefined, 'the ? overlay listing the shortcuts');
  await engine.press('Escape');
  await waitInPage(engine, () => !document.querySelector('[data-testid="shortcuts"]') && document.activeElement?.getAttribute('data-testid') === 'packet-table', undefined, 'the overlay closed, focus back');

  // Enter in an option field starts: two pings to loopback, typed, not clicked (not to the
  // test hosts: a newer session to them would be the one the layout runs open).
  await engine.click('[data-testid="back-to-live"]');
  await engine.press('Alt', 'l');
  await waitInPage(engine, () => document.activeElement?.getAttribute('aria-label') === 'Target', undefined, 'Alt+L: the Target field');
  // The field holds the remembered target (the settings file): typing replaces it.
  await engine.evaluate(() => document.activeElement.select());
  await engine.type('127.0.0.1');
  await engine.click('[aria-controls="ping-options"]');
  await engine.evaluate(() => document.querySelector('#ping-options input[aria-describedby="count-help"]').select());
  await engine.type('2');
  await engine.press('Enter');
  await waitInPage(engine, () => document.querySelector('[data-testid="stat-sent"]')?.textContent?.trim() === '2' && /done/.test(document.querySelector('[data-testid="ping-state"]')?.textContent ?? ''), undefined, 'Enter in Count started two pings');
  await engine.click('[aria-controls="ping-options"]');
}

/** Every view and inspector state at every size in one engine and theme. */
async function layoutRun(engine) {
  await ready(engine);
  const found = [];
  found.push(...(await checkSizes(engine, 'ping view', { shot: 'ping' })));
  await inspect(engine, targets.errors, 'reply');
  found.push(...(await checkSizes(engine, 'inspector on a reply', { rows: true, shot: 'inspector-reply' })));
  await inspect(engine, targets.errors, 'icmp-error');
  found.push(...(await checkSizes(engine, 'inspector on an ICMP error', { rows: true, shot: 'inspector-error' })));
  await inspect(engine, targets.losses, 'loss');
  found.push(...(await checkSizes(engine, 'inspector on a lost request', { rows: true, shot: 'inspector-loss' })));
  await inspect(engine, targets.errors, 'icmp-error');
  await engine.press('Escape');
  await waitInPage(engine, () => !document.querySelector('[data-testid="packet-inspector"]'), undefined, 'the inspector closed');
  found.push(...(await checkSizes(engine, 'a session with ICMP errors, no inspector', { shot: 'table' })));
  found.push(...(await wideTable(engine)));
  await showView(engine, 'history');
  found.push(...(await checkSizes(engine, 'history', { shot: 'history' })));
  await showView(engine, 'decode');
  await waitInPage(engine, () => !!document.querySelector('[role="tabpanel"]#view-decode button'), undefined, 'the Decode view');
  found.push(...(await checkSizes(engine, 'decode', { shot: 'decode' })));
  await showView(engine, 'ping');
  return found;
}

describe('layout in Chromium and WebKitGTK', { skip: !isRoot && 'needs root (namespaced test hosts)' }, () => {
  for (const dark of [false, true]) {
    it(`Chromium, ${dark ? 'dark' : 'light'}: nothing scrolls but panes, nothing cut, >= ${MIN_TABLE_ROWS} rows`, async () => {
      const engine = await chromiumEngine(app.page, { dark });
      await engine.goto(app.url);
      const found = await layoutRun(engine);
      assert.deepEqual(found, [], `${found.length} layout problems:\n${found.join('\n')}`);
      assert.deepEqual(app.pageErrors, []);
    });
  }

  it('Chromium: keyboard', async () => {
    await keyboardRun(await chromiumEngine(app.page));
  });

  it('WebKitGTK: keyboard', { skip: webkitMissing() ?? false }, async () => {
    const engine = await openWebKit();
    try {
      await keyboardRun(engine);
    } finally {
      await engine.close();
    }
  });

  for (const dark of [false, true]) {
    it(`WebKitGTK, ${dark ? 'dark' : 'light'}, LANG=C: the page renders; nothing scrolls but panes, nothing cut`, { skip: webkitMissing() ?? false }, async () => {
      const engine = await openWebKit({ dark });
      try {
        await engine.goto(app.url);
        assert.equal(await engine.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), dark, 'GTK theme sets the colour scheme');
        const found = await layoutRun(engine);
        assert.deepEqual(found, [], `${found.length} layout problems:\n${found.join('\n')}`);
      } finally {
        await engine.close();
      }
    });
  }
});
