// The options a stored session recorded (history keeps target, family, count, interval, timeout
// and payload size; TTL, pattern, DF and source are not stored), shown read-only over a
// reopened session and applied by "Ping again".

import type { SessionInfo } from '../api/types';
import type { OptionsForm } from './request';

export type RecordedOptions = Pick<OptionsForm, 'count' | 'intervalMs' | 'timeoutMs' | 'size' | 'family'>;

export function recordedOptions(info: SessionInfo): RecordedOptions {
  const family = info.family === 4 || info.family === 6 ? info.family : 0;
  return { count: info.count, intervalMs: info.intervalMs, timeoutMs: info.timeoutMs, size: info.payloadSize, family };
}

/** One short line (it shares the strip with the caption at 900 px): "3 × 150 ms · timeout 1000 ms · 56 B · IPv4". */
export function recordedSummary(info: SessionInfo): string {
  const o = recordedOptions(info);
  return [
    o.count > 0 ? `${o.count} × ${o.intervalMs} ms` : `every ${o.intervalMs} ms`,
    `timeout ${o.timeoutMs} ms`,
    `${o.size} B`,
    o.family === 0 ? 'auto IP' : `IPv${o.family}`,
  ].join(' · ');
}

/** The form to ping again with: the recorded options over the current ones (the rest kept). */
export function formForAgain(current: OptionsForm, info: SessionInfo): OptionsForm {
  return { ...current, ...recordedOptions(info) };
}
