// The long jobs running in the backend (import, export, open, delete), as the progress bar
// shows them: how far each is, its rate, and Cancel. Fed by job:* events (api/jobs.ts).

import * as api from '../api';
import type { JobEnd, JobOutcome, JobProgress } from '../api';
import { formatCount } from '../ping/format';

export interface JobsApi {
  onJobProgress(listener: (p: JobProgress) => void): () => void;
  onJobEnd(listener: (end: JobEnd, outcome: JobOutcome) => void): () => void;
  cancelJob(jobId: string): Promise<void>;
}

/** "12.3 MB", "812 kB", "96 bytes". */
function formatBytes(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)} MB`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(0)} kB`;
  return `${Math.round(n)} bytes`;
}

/** "12 288 of 60 000 rows", "3.1 MB of 12.0 MB", "3 of 10 rounds"; the total left out while unknown. */
export function progressText(p: JobProgress): string {
  const amount = p.unit === 'bytes' ? formatBytes : (n: number) => `${formatCount(n)} ${p.unit}`;
  if (p.total <= 0) return amount(p.done);
  if (p.unit === 'bytes') return `${formatBytes(p.done)} of ${formatBytes(p.total)}`;
  return `${formatCount(p.done)} of ${formatCount(p.total)} ${p.unit}`;
}

/** "25 000 rows/s", "4.2 MB/s"; '' before there is a rate, and for rounds (their pace is the interval asked for). */
export function rateText(p: JobProgress): string {
  if (p.ratePerSec <= 0 || p.unit === 'rounds') return '';
  return p.unit === 'bytes' ? `${formatBytes(p.ratePerSec)}/s` : `${formatCount(p.ratePerSec)} rows/s`;
}

export class JobsStore {
  /** Running jobs, oldest first. */
  active = $state<JobProgress[]>([]);
  /** Ids whose Cancel was pressed (the button says so until the job ends). */
  cancelling = $state<string[]>([]);
  error = $state('');

  constructor(private readonly backend: JobsApi = api) {}

  /** Follows job events; returns the function that stops. */
  start(): () => void {
    const stopProgress = this.backend.onJobProgress((p) => this.progress(p));
    const stopEnd = this.backend.onJobEnd((end) => this.ended(end.jobId));
    return () => {
      stopProgress();
      stopEnd();
    };
  }

  /** Jobs that have ended: a progress event delivered after the end (events can arrive out
   *  of order over the dev server's websocket) must not bring a bar back. */
  private done = new Set<string>();

  progress(p: JobProgress): void {
    if (this.done.has(p.jobId)) return;
    const at = this.active.findIndex((j) => j.jobId === p.jobId);
    const shown = this.active[at];
    if (shown === undefined) this.active = [...this.active, p];
    else if (p.done >= shown.done) this.active[at] = p; // an older event arriving late is kept out
  }

  ended(jobId: string): void {
    this.done.add(jobId);
    this.active = this.active.filter((j) => j.jobId !== jobId);
    this.cancelling = this.cancelling.filter((id) => id !== jobId);
  }

  async cancel(jobId: string): Promise<void> {
    this.cancelling = [...this.cancelling, jobId];
    try {
      await this.backend.cancelJob(jobId);
      this.error = '';
    } catch (err) {
      // Ended meanwhile: its end event removes it; anything else is said.
      this.error = err instanceof Error ? err.message : String(err);
      this.cancelling = this.cancelling.filter((id) => id !== jobId);
    }
  }
}

export const jobsStore = new JobsStore();
