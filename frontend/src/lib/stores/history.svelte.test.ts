import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExportFormat, ExportResult, ImportResult, SessionSummary } from '../api/types';
import { HistoryStore, SEARCH_DEBOUNCE_MS, exportNotice, importNotice, type HistoryApi } from './history.svelte';

function summary(id: string, target: string, extra: Partial<SessionSummary> = {}): SessionSummary {
  return { id, target, addr: target, engine: 'agent-raw', startedAt: '', endedAt: '', durationMs: 1000, sent: 3, received: 3, lossPercent: 0, medianMs: 0.05, packets: 6, running: false, imported: false, importedFrom: '', interrupted: false, monitorId: '', kind: 'ping', traceId: '', traceHops: 0, ...extra };
}

/** A backend with a real list: search filters it, delete removes from it. */
class FakeHistory implements HistoryApi {
  list = [summary('3', 'example.org'), summary('2', '127.0.0.1'), summary('1', '::1', { imported: true, importedFrom: 'lo.pcapng' })];
  queries: string[] = [];
  deleted: string[] = [];
  exportAnswer: ExportResult | Error = { cancelled: false, path: '/tmp/x.pcapng', format: 'pcapng', packets: 6, bytes: 2048 };
  importAnswer: ImportResult | Error = { cancelled: false, sessionId: '4', path: '/tmp/lo.pcapng', packets: 8, target: '127.0.0.1', skipped: 0, warnings: [] };

  async listSessions(query: string): Promise<SessionSummary[]> {
    this.queries.push(query);
    const q = query.toLowerCase();
    return this.list.filter((s) => q === '' || s.target.includes(q) || s.importedFrom.includes(q));
  }
  async deleteSession(id: string): Promise<void> {
    if (this.list.find((s) => s.id === id)?.running) throw new Error('session 5 is running: stop it first');
    this.deleted.push(id);
    this.list = this.list.filter((s) => s.id !== id);
  }
  async exportSession(_id: string, _format: ExportFormat): Promise<ExportResult> {
    if (this.exportAnswer instanceof Error) throw this.exportAnswer;
    return this.exportAnswer;
  }
  async importCapture(): Promise<ImportResult> {
    if (this.importAnswer instanceof Error) throw this.importAnswer;
    const r = this.importAnswer;
    if (!r.cancelled) this.list = [summary(r.sessionId, r.target, { imported: true, importedFrom: 'lo.pcapng' }), ...this.list];
    return r;
  }
}

describe('HistoryStore list and search', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks the server once typing pauses, with the last text only', async () => {
    const fake = new FakeHistory();
    const s = new HistoryStore(fake);
    await s.refresh();
    expect(s.sessions.map((x) => x.id)).toEqual(['3', '2', '1']);
    s.search('1');
    s.search('12');
    s.search('127');
    expect(fake.queries).toEqual(['']);
    expect(s.listedQuery).toBe('');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(fake.queries).toEqual(['', '127']);
    expect(s.sessions.map((x) => x.id)).toEqual(['2']);
    expect(s.listedQuery).toBe('127');
  });

  it('keeps the newest answer when an older, slower one comes back last', async () => {
    const fake = new FakeHistory();
    let releaseOld!: () => void;
    const slow = new Promise<void>((r) => (releaseOld = r));
    const list = fake.listSessions.bind(fake);
    fake.listSessions = async (q: string) => {
      if (q === '') await slow;
      return list(q);
    };
    const s = new HistoryStore(fake);
    const old = s.refresh();
    s.query = 'example';
    await s.refresh();
    releaseOld();
    await old;
    expect(s.sessions.map((x) => x.id)).toEqual(['3']);
    expect(s.loading).toBe(false);
  });

  it('says in words when the list cannot be read', async () => {
    const fake = new FakeHistory();
    fake.listSessions = async () => Promise.reject(new Error('database is locked'));
    const s = new HistoryStore(fake);
    await s.refresh();
    expect(s.error).toBe('The history could not be read: database is locked');
  });

  it('moves the keyboard cursor within the list', async () => {
    const s = new HistoryStore(new FakeHistory());
    await s.refresh();
    expect(s.move(1)).toBe('3');
    expect(s.move(1)).toBe('2');
    expect(s.move(5)).toBe('1');
    expect(s.move(-1)).toBe('2');
    expect(s.move(-9)).toBe('3');
  });
});

describe('HistoryStore delete', () => {
  it('deletes only after the confirmation, and moves the cursor to the next row', async () => {
    const fake = new FakeHistory();
    const s = new HistoryStore(fake);
    await s.refresh();
    s.cursor = '2';
    s.askDelete('2');
    expect(s.confirming).toBe('2');
    expect(fake.deleted).toEqual([]);
    expect(await s.confirmDelete()).toBe('2');
    expect(fake.deleted).toEqual(['2']);
    expect(s.sessions.map((x) => x.id)).toEqual(['3', '1']);
    expect(s.cursor).toBe('1');
    expect(s.confirming).toBeNull();
  });

  it('cancelling deletes nothing', async () => {
    const fake = new FakeHistory();
    const s = new HistoryStore(fake);
    await s.refresh();
    s.askDelete('3');
    s.cancelDelete();
    await s.confirmDelete();
    expect(fake.deleted).toEqual([]);
    expect(s.sessions).toHaveLength(3);
  });

  it('does not offer to delete a running session', async () => {
    const fake = new FakeHistory();
    fake.list[0] = summary('3', 'example.org', { running: true });
    const s = new HistoryStore(fake);
    await s.refresh();
    s.askDelete('3');
    expect(s.confirming).toBeNull();
    expect(s.notice?.text).toMatch(/still running: stop it first/);
  });

  it('shows the backend refusal in words', async () => {
    const fake = new FakeHistory();
    fake.deleteSession = async () => Promise.reject(new Error('unknown session 9'));
    const s = new HistoryStore(fake);
    await s.refresh();
    s.askDelete('1');
    expect(await s.confirmDelete()).toBeNull();
    expect(s.notice).toEqual({ tone: 'bad', text: 'Could not delete the session: unknown session 9' });
  });
});

describe('HistoryStore export and import', () => {
  it('says where an export went and how much it holds; a cancelled dialog says nothing', async () => {
    const fake = new FakeHistory();
    const s = new HistoryStore(fake);
    await s.exportAs('3', 'pcapng');
    expect(s.notice).toEqual({ tone: 'ok', text: 'Exported 6 packets to /tmp/x.pcapng (pcapng, 2.0 kB)' });
    s.notice = null;
    fake.exportAnswer = { cancelled: true, path: '', format: 'csv', packets: 0, bytes: 0 };
    await s.exportAs('3', 'csv');
    expect(s.notice).toBeNull();
    fake.exportAnswer = new Error('disk full: /media/x');
    await s.exportAs('3', 'json');
    expect(s.notice).toEqual({ tone: 'bad', text: 'Export failed: disk full: /media/x' });
    expect(s.busy).toBe(false);
  });

  it('imports, lists the new session first and puts the cursor on it', async () => {
    const fake = new FakeHistory();
    const s = new HistoryStore(fake);
    await s.refresh();
    expect(await s.importFile()).toBe('4');
    expect(s.sessions[0]?.id).toBe('4');
    expect(s.cursor).toBe('4');
    expect(s.notice?.text).toBe('Imported 8 packets from /tmp/lo.pcapng (target 127.0.0.1)');
  });

  it('shows why a capture could not be imported; cancelled shows nothing', async () => {
    const fake = new FakeHistory();
    const s = new HistoryStore(fake);
    fake.importAnswer = new Error('not a pcap or pcapng file: /tmp/bad.pcap');
    expect(await s.importFile()).toBeNull();
    expect(s.notice).toEqual({ tone: 'bad', text: 'Import failed: not a pcap or pcapng file: /tmp/bad.pcap' });
    s.notice = null;
    fake.importAnswer = { cancelled: true, sessionId: '', path: '', packets: 0, target: '', skipped: 0, warnings: [] };
    expect(await s.importFile()).toBeNull();
    expect(s.notice).toBeNull();
  });

  it('a capture dropped on the window: its notice and cursor, or why it was refused', async () => {
    const s = new HistoryStore(new FakeHistory());
    await s.refresh();
    const result: ImportResult = { cancelled: false, sessionId: '2', path: 'lo.pcapng', packets: 8, target: '127.0.0.1', skipped: 0, warnings: [] };
    expect(await s.applyDropped({ name: 'lo.pcapng', result, error: '' })).toBe('2');
    expect(s.cursor).toBe('2');
    expect(s.notice).toEqual({ tone: 'ok', text: 'Imported 8 packets from lo.pcapng (target 127.0.0.1)' });
    expect(await s.applyDropped({ name: 'notes.txt', result: { ...result, sessionId: '' }, error: 'notes.txt is not a capture: drop a .pcap or .pcapng file' })).toBeNull();
    expect(s.notice).toEqual({ tone: 'bad', text: 'Import of notes.txt failed: notes.txt is not a capture: drop a .pcap or .pcapng file' });
  });

  it('words results for one packet, skipped packets and warnings', () => {
    expect(exportNotice({ cancelled: false, path: '/a.csv', format: 'csv', packets: 1, bytes: 90 })).toBe('Exported 1 packet to /a.csv (csv, 90 bytes)');
    const r: ImportResult = { cancelled: false, sessionId: '1', path: '/a.pcap', packets: 2, target: '', skipped: 1, warnings: ['2 flows'] };
    expect(importNotice(r)).toBe('Imported 2 packets from /a.pcap; 1 packet skipped (not ICMP echo); 2 flows');
  });
});
