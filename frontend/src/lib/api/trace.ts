// The Path view's backend call: a traceroute run as a job (service/trace.go). Part of the api
// module: the only importer of the generated bindings.

import * as PingService from '../../../wailsjs/go/service/PingService';
import { call, listen } from './backend';
import { awaitJob, type JobStart, watchJobs } from './jobs';
import type { PacketDetail } from './types';

/** service.TraceRequest: 0 means mtr's default (10 rounds, 1 s, 30 hops, 5 s). */
export interface TraceRequest {
  target: string;
  rounds: number;
  intervalMs: number;
  maxHops: number;
  timeoutMs: number;
  reverseDns: boolean;
}

/** service.TraceAnswerView: one message that answered a probe, as the inspector shows it. */
export interface TraceAnswer {
  round: number;
  detail: PacketDetail;
}

/** service.TraceHopView: one TTL of the path, mtr's figures; times null when nothing answered. */
export interface TraceHop {
  ttl: number;
  addrs: string[];
  names: string[];
  sent: number;
  received: number;
  lossPercent: number;
  lastMs: number | null;
  avgMs: number | null;
  bestMs: number | null;
  worstMs: number | null;
  stdevMs: number | null;
  rateLimited: boolean;
  note: string;
  answers: TraceAnswer[];
}

/** service.TraceView */
export interface TraceView {
  target: string;
  addr: string;
  engine: string;
  rounds: number;
  destinationHop: number;
  ownTrafficOnly: boolean;
  foreign: number;
  hops: TraceHop[];
  /** The stored trace and the session of its packets ('' when history could not keep it:
   *  historyError says why). */
  traceId: string;
  sessionId: string;
  historyError: string;
  /** RFC 3339; endedAt '' when it never ended (the app stopped during it). */
  startedAt: string;
  endedAt: string;
  /** Reopened from History; interrupted: the app stopped during it. */
  stored: boolean;
  interrupted: boolean;
  /** The form it ran with ("Trace again"). */
  request: TraceRequest;
}

/** service.TraceLive, the trace:hops payload: a running trace's figures so far (at most ten a
 *  second per trace); its hops carry no answers yet (they come with the result). */
export interface TraceLive {
  jobId: string;
  rounds: number;
  destinationHop: number;
  hops: TraceHop[];
}

/** A running trace's figures, round by round; payload TraceLive (service/trace.go). */
export const EVENT_TRACE_HOPS = 'trace:hops';

/** Listens to every running trace's figures; returns the function that stops listening. */
export function onTraceHops(listener: (live: TraceLive) => void): () => void {
  return listen<TraceLive>(EVENT_TRACE_HOPS, (live) => listener({ ...live, hops: hopsOf(live.hops) }));
}

/** Go marshals nil slices as null; the backend sends empty ones, this keeps the type honest. */
function hopsOf(hops: TraceHop[] | null): TraceHop[] {
  return (hops ?? []).map((h) => ({ ...h, addrs: h.addrs ?? [], names: h.names ?? [], answers: h.answers ?? [] }));
}

/** Starts a trace; the returned job's end carries the TraceView (see awaitTrace). */
export function startTrace(request: TraceRequest): Promise<JobStart> {
  watchJobs();
  return call(() => PingService.Trace(request) as Promise<JobStart>);
}

/** The trace's result: after Stop too (a stopped trace ends done, with what came). */
export async function awaitTrace(start: JobStart): Promise<TraceView> {
  const v = await awaitJob<TraceView>(start);
  return { ...v, hops: hopsOf(v.hops) };
}

/** Reopens a stored trace (History): its hops as stored and each hop's answers read from its
 *  packets, as a job (service.OpenTrace). */
export async function openTrace(traceId: string): Promise<TraceView> {
  watchJobs();
  const start = await call(() => PingService.OpenTrace(traceId) as Promise<JobStart>);
  return awaitTrace(start);
}
