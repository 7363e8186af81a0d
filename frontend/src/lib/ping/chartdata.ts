// The RTT chart's data, bounded: when a series passes its capacity, neighbouring points are
// merged pairwise keeping the higher RTT, so a spike survives while a long run's resolution
// halves. Markers (lost, duplicate, late) have their own bounded series.

import type { ChartMark, ChartPoint } from '../api/types';

export const DEFAULT_MAX_POINTS = 6000;

export interface Series {
  t: number[];
  y: (number | null)[];
}

function emptySeries(): Series {
  return { t: [], y: [] };
}

/** Halves a series, keeping in each pair the point with the higher value (nulls lose). */
export function decimate(s: Series): Series {
  const out = emptySeries();
  for (let i = 0; i < s.t.length; i += 2) {
    const a = s.y[i] ?? null;
    const b = i + 1 < s.t.length ? (s.y[i + 1] ?? null) : null;
    const pickB = b !== null && (a === null || b > a);
    out.t.push(pickB ? s.t[i + 1]! : s.t[i]!);
    out.y.push(pickB ? b : a);
  }
  return out;
}

export class ChartData {
  replies: Series = emptySeries();
  marks: Record<Exclude<ChartMark, 'reply'>, Series> = { lost: emptySeries(), duplicate: emptySeries(), late: emptySeries() };
  /** Points merged away so far (the chart says so). */
  decimated = 0;

  constructor(readonly maxPoints = DEFAULT_MAX_POINTS) {}

  add(points: readonly ChartPoint[]): void {
    for (const p of points) {
      const s = p.mark === 'reply' ? this.replies : this.marks[p.mark];
      s.t.push(p.t / 1000);
      s.y.push(p.rttMs);
    }
    this.bound('reply');
    this.bound('lost');
    this.bound('duplicate');
    this.bound('late');
  }

  private bound(mark: ChartMark): void {
    const s = mark === 'reply' ? this.replies : this.marks[mark];
    if (s.t.length <= this.maxPoints) return;
    const d = decimate(s);
    this.decimated += s.t.length - d.t.length;
    if (mark === 'reply') this.replies = d;
    else this.marks[mark] = d;
  }

  get size(): number {
    return this.replies.t.length + this.marks.lost.t.length + this.marks.duplicate.t.length + this.marks.late.t.length;
  }

  clear(): void {
    this.replies = emptySeries();
    this.marks = { lost: emptySeries(), duplicate: emptySeries(), late: emptySeries() };
    this.decimated = 0;
  }
}
