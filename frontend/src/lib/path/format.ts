// Words and numbers of the Path view (mtr's columns), kept apart from the component so they
// are unit tested.

import type { TraceHop } from '../api/trace';

/** mtr's Loss% column: one decimal, "40.0". */
export function lossText(h: Pick<TraceHop, 'lossPercent' | 'sent'>): string {
  return h.sent === 0 ? '–' : h.lossPercent.toFixed(1);
}

/** mtr's time columns: milliseconds with one decimal, "–" when the hop never answered. */
export function msText(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '–' : v.toFixed(1);
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
