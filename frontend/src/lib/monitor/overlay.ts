// The overlay chart's lines (gping's view): every shown target's RTT over time, as SVG
// polyline point lists in a w×h box. Each line is thinned to at most LINE_POINTS points: the
// chart redraws every target's line at once, and formatting all their points (100 targets
// × 1200 points kept) made one redraw take 100-150 ms in `make bench`'s 10-minute run. A
// target's whole chart is in its own session (select it).

import type { ChartPoint } from '../api/types';
import type { TargetState } from './targetstate';

/** Points drawn per target line at most (the chart is about 1000 px wide, shared by all lines). */
export const LINE_POINTS = 200;

/**
 * At most max points standing for points, null where the line breaks: consecutive points are
 * taken in equal buckets, each drawn as its highest RTT (a spike stays visible), followed by
 * a break when the bucket held a loss or an error (a loss stays visible too).
 */
export function thinLine(points: readonly ChartPoint[], max = LINE_POINTS): (ChartPoint | null)[] {
  if (points.length <= max) return points.map((p) => (p.rttMs === null ? null : p));
  // Half of max buckets: a bucket may give a point and a break.
  const buckets = Math.max(1, Math.floor(max / 2));
  const size = points.length / buckets;
  const out: (ChartPoint | null)[] = [];
  for (let b = 0; b < buckets; b++) {
    let top: ChartPoint | null = null;
    let lost = false;
    for (let k = Math.floor(b * size); k < Math.floor((b + 1) * size); k++) {
      const p = points[k];
      if (!p) continue;
      if (p.rttMs === null) lost = true;
      else if (top === null || (top.rttMs ?? 0) < p.rttMs) top = p;
    }
    if (top) out.push(top);
    if (lost && out.at(-1) !== null) out.push(null);
  }
  return out;
}

export interface OverlayLine {
  /** The target's index (its colour). */
  i: number;
  /** Polyline point lists, one per unbroken run; a lone point is one "x,y" pair. */
  segs: string[];
}

/** Every shown target's line in a w×h box, on the time axis their points share, and the scale. */
export function overlayModel(targets: readonly TargetState[], hidden: Record<string, boolean>, w: number, h: number): { lines: OverlayLine[]; rMax: number; seconds: number } {
  let tMin = Infinity;
  let tMax = -Infinity;
  let rMax = 0;
  const shown = targets.map((t, i) => ({ t, i })).filter(({ t }) => !hidden[t.session.id]);
  // Targets of one monitor start together: their t (ms since their own start) share a time axis.
  for (const { t } of shown) {
    for (const p of t.points) {
      if (p.t < tMin) tMin = p.t;
      if (p.t > tMax) tMax = p.t;
      if (p.rttMs !== null && p.rttMs > rMax) rMax = p.rttMs;
    }
  }
  if (!Number.isFinite(tMin)) return { lines: [], rMax: 0, seconds: 0 };
  const span = Math.max(tMax - tMin, 1);
  const top = rMax > 0 ? rMax * 1.1 : 1;
  const lines = shown.map(({ t, i }) => {
    const segs: string[] = [];
    let cur: string[] = [];
    for (const p of thinLine(t.points)) {
      if (p === null || p.rttMs === null) {
        if (cur.length) segs.push(cur.join(' '));
        cur = [];
        continue;
      }
      cur.push(`${(((p.t - tMin) / span) * w).toFixed(1)},${(h - (p.rttMs / top) * h).toFixed(1)}`);
    }
    if (cur.length) segs.push(cur.join(' '));
    return { i, segs };
  });
  return { lines, rMax: top, seconds: span / 1000 };
}
