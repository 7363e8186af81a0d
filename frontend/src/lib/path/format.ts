// Words and numbers of the Path view (mtr's columns), kept apart from the component so they
// are unit tested.

import type { TraceHop } from '../api/trace';
import { formatMs } from '../ping/format';

/** mtr's Loss% column: one decimal, "40.0". */
export function lossText(h: Pick<TraceHop, 'lossPercent' | 'sent'>): string {
  return h.sent === 0 ? '–' : h.lossPercent.toFixed(1);
}

/** The time columns: milliseconds with the ping view's precision (formatMs: 0.043, 1.27, 12.3,
 *  245), not mtr's one decimal, which writes a 0.02 ms hop as "0.0"; "–" when the hop never
 *  answered. (The CLI's `trace --report` keeps mtr's layout.) */
export function msText(v: number | null): string {
  return formatMs(v);
}

/** The hop's host as mtr shows it: its name (with the address) or its address; "???" when silent. */
export function hostText(h: Pick<TraceHop, 'addrs' | 'names'>): string {
  const addr = h.addrs[0];
  if (addr === undefined) return '???';
  const name = h.names[0];
  return name ? `${name} (${addr})` : addr;
}

/** What answered the hop, in words: a router's Time Exceeded or the destination's reply. */
export function answerWord(kind: string, destination: boolean): string {
  if (kind === 'reply') return destination ? 'echo reply from the destination' : 'echo reply';
  return 'ICMP error (Time Exceeded from a router)';
}

/** Seconds typed in the form to milliseconds for the request: 0 (mtr's default) when empty or not a number above 0. */
export function secondsToMs(s: string): number {
  const v = Number(s.trim());
  return s.trim() === '' || !Number.isFinite(v) || v <= 0 ? 0 : Math.round(v * 1000);
}

/** A whole number typed in the form: 0 (the default) when empty or not a positive integer. */
export function wholeOrDefault(s: string): number {
  const v = Number(s.trim());
  return Number.isInteger(v) && v > 0 ? v : 0;
}

/** The request a stored trace ran with, as the form's fields ("Trace again"): 0 as mtr's
 *  default the form starts with (10 rounds, 1 s, 30 hops), the interval in seconds. */
export function formOf(r: { target: string; rounds: number; intervalMs: number; maxHops: number; reverseDns: boolean }): {
  target: string; rounds: string; interval: string; maxHops: string; reverseDns: boolean;
} {
  const or = (n: number, def: string) => (n > 0 ? String(n) : def);
  return { target: r.target, rounds: or(r.rounds, '10'), interval: r.intervalMs > 0 ? String(r.intervalMs / 1000) : '1', maxHops: or(r.maxHops, '30'), reverseDns: r.reverseDns };
}

/** A History line that is a trace: "Path to example.org (93.184.215.14), 4 hops". */
export function traceLabel(s: { target: string; addr: string; traceHops: number }): string {
  const host = s.addr && s.addr !== s.target ? (s.target ? `${s.target} (${s.addr})` : s.addr) : s.target || s.addr || '–';
  return `Path to ${host}, ${s.traceHops} hop${s.traceHops === 1 ? '' : 's'}`;
}
