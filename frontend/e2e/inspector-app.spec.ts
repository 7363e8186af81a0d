// End to end through the real app: the dev-mode binary (Go backend, real engine) under Xvfb,
// Chromium on its dev server (e2e/harness.mjs). Pings 127.0.0.1 and namespaced chaos hosts from
// the ping view, selects rows and checks what the packet inspector says about them.
// Needs root (raw sockets, namespaces) and a built frontend/dist (make e2e builds it first).
//
// Run (from frontend/): npx vitest run -c e2e/inspector.vitest.config.ts inspector-app

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { artifactsDir, pingAndSelectReply, startApp, startTestHost } from './harness.mjs';
import { PING_WAIT, ping } from './ping-helpers.mjs';

interface App {
  page: Page;
  stop(): Promise<void>;
  pageErrors: string[];
}

const root = process.getuid?.() === 0;
let app: App | undefined;
let page: Page;

beforeAll(async () => {
  if (!root) return;
  app = (await startApp()) as App;
  page = app.page;
}, 300_000);

afterAll(async () => {
  await app?.stop();
});

/** Byte offsets lit in one of the inspector's dumps. */
async function highlighted(inspector: Locator, packet: string): Promise<number[]> {
  const cells = inspector.locator(`[data-testid="${packet}"] .dump .byte.hl`);
  return (await cells.evaluateAll((els) => els.map((el) => Number((el as HTMLElement).dataset.index)))).sort((a, b) => a - b);
}

/** "24–25" -> [24, 25]; "6" -> [6]. */
function offsets(position: string): number[] {
  const [first = NaN, last = first] = position.split('–').map(Number);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

function rows(selector: string): Locator {
  return page.locator(`[role="row"]${selector}`);
}

describe.skipIf(!root)('packet inspector in the app, on packets the engine just exchanged', () => {
  it('a reply from 127.0.0.1: dump, fields, links both ways, checksum, diff, matching', async () => {
    const inspector: Locator = await pingAndSelectReply(page, { target: '127.0.0.1', count: 2, intervalMs: 50 });
    await inspector.getByTestId('match-headline').waitFor(PING_WAIT);
    const reply = inspector.getByTestId('inspector-reply');
    expect(await reply.locator('tr[data-field="Type"]').first().textContent()).toMatch(/Echo Reply/);
    expect(await inspector.getByTestId('inspector-request').locator('tr[data-field="Type"]').first().textContent()).toMatch(/Echo Request/);
    const count = Number((await reply.locator('.count').first().textContent())?.match(/\d+/)?.[0]);
    expect(await reply.locator('.dump .byte').count()).toBe(count);

    // Field -> bytes: the Identifier's bytes are those its Offset column names.
    const identifier = reply.locator('tr[data-field="Identifier"]').first();
    const where = offsets((await identifier.locator('td').nth(2).textContent()) ?? '');
    await identifier.hover();
    expect(await highlighted(inspector, 'inspector-reply')).toEqual(where);
    // Byte -> field: pointing at the byte after the identifier lights the Sequence Number row.
    await reply.locator(`.dump .byte[data-index="${(where[1] ?? 0) + 1}"]`).hover();
    expect(await reply.locator('tr.active').getAttribute('data-field')).toBe('Sequence Number');

    const icmp = inspector.getByRole('article', { name: 'ICMPv4 checksum' });
    expect(await icmp.getByTestId('checksum-verdict').textContent()).toBe('correct');
    expect(await inspector.getByTestId('diff-verdict').textContent()).toMatch(/Only the expected bytes changed: type, checksum/);
    expect(await inspector.getByTestId('match-class').textContent()).toMatch(/on time/);
    expect(await inspector.getByTestId('match-rule').textContent()).toMatch(/^Matched by (id\+seq\+token|seq\+token)/);
    expect(await inspector.getByTestId('match-clocks').textContent()).toMatch(/^The RTT runs from/);
    await page.mouse.move(0, 0);
    // The window as a person sees it: table on the left, the inspector scrolled to its top beside it.
    await page.screenshot({ path: join(artifactsDir, 'e2e-inspector-app.png') });
  }, 240_000);

  it('a duplicate from a chaos host names the row that answered first', async () => {
    const th = await startTestHost(['-fault', 'duplicate']);
    try {
      await ping(page, { target: th.host.peerV4, count: 2, intervalMs: 100, timeoutMs: 1000 });
      await rows('[data-class="duplicate"]').first().click();
      const inspector = page.getByRole('region', { name: 'Packet inspector' });
      await inspector.getByTestId('match-class').filter({ hasText: 'duplicate' }).waitFor(PING_WAIT);
      expect(await inspector.getByTestId('match-headline').textContent()).toMatch(/had already been answered \((row \d+|an earlier row)\)/);
    } finally {
      await th.stop();
    }
  }, 240_000);

  it('a lost request says its timeout and has nothing to compare', async () => {
    const th = await startTestHost(['-fault', 'drop', '-every', '2']);
    try {
      await ping(page, { target: th.host.peerV4, count: 2, intervalMs: 100, timeoutMs: 400 });
      await rows('[data-kind="loss"]').first().click();
      const inspector = page.getByRole('region', { name: 'Packet inspector' });
      await inspector.getByTestId('match-class').filter({ hasText: 'lost' }).waitFor(PING_WAIT);
      expect(await inspector.getByTestId('match-headline').textContent()).toMatch(/no answer to seq 2 arrived within its 400 ms timeout/);
      expect(await inspector.getByTestId('diff-alignment').textContent()).toMatch(/Nothing came back/);
    } finally {
      await th.stop();
    }
  }, 240_000);

  it('raised no uncaught errors in the page', () => {
    expect(app?.pageErrors).toEqual([]);
  });
});
