import { describe, expect, it } from 'vitest';
import type { ChartPoint } from '../api/types';
import { BoundedSeries, ChartData, xRange } from './chartdata';

const reply = (i: number, rtt: number): ChartPoint => ({ t: i * 1000, rttMs: rtt, mark: 'reply', index: i, seq: i, row: 2 * i });

describe('ChartData', () => {
  it('decimation keeps the higher RTT of each pair, so spikes survive', () => {
    const s = new BoundedSeries(4);
    [1, 9, 2, NaN].forEach((y, i) => expect(s.push(i + 1, y, i + 1, i + 1)).toBe('stored'));
    expect(s.push(5, 7, 5, 5)).toBe('halved');
    const ref = (row: number) => ({ row, seq: row });
    expect(s.series()).toEqual({ t: [2, 3, 5], y: [9, 2, 7], ref: [2, 3, 5].map(ref) });
    // Now each stored point stands for two: the pair's higher RTT, a null losing to a value.
    expect(s.push(6, NaN, 6, 6)).toBe('none');
    expect(s.push(7, 3, 7, 7)).toBe('stored');
    expect(s.series().t).toEqual([2, 3, 5, 7]);
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
    c.add([
      reply(1, 1),
      { t: 2000, rttMs: null, mark: 'lost', index: 2, seq: 2, row: 7 },
      { t: 3000, rttMs: 5, mark: 'duplicate', index: 3, seq: 3, row: 9 },
      { t: 4000, rttMs: 900, mark: 'late', index: 4, seq: 4, row: 11 },
      { t: 5000, rttMs: null, mark: 'icmp-error', index: 5, seq: 5, row: 13 },
    ]);
    expect(c.marks.lost).toEqual({ t: [2], y: [null], ref: [{ row: 7, seq: 2 }] });
    expect(c.marks['icmp-error']).toEqual({ t: [5], y: [null], ref: [{ row: 13, seq: 5 }] });
    expect(c.marks.duplicate.y).toEqual([5]);
    expect(c.marks.late.t).toEqual([4]);
    expect(c.size).toBe(5);
  });
});

describe('xRange', () => {
  it('fits the data: a 1.7 s session spans 0..1.7 s, not a default 100 s window', () => {
    const d = new ChartData();
    d.add([0, 200, 403, 1663].map((t, i) => ({ t, rttMs: 0.01, mark: 'reply', index: i + 1, seq: i + 1, row: i }) as ChartPoint));
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
