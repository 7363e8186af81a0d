// The Packet Lab in the app (dev binary under Xvfb, Chromium): the lesson's two packets sent
// to 127.0.0.1 through the engine (in-process raw as root, the helper otherwise), a reply
// checked as the classic example checked it and a silence explained; and a reply from the
// inspector opened in the Lab. The lesson's numbers and the live update are checked in the
// static web lab (web-lab.e2e.mjs), which needs no backend.
// Run: npm run e2e (from frontend/, after npm run build), or make e2e.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pingAndSelectReply, startApp } from './harness.mjs';
import { comparisonText } from './history-helpers.mjs';

const UI_WAIT = { timeout: 30_000 };
let app;
let page;

before(async () => {
  app = await startApp();
  page = app.page;
  await page.getByRole('tab', { name: 'Lab' }).click();
  await page.getByTestId('lab-verdict').waitFor(UI_WAIT);
});

after(async () => {
  await app?.stop();
});

async function sendLesson(mode) {
  await page.getByTestId(`lab-lesson-${mode}`).click();
  await page.getByTestId('lab-target').fill('127.0.0.1');
  await page.getByTestId('lab-send').click();
  const result = page.getByTestId('lab-send-result');
  await result.waitFor(UI_WAIT);
  await page.getByTestId('lab-send').getByText('Send once').waitFor(UI_WAIT);
  return result;
}

describe('Packet Lab in the app', () => {
  it("sends the RFC 1071 packet and checks the reply's identifier and sequence", async () => {
    if ((await page.getByTestId('lab-cannot-send').count()) > 0) {
      assert.fail(`this engine cannot send crafted packets: ${await page.getByTestId('lab-cannot-send').textContent()}`);
    }
    const result = await sendLesson('correct');
    assert.match(await page.getByTestId('lab-send-headline').textContent(), /^Echo reply from 127\.0\.0\.1 in [0-9.]+ ms$/);
    assert.match(await result.textContent(), /Identifier 13 = sent 13: match\..*Sequence 37 = sent 37: match\./s);
    assert.match(await page.getByTestId('lab-send-reply').textContent(), /^reply: 0000[0-9a-f]{4}000d0025$/);

    // The reply opens in the packet inspector: fields, hex dumps and how it was matched.
    await page.getByTestId('lab-open-inspector').click();
    const inspector = page.getByTestId('lab-inspector');
    await inspector.getByTestId('match-headline').waitFor(UI_WAIT);
    assert.match(await inspector.getByTestId('inspector-row').textContent(), /reply received · seq 37/);
    assert.match(await inspector.getByTestId('match-class').textContent(), /on time/);
    assert.match(await inspector.getByTestId('match-rule').textContent(), /id\+seq\+data \(crafted in the Lab\)/);
    assert.match(await comparisonText(inspector, 'identifier'), /^identifier \| 0x000d \(13\) \| 0x000d \(13\) \| = equal$/);
    assert.match(await comparisonText(inspector, 'sequence'), /^sequence \| 37 \| 37 \| = equal$/);
    assert.match(await inspector.getByTestId('inspector-reply').textContent(), /Echo Reply/);
    assert.match(await inspector.getByTestId('inspector-request').textContent(), /Echo Request/);
  });

  it("sends the classic example's packet and explains the silence", async () => {
    await sleep(1100); // crafted packets are spaced like a ping session's interval (1 s for root)
    const result = await sendLesson('classic');
    assert.equal(await page.getByTestId('lab-send-headline').textContent(), 'No reply from 127.0.0.1: timed out');
    assert.match(await result.textContent(), /checksum in the bytes was 0xf2ff, but RFC 1071 gives 0xf7cd.*a timeout is all a sender ever sees/s);

    // The timeout opens in the inspector: the request as sent, lost, and why.
    assert.equal(await page.getByTestId('lab-inspector').count(), 0, 'a new send closes the previous inspector');
    await page.getByTestId('lab-open-inspector').click();
    const inspector = page.getByTestId('lab-inspector');
    await inspector.getByTestId('match-headline').waitFor(UI_WAIT);
    assert.match(await inspector.getByTestId('inspector-row').textContent(), /request lost · seq 37/);
    assert.match(await inspector.getByTestId('match-headline').textContent(), /Lost: no answer to seq 37 arrived within its 1000 ms timeout/);
    assert.match(await inspector.getByTestId('inspector-match').textContent(), /0xf2ff, is wrong: the receiving kernel dropped the request without a word/);
    assert.match(await inspector.getByTestId('inspector-request').textContent(), /Echo Request/);
    // Closed, so the Ping view's inspector is the only one on the page again.
    await inspector.getByRole('button', { name: 'Close the packet inspector' }).click();
    assert.equal(await page.getByTestId('lab-inspector').count(), 0);
  });

  it('refuses anything but an echo request, in words', async () => {
    await page.getByTestId('lab-type').fill('0');
    assert.match(await page.getByTestId('lab-not-sendable').textContent(), /only echo requests can be sent: type 0 \(Echo Reply\)/);
    assert.equal(await page.getByTestId('lab-send').isDisabled(), true);
  });

  it('opens a reply from the inspector in the Lab', async () => {
    await page.getByRole('tab', { name: 'Ping' }).click();
    const inspector = await pingAndSelectReply(page);
    await inspector.getByRole('button', { name: 'Open the reply in Lab' }).click();
    await page.getByTestId('lab-verdict').waitFor(UI_WAIT);
    assert.equal(await page.getByTestId('lab-verdict').textContent(), 'correct');
    assert.match(await page.getByTestId('lab-hex').innerText(), /^00 00 /); // the ICMP echo reply, IP header dropped
    assert.deepEqual(app.pageErrors, []);
  });
});
