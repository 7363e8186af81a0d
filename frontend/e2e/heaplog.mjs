// The soak's heap readings, from the processes' own garbage-collector logs: a process's RSS
// alone cannot say whether its growth is live objects or memory its allocator keeps. The app
// runs with GODEBUG=gctrace=1 (the Go runtime prints, after each collection, "A->B->C MB":
// heap at start, at end, and live; C is the Go heap's live size), and the web processes with
// JSC_logGC=basic (JavaScriptCore prints each collection's kind, "START M 31151kb =>
// FullCollection", then its result, "=> 18145kb, p=...": the live JavaScript heap after a
// full collection is the floor of that page's objects). Neither measures SQLite's page cache
// (modernc.org/sqlite allocates it outside the Go heap): that is the app's RSS less these.

/** Splits a stream into lines across chunk boundaries; calls onLine for each whole line. */
export function lineSplitter(onLine) {
  let rest = '';
  return (chunk) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    if (rest.length > 65_536) rest = ''; // a line without end: not a log line of interest
    for (const line of parts) onLine(line);
  };
}

const GO_GC = /^gc \d+ @[\d.]+s .*?(\d+)->(\d+)->(\d+) MB/;
const JSC_START = /GC<(0x[0-9a-f]+)>: START M (\d+)kb => (\w+)Collection/;
const JSC_END = /GC<(0x[0-9a-f]+)>: .*=> (\d+)kb, p=.*END/;

/**
 * A reader of one process tree's log lines. readings() returns the Go heap's live size after
 * each collection ({ at, mb }), per JavaScriptCore heap the live size after each full
 * collection ({ at, mb }), and the page's every collection ({ at, kind, startKB, endKB }: what
 * its heap held when the collection began and after it; gcrate.mjs turns them into garbage per
 * second). at is now() when the line arrived (or its stamp: see line).
 */
export function heapLog(now = () => Date.now()) {
  const go = [];
  const js = new Map(); // heap address -> live size after each full collection
  const all = new Map(); // heap address -> every collection
  const open = new Map(); // heap address -> the collection in progress
  const line = (text, at = now()) => {
    const g = GO_GC.exec(text);
    if (g) {
      go.push({ at, mb: Number(g[3]) });
      return;
    }
    const s = JSC_START.exec(text);
    if (s) open.set(s[1], { at, kind: s[3], startKB: Number(s[2]), endKB: null });
    const e = JSC_END.exec(text);
    const c = e && open.get(e[1]);
    if (!c) return;
    open.delete(e[1]);
    c.endKB = Number(e[2]);
    if (!all.has(e[1])) all.set(e[1], []);
    all.get(e[1]).push(c);
    if (c.kind === 'Full') {
      if (!js.has(e[1])) js.set(e[1], []);
      js.get(e[1]).push({ at, mb: c.endKB / 1024 });
    }
  };
  const most = (map) => {
    let page = [];
    for (const list of map.values()) if (list.length > page.length) page = list;
    return page;
  };
  return {
    feed: lineSplitter((text) => line(text)),
    /** One whole line, at a time of the caller's (a kept log's stamp). */
    line,
    /** Go heap readings, and those of the JavaScript heap with the most collections (the page's). */
    readings() {
      return { go, js: most(js), collections: most(all) };
    },
  };
}

/** The lowest reading with from <= at <= to, or null when there is none. */
export function lowestBetween(readings, from, to) {
  const inside = readings.filter((r) => r.at >= from && r.at <= to).map((r) => r.mb);
  return inside.length ? Math.min(...inside) : null;
}
