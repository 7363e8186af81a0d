// End to end through the real app (dev binary, real engine, Chromium; see inspector-app.spec.ts):
// what the inspector says about how rows are tied together, where their bytes came from, and
// the checksum as the sender wrote it and as a receiver checks it.
//
// Run (from frontend/): npx vitest run -c e2e/inspector.vitest.config.ts inspector-links

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { artifactsDir, startApp, startTestHost } from './harness.mjs';
import { PING_WAIT, ping } from './ping-helpers.mjs';

interface App {
  page: Page;
  stop(): Promise<void>;
  pageErrors: string[];
}

const root = process.getuid?.() === 0;
let app: App | undefined;
let page: Page;
let inspector: Locator;

beforeAll(async () => {
  if (!root) return;
  app = (await startApp()) as App;
  page = app.page;
  inspector = page.getByRole('region', { name: 'Packet inspector' });
}, 300_000);

afterAll(async () => {
  await app?.stop();
});

function row(selector: string): Locator {
  return page.locator(`[role="row"]${selector}`);
}

async function text(l: Locator): Promise<string> {
  return ((await l.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** One's complement 16-bit addition, as a receiver sums words. */
function onesAdd(a: number, b: number): number {
  const s = a + b;
  return (s & 0xffff) + (s >>> 16);
}

describe.skipIf(!root)('inspector: rows linked, bytes worded by where they came from, checksums both ways', () => {
  it('a request names its reply with the RTT and a link; the reply links back', async () => {
    const th = await startTestHost(['-fault', 'none']);
    try {
      await ping(page, { target: th.host.peerV4, count: 2, intervalMs: 100, timeoutMs: 1000 });
      const send = row('[data-kind="send"]').first();
      const sendRow = Number(await send.getAttribute('data-row'));
      await send.click();
      await inspector.getByTestId('inspector-row').filter({ hasText: `Row ${sendRow} ` }).waitFor(PING_WAIT);
      const links = await text(inspector.getByTestId('row-links'));
      const m = links.match(/^Seq (\d+) was answered by one row: row (\d+): reply on time, RTT ([\d.]+) ms\.$/);
      expect(m, links).not.toBeNull();
      const [, seq, replyRow, linkRtt] = m as RegExpMatchArray;
      expect(await text(inspector.getByTestId('match-clocks'))).toBe('A request row has no RTT of its own: each answer listed above carries its RTT.');
      expect(await text(inspector.getByTestId('match-headline'))).toMatch(new RegExp(`Request seq ${seq} as sent to ${th.host.peerV4.replaceAll('.', '\\.')};`));
      expect(await text(inspector.getByTestId('inspector-request').locator('.note'))).toMatch(/^Written by Echoscope: the ICMP message it handed to the (raw|datagram) socket \(the kernel adds the IP header\)\./);

      // The link selects the reply, in the table too; its RTT is the one the link named.
      await inspector.getByTestId('row-link').click();
      await inspector.getByTestId('inspector-row').filter({ hasText: `Row ${replyRow} · reply received · seq ${seq}` }).waitFor(PING_WAIT);
      expect(await row(`[data-row="${replyRow}"]`).getAttribute('aria-selected')).toBe('true');
      const rttText = await text(inspector.getByTestId('inspector-match').locator('dd').filter({ hasText: /timeout/ }));
      expect(Math.abs(Number(rttText.match(/^([\d.]+) ms/)?.[1]) - Number(linkRtt))).toBeLessThan(0.01);
      expect(await text(inspector.getByTestId('row-links'))).toBe(`Answers seq ${seq}, sent in row ${sendRow}.`);
      expect(await text(inspector.getByTestId('inspector-reply').locator('.note'))).toMatch(
        new RegExp(`^As the kernel delivered it on the (raw|datagram) socket from ${th.host.peerV4.replaceAll('.', '\\.')}: `),
      );

      // The receiver's check closes the walkthrough: every word, checksum included, sums to 0xffff.
      const icmp = inspector.getByRole('article', { name: 'ICMPv4 checksum' });
      const receiver = await text(icmp.getByTestId('checksum-receiver'));
      const sums = receiver.match(/^Receiver's check: A receiver adds every word including the checksum: 0x([0-9a-f]{4}) \+ 0x([0-9a-f]{4}) = 0xffff, all ones → valid\.$/);
      expect(sums, receiver).not.toBeNull();
      expect(onesAdd(parseInt(sums?.[1] ?? '', 16), parseInt(sums?.[2] ?? '', 16))).toBe(0xffff);
      // And back to the request.
      await inspector.getByTestId('row-link').click();
      await inspector.getByTestId('inspector-row').filter({ hasText: `Row ${sendRow} · request sent` }).waitFor(PING_WAIT);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(artifactsDir, 'e2e-inspector-links.png') });
    } finally {
      await th.stop();
    }
  }, 240_000);

  it('a request answered twice lists both replies; a lost one says nothing was received', async () => {
    const dup = await startTestHost(['-fault', 'duplicate']);
    try {
      await ping(page, { target: dup.host.peerV4, count: 2, intervalMs: 100, timeoutMs: 1000 });
      // The duplicate links to its request, which lists both the first reply and the duplicate.
      const duplicate = row('[data-class="duplicate"]').first();
      const dupRow = Number(await duplicate.getAttribute('data-row'));
      await duplicate.click();
      await inspector.getByTestId('match-class').filter({ hasText: 'duplicate' }).waitFor(PING_WAIT);
      const back = (await text(inspector.getByTestId('row-links').filter({ hasText: /sent in\s+row/ }))).match(/^Answers seq (\d+), sent in row (\d+)\.$/);
      expect(back).not.toBeNull();
      await inspector.getByTestId('row-link').click();
      await inspector.getByTestId('inspector-row').filter({ hasText: `Row ${back?.[2]} · request sent` }).waitFor(PING_WAIT);
      expect(await text(inspector.getByTestId('row-links'))).toMatch(
        new RegExp(`^Seq ${back?.[1]} was answered by 2 rows: row \\d+: reply on time, RTT [\\d.]+ ms; row ${dupRow}: duplicate reply, RTT [\\d.]+ ms\\.$`),
      );
    } finally {
      await dup.stop();
    }
    const drop = await startTestHost(['-fault', 'drop', '-every', '2']);
    try {
      await ping(page, { target: drop.host.peerV4, count: 2, intervalMs: 100, timeoutMs: 400 });
      await row('[data-kind="loss"]').first().click();
      await inspector.getByTestId('match-class').filter({ hasText: 'lost' }).waitFor(PING_WAIT);
      expect(await text(inspector.getByTestId('row-links'))).toBe('Nothing was received for seq 2.');
      expect(await text(inspector.getByTestId('match-clocks'))).toBe('No round-trip time: nothing was received for this request.');
      // The icon is an SVG (no text: a glyph rendered as a letter in WebKitGTK), then the word.
      expect(await inspector.getByTestId('match-class').locator('svg').getAttribute('data-icon')).toBe('bad');
      expect(await text(inspector.getByTestId('match-headline'))).toBe('lost Lost: no answer to seq 2 arrived within its 400 ms timeout. It counts as lost even if a late reply turns up afterwards.');
    } finally {
      await drop.stop();
    }
  }, 240_000);

  it('an ICMPv6 request written with checksum 0: left for the kernel, with the value on the wire', async () => {
    const th = await startTestHost(['-fault', 'none']);
    try {
      await ping(page, { target: th.host.peerV6, count: 1, intervalMs: 100, timeoutMs: 1000 });
      await row('[data-kind="send"]').first().click();
      await inspector.getByTestId('row-links').filter({ hasText: 'answered by one row' }).waitFor(PING_WAIT);
      const request = inspector.getByTestId('inspector-request');
      const meaning = await text(request.locator('tr[data-field="Checksum"]').first());
      const onWire = meaning.match(/checksum 0x0000: left 0 for the kernel to fill; on the wire it is 0x([0-9a-f]{4})$/)?.[1];
      expect(onWire, meaning).toBeDefined();
      const v6 = inspector.getByRole('article', { name: 'ICMPv6 checksum' });
      expect(await text(v6.getByTestId('checksum-verdict'))).toBe('filled by the kernel');
      const sentence = await text(v6.getByTestId('checksum-sentence'));
      const sum = sentence.match(
        new RegExp(`^Left 0 for the kernel to fill; on the wire it is 0x${onWire}: the one's complement sum of the covered words, checksum taken as 0, is 0x([0-9a-f]{4}) and its complement is 0x${onWire} \\(pseudo-header included\\)\\.$`),
      )?.[1];
      expect(sum, sentence).toBeDefined();
      expect(await text(v6.getByTestId('checksum-receiver'))).toBe(
        `Receiver's check: A receiver adds every word including the checksum the kernel writes: 0x${sum} + 0x${onWire} = 0xffff, all ones → valid.`,
      );
      // What the kernel really wrote: the reply differs from the request only in its type
      // (128 -> 129, one more 0x0100 in the sum), so its checksum is 0x0100 less.
      await inspector.getByTestId('row-link').click();
      await inspector.getByTestId('inspector-row').filter({ hasText: 'reply received' }).waitFor(PING_WAIT);
      const replySum = (await text(inspector.getByTestId('inspector-reply').locator('tr[data-field="Checksum"] td.value').first())).replace('0x', '');
      expect(onesAdd(parseInt(replySum, 16), 0x0100)).toBe(parseInt(onWire ?? '', 16));
    } finally {
      await th.stop();
    }
  }, 240_000);

  it('copies a packet as a Wireshark hex dump and a C array that the Decode tab reads back, and a row', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const th = await startTestHost(['-fault', 'none']);
    try {
      await ping(page, { target: th.host.peerV4, count: 1, intervalMs: 100, timeoutMs: 1000 });
      const send = row('[data-kind="send"]').first();
      const sendRow = await send.getAttribute('data-row');
      await send.click();
      const request = inspector.getByTestId('inspector-request');
      await inspector.getByTestId('inspector-row').filter({ hasText: `Row ${sendRow} ` }).waitFor(PING_WAIT);
      const summary = await text(request.locator('.summary'));
      for (const style of ['hexdump', 'c']) {
        await request.getByTestId(`copy-${style}`).click();
        await request.getByRole('status').filter({ hasText: /^Copied as/ }).waitFor(PING_WAIT);
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        expect(copied).toMatch(style === 'c' ? /^unsigned char request\[\] = \{\n {2}0x08, 0x00,/ : /^0000 {2}08 00 /);
        await page.getByRole('tab', { name: 'Decode' }).click();
        await page.getByLabel('Packet bytes').fill(copied);
        await page.getByTestId('decode-input').filter({ hasText: style === 'c' ? 'byte array' : 'Wireshark/tshark hex dump' }).waitFor(PING_WAIT);
        // The request decodes the same as in the inspector (the Decode tab labels no Echoscope payload).
        expect(await text(page.getByTestId('decode-summary'))).toBe(summary);
        await page.getByRole('tab', { name: 'Ping' }).click();
      }
      await inspector.getByTestId('copy-row').click();
      const line = await page.evaluate(() => navigator.clipboard.readText());
      expect(line).toBe(`${sendRow}\tsend\t1\t${line.split('\t')[3]}\t64\t\t\tsend\t${line.split('\t')[8]}`);
      // One field's value: its ⧉ button, and Ctrl+C on the focused row, copy the Value cell.
      const checksum = request.locator('tr[data-field="Checksum"]').first();
      await checksum.hover();
      await checksum.getByTestId('copy-field').click();
      await request.getByTestId('copy-field-status').filter({ hasText: 'Copied the value of Checksum.' }).waitFor(PING_WAIT);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await text(checksum.locator('td.value')));
      const type = request.locator('tr[data-field="Type"]').first();
      await type.focus();
      await page.keyboard.press('Control+c');
      await request.getByTestId('copy-field-status').filter({ hasText: 'Copied the value of Type.' }).waitFor(PING_WAIT);
      const typeValue = await text(type.locator('td.value'));
      expect(typeValue).not.toBe('');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(typeValue);
    } finally {
      await th.stop();
    }
  }, 240_000);

  it('raised no uncaught errors in the page', () => {
    expect(app?.pageErrors).toEqual([]);
  });
});
