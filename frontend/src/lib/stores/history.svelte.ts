// State of the History view: the sessions list (searched on the server, debounced), the row
// the keyboard is on, the delete that waits for a confirmation, and what an export or an
// import did (a path and a count, or the error in words; a cancelled dialog says nothing).

import * as api from '../api';
import type { DropResult, ExportFormat, ExportResult, ImportResult, SessionSummary } from '../api/types';
import { errorText } from './ping.svelte';

/** The backend calls the store makes; tests pass fakes. */
export interface HistoryApi {
  listSessions(query: string, limit?: number): Promise<SessionSummary[]>;
  deleteSession(sessionId: string): Promise<void>;
  exportSession(sessionId: string, format: ExportFormat): Promise<ExportResult>;
  importCapture(): Promise<ImportResult>;
}

export interface Notice {
  tone: 'ok' | 'bad';
  text: string;
}

/** Typing pauses this long before the list is asked for again. */
export const SEARCH_DEBOUNCE_MS = 250;

export const FORMAT_LABELS: Record<ExportFormat, string> = { pcapng: 'pcapng (Wireshark)', csv: 'CSV (the table)', json: 'JSON (session and stats)' };

/** "Exported 24 packets to /tmp/x.pcapng (pcapng, 3.1 kB)". */
export function exportNotice(r: ExportResult): string {
  const kb = r.bytes >= 1024 ? `${(r.bytes / 1024).toFixed(1)} kB` : `${r.bytes} bytes`;
  return `Exported ${r.packets} packet${r.packets === 1 ? '' : 's'} to ${r.path} (${r.format}, ${kb})`;
}

/** "Imported 12 packets from /tmp/lo.pcapng (target 127.0.0.1); 3 packets skipped: ...". */
export function importNotice(r: ImportResult): string {
  let text = `Imported ${r.packets} packet${r.packets === 1 ? '' : 's'} from ${r.path}`;
  if (r.target) text += ` (target ${r.target})`;
  if (r.skipped > 0) text += `; ${r.skipped} packet${r.skipped === 1 ? '' : 's'} skipped (not ICMP echo)`;
  const warnings = r.warnings ?? [];
  if (warnings.length > 0) text += `; ${warnings.join('; ')}`;
  return text;
}

export class HistoryStore {
  sessions = $state<SessionSummary[]>([]);
  query = $state('');
  /** The query the shown list answers (the box may be ahead of it while typing). */
  listedQuery = $state('');
  loading = $state(false);
  /** The list could not be read. */
  error = $state('');
  /** Id of the row the keyboard (or a click) is on. */
  cursor = $state<string | null>(null);
  /** Id of the session whose delete waits for a yes. */
  confirming = $state<string | null>(null);
  notice = $state<Notice | null>(null);
  busy = $state(false);
  /** Bumped after every list change, so views can react (the list was read). */
  loaded = $state(0);

  private listSeq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly backend: HistoryApi = api) {}

  /** Reads the list for the current query; a slower earlier answer never overwrites a newer one. */
  async refresh(): Promise<void> {
    const mine = ++this.listSeq;
    const query = this.query.trim();
    this.loading = true;
    try {
      const list = await this.backend.listSessions(query);
      if (mine !== this.listSeq) return;
      this.sessions = list;
      this.listedQuery = query;
      this.error = '';
      if (this.cursor !== null && !list.some((s) => s.id === this.cursor)) this.cursor = list[0]?.id ?? null;
      if (this.confirming !== null && !list.some((s) => s.id === this.confirming)) this.confirming = null;
      this.loaded++;
    } catch (err) {
      if (mine === this.listSeq) this.error = `The history could not be read: ${errorText(err)}`;
    } finally {
      if (mine === this.listSeq) this.loading = false;
    }
  }

  /** A new search text: asks the backend once typing pauses. */
  search(query: string): void {
    this.query = query;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), SEARCH_DEBOUNCE_MS);
  }

  /** Moves the keyboard cursor by delta rows (clamped); returns the id it lands on. */
  move(delta: number): string | null {
    const list = this.sessions;
    if (list.length === 0) return null;
    const at = list.findIndex((s) => s.id === this.cursor);
    const next = at < 0 ? (delta > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + delta));
    this.cursor = list[next]!.id;
    return this.cursor;
  }

  askDelete(sessionId: string): void {
    const s = this.sessions.find((x) => x.id === sessionId);
    if (!s) return;
    if (s.running) {
      this.notice = { tone: 'bad', text: `The session to ${s.target} is still running: stop it first.` };
      return;
    }
    this.confirming = sessionId;
  }

  cancelDelete(): void {
    this.confirming = null;
  }

  /** Deletes the session waiting for confirmation, then reads the list again; returns its id if deleted. */
  async confirmDelete(): Promise<string | null> {
    const id = this.confirming;
    if (id === null) return null;
    let deleted: string | null = null;
    this.confirming = null;
    const at = this.sessions.findIndex((s) => s.id === id);
    try {
      await this.backend.deleteSession(id);
      this.sessions = this.sessions.filter((s) => s.id !== id);
      if (this.cursor === id) this.cursor = this.sessions[Math.min(at, this.sessions.length - 1)]?.id ?? null;
      this.notice = null;
      deleted = id;
    } catch (err) {
      this.notice =
        err instanceof api.JobCancelledError ? { tone: 'ok', text: 'Delete cancelled: the session is kept whole.' } : { tone: 'bad', text: `Could not delete the session: ${errorText(err)}` };
    }
    await this.refresh();
    return deleted;
  }

  /** Exports a session through the native save dialog; says where it went, or why not. */
  async exportAs(sessionId: string, format: ExportFormat): Promise<void> {
    this.busy = true;
    try {
      const r = await this.backend.exportSession(sessionId, format);
      if (!r.cancelled) this.notice = { tone: 'ok', text: exportNotice(r) };
    } catch (err) {
      this.notice = err instanceof api.JobCancelledError ? { tone: 'ok', text: 'Export cancelled: no file was written.' } : { tone: 'bad', text: `Export failed: ${errorText(err)}` };
    } finally {
      this.busy = false;
    }
  }

  /** A file dropped on the window was imported (or refused): say so, and point at its session. */
  async applyDropped(d: DropResult): Promise<string | null> {
    if (d.error) {
      this.notice = { tone: 'bad', text: `Import of ${d.name} failed: ${d.error}` };
      return null;
    }
    this.notice = { tone: 'ok', text: importNotice(d.result) };
    this.cursor = d.result.sessionId;
    await this.refresh();
    return d.result.sessionId;
  }

  /** Imports a capture through the native open dialog; returns the new session's id. */
  async importFile(): Promise<string | null> {
    this.busy = true;
    try {
      const r = await this.backend.importCapture();
      if (r.cancelled) return null;
      this.notice = { tone: 'ok', text: importNotice(r) };
      this.cursor = r.sessionId;
      await this.refresh();
      return r.sessionId;
    } catch (err) {
      this.notice = err instanceof api.JobCancelledError ? { tone: 'ok', text: 'Import cancelled: nothing was stored.' } : { tone: 'bad', text: `Import failed: ${errorText(err)}` };
      return null;
    } finally {
      this.busy = false;
    }
  }
}

export const historyStore = new HistoryStore();
