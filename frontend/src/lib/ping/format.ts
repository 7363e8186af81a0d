// Words, numbers and icons of the ping view. Every class has a word and an icon, so colour
// never carries a meaning alone.

import type { PacketClass, Row, RowKind } from '../api/types';
import type { IconName } from '../icons';

/** Milliseconds with precision that fits the magnitude: 0.043, 1.27, 12.3, 245. */
export function formatMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a < 1) return v.toFixed(3);
  if (a < 10) return v.toFixed(2);
  if (a < 100) return v.toFixed(1);
  return v.toFixed(0);
}

/**
 * Counts with thin grouping: 1 234 567. The digits are grouped here rather than by
 * toLocaleString('en-US'): the stat cards format about seven counts at every frame of a
 * running session (25 a second), and an engine that does not cache it makes a new
 * Intl.NumberFormat (an ICU formatter: memory outside the JavaScript heap until the collector
 * frees it) for each call that names a locale.
 */
export function formatCount(v: number): string {
  const n = Math.round(v);
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US').replace(/,/g, '\u2009');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += '\u2009' + digits.slice(i, i + 3);
  return n < 0 ? '-' + out : out;
}

/** Loss as a percentage with one decimal below 10 %. */
export function formatPercent(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return '0 %';
  return `${v < 10 ? v.toFixed(1) : v.toFixed(0)} %`;
}

export interface Verdict {
  word: string;
  icon: IconName;
  /** CSS tone: ok, warn, bad, muted. */
  tone: 'ok' | 'warn' | 'bad' | 'muted';
}

const CLASSES: Record<Exclude<PacketClass, ''>, Verdict> = {
  'on-time': { word: 'on time', icon: 'ok', tone: 'ok' },
  'out-of-order': { word: 'out of order', icon: 'reorder', tone: 'warn' },
  late: { word: 'late', icon: 'late', tone: 'warn' },
  duplicate: { word: 'duplicate', icon: 'duplicate', tone: 'warn' },
  foreign: { word: 'foreign', icon: 'unknown', tone: 'muted' },
  corrupt: { word: 'corrupt', icon: 'bad', tone: 'bad' },
  'icmp-error': { word: 'ICMP error', icon: 'warn', tone: 'bad' },
};

const KINDS: Record<RowKind, Verdict> = {
  send: { word: 'sent', icon: 'send', tone: 'muted' },
  loss: { word: 'lost', icon: 'bad', tone: 'bad' },
  reply: { word: 'received', icon: 'receive', tone: 'ok' },
  'icmp-error': { word: 'ICMP error', icon: 'warn', tone: 'bad' },
};

/** The classification of a row as a word, an icon and a tone. */
export function verdictOf(row: Pick<Row, 'kind' | 'class'>): Verdict {
  if (row.class !== '') return CLASSES[row.class];
  return KINDS[row.kind];
}

/** hh:mm:ss.mmm of an RFC 3339 time in local time ("" stays ""). */
export function clockTime(rfc3339: string): string {
  if (!rfc3339) return '';
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
