// End to end through the real app: the dev-mode Go binary serves the built frontend and its
// bindings; Chromium loads it, the WebAssembly codec decodes what we paste.
// Run: npm run e2e (from frontend/, after npm run build), or make e2e.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { artifactsDir, repoRoot, startApp } from './harness.mjs';

/** The real output of a tool on one packet (backend/wire/testdata/paste, README there). */
function toolOutput(name) {
  return readFileSync(join(repoRoot, 'backend', 'wire', 'testdata', 'paste', name), 'utf8');
}

// The textbook echo request (id 13, seq 37), pasted the way people paste: spaced bytes.
const ECHO_REQUEST = '08 00 92 bf 00 0d 00 25 65 63 68 6f 73 63 6f 70 65 20 6c 65 73 73 6f 6e';
// The same request with one payload byte changed ("e" -> "f"): the checksum no longer fits.
const CORRUPTED = '080092bf000d00256663686f73636f7065206c6573736f6e';
const UI_WAIT = { timeout: 30_000 };

let app;
let page;

before(async () => {
  mkdirSync(artifactsDir, { recursive: true });
  app = await startApp();
  page = app.page;
  // Ping is the default view; Decode is the second tab.
  await page.getByRole('tab', { name: 'Decode' }).click();
  await page.getByTestId('decode-summary').waitFor(UI_WAIT);
});

after(async () => {
  await app?.stop();
});

async function paste(text) {
  const box = page.getByLabel('Packet bytes');
  await box.fill(text);
}

function row(name) {
  return page.locator(`tr[data-field="${name}"]`).first();
}

describe('Echoscope decode panel', () => {
  it('runs against the Go backend: bindings present, version shown in About', async () => {
    const hasBindings = await page.evaluate(() => typeof window.go?.service?.AppService?.Version === 'function');
    assert.equal(hasBindings, true, 'window.go.service.AppService is not served by the dev binary');
    const version = await page.evaluate(() => window.go.service.AppService.Version());
    await page.getByRole('button', { name: 'About' }).click();
    const about = page.getByRole('dialog', { name: 'About Echoscope' });
    assert.equal(await about.getByTestId('backend-status').textContent(), version);
    assert.match(await about.getByTestId('codec-status').textContent(), /^wasm /);
    assert.match(await about.textContent(), /uplot\s*1\.6\.\d+\s*MIT/);
    await page.keyboard.press('Escape');
    await about.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'About', 'focus back on the About button');
  });

  it('decodes a pasted echo request into named fields', async () => {
    await paste(ECHO_REQUEST);
    await page.getByRole('button', { name: 'Decode' }).click();
    assert.match(await page.getByTestId('decode-summary').textContent(), /Echo Request/);
    assert.match(await row('Type').textContent(), /Echo Request/);
    const identifier = await row('Identifier').locator('td').allTextContents();
    assert.equal(identifier[2], '4–5', 'Identifier sits at bytes 4-5');
    assert.equal(identifier[3], '0x000d');
    assert.match(identifier[4] ?? '', /13/);
    assert.match(await row('Sequence Number').textContent(), /37/);
    const verdicts = await page.getByTestId('checksum-verdict').allTextContents();
    assert.deepEqual(verdicts, ['correct']);
    await page.screenshot({ path: join(artifactsDir, 'e2e-echo-request.png'), fullPage: true });
  });

  it('says a corrupted checksum is wrong, in words', async () => {
    await paste(CORRUPTED);
    assert.deepEqual(await page.getByTestId('checksum-verdict').allTextContents(), ['wrong']);
    const article = page.getByRole('article', { name: 'ICMPv4 checksum' });
    assert.match(await article.textContent(), /received 0x92bf/);
  });

  it('decodes in the browser exactly what the Go backend decodes', async () => {
    const { wasm, backend } = await page.evaluate(async (hex) => {
      const wasm = JSON.parse(globalThis.echoscopeWire.decode(hex));
      const backend = await window.go.service.AppService.Decode(hex);
      return { wasm, backend };
    }, ECHO_REQUEST);
    assert.ok(wasm.fields.length > 5, 'the wasm report has fields');
    assert.deepEqual(wasm, backend);
  });

  it('gives bad input a clear error instead of fields', async () => {
    await paste('08 00 zz');
    const alert = page.getByRole('alert');
    await alert.waitFor(UI_WAIT);
    assert.match(await alert.textContent(), /hex/i);
    assert.equal(await page.locator('tr[data-field]').count(), 0);

    await paste('08 00');
    assert.match(await page.getByRole('alert').textContent(), /short/i);
  });

  it('reads what people paste: hex dumps with offsets, byte arrays, base64 on request', async () => {
    const summary = () => page.getByTestId('decode-summary').textContent();
    const input = () => page.getByTestId('decode-input').textContent();
    // Wireshark's "Copy as Hex Dump" line: the offset column is not data.
    await paste('0000   08 00 f7 cd 00 0d 00 25');
    assert.equal(await summary(), 'ICMPv4 Echo Request id=0x000d seq=37, 8 bytes');
    assert.equal(await input(), 'Input read as Wireshark/tshark hex dump: 8 bytes.');
    assert.equal(await page.locator('.message.warn').count(), 0, 'no warning');
    assert.deepEqual(await page.getByTestId('checksum-verdict').allTextContents(), ['correct']);
    // tcpdump -X as printed, summary line and ASCII column included.
    await paste(toolOutput('tcpdump-X.txt'));
    assert.equal(await summary(), 'IPv4 127.0.0.1 > 127.0.0.1, ICMPv4 Echo Request id=0x7ee4 seq=1, 84 bytes');
    assert.equal(await input(), 'Input read as tcpdump -x/-X output: 84 bytes (1 line before the dump skipped).');
    for (const [file, words] of [['hexdump-C.txt', 'hexdump -C output: 84 bytes'], ['xxd.txt', 'xxd output: 84 bytes'], ['xxd-i.txt', 'byte array: 84 bytes'], ['python-bytes.txt', 'escaped byte string: 84 bytes']]) {
      await paste(toolOutput(file));
      assert.equal(await input(), `Input read as ${words}.`, file);
      assert.match(await summary(), /Echo Request id=0x7ee4 seq=1, 84 bytes$/, file);
    }
    // The browser and the Go backend read pasted text the same way.
    const { wasm, backend } = await page.evaluate(async (text) => {
      const wasm = JSON.parse(globalThis.echoscopeWire.decode(text));
      const backend = await window.go.service.AppService.Decode(text);
      return { wasm, backend };
    }, toolOutput('tshark-x.txt'));
    assert.equal(wasm.input, 'read as Wireshark/tshark hex dump: 98 bytes');
    assert.deepEqual(wasm, backend);
    // Offsets that disagree are refused with what was understood.
    await paste('0000  08 00 f7 cd\n0008  00 0d 00 25');
    assert.equal(
      await page.getByTestId('decode-error').textContent(),
      'Cannot decode. Cannot read the pasted text: line 1 holds 4 bytes of hex but the next offset says 8 (read as Wireshark/tshark hex dump, nothing before it)',
    );
    // Base64 only with the switch.
    await paste('CAD3zQANACU=');
    assert.match(await page.getByTestId('decode-error').textContent(), /Invalid hex character/);
    await page.getByTestId('decode-base64').check();
    assert.equal(await summary(), 'ICMPv4 Echo Request id=0x000d seq=37, 8 bytes');
    assert.equal(await input(), 'Input read as base64: 8 bytes.');
    await page.getByTestId('decode-base64').uncheck();
    // No Lab is built yet: nothing offers to open one.
    assert.equal(await page.getByTestId('decode-open-in-lab').count(), 0);
  });

  it('names the sum and its complement, and checks as a receiver does', async () => {
    await paste('08 00 00 00 00 0d 00 25');
    const article = page.getByRole('article', { name: 'ICMPv4 checksum' });
    assert.equal(
      await article.getByTestId('checksum-sentence').textContent(),
      "Received 0x0000, but the one's complement sum of the covered words, checksum taken as 0, is 0x0832 and its complement is 0xf7cd, so the checksum should be 0xf7cd: a receiver would drop this packet.",
    );
    assert.equal(
      (await article.getByTestId('checksum-receiver').textContent()).replace(/\s+/g, ' ').trim(),
      "Receiver's check: A receiver adds every word including the checksum: 0x0832 + 0x0000 = 0x0832, not 0xffff → invalid: the packet is dropped.",
    );
    await paste('08 00 f7 cd 00 0d 00 25');
    assert.equal(
      (await article.getByTestId('checksum-receiver').textContent()).replace(/\s+/g, ' ').trim(),
      "Receiver's check: A receiver adds every word including the checksum: 0x0832 + 0xf7cd = 0xffff, all ones → valid.",
    );
  });

  it('links a field to its bytes and a byte to its field', async () => {
    await paste(ECHO_REQUEST);
    await row('Identifier').hover();
    const lit = await page.locator('.dump .byte.hl').evaluateAll((els) => els.map((el) => Number(el.dataset.index)));
    assert.deepEqual(lit, [4, 5]);

    await page.locator('.dump .byte[data-index="7"]').hover();
    const rows = await page.locator('tr.active').evaluateAll((els) => els.map((el) => el.dataset.field));
    assert.deepEqual(rows, ['Sequence Number']);

    // Keyboard: focus the table, arrow down from the first row to the second.
    await row('Type').focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.field), 'Code');

    // Keyboard in the dump: the cursor starts on byte 0; four steps right land in the Identifier.
    await page.mouse.move(0, 0);
    await page.getByRole('listbox', { name: /Hex dump/ }).focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    assert.match(await page.locator('.cursor-line').textContent(), /Byte 4 .*ICMPv4 Identifier/);
    const keyed = await page.locator('.dump .byte.hl').evaluateAll((els) => els.map((el) => Number(el.dataset.index)));
    assert.deepEqual(keyed, [4, 5]);
  });

  it('offers example packets a learner can open at once', async () => {
    await page.getByRole('button', { name: 'Time exceeded' }).click();
    assert.match(await page.getByTestId('decode-summary').textContent(), /Time Exceeded/);
    assert.ok((await page.locator('td.layer', { hasText: 'Quoted IPv4' }).count()) === 1, 'the quoted datagram is decoded');
    const verdicts = await page.getByTestId('checksum-verdict').allTextContents();
    assert.ok(verdicts.length >= 2 && verdicts.every((v) => v === 'correct'), `verdicts: ${verdicts}`);
    await page.screenshot({ path: join(artifactsDir, 'e2e-time-exceeded.png'), fullPage: true });

    await page.getByRole('button', { name: 'ICMPv6 echo' }).click();
    assert.match(await page.getByTestId('decode-summary').textContent(), /ICMPv6/);
    assert.deepEqual(await page.getByTestId('checksum-verdict').allTextContents(), ['correct']);
  });

  it('shows a clear error when the WebAssembly codec cannot load', async () => {
    const broken = await page.context().newPage();
    try {
      await broken.route('**/wire.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
      await broken.goto(app.url);
      await broken.getByRole('tab', { name: 'Decode' }).click();
      const alert = broken.getByRole('alert');
      await alert.waitFor(UI_WAIT);
      assert.match(await alert.textContent(), /could not be loaded[\s\S]*wire\.wasm: HTTP 404/);
    } finally {
      await broken.close();
    }
  });

  it('follows the OS dark setting', async () => {
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const luminance = (rgb) => {
      const [r, g, b] = rgb.match(/\d+/g).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    await page.emulateMedia({ colorScheme: 'light' });
    assert.ok(luminance(await background()) > 0.8, 'light scheme has a light background');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Echo reply with IPv4 header' }).click();
    await row('TTL').hover();
    assert.ok(luminance(await background()) < 0.2, 'dark scheme has a dark background');
    await page.screenshot({ path: join(artifactsDir, 'e2e-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('raised no uncaught errors in the page', () => {
    assert.deepEqual(app.pageErrors, []);
  });
});
