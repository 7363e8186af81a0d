// The only importer of the generated Wails bindings (frontend/wailsjs). Components call these
// functions, never window.go directly, so a missing backend (plain `vite dev` in a browser) is
// one clear error here instead of a TypeError deep in a component.

import * as AppService from '../../../wailsjs/go/service/AppService';
import * as PingService from '../../../wailsjs/go/service/PingService';
import { EVENT_APP_READY, EVENT_ENGINE_STATUS, EVENT_PING_ENDED, type AppInfo } from './events';
import { pollFrames } from './frames';
import type { Ended, EngineInfo, EngineStatus, FilteredRowPage, Frame, PacketDetail, PingRequest, RowFilter, RowPage, RowRank, SessionInfo } from './types';

import { backendAvailable, call, listen } from './backend';

export { EVENT_APP_READY, EVENT_ENGINE_STATUS, EVENT_HISTORY_STATUS, EVENT_JOB_CANCELLED, EVENT_JOB_DONE, EVENT_JOB_FAILED, EVENT_JOB_PROGRESS, EVENT_PING_ENDED, EVENT_PING_FRAME, type AppInfo } from './events';
export type * from './types';
export { backendAvailable, BackendUnavailableError } from './backend';
export { sendCrafted, type LabSendRequest, type LabSendResult } from './lab';
export { saveChart, type ChartFormat } from './chart';
export { awaitJob, cancelJob, JobCancelledError, onJobEnd, onJobProgress, watchJobs, type JobEnd, type JobKind, type JobOutcome, type JobProgress, type JobStart } from './jobs';
export { deleteSession, exportSession, importCapture, listSessions, onCaptureDropped, onHistoryStatus, openSession, storageStatus } from './history';
export { awaitTrace, EVENT_TRACE_HOPS, onTraceHops, openTrace, startTrace, type TraceAnswer, type TraceHop, type TraceLive, type TraceRequest, type TraceView } from './trace';

/** Name and version of the running application, as the Go binary reports them. */
export function backendInfo(): Promise<AppInfo> {
  return call(() => AppService.Info());
}

/**
 * Calls listener with the AppInfo each time the backend says the page is ready (after a load
 * or a reload). Returns the function that stops listening; a no-op outside Echoscope.
 */
export function onAppReady(listener: (info: AppInfo) => void): () => void {
  return listen(EVENT_APP_READY, listener);
}

/** Which engine pings, why, and how to get a better one. */
export function engineInfo(): Promise<EngineInfo> {
  return call(() => PingService.Engine());
}

/** Starts a session; rejects with the backend's message (bad host, DNS failure, ...). */
export function startPing(request: PingRequest): Promise<SessionInfo> {
  return call(() => PingService.Start(request));
}

/** Ends a running session early; "ping:ended" follows. */
export function stopPing(sessionId: string): Promise<void> {
  return call(() => PingService.Stop(sessionId));
}

/** A page of a session's packet table, from the backend's store. */
export function pageRows(sessionId: string, offset: number, limit: number): Promise<RowPage> {
  return call(() => PingService.Rows(sessionId, offset, limit));
}

/** A page of the rows passing filter, from the offset-th of them, with the filter's, session's and foreign counts. */
export function pageFilteredRows(sessionId: string, filter: RowFilter, offset: number, limit: number): Promise<FilteredRowPage> {
  return call(() => PingService.FilteredRows(sessionId, filter, offset, limit) as Promise<FilteredRowPage>);
}

/** Where row n stands among the rows passing filter: its rank, and whether it passes. */
export function rowRank(sessionId: string, filter: RowFilter, n: number): Promise<RowRank> {
  return call(() => PingService.RowRank(sessionId, filter, n) as Promise<RowRank>);
}

/** Everything the packet inspector shows about one row. */
export function packetDetail(sessionId: string, row: number): Promise<PacketDetail> {
  return call(() => PingService.Packet(sessionId, row));
}

/** Targets of recent sessions, newest first. */
export function recentTargets(): Promise<string[]> {
  return call(() => PingService.RecentTargets());
}

/** Frames of running sessions (fetched from the backend's frame feed, see frames.ts). */
export function onPingFrame(listener: (frame: Frame) => void): () => void {
  if (!backendAvailable()) return () => {};
  return pollFrames(listener);
}

/** Ends of sessions. */
export function onPingEnded(listener: (ended: Ended) => void): () => void {
  return listen(EVENT_PING_ENDED, listener);
}

/** Helper deaths and restarts. */
export function onEngineStatus(listener: (status: EngineStatus) => void): () => void {
  return listen(EVENT_ENGINE_STATUS, listener);
}
