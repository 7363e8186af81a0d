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
const JSC_START = /GC<(0x[0-9a-f]+)>: START M \d+kb => (\w+)Collection/;
const JSC_END = /GC<(0x[0-9a-f]+)>: .*=> (\d+)kb, p=/;

/**
 * A reader of one process tree's log lines. readings() returns the Go heap's live size after
 * each collection ({ at, mb }) and, per JavaScriptCore heap, the live size after each full
 * collection ({ at, mb }, by heap address). at is now() when the line arrived.
 */
export function heapLog(now = () => Date.now()) {
  const go = [];
  const js = new Map();
  const lastKind = new Map(); // heap address -> kind of the collection in progress
  const onLine = (line) => {
    const g = GO_GC.exec(line);
    if (g) {
      go.push({ at: now(), mb: Number(g[3]) });
      return;
    }
    const s = JSC_START.exec(line);
    if (s) lastKind.set(s[1], s[2]);
    const e = JSC_END.exec(line);
    if (e && lastKind.get(e[1]) === 'Full') {
      lastKind.delete(e[1]);
      if (!js.has(e[1])) js.set(e[1], []);
      js.get(e[1]).push({ at: now(), mb: Number(e[2]) / 1024 });
    }
  };
  return {
    feed: lineSplitter(onLine),
    /** Go heap readings, and the JavaScript heap with the most full collections (the page's). */
    readings() {
      let page = [];
      for (const list of js.values()) if (list.length > page.length) page = list;
      return { go, js: page };
    },
  };
}

/** The lowest reading with from <= at <= to, or null when there is none. */
export function lowestBetween(readings, from, to) {
  const inside = readings.filter((r) => r.at >= from && r.at <= to).map((r) => r.mb);
  return inside.length ? Math.min(...inside) : null;
}
