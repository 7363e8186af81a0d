// The Path view's state: the form, the running trace (a backend job) and its result, and
// which hop and which of its answers the inspector shows.

import * as api from '../api';
import type { JobStart, TraceRequest, TraceView } from '../api';
import { secondsToMs, wholeOrDefault } from '../path/format';
import { errorText } from './ping.svelte';

export interface PathApi {
  startTrace(request: TraceRequest): Promise<JobStart>;
  awaitTrace(start: JobStart): Promise<TraceView>;
  cancelJob(jobId: string): Promise<void>;
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

  get selectedHop() {
    return this.result?.hops.find((h) => h.ttl === this.selectedTTL) ?? null;
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
    this.selectedTTL = 0;
    try {
      const start = await this.#api.startTrace(req);
      this.jobId = start.jobId;
      this.result = await this.#api.awaitTrace(start);
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.jobId = '';
      this.stopping = false;
    }
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
