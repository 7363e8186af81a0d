// The static web lab (make web) with no backend: built into dist/web, served by a plain
// node:http server, loaded in Chromium and in WebKitGTK's MiniBrowser. Checks the lesson's
// numbers, the live update of a 1500-byte packet (every edit on screen within its input event's
// microtasks, the codec run once, only the rows in view rendered; the time from the input event
// to the frame that shows it is measured and printed here, and issue 15's 16 ms bar is checked
// by `make bench`'s lab section, not by a timed assertion), the windowed hex dump
// and walkthroughs (keyboard, pointer, axe), Decode's hand-off to the Lab, and the size budget.
// Run: npm run e2e:web (after npm run build, which builds wire.wasm), or make e2e. WebKitGTK runs
// through e2e/engines/webkit.mjs (the window branch's harness).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { chromiumPath, frontendDir, repoRoot } from './harness.mjs';
import { serveStatic } from './static-server.mjs';
import { checkHexEditing, checkLesson, checkPayloadFollowsInPage, measureEdits, timedRound } from './web-lab-checks.mjs';
import { chromiumPid } from './process-cpu.mjs';
import { waitInPage } from './engines/common.mjs';
import { openWebKit, webkitMissing } from './engines/webkit.mjs';

const webDir = join(repoRoot, 'dist', 'web');
/** LabState's PAYLOAD_PAUSE_MS (frontend/src/lib/stores/lab.svelte.ts). */
const PAYLOAD_PAUSE_MS = 300;

/**
 * The codec answers an edit of a 1500-byte packet with the walkthrough rows in view, not all
 * 1,500 steps: about 16,500 characters of JSON where every row took about 73,000
 * (cmd/wirewasm/lab_window.go).
 */
function assertWindowedCodec(r) {
  assert.ok(r.codecChars > 0 && r.codecChars < 32_000, `the codec answered an edit with ${r.codecChars} characters`);
}

/** checkPayloadFollowsInPage's result: never old bytes, not rewritten per keystroke, current when looked at. */
function assertPayloadFollows(r) {
  assert.equal(r.pendingAfterEdit, true, 'the payload box was rewritten on the keystroke (or showed old bytes)');
  assert.match(r.placeholder, /follows the hex box/);
  assert.equal(r.focused, 'current', 'the payload box given the focus');
  assert.equal(r.paused, 'current', 'the payload box after the typing paused');
}
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** The size budget for the whole static lab, gzip-compressed. */
const GZIP_BUDGET = 3 * 1024 * 1024;

let server;
let context;
let page;
let profile;

before(async () => {
  if (!existsSync(join(frontendDir, 'public', 'wire.wasm'))) {
    throw new Error('frontend/public/wire.wasm is not built: run `npm run build` in frontend/ (or make frontend) first');
  }
  // The page only (about a second); the codec is the one `npm run build` just made.
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '-c', 'vite.web.config.ts'], { cwd: frontendDir, stdio: 'inherit' });
  server = await serveStatic(webDir);
  profile = mkdtempSync(join(tmpdir(), 'echoscope-web-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1360, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(server.url);
  await page.getByTestId('lab-verdict').waitFor({ timeout: 30_000 });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** One round of timed edits, as a line of the test's output. */
function editLine(ms) {
  return `1500-byte packet, edit -> frame showing it: median ${ms.median.toFixed(2)} ms, max ${ms.max.toFixed(2)} ms over ${ms.samples} edits (from the typing command: median ${ms.typedMedian.toFixed(2)} ms; DOM updated: median ${ms.domMedian.toFixed(2)} ms; the page's work, DOM updated, styled and laid out: median ${ms.workMedian.toFixed(2)} ms; next display tick: median ${ms.tickMedian.toFixed(2)} ms, ${ms.waited} of ${ms.samples} frames shown after it; codec alone: ${ms.codecMedian.toFixed(2)} ms; main thread CPU ${ms.cpuPerEdit.toFixed(1)} ms per edit beyond the browser's typing, ${ms.typingCpu.toFixed(1)} ms); ${ms.dumpBytes} of 1500 bytes and ${ms.elements} elements in the DOM`;
}

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('static web lab in Chromium', () => {
  it('is static files only, within the size budget', () => {
    const all = files(webDir);
    const names = all.map((f) => f.slice(webDir.length + 1));
    for (const want of ['index.html', 'wire.wasm', 'wasm_exec.js']) assert.ok(names.includes(want), `dist/web has no ${want}: ${names}`);
    assert.deepEqual(names.filter((n) => !/\.(html|js|css|wasm)$/.test(n)), [], 'only html, js, css and wasm');
    const gz = all.reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);
    const raw = all.reduce((sum, f) => sum + statSync(f).size, 0);
    console.log(`# web lab size: ${raw} bytes, ${gz} bytes gzip -9 (budget ${GZIP_BUDGET})`);
    assert.ok(gz <= GZIP_BUDGET, `${gz} bytes gzip is over the ${GZIP_BUDGET}-byte budget`);
  });

  it('says why it cannot send, and talks to no backend', async () => {
    assert.match(await page.getByTestId('web-no-send').textContent(), /not sent.*raw ICMP socket/s);
    assert.equal(await page.evaluate(() => typeof window.go), 'undefined');
    assert.deepEqual(server.requests.filter((p) => !/^\/(index\.html)?$|^\/assets\/|^\/wire\.wasm$|^\/wasm_exec\.js$|^\/favicon\.ico$/.test(p)), []);
  });

  it("shows the lesson: 0xF2FF from the classic loop beside RFC 1071's 0xF7CD", async () => {
    await checkLesson(page);
  });

  it('edits the hex box with the keyboard: overtype, undo, paste of a whole dump, selection across lines', async () => {
    await checkHexEditing({
      press: (...keys) => page.keyboard.press(keys.join('+')),
      type: (text) => page.keyboard.type(text),
      undo: () => page.keyboard.press('Control+z'),
      evaluate: (fn, arg) => page.evaluate(fn, arg),
      text: (id) => page.getByTestId(id).textContent(),
      value: (id) => page.getByTestId(id).inputValue(),
    });
  });

  it('leaves a walkthrough closed by the reader closed while the bytes are edited', async () => {
    const details = page.locator('section[aria-labelledby="lab-checksums-title"] details').first();
    assert.equal(await details.evaluate((d) => d.open), true);
    await details.locator('summary').click();
    assert.equal(await details.evaluate((d) => d.open), false);
    await page.getByTestId('lab-hex').focus();
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.type('1');
    assert.match(await page.getByTestId('lab-hex').innerText(), /^08 00 00 00 10 0d /);
    assert.equal(await details.evaluate((d) => d.open), false, 'an edit opened the walkthrough again');
    await page.keyboard.press('Control+z');
    await details.locator('summary').click();
  });

  it('updates the checksum, hex dump and walkthrough of a 1500-byte packet on every edit, at once, rendering only the rows in view', async () => {
    const pid = chromiumPid(profile);
    assert.ok(pid, 'the Chromium process of this test is not in /proc');
    const best = await measureEdits(page, pid);
    const rounds = [best];
    for (const ms of rounds) console.log(`# Chromium, ${editLine(ms)}`);
    // The 16 ms bar is a speed goal: `make bench` (scripts/bench.sh lab) checks it; a test
    // only reports the figure, since a busy machine's neighbours would decide a timed assert.
    // Every edit is on screen within the input event's own microtasks, with no timer, request
    // or round trip in between; the dump renders the rows in view, not the packet.
    assert.deepEqual(rounds.map((r) => r.timers), rounds.map(() => 0), 'edits that waited for a timer turn, per round');
    assert.ok(best.dumpBytes > 0 && best.dumpBytes <= 32 * 16, `${best.dumpBytes} bytes of the dump in the DOM`);
    assertWindowedCodec(best);
  });

  it('never shows old bytes in the payload box of a 1500-byte packet typed as bytes, nor rewrites it per keystroke', async () => {
    assert.match(await page.getByTestId('lab-length').textContent(), /^1500 bytes/);
    assertPayloadFollows(await page.evaluate(checkPayloadFollowsInPage, PAYLOAD_PAUSE_MS));
  });

  it('windows a 1500-byte hex dump: every byte reachable by keyboard and scrolling, linked to its field', async () => {
    const dump = page.getByRole('listbox', { name: /^Hex dump/ });
    const rendered = () => dump.locator('[role="option"]').count();
    assert.ok((await rendered()) <= 32 * 16);
    // Keyboard: End of the first row, then PageDown until the last byte; the active
    // descendant is always a rendered option that says its place in the packet.
    await dump.focus();
    await page.keyboard.press('End');
    assert.equal(await dump.getAttribute('aria-activedescendant'), 'lab-dump-byte-15');
    for (let i = 0; i < 8; i++) await page.keyboard.press('PageDown');
    const active = await dump.getAttribute('aria-activedescendant');
    assert.equal(active, 'lab-dump-byte-1499');
    const last = page.locator('#lab-dump-byte-1499');
    assert.equal(await last.getAttribute('aria-posinset'), '1500');
    assert.equal(await last.getAttribute('aria-setsize'), '1500');
    assert.match(await last.getAttribute('aria-label'), /^[0-9a-f]{2}, Byte 1499 \(0x5db\) = 0x[0-9a-f]{2}: Data Data$/);
    assert.match(await page.locator('.cursor-line').first().textContent(), /^Byte 1499 /);
    assert.equal(await page.locator('#lab-dump-byte-0').count(), 0, 'row 0 is out of view, so not rendered');
    for (let i = 0; i < 8; i++) await page.keyboard.press('PageUp');
    assert.equal(await dump.getAttribute('aria-activedescendant'), 'lab-dump-byte-0');
    // Pointer: a field row lights its bytes in the dump; a byte lights its field row.
    await page.locator('table.fields tr[data-field="Identifier"]').hover();
    assert.deepEqual(await dump.locator('.byte.hl').evaluateAll((els) => els.map((el) => Number(el.dataset.index))), [4, 5]);
    await dump.locator('.byte[data-index="6"]').hover();
    assert.equal(await page.locator('table.fields tr.active').getAttribute('data-field'), 'Sequence Number');
    // Scrolled to the end by the scroll bar (no keyboard): the last row is rendered.
    await dump.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.locator('#lab-dump-byte-1499').waitFor();
    assert.ok((await rendered()) <= 32 * 16);
  });

  it("scrolls a long walkthrough's 750 words, rendering the ones in view, which the codec returns when they come into view", async () => {
    const steps = page.locator('#lab-checksums-title').locator('xpath=..').locator('table.steps');
    const compare = page.getByTestId('lab-compare');
    // Count the codec's calls: an edit asks for the rows in view; scrolling past them asks again.
    await page.evaluate(() => {
      const wire = globalThis.echoscopeWire;
      globalThis.labCalls = { count: 0, original: wire.labAnalyze };
      wire.labAnalyze = (request) => (globalThis.labCalls.count++, globalThis.labCalls.original(request));
    });
    try {
      for (const table of [steps, compare]) {
        await table.scrollIntoViewIfNeeded();
        const rows = table.locator('tbody tr:not(.spacer)');
        assert.ok((await rows.count()) <= 30, `${await rows.count()} rows rendered`);
        assert.equal(await table.getAttribute('aria-rowcount'), table === steps ? '751' : '752');
        assert.equal(await rows.first().locator('td').first().textContent(), '1');
        const before = await page.evaluate(() => globalThis.labCalls.count);
        await table.locator('xpath=..').evaluate((el) => (el.scrollTop = el.scrollHeight));
        await table.locator('tbody tr[aria-rowindex="751"]').waitFor();
        // The rows at the end hold the codec's values, not the placeholder of a row not returned yet.
        await page.waitForFunction((t) => document.querySelectorAll(`${t} tbody tr[aria-busy]`).length === 0, table === steps ? 'section[aria-labelledby="lab-checksums-title"] table.steps' : '[data-testid="lab-compare"]');
        const last = await table.locator('tbody tr[aria-rowindex="751"] td').allTextContents();
        assert.equal(last[0], '750');
        if (table === steps) assert.deepEqual(last.slice(1, 3), ['1498', '+ 0xa5a5'], 'the walkthrough\'s last word');
        else assert.deepEqual(last.slice(1, 5), ['1498–1499', '0xa5a5', last[3], '(not read)'], "the comparison's last word");
        const calls = (await page.evaluate(() => globalThis.labCalls.count)) - before;
        assert.ok(calls >= 1 && calls <= 3, `${calls} codec calls for one scroll to the end`);
        assert.ok((await rows.count()) <= 30, `${await rows.count()} rows rendered at the end`);
      }
    } finally {
      await page.evaluate(() => (globalThis.echoscopeWire.labAnalyze = globalThis.labCalls.original));
    }
  });

  it('has no serious accessibility violation with a 1500-byte packet (axe)', async () => {
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      const result = await globalThis.axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
    });
    assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`), []);
  });

  it('opens a decoded packet in the Lab', async () => {
    await page.getByRole('tab', { name: 'Decode' }).click();
    await page.getByLabel('Packet bytes').fill('4500001c000100004001 7cde 7f000001 7f000001 0800f2ff000d0025'.replaceAll(' ', ''));
    await page.getByRole('button', { name: 'Decode', exact: true }).click();
    await page.getByTestId('decode-open-in-lab').click();
    await page.getByTestId('lab-verdict').waitFor();
    assert.equal(await page.getByTestId('lab-carried').textContent(), '0xf2ff');
    assert.equal(await page.getByTestId('lab-verdict').textContent(), "classic example's value");
    assert.equal(await page.getByTestId('lab-hex').innerText(), '08 00 f2 ff 00 0d 00 25');
  });

  it("windows a 64-byte packet's walkthroughs too: each keystroke rewrites the running sums of the rendered rows only", async () => {
    await page.getByTestId('lab-payload-kind').selectOption('pattern');
    await page.getByTestId('lab-payload').fill('a5');
    await page.getByTestId('lab-size').fill('56');
    assert.match(await page.getByTestId('lab-length').textContent(), /^64 bytes/);
    const steps = page.locator('#lab-checksums-title').locator('xpath=..').locator('table.steps');
    const compare = page.getByTestId('lab-compare');
    for (const table of [steps, compare]) {
      await table.scrollIntoViewIfNeeded();
      const rows = table.locator('tbody tr:not(.spacer)');
      assert.equal(await table.getAttribute('aria-rowcount'), table === steps ? '33' : '34');
      const shown = await rows.count();
      assert.ok(shown >= 14 && shown < 32, `${shown} of 32 words rendered`);
      await table.locator('xpath=..').evaluate((el) => (el.scrollTop = el.scrollHeight));
      await table.locator('tbody tr[aria-rowindex="33"]').waitFor();
      assert.equal(await table.locator('tbody tr[aria-rowindex="33"] td').first().textContent(), '32');
    }
    // The walkthrough still ends in the packet's checksum, whichever rows are rendered.
    const walk = await page.locator('#lab-checksums-title').locator('xpath=..').textContent();
    assert.ok(walk.includes(`checksum = ~sum = ${await page.getByTestId('lab-correct').textContent()}`));
  });
});

// WebKitGTK through the window branch's engine (e2e/engines/webkit.mjs): its evaluate runs a
// function's source in the page, so the helpers below query the page themselves.
describe('static web lab in WebKitGTK (MiniBrowser through WebKitWebDriver)', { skip: webkitMissing() ?? false }, () => {
  let webkit;
  const text = (id) => webkit.evaluate((testid) => document.querySelector(`[data-testid="${testid}"]`)?.textContent ?? null, id);
  /** Sets a form control as typing would (input and change events). */
  const set = (id, v) =>
    webkit.evaluate(([testid, to]) => {
      const el = document.querySelector(`[data-testid="${testid}"]`);
      el.value = to;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }, [id, v]);

  before(async () => {
    webkit = await openWebKit();
    await webkit.goto(server.url);
    await waitInPage(webkit, () => document.querySelector('[data-testid="lab-verdict"]') !== null, undefined, 'the Lab');
  });
  after(async () => {
    await webkit?.close();
  });

  it("shows the lesson: 0xF2FF beside RFC 1071's 0xF7CD", async () => {
    await webkit.click('[data-testid="lab-lesson-classic"]');
    assert.equal(await text('lab-carried'), '0xf2ff');
    assert.equal(await text('lab-correct'), '0xf7cd');
    assert.equal(await text('lab-compare-rfc'), '0xf7cd');
    assert.equal(await text('lab-compare-classic'), '0xf2ff');
    assert.equal(await text('lab-verdict'), "classic example's value");
    await webkit.click('[data-testid="lab-lesson-correct"]');
    assert.equal(await text('lab-verdict'), 'correct');
    assert.equal(await webkit.evaluate(() => document.querySelector('[data-testid="lab-hex"]').innerText.trim()), '08 00 f7 cd 00 0d 00 25');
  });

  it('edits the hex box with the keyboard: overtype, undo, paste of a whole dump, selection across lines', async () => {
    await checkHexEditing({
      press: (...keys) => webkit.press(...keys),
      type: (text) => webkit.type(text),
      // The undo command itself: MiniBrowser under WebDriver binds no Ctrl+Z (not even in a
      // textarea, tried), the app's window and a browser do.
      undo: () => webkit.evaluate(() => document.execCommand('undo')),
      evaluate: webkit.evaluate,
      text,
      value: (id) => webkit.evaluate((testid) => document.querySelector(`[data-testid="${testid}"]`)?.value ?? null, id),
    });
  });

  it('updates a 1500-byte packet on every edit, at once, rendering only the rows in view', async () => {
    await set('lab-payload-kind', 'pattern');
    await set('lab-payload', 'a5');
    await set('lab-size', '1492');
    assert.match(await text('lab-length'), /^1500 bytes/);
    const best = await timedRound(webkit.evaluate, webkit.pid);
    const rounds = [best];
    for (const ms of rounds) console.log(`# WebKitGTK, ${editLine(ms)}`);
    // timeEditsInPage fails an edit whose codec ran more or less than once.
    assert.deepEqual(rounds.map((r) => r.timers), rounds.map(() => 0), 'edits that waited for a timer turn, per round');
    assert.ok(best.dumpBytes > 0 && best.dumpBytes <= 32 * 16, `${best.dumpBytes} bytes of the dump in the DOM`);
    assertWindowedCodec(best);
  });

  it('never shows old bytes in the payload box of a 1500-byte packet typed as bytes, nor rewrites it per keystroke', async () => {
    assert.match(await text('lab-length'), /^1500 bytes/);
    assertPayloadFollows(await webkit.evaluate(checkPayloadFollowsInPage, PAYLOAD_PAUSE_MS));
  });
});
