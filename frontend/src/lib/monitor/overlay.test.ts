import { describe, expect, it } from 'vitest';
import type { ChartPoint, SessionInfo } from '../api/types';
import { LINE_POINTS, overlayModel, thinLine } from './overlay';
import { newTarget } from './targetstate';

const point = (t: number, rttMs: number | null): ChartPoint => ({ t, rttMs, mark: rttMs === null ? 'lost' : 'reply', index: t, seq: t, row: t });
const session = (id: string) => ({ id, target: `192.0.2.${id}`, addr: `192.0.2.${id}` }) as SessionInfo;

describe('thinLine', () => {
  it('keeps a short line as it is, a loss as a break', () => {
    expect(thinLine([point(0, 1), point(1, null), point(2, 3)])).toEqual([point(0, 1), null, point(2, 3)]);
  });

  it('thins 1200 points to at most LINE_POINTS, keeping the spike and the loss', () => {
    const points = Array.from({ length: 1200 }, (_, k) => point(k * 1000, k === 700 ? null : k === 345 ? 90 : 1));
    const out = thinLine(points);
    expect(out.length).toBeLessThanOrEqual(LINE_POINTS);
    expect(out.filter((p) => p?.rttMs === 90)).toEqual([point(345000, 90)]);
    expect(out.filter((p) => p === null)).toHaveLength(1);
    // In time order, from the first bucket to the last.
    const times = out.filter((p) => p !== null).map((p) => p.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeLessThan(6000);
    expect(times.at(-1)).toBeGreaterThanOrEqual(1188000); // the last bucket: 1188 s to 1199 s
  });
});

describe('overlayModel', () => {
  // 100 targets at 1 s for 20 minutes: every redraw used to format all 120,000 points.
  it('draws at most LINE_POINTS points per target however long the monitor ran', () => {
    const targets = Array.from({ length: 100 }, (_, n) =>
      newTarget(session(String(n)), null, Array.from({ length: 1200 }, (_, k) => point(k * 1000 + n * 10, 0.05 + (k % 7) / 100))),
    );
    const m = overlayModel(targets, {}, 1000, 200);
    expect(m.lines).toHaveLength(100);
    for (const l of m.lines) {
      const pairs = l.segs.join(' ').split(' ');
      expect(pairs.length).toBeLessThanOrEqual(LINE_POINTS);
      expect(pairs.length).toBeGreaterThan(LINE_POINTS / 4);
    }
    expect(m.seconds).toBeCloseTo(1199.99, 1);
    expect(m.rMax).toBeCloseTo(0.11 * 1.1, 5);
  });

  it('leaves hidden targets out and scales to the shown ones', () => {
    const a = newTarget(session('1'), null, [point(0, 1), point(1000, 2)]);
    const b = newTarget(session('2'), null, [point(0, 50), point(1000, null), point(2000, 40)]);
    const m = overlayModel([a, b], { '2': true }, 1000, 200);
    // a alone: 0..1000 ms across the width, 2 ms (+10 %) the top.
    expect(m.lines).toEqual([{ i: 0, segs: ['0.0,109.1 1000.0,18.2'] }]);
    const both = overlayModel([a, b], {}, 1000, 200);
    expect(both.lines[1]?.segs).toHaveLength(2); // the loss breaks b's line in two
  });
});
