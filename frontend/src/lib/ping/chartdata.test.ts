import { describe, expect, it } from 'vitest';
import type { ChartPoint } from '../api/types';
import { alignedColumns, ChartData, decimate, xRange } from './chartdata';

const reply = (i: number, rtt: number): ChartPoint => ({ t: i * 1000, rttMs: rtt, mark: 'reply', index: i });

describe('ChartData', () => {
  it('decimation keeps the higher RTT of each pair, so spikes survive', () => {
    expect(decimate({ t: [1, 2, 3, 4, 5], y: [1, 9, 2, null, 7] })).toEqual({ t: [2, 3, 5], y: [9, 2, 7] });
  });

  it('stays bounded over a long run and keeps the peak', () => {
    const c = new ChartData(1000);
    for (let batch = 0; batch < 100; batch++) {
      const pts: ChartPoint[] = [];
      for (let i = 0; i < 100; i++) {
        const n = batch * 100 + i;
        pts.push(reply(n, n === 4321 ? 250 : 1));
      }
      c.add(pts);
    }
    const t = c.replies.t;
    expect(t.length).toBeLessThanOrEqual(1000);
    expect(t.length).toBeGreaterThan(500);
    // Every raw point is stored, merged, or in the group being merged (fewer than 2^level).
    expect(c.decimated + t.length).toBeLessThanOrEqual(10_000);
    expect(c.decimated + t.length).toBeGreaterThan(10_000 - 16);
    expect(Math.max(...c.replies.y.map((y) => y ?? 0))).toBe(250);
    // The whole run stays covered evenly (times in seconds, in order): the beginning is not
    // thinned more than the end.
    expect(t[0]).toBe(0);
    expect(t[t.length - 1]).toBeGreaterThan(9_900);
    expect([...t].sort((a, b) => a - b)).toEqual(t);
    const gaps = t.slice(1).map((v, i) => v - t[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * 16);
  });

  it('keeps markers in series of their own', () => {
    const c = new ChartData();
    c.add([reply(1, 1), { t: 2000, rttMs: null, mark: 'lost', index: 2 }, { t: 3000, rttMs: 5, mark: 'duplicate', index: 3 }, { t: 4000, rttMs: 900, mark: 'late', index: 4 }]);
    expect(c.marks.lost).toEqual({ t: [2], y: [null] });
    expect(c.marks.duplicate.y).toEqual([5]);
    expect(c.marks.late.t).toEqual([4]);
    expect(c.size).toBe(4);
  });
});

describe('xRange', () => {
  it('fits the data: a 1.7 s session spans 0..1.7 s, not a default 100 s window', () => {
    const d = new ChartData();
    d.add([0, 200, 403, 1663].map((t, i) => ({ t, rttMs: 0.01, mark: 'reply', index: i + 1 }) as ChartPoint));
    const ts = d.replies.t;
    expect(xRange(Math.min(...ts), Math.max(...ts))).toEqual([0, 1.663]);
  });

  it('one point in time (one reply, or every point at 0) gets one second, not 100', () => {
    expect(xRange(0, 0)).toEqual([0, 1]);
    expect(xRange(12.5, 12.5)).toEqual([12.5, 13.5]);
  });

  it('no data: 0..1', () => {
    expect(xRange(null, null)).toEqual([0, 1]);
  });
});

describe('alignedColumns', () => {
  /** The first implementation (one small array per point, then sorted): the reference. */
  function naive(data: ChartData): (number | null)[][] {
    const rows: (number | null)[][] = [];
    let maxY = 0;
    for (let i = 0; i < data.replies.t.length; i++) {
      const y = data.replies.y[i] ?? null;
      if (y !== null && y > maxY) maxY = y;
      rows.push([data.replies.t[i]!, y, null, null, null]);
    }
    for (const [col, s] of [[3, data.marks.duplicate], [4, data.marks.late]] as const) {
      for (let i = 0; i < s.t.length; i++) {
        const y = s.y[i] ?? null;
        if (y !== null && y > maxY) maxY = y;
        const row: (number | null)[] = [s.t[i]!, null, null, null, null];
        row[col] = y;
        rows.push(row);
      }
    }
    const top = maxY > 0 ? maxY * 1.05 : 1;
    for (const t of data.marks.lost.t) rows.push([t, null, top, null, null]);
    rows.sort((a, b) => a[0]! - b[0]!);
    return [0, 1, 2, 3, 4].map((c) => rows.map((r) => r[c]!));
  }

  it('gives what the per-point version gave: time order, marks in their columns, lost at the top edge', () => {
    const c = new ChartData(500);
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const marks = ['reply', 'reply', 'reply', 'lost', 'duplicate', 'late'] as const;
    for (let batch = 0; batch < 40; batch++) {
      const pts: ChartPoint[] = [];
      for (let i = 0; i < 50; i++) {
        const mark = marks[Math.floor(rnd() * marks.length)]!;
        // Out-of-order replies and markers at earlier send times, as the stream brings them.
        const t = (batch * 50 + i - Math.floor(rnd() * 5)) * 10;
        pts.push({ t, rttMs: mark === 'lost' ? null : Math.round(rnd() * 1000) / 100, mark, index: batch * 50 + i });
      }
      c.add(pts);
    }
    expect(alignedColumns(c)).toEqual(naive(c));
  });

  it('is empty for no data and puts a lone lost marker at 1', () => {
    expect(alignedColumns(new ChartData())).toEqual([[], [], [], [], []]);
    const c = new ChartData();
    c.add([{ t: 500, rttMs: null, mark: 'lost', index: 1 }]);
    expect(alignedColumns(c)).toEqual([[0.5], [null], [1], [null], [null]]);
  });
});
