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

/** Sets the Options panel's other fields (pattern, TTL, source, size, IP version, DF), leaving the panel as it was. */
async function setFormOptions(page, o) {
  const toggle = page.getByRole('button', { name: /Options/ });
  const wasOpen = (await toggle.getAttribute('aria-expanded')) === 'true';
  if (!wasOpen) await toggle.click();
  await page.getByLabel('Pattern (hex)').fill(o.pattern);
  await page.getByLabel('TTL', { exact: false }).fill(o.ttl);
  await page.getByLabel('Source').fill(o.source);
  await page.getByLabel('Size (bytes)').fill(o.size);
  await page.getByLabel('IP version').selectOption(o.family);
  await page.getByLabel("Don't fragment (DF)").setChecked(o.dontFragment);
  if (!wasOpen) await toggle.click();
}

/** What the open Options panel holds, as setFormOptions takes it (plus the interval). */
async function formOptions(page) {
  return {
    intervalMs: await page.getByLabel('Interval (ms)', { exact: false }).inputValue(),
    pattern: await page.getByLabel('Pattern (hex)').inputValue(),
    ttl: await page.getByLabel('TTL', { exact: false }).inputValue(),
    source: await page.getByLabel('Source').inputValue(),
    size: await page.getByLabel('Size (bytes)').inputValue(),
    family: await page.getByLabel('IP version').inputValue(),
    dontFragment: await page.getByLabel("Don't fragment (DF)").isChecked(),
  };
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

  it('shows a reopened session every recorded option and pings again with all of them', { skip: !isRoot && 'needs root (raw ICMP sockets)' }, async () => {
    const dir = dataDirForTest('settings-again');
    // The options history did not keep before (issue 12, point 4): pattern, TTL, DF, source, size, IP version.
    const recorded = { pattern: 'ff00', ttl: '9', source: '127.0.0.1', size: '24', family: '4', dontFragment: true };
    try {
      await withApp(dir, async ({ page }) => {
        await setFormOptions(page, recorded);
        await pingSession(page, '127.0.0.1', 3, { intervalMs: 150 });
        // The form moves on: every option different from the session's.
        await setOptions(page, { count: 9, intervalMs: 400 });
        await setFormOptions(page, { pattern: '', ttl: '0', source: '', size: '56', family: '0', dontFragment: false });
        await showHistory(page);
        await openSessionRow(sessionRows(page).first(), page);
        const summary = /3 × 150 ms · timeout 1000 ms · 24 B · IPv4 · TTL 9 · pattern ff00 · don't fragment · from 127\.0\.0\.1/;
        assert.match(await page.getByTestId('ping-again').getAttribute('title'), summary);
        await page.getByRole('button', { name: /Options/ }).click();
        assert.match(await page.getByTestId('recorded-options').textContent(), summary);
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
        assert.deepEqual(await formOptions(page), { intervalMs: '150', ...recorded }, 'every recorded option is back in the form');
        // And the new session ran with them: its own recorded summary says the same.
        await showHistory(page);
        await openSessionRow(sessionRows(page).first(), page);
        assert.match(await page.getByTestId('ping-again').getAttribute('title'), summary);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
