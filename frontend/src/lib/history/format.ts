// Words and numbers of the History list and of the strip over a reopened session.

import type { SessionInfo, SessionSummary, StatsView } from '../api/types';

/** A duration the way people read one: "850 ms", "4.2 s", "3 min 05 s", "2 h 07 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.floor(seconds)} s`;
  const total = Math.floor(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (total < 3600) return `${Math.floor(total / 60)} min ${pad(total % 60)} s`;
  if (total < 86400) return `${Math.floor(total / 3600)} h ${pad(Math.floor((total % 3600) / 60))} min`;
  return `${Math.floor(total / 86400)} d ${Math.floor((total % 86400) / 3600)} h`;
}

/** "2026-11-27 05:04:31" in local time; an unreadable time is shown as it came. */
export function formatWhen(rfc3339: string): string {
  if (!rfc3339) return '–';
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The milliseconds between two RFC 3339 times, 0 when either is missing or unreadable. */
export function millisBetween(from: string, to: string): number {
  if (!from || !to) return 0;
  const ms = new Date(to).getTime() - new Date(from).getTime();
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

export interface Badge {
  kind: 'running' | 'imported' | 'interrupted';
  text: string;
  /** Longer words for the tooltip and screen readers. */
  title: string;
}

/** The badges of a History row: running, imported (with its file), interrupted. */
export function badgesOf(s: SessionSummary): Badge[] {
  const out: Badge[] = [];
  if (s.running) out.push({ kind: 'running', text: 'running', title: 'pinging now' });
  if (s.imported) out.push({ kind: 'imported', text: `imported: ${s.importedFrom || 'capture'}`, title: `imported from the capture file ${s.importedFrom}` });
  if (s.interrupted) out.push({ kind: 'interrupted', text: 'interrupted', title: 'the app stopped during this session; what was stored before is kept' });
  return out;
}

/** Target and, when they differ, the address pinged: "example.org (93.184.215.14)". */
export function targetLabel(s: Pick<SessionSummary, 'target' | 'addr'>): string {
  if (!s.addr || s.addr === s.target) return s.target || s.addr || '–';
  if (!s.target) return s.addr;
  return `${s.target} (${s.addr})`;
}

/**
 * The strip over a reopened session: "Recorded 2026-11-27 05:04:31 · 3 min 05 s", or
 * "Imported from capture.pcapng" for a capture.
 */
export function recordedCaption(info: SessionInfo, stats: StatsView | null): string {
  if (info.imported) return `Imported from ${info.importedFrom || 'a capture file'}`;
  const ms = millisBetween(info.startedAt, info.endedAt) || (stats?.elapsedMs ?? 0);
  const when = `Recorded ${formatWhen(info.startedAt)}`;
  if (!info.endedAt) return `${when} · ${ms > 0 ? formatDuration(ms) + ', ' : ''}interrupted (the app stopped during it)`;
  return `${when} · ${formatDuration(ms)}`;
}
