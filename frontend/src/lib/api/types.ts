// Payloads of the PingService (backend/service/ping_types.go), mirrored by hand so components
// import plain interfaces instead of the generated classes. Change both together.

export interface PingRequest {
  target: string;
  count: number;
  intervalMs: number;
  timeoutMs: number;
  size: number;
  sizeSet: boolean;
  /** Hex, up to 16 bytes. */
  pattern: string;
  ttl: number;
  dontFragment: boolean;
  /** 0 automatic, 4 or 6. */
  family: 0 | 4 | 6;
  source: string;
}

export interface EngineInfo {
  kind: '' | 'agent-raw' | 'in-process-raw' | 'datagram' | 'windows-api';
  label: string;
  reason: string;
  /** True when no better engine exists (raw sockets). */
  best: boolean;
  /** Exactly how to get a better engine; "" when best. */
  upgrade: string;
  tried: string[];
  /** Set when no engine works at all. */
  error: string;
}

export interface SessionInfo {
  id: string;
  target: string;
  addr: string;
  family: number;
  engine: string;
  socket: string;
  intervalMs: number;
  timeoutMs: number;
  count: number;
  payloadSize: number;
  startedAt: string;
  /** '' while running, or when the app stopped during the session. */
  endedAt: string;
  imported: boolean;
  /** File name (base) of an imported capture; '' otherwise. */
  importedFrom: string;
}

export type RowKind = 'send' | 'reply' | 'icmp-error' | 'loss';

export type PacketClass = '' | 'on-time' | 'out-of-order' | 'late' | 'duplicate' | 'foreign' | 'corrupt' | 'icmp-error';

/** One line of the packet table. */
export interface Row {
  /** 0-based position in the session. */
  n: number;
  kind: RowKind;
  time: string;
  type: string;
  code: number;
  index: number;
  seq: number;
  id: number;
  bytes: number;
  /** -1 unknown or not applicable (sends, losses). */
  ttl: number;
  rttMs: number | null;
  class: PacketClass;
  from: string;
  note: string;
}

export interface StatsView {
  sent: number;
  received: number;
  lost: number;
  outstanding: number;
  duplicates: number;
  outOfOrder: number;
  late: number;
  corrupt: number;
  foreign: number;
  errors: number;
  lossPercent: number;
  windowLossPercent: number;
  minMs: number;
  avgMs: number;
  maxMs: number;
  mdevMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  jitterMs: number;
  elapsedMs: number;
  /** Requests sent later than their slot by more than the engine's slip threshold. */
  sendsLate: number;
  sendLateMaxMs: number;
  /** Packet events the engine's queue dropped, and statistics replaced, while its consumer lagged. */
  eventsDropped: number;
  statsCoalesced: number;
}

export type ChartMark = 'reply' | 'lost' | 'duplicate' | 'late' | 'icmp-error';

export interface ChartPoint {
  /** Milliseconds since the session's first request. */
  t: number;
  /** null for losses and ICMP errors. */
  rttMs: number | null;
  mark: ChartMark;
  index: number;
  /** The request's sequence number. */
  seq: number;
  /** The table row the point stands for (a click selects it); -1 when the store refused it. */
  row: number;
}

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

export interface RowPage {
  sessionId: string;
  offset: number;
  totalRows: number;
  rows: Row[];
}

/** Everything the packet inspector shows about one row (the contract with the inspector). */
export interface PacketDetail {
  sessionId: string;
  /** Row number in the session's packet table (0-based). */
  row: number;
  kind: RowKind;
  class: PacketClass;
  /** probe.MatchRule text, e.g. "id+seq+token", "seq+token (identifier rewritten by kernel)", "none". */
  rule: string;
  /** probe Event.Note: "bad checksum 0x1234, want 0x1235", "different address 198.18.0.9", ... */
  note: string;
  /** Request number in the session (1-based), 0 if matched none. */
  index: number;
  seq: number;
  id: number;
  /** "agent-raw" | "in-process-raw" | "datagram" | "windows-api" | "imported". */
  engine: string;
  /** probe.SocketKind used ("raw" / "datagram" / ...). */
  socket: string;
  /** The address pinged. */
  target: string;
  from: string;
  to: string;
  /** Received TTL / hop limit, -1 unknown. */
  ttl: number;
  /** ICMP message length. */
  size: number;
  /** The request as sent (ICMP header on, no IP header); "" if none (foreign). */
  requestHex: string;
  /** The received message as the socket gave it; "" for send/loss rows. */
  replyHex: string;
  /** replyHex starts with the IPv4 header (raw IPv4 receive). */
  replyIncludesIpHeader: boolean;
  family: 4 | 6;
  sentAt: string;
  sentClock: string;
  receivedAt: string;
  receivedClock: string;
  rttMs: number | null;
  rttClocks: string;
  identifierRewritten: boolean;
  kernelIdentifier: number;
  timeoutMs: number;
  answeredBefore: number[];
  /** Send and loss rows: the rows that answered this request (duplicates and late ones too); empty when none came. */
  answers: AnswerRef[];
  /** Replies and ICMP errors: the row of the request answered, -1 when none. */
  requestRow: number;
  /** The row comes from an imported capture, captureFile its base name. */
  imported: boolean;
  captureFile: string;
}

/** A row that answered a request (PacketDetail.answers). */
export interface AnswerRef {
  row: number;
  kind: RowKind;
  class: PacketClass;
  rttMs: number | null;
}

// History (issue 5): the contract in /tmp/history_contract.md, Go in backend/service.

/** One line of the History list. */
export interface SessionSummary {
  id: string;
  target: string;
  addr: string;
  engine: string;
  /** RFC 3339 with nanoseconds. */
  startedAt: string;
  /** '' while running or when the app died during the session. */
  endedAt: string;
  /** 0 when unknown. */
  durationMs: number;
  sent: number;
  received: number;
  lossPercent: number;
  /** p50 RTT; null when no reply came. */
  medianMs: number | null;
  /** Stored rows. */
  packets: number;
  running: boolean;
  imported: boolean;
  /** File name (base) of an imported capture. */
  importedFrom: string;
  /** No end stored and not running: the app stopped mid-session. */
  interrupted: boolean;
  /** The monitor this session is a target of; '' (or absent, in older fixtures) for a session of its own. */
  monitorId?: string;
}

/** Everything the Ping view needs to show a stored session as it showed it live. */
export interface SessionView {
  info: SessionInfo;
  stats: StatsView | null;
  totalRows: number;
  /** The whole session's chart, decimated to at most 6000 points (markers kept first). */
  points: ChartPoint[];
  skippedPoints: number;
  running: boolean;
}

export type ExportFormat = 'pcapng' | 'csv' | 'json';

export interface ExportResult {
  /** The save dialog was cancelled: nothing was written, nothing to say. */
  cancelled: boolean;
  path: string;
  format: string;
  packets: number;
  bytes: number;
}

export interface ImportResult {
  cancelled: boolean;
  sessionId: string;
  path: string;
  packets: number;
  target: string;
  skipped: number;
  warnings: string[];
}

/** Whether history reaches the disk ("history:status" carries it when it changes). */
export interface StorageStatus {
  ok: boolean;
  /** The database file. */
  path: string;
  /** The disk store could not be used: this run's sessions live in memory. */
  inMemory: boolean;
  /** '' when ok; else the message for people. */
  error: string;
}

/** What became of a file dropped on the window ("history:dropped"): imported, or why not. */
export interface DropResult {
  /** The file's base name. */
  name: string;
  result: ImportResult;
  /** '' when imported. */
  error: string;
}
