// Helpers for end-to-end tests of the ping view (and of the packet inspector, which opens
// from it): ping a target through the real engine, select a reply, start a namespaced chaos
// test host. Used by ping.e2e.mjs and engineer I's inspector specs:
//
//   import { startApp, pingAndSelectReply } from './harness.mjs';
//   const app = await startApp();
//   const inspector = await pingAndSelectReply(app.page, { target: '127.0.0.1', count: 3 });
//   // inspector is the locator of the region "Packet inspector", opened on an Echo Reply row.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** A failure deadline for UI waits, not a timing assertion. */
export const PING_WAIT = { timeout: 60_000 };

/** Opens the Options panel if closed and fills the given fields (numbers as text). */
export async function setOptions(page, options) {
  const toggle = page.getByRole('button', { name: /Options/ });
  const wasOpen = (await toggle.getAttribute('aria-expanded')) === 'true';
  if (!wasOpen) await toggle.click();
  const fields = { count: 'Count', intervalMs: 'Interval (ms)', timeoutMs: 'Timeout (ms)', size: 'Size (bytes)', ttl: 'TTL' };
  for (const [key, label] of Object.entries(fields)) {
    if (options[key] !== undefined) await page.getByLabel(label, { exact: false }).fill(String(options[key]));
  }
  if (!wasOpen) await toggle.click(); // leave the panel as it was (closed: more room for rows)
}

/**
 * Types target, sets count/interval/timeout, presses Enter, and waits until the session ends
 * (count reached) when wait is true.
 */
export async function ping(page, { target, count = 3, intervalMs = 100, timeoutMs = 1000, wait = true }) {
  await page.getByRole('tab', { name: 'Ping' }).click();
  await setOptions(page, { count, intervalMs, timeoutMs });
  const box = page.getByRole('combobox', { name: 'Target' });
  await box.fill(target);
  await box.press('Enter');
  if (wait) await page.getByTestId('ping-state').filter({ hasText: /^\s*(done|stopped|failed)\s*$/ }).waitFor(PING_WAIT);
}

/** Pings target, clicks the first Echo Reply row, and returns the opened inspector region. */
export async function pingAndSelectReply(page, options = { target: '127.0.0.1' }) {
  await ping(page, { count: 3, ...options });
  // On time: ours (other processes' pings on loopback appear as foreign replies).
  const reply = page.locator('[role="row"][data-kind="reply"][data-class="on-time"]').first();
  await reply.waitFor(PING_WAIT);
  await reply.click();
  const inspector = page.getByRole('region', { name: 'Packet inspector' });
  await inspector.waitFor(PING_WAIT);
  return inspector;
}

/**
 * Starts backend/testnet's echoscope-testhost (root only): a network namespace behind a veth
 * pair whose user-space responder answers with the given fault (duplicate, drop, ...).
 * Returns { host, stop }: host has peerV4/peerV6; stop() removes the namespace.
 */
export async function startTestHost(args) {
  const dir = mkdtempSync(join(tmpdir(), 'echoscope-e2e-testhost-'));
  const bin = join(dir, 'echoscope-testhost');
  execFileSync('go', ['build', '-o', bin, './backend/testnet/cmd/echoscope-testhost'], { cwd: repoRoot, stdio: 'inherit' });
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const host = await new Promise((resolveHost, reject) => {
      child.stdout.on('data', (c) => {
        out += c;
        const line = out.split('\n')[0];
        if (out.includes('\n')) {
          try {
            resolveHost(JSON.parse(line));
          } catch (e) {
            reject(new Error(`testhost printed ${line}: ${e.message}`));
          }
        }
      });
      child.once('exit', (code) => reject(new Error(`echoscope-testhost ${args.join(' ')} exited ${code}: ${err}`)));
    });
    return { host, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
