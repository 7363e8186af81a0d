// The Path view's state: the form, the running trace (a backend job), its figures as they
// come round by round (trace:hops) and its result, or a trace reopened from History, and which
// hop and which of its answers the inspector shows.

import * as api from '../api';
import type { JobStart, TraceHop, TraceLive, TraceRequest, TraceView } from '../api';
import { formOf, secondsToMs, wholeOrDefault } from '../path/format';
import { errorText } from './ping.svelte';

export interface PathApi {
  startTrace(request: TraceRequest): Promise<JobStart>;
  awaitTrace(start: JobStart): Promise<TraceView>;
  cancelJob(jobId: string): Promise<void>;
  onTraceHops(listener: (live: TraceLive) => void): () => void;
  openTrace(traceId: string): Promise<TraceView>;
}

export class PathState {
  target = $state('');
  rounds = $state('10');
  interval = $state('1');
  maxHops = $state('30');
  reverseDns = $state(false);

  /** The running trace's job id ('' when none runs). */
  jobId = $state('');
  stopping = $state(false);
  result = $state.raw<TraceView | null>(null);
  /** The running trace's latest figures (null before its first round, and once it ended). */
  live = $state.raw<TraceLive | null>(null);
  error = $state('');
  /** The selected hop's TTL (0: none) and the index of the answer shown in its list. */
  selectedTTL = $state(0);
  answerIndex = $state(0);

  readonly #api: PathApi;

  constructor(backend: PathApi = api) {
    this.#api = backend;
  }

  get running(): boolean {
    return this.jobId !== '';
  }

  /** The hops the table shows: the result's, or while the trace runs its figures so far. */
  get hops(): TraceHop[] {
    return this.result?.hops ?? this.live?.hops ?? [];
  }

  /** Whether there is a table to show (a result, or a running trace's first figures). */
  get hasTable(): boolean {
    return this.result !== null || this.live !== null;
  }

  get selectedHop(): TraceHop | null {
    return this.hops.find((h) => h.ttl === this.selectedTTL) ?? null;
  }

  get selectedAnswer() {
    const hop = this.selectedHop;
    return hop && hop.answers.length > 0 ? hop.answers[Math.min(this.answerIndex, hop.answers.length - 1)] : null;
  }

  request(): TraceRequest {
    return {
      target: this.target.trim(),
      rounds: wholeOrDefault(this.rounds),
      intervalMs: secondsToMs(this.interval),
      maxHops: wholeOrDefault(this.maxHops),
      timeoutMs: 0,
      reverseDns: this.reverseDns,
    };
  }

  async start(): Promise<void> {
    if (this.running) return;
    const req = this.request();
    if (req.target === '') {
      this.error = 'Type a host name or address to trace.';
      return;
    }
    this.error = '';
    this.result = null;
    this.live = null;
    this.selectedTTL = 0;
    // Listen before the job starts: its first figures may come before startTrace returns its id.
    const early: { live: TraceLive | null } = { live: null };
    const off = this.#api.onTraceHops((live) => {
      if (this.jobId === '') early.live = live;
      else if (live.jobId === this.jobId && live.rounds > (this.live?.rounds ?? 0)) this.live = live;
    });
    try {
      const start = await this.#api.startTrace(req);
      this.jobId = start.jobId;
      if (early.live?.jobId === start.jobId) this.live = early.live;
      const result = await this.#api.awaitTrace(start);
      this.result = result;
      if (this.selectedTTL !== 0) this.select(this.selectedTTL); // its answers came with the result
    } catch (err) {
      this.error = errorText(err);
    } finally {
      off();
      this.live = null;
      this.jobId = '';
      this.stopping = false;
    }
  }

  /** Shows a stored trace (History's Open): its hops, each hop's answers for the inspector,
   *  and the options it ran with in the form. Refused while a trace runs (its table is on
   *  screen). */
  async open(traceId: string): Promise<void> {
    if (this.running) throw new Error('A trace is running in the Path view: stop it before opening another.');
    const v = await this.#api.openTrace(traceId);
    this.error = '';
    this.live = null;
    this.result = v;
    this.selectedTTL = 0;
    this.answerIndex = 0;
    this.#fill(v);
  }

  /** "Trace again": the shown stored trace's options back in the form, and a new trace. */
  async again(): Promise<void> {
    const r = this.result;
    if (!r || this.running) return;
    this.#fill(r);
    await this.start();
  }

  #fill(v: TraceView): void {
    const f = formOf(v.request);
    this.target = f.target || v.target;
    this.rounds = f.rounds;
    this.interval = f.interval;
    this.maxHops = f.maxHops;
    this.reverseDns = f.reverseDns;
  }

  /** Stops the running trace; its result (what came so far) still arrives. */
  async stop(): Promise<void> {
    if (!this.running || this.stopping) return;
    this.stopping = true;
    try {
      await this.#api.cancelJob(this.jobId);
    } catch (err) {
      this.error = errorText(err);
    }
  }

  /** Shows hop ttl's latest answer in the inspector. */
  select(ttl: number): void {
    this.selectedTTL = ttl;
    const hop = this.selectedHop;
    this.answerIndex = hop ? Math.max(0, hop.answers.length - 1) : 0;
  }
}

/** The Path view's one state: History opens stored traces into it. */
export const pathStore = new PathState();
