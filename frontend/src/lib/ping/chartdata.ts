// The RTT chart's data, bounded. Each series holds at most maxPoints points, every one standing
// for the same number (2^level) of raw points: when a series fills up it is halved (each pair
// merged, keeping the higher RTT so spikes survive) and later points are merged in groups of
// the new size before they are stored. So a long run keeps an even resolution over its whole
// length instead of losing its beginning. Markers (lost, duplicate, late) are series of their own.

import type { ChartMark, ChartPoint } from '../api/types';

export const DEFAULT_MAX_POINTS = 6000;

export interface Series {
  t: number[];
  y: (number | null)[];
}

/** Halves a series, keeping in each pair the point with the higher value (nulls lose). */
export function decimate(s: Series): Series {
  const out: Series = { t: [], y: [] };
  for (let i = 0; i < s.t.length; i += 2) {
    const a = s.y[i] ?? null;
    const b = i + 1 < s.t.length ? (s.y[i + 1] ?? null) : null;
    const pickB = b !== null && (a === null || b > a);
    out.t.push(pickB ? s.t[i + 1]! : s.t[i]!);
    out.y.push(pickB ? b : a);
  }
  return out;
}

/** One bounded series with its merge level and the group being merged. */
class BoundedSeries {
  data: Series = { t: [], y: [] };
  level = 0;
  merged = 0;
  private groupCount = 0;
  private groupT = 0;
  private groupY: number | null = null;

  constructor(private readonly max: number) {}

  push(t: number, y: number | null): void {
    if (this.groupCount === 0 || (y !== null && (this.groupY === null || y > this.groupY))) {
      this.groupT = t;
      this.groupY = y;
    }
    this.groupCount++;
    if (this.groupCount < 2 ** this.level) return;
    this.merged += this.groupCount - 1;
    this.data.t.push(this.groupT);
    this.data.y.push(this.groupY);
    this.groupCount = 0;
    if (this.data.t.length > this.max) {
      const before = this.data.t.length;
      this.data = decimate(this.data);
      this.merged += before - this.data.t.length;
      this.level++;
    }
  }
}

export class ChartData {
  private series: Record<ChartMark, BoundedSeries>;

  constructor(readonly maxPoints = DEFAULT_MAX_POINTS) {
    this.series = this.fresh();
  }

  private fresh(): Record<ChartMark, BoundedSeries> {
    const m = this.maxPoints;
    return { reply: new BoundedSeries(m), lost: new BoundedSeries(m), duplicate: new BoundedSeries(m), late: new BoundedSeries(m) };
  }

  /** Adds a frame's points (t in ms since the start; stored in seconds, the chart's unit). */
  add(points: readonly ChartPoint[]): void {
    for (const p of points) this.series[p.mark].push(p.t / 1000, p.rttMs);
  }

  get replies(): Series {
    return this.series.reply.data;
  }

  get marks(): Record<Exclude<ChartMark, 'reply'>, Series> {
    return { lost: this.series.lost.data, duplicate: this.series.duplicate.data, late: this.series.late.data };
  }

  /** Raw points merged away so far (the chart says so). */
  get decimated(): number {
    return Object.values(this.series).reduce((sum, s) => sum + s.merged, 0);
  }

  get size(): number {
    return Object.values(this.series).reduce((sum, s) => sum + s.data.t.length, 0);
  }

  clear(): void {
    this.series = this.fresh();
  }
}

/**
 * The chart's x range (seconds since the start) for the data's extent: the data's own span,
 * so a reopened or imported session of 1.7 s fills the width. When every point has the same
 * time (one reply, or none), uPlot's own default is a 0..100 window; one second from that
 * time is shown instead.
 */
export function xRange(min: number | null, max: number | null): [number, number] {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max <= min) return [min, min + 1];
  return [min, max];
}

/** uPlot's data: one x column (seconds) and the reply, lost, duplicate and late columns. */
export type AlignedColumns = [number[], (number | null)[], (number | null)[], (number | null)[], (number | null)[]];

/**
 * Merges the series onto one x axis (uPlot's data model), in time order (points of equal
 * time in series order: replies, duplicates, late, lost), lost markers at the top edge (5 %
 * above the highest RTT). Built column by column, with one index sort: the chart redraws
 * up to ten times a second with up to 4 × maxPoints points, and a small array per point
 * (as this was first written) made tens of thousands of short-lived objects a second for
 * the webview's collector to chase.
 */
export function alignedColumns(data: ChartData): AlignedColumns {
  const r = data.replies;
  const { duplicate, late, lost } = data.marks;
  const parts: [Series, number][] = [[r, 1], [duplicate, 3], [late, 4], [lost, 2]];
  const n = r.t.length + duplicate.t.length + late.t.length + lost.t.length;
  const ts = new Float64Array(n);
  const col = new Uint8Array(n);
  const src = new Uint32Array(n);
  let maxY = 0;
  let k = 0;
  for (const [s, c] of parts) {
    for (let i = 0; i < s.t.length; i++, k++) {
      ts[k] = s.t[i]!;
      col[k] = c;
      src[k] = i;
      const y = s.y[i] ?? null;
      if (c !== 2 && y !== null && y > maxY) maxY = y;
    }
  }
  const top = maxY > 0 ? maxY * 1.05 : 1;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => ts[a]! - ts[b]! || a - b);
  const out: AlignedColumns = [new Array<number>(n), new Array(n).fill(null), new Array(n).fill(null), new Array(n).fill(null), new Array(n).fill(null)];
  const series: Record<number, Series> = { 1: r, 3: duplicate, 4: late };
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    out[0][j] = ts[i]!;
    const c = col[i]!;
    out[c]![j] = c === 2 ? top : (series[c]!.y[src[i]!] ?? null);
  }
  return out;
}
