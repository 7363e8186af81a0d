import { describe, expect, it } from 'vitest';
import type { Row } from '../api/types';
import { PAGE_ROWS, RowCache } from './rowcache';

function rows(from: number, to: number): Row[] {
  const out: Row[] = [];
  for (let n = from; n < to; n++) {
    out.push({ n, kind: 'send', time: '', type: 'Echo Request', code: 0, index: n, seq: n, id: 1, bytes: 64, ttl: -1, rttMs: null, class: '', from: '', note: '' });
  }
  return out;
}

describe('RowCache', () => {
  it('stays bounded, forgetting the rows farthest from where the table looks', () => {
    const c = new RowCache(1000);
    c.put(rows(0, 1000), 999);
    c.put(rows(1000, 1500), 1499);
    // Trimmed below the capacity by the slack, so that the next rows do not trim again.
    expect(c.slack).toBe(100);
    expect(c.size).toBe(900);
    expect(c.get(0)).toBeUndefined();
    expect(c.get(599)).toBeUndefined();
    expect(c.get(600)?.n).toBe(600);
    expect(c.get(1499)?.n).toBe(1499);
    c.put(rows(1500, 1600), 1599); // back at the capacity: nothing forgotten
    expect(c.size).toBe(1000);
    expect(c.get(600)?.n).toBe(600);
  });

  it('never holds more than its capacity on a long stream, keeping the newest rows', () => {
    const c = new RowCache(4000);
    for (let n = 0; n < 200_000; n += 8) {
      c.put(rows(n, n + 8), n + 7);
      if (c.size > c.capacity) throw new Error(`${c.size} rows cached after row ${n + 7}`);
    }
    expect(c.get(199_999)?.n).toBe(199_999);
    expect(c.get(199_999 - 3600)?.n).toBe(199_999 - 3600);
  });

  it('asks once for each page holding missing rows, again after the fetch settled', () => {
    const c = new RowCache();
    c.put(rows(0, PAGE_ROWS), 0);
    expect(c.pagesToFetch(10, 50)).toEqual([]);
    expect(c.pagesToFetch(PAGE_ROWS - 10, PAGE_ROWS + 10)).toEqual([PAGE_ROWS]);
    expect(c.pagesToFetch(PAGE_ROWS, PAGE_ROWS + 5)).toEqual([]); // in flight
    c.settled(PAGE_ROWS);
    expect(c.pagesToFetch(PAGE_ROWS, PAGE_ROWS + 5)).toEqual([PAGE_ROWS]);
    expect(c.pagesToFetch(5 * PAGE_ROWS + 1, 7 * PAGE_ROWS)).toEqual([5 * PAGE_ROWS, 6 * PAGE_ROWS]);
  });

  it('keys a filtered page by rank and finds a row by its session number', () => {
    const c = new RowCache(1000);
    const requests = rows(0, 400).filter((r) => r.n % 2 === 0); // ranks 0..199 hold rows 0, 2, 4, ...
    c.putAt(0, requests, 0);
    expect(c.get(3)?.n).toBe(6);
    expect(c.positionOf(6)).toBe(3);
    expect(c.positionOf(7)).toBeUndefined();
    expect(c.pagesToFetch(0, 200)).toEqual([]);
    expect(c.pagesToFetch(150, 260)).toEqual([200]);
  });
});
