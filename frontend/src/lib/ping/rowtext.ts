// The packet table's texts of a row, made once per row. A following table shows each row at
// several frames in a row (a row stays in view for a few frames while newer rows push it
// up), and its cells were formatted again at each: a Date and five padded strings for the
// clock time, a regular expression for "ms since start", the RTT's digits. Rows are never
// changed once they arrive (the cache replaces a row's object when it brings it again), so
// the texts are kept beside the row object and go with it.

import type { Row } from '../api/types';
import { clockTime, formatMs } from './format';
import { sinceStart } from './relative-time';

interface Texts {
  /** The Time column's text, and the start it is relative to ('' for the clock; null: not made yet). */
  time: string;
  timeFrom: string | null;
  rtt: string;
}

const texts = new WeakMap<Row, Texts>();

/** How many rows had their texts made (tests count them). */
export const rowTextCounters = { made: 0 };

function textsOf(r: Row): Texts {
  let t = texts.get(r);
  if (t === undefined) {
    // The time is made by rowTime, in the mode shown (floods show ms since start: a clock text
    // made here would be thrown away).
    t = { time: '', timeFrom: null, rtt: formatMs(r.rttMs) };
    texts.set(r, t);
    rowTextCounters.made++;
  }
  return t;
}

/** The Time column: the clock, or ms since relativeTo (RFC 3339) when it is not ''. */
export function rowTime(r: Row, relativeTo: string): string {
  const t = textsOf(r);
  if (t.timeFrom !== relativeTo) {
    t.time = relativeTo ? sinceStart(r.time, relativeTo) : clockTime(r.time);
    t.timeFrom = relativeTo;
  }
  return t.time;
}

/** The RTT column (formatMs). */
export function rowRtt(r: Row): string {
  return textsOf(r).rtt;
}
