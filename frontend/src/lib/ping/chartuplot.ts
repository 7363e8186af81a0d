// uPlot's data model for the RTT chart, kept up to date instead of rebuilt: one x column and a
// column per series (reply, lost, duplicate, late, ICMP error) on that axis, each point in its
// own series' column and null in the others; lane markers (losses, ICMP errors) at their lane's
// height. The same arrays are given to uPlot at every redraw and only the part changed since
// the last one (ChartColumns.dirtyFrom, nearly always the last few points) is written.
//
// The x column is a Float64Array (a view of its first `length` elements, made again only when
// the length changes). The five y columns are plain arrays: uPlot reads null as "no point
// here" and would draw a NaN of a typed array as a value.

import type { ChartColumns } from './chartcolumns';
import { inLane, RANK_MARK } from './chartcolumns';
import { LANE_Y } from './chartmodel';

/** uPlot's AlignedData for this chart: x, then one column per series in rank order. */
export type ChartAligned = [Float64Array, ...(number | null)[][]];

/** The value point i shows in its series' column: its lane's height, or its RTT (null: none). */
function shown(c: ChartColumns, i: number): number | null {
  return inLane(c.mark[i]!) ? LANE_Y[RANK_MARK[c.mark[i]!]!]! : c.rttAt(i);
}

export class UplotColumns {
  private x = new Float64Array(0);
  private readonly ys: (number | null)[][] = RANK_MARK.map(() => []);
  private readonly data: ChartAligned = [new Float64Array(0), ...this.ys];

  constructor(private readonly cols: ChartColumns) {}

  /** The chart's data, brought up to date with the columns (the same arrays every call). */
  aligned(): ChartAligned {
    const c = this.cols;
    const n = c.length;
    const from = Math.min(c.dirtyFrom, n);
    if (this.x.length < n) {
      const x = new Float64Array(c.capacity);
      x.set(this.x.subarray(0, from));
      this.x = x;
    }
    for (let i = from; i < n; i++) this.x[i] = c.t[i]!; // (a subarray to copy from would be one more object)
    for (let k = 0; k < this.ys.length; k++) {
      const col = this.ys[k]!;
      if (col.length > n) col.length = n;
      for (let i = from; i < n; i++) {
        const v = c.mark[i] === k ? shown(c, i) : null;
        if (i < col.length) col[i] = v;
        else col.push(v);
      }
    }
    c.dirtyFrom = n;
    if (this.data[0].length !== n || this.data[0].buffer !== this.x.buffer) this.data[0] = this.x.subarray(0, n);
    return this.data;
  }
}
