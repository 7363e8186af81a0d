// History calls of the bound PingService (the list, reopen, delete, export, import, storage
// status) and the "history:status" event. Part of the api module: the only importer of the
// generated bindings.

import * as PingService from '../../../wailsjs/go/service/PingService';
import { EVENT_CAPTURE_DROPPED, EVENT_HISTORY_STATUS } from './events';
import { call, listen, listenWhenReady } from './backend';
import type { DropResult, ExportFormat, ExportResult, ImportResult, SessionSummary, SessionView, StorageStatus } from './types';

/** Sessions, newest first, whose target, address or imported file name contains query ('' = all). */
export function listSessions(query: string, limit = 0): Promise<SessionSummary[]> {
  return call<SessionSummary[] | null>(() => PingService.Sessions(query, limit)).then((list) => list ?? []);
}

/** Deletes a stored session; rejects for a running one ("stop it first"). */
export function deleteSession(sessionId: string): Promise<void> {
  return call(() => PingService.DeleteSession(sessionId));
}

/** A stored session as the Ping view shows it: info, stats, row count, the whole chart. */
export function openSession(sessionId: string): Promise<SessionView> {
  // Go marshals a nil slice as null and a nil stats pointer as null.
  return call<SessionView>(() => PingService.OpenSession(sessionId)).then((v) => ({ ...v, stats: v.stats ?? null, points: v.points ?? [] }));
}

/** Asks where to save (native dialog) and writes the session; cancelled resolves with cancelled: true. */
export function exportSession(sessionId: string, format: ExportFormat): Promise<ExportResult> {
  return call(() => PingService.ExportSession(sessionId, format));
}

/** Asks for a pcap/pcapng file (native dialog) and imports its ICMP echo traffic as a session. */
export function importCapture(): Promise<ImportResult> {
  return call<ImportResult>(() => PingService.ImportCapture()).then((r) => ({ ...r, warnings: r.warnings ?? [] }));
}

/** Whether history is being saved to disk, and if not, why. */
export function storageStatus(): Promise<StorageStatus> {
  return call(() => PingService.StorageStatus());
}

/** Changes of the storage status. Returns the function that stops listening. */
export function onHistoryStatus(listener: (status: StorageStatus) => void): () => void {
  return listen(EVENT_HISTORY_STATUS, listener);
}

/** Each file dropped on the window: imported by Go from the drop event's path, or refused. */
export function onCaptureDropped(listener: (result: DropResult) => void): () => void {
  return listenWhenReady<DropResult>(EVENT_CAPTURE_DROPPED, (r) => listener({ ...r, result: { ...r.result, warnings: r.result?.warnings ?? [] } }));
}
