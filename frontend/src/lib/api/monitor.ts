// Monitors (many targets in one run) through the PingService bindings. Each target is a
// session of its own: its frames come through onPingFrame, its end as "ping:ended", its rows
// and packets with pageRows/packetDetail; "monitor:ended" comes after every target's end.

import * as PingService from '../../../wailsjs/go/service/PingService';
import { call, listen } from './backend';
import type { PingRequest, SessionInfo, SessionView } from './types';

/** Mirrors service.EventMonitorEnded. */
export const EVENT_MONITOR_ENDED = 'monitor:ended';

/** service.MonitorRequest: options.target is ignored. */
export interface MonitorRequest {
  targets: string[];
  options: PingRequest;
}

/** service.MonitorInfo. */
export interface MonitorInfo {
  id: string;
  engine: string;
  startedAt: string;
  endedAt: string;
  targets: SessionInfo[];
  running: boolean;
  unattributed: number;
}

/** service.MonitorEnded. */
export interface MonitorEnded {
  monitorId: string;
  reason: 'done' | 'stopped' | 'failed';
  error: string;
  unattributed: number;
}

/** service.MonitorView. */
export interface MonitorView {
  info: MonitorInfo;
  targets: SessionView[];
}

export function startMonitor(request: MonitorRequest): Promise<MonitorInfo> {
  return call(() => PingService.StartMonitor(request as never) as Promise<MonitorInfo>);
}

export function stopMonitor(monitorId: string): Promise<void> {
  return call(() => PingService.StopMonitor(monitorId));
}

export async function openMonitor(monitorId: string): Promise<MonitorView> {
  const v = await call<MonitorView>(() => PingService.OpenMonitor(monitorId));
  // Go marshals nil slices and pointers as null.
  return { info: { ...v.info, targets: v.info.targets ?? [] }, targets: (v.targets ?? []).map((t) => ({ ...t, stats: t.stats ?? null, points: t.points ?? [] })) };
}

export function onMonitorEnded(listener: (e: MonitorEnded) => void): () => void {
  return listen(EVENT_MONITOR_ENDED, listener);
}
