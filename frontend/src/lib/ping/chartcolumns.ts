// Every kept point of the RTT chart, all series together, in time order: the columns the chart
// draws and hovers over. Typed arrays grown by doubling up to a fixed bound. A new point is
// placed by a search from the end (points come nearly in time order: a loss is known one
// timeout after its request was sent, so it lands a second or so before the newest reply) and
// a shift of the few points after it, instead of sorting everything again for every redraw.
//
// Points of equal time keep the order of the series (reply, lost, duplicate, late, ICMP error)
// and, within a series, the order they were kept in: what a stable sort of the series, one
// after the other, by time gives (the chart's order before these columns; the equivalence test
// in chartcolumns.test.ts holds them to it).

import type { ChartMark } from '../api/types';
import type { BoundedSeries } from './chartdata';

/** A series' rank: its index in RANK_MARK, and the order of points of equal time. */
export const MARK_RANK: Readonly<Record<ChartMark, number>> = { reply: 0, lost: 1, duplicate: 2, late: 3, 'icmp-error': 4 };
export const RANK_MARK: readonly ChartMark[] = ['reply', 'lost', 'duplicate', 'late', 'icmp-error'];

/** Marks drawn in the chart's top lane: they have no RTT (losses, ICMP errors). */
export const LANE_MARKS: readonly ChartMark[] = ['lost', 'icmp-error'];
/** By rank: whether the series is drawn in the lane. */
const IN_LANE: readonly boolean[] = RANK_MARK.map((m) => LANE_MARKS.includes(m));

/** Whether points of the series of this rank are drawn in the lane, not at an RTT. */
export function inLane(rank: number): boolean {
  return IN_LANE[rank]!;
}

const FIRST_CAPACITY = 1024;

export class ChartColumns {
  /** Seconds since the start. */
  t = new Float64Array(0);
  /** RTT in ms; NaN: none (losses, ICMP errors). */
  y = new Float64Array(0);
  /** MARK_RANK of the point's series. */
  mark = new Uint8Array(0);
  row = new Int32Array(0);
  seq = new Float64Array(0);
  length = 0;
  /**
   * The first index changed since the chart last copied the columns (chartuplot.ts): its copy
   * is refreshed from there on.
   */
  dirtyFrom = 0;

  constructor(private readonly bound: number) {
    this.allocate(Math.min(FIRST_CAPACITY, bound));
  }

  get capacity(): number {
    return this.t.length;
  }

  /** Places one point after every point of earlier time, or of equal time and lower or equal rank. */
  insert(t: number, y: number, rank: number, row: number, seq: number): void {
    if (this.length === this.t.length) this.allocate(Math.min(this.t.length * 2, this.bound));
    let i = this.length;
    while (i > 0 && (this.t[i - 1]! > t || (this.t[i - 1] === t && this.mark[i - 1]! > rank))) i--;
    if (i < this.length) {
      this.t.copyWithin(i + 1, i, this.length);
      this.y.copyWithin(i + 1, i, this.length);
      this.mark.copyWithin(i + 1, i, this.length);
      this.row.copyWithin(i + 1, i, this.length);
      this.seq.copyWithin(i + 1, i, this.length);
    }
    this.t[i] = t;
    this.y[i] = y;
    this.mark[i] = rank;
    this.row[i] = row;
    this.seq[i] = seq;
    this.length++;
    this.dirtyFrom = Math.min(this.dirtyFrom, i);
  }

  /**
   * Places every point of the series again (after a series was halved, or a long batch): one
   * stable sort by time of the series taken in rank order. Rare: a series is halved when it
   * doubles, so about log2(run / bound) times in a run.
   */
  rebuild(series: readonly BoundedSeries[]): void {
    let n = 0;
    for (const s of series) n += s.length;
    if (n > this.t.length) this.allocate(Math.min(Math.max(n, this.t.length * 2), this.bound), false);
    const t = new Float64Array(n);
    const from = new Uint32Array(n); // rank << 24 | index within the series
    let k = 0;
    series.forEach((s, rank) => {
      for (let i = 0; i < s.length; i++, k++) {
        t[k] = s.t[i]!;
        from[k] = (rank << 24) | i;
      }
    });
    // Positions in the concatenation order, sorted by time; ties keep that order (stable).
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => t[a]! - t[b]! || a - b);
    for (let j = 0; j < n; j++) {
      const f = from[order[j]!]!;
      const s = series[f >>> 24]!;
      const i = f & 0xffffff;
      this.t[j] = s.t[i]!;
      this.y[j] = s.y[i]!;
      this.mark[j] = f >>> 24;
      this.row[j] = s.row[i]!;
      this.seq[j] = s.seq[i]!;
    }
    this.length = n;
    this.dirtyFrom = 0;
  }

  reset(): void {
    this.length = 0;
    this.dirtyFrom = 0;
  }

  /** The RTT point i is drawn at, in ms: null for a lane mark or a point without one. */
  rttAt(i: number): number | null {
    const v = this.y[i]!;
    return inLane(this.mark[i]!) || Number.isNaN(v) ? null : v;
  }

  /** The largest RTT among points drawn at their RTT (replies, duplicates, late replies); null: none. */
  maxRtt(): number | null {
    let max: number | null = null;
    for (let i = 0; i < this.length; i++) {
      const v = this.rttAt(i);
      if (v !== null && (max === null || v > max)) max = v;
    }
    return max;
  }

  private allocate(cap: number, keep = true): void {
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(old: T, next: T): T => {
      if (keep) next.set(old.subarray(0, this.length) as never);
      return next;
    };
    this.t = grow(this.t, new Float64Array(cap));
    this.y = grow(this.y, new Float64Array(cap));
    this.mark = grow(this.mark, new Uint8Array(cap));
    this.row = grow(this.row, new Int32Array(cap));
    this.seq = grow(this.seq, new Float64Array(cap));
  }
}
