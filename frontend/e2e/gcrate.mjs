// How much JavaScript garbage a page makes, from JavaScriptCore's own collector log
// (JSC_logGC=basic; heaplog.mjs reads every collection: what the heap held when it began and
// after it). Works in WebKit, which has no performance.memory. What the page allocated between
// two collections is the heap at the second one's start less the heap left by the first;
// summed over a time window and divided by its length, the page's allocation rate, which at a
// steady state is its garbage per second.
//
// CLI: node e2e/gcrate.mjs LOG [FROM_S] [TO_S], for a log the soak kept (BENCH_SOAK_JSON): each
// line stamped "[seconds] " (or "[-] " before sampling began).

import { readFileSync } from 'node:fs';
import { heapLog } from './heaplog.mjs';

/**
 * The allocation rate over the collections (heaplog.mjs readings().collections, at in seconds)
 * between from and to seconds: { collections, eden, full, allocatedMB, seconds, mbPerSecond },
 * or null with fewer than two collections in the window.
 */
export function allocationRate(collections, from = 60, to = Infinity) {
  const inside = collections.filter((c) => c.at !== null && c.at >= from && c.at <= to);
  if (inside.length < 2) return null;
  let allocatedKB = 0;
  for (let i = 1; i < inside.length; i++) allocatedKB += Math.max(0, inside[i].startKB - inside[i - 1].endKB);
  const seconds = inside[inside.length - 1].at - inside[0].at;
  return {
    collections: inside.length,
    eden: inside.filter((c) => c.kind === 'Eden').length,
    full: inside.filter((c) => c.kind === 'Full').length,
    allocatedMB: allocatedKB / 1024,
    seconds,
    mbPerSecond: seconds > 0 ? allocatedKB / 1024 / seconds : null,
  };
}

/** The page's collections in a kept log, at its lines' stamps (null before sampling began). */
export function collectionsOfKeptLog(text) {
  const log = heapLog();
  for (const l of text.split('\n')) {
    const m = /^\[(-|\d+(?:\.\d+)?)\] (.*)$/.exec(l);
    if (m) log.line(m[2], m[1] === '-' ? null : Number(m[1]));
  }
  return log.readings().collections;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [, , file, from, to] = process.argv;
  if (!file) {
    console.error('usage: node e2e/gcrate.mjs LOG [FROM_S] [TO_S]');
    process.exit(2);
  }
  const r = allocationRate(collectionsOfKeptLog(readFileSync(file, 'utf8')), from ? Number(from) : 60, to ? Number(to) : Infinity);
  if (!r) {
    console.log(`${file}: fewer than two collections in the window`);
    process.exit(1);
  }
  console.log(`${file}: ${r.collections} collections (${r.eden} eden, ${r.full} full) in ${r.seconds.toFixed(1)} s, ${r.allocatedMB.toFixed(1)} MB allocated: ${r.mbPerSecond?.toFixed(2)} MB/s`);
}
