// One target's figures in the Monitor view: the words and numbers of its row, the recent
// RTTs of its sparkline, the points of the overlay chart (bounded: a monitor may run for
// hours; the whole chart of a target is in its own session, opened by selecting it).

import type { ChartPoint, Ended, SessionInfo, StatsView } from '../api/types';

/** Points kept per target for the overlay chart, and RTTs for the sparkline. */
export const CHART_POINTS = 1200;
export const SPARK_POINTS = 40;

/** What a row says about its target. */
export type TargetStatus = 'waiting' | 'up' | 'down' | 'error' | 'alive' | 'unreachable';

export interface TargetState {
  session: SessionInfo;
  stats: StatsView | null;
  points: ChartPoint[];
  ended: Ended | null;
}

export function newTarget(session: SessionInfo, stats: StatsView | null = null, points: ChartPoint[] = []): TargetState {
  return { session, stats, points: points.slice(-CHART_POINTS), ended: null };
}

/** Adds a frame's points, keeping the newest CHART_POINTS. */
export function addPoints(t: TargetState, points: ChartPoint[]): void {
  if (points.length === 0) return;
  t.points.push(...points);
  if (t.points.length > CHART_POINTS) t.points.splice(0, t.points.length - CHART_POINTS);
}

/** While running: what its latest answer was; once over: alive (any reply) or unreachable, as fping says. */
export function statusOf(t: TargetState, running: boolean): TargetStatus {
  if (!running || t.ended) return (t.stats?.received ?? 0) > 0 ? 'alive' : 'unreachable';
  const last = t.points.at(-1);
  if (!last) return 'waiting';
  if (last.mark === 'lost') return 'down';
  if (last.mark === 'icmp-error') return 'error';
  return 'up';
}

/** The latest reply's RTT, ms; null before any. */
export function lastRtt(t: TargetState): number | null {
  for (let i = t.points.length - 1; i >= 0; i--) {
    const v = t.points[i]?.rttMs ?? null;
    if (v !== null) return v;
  }
  return null;
}

/** The sparkline's values: the newest SPARK_POINTS points, null for a loss or an error. */
export function sparkValues(t: TargetState): (number | null)[] {
  return t.points.slice(-SPARK_POINTS).map((p) => p.rttMs);
}

/** An SVG polyline's points for values in a w×h box (y grows down; nulls break nothing, they are drawn as ticks by the caller). */
export function sparkPath(values: (number | null)[], w: number, h: number): string {
  const nums = values.filter((v): v is number => v !== null);
  if (nums.length === 0) return '';
  const max = Math.max(...nums) || 1;
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  const out: string[] = [];
  values.forEach((v, i) => {
    if (v === null) return;
    out.push(`${(i * step).toFixed(1)},${(h - 1 - (v / max) * (h - 2)).toFixed(1)}`);
  });
  return out.join(' ');
}

/** Distinct colours for the overlay chart's lines (colour-blind safe first eight, Okabe-Ito). */
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000'];
export function colourOf(index: number): string {
  const fixed = PALETTE[index];
  if (fixed !== undefined) return fixed;
  return `hsl(${(index * 137.508) % 360} 65% 45%)`;
}
