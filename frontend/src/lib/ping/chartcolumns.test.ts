import { describe, expect, it } from 'vitest';
import type { ChartMark, ChartPoint } from '../api/types';
import { ChartData } from './chartdata';
import { OldChartData, oldAligned, oldChartItems } from './chartdata.reference';
import { chartItems } from './chartmodel';

/** A small deterministic generator (the sequence must be the same on every run). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Frames as the feed sends them for a session at `intervalMs` (t: the request's send time, ms):
 * a reply in the frame after its request, with a spike now and then (which arrives after newer
 * replies); a loss known one timeout (1000 ms) later, so its mark comes in a frame behind newer
 * replies; a late reply after its loss, at the same t; duplicates (one or two) at the same t as
 * their reply; ICMP errors. A frame every 40 ms, as the feed polls.
 */
function feedFrames(requests: number, intervalMs: number, seed: number): ChartPoint[][] {
  const rnd = prng(seed);
  const arrivals: { at: number; p: ChartPoint }[] = [];
  for (let n = 0; n < requests; n++) {
    const t = n * intervalMs;
    const seq = n % 65536;
    const row = 2 * n;
    const pt = (mark: ChartMark, rttMs: number | null, r = row): ChartPoint => ({ t, rttMs, mark, index: n, seq, row: r });
    const r = rnd();
    if (r < 0.08) {
      arrivals.push({ at: t + 1000, p: pt('lost', null) });
      if (rnd() < 0.3) arrivals.push({ at: t + 1000 + 40 * Math.floor(rnd() * 5), p: pt('late', 1000 + rnd() * 800, row + 1) });
    } else if (r < 0.1) {
      arrivals.push({ at: t + 5, p: pt('icmp-error', null) });
    } else {
      const rtt = rnd() < 0.01 ? 50 + rnd() * 200 : 0.03 + rnd() * 0.05;
      arrivals.push({ at: t + rtt, p: pt('reply', rtt) });
      if (rnd() < 0.03) {
        arrivals.push({ at: t + rtt + 1, p: pt('duplicate', rtt + 0.01, row + 1) });
        // Now and then a second one: two points of one series at the same time.
        if (rnd() < 0.3) arrivals.push({ at: t + rtt + 2, p: pt('duplicate', rtt + 0.02, row + 2) });
      }
    }
  }
  arrivals.sort((a, b) => a.at - b.at);
  const frames: ChartPoint[][] = [];
  let frame: ChartPoint[] = [];
  let edge = 40;
  for (const a of arrivals) {
    while (a.at >= edge) {
      frames.push(frame);
      frame = [];
      edge += 40;
    }
    frame.push(a.p);
  }
  frames.push(frame);
  return frames.filter((f) => f.length > 0);
}

/** The new store's uPlot data as plain arrays, to compare with the old build's. */
function plain(d: ChartData): (number | null)[][] {
  const [x, ...ys] = d.uplot.aligned();
  return [Array.from(x), ...ys.map((c) => [...c])];
}

function expectSame(next: ChartData, old: OldChartData): void {
  const got = { columns: plain(next), items: chartItems(next), decimated: next.decimated, size: next.size };
  const want = { columns: oldAligned(old), items: oldChartItems(old), decimated: old.decimated, size: old.size };
  // Compared as JSON first (thousands of comparisons: toEqual alone is slow), then by toEqual
  // for a readable difference when they differ.
  if (JSON.stringify(got) !== JSON.stringify(want)) expect(got).toEqual(want);
}

/** Generous: the work is fixed, the machine may be busy (no timing is asserted). */
const SLOW = 60_000;

describe('the chart columns hold what the old per-redraw build gave', () => {
  it('after every frame of a feed, through many halvings (64 points a series)', () => {
    const next = new ChartData(64);
    const old = new OldChartData(64);
    const frames = feedFrames(8000, 10, 1);
    let halvedAt = 0;
    for (const f of frames) {
      next.add(f);
      old.add(f);
      expectSame(next, old);
      if (next.decimated > 0 && halvedAt === 0) halvedAt = next.size;
    }
    // The sequence did what it is for: losses behind newer replies, ties, every mark, halvings.
    const marks = new Set(chartItems(next).map((i) => i.mark));
    expect([...marks].sort()).toEqual(['duplicate', 'icmp-error', 'late', 'lost', 'reply']);
    expect(halvedAt).toBeGreaterThan(0);
    expect(next.decimated).toBeGreaterThan(5000);
  }, SLOW);

  it('at the default bound (6000 a series), compared at each halving, every 1000 frames and at the end', () => {
    const next = new ChartData();
    const old = new OldChartData(6000);
    const frames = feedFrames(70_000, 10, 2);
    let halvings = 0;
    frames.forEach((f, i) => {
      const before = next.decimated;
      next.add(f);
      old.add(f);
      const halved = next.decimated - before > 1000; // a halving merges thousands at once
      if (halved) halvings++;
      if (halved || i % 1000 === 0) expectSame(next, old);
    });
    expectSame(next, old);
    expect(halvings).toBeGreaterThanOrEqual(3);
  }, SLOW);

  it('a reopened session (a view, markers first) then live frames, then cleared and again', () => {
    const next = new ChartData(300);
    const old = new OldChartData(300);
    const frames = feedFrames(3000, 10, 3);
    const flat = frames.flat();
    const view = [...flat.filter((p) => p.mark !== 'reply'), ...flat.filter((p) => p.mark === 'reply')];
    next.add(view);
    old.add(view);
    expectSame(next, old);
    for (const f of feedFrames(1500, 10, 4).map((fr) => fr.map((p) => ({ ...p, t: p.t + 30_000 })))) {
      next.add(f);
      old.add(f);
      expectSame(next, old);
    }
    next.clear();
    old.clear();
    expectSame(next, old);
    for (const f of feedFrames(500, 10, 5)) {
      next.add(f);
      old.add(f);
    }
    expectSame(next, old);
  }, SLOW);
});

describe('the chart columns are bounded and reused', () => {
  it('capacity stops growing at the bound however long the run', () => {
    const d = new ChartData(1000);
    const bound = 2 * 5 * (1000 + 1); // each series, and the time-ordered columns of all five
    const frames = feedFrames(400_000, 10, 6);
    const capacityAt: number[] = [];
    frames.forEach((f, i) => {
      d.add(f);
      if (i % 2000 === 0) {
        d.uplot.aligned();
        capacityAt.push(d.capacity);
      }
    });
    expect(d.capacity).toBeLessThanOrEqual(bound);
    // Grown by doubling early on, then the same for the rest of the run.
    const last = capacityAt[capacityAt.length - 1]!;
    expect(capacityAt.slice(capacityAt.length / 2)).toEqual(capacityAt.slice(capacityAt.length / 2).map(() => last));
    expect(capacityAt[0]).toBeLessThan(last);
    expect(d.size).toBeLessThanOrEqual(5 * 1000);
  }, SLOW);

  it('gives uPlot the same arrays every redraw; the x view is made again only when the count changes', () => {
    const d = new ChartData(1000);
    const frames = feedFrames(2000, 10, 7);
    d.add(frames[0]!);
    const first = d.uplot.aligned();
    const ys = first.slice(1);
    let x = first[0];
    for (const f of frames.slice(1)) {
      d.add(f);
      const a = d.uplot.aligned();
      expect(a).toBe(first);
      a.slice(1).forEach((col, k) => expect(col).toBe(ys[k]));
      if (a[0].length === x.length) expect(a[0]).toBe(x);
      x = a[0];
      expect(d.uplot.aligned()[0]).toBe(x); // nothing new: nothing made
    }
  }, SLOW);
});
