import { describe, expect, it } from 'vitest';
import type { ChartPoint, SessionInfo, StatsView } from '../api/types';
import { CHART_POINTS, addPoints, lastRtt, newTarget, sparkPath, sparkValues, statusOf } from './targetstate';

const session = { id: '1', target: 'a', addr: '192.0.2.1' } as SessionInfo;
const pt = (i: number, rttMs: number | null, mark: ChartPoint['mark'] = rttMs === null ? 'lost' : 'reply'): ChartPoint => ({ t: i * 1000, rttMs, mark, index: i, seq: i, row: i * 2 + 1 });

describe('target state', () => {
  it('says what the latest answer was while running, and alive/unreachable once over', () => {
    const t = newTarget(session);
    expect(statusOf(t, true)).toBe('waiting');
    addPoints(t, [pt(0, 1.5)]);
    expect(statusOf(t, true)).toBe('up');
    addPoints(t, [pt(1, null)]);
    expect(statusOf(t, true)).toBe('down');
    addPoints(t, [pt(2, null, 'icmp-error')]);
    expect(statusOf(t, true)).toBe('error');
    t.stats = { received: 1 } as StatsView;
    expect(statusOf(t, false)).toBe('alive');
    t.stats = { received: 0 } as StatsView;
    expect(statusOf(t, false)).toBe('unreachable');
    expect(lastRtt(t)).toBe(1.5);
  });

  it('keeps the newest points only', () => {
    const t = newTarget(session);
    for (let i = 0; i < CHART_POINTS + 10; i++) addPoints(t, [pt(i, i)]);
    expect(t.points).toHaveLength(CHART_POINTS);
    expect(t.points[0]?.index).toBe(10);
    expect(sparkValues(t)).toHaveLength(40);
  });

  it('draws a sparkline scaled to its largest RTT, skipping losses', () => {
    expect(sparkPath([null, null], 80, 20)).toBe('');
    expect(sparkPath([2, null, 4], 80, 20)).toBe('0.0,10.0 80.0,1.0');
  });
});
