// The RTT chart as an SVG document drawn from the data (not a picture of the canvas): axes
// with their ticks, the RTT line, a shape per marker, the lane of losses and ICMP errors, and
// the legend. What "Save chart as SVG" writes.

import type { ChartMark } from '../api/types';
import { xRange, type ChartData } from './chartdata';
import { chartItems, LANE_Y, niceTicks, rttAxis, type ChartItem } from './chartmodel';

export interface SvgColors {
  background: string;
  text: string;
  grid: string;
  reply: string;
  lost: string;
  duplicate: string;
  late: string;
  error: string;
}

export const LIGHT_COLORS: SvgColors = {
  background: '#ffffff',
  text: '#222222',
  grid: '#d0d4da',
  reply: '#0b6bcb',
  lost: '#b42318',
  duplicate: '#8e44ad',
  late: '#8a5a00',
  error: '#c2410c',
};

export interface SvgOptions {
  width: number;
  height: number;
  /** The time range shown (seconds), default the data's. */
  x?: [number, number];
  title?: string;
  colors?: SvgColors;
}

const MARGIN = { left: 60, right: 14, top: 30, bottom: 38 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function num(v: number): string {
  return Number(v.toFixed(2)).toString();
}

function shape(mark: ChartMark, x: number, y: number, c: SvgColors): string {
  const r = 4;
  switch (mark) {
    case 'lost':
      return `<path class="lost" d="M${num(x - r)} ${num(y - r)}L${num(x + r)} ${num(y + r)}M${num(x + r)} ${num(y - r)}L${num(x - r)} ${num(y + r)}" stroke="${c.lost}" stroke-width="1.5"/>`;
    case 'duplicate':
      return `<polygon class="duplicate" points="${num(x)},${num(y - r)} ${num(x + r)},${num(y)} ${num(x)},${num(y + r)} ${num(x - r)},${num(y)}" fill="${c.duplicate}"/>`;
    case 'late':
      return `<polygon class="late" points="${num(x)},${num(y - r)} ${num(x + r)},${num(y + r)} ${num(x - r)},${num(y + r)}" fill="${c.late}"/>`;
    case 'icmp-error':
      return `<rect class="icmp-error" x="${num(x - r)}" y="${num(y - r)}" width="${2 * r}" height="${2 * r}" fill="none" stroke="${c.error}" stroke-width="1.5"/>`;
    default:
      return '';
  }
}

export function chartSvg(data: ChartData, opts: SvgOptions): string {
  const c = opts.colors ?? LIGHT_COLORS;
  const items = chartItems(data);
  const [x0, x1] = opts.x ?? xRange(items.length ? items[0]!.t : null, items.length ? items[items.length - 1]!.t : null);
  const yr = rttAxis(data.columns.maxRtt());
  const [y0, y1] = yr ?? [0, 1];
  const w = opts.width;
  const h = opts.height;
  const pw = w - MARGIN.left - MARGIN.right;
  const ph = h - MARGIN.top - MARGIN.bottom;
  const px = (t: number) => MARGIN.left + ((t - x0) / (x1 - x0)) * pw;
  const py = (v: number) => MARGIN.top + ph - ((v - y0) / (y1 - y0)) * ph;
  const laneY = (mark: ChartMark) => MARGIN.top + ph * (1 - (LANE_Y[mark] ?? 0.9));
  const inX = (it: ChartItem) => it.t >= x0 && it.t <= x1;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="11">`);
  out.push(`<title>${esc(opts.title ?? 'RTT chart')}</title>`);
  out.push(`<rect width="${w}" height="${h}" fill="${c.background}"/>`);
  // Grid and ticks.
  for (const t of niceTicks(x0, x1, 8)) {
    const x = num(px(t));
    out.push(`<line class="grid" x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + ph}" stroke="${c.grid}"/>`);
    out.push(`<text class="tick-x" x="${x}" y="${MARGIN.top + ph + 14}" text-anchor="middle" fill="${c.text}">${esc(num(t))}</text>`);
  }
  if (yr) {
    for (const v of niceTicks(y0, y1 / 1.0001, 5)) {
      const y = num(py(v));
      out.push(`<line class="grid" x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + pw}" y2="${y}" stroke="${c.grid}"/>`);
      out.push(`<text class="tick-y" x="${MARGIN.left - 6}" y="${y}" dy="4" text-anchor="end" fill="${c.text}">${esc(num(v))}</text>`);
    }
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${pw}" height="${ph}" fill="none" stroke="${c.grid}"/>`);
  out.push(`<text x="${MARGIN.left + pw / 2}" y="${h - 6}" text-anchor="middle" fill="${c.text}">s since start</text>`);
  out.push(
    `<text x="14" y="${MARGIN.top + ph / 2}" transform="rotate(-90 14 ${MARGIN.top + ph / 2})" text-anchor="middle" fill="${c.text}">${yr ? 'RTT (ms)' : 'RTT (ms): no replies'}</text>`,
  );
  // The RTT line, then the markers.
  const line = items.filter((it) => it.mark === 'reply' && it.rtt !== null && inX(it));
  if (line.length > 0) {
    const pts = line.map((it) => `${num(px(it.t))},${num(py(it.rtt!))}`).join(' ');
    out.push(`<polyline class="rtt" points="${pts}" fill="none" stroke="${c.reply}" stroke-width="1.25"/>`);
  }
  for (const it of items) {
    if (it.mark === 'reply' || !inX(it)) continue;
    const y = it.rtt === null ? laneY(it.mark) : py(it.rtt);
    out.push(shape(it.mark, px(it.t), y, c));
  }
  // Legend: a shape and a word for each kind of point.
  const legend: [ChartMark, string][] = [['lost', 'lost'], ['duplicate', 'duplicate'], ['late', 'late'], ['icmp-error', 'ICMP error']];
  let lx = MARGIN.left;
  out.push(`<line x1="${lx}" y1="12" x2="${lx + 16}" y2="12" stroke="${c.reply}" stroke-width="1.5"/><text x="${lx + 20}" y="16" fill="${c.text}">RTT (reply)</text>`);
  lx += 100;
  for (const [mark, word] of legend) {
    out.push(shape(mark, lx + 5, 12, c) + `<text x="${lx + 14}" y="16" fill="${c.text}">${word}</text>`);
    lx += 24 + word.length * 6.5;
  }
  out.push('</svg>');
  return out.join('\n');
}
