// Where the page that shows a running session allocates: Chromium's sampling heap profiler
// (CDP HeapProfiler.startSampling) over a stretch of a live session at 100 requests a second,
// allocations summed by function (self) and printed biggest first. A tool for finding what makes
// the page's garbage (the soak's JavaScriptCore logs give its rate in WebKit, gcrate.mjs),
// not a test. Needs root (raw ICMP through the helper) and frontend/dist built; run it in a
// network namespace of its own, as the soak does, so that no other ping becomes a row:
//   unshare -n sh -c 'ip link set lo up; node e2e/profile-page-garbage.mjs 20 6'
// Run: node e2e/profile-page-garbage.mjs [SECONDS [STACK_DEPTH]].
//
// Most of the page's allocations happen inside Svelte's runtime or uPlot on behalf of the
// page's own code, so "self" alone names Svelte internals. When dist was built with source
// maps (`npx vite build --sourcemap --minify false`), each sample is also charged to the
// nearest frame of the page's own source (src/..., not node_modules) on its stack: "by the
// page's code" below says which component or function made the runtime allocate.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { frontendDir, startApp } from './harness.mjs';
import { ping } from './ping-helpers.mjs';

const seconds = Number(process.argv[2] ?? 20);
/** With a second argument, also the biggest call stacks, this many frames deep (self, caller, ...). */
const depth = Number(process.argv[3] ?? 0);

const maps = new Map();
/** The source position of a bundle's call frame, from dist's source map; null without one. */
function original(f) {
  const file = f.url.split('/').pop();
  if (!file?.endsWith('.js')) return null;
  if (!maps.has(file)) {
    const path = join(frontendDir, 'dist', 'assets', `${file}.map`);
    maps.set(file, existsSync(path) ? new TraceMap(readFileSync(path, 'utf8')) : null);
  }
  const map = maps.get(file);
  if (!map) return null;
  const p = originalPositionFor(map, { line: f.lineNumber + 1, column: f.columnNumber });
  return p.source ? { source: p.source.replace(/^(\.\.\/)+/, ''), line: p.line } : null;
}

const mb = (v) => (v / 2 ** 20).toFixed(2).padStart(8);
function top(map, n) {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
}

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
  const byStack = new Map();
  const byOwnCode = new Map();
  let total = 0;
  const name = (f) => `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
  const ownFrame = (f) => {
    const o = original(f);
    return o && o.source.startsWith('src/') ? `${o.source}:${o.line} ${f.functionName || '(anonymous)'}` : null;
  };
  const walk = (node, callers, own) => {
    const self = node.selfSize;
    total += self;
    const key = name(node.callFrame);
    const mine = ownFrame(node.callFrame) ?? own;
    byFunction.set(key, (byFunction.get(key) ?? 0) + self);
    const stack = [key, ...callers].slice(0, depth).join('  <  ');
    if (self > 0) {
      byStack.set(stack, (byStack.get(stack) ?? 0) + self);
      const where = original(node.callFrame)?.source.replace(/^node_modules\//, '') ?? node.callFrame.url.split('/').pop() ?? '';
      const ownKey = mine ?? `(no frame of the page's code on the stack) ${where || 'the browser'}`;
      byOwnCode.set(ownKey, (byOwnCode.get(ownKey) ?? 0) + self);
    }
    for (const c of node.children) walk(c, [key, ...callers], mine);
  };
  walk(profile.head, [], null);
  console.log(`allocated in ${seconds} s: ${(total / 2 ** 20).toFixed(1)} MB (${(total / 2 ** 20 / seconds).toFixed(2)} MB/s), by function (self):`);
  for (const [k, v] of top(byFunction, 25)) console.log(`${mb(v)} MB  ${k}`);
  if ([...maps.values()].some((m) => m !== null)) {
    console.log(`by the page's code (the nearest frame of src/ on the stack):`);
    for (const [k, v] of top(byOwnCode, 30)) console.log(`${mb(v)} MB  ${k}`);
  }
  if (depth > 0) {
    console.log(`by call stack, ${depth} frames (self  <  caller  <  ...):`);
    for (const [k, v] of top(byStack, 40)) console.log(`${mb(v)} MB  ${k}`);
  }
} finally {
  await app.stop();
}
