// The options form of the ping view: its defaults (as iputils), the checks the page can do
// before asking the backend (which checks again, with the final word), and the request.

import type { PingRequest } from '../api/types';
import type { SettingsOptions } from '../api/settings';

/** The form is the remembered options (Go settings.Options), so the two cannot drift apart. */
export type OptionsForm = SettingsOptions;

export function defaultOptions(): OptionsForm {
  return { count: 0, intervalMs: 1000, timeoutMs: 2000, size: 56, pattern: '', ttl: 0, dontFragment: false, family: 0, source: '' };
}

function isInt(v: number): boolean {
  return Number.isFinite(v) && Math.floor(v) === v;
}

/** Problems a person can fix before pressing Start; empty when the form is sound. */
export function optionProblems(f: OptionsForm): string[] {
  const out: string[] = [];
  if (!isInt(f.count) || f.count < 0) out.push('Count must be a whole number, 0 or more (0 pings until Stop).');
  if (!Number.isFinite(f.intervalMs) || f.intervalMs <= 0) out.push('Interval must be more than 0 ms.');
  if (!Number.isFinite(f.timeoutMs) || f.timeoutMs <= 0) out.push('Timeout must be more than 0 ms.');
  const maxSize = f.family === 6 ? 65527 : 65507;
  if (!isInt(f.size) || f.size < 0 || f.size > maxSize) out.push(`Size must be 0 to ${maxSize} bytes.`);
  if (!isInt(f.ttl) || f.ttl < 0 || f.ttl > 255) out.push('TTL must be 1 to 255 (0: the system default).');
  const hex = f.pattern.replace(/[\s:]/g, '').replace(/^0x/i, '');
  if (hex !== '' && (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0)) out.push('Pattern must be hex bytes, like ff00.');
  else if (hex.length > 32) out.push('Pattern is at most 16 bytes.');
  return out;
}

export function toRequest(target: string, f: OptionsForm): PingRequest {
  return {
    target: target.trim(),
    count: f.count,
    intervalMs: f.intervalMs,
    timeoutMs: f.timeoutMs,
    size: f.size,
    sizeSet: true,
    pattern: f.pattern,
    ttl: f.ttl,
    dontFragment: f.dontFragment,
    family: f.family,
    source: f.source,
  };
}
