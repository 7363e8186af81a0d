// The screenshots of README.md and docs/ (docs/screenshots), taken in WebKitGTK: the engine of
// the app's window (WebKitWebDriver driving MiniBrowser, e2e/engines/webkit.mjs, under
// LANG=C), at the issue's window sizes (1280x820 the default, 900x700 the minimum, 1920x1080
// a large screen), light, and dark where the docs show dark. The sessions are real: pings to
// loopback and to namespaced test hosts (root only), a capture imported through the native
// dialog, a session reopened after the app restarted on the same data directory, a trace of a
// chain of namespaced routers (echoscope-testhost -chain, as the path e2e).
// Not part of `make e2e` (the layout tests check these states); `make screenshots` runs it.
// Run: node --test e2e/docs-screenshots.mjs (from frontend/); SCREENSHOTS_DIR overrides where
// the files go (default: docs/screenshots).

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitInPage } from './engines/common.mjs';
import { openWebKit, webkitMissing } from './engines/webkit.mjs';
import { answerFileDialog } from './dialogs.mjs';
import { repoRoot, startApp } from './harness.mjs';
import { settled } from './layout-checks.mjs';
import { startTestHost } from './ping-helpers.mjs';
import { openHop, traceIn } from './path-engine.mjs';

const isRoot = process.getuid?.() === 0;
const out = process.env.SCREENSHOTS_DIR ?? join(repoRoot, 'docs', 'screenshots');
const DEFAULT = [1280, 820];
const MINIMUM = [900, 700];
const LARGE = [1920, 1080];

let app;
let dataDir;
let files;
const hosts = {};
let light;

before(async () => {
  if (!isRoot || webkitMissing()) return;
  mkdirSync(out, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'echoscope-shots-data-'));
  files = mkdtempSync(join(tmpdir(), 'echoscope-shots-files-'));
  app = await startApp({ dataDir, browser: false });
  // A quiet host for the plain pictures: loopback on a shared machine carries other people's
  // pings, which fill the table with foreign rows.
  // chain: three routers, the second rate-limiting its ICMP errors (the Path view's picture).
  for (const [name, args] of Object.entries({ clean: ['-fault', 'none'], quarter: ['-fault', 'drop', '-every', '4'], errors: ['-fault', 'unreachable', '-every', '2'], losses: ['-fault', 'drop', '-every', '2'], chain: ['-chain'] })) {
    hosts[name] = await startTestHost(args);
  }
  light = await openWebKit();
});

after(async () => {
  await light?.close();
  await app?.stop();
  for (const h of Object.values(hosts)) await h.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (files) rmSync(files, { recursive: true, force: true });
});

/** Sizes the page, lets it settle (fonts, a frame) and grabs it into docs/screenshots/name. */
async function shot(engine, name, [w, h]) {
  await engine.setViewport(w, h);
  // The Target field's suggestions list stays open while it has the focus.
  await engine.evaluate(() => {
    if (document.activeElement?.matches('input, select, textarea')) document.activeElement.blur();
  });
  await engine.evaluate(settled);
  await new Promise((r) => setTimeout(r, 300)); // the codec's and the chart's last paint
  await engine.screenshot(join(out, name));
}

async function ready(engine) {
  await waitInPage(engine, () => /engine: (?!checking)/.test(document.querySelector('[data-testid="engine-badge"]')?.textContent ?? ''), undefined, 'the app rendered');
}

async function showView(engine, view) {
  await engine.click(`[role="tab"][aria-controls="view-${view}"]`);
  await waitInPage(engine, (v) => document.querySelector(`[role="tab"][aria-controls="view-${v}"]`)?.getAttribute('aria-selected') === 'true', view, `the ${view} view`);
}

/** Clicks the button whose text is exactly text. */
async function clickButton(engine, text) {
  const found = await engine.evaluate((t) => {
    const b = [...document.querySelectorAll('button')].find((el) => el.textContent.trim() === t && el.offsetParent !== null);
    b?.click();
    return !!b;
  }, text);
  assert.ok(found, `a button "${text}"`);
}

/** Fills the Options panel and the Target, presses Enter in the Target and waits for the end. */
async function ping(engine, { target, count, intervalMs, timeoutMs }) {
  await showView(engine, 'ping');
  // The Options panel is built the first time it opens (PingView), then kept, hidden: open and
  // close it once so that its fields exist to be filled.
  if (await engine.evaluate(() => !document.querySelector('#ping-options label'))) {
    await engine.click('[aria-controls="ping-options"]');
    await waitInPage(engine, () => !!document.querySelector('#ping-options label'), undefined, 'the Options panel');
    await engine.click('[aria-controls="ping-options"]');
    await waitInPage(engine, () => document.querySelector('[aria-controls="ping-options"]')?.getAttribute('aria-expanded') === 'false', undefined, 'the Options panel closed');
  }
  await engine.evaluate(
    ([t, values]) => {
      const set = (input, value) => {
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, String(value));
        input.dispatchEvent(new Event('input', { bubbles: true }));
      };
      document.querySelector('[data-testid="back-to-live"]')?.click();
      for (const [label, value] of Object.entries(values)) {
        const l = [...document.querySelectorAll('#ping-options label')].find((el) => el.textContent.trim().startsWith(label));
        set(l.querySelector('input'), value);
      }
      set(document.querySelector('[data-testid="ping-target"]'), t);
      document.querySelector('[data-testid="ping-target"]').focus();
    },
    [target, { Count: count, 'Interval (ms)': intervalMs, 'Timeout (ms)': timeoutMs }],
  );
  await engine.press('Enter');
  await waitInPage(engine, (n) => document.querySelector('[data-testid="stat-sent"]')?.textContent?.replace(/\u2009/g, '').trim() === String(n) && /^\s*done\s*$/.test(document.querySelector('[data-testid="ping-state"]')?.textContent ?? ''), count, `${count} pings to ${target}`);
}

/** Selects the first row of kind (and class) and waits for the inspector on it. */
async function inspectRow(engine, kind, cls) {
  const sel = `[role="row"][data-kind="${kind}"]${cls ? `[data-class="${cls}"]` : ''}`;
  await waitInPage(engine, (s) => !!document.querySelector(s), sel, `a ${kind} row`);
  await engine.click(sel);
  await waitInPage(engine, () => /Row \d+/.test(document.querySelector('[data-testid="inspector-row"]')?.textContent ?? '') && !!document.querySelector('[data-testid="packet-inspector"] table'), undefined, `the inspector on a ${kind}`);
}

/** Opens the newest stored session to target from History. */
async function openStored(engine, target) {
  await showView(engine, 'history');
  const sel = `button[aria-label="Open the session to ${target}"]`;
  await waitInPage(engine, (s) => !!document.querySelector(s), sel, `the session to ${target} listed`);
  await engine.click(sel);
  await waitInPage(engine, () => !!document.querySelector('[data-testid="session-strip"]'), undefined, 'the reopened session');
}

/** Moves the pointer across the chart at height fy until its hover names a point matching re. */
async function hoverChart(engine, fy, re) {
  for (let fx = 0.005; fx < 1; fx += 0.004) {
    await engine.hover('[data-testid="rtt-chart"] .u-over', fx, fy);
    const text = await engine.evaluate(() => document.querySelector('[data-testid="chart-hover"]')?.textContent ?? '');
    if (re.test(text)) return text;
  }
  return '';
}

describe('docs screenshots in WebKitGTK', { skip: (!isRoot && 'needs root (namespaced test hosts)') || (webkitMissing() ?? false) }, () => {
  it('Decode: an ICMP Time Exceeded message taken apart', async () => {
    await light.setViewport(...DEFAULT);
    await light.goto(app.url);
    await ready(light);
    await showView(light, 'decode');
    await waitInPage(light, () => [...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Time exceeded'), undefined, 'the examples');
    await clickButton(light, 'Time exceeded');
    await waitInPage(light, () => /Time Exceeded/.test(document.querySelector('[data-testid="decode-summary"]')?.textContent ?? ''), undefined, 'the Time Exceeded report');
    await shot(light, 'decode-time-exceeded.png', DEFAULT);
  });

  it('Ping: a request and its reply linked, the inspector over the whole window', async () => {
    await ping(light, { target: hosts.clean.host.peerV4, count: 5, intervalMs: 200, timeoutMs: 1000 });
    await inspectRow(light, 'send');
    await waitInPage(light, () => /reply/i.test(document.querySelector('[data-testid="row-links"]')?.textContent ?? ''), undefined, 'the request linked to its reply');
    await shot(light, 'inspector-links.png', DEFAULT);
    await inspectRow(light, 'reply', 'on-time');
    await light.click('[data-testid="inspector-max"]');
    await waitInPage(light, () => !!document.querySelector('.work.maximized [data-testid="packet-inspector"]'), undefined, 'the inspector over the whole window');
    await shot(light, 'inspector.png', DEFAULT);
    await light.click('[data-testid="inspector-max"]');
    await light.press('Escape');
  });

  it('Ping: a test host that drops every fourth request, and the chart naming its slowest reply', async () => {
    await ping(light, { target: hosts.quarter.host.peerV4, count: 24, intervalMs: 100, timeoutMs: 500 });
    await waitInPage(light, () => document.querySelector('[data-testid="stat-loss"]')?.textContent?.replace(/\u2009/g, '').trim() === '25 %', undefined, '25 % loss');
    await shot(light, 'ping-live.png', DEFAULT);
    // The largest RTT sits at 1/1.3 of the plot's height (chartmodel RTT_HEADROOM).
    const named = await hoverChart(light, 1 - 1 / 1.3, /reply$/);
    assert.match(named, /^seq \d+ · [\d.]+ s · RTT [\d.]+ ms · reply$/, 'the hover names the slowest reply');
    await shot(light, 'chart.png', DEFAULT);
  });

  it('Inspector: an ICMP error at the default size, a reply at the minimum', async () => {
    await ping(light, { target: hosts.errors.host.peerV4, count: 6, intervalMs: 20, timeoutMs: 500 });
    await ping(light, { target: hosts.losses.host.peerV4, count: 6, intervalMs: 20, timeoutMs: 300 });
    await openStored(light, hosts.errors.host.peerV4);
    await inspectRow(light, 'icmp-error');
    await shot(light, 'ping-inspector.png', DEFAULT);
    await inspectRow(light, 'reply');
    await shot(light, 'inspector-900x700.png', MINIMUM);
  });

  it("Path: the chain traced, the rate-limiting router named, its Time Exceeded in the inspector", async () => {
    const { host } = hosts.chain;
    await light.setViewport(...DEFAULT);
    await light.goto(app.url); // a fresh page: this picture runs alone too (--test-name-pattern Path)
    await ready(light);
    // 8 rounds: router 2 answers its first 6 probes (its burst), so 25 % loss it does not pass on.
    await traceIn(light, { target: host.target, rounds: 8, interval: 0.2, hops: 4 });
    await waitInPage(light, () => !!document.querySelector('[data-testid="path-note"]'), undefined, 'the rate limiting named');
    await openHop(light, 2);
    await waitInPage(light, () => /Time Exceeded/.test(document.querySelector('#view-path [data-testid="packet-inspector"]')?.textContent ?? ''), undefined, "router 2's Time Exceeded");
    await shot(light, 'path-time-exceeded.png', DEFAULT);
  });

  it('Monitor: three test hosts at once, one losing every fourth request, a reply in the inspector', async () => {
    const targets = [hosts.clean.host.peerV4, hosts.quarter.host.peerV4, hosts.losses.host.peerV4];
    await light.setViewport(...DEFAULT);
    await light.goto(app.url); // a fresh page: this picture runs alone too (--test-name-pattern Monitor)
    await ready(light);
    await showView(light, 'monitor');
    await waitInPage(light, () => !!document.querySelector('[data-testid="monitor-targets"]'), undefined, 'the Monitor view');
    await light.click('[data-testid="monitor-targets"]');
    await light.type(targets.join(', '));
    for (const [id, value] of [['monitor-count', 40], ['monitor-interval', 100], ['monitor-timeout', 300]]) {
      await light.evaluate((sel) => document.querySelector(sel).select(), `[data-testid="${id}"]`);
      await light.type(String(value));
    }
    await light.click('[data-testid="monitor-start"]');
    await waitInPage(light, () => /done/.test(document.querySelector('[data-testid="monitor-state"]')?.textContent ?? ''), undefined, 'the monitor done');
    await light.click(`[data-testid="monitor-row"][data-target="${targets[0]}"] button`);
    await waitInPage(light, () => document.querySelectorAll('[role="row"][data-kind="reply"]').length > 0, undefined, "the first host's packets");
    await light.click('[role="row"][data-kind="reply"]');
    await waitInPage(light, () => !!document.querySelector('#view-monitor [data-testid="packet-inspector"] table'), undefined, 'the inspector on a reply');
    await shot(light, 'monitor-1280x820.png', DEFAULT);
    await light.press('Escape');
  });

  it('History: the list, at the default size and the minimum', async () => {
    await showView(light, 'history');
    await waitInPage(light, () => document.querySelectorAll('[data-testid="session-list"] [role="row"][data-session]').length >= 4, undefined, 'the sessions listed');
    await shot(light, 'history-list.png', DEFAULT);
    await shot(light, 'history-900x700.png', MINIMUM);
    await light.setViewport(...DEFAULT);
  });

  it('History: a capture imported through the open dialog, open in the inspector', async () => {
    const capture = join(files, 'loopback.pcapng');
    copyFileSync(join(repoRoot, 'backend', 'capture', 'testdata', 'loopback.pcapng'), capture);
    await showView(light, 'history');
    await light.click('[data-testid="import-button"]');
    await answerFileDialog(app.display, /^Import a capture/, capture);
    await waitInPage(light, () => /Imported \d+ packets? from .*loopback\.pcapng/.test(document.querySelector('[data-testid="history-notice"]')?.textContent ?? ''), undefined, 'the import');
    // Listed by when it was captured, so not necessarily first; the list refreshes after the notice.
    await waitInPage(
      light,
      () => {
        const row = [...document.querySelectorAll('[data-testid="session-list"] [role="row"][data-session]')].find((r) => r.textContent.includes('loopback.pcapng'));
        row?.querySelector('button[aria-label^="Open the session"]')?.click();
        return !!row;
      },
      undefined,
      'the imported session listed',
    );
    await waitInPage(light, () => /Imported from loopback\.pcapng/.test(document.querySelector('[data-testid="session-caption"]')?.textContent ?? ''), undefined, 'the imported session open');
    await inspectRow(light, 'reply');
    await shot(light, 'history-imported.png', DEFAULT);
  });

  it('History: a session reopened after a restart, a reply in the inspector', async () => {
    await app.stop();
    app = await startApp({ dataDir, browser: false });
    await light.goto(app.url);
    await ready(light);
    await openStored(light, hosts.clean.host.peerV4);
    await inspectRow(light, 'reply', 'on-time');
    await shot(light, 'history-reopened.png', DEFAULT);
  });

  it('Dark: a lost request on a large screen, and Decode with the cursor on the TTL byte', async () => {
    const dark = await openWebKit({ dark: true });
    try {
      await dark.setViewport(...LARGE);
      await dark.goto(app.url);
      await ready(dark);
      assert.equal(await dark.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), true, 'the dark GTK theme');
      await openStored(dark, hosts.losses.host.peerV4);
      await inspectRow(dark, 'loss');
      await shot(dark, 'inspector-dark-1920x1080.png', LARGE);
      await dark.setViewport(...DEFAULT);
      await showView(dark, 'decode');
      await waitInPage(dark, () => [...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Echo reply with IPv4 header'), undefined, 'the examples');
      await clickButton(dark, 'Echo reply with IPv4 header');
      await waitInPage(dark, () => !!document.querySelector('#view-decode tr[data-field="TTL"]'), undefined, 'the decoded reply');
      // The dump's cursor on the TTL byte (byte 8) lights its field and names it under the dump.
      // The keyboard, not the pointer: WebKitGTK's title tooltip would float over the picture.
      await dark.evaluate(() => document.querySelector('#view-decode [role="listbox"]').focus());
      for (let i = 0; i < 8; i++) await dark.press('ArrowRight');
      await waitInPage(dark, () => /Byte 8 .*TTL/.test(document.querySelector('#view-decode .cursor-line')?.textContent ?? ''), undefined, 'the cursor on the TTL byte');
      await shot(dark, 'decode-dark.png', DEFAULT);
    } finally {
      await dark.close();
    }
  });
});
