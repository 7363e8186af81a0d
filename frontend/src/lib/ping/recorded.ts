// The options a stored session ran with (history records the whole ping form: count,
// interval, timeout, size, pattern, TTL, don't fragment, IP version, source; sessions stored
// before it did get a form made from the engine's options, Go service.SessionInfo.request),
// shown read-only over a reopened session and applied by "Ping again".

import type { SessionInfo } from '../api/types';
import type { OptionsForm } from './request';

/** Every option of the form, as the session ran with it. */
export function recordedOptions(info: SessionInfo): OptionsForm {
  const r = info.request;
  return {
    count: r.count,
    intervalMs: r.intervalMs,
    timeoutMs: r.timeoutMs,
    // A form without sizeSet asked for the default size: the one the session used.
    size: r.sizeSet ? r.size : info.payloadSize,
    pattern: r.pattern,
    ttl: r.ttl,
    dontFragment: r.dontFragment,
    family: r.family,
    source: r.source,
  };
}

/**
 * One short line (it shares the strip with the caption at 900 px): "3 × 150 ms · timeout
 * 1000 ms · 56 B · IPv4", then only the options that differ from the defaults ("TTL 9 ·
 * pattern ff00 · don't fragment · from 192.0.2.1").
 */
export function recordedSummary(info: SessionInfo): string {
  const o = recordedOptions(info);
  const parts = [
    o.count > 0 ? `${o.count} × ${o.intervalMs} ms` : `every ${o.intervalMs} ms`,
    `timeout ${o.timeoutMs} ms`,
    `${o.size} B`,
    o.family === 0 ? 'auto IP' : `IPv${o.family}`,
  ];
  if (o.ttl > 0) parts.push(`TTL ${o.ttl}`);
  if (o.pattern !== '') parts.push(`pattern ${o.pattern}`);
  if (o.dontFragment) parts.push("don't fragment");
  if (o.source !== '') parts.push(`from ${o.source}`);
  return parts.join(' · ');
}

/** The form to ping again with: every recorded option (none of the current form's kept). */
export function formForAgain(info: SessionInfo): OptionsForm {
  return recordedOptions(info);
}
