import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError, deleteSession, importCapture, listSessions, openSession, storageStatus } from './index';

type Globals = { go?: unknown; window?: unknown };
const globals = globalThis as Globals;

/** Pretends to be the Wails bindings' window.go with the given PingService methods. */
function bind(ping: Record<string, (...args: unknown[]) => Promise<unknown>>): void {
  globals.window = globalThis;
  globals.go = { service: { AppService: {}, PingService: ping } };
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
    bind({ OpenSession: async () => ({ info: { id: '3' }, stats: null, totalRows: 0, points: null, skippedPoints: 0, running: false }) });
    const view = await openSession('3');
    expect(view.stats).toBeNull();
    expect(view.points).toEqual([]);
  });

  it('reads null import warnings as none', async () => {
    bind({ ImportCapture: async () => ({ cancelled: false, sessionId: '4', path: '/a.pcap', packets: 2, target: '127.0.0.1', skipped: 0, warnings: null }) });
    expect((await importCapture()).warnings).toEqual([]);
  });

  it('rejects with the backend message', async () => {
    bind({ DeleteSession: async () => Promise.reject(new Error('session 5 is running: stop it first')) });
    await expect(deleteSession('5')).rejects.toThrow('stop it first');
  });
});
