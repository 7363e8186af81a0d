// The RTT chart's data, bounded. Each series holds at most maxPoints points, every one standing
// for the same number (2^level) of raw points: when a series fills up it is halved (each pair
// merged, keeping the higher RTT so spikes survive) and later points are merged in groups of
// the new size before they are stored. So a long run keeps an even resolution over its whole
// length instead of losing its beginning. Markers (lost, duplicate, late, ICMP error) are series
// of their own. Each kept point remembers its row and sequence number (hover and click).

import type { ChartMark, ChartPoint } from '../api/types';

export const DEFAULT_MAX_POINTS = 6000;

/** Which row a point stands for, and its request's sequence number. */
export interface PointRef {
  row: number;
  seq: number;
}

export interface Series {
  t: number[];
  y: (number | null)[];
  ref: PointRef[];
}

const NO_REF: PointRef = { row: -1, seq: 0 };

/** Halves a series, keeping in each pair the point with the higher value (nulls lose). */
export function decimate(s: Series): Series {
  const out: Series = { t: [], y: [], ref: [] };
  for (let i = 0; i < s.t.length; i += 2) {
    const a = s.y[i] ?? null;
    const b = i + 1 < s.t.length ? (s.y[i + 1] ?? null) : null;
    const pickB = b !== null && (a === null || b > a);
    const k = pickB ? i + 1 : i;
    out.t.push(s.t[k]!);
    out.y.push(pickB ? b : a);
    out.ref.push(s.ref[k] ?? NO_REF);
  }
  return out;
}

/** One bounded series with its merge level and the group being merged. */
class BoundedSeries {
  data: Series = { t: [], y: [], ref: [] };
  level = 0;
  merged = 0;
  private groupCount = 0;
  private groupT = 0;
  private groupY: number | null = null;
  private groupRef: PointRef = NO_REF;

  constructor(private readonly max: number) {}

  push(t: number, y: number | null, ref: PointRef = NO_REF): void {
    if (this.groupCount === 0 || (y !== null && (this.groupY === null || y > this.groupY))) {
      this.groupT = t;
      this.groupY = y;
      this.groupRef = ref;
    }
    this.groupCount++;
    if (this.groupCount < 2 ** this.level) return;
    this.merged += this.groupCount - 1;
    this.data.t.push(this.groupT);
    this.data.y.push(this.groupY);
    this.data.ref.push(this.groupRef);
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
    return {
      reply: new BoundedSeries(m),
      lost: new BoundedSeries(m),
      duplicate: new BoundedSeries(m),
      late: new BoundedSeries(m),
      'icmp-error': new BoundedSeries(m),
    };
  }

  /** Adds a frame's points (t in ms since the start; stored in seconds, the chart's unit). */
  add(points: readonly ChartPoint[]): void {
    for (const p of points) this.series[p.mark]?.push(p.t / 1000, p.rttMs, { row: p.row ?? -1, seq: p.seq ?? 0 });
  }

  get replies(): Series {
    return this.series.reply.data;
  }

  get marks(): Record<Exclude<ChartMark, 'reply'>, Series> {
    return {
      lost: this.series.lost.data,
      duplicate: this.series.duplicate.data,
      late: this.series.late.data,
      'icmp-error': this.series['icmp-error'].data,
    };
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
