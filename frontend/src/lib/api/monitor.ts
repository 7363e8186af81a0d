// Monitors (many targets in one run) through the PingService bindings. Each target is a
// session of its own: its frames come through onPingFrame, its end as "ping:ended", its rows
// and packets with pageRows/packetDetail; "monitor:ended" comes after every target's end.

import * as PingService from '../../../wailsjs/go/service/PingService';
import type { service } from '../../../wailsjs/go/models';
import { call, listen } from './backend';
import type { Refine } from './refine';
import type { PingRequest, SessionInfo, SessionView } from './types';

/** Mirrors service.EventMonitorEnded. */
export const EVENT_MONITOR_ENDED = 'monitor:ended';

/** Go service.MonitorRequest: options.target is ignored. */
export type MonitorRequest = Refine<service.MonitorRequest, { options: PingRequest }>;

/** Go service.MonitorInfo. */
export type MonitorInfo = Refine<service.MonitorInfo, { targets: SessionInfo[] }>;

/** Go service.MonitorEnded, the "monitor:ended" event's payload (kept by hand: Wails does not
 *  see event payloads; TestHandKeptPayloadsMatchTheGoStructs holds it to the Go struct). */
export interface MonitorEnded {
  monitorId: string;
  reason: 'done' | 'stopped' | 'failed';
  error: string;
  unattributed: number;
}

/** Go service.MonitorView: per target the reopened session, as OpenSession gives it. */
export type MonitorView = Refine<service.MonitorView, { info: MonitorInfo; targets: SessionView[] }>;

export function startMonitor(request: MonitorRequest): Promise<MonitorInfo> {
  return call<service.MonitorInfo, MonitorInfo>(() => PingService.StartMonitor(request));
}

export function stopMonitor(monitorId: string): Promise<void> {
  return call(() => PingService.StopMonitor(monitorId));
}

export async function openMonitor(monitorId: string): Promise<MonitorView> {
  const v = await call<service.MonitorView, MonitorView>(() => PingService.OpenMonitor(monitorId));
  // Go marshals nil slices and pointers as null.
  return { info: { ...v.info, targets: v.info.targets ?? [] }, targets: (v.targets ?? []).map((t) => ({ ...t, stats: t.stats ?? null, points: t.points ?? [] })) };
}

export function onMonitorEnded(listener: (e: MonitorEnded) => void): () => void {
  return listen(EVENT_MONITOR_ENDED, listener);
}
