import { describe, expect, it } from 'vitest';
import type { MonitorInfo, MonitorRequest, MonitorView } from '../api/monitor';
import type { EngineInfo, Frame, PingRequest, RowPage, SessionInfo, SessionView, StatsView } from '../api/types';
import { PingStore, type PingApi } from '../stores/ping.svelte';
import { MonitorStore, REDRAW_MS, type MonitorApi } from './monitor.svelte';
import { statusOf } from './targetstate';

const sess = (id: string, target: string): SessionInfo => ({ id, target, addr: target, family: 4, engine: 'in-process-raw', socket: 'raw', intervalMs: 1000, timeoutMs: 1000, count: 3, payloadSize: 56, startedAt: '', endedAt: '', imported: false, importedFrom: '', request: { target, count: 3, intervalMs: 1000, timeoutMs: 1000, size: 56, sizeSet: false, pattern: '', ttl: 0, dontFragment: false, family: 0, source: '' } });
const info: MonitorInfo = { id: '9', engine: 'in-process-raw', startedAt: '', endedAt: '', targets: [sess('1', '192.0.2.1'), sess('2', '192.0.2.2')], running: true, unattributed: 0 };
const stats = (sent: number, received: number): StatsView => ({ sent, received, lost: sent - received, lossPercent: sent ? (100 * (sent - received)) / sent : 0 }) as StatsView;
const frame = (sessionId: string, rttMs: number | null, s: StatsView): Frame => ({
  sessionId, seq: 1, totalRows: 2, rows: [], skippedRows: 0, points: [{ t: 0, rttMs, mark: rttMs === null ? 'lost' : 'reply', index: 1, seq: 1, row: 1 }],
  skippedPoints: 0, stats: s, backlog: 0, droppedEvents: 0, emittedAtMs: 0, storageError: '',
});

function fakeMonitorApi(log: string[], release?: Promise<void>): MonitorApi {
  return {
    startMonitor: async (r: MonitorRequest) => {
      log.push(`start ${r.targets.join(',')}`);
      await release;
      return info;
    },
    stopMonitor: async (id: string) => void log.push(`stop ${id}`),
    openMonitor: async (id: string): Promise<MonitorView> => ({
      info: { ...info, id, running: false },
      targets: info.targets.map((t, i) => ({ info: t, stats: stats(3, i === 0 ? 3 : 0), totalRows: 6, storedRows: 6, points: [], skippedPoints: 0, running: false })),
    }),
  };
}

function fakePingApi(opened: string[]): PingApi {
  return {
    engineInfo: async () => ({}) as EngineInfo,
    startPing: async (_r: PingRequest) => sess('x', 'x'),
    stopPing: async () => {},
    recentTargets: async () => [],
    pageRows: async (): Promise<RowPage> => ({ sessionId: '', offset: 0, totalRows: 0, rows: [] }),
    pageFilteredRows: async () => {
      throw new Error('the monitor does not filter');
    },
    rowRank: async () => {
      throw new Error('the monitor does not filter');
    },
    openSession: async (id: string): Promise<SessionView> => {
      opened.push(id);
      return { info: sess(id, 'x'), stats: null, totalRows: 6, storedRows: 6, points: [], skippedPoints: 0, running: true };
    },
  };
}

describe('MonitorStore', () => {
  it('routes frames and ends to their target, keeps frames that came before Start answered', async () => {
    const log: string[] = [];
    let go!: () => void;
    const store = new MonitorStore(fakeMonitorApi(log, new Promise((r) => (go = r))));
    const started = store.start({ targets: ['192.0.2.1', '192.0.2.2'], options: {} as PingRequest });
    store.applyFrame(frame('2', null, stats(1, 0))); // before the ids are known
    go();
    await started;
    store.applyFrame(frame('1', 0.5, stats(1, 1)));
    store.applyFrame(frame('77', 0.5, stats(9, 9))); // someone else's session
    expect(log).toEqual(['start 192.0.2.1,192.0.2.2']);
    expect(store.targets.map((t) => t.stats?.sent)).toEqual([1, 1]);
    expect(store.targets.map((t) => statusOf(t, store.running))).toEqual(['up', 'down']);
    store.applyEnded({ sessionId: '2', totalRows: 2, stats: stats(3, 0), reason: 'done', error: '' });
    store.applyMonitorEnded({ monitorId: '9', reason: 'done', error: '', unattributed: 4 });
    expect(store.running).toBe(false);
    expect(store.info?.unattributed).toBe(4);
    expect(store.targets.map((t) => statusOf(t, store.running))).toEqual(['alive', 'unreachable']);
    expect(store.targets[1]?.stats?.sent).toBe(3);
  });

  // 100 targets bring a batch of frames every 40 ms: each used to bump `version`, and the rows
  // and the overlay chart (every target's line) were recomputed 25 times a second.
  it('redraws once per REDRAW_MS however many frames arrive, merging every frame at once', async () => {
    const due: { ms: number; f: () => void }[] = [];
    const store = new MonitorStore(fakeMonitorApi([]), undefined, (ms, f) => void due.push({ ms, f }));
    await store.start({ targets: ['192.0.2.1', '192.0.2.2'], options: {} as PingRequest });
    const v0 = store.version;
    for (let i = 1; i <= 50; i++) store.applyFrame(frame(i % 2 ? '1' : '2', 0.5, stats(i, i)));
    expect(store.targets.map((t) => t.stats?.sent)).toEqual([49, 50]);
    expect(store.targets.map((t) => t.points.length)).toEqual([25, 25]);
    expect(store.version).toBe(v0);
    expect(due.map((d) => d.ms)).toEqual([REDRAW_MS]);
    due.shift()?.f();
    expect(store.version).toBe(v0 + 1);
    store.applyFrame(frame('1', 0.5, stats(51, 51)));
    store.applyFrame(frame('2', 0.5, stats(52, 52)));
    expect(due.length).toBe(1);
    due.shift()?.f();
    expect(store.version).toBe(v0 + 2);
    // An end is shown at once (it is rare, and the row's words change).
    store.applyMonitorEnded({ monitorId: '9', reason: 'stopped', error: '', unattributed: 0 });
    expect(store.version).toBe(v0 + 3);
    expect(due.length).toBe(0);
  });

  it('toggles legend entries, stops, reopens a stored monitor', async () => {
    const log: string[] = [];
    const store = new MonitorStore(fakeMonitorApi(log));
    await store.start({ targets: ['a'], options: {} as PingRequest });
    store.toggle('1');
    expect(store.hidden).toEqual({ '1': true });
    store.toggle('1');
    expect(store.hidden).toEqual({ '1': false });
    await store.stop();
    expect(log.at(-1)).toBe('stop 9');
    await store.open('5');
    expect(store.info?.id).toBe('5');
    expect(store.running).toBe(false);
    expect(store.targets.map((t) => t.stats?.received)).toEqual([3, 0]);
  });

  it("opens a selected target's session in a PingStore of its own and merges its frames there", async () => {
    const opened: string[] = [];
    const store = new MonitorStore(fakeMonitorApi([]), () => new PingStore(fakePingApi(opened)));
    await store.start({ targets: ['a', 'b'], options: {} as PingRequest });
    await store.select(1);
    expect(opened).toEqual(['2']);
    expect(store.detail?.session?.id).toBe('2');
    store.applyFrame({ ...frame('2', 0.7, stats(2, 1)), totalRows: 9 });
    expect(store.detail?.totalRows).toBe(9);
    await store.select(1); // again: closes it
    expect(store.detail).toBeNull();
  });
});
