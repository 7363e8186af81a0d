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
    expect(c.size).toBe(1000);
    expect(c.get(0)).toBeUndefined();
    expect(c.get(499)).toBeUndefined();
    expect(c.get(500)?.n).toBe(500);
    expect(c.get(1499)?.n).toBe(1499);
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
});
