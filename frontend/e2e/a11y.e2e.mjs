// Accessibility of every view, checked by axe-core (injected into the real app page in
// Chromium): Ping, Ping with a reply open in the inspector, Decode, Lab, History and Path must have
// no serious or critical violation. Root only (raw sockets for the ping). Run: npm run e2e.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { startApp } from './harness.mjs';
import { PING_WAIT, pingAndSelectReply } from './ping-helpers.mjs';

const isRoot = process.getuid?.() === 0;
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let app;
let page;

before(async () => {
  app = await startApp();
  page = app.page;
  await page.getByTestId('engine-badge').filter({ hasText: /engine: (?!checking)/ }).waitFor(PING_WAIT);
  await page.addScriptTag({ path: axePath });
});

after(async () => {
  await app?.stop();
});

/** The serious and critical violations on the page as it is now, one line each (readable in a failure). */
async function seriousViolations() {
  const violations = await page.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`);
}

async function openTab(name) {
  await page.getByRole('tab', { name }).click();
  await page.getByRole('tab', { name, selected: true }).waitFor();
}

describe('accessibility (axe-core)', { skip: !isRoot && 'needs root (raw ICMP sockets)' }, () => {
  it('Ping view', async () => {
    assert.deepEqual(await seriousViolations(), []);
  });

  it('Ping view with a reply open in the inspector', async () => {
    await pingAndSelectReply(page, { target: '127.0.0.1', count: 3, intervalMs: 20 });
    await page.getByTestId('inspector-match').waitFor();
    assert.deepEqual(await seriousViolations(), []);
  });

  it('Decode view', async () => {
    await openTab('Decode');
    assert.deepEqual(await seriousViolations(), []);
  });

  it('Lab view', async () => {
    await openTab('Lab');
    assert.deepEqual(await seriousViolations(), []);
  });

  it('History view', async () => {
    await openTab('History');
    assert.deepEqual(await seriousViolations(), []);
  });

  // Found in the production window (WebKitGTK): after Alt+5 the focus stayed in the hidden Ping
  // target, so keys typed into a field nobody saw and its recent-targets popup stayed open over Path.
  it('a view switched by its shortcut takes the focus out of the view it hides', async () => {
    await openTab('Ping');
    await page.locator('#view-ping input[aria-label="Target"]').focus();
    await page.keyboard.press('Alt+5');
    await page.getByRole('tab', { name: 'Path', selected: true }).waitFor();
    const focus = await page.evaluate(() => ({ id: document.activeElement?.id ?? '', inHidden: Boolean(document.activeElement?.closest('[hidden]')) }));
    assert.deepEqual(focus, { id: 'view-path', inHidden: false });
  });

  // With a trace's result and a hop in the inspector: path.e2e.mjs (it needs a chain of routers).
  it('Path view', async () => {
    await openTab('Path');
    assert.deepEqual(await seriousViolations(), []);
  });
});
