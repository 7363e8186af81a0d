// The PingService's types as the page uses them. Bound methods' parameters and results are
// the interfaces Wails generates from the Go structs (wailsjs/go/models.ts, `make bindings`),
// narrowed with Refine where the page knows more than Go's types say (a row's kind is one of
// four words; a nil pointer arrives as null). Event and job payloads never cross a bound
// method, so Wails cannot see them: they are kept by hand below, and
// backend/service/ts_types_test.go fails when one stops matching its Go struct.

import type { service } from '../../../wailsjs/go/models';
import type { Refine } from './refine';

/** A ping form as Start takes it (Go service.PingRequest). */
export type PingRequest = Refine<service.PingRequest, {
  /** 0 automatic, 4 or 6. */
  family: 0 | 4 | 6;
}>;

export type EngineKind = '' | 'agent-raw' | 'in-process-raw' | 'datagram' | 'windows-api';

/** Which engine pings, why, and how to get a better one (Go service.EngineInfo). */
export type EngineInfo = Refine<service.EngineInfo, { kind: EngineKind }>;

/** A started or reopened session (Go service.SessionInfo); request is every option it ran with. */
export type SessionInfo = Refine<service.SessionInfo, { request: PingRequest }>;

export type RowKind = 'send' | 'reply' | 'icmp-error' | 'loss';

export type PacketClass = '' | 'on-time' | 'out-of-order' | 'late' | 'duplicate' | 'foreign' | 'corrupt' | 'icmp-error';

/** One line of the packet table (Go service.Row). */
export type Row = Refine<service.Row, {
  kind: RowKind;
  class: PacketClass;
  /** null for sends, losses and unmatched messages. */
  rttMs: number | null;
}>;

/** A page of rows from Rows (Go service.RowPage). */
export type RowPage = Refine<service.RowPage, { rows: Row[] }>;

/** The packet table's filters (Go history.RowFilter): 'ours' is every row but foreign ICMP. */
export type RowFilter = 'all' | 'ours' | 'requests' | 'replies' | 'problems' | 'foreign';

/** A page of the rows passing a filter (Go service.FilteredRowPage): offset is a rank among them, each row keeps its real n. */
export type FilteredRowPage = Refine<service.FilteredRowPage, { filter: RowFilter; rows: Row[] }>;

/** Where one row stands among a filter's rows (Go service.RowRank): rank rows of the filter come before it. */
export type RowRank = Refine<service.RowRank, { filter: RowFilter }>;

/** A row that answered a request (PacketDetail.answers; Go service.AnswerRef). */
export type AnswerRef = Refine<service.AnswerRef, { kind: RowKind; class: PacketClass; rttMs: number | null }>;

/** Everything the packet inspector shows about one row (Go service.PacketDetail). */
export type PacketDetail = Refine<service.PacketDetail, {
  kind: RowKind;
  class: PacketClass;
  family: 4 | 6;
  rttMs: number | null;
  /** Send and loss rows: the rows that answered this request; empty when none came. */
  answers: AnswerRef[];
}>;

/** One line of the History list (Go service.SessionSummary). */
export type SessionSummary = Refine<service.SessionSummary, {
  /** p50 RTT; null when no reply came. */
  medianMs: number | null;
  /** 'trace': the packets of a Path view trace (traceId opens it, traceHops its hops). */
  kind: 'ping' | 'trace';
}>;

/** Where an export went (Go service.ExportResult); cancelled when the dialog was. */
export type ExportResult = service.ExportResult;

/** Whether history reaches the disk (Go service.StorageStatus; "history:status" carries it). */
export type StorageStatus = service.StorageStatus;

export type ExportFormat = 'pcapng' | 'csv' | 'json';

/** A session's statistics (Go service.StatsView): the engine's probe.Stats, in the page's units. */
export type StatsView = service.StatsView;

export type ChartMark = 'reply' | 'lost' | 'duplicate' | 'late' | 'icmp-error';

/** One chart point (Go service.ChartPoint): t in ms since the session's first request; rttMs
 *  null for losses and ICMP errors; row the table row it stands for (-1: the store refused it). */
export type ChartPoint = Refine<service.ChartPoint, { rttMs: number | null; mark: ChartMark }>;

/** A session reopened (Go service.SessionView): storedRows below totalRows when the store
 *  refused some (listed by position then); points decimated to at most 6000, markers first. */
export type SessionView = Refine<service.SessionView, { info: SessionInfo; stats: StatsView | null; points: ChartPoint[] }>;

// Kept by hand: payloads of events and jobs (Go structs of the same names in backend/service).




/** One batch of a running session ("ping:frame"). */
export interface Frame {
  sessionId: string;
  seq: number;
  totalRows: number;
  /** The newest rows of the interval (at most 200); older ones are paged with rows(). */
  rows: Row[];
  skippedRows: number;
  points: ChartPoint[];
  skippedPoints: number;
  stats: StatsView | null;
  backlog: number;
  droppedEvents: number;
  /** When the frame left the backend (Unix ms): the page measures delivery lag with it. */
  emittedAtMs: number;
  /** '' normally; the store's message while it refuses writes (pinging goes on). */
  storageError: string;
}

/** "ping:ended". */
export interface Ended {
  sessionId: string;
  totalRows: number;
  stats: StatsView | null;
  reason: 'done' | 'stopped' | 'failed';
  error: string;
}

/** "engine:status". */
export interface EngineStatus {
  state: 'died' | 'restarted' | 'failed';
  message: string;
  engine: EngineInfo;
}

/** Everything the Ping view needs to show a stored session as it showed it live. */

export interface ImportResult {
  cancelled: boolean;
  sessionId: string;
  path: string;
  packets: number;
  target: string;
  skipped: number;
  warnings: string[];
}

/** What became of a file dropped on the window ("history:dropped"): imported, or why not. */
export interface DropResult {
  /** The file's base name. */
  name: string;
  result: ImportResult;
  /** '' when imported. */
  error: string;
}
