// History calls of the bound PingService (the list, reopen, delete, export, import, storage
// status) and the "history:status" event. Part of the api module: the only importer of the
// generated bindings.

import * as PingService from '../../../wailsjs/go/service/PingService';
import type { service } from '../../../wailsjs/go/models';
import { EVENT_CAPTURE_DROPPED, EVENT_HISTORY_STATUS } from './events';
import { call, listen, listenWhenReady } from './backend';
import { awaitJob, type JobStart, watchJobs } from './jobs';
import type { DropResult, ExportFormat, ExportResult, ImportResult, SessionSummary, SessionView, StorageStatus } from './types';

/** Sessions, newest first, whose target, address or imported file name contains query ('' = all). */
export function listSessions(query: string, limit = 0): Promise<SessionSummary[]> {
  // Go marshals an empty (nil) list as null.
  return call<service.SessionSummary[], SessionSummary[] | null>(() => PingService.Sessions(query, limit)).then((list) => list ?? []);
}

/** Starts a job through start and waits for its result (see jobs.ts). */
async function runJob<T>(start: () => Promise<service.JobStart>): Promise<{ start: JobStart; result: T | null }> {
  watchJobs();
  const started: JobStart = await call(start);
  if (started.cancelled) return { start: started, result: null };
  return { start: started, result: await awaitJob<T>(started) };
}

/** Deletes a stored session (a job); rejects for a running one ("stop it first"), or with JobCancelledError. */
export async function deleteSession(sessionId: string): Promise<void> {
  await runJob<null>(() => PingService.DeleteSession(sessionId));
}

/** A stored session as the Ping view shows it: info, stats, row count, the whole chart (a job). */
export async function openSession(sessionId: string): Promise<SessionView> {
  const { result } = await runJob<SessionView>(() => PingService.OpenSession(sessionId));
  const v = result as SessionView;
  // Go marshals a nil slice as null and a nil stats pointer as null.
  return { ...v, stats: v.stats ?? null, points: v.points ?? [] };
}

/** Asks where to save (native dialog) and writes the session as a job; a cancelled dialog resolves with cancelled: true, Cancel on the job rejects with JobCancelledError. */
export async function exportSession(sessionId: string, format: ExportFormat): Promise<ExportResult> {
  const { result } = await runJob<ExportResult>(() => PingService.ExportSession(sessionId, format));
  return result ?? { cancelled: true, path: '', format, packets: 0, bytes: 0 };
}

/** Asks for a pcap/pcapng file (native dialog) and imports its ICMP echo traffic as a session (a job). */
export async function importCapture(): Promise<ImportResult> {
  const { result } = await runJob<ImportResult>(() => PingService.ImportCapture());
  if (result === null) return { cancelled: true, sessionId: '', path: '', packets: 0, target: '', skipped: 0, warnings: [] };
  return { ...result, warnings: result.warnings ?? [] };
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
