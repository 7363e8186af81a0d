// End to end for the packet inspector: Chromium on the inspector's dev page (Vite dev server,
// the real WebAssembly codec), fed rows captured from the real engine (lib/inspector/samples.ts)
// and one reply the engine captures right now from 127.0.0.1 (root only). Checks hex dump and
// fields, linked highlighting both ways (mouse and keyboard), bit strip, checksum walkthrough,
// diff and matching texts; writes light and dark screenshots to build/test-artifacts.
//
// Run (from frontend/): npx vitest run --root e2e inspector.spec.ts
// (docs/screenshots/inspector.png comes from WebKitGTK: e2e/docs-screenshots.mjs.)
//
// When the ping view is in the app, a second file through the dev-mode binary (e2e/harness.mjs)
// can select a live row; this one keeps the inspector's own checks independent of that view.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';

const frontendDir = resolve(import.meta.dirname, '..');
const repoRoot = resolve(frontendDir, '..');
const artifactsDir = join(repoRoot, 'build', 'test-artifacts');
const DEV_PAGE = 'src/components/inspector/dev/index.html';
// A failure deadline only: the wasm codec compiles per page, slowly on a busy 2-core machine.
const UI_WAIT = { timeout: 90_000 };

let vite: ChildProcess | undefined;
let browser: Browser;
let base = '';

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHttp(url: string): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (vite?.exitCode !== null && vite?.exitCode !== undefined) throw new Error(`vite exited with ${vite.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - start > 60_000) throw new Error(`${url} did not answer within 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  mkdirSync(artifactsDir, { recursive: true });
  if (!existsSync(join(frontendDir, 'public', 'wire.wasm'))) execFileSync('node', ['scripts/build-wasm.mjs'], { cwd: frontendDir, stdio: 'inherit' });
  const port = await freePort();
  // detached: its own process group, so afterAll ends npx and vite together.
  vite = spawn('npx', ['vite', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: frontendDir, detached: true, stdio: 'ignore' });
  base = `http://127.0.0.1:${port}/`;
  await waitForHttp(base + DEV_PAGE);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (vite?.pid && vite.exitCode === null) {
    try {
      process.kill(-vite.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
});

async function open(query: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, colorScheme });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(base + DEV_PAGE + query);
  await page.getByTestId('match-headline').waitFor(UI_WAIT);
  expect(errors).toEqual([]);
  return page;
}

/** Byte offsets highlighted in a dump ("inspector-reply" or "inspector-request"). */
async function highlighted(page: Page, packet: string): Promise<number[]> {
  const cells = page.locator(`[data-testid="${packet}"] .dump .byte.hl`);
  return (await cells.evaluateAll((els) => els.map((el) => Number((el as HTMLElement).dataset.index)))).sort((a, b) => a - b);
}

function fieldRow(page: Page, packet: string, name: string) {
  return page.locator(`[data-testid="${packet}"] tr[data-field="${name}"]`).first();
}

describe('packet inspector on a captured loopback reply', () => {
  let page: Page;
  beforeAll(async () => {
    page = await open('?sample=onTimeLoopback');
  }, 180_000);
  afterAll(() => page?.close());

  it('is a region named "Packet inspector" with both dumps and their fields', async () => {
    await expect(page.getByRole('region', { name: 'Packet inspector' }).isVisible()).resolves.toBe(true);
    expect(await page.locator('[data-testid="inspector-reply"] .dump .byte').count()).toBe(84);
    expect(await page.locator('[data-testid="inspector-request"] .dump .byte').count()).toBe(64);
    expect(await page.locator('[data-testid="inspector-reply"] .dump .offset').allTextContents()).toEqual(['0000', '0010', '0020', '0030', '0040', '0050']);
    expect(await fieldRow(page, 'inspector-reply', 'Type').textContent()).toMatch(/Echo Reply/);
    expect(await fieldRow(page, 'inspector-request', 'Type').textContent()).toMatch(/Echo Request/);
    expect(await fieldRow(page, 'inspector-reply', 'Session Token').textContent()).toMatch(/identifies the Echoscope session/);
  });

  it('hovering a field lights its bytes; hovering a byte lights its field', async () => {
    await fieldRow(page, 'inspector-reply', 'Identifier').hover();
    expect(await highlighted(page, 'inspector-reply')).toEqual([24, 25]);
    await page.locator('[data-testid="inspector-reply"] .dump .byte[data-index="26"]').hover();
    expect(await page.locator('[data-testid="inspector-reply"] tr.active').getAttribute('data-field')).toBe('Sequence Number');
    expect(await highlighted(page, 'inspector-reply')).toEqual([26, 27]);
  });

  it('a bit field shows its bits: IHL is the low four bits of byte 0', async () => {
    await fieldRow(page, 'inspector-reply', 'IHL').hover();
    expect(await highlighted(page, 'inspector-reply')).toEqual([0]);
    const strip = page.locator('[data-testid="inspector-reply"] [data-testid="bit-strip"]');
    expect(await strip.textContent()).toMatch(/IHL is bits 4–7 of byte 0: 0101 = 5/);
    expect(await strip.locator('.bit.in').allTextContents()).toEqual(['0', '1', '0', '1']);
  });

  it('works from the keyboard: arrow keys in the dump and in the field table', async () => {
    const dump = page.getByRole('listbox', { name: 'Reply received: bytes, arrow keys move between bytes' });
    await page.mouse.move(0, 0);
    await dump.focus();
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
    expect(await page.locator('[data-testid="inspector-reply"] tr.active').getAttribute('data-field')).toBe('TTL');
    await fieldRow(page, 'inspector-request', 'Type').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await highlighted(page, 'inspector-request')).toEqual([2, 3]);
  });

  it('walks the ICMP checksum word by word and verifies it', async () => {
    const article = page.getByRole('article', { name: 'ICMPv4 checksum' });
    expect(await article.getByTestId('checksum-verdict').textContent()).toBe('correct');
    expect(await article.locator('tbody tr').count()).toBe(32);
    const received = (await fieldRow(page, 'inspector-reply', 'Checksum').locator('td').nth(3).textContent()) ?? '';
    expect(await article.locator('.folds li').last().textContent()).toBe(`checksum = ~sum = ${received}`);
    expect(await article.textContent()).toMatch(/they match, so these bytes arrived as sent/);
    // Step 3 adds the identifier word at byte 24: pointing at it lights those two bytes.
    await article.locator('tbody tr').nth(2).hover();
    expect(await highlighted(page, 'inspector-reply')).toEqual([24, 25]);
  });

  it('diffs request and reply on the ICMP header, and lights a change in both dumps', async () => {
    const diff = page.getByTestId('inspector-diff');
    expect(await diff.getByTestId('diff-alignment').textContent()).toMatch(/first 20 bytes are its IPv4 header/);
    expect(await diff.locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.diffField))).toEqual(['Type', 'Checksum']);
    expect(await diff.locator('tr[data-diff-field="Type"]').textContent()).toMatch(/Echo Request \(8\) becomes Echo Reply \(0\)/);
    await diff.locator('tr[data-diff-field="Checksum"]').hover();
    expect(await highlighted(page, 'inspector-request')).toEqual([2, 3]);
    expect(await highlighted(page, 'inspector-reply')).toEqual([22, 23]);
    expect(await page.locator('[data-testid="inspector-reply"] .dump .byte.marked').evaluateAll((els) => els.map((el) => Number((el as HTMLElement).dataset.index)))).toEqual([20, 22]);
    expect(await diff.getByTestId('diff-verdict').textContent()).toMatch(/Only the expected bytes changed: type, checksum\./);
  });

  it('explains the match: rule, compared values, clocks', async () => {
    expect(await page.getByTestId('match-class').textContent()).toMatch(/on time/);
    expect(await page.getByTestId('match-rule').textContent()).toMatch(/^Matched by id\+seq\+token/);
    const results = await page.getByTestId('match-comparisons').locator('tbody tr td:last-child').allTextContents();
    expect(results.map((r) => r.trim())).toEqual(['= equal', '= equal', '= equal', '= equal']);
    expect(await page.getByTestId('match-clocks').textContent()).toMatch(/kernel’s transmit timestamp to the kernel’s receive timestamp/);
  });
});

describe('packet inspector explains every class', () => {
  const cases: [string, RegExp, RegExp][] = [
    ['late', /late/, /past its 50 ms timeout, so seq 2 had already been declared lost/],
    ['duplicate', /duplicate/, /seq 2 had already been answered \(row \d+\)/],
    ['outOfOrder', /out of order/, /a later request was answered first \(row \d+\)/],
    ['badChecksum', /corrupt/, /damaged: bad checksum 0xb27b, want 0xb27a/],
    ['otherAddress', /foreign/, /different address: reply from 198\.18\.0\.3/],
    ['timeExceeded', /ICMP error/, /reports Time Exceeded \(Time to Live exceeded in Transit\) for seq 1/],
    ['lost', /lost/, /no answer to seq 2 arrived within its 300 ms timeout/],
  ];
  for (const [sample, word, sentence] of cases) {
    it(sample, async () => {
      const page = await open(`?sample=${sample}`);
      expect(await page.getByTestId('match-class').textContent()).toMatch(word);
      expect(await page.getByTestId('match-headline').textContent()).toMatch(sentence);
      await page.close();
    });
  }

  it('a bad checksum is wrong in the walkthrough and damage in the diff', async () => {
    const page = await open('?sample=badChecksum');
    expect(await page.getByRole('article', { name: 'ICMPv4 checksum' }).getByTestId('checksum-verdict').textContent()).toBe('wrong');
    expect(await page.getByTestId('inspector-diff').locator('tr[data-diff-field="Checksum"]').textContent()).toMatch(/damaged/);
    await page.close();
  });

  it('an ICMP error is compared with its quoted copy of the request', async () => {
    const page = await open('?sample=timeExceeded');
    expect(await page.getByTestId('diff-alignment').textContent()).toMatch(/quotes it: .* starts at reply byte 48/);
    expect(await page.getByTestId('diff-verdict').textContent()).toMatch(/The quoted copy is identical to the request as sent/);
    await page.close();
  });
});

// One line of `echoscope-ping --json=full` (docs/cli-json.md, schema 1).
interface CliEvent {
  schema: number;
  type: 'start' | 'send' | 'reply' | 'icmp_error' | 'loss' | 'statistics' | 'status' | 'summary' | 'failure';
  class?: string;
  rule?: string;
  note?: string;
  index?: number;
  seq: number;
  identifier: number;
  from?: string;
  to?: string;
  ttl?: number;
  size_bytes: number;
  bytes_hex?: string;
  request_hex?: string;
  includes_ip_header?: boolean;
  sent_time?: string;
  sent_clock?: string;
  received_time?: string;
  received_clock?: string;
  rtt_ms?: number;
  rtt_clocks?: string;
}

describe('packet inspector on a reply the engine captures now', () => {
  const root = process.getuid?.() === 0;
  it.skipIf(!root)('pings 127.0.0.1 (raw socket, as root) and explains the reply', async () => {
    const out = execFileSync('go', ['run', './cmd/echoscope-ping', '--json=full', '-c', '1', '-W', '5', '127.0.0.1'], { cwd: repoRoot, encoding: 'utf8' });
    const events = out.trim().split('\n').map((line) => JSON.parse(line) as CliEvent);
    const reply = events.find((e) => e.type === 'reply' && e.class === 'on-time');
    expect(reply, out).toBeDefined();
    if (!reply) return;
    const detail = {
      sessionId: 'e2e', row: 1, kind: reply.type, class: reply.class ?? '', rule: reply.rule ?? '', note: reply.note ?? '',
      index: reply.index ?? 0, seq: reply.seq, id: reply.identifier, engine: 'in-process-raw', socket: 'raw', target: '127.0.0.1',
      from: reply.from ?? '', to: reply.to ?? '', ttl: reply.ttl ?? -1, size: reply.size_bytes,
      requestHex: reply.request_hex ?? '', replyHex: reply.bytes_hex ?? '', replyIncludesIpHeader: reply.includes_ip_header ?? false, family: 4,
      sentAt: reply.sent_time ?? '', sentClock: reply.sent_clock ?? '', receivedAt: reply.received_time ?? '', receivedClock: reply.received_clock ?? '',
      rttMs: reply.rtt_ms ?? null, rttClocks: reply.rtt_clocks ?? '', identifierRewritten: false, kernelIdentifier: reply.identifier, timeoutMs: 5000, answeredBefore: [],
    };
    const page = await open('#' + encodeURIComponent(JSON.stringify(detail)));
    expect(await page.getByTestId('match-class').textContent()).toMatch(/on time/);
    const idText = `0x${reply.identifier.toString(16).padStart(4, '0')} (${reply.identifier})`;
    expect(await page.getByTestId('match-comparisons').locator('tbody tr').first().textContent()).toBe(`identifier${idText}${idText}= equal`);
    expect(await page.getByRole('article', { name: 'ICMPv4 checksum' }).getByTestId('checksum-verdict').textContent()).toBe('correct');
    expect(await page.getByTestId('diff-verdict').textContent()).toMatch(/Only the expected bytes changed: type, checksum\./);
    await page.close();
  }, 240_000);
});

describe('screenshots', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(scheme, async () => {
      const page = await open('?sample=onTimeLoopback', scheme);
      // Tall enough for the whole inspector: taking the shot must not scroll the row away from the pointer.
      await page.setViewportSize({ width: 1360, height: 2600 });
      await fieldRow(page, 'inspector-reply', 'IHL').hover();
      expect(await highlighted(page, 'inspector-reply')).toEqual([0]);
      const path = join(artifactsDir, `inspector-${scheme}.png`);
      // The inspector alone (not the dev page's row picker), as it sits in the app.
      await page.getByRole('region', { name: 'Packet inspector' }).screenshot({ path });
      await page.close();
    });
  }
});
