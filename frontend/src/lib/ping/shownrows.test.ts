import { describe, expect, it } from 'vitest';
import type { Row } from '../api/types';
import { ShownRows } from './shownrows';
import { RowCache } from './rowcache';
import { bottomScrollTop, tableLayout, visibleWindow } from './virtual';

function rowAt(n: number): Row {
  return { n, kind: 'reply', time: '2026-12-07T23:00:00.000000001Z', type: 'Echo Reply', code: 0, index: n, seq: n, id: 1, bytes: 64, ttl: 64, rttMs: 0.05, class: 'on-time', from: '127.0.0.1', note: '' };
}

describe('ShownRows: the packet table renders again only the rows that changed', () => {
  it('gives back the same array, and makes no item, when a frame changed none of the shown rows', () => {
    const cache = new RowCache();
    cache.put(Array.from({ length: 100 }, (_, n) => rowAt(n)), 99);
    const shown = new ShownRows();
    const first = shown.update(20, 50, (p) => cache.get(p));
    expect(first.map((it) => it.pos)).toEqual(Array.from({ length: 30 }, (_, i) => 20 + i));
    expect(shown.made).toBe(30);
    // A table scrolled back while the session runs: frames bring rows far below the view.
    for (let f = 0; f < 25; f++) {
      cache.put(Array.from({ length: 8 }, (_, i) => rowAt(100 + f * 8 + i)), 35);
      expect(shown.update(20, 50, (p) => cache.get(p))).toBe(first);
    }
    expect(shown.made).toBe(30);
  });

  it('keeps the items whose row did not change, and makes one for a row that loaded', () => {
    const rows = new Map<number, Row>();
    for (let n = 0; n < 10; n++) if (n !== 4) rows.set(n, rowAt(n));
    const shown = new ShownRows();
    const before = shown.update(0, 10, (p) => rows.get(p));
    expect(before[4]!.r).toBeUndefined();
    rows.set(4, rowAt(4)); // its page came
    const after = shown.update(0, 10, (p) => rows.get(p));
    expect(after).not.toBe(before);
    expect(after[4]!.r?.n).toBe(4);
    for (let i = 0; i < 10; i++) if (i !== 4) expect(after[i]).toBe(before[i]);
    expect(shown.made).toBe(11);
  });

  it('draws again a row that its page did not bring (never stored), though it is still not loaded', () => {
    // history.e2e's disk-full session: the row's page came without it, and the table must
    // turn "loading…" into "not stored" while the row itself stays undefined.
    const cache = new RowCache();
    const shown = new ShownRows();
    const row = (p: number) => cache.get(p);
    const missing = (p: number) => cache.isMissing(p);
    const before = shown.update(100, 110, row, missing);
    expect(before.every((it) => it.r === undefined && !it.missing)).toBe(true);
    cache.put([100, 101, 102, 104, 105, 106, 107, 108, 109].map(rowAt), 105);
    cache.markMissing(100, 110); // the page of rows 100-109 came without row 103
    const after = shown.update(100, 110, row, missing);
    expect(after[3]).toMatchObject({ pos: 103, r: undefined, missing: true });
    expect(after.filter((it) => it.missing)).toHaveLength(1);
    expect(shown.update(100, 110, row, missing)).toBe(after);
  });

  it('follows a moving window and an empty one', () => {
    const shown = new ShownRows();
    shown.update(0, 5, rowAt);
    const moved = shown.update(3, 8, rowAt);
    expect(moved.map((it) => [it.pos, it.r?.n])).toEqual([[3, 3], [4, 4], [5, 5], [6, 6], [7, 7]]);
    expect(shown.update(0, 0, rowAt)).toEqual([]);
  });
});

describe('the window of a table that follows the newest rows', () => {
  it('is the window of the offset the follow scrolls to: the frame and the scroll after it draw the same rows', () => {
    const view = 300; // 12.5 rows of 24 px
    for (let total = 0; total < 2000; total += 8) {
      const l = tableLayout(total, 24, view);
      const w = visibleWindow(l, bottomScrollTop(l));
      expect(w.end).toBe(total);
      expect(w.end - w.start).toBe(Math.min(total, 13 + 6));
      // The offset puts the spacer's end at the box's bottom (the farthest the box scrolls), or
      // is 0 while the rows fit.
      expect(bottomScrollTop(l) + view).toBe(Math.max(view, total * 24));
    }
  });

  it('also when the rows no longer fit the spacer (a million rows: scaled scrolling)', () => {
    const l = tableLayout(2_000_000, 24, 300);
    expect(l.scaled).toBe(true);
    const w = visibleWindow(l, bottomScrollTop(l));
    expect(w.end).toBe(2_000_000);
    expect(w.end - w.start).toBeLessThanOrEqual(13 + 1 + 6);
  });
});
