export namespace service {
	
	export interface AnswerRef {
	    row: number;
	    kind: string;
	    class: string;
	    rttMs?: number;
	}
	export interface AppInfo {
	    name: string;
	    version: string;
	}
	export interface ChartPoint {
	    t: number;
	    rttMs?: number;
	    mark: string;
	    index: number;
	    seq: number;
	    row: number;
	}
	export interface EngineInfo {
	    kind: string;
	    label: string;
	    reason: string;
	    best: boolean;
	    upgrade: string;
	    tried: string[];
	    error: string;
	}
	export interface ExportResult {
	    cancelled: boolean;
	    path: string;
	    format: string;
	    packets: number;
	    bytes: number;
	}
	export interface Row {
	    n: number;
	    kind: string;
	    time: string;
	    type: string;
	    code: number;
	    index: number;
	    seq: number;
	    id: number;
	    bytes: number;
	    ttl: number;
	    rttMs?: number;
	    class: string;
	    from: string;
	    note: string;
	}
	export interface FilteredRowPage {
	    sessionId: string;
	    filter: string;
	    offset: number;
	    filterRows: number;
	    sessionRows: number;
	    foreignRows: number;
	    rows: Row[];
	}
	export interface JobStart {
	    jobId: string;
	    kind: string;
	    cancelled: boolean;
	}
	export interface LabSendRequest {
	    target: string;
	    family: number;
	    hex: string;
	    timeoutMs: number;
	}
	export interface PacketDetail {
	    sessionId: string;
	    row: number;
	    kind: string;
	    class: string;
	    rule: string;
	    note: string;
	    index: number;
	    seq: number;
	    id: number;
	    engine: string;
	    socket: string;
	    target: string;
	    from: string;
	    to: string;
	    ttl: number;
	    size: number;
	    requestHex: string;
	    replyHex: string;
	    replyIncludesIpHeader: boolean;
	    family: number;
	    sentAt: string;
	    sentClock: string;
	    receivedAt: string;
	    receivedClock: string;
	    rttMs?: number;
	    rttClocks: string;
	    identifierRewritten: boolean;
	    kernelIdentifier: number;
	    timeoutMs: number;
	    answeredBefore: number[];
	    answers: AnswerRef[];
	    requestRow: number;
	    imported: boolean;
	    captureFile: string;
	}
	export interface LabSendResult {
	    target: string;
	    addr: string;
	    sent: string;
	    reply: string;
	    rttMillis: number;
	    timedOut: boolean;
	    kernelChecksum: boolean;
	    engine: string;
	    detail: PacketDetail;
	}
	export interface PingRequest {
	    target: string;
	    count: number;
	    intervalMs: number;
	    timeoutMs: number;
	    size: number;
	    sizeSet: boolean;
	    pattern: string;
	    ttl: number;
	    dontFragment: boolean;
	    family: number;
	    source: string;
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
	    endedAt: string;
	    imported: boolean;
	    importedFrom: string;
	    request: PingRequest;
	}
	export interface MonitorInfo {
	    id: string;
	    engine: string;
	    startedAt: string;
	    endedAt: string;
	    targets: SessionInfo[];
	    running: boolean;
	    unattributed: number;
	}
	export interface MonitorRequest {
	    targets: string[];
	    options: PingRequest;
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
	    sendsLate: number;
	    sendLateMaxMs: number;
	    eventsDropped: number;
	    statsCoalesced: number;
	}
	export interface SessionView {
	    info: SessionInfo;
	    stats?: StatsView;
	    totalRows: number;
	    storedRows: number;
	    points: ChartPoint[];
	    skippedPoints: number;
	    running: boolean;
	}
	export interface MonitorView {
	    info: MonitorInfo;
	    targets: SessionView[];
	}
	
	export interface PageSettings {
	    target: string;
	    options: settings.Options;
	    split: settings.Split;
	}
	
	
	export interface RowPage {
	    sessionId: string;
	    offset: number;
	    totalRows: number;
	    rows: Row[];
	}
	export interface RowRank {
	    sessionId: string;
	    filter: string;
	    row: number;
	    rank: number;
	    passes: boolean;
	}
	
	export interface SessionSummary {
	    id: string;
	    target: string;
	    addr: string;
	    engine: string;
	    startedAt: string;
	    endedAt: string;
	    durationMs: number;
	    sent: number;
	    received: number;
	    lossPercent: number;
	    medianMs?: number;
	    packets: number;
	    running: boolean;
	    imported: boolean;
	    importedFrom: string;
	    interrupted: boolean;
	    monitorId: string;
	    kind: string;
	    traceId: string;
	    traceHops: number;
	}
	
	export interface SettingsView {
	    settings: settings.Settings;
	    notice: string;
	}
	
	export interface StorageStatus {
	    ok: boolean;
	    path: string;
	    inMemory: boolean;
	    error: string;
	}
	export interface TraceRequest {
	    target: string;
	    rounds: number;
	    intervalMs: number;
	    maxHops: number;
	    timeoutMs: number;
	    reverseDns: boolean;
	}

}

export namespace settings {
	
	export interface Options {
	    count: number;
	    intervalMs: number;
	    timeoutMs: number;
	    size: number;
	    pattern: string;
	    ttl: number;
	    dontFragment: boolean;
	    family: number;
	    source: string;
	}
	export interface Split {
	    rowFraction: number;
	    columnFraction: number;
	}
	export interface Window {
	    width: number;
	    height: number;
	    x: number;
	    y: number;
	    placed: boolean;
	}
	export interface Settings {
	    target: string;
	    options: Options;
	    window: Window;
	    split: Split;
	}
	

}

export namespace wire {
	
	export interface ChecksumFold {
	    before: number;
	    carry: number;
	    after: number;
	}
	export interface ChecksumStep {
	    offset: number;
	    word: number;
	    sum: number;
	    note?: string;
	}
	export interface ChecksumTrace {
	    steps: ChecksumStep[];
	    folds: ChecksumFold[];
	    sum: number;
	    result: number;
	}
	export interface ChecksumReport {
	    layer: string;
	    fieldOffset: number;
	    start: number;
	    end: number;
	    pseudoHeader: boolean;
	    received: number;
	    computed: number;
	    correct: boolean;
	    verifiable: boolean;
	    kernelFilled: boolean;
	    receiverSum: number;
	    trace: ChecksumTrace;
	}
	
	
	export interface Field {
	    layer: string;
	    name: string;
	    offset: number;
	    length: number;
	    bitOffset?: number;
	    bitLength?: number;
	    value: string;
	    meaning: string;
	    depth?: number;
	}
	export interface Report {
	    summary: string;
	    length: number;
	    hex: string;
	    layers: string[];
	    fields: Field[];
	    checksums: ChecksumReport[];
	    warnings: string[];
	    error?: string;
	    input?: string;
	}

}

