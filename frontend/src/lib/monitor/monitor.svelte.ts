// State of the Monitor view: the monitor shown (started here, or reopened from History), one
// TargetState per target, the legend's hidden targets, and the store of the selected target
// (a PingStore: the Ping view's own row cache, paging and chart for that target's session).
// Target figures live in plain objects ($state.raw) and `version` is bumped when a frame
// changed them: 100 targets at 25 frames a second would be costly as deep proxies. Frames
// bump it at most once per REDRAW_MS (see there).

import * as monitorApi from '../api/monitor';
import type { MonitorEnded, MonitorInfo, MonitorRequest, MonitorView } from '../api/monitor';
import type { Ended, Frame } from '../api/types';
import { PingStore, errorText } from '../stores/ping.svelte';
import { addPoints, newTarget, type TargetState } from './targetstate';

/**
 * How often frames redraw the rows and the overlay chart at most. The frame feed brings a
 * batch of frames every 40 ms; bumping `version` on each made the view recompute 100 rows and
 * every target's chart line 25 times a second, although each target's figures change once per
 * interval (1 s typically): `make bench` (monitor, in the window) measured the page's frames
 * at this cost (docs/benchmarks.md). Frames' figures are merged at once; only the redraw waits.
 */
export const REDRAW_MS = 500;

/** Runs f after ms (setTimeout; tests pass their own clock). */
export type Later = (ms: number, f: () => void) => void;

export interface MonitorApi {
  startMonitor(r: MonitorRequest): Promise<MonitorInfo>;
  stopMonitor(id: string): Promise<void>;
  openMonitor(id: string): Promise<MonitorView>;
}

export class MonitorStore {
  info = $state<MonitorInfo | null>(null);
  targets = $state.raw<TargetState[]>([]);
  running = $state(false);
  starting = $state(false);
  error = $state('');
  ended = $state<MonitorEnded | null>(null);
  /** Bumped whenever a target's figures changed. */
  version = $state(0);
  /** Session ids of targets the legend hides from the chart. */
  hidden = $state<Record<string, boolean>>({});
  /** The selected target's index, and its session as the Ping view would show it. */
  selected = $state<number | null>(null);
  detail = $state.raw<PingStore | null>(null);

  private bySession = new Map<string, number>();
  private early: Frame[] = [];
  private redrawPending = false;

  constructor(
    private readonly backend: MonitorApi = monitorApi,
    private readonly newDetail: () => PingStore = () => new PingStore(),
    private readonly later: Later = (ms, f) => void setTimeout(f, ms),
  ) {}

  /** Bumps `version` REDRAW_MS from now, once for every frame that arrives meanwhile. */
  private redrawSoon(): void {
    if (this.redrawPending) return;
    this.redrawPending = true;
    this.later(REDRAW_MS, () => {
      this.redrawPending = false;
      this.version++;
    });
  }

  private show(info: MonitorInfo, targets: TargetState[]): void {
    this.info = info;
    this.targets = targets;
    this.bySession = new Map(targets.map((t, i) => [t.session.id, i]));
    this.hidden = {};
    this.selected = null;
    this.detail = null;
    this.ended = null;
    this.version++;
  }

  async start(request: MonitorRequest): Promise<void> {
    if (this.running || this.starting) return;
    this.starting = true;
    this.error = '';
    this.early = [];
    try {
      const info = await this.backend.startMonitor(request);
      this.show(info, info.targets.map((s) => newTarget(s)));
      this.running = true;
      this.starting = false;
      const early = this.early;
      this.early = [];
      for (const f of early) this.applyFrame(f);
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.starting = false;
    }
  }

  async stop(): Promise<void> {
    if (!this.info || !this.running) return;
    try {
      await this.backend.stopMonitor(this.info.id);
    } catch (err) {
      this.error = errorText(err);
    }
  }

  /** Shows a stored (or running) monitor as it looked: every target's figures and chart. */
  async open(monitorId: string): Promise<void> {
    const v = await this.backend.openMonitor(monitorId);
    this.show(v.info, v.targets.map((t) => newTarget(t.info, t.stats, t.points)));
    this.running = v.info.running;
    this.error = '';
  }

  applyFrame(f: Frame): void {
    if (this.starting) {
      if (this.early.length < 4096) this.early.push(f);
      return;
    }
    this.detail?.applyFrame(f);
    const i = this.bySession.get(f.sessionId);
    if (i === undefined) return;
    const t = this.targets[i];
    if (!t) return;
    addPoints(t, f.points);
    if (f.stats && !t.ended) t.stats = f.stats;
    this.redrawSoon();
  }

  applyEnded(e: Ended): void {
    this.detail?.applyEnded(e);
    const i = this.bySession.get(e.sessionId);
    if (i === undefined) return;
    const t = this.targets[i];
    if (!t) return;
    t.ended = e;
    if (e.stats) t.stats = e.stats;
    this.version++;
  }

  applyMonitorEnded(e: MonitorEnded): void {
    if (!this.info || e.monitorId !== this.info.id) return;
    this.running = false;
    this.ended = e;
    this.info = { ...this.info, running: false, unattributed: e.unattributed };
    if (e.error) this.error = e.error;
    this.version++;
  }

  toggle(sessionId: string): void {
    this.hidden = { ...this.hidden, [sessionId]: !this.hidden[sessionId] };
  }

  /** Selects a target: its session opens in a PingStore (rows paged from the store, live frames merged). */
  async select(index: number | null): Promise<void> {
    if (index === null || index === this.selected) {
      this.selected = null;
      this.detail = null;
      return;
    }
    const t = this.targets[index];
    if (!t) return;
    this.selected = index;
    const d = this.newDetail();
    this.detail = d;
    try {
      await d.open(t.session.id);
    } catch (err) {
      if (this.detail === d) this.error = `${t.session.target}: ${errorText(err)}`;
    }
  }
}

export const monitorStore = new MonitorStore();
