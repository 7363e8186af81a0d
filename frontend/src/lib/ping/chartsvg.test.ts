import { describe, expect, it } from 'vitest';
import type { ChartPoint } from '../api/types';
import { ChartData } from './chartdata';
import { chartItems, describeItem, nearestPoint, niceTicks, rttAxis } from './chartmodel';
import { chartSvg } from './chartsvg';

function data(points: ChartPoint[]): ChartData {
  const d = new ChartData();
  d.add(points);
  return d;
}

const p = (t: number, rttMs: number | null, mark: ChartPoint['mark'], seq: number): ChartPoint => ({ t, rttMs, mark, index: seq, seq, row: 2 * seq });

const session = data([p(0, 12.5, 'reply', 1), p(1000, 14, 'reply', 2), p(2000, null, 'lost', 3), p(3000, 20, 'reply', 4), p(4000, null, 'icmp-error', 5), p(5000, 13, 'duplicate', 6)]);

describe('chart model', () => {
  it('takes the RTT axis from the data, with the lane above it, and none without replies', () => {
    const items = chartItems(session);
    expect(items.map((i) => i.mark)).toEqual(['reply', 'reply', 'lost', 'reply', 'icmp-error', 'duplicate']);
    expect(items.map((i) => i.rtt)).toEqual([12.5, 14, null, 20, null, 13]);
    expect(rttAxis(session.columns.maxRtt())).toEqual([0, 26]);
    // Only losses: no RTT axis at all (no made-up 0-2 ms).
    expect(rttAxis(data([p(0, null, 'lost', 1), p(1000, null, 'lost', 2)]).columns.maxRtt())).toBeNull();
  });

  it('finds the point nearest the pointer and says it in words', () => {
    const x = (t: number) => t * 100;
    const y = (rtt: number | null) => (rtt === null ? 0 : 100 - rtt);
    const near = nearestPoint(session, x, y, 205, 3);
    expect(near).toMatchObject({ mark: 'lost', seq: 3, row: 6 });
    expect(describeItem(near!)).toBe('seq 3 · 2.000 s · no RTT · lost');
    expect(describeItem(nearestPoint(session, x, y, 300, 80)!)).toBe('seq 4 · 3.000 s · RTT 20.00 ms · reply');
    expect(nearestPoint(session, x, y, 150, 500)).toBeUndefined();
  });

  it('picks round ticks', () => {
    expect(niceTicks(0, 26, 5)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(niceTicks(0, 5, 8)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]);
    expect(niceTicks(0, 0.2, 4)).toEqual([0, 0.05, 0.1, 0.15, 0.2]);
  });
});

describe('chartSvg: a vector drawing of the data', () => {
  const svg = chartSvg(session, { width: 800, height: 240, title: 'RTT to 198.18.0.2' });

  it('draws the line, each marker as a shape, and the axes from the data', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="240"')).toBe(true);
    expect(svg).not.toMatch(/<image|data:image|base64/);
    const line = svg.match(/<polyline class="rtt" points="([^"]+)"/)?.[1] ?? '';
    expect(line.split(' ')).toHaveLength(3);
    expect(svg.match(/<path class="lost"/g)).toHaveLength(2); // one in the plot, one in the legend
    expect(svg.match(/<rect class="icmp-error"/g)).toHaveLength(2);
    expect(svg.match(/<polygon class="duplicate"/g)).toHaveLength(2);
    const yTicks = [...svg.matchAll(/class="tick-y"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(yTicks).toEqual(['0', '5', '10', '15', '20', '25']);
    const xTicks = [...svg.matchAll(/class="tick-x"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(xTicks[0]).toBe('0');
    expect(xTicks[xTicks.length - 1]).toBe('5');
    expect(svg).toContain('<title>RTT to 198.18.0.2</title>');
  });

  it('a run with only losses has no RTT ticks and says so', () => {
    const lost = chartSvg(data([p(0, null, 'lost', 1), p(1000, null, 'lost', 2)]), { width: 400, height: 200 });
    expect(lost).not.toContain('class="tick-y"');
    expect(lost).not.toContain('<polyline');
    expect(lost).toContain('RTT (ms): no replies');
    expect(lost.match(/<path class="lost"/g)).toHaveLength(3);
  });

  it('draws only the zoomed time range', () => {
    const zoomed = chartSvg(session, { width: 800, height: 240, x: [0.5, 3.5] });
    expect((zoomed.match(/<polyline class="rtt" points="([^"]+)"/)?.[1] ?? '').split(' ')).toHaveLength(2);
    expect(zoomed.match(/<rect class="icmp-error"/g)).toHaveLength(1);
  });
});

describe('chartFileName', () => {
  it('names the file after the target or capture, safely', async () => {
    const { chartFileName } = await import('./chartname');
    expect(chartFileName(null)).toBe('echoscope-rtt');
    expect(chartFileName({ target: '::1', importedFrom: '' } as never)).toBe('echoscope-rtt---1');
    expect(chartFileName({ target: '', importedFrom: 'loopback.pcap' } as never)).toBe('echoscope-rtt-loopback.pcap');
  });
});
