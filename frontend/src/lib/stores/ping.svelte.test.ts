import { describe, expect, it } from 'vitest';
import type { Ended, EngineInfo, FilteredRowPage, Frame, PingRequest, Row, RowFilter, RowPage, RowRank, SessionInfo, SessionView } from '../api/types';
import { PingStore, type PingApi } from './ping.svelte';

function row(n: number): Row {
  return { n, kind: n % 2 ? 'reply' : 'send', time: '', type: n % 2 ? 'Echo Reply' : 'Echo Request', code: 0, index: 1 + (n >> 1), seq: 1 + (n >> 1), id: 7, bytes: 64, ttl: 64, rttMs: n % 2 ? 0.05 : null, class: n % 2 ? 'on-time' : '', from: '', note: '' };
}

function frame(seq: number, from: number, to: number, extra: Partial<Frame> = {}): Frame {
  const rows: Row[] = [];
  for (let n = from; n < to; n++) rows.push(row(n));
  return { sessionId: '1', seq, totalRows: to, rows, skippedRows: 0, points: [], skippedPoints: 0, stats: null, backlog: rows.length, droppedEvents: 0, emittedAtMs: 0, storageError: '', ...extra };
}

const session: SessionInfo = { id: '1', target: 'example.org', addr: '192.0.2.1', family: 4, engine: 'in-process-raw', socket: 'raw', intervalMs: 1000, timeoutMs: 2000, count: 0, payloadSize: 56, startedAt: '', endedAt: '', imported: false, importedFrom: '', request: { target: 'example.org', count: 0, intervalMs: 1000, timeoutMs: 2000, size: 56, sizeSet: true, pattern: '', ttl: 0, dontFragment: false, family: 0, source: '' } };

function fakeApi(pages: number[] = []): PingApi {
  return {
    engineInfo: async (): Promise<EngineInfo> => ({ kind: 'datagram', label: 'datagram', reason: 'r', best: false, upgrade: 'sudo setcap cap_net_raw=ep /x', tried: [], error: '' }),
    startPing: async (_r: PingRequest) => session,
    stopPing: async () => {},
    recentTargets: async () => ['a', 'b'],
    openSession: async (id: string): Promise<SessionView> => stored(id),
    pageRows: async (_id: string, offset: number, limit: number): Promise<RowPage> => {
      pages.push(offset);
      const rows: Row[] = [];
      for (let n = offset; n < offset + limit && n < 5000; n++) rows.push(row(n));
      return { sessionId: '1', offset, totalRows: 5000, rows };
    },
    ...filteredApi(Array.from({ length: 5000 }, (_, n) => row(n))),
  };
}

/** The filters' meaning over rows, written apart from the backend's SQL. */
const passes: Record<RowFilter, (r: Row) => boolean> = {
  all: () => true,
  ours: (r) => r.class !== 'foreign',
  requests: (r) => r.kind === 'send' && r.class !== 'foreign',
  replies: (r) => r.kind === 'reply' && r.class !== 'foreign',
  problems: (r) => r.kind === 'loss' || ['late', 'duplicate', 'out-of-order', 'corrupt', 'icmp-error'].includes(r.class),
  foreign: (r) => r.class === 'foreign',
};

/** pageFilteredRows and rowRank over a session's rows, as the backend answers them. */
function filteredApi(all: Row[], calls: { filter: RowFilter; offset: number; limit: number }[] = []): Pick<PingApi, 'pageFilteredRows' | 'rowRank'> {
  return {
    pageFilteredRows: async (sessionId: string, filter: RowFilter, offset: number, limit: number): Promise<FilteredRowPage> => {
      calls.push({ filter, offset, limit });
      const rows = all.filter(passes[filter]);
      const start = offset < 0 ? Math.max(0, rows.length - limit) : offset;
      return { sessionId, filter, offset: start, filterRows: rows.length, sessionRows: all.length, foreignRows: all.filter(passes.foreign).length, rows: rows.slice(start, start + limit) };
    },
    rowRank: async (sessionId: string, filter: RowFilter, n: number): Promise<RowRank> => {
      const rank = all.slice(0, n).filter(passes[filter]).length;
      return { sessionId, filter, row: n, rank, passes: passes[filter](all[n]!) };
    },
  };
}

/** A stored session as OpenSession gives it: session '7' ended, '8' imported, '1' running, '9' with 10 rows the store refused. */
function stored(id: string): SessionView {
  const info: SessionInfo = { ...session, id, endedAt: id === '1' ? '' : '2026-11-27T05:00:00Z', imported: id === '8', importedFrom: id === '8' ? 'lo.pcapng' : '' };
  const points = [
    { t: 0, rttMs: 0.04, mark: 'reply' as const, index: 1, seq: 1, row: 1 },
    { t: 1000, rttMs: null, mark: 'lost' as const, index: 2, seq: 2, row: 2 },
    { t: 2000, rttMs: 0.06, mark: 'reply' as const, index: 3, seq: 3, row: 3 },
  ];
  return { info, stats: { sent: 3, received: 2 } as SessionView['stats'], totalRows: 5000, storedRows: id === '9' ? 4990 : 5000, points, skippedPoints: 0, running: id === '1' };
}

async function started(pages?: number[]): Promise<PingStore> {
  const s = new PingStore(fakeApi(pages));
  await s.start({ target: 'example.org' } as PingRequest);
  return s;
}

describe('PingStore frame merging', () => {
  it('merges frames into the row cache, the chart and the stats, and counts missed frames', async () => {
    const s = await started();
    s.applyFrame(frame(1, 0, 4, { points: [{ t: 0, rttMs: 0.05, mark: 'reply', index: 1, seq: 1, row: 1 }] }));
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

  it('keeps the final stats when a frame arrives after the end', async () => {
    const s = await started();
    s.applyEnded({ sessionId: '1', totalRows: 8, stats: { sent: 4, received: 4 } as Ended['stats'], reason: 'done', error: '' });
    s.applyFrame(frame(9, 6, 8, { stats: { sent: 4, received: 3 } as Frame['stats'], points: [{ t: 300, rttMs: 0.05, mark: 'reply', index: 4, seq: 4, row: 4 }] }));
    expect(s.stats?.received).toBe(4);
    expect(s.row(7)).toBeDefined();
    expect(s.chart.replies.t).toEqual([0.3]);
  });

  it('turns a rejected Start into an error message', async () => {
    const s = new PingStore({ ...fakeApi(), startPing: async () => Promise.reject(new Error('DNS lookup failed: cannot resolve target: nope.invalid')) });
    await s.start({ target: 'nope.invalid' } as PingRequest);
    expect(s.running).toBe(false);
    expect(s.error).toMatch(/DNS lookup failed/); // the store keeps the whole message; ErrorMessage splits it
  });
});

describe('PingStore showing stored sessions', () => {
  it('shows a reopened session in the live views: info, stats, rows, the whole chart', async () => {
    const pages: number[] = [];
    const s = new PingStore(fakeApi(pages));
    await s.open('7');
    expect(s.session?.id).toBe('7');
    expect(s.origin).toBe('recorded');
    expect(s.running).toBe(false);
    expect(s.stats?.received).toBe(2);
    expect(s.totalRows).toBe(5000);
    expect(s.chart.replies.t).toEqual([0, 2]);
    expect(s.chart.marks.lost.t).toEqual([1]);
    expect(s.follow).toBe(false);
    await s.ensureRows(4990, 5000);
    expect(pages).toEqual([4800]);
    expect(s.row(4999)?.n).toBe(4999);
  });

  it('labels an imported session, and replaces what was shown before', async () => {
    const s = await started();
    s.applyFrame(frame(1, 0, 4, { points: [{ t: 0, rttMs: 9, mark: 'reply', index: 1, seq: 1, row: 1 }] }));
    s.applyEnded({ sessionId: '1', totalRows: 4, stats: null, reason: 'done', error: '' });
    await s.open('8');
    expect(s.origin).toBe('imported');
    expect(s.session?.importedFrom).toBe('lo.pcapng');
    expect(s.chart.replies.y).toEqual([0.04, 0.06]);
    expect(s.row(0)).toBeUndefined();
  });

  it('keeps merging frames of a running session opened from the list', async () => {
    const s = new PingStore(fakeApi());
    await s.open('1');
    expect(s.origin).toBe('live');
    expect(s.running).toBe(true);
    expect(s.liveId).toBe('1');
    s.applyFrame(frame(1, 5000, 5002, { points: [{ t: 3000, rttMs: 0.07, mark: 'reply', index: 4, seq: 4, row: 4 }] }));
    expect(s.totalRows).toBe(5002);
    expect(s.chart.replies.t).toEqual([0, 2, 3]);
  });

  it('goes back to live: the session still running, or the empty Start view', async () => {
    const s = await started();
    await s.open('7');
    expect(s.liveId).toBe('1');
    await s.start({ target: 'x' } as PingRequest); // refused: one session at a time
    expect(s.session?.id).toBe('7');
    s.applyFrame(frame(1, 0, 2)); // frames of the live session are not mixed into session 7
    expect(s.row(0)).toBeUndefined();
    await s.backToLive();
    expect(s.session?.id).toBe('1');
    expect(s.running).toBe(true);

    s.applyEnded({ sessionId: '1', totalRows: 6, stats: null, reason: 'stopped', error: '' });
    await s.open('7');
    await s.backToLive();
    expect(s.session).toBeNull();
    expect(s.totalRows).toBe(0);
    expect(s.chart.size).toBe(0);
    expect(s.origin).toBe('live');
  });

  it('shows rows the store could not save as not stored instead of an error', async () => {
    const api = fakeApi();
    const s = new PingStore({ ...api, pageRows: async (_id, offset) => ({ sessionId: '1', offset, totalRows: 300, rows: [row(0), row(1)] }) });
    await s.start({ target: 'x' } as PingRequest);
    s.applyFrame(frame(1, 398, 400, { storageError: 'history cannot be saved (disk full: /d)' }));
    expect(s.storageError).toMatch(/disk full/);
    await s.ensureRows(0, 30);
    expect(s.row(1)?.n).toBe(1);
    expect(s.notStored(2)).toBe(true);
    expect(s.notStored(29)).toBe(true);
    expect(s.notStored(1)).toBe(false);
    expect(s.error).toBe('');
    expect(s.cache.pagesToFetch(0, 30)).toEqual([]);
  });

  it('shows gaps of a reopened session as not stored, and forgets that when the row arrives', async () => {
    // A session whose disk filled: the store kept rows 0-1 and 5 of the page; its totalRows
    // counts stored rows (3), the session's own total is 5000.
    const s = new PingStore({ ...fakeApi(), pageRows: async (_id, offset) => ({ sessionId: '7', offset, totalRows: 3, rows: [row(0), row(1), row(5)] }) });
    await s.open('7');
    await s.ensureRows(0, 30);
    expect(s.notStored(2)).toBe(true);
    expect(s.notStored(5)).toBe(false);
    expect(s.notStored(29)).toBe(true);
    s.cache.put([row(2)], 0);
    expect(s.notStored(2)).toBe(false);
  });

  it('still reports a page that fails while the store is fine', async () => {
    const s = new PingStore({ ...fakeApi(), pageRows: async () => Promise.reject(new Error('database is locked')) });
    await s.start({ target: 'x' } as PingRequest);
    s.applyFrame(frame(1, 398, 400));
    await s.ensureRows(0, 30);
    expect(s.error).toBe('rows 0–199: database is locked');
    expect(s.notStored(2)).toBe(false);
  });
});

describe('PingStore memory bound', () => {
  it('keeps a bounded number of rows and chart points however long the session runs (an hour at 100/s)', { timeout: 60_000 }, async () => {
    const s = await started();
    const perFrame = 8; // 100 requests/s, a send and a reply each, 25 frames/s
    const frames = (3600 * 200) / perFrame;
    for (let i = 0; i < frames; i++) {
      const from = i * perFrame;
      const points = [];
      for (let n = from + 1; n < from + perFrame; n += 2) points.push({ t: n * 5, rttMs: 0.05 + (n % 7) / 100, mark: 'reply' as const, index: (n + 1) / 2, seq: ((n + 1) / 2) % 65536, row: n });
      s.applyFrame(frame(i + 1, from, from + perFrame, { points }));
    }
    expect(s.totalRows).toBe(frames * perFrame);
    expect(s.cache.size).toBeLessThanOrEqual(s.cache.capacity);
    expect(s.chart.replies.t.length).toBeLessThanOrEqual(s.chart.maxPoints);
    expect(s.chart.size).toBeLessThanOrEqual(4 * s.chart.maxPoints);
    // The newest rows are the ones kept while following the stream.
    expect(s.row(frames * perFrame - 1)).toBeDefined();
    expect(s.row(0)).toBeUndefined();
  });
});

/** Rows of a session with every kind of row: requests, on-time and late replies, losses, foreign. */
function mixedRows(count: number): Row[] {
  const shapes: Pick<Row, 'kind' | 'class'>[] = [
    { kind: 'send', class: '' },
    { kind: 'reply', class: 'on-time' },
    { kind: 'reply', class: 'foreign' },
    { kind: 'send', class: '' },
    { kind: 'loss', class: '' },
    { kind: 'send', class: '' },
    { kind: 'reply', class: 'late' },
  ];
  return Array.from({ length: count }, (_, n) => ({ ...row(n), ...shapes[n % shapes.length]! }));
}

describe('PingStore filters', () => {
  it('shows a stored session without foreign rows, by rank, with their session numbers and the hidden count', async () => {
    const all = mixedRows(700);
    const calls: { filter: RowFilter; offset: number; limit: number }[] = [];
    const s = new PingStore({ ...fakeApi(), ...filteredApi(all, calls) });
    await s.open('7');
    await s.refreshFiltered();
    expect(s.filtering).toBe(true);
    expect(s.filterRows).toBe(600);
    expect(s.foreignRows).toBe(100);
    expect(s.foreignCount).toBe(100);
    expect(s.tableTotal).toBe(600);
    // Rank 2 is row 3: row 2 is foreign.
    expect(s.tableRow(2)?.n).toBe(3);
    expect(calls[0]).toEqual({ filter: 'ours', offset: 0, limit: 200 });

    s.setFilter('problems');
    expect(s.tableTotal).toBe(0);
    await s.refreshFiltered();
    expect(s.filterRows).toBe(200);
    expect([0, 1, 2, 3].map((i) => s.tableRow(i)?.n)).toEqual([4, 6, 11, 13]);
    await s.ensureTableRows(190, 200);
    expect(s.tableRow(199)?.n).toBe(699); // the last cycle's late reply

    s.setFilter('all');
    expect(s.filtering).toBe(false);
    expect(s.tableTotal).toBe(5000); // the session's rows, by position
    expect(s.showForeign).toBe(true);
    s.setFilter('replies'); // the choice to show other programs' ICMP holds for "All"
    expect(s.showForeign).toBe(true);
    s.setFilter('ours');
    expect(s.showForeign).toBe(false);
  });

  it('drops a page of a filter left meanwhile', async () => {
    const all = mixedRows(70);
    let release: () => void = () => {};
    const api = filteredApi(all);
    const s = new PingStore({
      ...fakeApi(),
      pageFilteredRows: async (id, filter, offset, limit) => {
        if (filter === 'replies') await new Promise<void>((r) => (release = r));
        return api.pageFilteredRows(id, filter, offset, limit);
      },
    });
    await s.open('7');
    s.setFilter('replies');
    const slow = s.ensureTableRows(0, 10);
    s.setFilter('requests');
    release();
    await slow;
    await s.refreshFiltered();
    expect([0, 1, 2].map((i) => s.tableRow(i)?.kind)).toEqual(['send', 'send', 'send']);
    expect(s.filterRows).toBe(30);
  });

  it('pages a live session by position until its first foreign row, then by rank from its end', async () => {
    const all = mixedRows(14);
    const calls: { filter: RowFilter; offset: number; limit: number }[] = [];
    const s = new PingStore({ ...fakeApi(), ...filteredApi(all, calls) });
    await s.start({ target: 'example.org' } as PingRequest);
    s.applyFrame(frame(1, 0, 2));
    expect(s.filtering).toBe(false);
    expect(calls).toEqual([]);
    s.applyFrame(frame(2, 2, 14, { stats: { foreign: 2 } as Frame['stats'] }));
    expect(s.filtering).toBe(true);
    await s.refreshFiltered();
    expect(calls[0]).toEqual({ filter: 'ours', offset: -1, limit: 200 });
    expect(s.tableTotal).toBe(12);
    expect(s.tableRow(11)?.n).toBe(13);
  });

  it('finds a row selected elsewhere: from the cache, else its rank from the backend', async () => {
    const all = mixedRows(700);
    const s = new PingStore({ ...fakeApi(), ...filteredApi(all) });
    await s.open('7');
    s.setFilter('requests');
    await s.refreshFiltered();
    expect(await s.positionOf(3)).toEqual({ position: 1, shown: true });
    expect(await s.positionOf(696)).toEqual({ position: 298, shown: true }); // 696 = 7*99 + 3, past the cached page
    expect(await s.positionOf(4)).toEqual({ position: 2, shown: false }); // a loss: hidden, before rank 2
    s.setFilter('all');
    expect(await s.positionOf(4)).toEqual({ position: 4, shown: true });
  });

  it('lists a live session by position while the store refuses its rows, so refused rows show as not stored', async () => {
    const all = mixedRows(14);
    const s = new PingStore({ ...fakeApi(), ...filteredApi(all) });
    await s.start({ target: 'example.org' } as PingRequest);
    s.applyFrame(frame(1, 0, 14, { stats: { foreign: 2 } as Frame['stats'], storageError: 'disk full' }));
    expect(s.filtering).toBe(false);
    expect(s.foreignCount).toBe(0); // no "hidden" notice: they are listed
    s.setFilter('problems'); // another filter still pages by rank
    expect(s.filtering).toBe(true);
  });

  it('lists a reopened session with refused rows by position under All', async () => {
    const s = new PingStore({ ...fakeApi(), ...filteredApi(mixedRows(5000)) });
    await s.open('9');
    expect(s.filtering).toBe(false);
    expect(s.tableTotal).toBe(5000);
    await s.open('7');
    expect(s.filtering).toBe(true);
  });
});
