// The RTT chart's data model as it was before the typed columns (commit b42515f): points as
// objects in one array per series, every point made an item and all of them sorted, then six
// columns built for uPlot, at every redraw. Kept only as the reference the equivalence test
// (chartcolumns.test.ts) holds the incremental store to; nothing in the app imports it.

import type { ChartMark, ChartPoint } from '../api/types';
import { LANE_MARKS, LANE_Y, type ChartItem } from './chartmodel';
import type { PointRef, Series } from './chartdata';

const NO_REF: PointRef = { row: -1, seq: 0 };

/** Halves a series, keeping in each pair the point with the higher value (nulls lose). */
function decimate(s: Series): Series {
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

export class OldChartData {
  private series: Record<ChartMark, BoundedSeries>;

  constructor(readonly maxPoints: number) {
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


function itemsOf(s: Series, mark: ChartMark, out: ChartItem[]): void {
  for (let i = 0; i < s.t.length; i++) {
    const ref = s.ref[i];
    out.push({ t: s.t[i]!, rtt: LANE_MARKS.includes(mark) ? null : (s.y[i] ?? null), mark, row: ref?.row ?? -1, seq: ref?.seq ?? 0 });
  }
}

/** Every point of the chart, in time order (the old chartmodel.chartItems). */
export function oldChartItems(data: OldChartData): ChartItem[] {
  const out: ChartItem[] = [];
  itemsOf(data.replies, 'reply', out);
  const marks = data.marks;
  for (const mark of ['lost', 'duplicate', 'late', 'icmp-error'] as const) itemsOf(marks[mark], mark, out);
  return out.sort((a, b) => a.t - b.t);
}

const COLUMNS = { reply: 1, lost: 2, duplicate: 3, late: 4, 'icmp-error': 5 } as const;

/** uPlot's data as the old RttChart.svelte built it at every redraw. */
export function oldAligned(data: OldChartData): (number | null)[][] {
  const cols: (number | null)[][] = [[], [], [], [], [], []];
  for (const it of oldChartItems(data)) {
    cols[0]!.push(it.t);
    for (let c = 1; c < cols.length; c++) cols[c]!.push(null);
    const c = COLUMNS[it.mark];
    cols[c]![cols[0]!.length - 1] = it.rtt ?? LANE_Y[it.mark] ?? null;
  }
  return cols;
}
