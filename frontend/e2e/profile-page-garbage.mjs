// Where the page that shows a running session allocates: Chromium's sampling heap profiler
// (CDP HeapProfiler.startSampling) over a stretch of a live session at 100 requests a second,
// allocations summed by function (self) and printed biggest first. A tool for finding what makes
// the page's garbage (the soak's JavaScriptCore logs give its rate in WebKit, gcrate.mjs),
// not a test. Needs root (raw ICMP through the helper) and frontend/dist built.
// Run: node e2e/profile-page-garbage.mjs [SECONDS]

import { startApp } from './harness.mjs';
import { ping } from './ping-helpers.mjs';

const seconds = Number(process.argv[2] ?? 20);
const app = await startApp();
try {
  const { page } = app;
  await ping(page, { target: '127.0.0.1', count: 0, intervalMs: 10, timeoutMs: 1000, wait: false });
  await page.waitForTimeout(10_000); // past the first seconds: the chart and the row cache filled
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await page.waitForTimeout(seconds * 1000);
  const { profile } = await cdp.send('HeapProfiler.stopSampling');
  const byFunction = new Map();
  let total = 0;
  const walk = (node) => {
    const self = node.selfSize;
    total += self;
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + self);
    for (const c of node.children) walk(c);
  };
  walk(profile.head);
  console.log(`allocated in ${seconds} s: ${(total / 2 ** 20).toFixed(1)} MB (${(total / 2 ** 20 / seconds).toFixed(2)} MB/s), by function (self):`);
  for (const [k, v] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(v / 2 ** 20).toFixed(2).padStart(8)} MB  ${k}`);
} finally {
  await app.stop();
}
