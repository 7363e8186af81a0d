// How a row is tied to the other rows of its request, in words with the rows to link: a
// request names every answer (duplicates and late ones included) with its RTT; an answer
// names its request. The rows come from the store (PacketDetail.answers / requestRow), so the
// page never scans the table for them. Rows are numbered as in the table's "#" column.

import type { AnswerRef } from '../api/types';
import type { PacketDetail } from './detail';

export interface RowLink {
  row: number;
  /** "row 5" */
  label: string;
  /** ": reply on time, RTT 0.012 ms" */
  detail: string;
}

export interface Links {
  /** The sentence before the links (or the whole sentence when there is none). */
  lead: string;
  links: RowLink[];
}

const CLASS_WORDS: Record<string, string> = {
  'on-time': 'reply on time',
  'out-of-order': 'reply out of order',
  late: 'late reply (after the timeout)',
  duplicate: 'duplicate reply',
  corrupt: 'corrupt reply',
  'icmp-error': 'ICMP error',
  foreign: 'foreign reply',
};

export function rtt(ms: number): string {
  return ms >= 100 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

function answerLink(a: AnswerRef): RowLink {
  const what = CLASS_WORDS[a.class] ?? (a.kind === 'icmp-error' ? 'ICMP error' : 'reply');
  return { row: a.row, label: `row ${a.row}`, detail: `: ${what}${a.rttMs === null ? '' : `, RTT ${rtt(a.rttMs)} ms`}` };
}

export function rowLinks(d: PacketDetail): Links {
  if (d.kind === 'send' || d.kind === 'loss') {
    if (d.answers.length === 0) {
      return { lead: d.kind === 'loss' ? `Nothing was received for seq ${d.seq}.` : `Nothing has been received for seq ${d.seq}.`, links: [] };
    }
    const n = d.answers.length;
    return { lead: `Seq ${d.seq} was answered by ${n === 1 ? 'one row' : `${n} rows`}:`, links: d.answers.map(answerLink) };
  }
  if (d.requestRow >= 0) {
    return { lead: `Answers seq ${d.seq}, sent in`, links: [{ row: d.requestRow, label: `row ${d.requestRow}`, detail: '' }] };
  }
  if (d.index === 0 || d.class === 'foreign') return { lead: 'Not an answer to any request of this session.', links: [] };
  if (d.requestHex === '') return { lead: `Its request (seq ${d.seq}) is not within reach of this row.`, links: [] };
  return { lead: '', links: [] };
}
