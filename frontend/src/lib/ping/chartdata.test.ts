import { describe, expect, it } from 'vitest';
import type { ChartPoint } from '../api/types';
import { ChartData, decimate } from './chartdata';

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
