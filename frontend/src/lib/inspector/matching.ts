// How a row was tied to its request, or why it was classified the way it was, with the values
// that were compared. The classification itself is the engine's (backend/probe); this only
// puts it in words next to the bytes that justify it.

import type { Field } from '../wire/types';
import type { PacketDetail } from './detail';
import { align, echoHeader, type EchoHeader } from './layout';
import { ruleParts, ruleSentence } from './rules';
import { clocksSentence } from './clocks';
import { hex16 } from '../checksum';

export type Outcome = 'equal' | 'differs' | 'not compared' | 'missing';

export interface Comparison {
  what: string;
  request: string;
  reply: string;
  outcome: Outcome;
  /** Why it was not compared, or what the difference means. */
  note: string;
}

export type Tone = 'ok' | 'warn' | 'bad' | 'info';

export interface MatchExplanation {
  /** The class as a word (colour is never the only sign). */
  word: string;
  tone: Tone;
  /** What happened to this row, in one or two sentences. */
  headline: string;
  /** The rule that tied it, in words ("" for sends and losses). */
  rule: string;
  comparisons: Comparison[];
  /** The engine's note, when it has one. */
  note: string;
  clocks: string;
}

const WORDS: Record<string, [string, Tone]> = {
  'on-time': ['on time', 'ok'],
  'out-of-order': ['out of order', 'warn'],
  late: ['late', 'warn'],
  duplicate: ['duplicate', 'warn'],
  foreign: ['foreign', 'info'],
  corrupt: ['corrupt', 'bad'],
  'icmp-error': ['ICMP error', 'bad'],
};

function ms(value: number): string {
  return value >= 100 ? value.toFixed(1) : value >= 1 ? value.toFixed(2) : value.toFixed(3);
}

function rows(list: readonly number[]): string {
  if (list.length === 0) return 'an earlier row';
  return `${list.length === 1 ? 'row' : 'rows'} ${list.join(', ')}`;
}

function fieldValue(fields: readonly Field[], layer: string, name: string): Field | undefined {
  return fields.find((f) => f.layer === layer && f.name === name);
}

/** "Time Exceeded (Time to Live exceeded in Transit)" from the reply's own ICMP header. */
function errorName(fields: readonly Field[], family: 4 | 6): string {
  const layer = family === 6 ? 'ICMPv6' : 'ICMPv4';
  const type = fieldValue(fields, layer, 'Type')?.meaning ?? 'an ICMP error';
  const code = fieldValue(fields, layer, 'Code')?.meaning;
  return code ? `${type} (${code})` : type;
}

function compare(what: string, sent: string | undefined, got: string | undefined, compared: boolean, skipNote: string): Comparison {
  if (!compared) return { what, request: sent ?? '—', reply: got ?? '—', outcome: 'not compared', note: skipNote };
  if (sent === undefined || got === undefined) return { what, request: sent ?? '—', reply: got ?? '—', outcome: 'missing', note: 'not present in both' };
  return { what, request: sent, reply: got, outcome: sent === got ? 'equal' : 'differs', note: '' };
}

function idText(id: number | undefined): string | undefined {
  return id === undefined ? undefined : `${hex16(id)} (${id})`;
}

/** Bytes after the echo header that the engine's payload header (token + send time) needs. */
const TOKEN_PAYLOAD_BYTES = 16;
const ECHO_HEADER_BYTES = 8;

function tokenComparison(prefix: string, sent: EchoHeader, got: EchoHeader, compared: boolean, requestBytes: number): Comparison {
  const what = `${prefix}session token`;
  if (compared) return compare(what, sent.token, got.token, true, '');
  if (requestBytes - ECHO_HEADER_BYTES >= TOKEN_PAYLOAD_BYTES && got.token === undefined) {
    // A router quoting only 8 bytes of our request (RFC 792) cuts the token off.
    return compare(what, sent.token, got.token, false, prefix ? 'the error quotes too little of the request to include it' : 'the reply is too short to include it');
  }
  if (requestBytes - ECHO_HEADER_BYTES >= TOKEN_PAYLOAD_BYTES) {
    // Room for a token but none used: another program's request (an imported capture, rule
    // "id+seq (recorded, no session token)"). Its first payload bytes are not a token, so
    // they are not shown as one.
    return { what, request: '—', reply: '—', outcome: 'not compared', note: 'not an Echoscope request: no session token (matched by identifier and sequence)' };
  }
  return compare(what, sent.token, got.token, false, 'payload too short to carry a token');
}

function comparisons(detail: PacketDetail, replyFields: readonly Field[]): Comparison[] {
  const aligned = align(detail, replyFields);
  const sent: EchoHeader = echoHeader(aligned.request);
  const got: EchoHeader = echoHeader(aligned.reply.subarray(aligned.replyStart));
  const parts = ruleParts(detail.rule);
  const none = detail.rule === 'none' || detail.rule === '';
  // On a datagram socket the wire carried the kernel's identifier, not the one we wrote.
  const wireId = detail.identifierRewritten ? detail.kernelIdentifier : sent.id;
  const prefix = aligned.quoted ? 'Quoted ' : '';
  const list: Comparison[] = [
    compare(`${prefix}identifier`, idText(wireId), idText(got.id), parts.id || none, detail.identifierRewritten ? 'the kernel rewrote it (datagram socket)' : 'not part of this rule'),
    compare(`${prefix}sequence`, sent.seq?.toString(), got.seq?.toString(), parts.seq || none, 'not part of this rule'),
    tokenComparison(prefix, sent, got, parts.token || (none && sent.token !== undefined), aligned.request.length),
  ];
  if (aligned.quoted) {
    const ip = detail.family === 6 ? 'Quoted IPv6' : 'Quoted IPv4';
    const destination = fieldValue(replyFields, ip, 'Destination Address')?.value;
    list.push(compare('Quoted destination', detail.target, destination, true, ''));
    list.push({ what: 'Error sent by', request: detail.target, reply: detail.from || '—', outcome: 'not compared', note: 'a router on the path reports errors, so this is rarely the target' });
  } else {
    const source = compare('Source address', detail.target, detail.from || undefined, true, '');
    if (source.outcome === 'differs') source.note = 'replies must come from the address pinged';
    list.push(source);
  }
  return list;
}

function headline(detail: PacketDetail, replyFields: readonly Field[]): string {
  // Requests are named by their sequence number, as on the wire; "row" is the table's "#".
  const n = `seq ${detail.seq}`;
  const rtt = detail.rttMs === null ? '' : `${ms(detail.rttMs)} ms after it left`;
  const timeout = `its ${detail.timeoutMs} ms timeout`;
  if (detail.kind === 'send') {
    return `Request seq ${detail.seq} as sent to ${detail.target}; what came back, if anything, is a row of its own.`;
  }
  if (detail.kind === 'loss') return `Lost: no answer to ${n} arrived within ${timeout}. It counts as lost even if a late reply turns up afterwards.`;
  switch (detail.class) {
    case 'on-time':
      return `On time: the first reply to ${n}, ${rtt}, within ${timeout}, and no later request had been answered before it.`;
    case 'out-of-order':
      return `Out of order: the first reply to ${n}, within ${timeout}, but a later request was answered first (${rows(detail.answeredBefore)}). Counted as received and as out of order.`;
    case 'late':
      return `Late: it arrived ${rtt}, past ${timeout}, so ${n} had already been declared lost. The loss stands; this reply is counted as late, not as received.`;
    case 'duplicate':
      return `Duplicate: ${n} had already been answered (${rows(detail.answeredBefore)}); this is a further copy, counted as a duplicate and not received a second time.`;
    case 'foreign':
      return `Foreign: not an answer to any request of this session${detail.note ? `: ${detail.note}` : ''}. It is shown but not counted.`;
    case 'corrupt':
      return `Corrupt: ${detail.index > 0 ? `tied to ${n}` : 'ours'}, but damaged${detail.note ? `: ${detail.note}` : ''}. Not counted as received.`;
    case 'icmp-error':
      return `ICMP error: ${detail.from || 'a router'} reports ${errorName(replyFields, detail.family)} for ${n}, which it quotes.`;
    default:
      return `Received, classified “${detail.class}”.`;
  }
}

/** Everything the matching view says about one row. */
export function explainMatch(detail: PacketDetail, replyFields: readonly Field[]): MatchExplanation {
  const [word, tone] =
    detail.kind === 'send' ? ['sent', 'info' as Tone] : detail.kind === 'loss' ? ['lost', 'bad' as Tone] : (WORDS[detail.class] ?? [detail.class || 'received', 'info' as Tone]);
  const received = detail.kind === 'reply' || detail.kind === 'icmp-error';
  const tied = received && detail.requestHex !== '';
  return {
    word,
    tone,
    headline: headline(detail, replyFields),
    rule: received ? ruleSentence(detail.rule) : '',
    comparisons: tied ? comparisons(detail, replyFields) : [],
    note: detail.note,
    clocks: detail.rttMs === null ? noRtt(detail) : clocksSentence(detail.rttClocks, detail.rttMs),
  };
}

/** Why a row has no RTT: a request's RTT is on its answers' rows; nothing came; or not ours. */
function noRtt(detail: PacketDetail): string {
  if (detail.kind === 'send' || detail.kind === 'loss') {
    if (detail.answers.length > 0) return 'A request row has no RTT of its own: each answer listed above carries its RTT.';
    return clocksSentence('', null);
  }
  return 'No round-trip time: this message answers no request of this session.';
}
