import { describe, expect, it } from 'vitest';
import type { JobStart, TraceRequest, TraceView } from '../api';
import { PathState } from './path.svelte';

const view: TraceView = {
  target: 'h', addr: '198.18.7.2', engine: 'agent raw', rounds: 3, destinationHop: 2, ownTrafficOnly: true, foreign: 0,
  hops: [
    { ttl: 1, addrs: ['198.18.4.2'], names: [''], sent: 3, received: 3, lossPercent: 0, lastMs: 0.1, avgMs: 0.1, bestMs: 0.1, worstMs: 0.1, stdevMs: 0, rateLimited: false, note: '',
      answers: [1, 2, 3].map((round) => ({ round, detail: { row: round } as never })) },
    { ttl: 2, addrs: [], names: [], sent: 3, received: 0, lossPercent: 100, lastMs: null, avgMs: null, bestMs: null, worstMs: null, stdevMs: null, rateLimited: false, note: '', answers: [] },
  ],
};

function fake() {
  const calls: { started: TraceRequest[]; cancelled: string[] } = { started: [], cancelled: [] };
  let finish: (v: TraceView) => void = () => {};
  const api = {
    startTrace: async (r: TraceRequest): Promise<JobStart> => (calls.started.push(r), { jobId: 'trace-1', kind: 'trace', cancelled: false }),
    awaitTrace: () => new Promise<TraceView>((resolve) => (finish = resolve)),
    cancelJob: async (id: string) => void calls.cancelled.push(id),
  };
  return { api, calls, finish: (v: TraceView) => finish(v) };
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
});
