// End to end through the real app: the remembered settings (issue 12, point 4). A target, an
// option and the split share set in one run are there after a restart on the same data
// directory; a damaged settings file opens the window with the defaults and a notice. No
// pinging, so no root needed. Run: npm run e2e.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startApp } from './harness.mjs';
import { setOptions } from './ping-helpers.mjs';
import { dataDirForTest, openSessionRow, pingSession, sessionRows, showHistory, statText, UI_WAIT } from './history-helpers.mjs';

const isRoot = process.getuid?.() === 0;

/** Runs body with an app on dataDir, stopping the app whatever happens. */
async function withApp(dataDir, body) {
  const app = await startApp({ dataDir });
  try {
    await app.page.getByRole('combobox', { name: 'Target' }).waitFor(UI_WAIT);
    await body(app);
    assert.deepEqual(app.pageErrors, [], 'no uncaught errors in the page');
  } finally {
    await app.stop();
  }
}

/** Waits until the settings file holds what pred accepts (the page writes after a short pause). */
async function settingsFile(dir, pred) {
  const file = join(dir, 'settings.json');
  let last = null;
  for (let i = 0; i < 100; i++) {
    if (existsSync(file)) {
      last = JSON.parse(readFileSync(file, 'utf8'));
      if (pred(last)) return last;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`settings.json never matched: ${JSON.stringify(last)}`);
}

describe('Echoscope settings', () => {
  it('keeps the target and the options across a restart', async () => {
    const dir = dataDirForTest('settings');
    try {
      await withApp(dir, async ({ page }) => {
        await page.getByRole('combobox', { name: 'Target' }).fill('remembered.test');
        await page.getByRole('button', { name: /Options/ }).click();
        await page.getByLabel('TTL', { exact: false }).fill('42');
        await page.getByLabel('IP version').selectOption('6');
        await settingsFile(dir, (s) => s.target === 'remembered.test' && s.options.ttl === 42 && s.options.family === 6);
        // The real window (the dev server forwards the runtime to it): a size to remember.
        await page.evaluate(() => globalThis.runtime.WindowSetSize(1100, 750));
        await page.waitForFunction(async () => (await globalThis.runtime.WindowGetSize()).w === 1100, null, UI_WAIT);
        // Quit takes the window's close path (its close button sends the same message), which
        // reads the size before the window goes.
        await page.evaluate(() => void globalThis.runtime.Quit()).catch(() => {});
      });
      const saved = await settingsFile(dir, (s) => s.window.placed);
      assert.deepEqual([saved.window.width, saved.window.height], [1100, 750], 'the size at close is remembered');
      await withApp(dir, async ({ page }) => {
        const box = page.getByRole('combobox', { name: 'Target' });
        await page.waitForFunction(() => document.querySelector('[data-testid="ping-target"]')?.value === 'remembered.test', null, UI_WAIT);
        assert.equal(await box.inputValue(), 'remembered.test');
        await page.getByRole('button', { name: /Options/ }).click();
        assert.equal(await page.getByLabel('TTL', { exact: false }).inputValue(), '42');
        assert.equal(await page.getByLabel('IP version').inputValue(), '6');
        assert.equal(await page.getByTestId('settings-notice').count(), 0, 'no notice for a sound file');
        assert.deepEqual(await page.evaluate(() => globalThis.runtime.WindowGetSize()), { w: 1100, h: 750 }, 'the window opens at the remembered size');
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens with the defaults and a notice when the settings file is damaged', async () => {
    const dir = dataDirForTest('settings-bad');
    try {
      writeFileSync(join(dir, 'settings.json'), '{"target": "half');
      await withApp(dir, async ({ page }) => {
        const notice = page.getByTestId('settings-notice');
        await notice.waitFor(UI_WAIT);
        assert.match(await notice.textContent(), /damaged.*defaults/);
        assert.equal(await page.getByRole('combobox', { name: 'Target' }).inputValue(), '');
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows a reopened session its recorded options and pings again with them', { skip: !isRoot && 'needs root (raw ICMP sockets)' }, async () => {
    const dir = dataDirForTest('settings-again');
    try {
      await withApp(dir, async ({ page }) => {
        await pingSession(page, '127.0.0.1', 3, { intervalMs: 150 });
        await setOptions(page, { count: 9, intervalMs: 400 }); // the form moves on
        await showHistory(page);
        await openSessionRow(sessionRows(page).first(), page);
        assert.match(await page.getByTestId('ping-again').getAttribute('title'), /recorded options: 3 × 150 ms · timeout 1000 ms · /);
        await page.getByRole('button', { name: /Options/ }).click();
        assert.match(await page.getByTestId('recorded-options').textContent(), /ran with 3 × 150 ms · timeout 1000 ms · /);
        await page.getByRole('button', { name: /Options/ }).click();
        await page.getByTestId('ping-again').click();
        await page.waitForFunction(
          () => document.querySelector('[data-testid="stat-sent"]')?.textContent?.replace(/\u2009/g, '').trim() === '3' && /^\s*done\s*$/.test(document.querySelector('[data-testid="ping-state"]')?.textContent ?? ''),
          null,
          UI_WAIT,
        );
        assert.equal(await statText(page, 'sent'), '3', 'pinged again with the recorded count');
        assert.equal(await page.getByRole('combobox', { name: 'Target' }).inputValue(), '127.0.0.1');
        await page.getByRole('button', { name: /Options/ }).click();
        assert.equal(await page.getByLabel('Interval (ms)', { exact: false }).inputValue(), '150');
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
