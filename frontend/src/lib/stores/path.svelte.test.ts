import { describe, expect, it } from 'vitest';
import type { JobStart, TraceLive, TraceRequest, TraceView } from '../api';
import { PathState } from './path.svelte';

const view: TraceView = {
  target: 'h', addr: '198.18.7.2', engine: 'agent raw', rounds: 3, destinationHop: 2, ownTrafficOnly: true, foreign: 0,
  traceId: '1', sessionId: '1', historyError: '', startedAt: '', endedAt: '', stored: false, interrupted: false,
  request: { target: 'h', rounds: 3, intervalMs: 0, maxHops: 0, timeoutMs: 0, reverseDns: false },
  hops: [
    { ttl: 1, addrs: ['198.18.4.2'], names: [''], sent: 3, received: 3, lossPercent: 0, lastMs: 0.1, avgMs: 0.1, bestMs: 0.1, worstMs: 0.1, stdevMs: 0, rateLimited: false, note: '',
      answers: [1, 2, 3].map((round) => ({ round, detail: { row: round } as never })) },
    { ttl: 2, addrs: [], names: [], sent: 3, received: 0, lossPercent: 100, lastMs: null, avgMs: null, bestMs: null, worstMs: null, stdevMs: null, rateLimited: false, note: '', answers: [] },
  ],
};

function fake() {
  const calls: { started: TraceRequest[]; cancelled: string[] } = { started: [], cancelled: [] };
  let finish: (v: TraceView) => void = () => {};
  const listeners = new Set<(live: TraceLive) => void>();
  const api = {
    onTraceHops: (l: (live: TraceLive) => void) => (listeners.add(l), () => void listeners.delete(l)),
    startTrace: async (r: TraceRequest): Promise<JobStart> => (calls.started.push(r), { jobId: 'trace-1', kind: 'trace', cancelled: false }),
    awaitTrace: () => new Promise<TraceView>((resolve) => (finish = resolve)),
    cancelJob: async (id: string) => void calls.cancelled.push(id),
    openTrace: async (id: string): Promise<TraceView> => ({ ...view, traceId: id, stored: true, request: { target: 'h', rounds: 3, intervalMs: 250, maxHops: 0, timeoutMs: 0, reverseDns: false } }),
  };
  const emit = (live: TraceLive) => listeners.forEach((l) => l(live));
  return { api, calls, listeners, emit, finish: (v: TraceView) => finish(v) };
}

describe('path state', () => {
  it('starts a trace with the form read as numbers, 0 for the defaults', async () => {
    const f = fake();
    const s = new PathState(f.api);
    s.target = ' host ';
    s.rounds = '3';
    s.interval = '0.5';
    s.maxHops = '';
    const done = s.start();
    await Promise.resolve();
    await Promise.resolve();
    expect(s.running).toBe(true);
    expect(f.calls.started[0]).toEqual({ target: 'host', rounds: 3, intervalMs: 500, maxHops: 0, timeoutMs: 0, reverseDns: false });
    await s.stop();
    expect(f.calls.cancelled).toEqual(['trace-1']);
    f.finish(view);
    await done;
    expect(s.running).toBe(false);
    expect(s.result?.hops.length).toBe(2);
  });

  it('opens a stored trace, then traces again with its options', async () => {
    const f = fake();
    const s = new PathState(f.api);
    s.target = 'elsewhere';
    s.rounds = '99';
    await s.open('7');
    expect(s.result?.traceId).toBe('7');
    expect(s.result?.stored).toBe(true);
    expect([s.target, s.rounds, s.interval, s.maxHops]).toEqual(['h', '3', '0.25', '30']);
    s.rounds = '5'; // changed after opening: Trace again runs the trace's own options
    s.select(1);
    expect(s.selectedAnswer?.round).toBe(3);
    const done = s.again();
    await Promise.resolve();
    await Promise.resolve();
    expect(f.calls.started[0]).toEqual({ target: 'h', rounds: 3, intervalMs: 250, maxHops: 30, timeoutMs: 0, reverseDns: false });
    expect(s.result).toBeNull();
    f.finish(view);
    await done;
    expect(s.result?.stored).toBe(false);
  });

  it('refuses an empty target in words', async () => {
    const s = new PathState(fake().api);
    await s.start();
    expect(s.error).toBe('Type a host name or address to trace.');
  });

  it("selects a hop's latest answer; a silent hop has none", async () => {
    const f = fake();
    const s = new PathState(f.api);
    s.target = 'h';
    const done = s.start();
    await Promise.resolve();
    await Promise.resolve();
    f.finish(view);
    await done;
    s.select(1);
    expect(s.selectedAnswer?.round).toBe(3);
    s.answerIndex = 0;
    expect(s.selectedAnswer?.round).toBe(1);
    s.select(2);
    expect(s.selectedHop?.ttl).toBe(2);
    expect(s.selectedAnswer).toBeNull();
  });

  it('fills the table round by round from its own job\'s figures, and keeps the result after Stop', async () => {
    const f = fake();
    const s = new PathState(f.api);
    s.target = 'h';
    const live = (jobId: string, rounds: number): TraceLive => ({ jobId, rounds, destinationHop: 2,
      hops: view.hops.map((h) => ({ ...h, sent: rounds, received: h.ttl === 1 ? rounds : 0, answers: [] })) });
    const done = s.start();
    expect(f.listeners.size).toBe(1);
    f.emit(live('trace-1', 1)); // before startTrace returned the id: kept, then shown
    await Promise.resolve();
    await Promise.resolve();
    expect(s.running).toBe(true);
    expect(s.hasTable).toBe(true);
    expect(s.hops.map((h) => h.sent)).toEqual([1, 1]);
    f.emit(live('trace-9', 5)); // another job's figures
    f.emit(live('trace-1', 3));
    f.emit(live('trace-1', 2)); // late: older than what is shown
    expect(s.live?.rounds).toBe(3);
    expect(s.hops[0]?.received).toBe(3);
    s.select(1);
    expect(s.selectedHop?.ttl).toBe(1);
    expect(s.selectedAnswer).toBeNull(); // the answers come with the result
    await s.stop();
    f.finish(view);
    await done;
    expect(f.listeners.size).toBe(0);
    expect(s.live).toBeNull();
    expect(s.hops).toBe(view.hops);
    expect(s.selectedAnswer?.round).toBe(3); // the selected hop now opens its latest answer
  });
});
