// The Monitor view in both engines (Chromium through Playwright, WebKitGTK through
// WebKitWebDriver): a monitor of two namespaced test hosts, one answering (the kernel) and
// one silent (its responder drops every request), typed in the targets box; the rows' words
// and numbers, a legend entry toggled, a target selected and one of its packets opened in the
// inspector, the layout at the three window sizes (and axe-core in Chromium), and the monitor
// reopened from History.
// Root only (test hosts).

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromiumEngine } from './engines/chromium.mjs';
import { waitInPage } from './engines/common.mjs';
import { openWebKit, webkitMissing } from './engines/webkit.mjs';
import { artifactsDir, startApp } from './harness.mjs';
import { layoutProblems, settled } from './layout-checks.mjs';
import { startTestHost } from './ping-helpers.mjs';

const isRoot = process.getuid?.() === 0;
const COUNT = 4;
const SIZES = [
  [900, 700],
  [1280, 820],
  [1920, 1080],
];

let app;
const hosts = [];
let answering = '';
let silent = '';

before(async () => {
  if (!isRoot) return;
  mkdirSync(artifactsDir, { recursive: true });
  app = await startApp();
  const a = await startTestHost([]);
  hosts.push(a);
  const s = await startTestHost(['-fault', 'drop']);
  hosts.push(s);
  answering = a.host.peerV4;
  silent = s.host.peerV4;
});

after(async () => {
  await app?.stop();
  for (const h of hosts) await h.stop();
});

/** Each row's words and numbers, by target. */
function rowsOf() {
  const out = {};
  for (const tr of document.querySelectorAll('[data-testid="monitor-row"]')) {
    const cell = (id) => tr.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? '';
    out[tr.getAttribute('data-target')] = { status: cell('monitor-status'), sent: cell('monitor-sent'), received: cell('monitor-received'), loss: cell('monitor-loss'), median: cell('monitor-median') };
  }
  return out;
}

function checkRows(rows, what) {
  assert.deepEqual(Object.keys(rows).sort(), [answering, silent].sort(), `${what}: one row per target`);
  const a = rows[answering];
  const s = rows[silent];
  assert.deepEqual([a.status, a.sent, a.received, a.loss], ['alive', String(COUNT), String(COUNT), '0 %'], `${what}: the answering host's row`);
  assert.match(a.median, /^\d+(\.\d+)?$/, `${what}: the answering host's median RTT`);
  assert.deepEqual([s.status, s.sent, s.received, s.loss, s.median], ['unreachable', String(COUNT), '0', '100 %', '–'], `${what}: the silent host's row`);
}

/** The layout at every size (nothing cut, nothing scrolls but panes), with a screenshot each. */
async function checkSizes(engine, what, shot) {
  const found = [];
  for (const [w, h] of SIZES) {
    await engine.setViewport(w, h);
    await engine.evaluate(settled);
    for (const p of await engine.evaluate(layoutProblems)) found.push(`${engine.name} ${w}x${h} ${what}: ${p}`);
    await engine.screenshot(join(artifactsDir, `${engine.name}-${shot}-${w}x${h}.png`));
  }
  await engine.setViewport(1280, 820);
  assert.deepEqual(found, [], `${found.length} layout problems:\n${found.join('\n')}`);
}

/** Serious and critical axe-core violations on the page as it is (Chromium's page), one line each. */
async function seriousViolations(page) {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`);
}

async function monitorRun(engine, { axe, loadFile } = {}) {
  await engine.setViewport(1280, 820);
  await engine.goto(app.url);
  await waitInPage(engine, () => !!document.querySelector('[role="tab"][aria-controls="view-monitor"]'), undefined, 'the app rendered');
  // Alt+6 opens the Monitor view (keyboard), then the form is filled by typing.
  await engine.press('Alt', '6');
  await waitInPage(engine, () => !!document.querySelector('[data-testid="monitor-targets"]'), undefined, 'Alt+6: the Monitor view');
  // A file of targets (fping -f style: one a line, '#' comments) joins the list.
  if (loadFile) {
    await loadFile('# two hosts\n192.0.2.10\n192.0.2.11 # the second\n');
    await waitInPage(engine, () => document.querySelector('[data-testid="monitor-targets"]')?.value === '# two hosts\n192.0.2.10\n192.0.2.11 # the second\n', undefined, 'the file in the list');
    await engine.evaluate(() => {
      const box = document.querySelector('[data-testid="monitor-targets"]');
      box.value = '';
      box.dispatchEvent(new Event('input', { bubbles: true }));
    });
  }
  // A CIDR block is expanded only after its count is confirmed.
  await engine.click('[data-testid="monitor-targets"]');
  await engine.type('192.0.2.0/29');
  await engine.click('[data-testid="monitor-check"]');
  await waitInPage(engine, () => /192\.0\.2\.0\/29: 6 addresses to add/.test(document.querySelector('[data-testid="cidr-confirm"]')?.textContent ?? ''), undefined, 'the count of the block to confirm');
  await engine.click('[data-testid="cidr-confirm"] button.primary');
  await waitInPage(engine, () => document.querySelector('[data-testid="monitor-targets"]')?.value === '192.0.2.1\n192.0.2.2\n192.0.2.3\n192.0.2.4\n192.0.2.5\n192.0.2.6', undefined, 'the block expanded to its 6 hosts');
  await engine.evaluate(() => document.querySelector('[data-testid="monitor-targets"]').select());
  await engine.type(`${answering}, ${silent}`);
  for (const [id, value] of [['monitor-count', COUNT], ['monitor-interval', 100], ['monitor-timeout', 300]]) {
    await engine.evaluate((sel) => document.querySelector(sel).select(), `[data-testid="${id}"]`);
    await engine.type(String(value));
  }
  await engine.click('[data-testid="monitor-start"]');
  await waitInPage(engine, () => /done/.test(document.querySelector('[data-testid="monitor-state"]')?.textContent ?? ''), undefined, 'the monitor done');
  checkRows(await engine.evaluate(rowsOf), 'live');

  // The legend: the answering host's line goes and comes back.
  const lines = () => document.querySelectorAll('[data-testid="monitor-line"]').length;
  assert.ok((await engine.evaluate(lines)) > 0, 'the answering host has a line in the chart');
  const entry = `[data-testid="legend-entry"][data-target="${answering}"]`;
  await engine.click(entry);
  await waitInPage(engine, (sel) => document.querySelector(sel)?.getAttribute('aria-pressed') === 'false' && document.querySelectorAll('[data-testid="monitor-line"]').length === 0, entry, 'the line hidden');
  await engine.click(entry);
  await waitInPage(engine, (sel) => document.querySelector(sel)?.getAttribute('aria-pressed') === 'true' && document.querySelectorAll('[data-testid="monitor-line"]').length > 0, entry, 'the line back');

  // A target selected: its own packets (requests and replies), and a reply in the inspector.
  await engine.click(`[data-testid="monitor-row"][data-target="${answering}"] button`);
  await waitInPage(engine, () => document.querySelectorAll('[role="row"][data-kind="reply"]').length > 0, undefined, "the answering host's packets");
  const kinds = await engine.evaluate(() => [...new Set([...document.querySelectorAll('[role="row"][data-kind]')].map((r) => r.getAttribute('data-kind')))].sort());
  assert.deepEqual(kinds, ['reply', 'send'], 'only its requests and replies');
  await engine.click('[role="row"][data-kind="reply"]');
  await waitInPage(engine, () => /Row \d+/.test(document.querySelector('[data-testid="inspector-row"]')?.textContent ?? '') && !!document.querySelector('[data-testid="packet-inspector"] table'), undefined, 'the inspector on a reply');
  await checkSizes(engine, 'monitor with the inspector', 'monitor');
  if (axe) assert.deepEqual(await axe(), [], 'axe-core: the Monitor view with a packet open');
  await engine.press('Escape');
  await waitInPage(engine, () => !document.querySelector('[data-testid="packet-inspector"]'), undefined, 'Escape closed the inspector');

  // Reopened from History: the newest sessions are this monitor's targets.
  await engine.click('[role="tab"][aria-controls="view-history"]');
  await waitInPage(engine, () => !!document.querySelector('[data-testid="open-monitor"]'), undefined, 'History lists the monitor');
  await checkSizes(engine, 'history with monitor sessions', 'history-monitor');
  await engine.click('[data-testid="open-monitor"]');
  await waitInPage(engine, () => document.querySelector('[aria-controls="view-monitor"]')?.getAttribute('aria-selected') === 'true' && /recorded/.test(document.querySelector('[data-testid="monitor-state"]')?.textContent ?? ''), undefined, 'the monitor reopened (recorded)');
  checkRows(await engine.evaluate(rowsOf), 'reopened');
}

describe('Monitor view in Chromium and WebKitGTK', { skip: !isRoot && 'needs root (namespaced test hosts)' }, () => {
  it('Chromium: a monitor of an answering and a silent host', async () => {
    await monitorRun(await chromiumEngine(app.page), {
      axe: () => seriousViolations(app.page),
      loadFile: (text) => app.page.setInputFiles('[data-testid="monitor-file"]', { name: 'targets.txt', mimeType: 'text/plain', buffer: Buffer.from(text) }),
    });
    assert.deepEqual(app.pageErrors, []);
  });

  it('WebKitGTK: a monitor of an answering and a silent host', { skip: webkitMissing() ?? false }, async () => {
    const engine = await openWebKit();
    try {
      await monitorRun(engine);
    } finally {
      await engine.close();
    }
  });
});
