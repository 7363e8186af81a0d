// How much JavaScript garbage a page makes, from JavaScriptCore's own collector log
// (JSC_logGC=basic, as the soak keeps it: soak-minibrowser.log, soak-app.log). Works in WebKit,
// which has no performance.memory. Each collection logs "START M <heap>kb => EdenCollection"
// and, when done, "=> <heap>kb, p=... END": what the heap held when it began and after it. What
// the page allocated between two collections is the heap at the second one's start less the
// heap left by the first; summed over a time window and divided by its length, the page's
// allocation rate, which at a steady state is its garbage per second.
//
// The kept logs are stamped "[seconds] " at the start of every chunk's lines (the processes
// write a log line in several chunks, so stamps also fall inside lines): the stamps are taken
// out, and each collection gets the last stamp before its START.
//
// CLI: node e2e/gcrate.mjs LOG [FROM_S] [TO_S]

import { readFileSync } from 'node:fs';

const STAMP = /\[(-|\d+(?:\.\d+)?)\] /g;
const START = /GC<(0x[0-9a-f]+)>: START M (\d+)kb => (\w+)Collection/g;
const END = /GC<(0x[0-9a-f]+)>: [^\]]*?=> (\d+)kb, p=[^\]]*END/g;

/** The collections of each heap in a stamped log: { at (s, or null before sampling), kind, startKB, endKB }. */
export function collections(text) {
  // The text without stamps, and where each stamp was in it.
  const marks = []; // [offset in clean text, seconds or null]
  let clean = '';
  let last = 0;
  for (const m of text.matchAll(STAMP)) {
    clean += text.slice(last, m.index);
    marks.push([clean.length, m[1] === '-' ? null : Number(m[1])]);
    last = m.index + m[0].length;
  }
  clean += text.slice(last);
  const stampAt = (offset) => {
    let lo = 0;
    let hi = marks.length - 1;
    let found = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (marks[mid][0] <= offset) {
        found = marks[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  // Pair each START with the next END of the same heap.
  const events = [];
  for (const m of clean.matchAll(START)) events.push({ offset: m.index, heap: m[1], start: Number(m[2]), kind: m[3] });
  for (const m of clean.matchAll(END)) events.push({ offset: m.index, heap: m[1], end: Number(m[2]) });
  events.sort((a, b) => a.offset - b.offset);
  const heaps = new Map();
  const open = new Map();
  for (const e of events) {
    if (e.start !== undefined) {
      open.set(e.heap, { at: stampAt(e.offset), kind: e.kind, startKB: e.start, endKB: null });
      continue;
    }
    const c = open.get(e.heap);
    if (!c) continue;
    open.delete(e.heap);
    c.endKB = e.end;
    if (!heaps.has(e.heap)) heaps.set(e.heap, []);
    heaps.get(e.heap).push(c);
  }
  return heaps;
}

/**
 * The allocation rate of the heap with the most collections (the page's) between from and to
 * seconds: { heap, collections, eden, full, allocatedMB, seconds, mbPerSecond }, or null with
 * fewer than two collections in the window.
 */
export function allocationRate(text, from = 60, to = Infinity) {
  let page = [];
  let heap = null;
  for (const [h, list] of collections(text)) {
    if (list.length > page.length) {
      page = list;
      heap = h;
    }
  }
  const inside = page.filter((c) => c.at !== null && c.at >= from && c.at <= to);
  if (inside.length < 2) return null;
  let allocatedKB = 0;
  for (let i = 1; i < inside.length; i++) allocatedKB += Math.max(0, inside[i].startKB - inside[i - 1].endKB);
  const seconds = inside[inside.length - 1].at - inside[0].at;
  return {
    heap,
    collections: inside.length,
    eden: inside.filter((c) => c.kind === 'Eden').length,
    full: inside.filter((c) => c.kind === 'Full').length,
    allocatedMB: allocatedKB / 1024,
    seconds,
    mbPerSecond: seconds > 0 ? allocatedKB / 1024 / seconds : null,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [, , file, from, to] = process.argv;
  if (!file) {
    console.error('usage: node e2e/gcrate.mjs LOG [FROM_S] [TO_S]');
    process.exit(2);
  }
  const r = allocationRate(readFileSync(file, 'utf8'), from ? Number(from) : 60, to ? Number(to) : Infinity);
  if (!r) {
    console.log(`${file}: fewer than two collections in the window`);
    process.exit(1);
  }
  console.log(`${file}: heap ${r.heap}: ${r.collections} collections (${r.eden} eden, ${r.full} full) in ${r.seconds.toFixed(1)} s, ${r.allocatedMB.toFixed(1)} MB allocated: ${r.mbPerSecond?.toFixed(2)} MB/s`);
}
