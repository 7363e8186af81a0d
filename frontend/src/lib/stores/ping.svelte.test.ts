import { describe, expect, it } from 'vitest';
import type { Ended, EngineInfo, Frame, PingRequest, Row, RowPage, SessionInfo } from '../api/types';
import { PingStore, type PingApi } from './ping.svelte';

function row(n: number): Row {
  return { n, kind: n % 2 ? 'reply' : 'send', time: '', type: n % 2 ? 'Echo Reply' : 'Echo Request', code: 0, index: 1 + (n >> 1), seq: 1 + (n >> 1), id: 7, bytes: 64, ttl: 64, rttMs: n % 2 ? 0.05 : null, class: n % 2 ? 'on-time' : '', from: '', note: '' };
}

function frame(seq: number, from: number, to: number, extra: Partial<Frame> = {}): Frame {
  const rows: Row[] = [];
  for (let n = from; n < to; n++) rows.push(row(n));
  return { sessionId: '1', seq, totalRows: to, rows, skippedRows: 0, points: [], skippedPoints: 0, stats: null, backlog: rows.length, droppedEvents: 0, emittedAtMs: 0, ...extra };
}

const session: SessionInfo = { id: '1', target: 'example.org', addr: '192.0.2.1', family: 4, engine: 'in-process-raw', socket: 'raw', intervalMs: 1000, timeoutMs: 2000, count: 0, payloadSize: 56, startedAt: '' };

function fakeApi(pages: number[] = []): PingApi {
  return {
    engineInfo: async (): Promise<EngineInfo> => ({ kind: 'datagram', label: 'datagram', reason: 'r', best: false, upgrade: 'sudo setcap cap_net_raw=ep /x', tried: [], error: '' }),
    startPing: async (_r: PingRequest) => session,
    stopPing: async () => {},
    recentTargets: async () => ['a', 'b'],
    pageRows: async (_id: string, offset: number, limit: number): Promise<RowPage> => {
      pages.push(offset);
      const rows: Row[] = [];
      for (let n = offset; n < offset + limit && n < 5000; n++) rows.push(row(n));
      return { sessionId: '1', offset, totalRows: 5000, rows };
    },
  };
}

async function started(pages?: number[]): Promise<PingStore> {
  const s = new PingStore(fakeApi(pages));
  await s.start({ target: 'example.org' } as PingRequest);
  return s;
}

describe('PingStore frame merging', () => {
  it('merges frames into the row cache, the chart and the stats, and counts missed frames', async () => {
    const s = await started();
    s.applyFrame(frame(1, 0, 4, { points: [{ t: 0, rttMs: 0.05, mark: 'reply', index: 1 }] }));
    s.applyFrame(frame(3, 4, 6, { stats: { sent: 3, received: 3 } as Frame['stats'] }));
    expect(s.totalRows).toBe(6);
    expect(s.row(5)?.type).toBe('Echo Reply');
    expect(s.chart.replies.t.length).toBe(1);
    expect(s.stats?.received).toBe(3);
    expect(s.counters.frames).toBe(2);
    expect(s.counters.missedFrames).toBe(1);
    expect(s.counters.maxPendingFrames).toBe(2);
    s.painted();
    expect(s.counters.pendingFrames).toBe(0);
  });

  it('ignores frames of other sessions and keeps frames that raced ahead of Start', async () => {
    const s = new PingStore(fakeApi());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const api = fakeApi();
    const slow = new PingStore({ ...api, startPing: async () => (await gate, session) });
    const starting = slow.start({ target: 'x' } as PingRequest);
    slow.applyFrame(frame(1, 0, 2)); // arrives before Start resolved
    release();
    await starting;
    expect(slow.totalRows).toBe(2);
    expect(slow.row(1)).toBeDefined();

    await s.start({ target: 'x' } as PingRequest);
    s.applyFrame({ ...frame(1, 0, 2), sessionId: '99' });
    expect(s.totalRows).toBe(0);
  });

  it('pages missing rows from the backend and stays bounded while a long session streams', async () => {
    const pages: number[] = [];
    const s = await started(pages);
    for (let i = 0; i < 100; i++) s.applyFrame(frame(i + 1, i * 200, (i + 1) * 200));
    expect(s.totalRows).toBe(20_000);
    expect(s.cache.size).toBeLessThanOrEqual(s.cache.capacity);
    expect(s.row(19_999)).toBeDefined();
    expect(s.row(0)).toBeUndefined();
    await s.ensureRows(0, 30);
    expect(pages).toEqual([0]);
    expect(s.row(0)?.n).toBe(0);
  });

  it('ends the session, keeps the final stats and shows a failure in words', async () => {
    const s = await started();
    const end: Ended = { sessionId: '1', totalRows: 10, stats: { sent: 5 } as Ended['stats'], reason: 'failed', error: 'the echoscope-ping helper died during the session' };
    s.applyEnded(end);
    expect(s.running).toBe(false);
    expect(s.stats?.sent).toBe(5);
    expect(s.error).toMatch(/helper died/);
    expect(s.recent[0]).toBe('example.org');
  });

  it('turns a rejected Start into an error message', async () => {
    const s = new PingStore({ ...fakeApi(), startPing: async () => Promise.reject(new Error('DNS lookup failed: cannot resolve target: nope.invalid')) });
    await s.start({ target: 'nope.invalid' } as PingRequest);
    expect(s.running).toBe(false);
    expect(s.error).toMatch(/DNS lookup failed/);
  });
});
