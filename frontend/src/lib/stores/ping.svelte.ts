// State of the ping view: the engine, the running session, its statistics, the bounded row
// cache behind the virtual table and the chart data. Frames are merged as they arrive (a few
// hundred rows and points at most, so merging is cheap); rendering follows once per animation
// frame through Svelte's batching. Performance counters are exposed for `make bench`.

import * as api from '../api';
import type { Ended, EngineInfo, EngineStatus, FilteredRowPage, Frame, PingRequest, Row, RowFilter, SessionInfo, SessionView, StatsView } from '../api/types';
import { ChartData } from '../ping/chartdata';
import { PAGE_ROWS, RowCache } from '../ping/rowcache';

/** The backend calls the store makes; tests pass fakes. */
export interface PingApi {
  engineInfo(): Promise<EngineInfo>;
  startPing(request: PingRequest): Promise<SessionInfo>;
  stopPing(sessionId: string): Promise<void>;
  pageRows: typeof api.pageRows;
  pageFilteredRows: typeof api.pageFilteredRows;
  rowRank: typeof api.rowRank;
  recentTargets(): Promise<string[]>;
  openSession(sessionId: string): Promise<SessionView>;
}

/** Where the shown session comes from: pinging now, the store (an earlier run), or a capture file. */
export type SessionOrigin = 'live' | 'recorded' | 'imported';

/** Stream counters: frames in, frames missed, the largest number of frames that waited for one paint. */
export interface StreamCounters {
  frames: number;
  missedFrames: number;
  rowsStreamed: number;
  /** Frames merged since the last paint; high values mean the page falls behind. */
  pendingFrames: number;
  maxPendingFrames: number;
  paints: number;
  droppedEvents: number;
  /** Delivery lag of the latest frame (receive time - emit time), ms. */
  lastLagMs: number;
  maxLagMs: number;
  /** Time spent merging frames and redrawing the chart, ms (where the page's time goes). */
  mergeMs: number;
  chartMs: number;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export class PingStore {
  // Objects the backend sends whole and the page never changes in place are raw state: a
  // deep $state made a proxy of each (and a signal for each field read) when it came, and
  // the stats come with every frame, 25 times a second.
  engine = $state.raw<EngineInfo | null>(null);
  engineNotice = $state.raw<{ tone: 'warn' | 'bad' | 'ok'; text: string } | null>(null);
  session = $state.raw<SessionInfo | null>(null);
  running = $state(false);
  starting = $state(false);
  stats = $state.raw<StatsView | null>(null);
  error = $state('');
  ended = $state.raw<Ended | null>(null);
  totalRows = $state(0);
  recent = $state<string[]>([]);
  /** Bumped when cached rows change, so the table re-reads the cache. */
  rowsVersion = $state(0);
  /** Bumped when chart data changes. */
  chartVersion = $state(0);
  /** The table keeps the newest row in view while true. */
  follow = $state(true);
  /** Where the shown session comes from ('live' also before any session). */
  origin = $state<SessionOrigin>('live');
  /** A session started here that still runs, shown or not (Start waits for it). */
  liveId = $state<string | null>(null);
  /** The store's message while it refuses writes ('' when rows are saved). */
  storageError = $state('');
  /** The packet table's filter; 'ours' (all but another program's ICMP) by default. */
  filter = $state<RowFilter>('ours');
  /** "All" lists other programs' ICMP too ('all' rather than 'ours'); kept while another filter is chosen. */
  showForeign = $state(false);
  /** Rows passing the filter (while filtering), and rows of other programs' ICMP. */
  filterRows = $state(0);
  foreignRows = $state(0);
  /** The backend has counted the filter's rows (filterRows is not an estimate or a reset 0). */
  filterCounted = $state(false);
  /**
   * A live session started here has no foreign row yet: its default view is every row, paged
   * by position from the frames (the cheapest way to follow a fast stream). The first foreign
   * row (its stats say so) turns the filter on.
   */
  private noForeignYet = $state(false);
  /** The shown stored session lacks rows the store refused (SessionView.storedRows < totalRows). */
  private refusedRows = $state(false);

  readonly cache = new RowCache();
  /** The filtered table's rows by rank (see filtering). */
  readonly filtered = new RowCache();
  /** Bumped when the filter or the session changes: pages asked for before are dropped. */
  private filterGen = 0;
  private refreshing = false;
  private refreshAgain = false;
  readonly chart = new ChartData();
  readonly counters: StreamCounters = { frames: 0, missedFrames: 0, rowsStreamed: 0, pendingFrames: 0, maxPendingFrames: 0, paints: 0, droppedEvents: 0, lastLagMs: 0, maxLagMs: 0, mergeMs: 0, chartMs: 0 };
  private lastSeq = 0;
  private focusRow = 0;
  /** Frames that arrived before Start's promise told us their session id (a race of the bridge). */
  private early: Frame[] = [];
  private earlyEnd: Ended | null = null;

  constructor(private readonly backend: PingApi = api) {}

  async loadEngine(): Promise<void> {
    try {
      this.engine = await this.backend.engineInfo();
    } catch (err) {
      this.engine = { kind: '', label: 'none', reason: '', best: false, upgrade: '', tried: [], error: errorText(err) };
    }
    this.backend.recentTargets().then(
      (r) => (this.recent = r),
      () => {},
    );
  }

  async start(request: PingRequest): Promise<void> {
    if (this.running || this.starting || this.liveId !== null) return;
    this.starting = true;
    this.error = '';
    try {
      const session = await this.backend.startPing(request);
      this.reset();
      this.session = session;
      this.origin = 'live';
      this.liveId = session.id;
      this.running = true;
      this.noForeignYet = true;
      this.starting = false;
      const early = this.early.filter((f) => f.sessionId === session.id);
      const earlyEnd = this.earlyEnd?.sessionId === session.id ? this.earlyEnd : null;
      this.early = [];
      this.earlyEnd = null;
      for (const f of early) this.applyFrame(f);
      if (earlyEnd) this.applyEnded(earlyEnd);
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.starting = false;
    }
  }

  async stop(): Promise<void> {
    if (!this.session || !this.running) return;
    try {
      await this.backend.stopPing(this.session.id);
    } catch (err) {
      this.error = errorText(err);
    }
  }

  /**
   * Shows a stored session (an earlier run, an imported capture, or the running one) in the
   * same views as live: its info, stats, row count and whole chart; rows are then paged and
   * inspected as usual. A running session goes on merging its frames.
   */
  showSession(view: SessionView): void {
    this.reset();
    this.error = '';
    this.session = view.info;
    this.origin = view.running ? 'live' : view.info.imported ? 'imported' : 'recorded';
    this.running = view.running;
    if (view.running) this.liveId = view.info.id;
    this.stats = view.stats;
    this.totalRows = view.totalRows;
    this.refusedRows = view.storedRows < view.totalRows;
    if (this.filtering && this.filter === 'ours') {
      // Until the first page says, the stats' foreign count makes the table the right size.
      this.foreignRows = Math.min(view.totalRows, view.stats?.foreign ?? 0);
      this.filterRows = view.totalRows - this.foreignRows;
    }
    this.follow = view.running;
    this.chart.add(view.points ?? []);
    if (this.filtering) void this.refreshFiltered();
  }

  /** Opens a session by id (see showSession); rejects with the backend's message. */
  async open(sessionId: string): Promise<void> {
    if (this.running && this.session?.id === sessionId) return;
    const view = await this.backend.openSession(sessionId);
    this.showSession(view);
  }

  /**
   * Leaves a reopened session for the live view: the session still running (reopened, so its
   * chart is whole), or the empty view with the Start form.
   */
  async backToLive(): Promise<void> {
    if (this.liveId !== null) {
      try {
        await this.open(this.liveId);
        return;
      } catch {
        this.liveId = null; // ended meanwhile and no longer stored: fall through to the empty view
      }
    }
    this.reset();
    this.session = null;
    this.running = false;
    this.origin = 'live';
    this.error = '';
  }

  private reset(): void {
    this.cache.clear();
    this.chart.clear();
    this.stats = null;
    this.ended = null;
    this.totalRows = 0;
    this.follow = true;
    this.lastSeq = 0;
    this.focusRow = 0;
    this.filtered.clear();
    this.filterGen++;
    this.filterRows = 0;
    this.foreignRows = 0;
    this.filterCounted = false;
    this.noForeignYet = false;
    this.refusedRows = false;
    this.rowsVersion++;
    this.chartVersion++;
  }

  /** Merges a frame of the current session (frames of other sessions are ignored). */
  applyFrame(frame: Frame): void {
    if (this.starting) {
      if (this.early.length < 50) this.early.push(frame);
      return;
    }
    if (!this.session || frame.sessionId !== this.session.id) return;
    this.storageError = frame.storageError ?? '';
    const began = performance.now();
    const c = this.counters;
    c.frames++;
    if (this.lastSeq !== 0 && frame.seq > this.lastSeq + 1) c.missedFrames += frame.seq - this.lastSeq - 1;
    this.lastSeq = frame.seq;
    c.rowsStreamed += frame.rows.length;
    c.droppedEvents = frame.droppedEvents;
    if (frame.emittedAtMs > 0) {
      c.lastLagMs = Date.now() - frame.emittedAtMs;
      c.maxLagMs = Math.max(c.maxLagMs, c.lastLagMs);
    }
    c.pendingFrames++;
    c.maxPendingFrames = Math.max(c.maxPendingFrames, c.pendingFrames);
    if (this.follow) this.focusRow = frame.totalRows - 1;
    this.cache.put(frame.rows, this.focusRow);
    this.totalRows = Math.max(this.totalRows, frame.totalRows);
    if (frame.points.length > 0) {
      this.chart.add(frame.points);
      this.chartVersion++;
    }
    // The bridge may deliver a last frame after "ping:ended": its rows and points are welcome,
    // its stats are older than the final ones the end carried.
    if (frame.stats && this.ended?.sessionId !== frame.sessionId) this.stats = frame.stats;
    if (this.noForeignYet && (frame.stats?.foreign ?? 0) > 0) {
      this.noForeignYet = false; // the default view now hides rows: page it by rank
      this.filtered.clear();
      this.filterGen++;
    }
    if (this.filtering) void this.refreshFiltered();
    this.rowsVersion++;
    c.mergeMs += performance.now() - began;
  }

  /** Called once per painted animation frame (the table and chart have caught up). */
  painted(chartMs = 0): void {
    this.counters.chartMs += chartMs;
    this.counters.paints++;
    this.counters.pendingFrames = 0;
  }

  applyEnded(end: Ended): void {
    if (this.starting) {
      this.earlyEnd = end;
      return;
    }
    if (end.sessionId === this.liveId) this.liveId = null;
    if (!this.session || end.sessionId !== this.session.id) return;
    this.running = false;
    this.ended = end;
    this.totalRows = Math.max(this.totalRows, end.totalRows);
    if (end.stats) this.stats = end.stats;
    if (end.error) this.error = end.error;
    if (this.filtering) void this.refreshFiltered();
    this.rowsVersion++;
    if (this.session) {
      const target = this.session.target;
      this.recent = [target, ...this.recent.filter((t) => t !== target)].slice(0, 12);
    }
  }

  applyEngineStatus(status: EngineStatus): void {
    this.engine = status.engine;
    const tone = status.state === 'restarted' ? 'warn' : 'bad';
    this.engineNotice = { tone, text: status.message };
  }

  /** The table shows rows [start, end): remember where, and fetch missing pages. */
  async ensureRows(start: number, end: number): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.focusRow = Math.floor((start + end) / 2);
    const pages = this.cache.pagesToFetch(start, end);
    await Promise.all(
      pages.map(async (page) => {
        const end = page + PAGE_ROWS;
        try {
          const got = await this.backend.pageRows(session.id, page, PAGE_ROWS);
          if (this.session?.id !== session.id) return;
          this.cache.put(got.rows, this.focusRow);
          this.totalRows = Math.max(this.totalRows, got.totalRows);
          // Rows of the page's range that it did not bring were counted (they have numbers
          // below the total) but the store refused them (disk full): not stored. The page's
          // own totalRows counts stored rows only, so the session's total bounds the range.
          this.cache.markMissing(page, Math.min(end, this.totalRows));
          this.rowsVersion++;
        } catch (err) {
          if (this.session?.id !== session.id) return;
          if (this.storageError !== '') {
            this.cache.markMissing(page, Math.min(end, this.totalRows));
            this.rowsVersion++;
          } else {
            this.error = `rows ${page}–${end - 1}: ${errorText(err)}`;
          }
        } finally {
          this.cache.settled(page);
        }
      }),
    );
  }

  row(n: number): Row | undefined {
    return this.cache.get(n);
  }

  /**
   * The table lists a filter's rows by rank (paged with pageFilteredRows) rather than every
   * row by position: any filter but 'all', except the default view of a live session with no
   * foreign row yet, where the two are the same, or of a session whose rows the store refused
   * (disk full; live, or reopened): ranks only know stored rows, positions also show the
   * refused ones as "not stored", which matters more then than hiding other programs' ICMP.
   */
  get filtering(): boolean {
    return this.filter !== 'all' && !(this.filter === 'ours' && this.oursByPosition);
  }

  private get oursByPosition(): boolean {
    return this.noForeignYet || this.refusedRows || (this.origin === 'live' && this.storageError !== '');
  }

  /** Rows the table lists. */
  get tableTotal(): number {
    return this.filtering ? this.filterRows : this.totalRows;
  }

  /** The table's row at position pos (a rank while filtering). */
  tableRow(pos: number): Row | undefined {
    return this.filtering ? this.filtered.get(pos) : this.cache.get(pos);
  }

  /**
   * Another program's ICMP in the session, for the foot's notice: the backend's count, or the
   * live stats' before it answered; 0 while the default view lists every row by position.
   */
  get foreignCount(): number {
    if (this.filter === 'ours' && !this.filtering) return 0;
    return Math.max(this.foreignRows, this.filtering ? 0 : (this.stats?.foreign ?? 0));
  }

  /** Shows another filter's rows; the rows of the old one are forgotten. */
  setFilter(filter: RowFilter): void {
    if (filter === 'all' || filter === 'ours') this.showForeign = filter === 'all';
    if (filter === this.filter) return;
    this.filter = filter;
    this.filtered.clear();
    this.filterGen++;
    this.filterRows = 0;
    this.filterCounted = false;
    this.rowsVersion++;
    if (this.filtering) void this.refreshFiltered();
  }

  /** The table shows positions [start, end): fetch what is missing, by rank or by position. */
  ensureTableRows(start: number, end: number): Promise<void> {
    return this.filtering ? this.ensureFilteredRows(start, end) : this.ensureRows(start, end);
  }

  private takePage(page: FilteredRowPage, focus: number): void {
    this.filtered.putAt(page.offset, page.rows, focus);
    this.filterRows = page.filterRows;
    this.foreignRows = page.foreignRows;
    this.filterCounted = true;
    this.totalRows = Math.max(this.totalRows, page.sessionRows);
    this.rowsVersion++;
  }

  private async ensureFilteredRows(start: number, end: number): Promise<void> {
    const session = this.session;
    if (!session) return;
    const gen = this.filterGen;
    const filter = this.filter;
    const focus = Math.floor((start + end) / 2);
    await Promise.all(
      this.filtered.pagesToFetch(start, end).map(async (offset) => {
        try {
          const page = await this.backend.pageFilteredRows(session.id, filter, offset, PAGE_ROWS);
          if (gen === this.filterGen) this.takePage(page, focus);
        } catch (err) {
          if (gen === this.filterGen) this.error = `${filter} rows ${offset}–${offset + PAGE_ROWS - 1}: ${errorText(err)}`;
        } finally {
          if (gen === this.filterGen) this.filtered.settled(offset);
        }
      }),
    );
  }

  /**
   * Brings the filter's counts up to date, and its newest rows while following (a running
   * session, or the first page of one just shown). One request at a time: frames that come
   * meanwhile ask for one more afterwards.
   */
  async refreshFiltered(): Promise<void> {
    const session = this.session;
    if (!session) return;
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    const gen = this.filterGen;
    const filter = this.filter;
    try {
      const first = this.filtered.size === 0;
      // Following: the last page; the first look at a finished session: its first page; else counts only.
      const [offset, limit] = this.follow ? [-1, PAGE_ROWS] : first ? [0, PAGE_ROWS] : [0, 0];
      const page = await this.backend.pageFilteredRows(session.id, filter, offset, limit);
      if (gen === this.filterGen && this.session?.id === session.id) this.takePage(page, this.follow ? page.filterRows - 1 : 0);
    } catch (err) {
      if (gen === this.filterGen) this.error = `${filter} rows: ${errorText(err)}`;
    } finally {
      this.refreshing = false;
      if (this.refreshAgain) {
        this.refreshAgain = false;
        setTimeout(() => void this.refreshFiltered(), 100);
      }
    }
  }

  /**
   * Where row n is in the table: its position, and whether the filter lists it (when not,
   * position is where it would be). From the cache when the row is there, else the backend.
   */
  async positionOf(n: number): Promise<{ position: number; shown: boolean }> {
    if (!this.filtering) return { position: n, shown: true };
    const cached = this.filtered.positionOf(n);
    if (cached !== undefined) return { position: cached, shown: true };
    const session = this.session;
    if (!session) return { position: 0, shown: false };
    const r = await this.backend.rowRank(session.id, this.filter, n);
    return { position: r.rank, shown: r.passes };
  }

  /** The row was counted but the store could not save it. */
  notStored(n: number): boolean {
    return this.cache.isMissing(n);
  }
}

export const pingStore = new PingStore();
