// End to end through the real app (dev binary under Xvfb, Chromium; e2e/harness.mjs): the RTT
// chart on a test host that drops every third request. Losses sit in the lane at the top and
// the RTT axis is the data's; hover names the nearest point, a click selects its row, a drag
// zooms the time axis and a double-click resets it; the chart is saved as PNG and as SVG
// through the native save dialog (answered with xdotool, e2e/dialogs.mjs).
// Needs root (namespaced test host). Run: node --test e2e/chart.e2e.mjs (from frontend/).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { answerFileDialog } from './dialogs.mjs';
import { artifactsDir, startApp, startTestHost } from './harness.mjs';
import { PING_WAIT, ping } from './ping-helpers.mjs';

const isRoot = process.getuid?.() === 0;
const SAVE_DIALOG = /Save the RTT chart/;
// Where the lane draws losses, as a fraction of the plot height from the top (chartmodel LANE_Y).
const LOST_FROM_TOP = 1 - 0.955;
// The RTT axis' headroom (chartmodel RTT_HEADROOM): the largest RTT sits at 1/1.3 of the height.
const HEADROOM = 1.3;

let app;
let page;
let host;

before(async () => {
  if (!isRoot) return;
  app = await startApp();
  page = app.page;
  host = await startTestHost(['-fault', 'drop', '-every', '3']);
  await ping(page, { target: host.host.peerV4, count: 9, intervalMs: 100, timeoutMs: 300 });
});

after(async () => {
  await host?.stop();
  await app?.stop();
});

/** The plot area (uPlot's .u-over) in page pixels. */
async function plotBox() {
  return page.getByTestId('rtt-chart').locator('.u-over').boundingBox();
}

/** Moves the pointer along a horizontal line of the plot until the hover names a point matching re. */
async function sweep(y, re) {
  const box = await plotBox();
  for (let x = box.x + 2; x < box.x + box.width; x += 3) {
    await page.mouse.move(x, y);
    const tip = page.getByTestId('chart-hover');
    if ((await tip.count()) > 0 && re.test(await tip.textContent())) return { x, text: await tip.textContent() };
  }
  return undefined;
}

describe('RTT chart', { skip: !isRoot }, () => {
  it('draws losses in their lane and takes the RTT axis from the data', async () => {
    const chart = page.getByTestId('rtt-chart');
    assert.equal(await chart.getAttribute('data-rtt-axis'), 'data');
    // The largest RTT in the table, and the axis' top: that RTT times the headroom, nothing made up.
    const rtts = (await page.locator('[role="row"][data-kind="reply"][data-class="on-time"] .c-rtt').allTextContents()).map(Number);
    const max = Math.max(...rtts);
    const yMax = Number(await chart.getAttribute('data-y-max'));
    assert.ok(Math.abs(yMax - max * HEADROOM) <= 0.01 * HEADROOM + yMax * 0.01, `y max ${yMax} for a largest RTT of ${max} ms`);

    const box = await plotBox();
    const lost = await sweep(box.y + box.height * LOST_FROM_TOP, /lost$/);
    assert.ok(lost, 'a lost marker in the lane at the top');
    const [, seq] = lost.text.match(/^seq (\d+) · [\d.]+ s · no RTT · lost$/) ?? [];
    assert.ok(seq, lost.text);
    // A click selects the loss row of that request.
    await page.mouse.click(lost.x, box.y + box.height * LOST_FROM_TOP);
    const selected = page.locator('[role="row"][aria-selected="true"]');
    await selected.waitFor(PING_WAIT);
    assert.equal(await selected.getAttribute('data-kind'), 'loss');
    assert.equal((await selected.locator('.c-num').first().textContent()).trim(), seq);
    await page.getByTestId('inspector-row').filter({ hasText: `request lost · seq ${seq}` }).waitFor(PING_WAIT);

    // The reply with the largest RTT sits at 1/1.3 of the height: hover names it.
    const top = await sweep(box.y + box.height * (1 - 1 / HEADROOM), /reply$/);
    assert.ok(top, 'the largest reply');
    assert.match(top.text, /^seq \d+ · [\d.]+ s · RTT [\d.]+ ms · reply$/);
    await page.screenshot({ path: join(artifactsDir, 'e2e-chart-hover.png') });
  });

  it('zooms the time axis by a drag and resets it by a double-click', async () => {
    const chart = page.getByTestId('rtt-chart');
    const full = { min: Number(await chart.getAttribute('data-x-min')), max: Number(await chart.getAttribute('data-x-max')) };
    const box = await plotBox();
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.25, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
    await page.mouse.up();
    await chart.and(page.locator('[data-zoomed="true"]')).waitFor(PING_WAIT);
    const span = full.max - full.min;
    const zoomed = { min: Number(await chart.getAttribute('data-x-min')), max: Number(await chart.getAttribute('data-x-max')) };
    assert.ok(Math.abs(zoomed.min - (full.min + span * 0.25)) < span * 0.02, `zoomed from ${zoomed.min}`);
    assert.ok(Math.abs(zoomed.max - (full.min + span * 0.5)) < span * 0.02, `zoomed to ${zoomed.max}`);
    await page.mouse.dblclick(box.x + box.width * 0.5, y);
    await chart.and(page.locator(':not([data-zoomed])')).waitFor(PING_WAIT);
    assert.equal(Number(await chart.getAttribute('data-x-min')), full.min);
    assert.equal(Number(await chart.getAttribute('data-x-max')), full.max);
  });

  it('saves the chart as PNG and as an SVG drawing of the data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'echoscope-chart-'));
    const losses = await page.locator('[role="row"][data-kind="loss"]').count();
    const replies = await page.locator('[role="row"][data-kind="reply"][data-class="on-time"]').count();

    await page.getByTestId('chart-save-svg').click();
    await answerFileDialog(app.display, SAVE_DIALOG, join(dir, 'rtt.svg'), { save: true });
    await page.getByTestId('chart-save-status').filter({ hasText: 'rtt.svg' }).waitFor(PING_WAIT);
    const svg = readFileSync(join(dir, 'rtt.svg'), 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.doesNotMatch(svg, /<image|base64/);
    assert.equal((svg.match(/<polyline class="rtt" points="([^"]+)"/)?.[1] ?? '').split(' ').length, replies);
    assert.equal(svg.match(/<path class="lost"/g)?.length, losses + 1, 'a cross per loss, and one in the legend');

    await page.getByTestId('chart-save-png').click();
    await answerFileDialog(app.display, SAVE_DIALOG, join(dir, 'rtt.png'), { save: true });
    await page.getByTestId('chart-save-status').filter({ hasText: 'rtt.png' }).waitFor(PING_WAIT);
    const png = readFileSync(join(dir, 'rtt.png'));
    assert.equal(png.subarray(0, 8).toString('latin1'), '\x89PNG\r\n\x1a\n');
  });

  it('raised no uncaught errors in the page', () => {
    assert.deepEqual(app.pageErrors, []);
  });
});
