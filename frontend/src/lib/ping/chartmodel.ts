// What the RTT chart shows, independent of how it is drawn (uPlot on screen, SVG on export):
// every point with its class, row and sequence number; the RTT axis taken from the data (no
// made-up range when there are no replies); losses and ICMP errors in a lane of their own at
// the top, since they have no RTT; and the point nearest the pointer, in words.

import type { ChartMark } from '../api/types';
import type { ChartData } from './chartdata';
import { LANE_MARKS, RANK_MARK } from './chartcolumns';

export { LANE_MARKS };

export interface ChartItem {
  /** Seconds since the start (the request's send time). */
  t: number;
  /** ms; null for points in the lane (losses, ICMP errors). */
  rtt: number | null;
  mark: ChartMark;
  /** The table row the point selects (-1: not stored). */
  row: number;
  seq: number;
}

/** The lane's own scale (0..1): where its markers sit, above the RTT data. */
export const LANE_Y: Record<string, number> = { lost: 0.955, 'icmp-error': 0.875 };

/** The RTT axis' headroom: the top part of the plot is the lane. */
export const RTT_HEADROOM = 1.3;

export const MARK_WORDS: Record<ChartMark, string> = {
  reply: 'reply',
  lost: 'lost',
  duplicate: 'duplicate',
  late: 'late',
  'icmp-error': 'ICMP error',
};

/** The point at index i of the chart's time-ordered columns, as an item. */
export function itemAt(data: ChartData, i: number): ChartItem {
  const c = data.columns;
  return { t: c.t[i]!, rtt: c.rttAt(i), mark: RANK_MARK[c.mark[i]!]!, row: c.row[i]!, seq: c.seq[i]! };
}

/** Every point of the chart, in time order (objects: for the SVG export and tests, not per redraw). */
export function chartItems(data: ChartData): ChartItem[] {
  const out: ChartItem[] = [];
  for (let i = 0; i < data.columns.length; i++) out.push(itemAt(data, i));
  return out;
}

/** The RTT axis for the largest RTT shown (null: none): 0 to it plus the lane's headroom. */
export function rttAxis(max: number | null): [number, number] | null {
  if (max === null || !(max > 0)) return null;
  return [0, max * RTT_HEADROOM];
}

/**
 * The point nearest (cx, cy) in pixels, within `within` px; x and y give a point's pixels from
 * its time, and from its RTT or (null) its mark's lane. A scan of the typed columns: no object
 * per point, one for the point found.
 */
export function nearestPoint(
  data: ChartData,
  x: (t: number) => number,
  y: (rtt: number | null, mark: ChartMark) => number,
  cx: number,
  cy: number,
  within = 14,
): ChartItem | undefined {
  const c = data.columns;
  let best = -1;
  let bestD = within * within;
  for (let i = 0; i < c.length; i++) {
    const d = (x(c.t[i]!) - cx) ** 2 + (y(c.rttAt(i), RANK_MARK[c.mark[i]!]!) - cy) ** 2;
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  }
  return best < 0 ? undefined : itemAt(data, best);
}

export function formatRtt(ms: number): string {
  return ms >= 100 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

/** "seq 12 · 1.500 s · RTT 0.123 ms · reply" */
export function describeItem(it: ChartItem): string {
  const rtt = it.rtt === null ? 'no RTT' : `RTT ${formatRtt(it.rtt)} ms`;
  return `seq ${it.seq} · ${it.t.toFixed(3)} s · ${rtt} · ${MARK_WORDS[it.mark]}`;
}

/** Up to about `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  // The round step nearest the wanted one (a little smaller rather than far bigger).
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw * 0.75) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}
