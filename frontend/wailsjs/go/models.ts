export namespace service {
	
	export class AnswerRef {
	    row: number;
	    kind: string;
	    class: string;
	    rttMs?: number;
	
	    static createFrom(source: any = {}) {
	        return new AnswerRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.row = source["row"];
	        this.kind = source["kind"];
	        this.class = source["class"];
	        this.rttMs = source["rttMs"];
	    }
	}
	export class AppInfo {
	    name: string;
	    version: string;
	
	    static createFrom(source: any = {}) {
	        return new AppInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.version = source["version"];
	    }
	}
	export class ChartPoint {
	    t: number;
	    rttMs?: number;
	    mark: string;
	    index: number;
	    seq: number;
	    row: number;
	
	    static createFrom(source: any = {}) {
	        return new ChartPoint(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.t = source["t"];
	        this.rttMs = source["rttMs"];
	        this.mark = source["mark"];
	        this.index = source["index"];
	        this.seq = source["seq"];
	        this.row = source["row"];
	    }
	}
	export class EngineInfo {
	    kind: string;
	    label: string;
	    reason: string;
	    best: boolean;
	    upgrade: string;
	    tried: string[];
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new EngineInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.label = source["label"];
	        this.reason = source["reason"];
	        this.best = source["best"];
	        this.upgrade = source["upgrade"];
	        this.tried = source["tried"];
	        this.error = source["error"];
	    }
	}
	export class ExportResult {
	    cancelled: boolean;
	    path: string;
	    format: string;
	    packets: number;
	    bytes: number;
	
	    static createFrom(source: any = {}) {
	        return new ExportResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.cancelled = source["cancelled"];
	        this.path = source["path"];
	        this.format = source["format"];
	        this.packets = source["packets"];
	        this.bytes = source["bytes"];
	    }
	}
	export class JobStart {
	    jobId: string;
	    kind: string;
	    cancelled: boolean;
	
	    static createFrom(source: any = {}) {
	        return new JobStart(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.jobId = source["jobId"];
	        this.kind = source["kind"];
	        this.cancelled = source["cancelled"];
	    }
	}
	export class LabSendRequest {
	    target: string;
	    family: number;
	    hex: string;
	    timeoutMs: number;
	
	    static createFrom(source: any = {}) {
	        return new LabSendRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.target = source["target"];
	        this.family = source["family"];
	        this.hex = source["hex"];
	        this.timeoutMs = source["timeoutMs"];
	    }
	}
	export class PacketDetail {
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
	
	    static createFrom(source: any = {}) {
	        return new PacketDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sessionId = source["sessionId"];
	        this.row = source["row"];
	        this.kind = source["kind"];
	        this.class = source["class"];
	        this.rule = source["rule"];
	        this.note = source["note"];
	        this.index = source["index"];
	        this.seq = source["seq"];
	        this.id = source["id"];
	        this.engine = source["engine"];
	        this.socket = source["socket"];
	        this.target = source["target"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.ttl = source["ttl"];
	        this.size = source["size"];
	        this.requestHex = source["requestHex"];
	        this.replyHex = source["replyHex"];
	        this.replyIncludesIpHeader = source["replyIncludesIpHeader"];
	        this.family = source["family"];
	        this.sentAt = source["sentAt"];
	        this.sentClock = source["sentClock"];
	        this.receivedAt = source["receivedAt"];
	        this.receivedClock = source["receivedClock"];
	        this.rttMs = source["rttMs"];
	        this.rttClocks = source["rttClocks"];
	        this.identifierRewritten = source["identifierRewritten"];
	        this.kernelIdentifier = source["kernelIdentifier"];
	        this.timeoutMs = source["timeoutMs"];
	        this.answeredBefore = source["answeredBefore"];
	        this.answers = this.convertValues(source["answers"], AnswerRef);
	        this.requestRow = source["requestRow"];
	        this.imported = source["imported"];
	        this.captureFile = source["captureFile"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LabSendResult {
	    target: string;
	    addr: string;
	    sent: string;
	    reply: string;
	    rttMillis: number;
	    timedOut: boolean;
	    kernelChecksum: boolean;
	    engine: string;
	    detail: PacketDetail;
	
	    static createFrom(source: any = {}) {
	        return new LabSendResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.target = source["target"];
	        this.addr = source["addr"];
	        this.sent = source["sent"];
	        this.reply = source["reply"];
	        this.rttMillis = source["rttMillis"];
	        this.timedOut = source["timedOut"];
	        this.kernelChecksum = source["kernelChecksum"];
	        this.engine = source["engine"];
	        this.detail = this.convertValues(source["detail"], PacketDetail);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SessionInfo {
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
	
	    static createFrom(source: any = {}) {
	        return new SessionInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.target = source["target"];
	        this.addr = source["addr"];
	        this.family = source["family"];
	        this.engine = source["engine"];
	        this.socket = source["socket"];
	        this.intervalMs = source["intervalMs"];
	        this.timeoutMs = source["timeoutMs"];
	        this.count = source["count"];
	        this.payloadSize = source["payloadSize"];
	        this.startedAt = source["startedAt"];
	        this.endedAt = source["endedAt"];
	        this.imported = source["imported"];
	        this.importedFrom = source["importedFrom"];
	    }
	}
	export class MonitorInfo {
	    id: string;
	    engine: string;
	    startedAt: string;
	    endedAt: string;
	    targets: SessionInfo[];
	    running: boolean;
	    unattributed: number;
	
	    static createFrom(source: any = {}) {
	        return new MonitorInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.engine = source["engine"];
	        this.startedAt = source["startedAt"];
	        this.endedAt = source["endedAt"];
	        this.targets = this.convertValues(source["targets"], SessionInfo);
	        this.running = source["running"];
	        this.unattributed = source["unattributed"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PingRequest {
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
	
	    static createFrom(source: any = {}) {
	        return new PingRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.target = source["target"];
	        this.count = source["count"];
	        this.intervalMs = source["intervalMs"];
	        this.timeoutMs = source["timeoutMs"];
	        this.size = source["size"];
	        this.sizeSet = source["sizeSet"];
	        this.pattern = source["pattern"];
	        this.ttl = source["ttl"];
	        this.dontFragment = source["dontFragment"];
	        this.family = source["family"];
	        this.source = source["source"];
	    }
	}
	export class MonitorRequest {
	    targets: string[];
	    options: PingRequest;
	
	    static createFrom(source: any = {}) {
	        return new MonitorRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.targets = source["targets"];
	        this.options = this.convertValues(source["options"], PingRequest);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class StatsView {
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
	
	    static createFrom(source: any = {}) {
	        return new StatsView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sent = source["sent"];
	        this.received = source["received"];
	        this.lost = source["lost"];
	        this.outstanding = source["outstanding"];
	        this.duplicates = source["duplicates"];
	        this.outOfOrder = source["outOfOrder"];
	        this.late = source["late"];
	        this.corrupt = source["corrupt"];
	        this.foreign = source["foreign"];
	        this.errors = source["errors"];
	        this.lossPercent = source["lossPercent"];
	        this.windowLossPercent = source["windowLossPercent"];
	        this.minMs = source["minMs"];
	        this.avgMs = source["avgMs"];
	        this.maxMs = source["maxMs"];
	        this.mdevMs = source["mdevMs"];
	        this.p50Ms = source["p50Ms"];
	        this.p90Ms = source["p90Ms"];
	        this.p99Ms = source["p99Ms"];
	        this.jitterMs = source["jitterMs"];
	        this.elapsedMs = source["elapsedMs"];
	        this.sendsLate = source["sendsLate"];
	        this.sendLateMaxMs = source["sendLateMaxMs"];
	        this.eventsDropped = source["eventsDropped"];
	        this.statsCoalesced = source["statsCoalesced"];
	    }
	}
	export class SessionView {
	    info: SessionInfo;
	    stats?: StatsView;
	    totalRows: number;
	    points: ChartPoint[];
	    skippedPoints: number;
	    running: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SessionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.info = this.convertValues(source["info"], SessionInfo);
	        this.stats = this.convertValues(source["stats"], StatsView);
	        this.totalRows = source["totalRows"];
	        this.points = this.convertValues(source["points"], ChartPoint);
	        this.skippedPoints = source["skippedPoints"];
	        this.running = source["running"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MonitorView {
	    info: MonitorInfo;
	    targets: SessionView[];
	
	    static createFrom(source: any = {}) {
	        return new MonitorView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.info = this.convertValues(source["info"], MonitorInfo);
	        this.targets = this.convertValues(source["targets"], SessionView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class PageSettings {
	    target: string;
	    options: settings.Options;
	    split: settings.Split;
	
	    static createFrom(source: any = {}) {
	        return new PageSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.target = source["target"];
	        this.options = this.convertValues(source["options"], settings.Options);
	        this.split = this.convertValues(source["split"], settings.Split);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Row {
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
	
	    static createFrom(source: any = {}) {
	        return new Row(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.n = source["n"];
	        this.kind = source["kind"];
	        this.time = source["time"];
	        this.type = source["type"];
	        this.code = source["code"];
	        this.index = source["index"];
	        this.seq = source["seq"];
	        this.id = source["id"];
	        this.bytes = source["bytes"];
	        this.ttl = source["ttl"];
	        this.rttMs = source["rttMs"];
	        this.class = source["class"];
	        this.from = source["from"];
	        this.note = source["note"];
	    }
	}
	export class RowPage {
	    sessionId: string;
	    offset: number;
	    totalRows: number;
	    rows: Row[];
	
	    static createFrom(source: any = {}) {
	        return new RowPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sessionId = source["sessionId"];
	        this.offset = source["offset"];
	        this.totalRows = source["totalRows"];
	        this.rows = this.convertValues(source["rows"], Row);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class SessionSummary {
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
	
	    static createFrom(source: any = {}) {
	        return new SessionSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.target = source["target"];
	        this.addr = source["addr"];
	        this.engine = source["engine"];
	        this.startedAt = source["startedAt"];
	        this.endedAt = source["endedAt"];
	        this.durationMs = source["durationMs"];
	        this.sent = source["sent"];
	        this.received = source["received"];
	        this.lossPercent = source["lossPercent"];
	        this.medianMs = source["medianMs"];
	        this.packets = source["packets"];
	        this.running = source["running"];
	        this.imported = source["imported"];
	        this.importedFrom = source["importedFrom"];
	        this.interrupted = source["interrupted"];
	        this.monitorId = source["monitorId"];
	    }
	}
	
	export class SettingsView {
	    settings: settings.Settings;
	    notice: string;
	
	    static createFrom(source: any = {}) {
	        return new SettingsView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.settings = this.convertValues(source["settings"], settings.Settings);
	        this.notice = source["notice"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class StorageStatus {
	    ok: boolean;
	    path: string;
	    inMemory: boolean;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new StorageStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.path = source["path"];
	        this.inMemory = source["inMemory"];
	        this.error = source["error"];
	    }
	}

}

export namespace settings {
	
	export class Options {
	    count: number;
	    intervalMs: number;
	    timeoutMs: number;
	    size: number;
	    pattern: string;
	    ttl: number;
	    dontFragment: boolean;
	    family: number;
	    source: string;
	
	    static createFrom(source: any = {}) {
	        return new Options(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.count = source["count"];
	        this.intervalMs = source["intervalMs"];
	        this.timeoutMs = source["timeoutMs"];
	        this.size = source["size"];
	        this.pattern = source["pattern"];
	        this.ttl = source["ttl"];
	        this.dontFragment = source["dontFragment"];
	        this.family = source["family"];
	        this.source = source["source"];
	    }
	}
	export class Split {
	    rowFraction: number;
	    columnFraction: number;
	
	    static createFrom(source: any = {}) {
	        return new Split(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rowFraction = source["rowFraction"];
	        this.columnFraction = source["columnFraction"];
	    }
	}
	export class Window {
	    width: number;
	    height: number;
	    x: number;
	    y: number;
	    placed: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Window(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.width = source["width"];
	        this.height = source["height"];
	        this.x = source["x"];
	        this.y = source["y"];
	        this.placed = source["placed"];
	    }
	}
	export class Settings {
	    target: string;
	    options: Options;
	    window: Window;
	    split: Split;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.target = source["target"];
	        this.options = this.convertValues(source["options"], Options);
	        this.window = this.convertValues(source["window"], Window);
	        this.split = this.convertValues(source["split"], Split);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	

}

export namespace wire {
	
	export class ChecksumFold {
	    before: number;
	    carry: number;
	    after: number;
	
	    static createFrom(source: any = {}) {
	        return new ChecksumFold(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.before = source["before"];
	        this.carry = source["carry"];
	        this.after = source["after"];
	    }
	}
	export class ChecksumStep {
	    offset: number;
	    word: number;
	    sum: number;
	    note?: string;
	
	    static createFrom(source: any = {}) {
	        return new ChecksumStep(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.offset = source["offset"];
	        this.word = source["word"];
	        this.sum = source["sum"];
	        this.note = source["note"];
	    }
	}
	export class ChecksumTrace {
	    steps: ChecksumStep[];
	    folds: ChecksumFold[];
	    sum: number;
	    result: number;
	
	    static createFrom(source: any = {}) {
	        return new ChecksumTrace(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.steps = this.convertValues(source["steps"], ChecksumStep);
	        this.folds = this.convertValues(source["folds"], ChecksumFold);
	        this.sum = source["sum"];
	        this.result = source["result"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ChecksumReport {
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
	
	    static createFrom(source: any = {}) {
	        return new ChecksumReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.layer = source["layer"];
	        this.fieldOffset = source["fieldOffset"];
	        this.start = source["start"];
	        this.end = source["end"];
	        this.pseudoHeader = source["pseudoHeader"];
	        this.received = source["received"];
	        this.computed = source["computed"];
	        this.correct = source["correct"];
	        this.verifiable = source["verifiable"];
	        this.kernelFilled = source["kernelFilled"];
	        this.receiverSum = source["receiverSum"];
	        this.trace = this.convertValues(source["trace"], ChecksumTrace);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class Field {
	    layer: string;
	    name: string;
	    offset: number;
	    length: number;
	    bitOffset?: number;
	    bitLength?: number;
	    value: string;
	    meaning: string;
	    depth?: number;
	
	    static createFrom(source: any = {}) {
	        return new Field(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.layer = source["layer"];
	        this.name = source["name"];
	        this.offset = source["offset"];
	        this.length = source["length"];
	        this.bitOffset = source["bitOffset"];
	        this.bitLength = source["bitLength"];
	        this.value = source["value"];
	        this.meaning = source["meaning"];
	        this.depth = source["depth"];
	    }
	}
	export class Report {
	    summary: string;
	    length: number;
	    hex: string;
	    layers: string[];
	    fields: Field[];
	    checksums: ChecksumReport[];
	    warnings: string[];
	    error?: string;
	    input?: string;
	
	    static createFrom(source: any = {}) {
	        return new Report(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.summary = source["summary"];
	        this.length = source["length"];
	        this.hex = source["hex"];
	        this.layers = source["layers"];
	        this.fields = this.convertValues(source["fields"], Field);
	        this.checksums = this.convertValues(source["checksums"], ChecksumReport);
	        this.warnings = source["warnings"];
	        this.error = source["error"];
	        this.input = source["input"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

