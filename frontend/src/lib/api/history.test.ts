import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError, deleteSession, exportSession, importCapture, JobCancelledError, listSessions, openSession, openTrace, storageStatus } from './index';

type Globals = { go?: unknown; window?: unknown; runtime?: unknown };
const globals = globalThis as Globals;

/** The Wails runtime's event hub, as the page sees it (window.runtime.EventsOnMultiple). It stays
 *  for the whole file: the api subscribes to job events once. */
const listeners = new Map<string, ((payload: unknown) => void)[]>();
globals.runtime = {
  EventsOnMultiple(name: string, cb: (payload: unknown) => void) {
    listeners.set(name, [...(listeners.get(name) ?? []), cb]);
    return () => listeners.set(name, (listeners.get(name) ?? []).filter((l) => l !== cb));
  },
};
function emit(name: string, payload: unknown): void {
  for (const l of listeners.get(name) ?? []) l(payload);
}

/** Pretends to be the Wails bindings' window.go with the given PingService methods. */
function bind(ping: Record<string, (...args: unknown[]) => Promise<unknown>>): void {
  globals.window = globalThis;
  globals.go = { service: { AppService: {}, PingService: ping } };
}

let nextJob = 0;
/** A bound method that starts a job which ends (after the start returned) with event and payload. */
function job(kind: string, event: 'job:done' | 'job:failed' | 'job:cancelled', end: { result?: unknown; error?: string }) {
  return async () => {
    const jobId = `${kind}-${++nextJob}`;
    setTimeout(() => emit(event, { jobId, kind, result: end.result ?? null, error: end.error ?? '' }), 0);
    return { jobId, kind, cancelled: false };
  };
}

afterEach(() => {
  delete globals.go;
  delete globals.window;
});

describe('history api', () => {
  it('rejects outside Echoscope with BackendUnavailableError', async () => {
    await expect(listSessions('')).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(storageStatus()).rejects.toBeInstanceOf(BackendUnavailableError);
  });

  it('passes the query and limit, and reads a null list (Go nil slice) as empty', async () => {
    const calls: unknown[][] = [];
    bind({ Sessions: async (...args) => (calls.push(args), null) });
    await expect(listSessions('127', 50)).resolves.toEqual([]);
    await listSessions('');
    expect(calls).toEqual([['127', 50], ['', 0]]);
  });

  it('reads a session view with null stats and points as null and []', async () => {
    bind({ OpenSession: job('open', 'job:done', { result: { info: { id: '3' }, stats: null, totalRows: 0, points: null, skippedPoints: 0, running: false } }) });
    const view = await openSession('3');
    expect(view.stats).toBeNull();
    expect(view.points).toEqual([]);
  });

  it('opens a stored trace through its job, its hops\' null lists (Go nil slices) read as empty', async () => {
    const calls: unknown[][] = [];
    const start = job('open', 'job:done', { result: { target: 'h', traceId: '7', stored: true, hops: [{ ttl: 1, addrs: null, names: null, answers: null }] } });
    bind({ OpenTrace: async (...args) => (calls.push(args), start()) });
    const v = await openTrace('7');
    expect(calls).toEqual([['7']]);
    expect(v.stored).toBe(true);
    expect(v.hops[0]).toMatchObject({ ttl: 1, addrs: [], names: [], answers: [] });
  });

  it('reads null import warnings as none', async () => {
    bind({ ImportCapture: job('import', 'job:done', { result: { cancelled: false, sessionId: '4', path: '/a.pcap', packets: 2, target: '127.0.0.1', skipped: 0, warnings: null } }) });
    expect((await importCapture()).warnings).toEqual([]);
  });

  it('resolves a job that ended before its start call returned', async () => {
    bind({
      ExportSession: async () => {
        emit('job:done', { jobId: 'export-early', kind: 'export', result: { cancelled: false, path: '/x.csv', format: 'csv', packets: 3, bytes: 9 }, error: '' });
        return { jobId: 'export-early', kind: 'export', cancelled: false };
      },
    });
    expect((await exportSession('1', 'csv')).packets).toBe(3);
  });

  it('reads a cancelled dialog as cancelled: true, a cancelled job as JobCancelledError, a failed one as its words', async () => {
    bind({ ExportSession: async () => ({ jobId: '', kind: 'export', cancelled: true }) });
    expect((await exportSession('1', 'csv')).cancelled).toBe(true);
    bind({ ImportCapture: job('import', 'job:cancelled', {}) });
    await expect(importCapture()).rejects.toBeInstanceOf(JobCancelledError);
    bind({ ExportSession: job('export', 'job:failed', { error: 'export failed: /x.csv: no space left on device' }) });
    await expect(exportSession('1', 'csv')).rejects.toThrow('no space left on device');
  });

  it('rejects with the backend message', async () => {
    bind({ DeleteSession: async () => Promise.reject(new Error('session 5 is running: stop it first')) });
    await expect(deleteSession('5')).rejects.toThrow('stop it first');
  });
});
