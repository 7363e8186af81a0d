// The RTT chart's data, bounded. Each series holds at most maxPoints points, every one standing
// for the same number (2^level) of raw points: when a series fills up it is halved (each pair
// merged, keeping the higher RTT so spikes survive) and later points are merged in groups of
// the new size before they are stored. So a long run keeps an even resolution over its whole
// length instead of losing its beginning. Markers (lost, duplicate, late, ICMP error) are series
// of their own. Each kept point remembers its row and sequence number (hover and click).
//
// Stored in typed arrays, not one object per point: at 100 requests a second the chart used to
// rebuild every point as an object, sort them and make six columns for uPlot up to 10 times a
// second (about 8-10 MB of garbage a second for the page's collector). Now each series keeps
// its points in columns grown by doubling up to the bound, and every kept point is also placed,
// as it arrives, in the time-ordered columns the chart draws (lib/ping/chartcolumns).

import type { ChartMark, ChartPoint } from '../api/types';
import { ChartColumns, MARK_RANK, RANK_MARK } from './chartcolumns';
import { UplotColumns } from './chartuplot';

export const DEFAULT_MAX_POINTS = 6000;

/** Which row a point stands for, and its request's sequence number. */
export interface PointRef {
  row: number;
  seq: number;
}

/** A series as plain arrays (tests and diagnostics; the chart reads the typed columns). */
export interface Series {
  t: number[];
  y: (number | null)[];
  ref: PointRef[];
}

/** The first capacity of a series' columns; doubled as it fills, up to the bound. */
const FIRST_CAPACITY = 256;

/** A bulk add (a reopened session's view) this long is placed by one sort, not point by point. */
const BULK_POINTS = 512;

/** One bounded series with its merge level and the group being merged. y is NaN for "no RTT". */
export class BoundedSeries {
  t: Float64Array;
  y: Float64Array;
  row: Int32Array;
  seq: Float64Array;
  length = 0;
  level = 0;
  merged = 0;
  private groupCount = 0;
  private groupT = 0;
  private groupY = NaN;
  private groupRow = -1;
  private groupSeq = 0;

  constructor(private readonly max: number) {
    const cap = Math.min(FIRST_CAPACITY, max + 1);
    this.t = new Float64Array(cap);
    this.y = new Float64Array(cap);
    this.row = new Int32Array(cap);
    this.seq = new Float64Array(cap);
  }

  /** Elements each column can hold now (at most max + 1: a full series is halved at once). */
  get capacity(): number {
    return this.t.length;
  }

  /**
   * Adds one raw point. Returns 'none' while a group is being merged, 'stored' when a point was
   * appended, 'halved' when the series filled up and was halved (its points moved).
   */
  push(t: number, y: number, row: number, seq: number): 'none' | 'stored' | 'halved' {
    // A group keeps its first point until one with a higher RTT comes (a null never wins).
    if (this.groupCount === 0 || (!Number.isNaN(y) && (Number.isNaN(this.groupY) || y > this.groupY))) {
      this.groupT = t;
      this.groupY = y;
      this.groupRow = row;
      this.groupSeq = seq;
    }
    this.groupCount++;
    if (this.groupCount < 2 ** this.level) return 'none';
    this.merged += this.groupCount - 1;
    this.groupCount = 0;
    if (this.length === this.t.length) this.grow();
    const i = this.length++;
    this.t[i] = this.groupT;
    this.y[i] = this.groupY;
    this.row[i] = this.groupRow;
    this.seq[i] = this.groupSeq;
    if (this.length <= this.max) return 'stored';
    const before = this.length;
    this.halve();
    this.merged += before - this.length;
    this.level++;
    return 'halved';
  }

  /** Halves the series in place, keeping in each pair the point with the higher value (NaN loses). */
  halve(): void {
    let out = 0;
    for (let i = 0; i < this.length; i += 2) {
      const a = this.y[i]!;
      const b = i + 1 < this.length ? this.y[i + 1]! : NaN;
      const k = !Number.isNaN(b) && (Number.isNaN(a) || b > a) ? i + 1 : i;
      this.t[out] = this.t[k]!;
      this.y[out] = this.y[k]!;
      this.row[out] = this.row[k]!;
      this.seq[out] = this.seq[k]!;
      out++;
    }
    this.length = out;
  }

  private grow(): void {
    const cap = Math.min(this.t.length * 2, this.max + 1);
    const t = new Float64Array(cap);
    const y = new Float64Array(cap);
    const row = new Int32Array(cap);
    const seq = new Float64Array(cap);
    t.set(this.t);
    y.set(this.y);
    row.set(this.row);
    seq.set(this.seq);
    this.t = t;
    this.y = y;
    this.row = row;
    this.seq = seq;
  }

  /** The series as plain arrays (a copy). */
  series(): Series {
    const out: Series = { t: [], y: [], ref: [] };
    for (let i = 0; i < this.length; i++) {
      out.t.push(this.t[i]!);
      out.y.push(Number.isNaN(this.y[i]!) ? null : this.y[i]!);
      out.ref.push({ row: this.row[i]!, seq: this.seq[i]! });
    }
    return out;
  }
}

export class ChartData {
  private series: BoundedSeries[];
  /** Every kept point of every series, in time order: what the chart draws. */
  readonly columns: ChartColumns;
  /** uPlot's columns, kept up to date from `columns` (one per data: it tracks what changed). */
  readonly uplot: UplotColumns;

  constructor(readonly maxPoints = DEFAULT_MAX_POINTS) {
    this.series = this.fresh();
    this.columns = new ChartColumns(RANK_MARK.length * (maxPoints + 1));
    this.uplot = new UplotColumns(this.columns);
  }

  private fresh(): BoundedSeries[] {
    return RANK_MARK.map(() => new BoundedSeries(this.maxPoints));
  }

  /** Adds a frame's points (t in ms since the start; stored in seconds, the chart's unit). */
  add(points: readonly ChartPoint[]): void {
    // A long batch (a reopened session's view, markers first) is placed by one sort at the
    // end; a live frame's few points are placed one by one, nearly always at the end.
    let rebuild = points.length > BULK_POINTS;
    for (const p of points) {
      const rank = MARK_RANK[p.mark];
      if (rank === undefined) continue;
      const s = this.series[rank]!;
      const kept = s.push(p.t / 1000, p.rttMs ?? NaN, p.row ?? -1, p.seq ?? 0);
      if (kept === 'halved') rebuild = true;
      else if (kept === 'stored' && !rebuild) {
        const i = s.length - 1; // the group's point, not necessarily this one
        this.columns.insert(s.t[i]!, s.y[i]!, rank, s.row[i]!, s.seq[i]!);
      }
    }
    if (rebuild) this.columns.rebuild(this.series);
  }

  get replies(): Series {
    return this.series[MARK_RANK.reply]!.series();
  }

  get marks(): Record<Exclude<ChartMark, 'reply'>, Series> {
    return {
      lost: this.series[MARK_RANK.lost]!.series(),
      duplicate: this.series[MARK_RANK.duplicate]!.series(),
      late: this.series[MARK_RANK.late]!.series(),
      'icmp-error': this.series[MARK_RANK['icmp-error']]!.series(),
    };
  }

  /** Raw points merged away so far (the chart says so). */
  get decimated(): number {
    return this.series.reduce((sum, s) => sum + s.merged, 0);
  }

  get size(): number {
    return this.series.reduce((sum, s) => sum + s.length, 0);
  }

  /** Elements the typed columns can hold now (series and time-ordered columns): the memory bound's measure. */
  get capacity(): number {
    return this.series.reduce((sum, s) => sum + s.capacity, 0) + this.columns.capacity;
  }

  clear(): void {
    this.series = this.fresh();
    this.columns.reset();
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
