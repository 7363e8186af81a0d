// The Path view end to end: the app traces a chain of three namespaced routers (the second
// rate-limits its ICMP errors: 6 Time Exceeded messages per destination, then none for 10 s)
// built by echoscope-testhost -chain with its client end in the app's namespace. The table
// must show exactly mtr's figures, name the rate limiting, and open a hop's Time Exceeded in
// the packet inspector, matched to its probe through the quoted request; axe-core finds no
// serious violation on the view, and nothing on it is cut or scrolls sideways at the layout
// test's sizes, in Chromium and in WebKitGTK (the app's engine: WebKitWebDriver driving
// MiniBrowser, light and dark, each tracing from its own page). A long trace shows its figures
// while it runs. Every trace is kept in History: reopened from there it shows the same table,
// a hop's Time Exceeded opens in the inspector as live, and Trace again runs it anew with its
// options (Chromium; WebKitGTK reopens its own trace too). Root only. Run: npm run e2e.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { artifactsDir, startApp } from './harness.mjs';
import { PING_WAIT, startTestHost } from './ping-helpers.mjs';
import { layoutProblems, settled } from './layout-checks.mjs';
import { openWebKit, webkitMissing } from './engines/webkit.mjs';
import { waitInPage } from './engines/common.mjs';
import { openHop, reopenNewestTrace, traceIn } from './path-engine.mjs';

const isRoot = process.getuid?.() === 0;
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let app;
let page;
let chain;

before(async () => {
  if (!isRoot) return;
  mkdirSync(artifactsDir, { recursive: true });
  chain = await startTestHost(['-chain']);
  app = await startApp();
  page = app.page;
  await page.getByTestId('engine-badge').filter({ hasText: /engine: (?!checking)/ }).waitFor(PING_WAIT);
});

after(async () => {
  await app?.stop();
  await chain?.stop();
});

const cells = async (row) => (await row.locator('td').allTextContents()).map((t) => t.trim());

describe('Echoscope path view', { skip: !isRoot && 'needs root (raw ICMP sockets, namespaces)' }, () => {
  it('traces the chain: exact hops, Snt and Loss%, the rate limiting named', async () => {
    const { host } = chain;
    await page.getByRole('tab', { name: 'Path' }).click();
    await page.getByTestId('path-target').fill(host.target);
    await page.getByTestId('path-rounds').fill('8');
    await page.getByTestId('path-interval').fill('0.2');
    await page.getByTestId('path-start').click();
    try {
      await page.getByTestId('path-state').filter({ hasText: `reached ${host.target} at hop 4` }).waitFor({ timeout: 60_000 });
    } catch (err) {
      // Say what the view showed and what the app logged, not only that the wait ran out.
      const state = await page.getByTestId('path-state').allTextContents().catch(() => []);
      const view = (await page.locator('#view-path').textContent().catch(() => '')) ?? '';
      throw new Error(`${err.message}\npath-state: ${JSON.stringify(state)}\nview: ${view.replace(/\s+/g, ' ').slice(0, 600)}\napp log:\n${app.appLog().slice(-3000)}`);
    }
    const rows = page.getByTestId('path-hop');
    assert.equal(await rows.count(), 4);
    const wantLoss = ['0.0', String(((8 - host.rateLimitBurst) / 8 * 100).toFixed(1)), '0.0', '0.0'];
    for (let i = 0; i < 4; i++) {
      const c = await cells(rows.nth(i));
      assert.equal(c[0], String(i + 1));
      assert.ok(c[1].startsWith(host.hops[i]), `hop ${i + 1} host ${c[1]}, want ${host.hops[i]}`);
      assert.equal(c[2], wantLoss[i], `hop ${i + 1} Loss%`);
      assert.equal(c[3], '8', `hop ${i + 1} Snt`);
    }
    const notes = page.getByTestId('path-note');
    assert.equal(await notes.count(), 1);
    assert.match(await notes.first().textContent(), /25\.0% loss here does not carry on to later hops/);
    assert.match(await page.getByTestId('path-state').textContent(), /8 rounds/);
  });

  it("opens a router's Time Exceeded in the inspector, matched through the quoted request", async () => {
    const { host } = chain;
    await page.getByRole('button', { name: host.hops[1], exact: true }).click();
    const inspector = page.getByRole('region', { name: 'Packet inspector' });
    await inspector.waitFor(PING_WAIT);
    // A trace's answers are no table rows: the header names the packet without a row number.
    assert.match(await page.getByTestId('inspector-row').textContent(), /^ICMP error received · seq \d+/);
    await page.getByTestId('inspector-match').waitFor(PING_WAIT);
    const text = await inspector.textContent();
    assert.match(text, /Time Exceeded/);
    assert.match(text, /quotes the start of our request/);
    assert.match(text, /sent with TTL 2/);
    await page.screenshot({ path: join(artifactsDir, 'e2e-path-time-exceeded.png') });

    await page.getByRole('button', { name: host.hops[3], exact: true }).click();
    await page.getByTestId('inspector-row').filter({ hasText: 'reply received' }).waitFor(PING_WAIT);
    assert.match(await inspector.textContent(), /sent with TTL 4/);
  });

  it('keeps the trace in History: reopened, the same table, a hop inspected as live, Trace again', async () => {
    const { host } = chain;
    const rows = page.getByTestId('path-hop');
    const liveTable = [];
    for (let i = 0; i < 4; i++) liveTable.push(await cells(rows.nth(i)));
    // Sub-millisecond times with the ping view's precision, not mtr's "0.0".
    assert.match(liveTable[0][5], /^0\.\d{3}$|^\d\.\d\d$/, `hop 1 Avg ${liveTable[0][5]}`);

    await page.getByRole('tab', { name: 'History' }).click();
    const line = page.getByTestId('session-target').filter({ hasText: `Path to ${host.target}, 4 hops` });
    await line.waitFor(PING_WAIT);
    assert.equal(await line.count(), 1);
    await page.getByRole('button', { name: `Open the trace to ${host.target}` }).click();
    await page.getByTestId('path-recorded').waitFor(PING_WAIT);
    assert.equal(await rows.count(), 4);
    for (let i = 0; i < 4; i++) assert.deepEqual(await cells(rows.nth(i)), liveTable[i], `hop ${i + 1} reopened`);
    assert.match(await page.getByTestId('path-state').textContent(), new RegExp(`reached ${host.target.replace(/\./g, '\\.')} at hop 4 · 8 rounds`));

    await page.getByRole('button', { name: host.hops[1], exact: true }).click();
    const inspector = page.getByRole('region', { name: 'Packet inspector' });
    await inspector.waitFor(PING_WAIT);
    await page.getByTestId('inspector-match').waitFor(PING_WAIT);
    const text = await inspector.textContent();
    assert.match(text, /Time Exceeded/);
    assert.match(text, /quotes the start of our request/);
    assert.match(text, /sent with TTL 2/);
    await page.screenshot({ path: join(artifactsDir, 'e2e-path-reopened.png') });

    await page.getByTestId('path-again').click();
    await page.getByTestId('path-state').filter({ hasText: `reached ${host.target} at hop 4` }).waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('path-rounds').inputValue(), '8');
    assert.equal(await page.getByTestId('path-interval').inputValue(), '0.2');
    assert.equal(await page.getByTestId('path-recorded').count(), 0, 'the new trace is live, not recorded');
    assert.match(await page.getByTestId('path-state').textContent(), /8 rounds/);
    await page.getByRole('button', { name: host.hops[0], exact: true }).click();
    await inspector.waitFor(PING_WAIT);
  });

  it('fits the window at 900x700, 1280x820 and 1920x1080 with a hop open (Chromium)', async () => {
    const found = [];
    for (const [width, height] of [[900, 700], [1280, 820], [1920, 1080]]) {
      await page.setViewportSize({ width, height });
      await page.evaluate(settled);
      for (const p of await page.evaluate(layoutProblems)) found.push(`${width}x${height}: ${p}`);
    }
    assert.deepEqual(found, []);
  });

  // In WebKitGTK the page traces the chain itself (its own state), then the same checks with
  // hop 1's Time Exceeded open (router 2's limit may be spent by now: hop 1 always answers).
  for (const dark of [false, true]) {
    it(`fits the window at 900x700, 1280x820 and 1920x1080 with a hop open (WebKitGTK, ${dark ? 'dark' : 'light'})`, { skip: webkitMissing() ?? false }, async () => {
      const engine = await openWebKit({ dark });
      try {
        await engine.setViewport(1280, 820);
        await engine.goto(app.url);
        await waitInPage(engine, () => /engine: (?!checking)/.test(document.querySelector('[data-testid="engine-badge"]')?.textContent ?? ''), undefined, 'the app rendered');
        await traceIn(engine, { target: chain.host.target, rounds: 4, interval: 0.2, hops: 4 });
        // The trace it just ran, reopened from History: the layout of a recorded trace.
        await reopenNewestTrace(engine, 4);
        await openHop(engine, 1);
        assert.match(await engine.evaluate(() => document.querySelector('#view-path [data-testid="packet-inspector"]')?.textContent ?? ''), /sent with TTL 1/);
        const found = [];
        for (const [width, height] of [[900, 700], [1280, 820], [1920, 1080]]) {
          await engine.setViewport(width, height);
          await engine.evaluate(settled);
          for (const p of await engine.evaluate(layoutProblems)) found.push(`webkitgtk ${dark ? 'dark' : 'light'} ${width}x${height}: ${p}`);
          await engine.screenshot(join(artifactsDir, `webkitgtk-path-${dark ? 'dark' : 'light'}-${width}x${height}.png`));
        }
        assert.deepEqual(found, [], `${found.length} layout problems:\n${found.join('\n')}`);
      } finally {
        await engine.close();
      }
    });
  }

  it('has no serious accessibility violation with a hop open', async () => {
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      const result = await globalThis.axe.run(document, { resultTypes: ['violations'] });
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(', ')}`);
    });
    assert.deepEqual(violations, []);
  });

  // mtr's table changes as the rounds go: a long trace shows figures while it runs, and Stop
  // keeps them (the trace ends done with what came). Last: router 2's rate limit is spent by now.
  it('fills the table in while a long trace runs, and Stop keeps what came', async () => {
    const { host } = chain;
    await page.setViewportSize({ width: 1280, height: 820 });
    await page.getByRole('tab', { name: 'Path' }).click();
    await page.getByTestId('path-target').fill(host.target);
    await page.getByTestId('path-rounds').fill('100');
    await page.getByTestId('path-interval').fill('0.1');
    await page.getByTestId('path-start').click();
    try {
      await page.getByTestId('path-state').filter({ hasText: /tracing… round ([3-9]|\d\d+)\b/ }).waitFor({ timeout: 60_000 });
    } catch (err) {
      const state = await page.getByTestId('path-state').allTextContents().catch(() => []);
      throw new Error(`${err.message}\npath-state: ${JSON.stringify(state)}\napp log:\n${app.appLog().slice(-3000)}`);
    }
    // One snapshot of the state line and the table, taken together in the page.
    const seen = await page.evaluate(() => ({
      state: document.querySelector('[data-testid="path-state"]')?.textContent ?? '',
      rows: [...document.querySelectorAll('[data-testid="path-hop"]')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.trim())),
    }));
    const round = Number(/round (\d+)/.exec(seen.state)?.[1]);
    assert.match(seen.state, /^tracing…/, `the table was read while tracing: ${seen.state}`);
    assert.ok(round >= 3 && round < 100, `state ${seen.state}`);
    assert.equal(seen.rows.length, 4, `rows while tracing: ${JSON.stringify(seen.rows)}`);
    assert.ok(seen.rows[0][1].startsWith(host.hops[0]), `hop 1 host ${seen.rows[0][1]}`);
    const sent = Number(seen.rows[0][3]);
    assert.ok(sent >= 1 && sent <= round, `hop 1 Snt ${sent} after round ${round}`);
    assert.match(seen.rows[0][4], /^\d+\.\d+$/, `hop 1 Last ${seen.rows[0][4]}`);
    assert.match(seen.rows[3][4], /^\d+\.\d+$/, `hop 4 Last ${seen.rows[3][4]}`);

    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByTestId('path-state').filter({ hasText: `reached ${host.target} at hop 4` }).waitFor({ timeout: 30_000 });
    const rounds = Number(/(\d+) rounds/.exec(await page.getByTestId('path-state').textContent())?.[1]);
    assert.ok(rounds >= round && rounds < 100, `stopped after ${rounds} rounds (seen running at ${round})`);
    const rows = page.getByTestId('path-hop');
    assert.equal(await rows.count(), 4);
    const after = await cells(rows.nth(0));
    assert.ok(Number(after[3]) >= sent, `hop 1 Snt ${after[3]} after Stop, ${sent} while tracing`);
  });
});
