// End to end through the real app (dev binary under Xvfb, Chromium; e2e/harness.mjs): a file
// dropped on the window. WebKitGTK hands a drop to Wails as a "DD:x:y:paths" message, which
// Wails turns into its file-drop event for Go (service.BindFileDrop). Under test no person
// drags, so the test sends that same message through the page's Wails bridge; everything from
// there on (Go import, the "history:dropped" event, the History tab) is the app's own.
// Run: node --test e2e/drop.e2e.mjs (from frontend/).

import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot, startApp } from './harness.mjs';
import { dataDirForTest, sessionRowFacts, sessionRows, shownNotice, UI_WAIT } from './history-helpers.mjs';

describe('dropping a capture on the window', () => {
  it('imports a pcapng as a session and refuses a file that is not a capture', async () => {
    const app = await startApp();
    const dir = dataDirForTest('drop');
    try {
      const { page } = app;
      const drop = (path) => page.evaluate((p) => window.WailsInvoke(`DD:20:20:${p}`), path);
      const notice = shownNotice(page);
      // A file that is not a capture is refused by name, and changes nothing: dropped until the
      // page shows the refusal, it also tells that the page listens (it subscribes once the
      // Wails runtime has loaded).
      const text = join(dir, 'notes.txt');
      writeFileSync(text, 'not a capture\n');
      const refused = notice.filter({ hasText: 'Import of notes.txt failed: notes.txt is not a capture: drop a .pcap or .pcapng file' });
      for (let i = 0; i < 30 && (await refused.count()) === 0; i++) {
        await drop(text);
        await refused.waitFor({ timeout: 1000 }).catch(() => {});
      }
      assert.equal(await refused.count(), 1);
      assert.equal(await page.getByRole('tab', { name: 'History' }).getAttribute('aria-selected'), 'true');
      assert.equal(await sessionRows(page).count(), 0, 'nothing imported from the text file');

      await drop(join(repoRoot, 'backend', 'capture', 'testdata', 'loopback.pcapng'));
      await notice.filter({ hasText: /Imported 20 packets from loopback\.pcapng/ }).waitFor(UI_WAIT);
      const facts = await sessionRowFacts(sessionRows(page).first());
      assert.deepEqual(facts.badges, ['imported: loopback.pcapng']);
      assert.equal(await sessionRows(page).count(), 1);
      assert.deepEqual(app.pageErrors, []);
    } finally {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
