// Long backend work (import, export, opening a session, deleting one) runs as a job: the
// bound call returns a JobStart at once and the job reports through job:* events (see
// backend/service/jobs.go). awaitJob turns a job's end into a promise; onJobProgress and
// onJobEnd let the progress bar follow every job. Part of the api module.

import * as PingService from '../../../wailsjs/go/service/PingService';
import type { service } from '../../../wailsjs/go/models';
import { call, listen } from './backend';
import type { Refine } from './refine';
import { EVENT_JOB_CANCELLED, EVENT_JOB_DONE, EVENT_JOB_FAILED, EVENT_JOB_PROGRESS } from './events';

export type JobKind = 'import' | 'export' | 'open' | 'delete' | 'trace';

/** What a bound method that starts a job returns; cancelled: the file dialog was cancelled (Go service.JobStart). */
export type JobStart = Refine<service.JobStart, { kind: JobKind }>;

/** job:progress: done never decreases; total is 0 while unknown; ratePerSec is done per second. */
export interface JobProgress {
  jobId: string;
  kind: JobKind;
  label: string;
  unit: 'bytes' | 'rows' | 'rounds';
  done: number;
  total: number;
  ratePerSec: number;
}

/** job:done (result), job:failed (error in words) and job:cancelled. */
export interface JobEnd {
  jobId: string;
  kind: JobKind;
  result: unknown;
  error: string;
}

export type JobOutcome = 'done' | 'failed' | 'cancelled';

/** A job stopped with Cancel: what it had written is undone. */
export class JobCancelledError extends Error {
  override readonly name = 'JobCancelledError';
  constructor(readonly kind: JobKind) {
    super(`${kind} cancelled`);
  }
}

type EndListener = (end: JobEnd, outcome: JobOutcome) => void;

/** Ends seen before anyone waited for them (a fast job can end before its start call returns). */
const unclaimed = new Map<string, { end: JobEnd; outcome: JobOutcome }>();
const waiters = new Map<string, EndListener>();
const endListeners = new Set<EndListener>();
let subscribed = false;

function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  const ended = (outcome: JobOutcome) => (end: JobEnd) => {
    for (const l of endListeners) l(end, outcome);
    const waiter = waiters.get(end.jobId);
    if (waiter) {
      waiters.delete(end.jobId);
      waiter(end, outcome);
    } else {
      unclaimed.set(end.jobId, { end, outcome });
    }
  };
  listen<JobEnd>(EVENT_JOB_DONE, ended('done'));
  listen<JobEnd>(EVENT_JOB_FAILED, ended('failed'));
  listen<JobEnd>(EVENT_JOB_CANCELLED, ended('cancelled'));
}

/** Starts listening for job ends; call before the first job starts (the api's run does). */
export function watchJobs(): void {
  subscribe();
}

/** The job's result; rejects with the reason in words, or JobCancelledError. */
export function awaitJob<T>(start: JobStart): Promise<T> {
  subscribe();
  return new Promise<T>((resolve, reject) => {
    const settle: EndListener = (end, outcome) => {
      if (outcome === 'done') resolve(end.result as T);
      else if (outcome === 'cancelled') reject(new JobCancelledError(start.kind));
      else reject(new Error(end.error));
    };
    const early = unclaimed.get(start.jobId);
    if (early) {
      unclaimed.delete(start.jobId);
      settle(early.end, early.outcome);
    } else {
      waiters.set(start.jobId, settle);
    }
  });
}

/** Every job's progress. Returns the function that stops listening. */
export function onJobProgress(listener: (p: JobProgress) => void): () => void {
  return listen<JobProgress>(EVENT_JOB_PROGRESS, listener);
}

/** Every job's end. Returns the function that stops listening. */
export function onJobEnd(listener: EndListener): () => void {
  subscribe();
  endListeners.add(listener);
  return () => endListeners.delete(listener);
}

/** Asks a running job to stop; it ends with job:cancelled once undone. */
export function cancelJob(jobId: string): Promise<void> {
  return call(() => PingService.CancelJob(jobId));
}
