// Checks shared by the web lab e2e in Chromium (Playwright page) and WebKitGTK (through a
// small adapter with the same calls): the lesson's numbers and the timed 1500-byte edit.

import assert from 'node:assert/strict';

/** The lesson preset: both versions of the classic example's packet. */
export async function checkLesson(page) {
  await page.getByTestId('lab-lesson-classic').click();
  assert.equal(await page.getByTestId('lab-carried').textContent(), '0xf2ff');
  assert.equal(await page.getByTestId('lab-correct').textContent(), '0xf7cd');
  assert.equal(await page.getByTestId('lab-classic').textContent(), '0xf2ff');
  assert.equal(await page.getByTestId('lab-compare-rfc').textContent(), '0xf7cd');
  assert.equal(await page.getByTestId('lab-compare-classic').textContent(), '0xf2ff');
  assert.equal(await page.getByTestId('lab-verdict').textContent(), "classic example's value");
  assert.match(await page.getByTestId('lab-pairing').textContent(), /never reads byte 0 \(0x08, the type\) and byte 7 \(0x25\)/);
  await page.getByTestId('lab-lesson-correct').click();
  assert.equal(await page.getByTestId('lab-carried').textContent(), '0xf7cd');
  assert.equal(await page.getByTestId('lab-verdict').textContent(), 'correct');
  assert.equal(await page.getByTestId('lab-hex').inputValue(), '08 00 f7 cd 00 0d 00 25');
}

/**
 * Makes a 1500-byte echo request (pattern payload of 1492 bytes), then edits one payload byte
 * at a time in the hex box and times each edit from the input event to the moment the RFC
 * 1071 value and the walkthrough's result on screen show the new checksum. Returns the
 * median and max in ms, and the codec's own time as the page reports it.
 */
export async function measureEdits(page) {
  await page.getByTestId('lab-payload-kind').selectOption('pattern');
  await page.getByTestId('lab-payload').fill('a5');
  await page.getByTestId('lab-size').fill('1492');
  assert.match(await page.getByTestId('lab-length').textContent(), /^1500 bytes/);
  return page.evaluate(timeEditsInPage);
}

/**
 * Runs in the page: 21 one-byte edits of the hex box, each timed from its input event until
 * the new RFC 1071 value is on screen and the walkthrough ends in it. Plain JavaScript with no
 * closure, so WebDriver can run it from its source too.
 */
export const timeEditsInPage = async () => {
    const box = document.querySelector('[data-testid="lab-hex"]');
    const correct = document.querySelector('[data-testid="lab-correct"]');
    const times = [];
    const codec = [];
    let timers = 0; // edits whose update needed a timer turn, not just the input event's microtasks
    for (let i = 0; i < 21; i++) {
      const before = correct.textContent;
      const offset = 8 + ((i * 37) % 1492);
      const bytes = box.value.split(/\s+/);
      bytes[offset] = (parseInt(bytes[offset], 16) ^ (i + 1)).toString(16).padStart(2, '0');
      const t0 = performance.now();
      box.value = bytes.join(' ');
      box.dispatchEvent(new Event('input', { bubbles: true }));
      // Svelte applies the update in a microtask; wait until the new value is on screen.
      for (let spins = 0; correct.textContent === before; spins++) {
        if (spins > 10000) throw new Error(`edit ${i}: the checksum on screen did not change`);
        if (spins === 100) timers++;
        await new Promise((r) => (spins < 100 ? queueMicrotask(r) : setTimeout(r, 0)));
      }
      times.push(performance.now() - t0);
      const walk = document.querySelector('#lab-checksums-title')?.closest('section')?.textContent ?? '';
      if (!walk.includes(`checksum = ~sum = ${correct.textContent}`)) throw new Error(`edit ${i}: the walkthrough does not end in ${correct.textContent}`);
      const reported = /last update ([0-9.]+) ms/.exec(document.querySelector('[data-testid="lab-help"]')?.textContent ?? '');
      if (!reported) throw new Error(`edit ${i}: the page does not say how long the codec took`);
      codec.push(Number(reported[1]));
    }
    const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    return { samples: times.length, median: median(times), max: Math.max(...times), codecMedian: median(codec), timers };
  };
