// Request vs reply: which bytes changed and why, in words. Aligned on the ICMP header (the
// reply's IP header is skipped, and said so) or, for an ICMP error, on the quoted copy of the
// request inside it. Fields and their names come from the codec's report of the request.

import type { Field } from '../wire/types';
import type { PacketDetail } from './detail';
import { align, type Aligned } from './layout';
import { sameChecksum, updatedChecksum } from './checksum-update';
import { hex16 } from '../checksum';

/**
 * Why bytes differ: "expected" (every echo reply does this), "kernel" (the operating system
 * changed what we wrote), "mismatch" (it answers something else), "damage" (altered in transit).
 */
export type ChangeCause = 'expected' | 'kernel' | 'mismatch' | 'damage';

export interface DiffEntry {
  layer: string;
  /** Field name, or "Bytes 30–33" for bytes outside any named field. */
  field: string;
  /** First and one-past-last changed byte, as request offsets (ICMP header = 0). */
  start: number;
  end: number;
  request: string;
  reply: string;
  cause: ChangeCause;
  why: string;
}

export interface PacketDiff {
  /** False when there is nothing to compare (no request, or no reply). */
  comparable: boolean;
  /** How the two were lined up, in words. */
  alignment: string;
  /** Reply offset the request's byte 0 lines up with. */
  replyStart: number;
  entries: DiffEntry[];
  /** Changed bytes as request offsets, and as offsets in the whole reply. */
  requestChanged: Set<number>;
  replyChanged: Set<number>;
  /** Bytes compared (the shorter of the two) and, if the lengths differ, what that means. */
  compared: number;
  lengthNote: string;
  /** One sentence: the upshot. */
  verdict: string;
}

const ECHO_TYPES: Record<4 | 6, { request: number; reply: number; rfc: string }> = {
  4: { request: 8, reply: 0, rfc: 'RFC 792' },
  6: { request: 128, reply: 129, rfc: 'RFC 4443' },
};

function hexRun(bytes: Uint8Array, start: number, end: number): string {
  const run = Array.from(bytes.subarray(start, end), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return run === '' ? '—' : run;
}

function range(start: number, end: number): string {
  return end - start === 1 ? `byte ${start}` : `bytes ${start}–${end - 1}`;
}

/** The request's top-level fields: they tile the message; deeper ones only refine them. */
function topFields(fields: readonly Field[]): Field[] {
  return fields.filter((f) => (f.depth ?? 0) === 0);
}

interface Span {
  layer: string;
  field: string;
  start: number;
  end: number;
}

/** Spans that tile [0, length): the named fields, and "Bytes a–b" for what no field covers. */
function spansOf(fields: readonly Field[], length: number): Span[] {
  const named = topFields(fields)
    .map((f) => ({ layer: f.layer, field: f.name, start: f.offset, end: f.offset + Math.max(1, f.length) }))
    .sort((a, b) => a.start - b.start);
  const spans: Span[] = [];
  let at = 0;
  for (const span of named) {
    if (span.start > at) spans.push({ layer: 'Data', field: `Bytes ${at}–${span.start - 1}`, start: at, end: span.start });
    if (span.end > at) spans.push({ ...span, start: Math.max(span.start, at) });
    at = Math.max(at, span.end);
  }
  if (at < length) spans.push({ layer: 'Data', field: `Bytes ${at}–${length - 1}`, start: at, end: length });
  return spans;
}

interface Context {
  detail: PacketDetail;
  aligned: Aligned;
  /** The reply's bytes from the alignment point on. */
  answer: Uint8Array;
}

function explain(span: Span, ctx: Context): { cause: ChangeCause; why: string } {
  const { detail, aligned, answer } = ctx;
  const request = aligned.request;
  const echo = ECHO_TYPES[detail.family];
  const name = span.field;
  if (name === 'Type') {
    const [from, to] = [request[0] ?? 0, answer[0] ?? 0];
    if (!aligned.quoted && from === echo.request && to === echo.reply) {
      return { cause: 'expected', why: `Echo Request (${from}) becomes Echo Reply (${to}): a responder answers by changing the type and sending the rest back (${echo.rfc}).` };
    }
    return { cause: 'mismatch', why: `The reply has type ${to} where an echo reply has ${echo.reply}: it is not an answer to this request.` };
  }
  if (name === 'Checksum') return explainChecksum(ctx);
  if (name === 'Identifier') {
    if (detail.identifierRewritten) {
      return {
        cause: 'kernel',
        why: `The kernel wrote its own identifier ${hex16(detail.kernelIdentifier)} in place of ours (a Linux datagram ICMP socket uses its local port), and the answer carries it back. Matching used sequence and token instead.`,
      };
    }
    return { cause: 'mismatch', why: 'Another identifier: the answer belongs to another pinger (each ping process uses its own).' };
  }
  if (name === 'Sequence Number') return { cause: 'mismatch', why: 'Another sequence number: the answer is for a different request.' };
  if (name === 'Session Token') return { cause: 'mismatch', why: 'Another session token: the answer was sent to another Echoscope session or another program.' };
  if (name === 'Code') return { cause: 'mismatch', why: 'Echo messages have code 0; a different code means this is not a plain echo reply.' };
  const where = aligned.quoted ? 'The quoted copy' : 'The echoed data';
  return {
    cause: 'damage',
    why: `${where} differs from what was sent: a responder must return the data unchanged (${echo.rfc}), so these bytes were altered on the way.`,
  };
}

function explainChecksum(ctx: Context): { cause: ChangeCause; why: string } {
  const { detail, aligned, answer } = ctx;
  const received = ((answer[2] ?? 0) << 8) | (answer[3] ?? 0);
  if (aligned.quoted) {
    if (detail.identifierRewritten) {
      return { cause: 'kernel', why: `The quoted checksum ${hex16(received)} is the one the kernel computed after writing its identifier (datagram socket).` };
    }
    return { cause: 'damage', why: 'The quoted checksum differs from the one we sent: the request was altered on its way to the router.' };
  }
  const written = ((aligned.request[2] ?? 0) << 8) | (aligned.request[3] ?? 0);
  if (written === 0) {
    // Raw ICMPv6 and datagram sockets take the message with checksum 0 and fill it in themselves.
    return {
      cause: 'kernel',
      why: `The request was handed to the socket with checksum 0 and the kernel filled it in when sending${detail.family === 6 ? ' (ICMPv6: over the pseudo-header with both addresses)' : ''}; the reply's ${hex16(received)} is checked in the walkthrough below.`,
    };
  }
  const comparable = answer.subarray(0, aligned.request.length);
  const predicted = answer.length === aligned.request.length ? updatedChecksum(aligned.request, comparable, 2) : undefined;
  if (predicted !== undefined && sameChecksum(predicted, received)) {
    const onlyType = aligned.request.every((b, i) => i === 0 || i === 2 || i === 3 || b === answer[i]);
    const plain = onlyType
      ? `The checksum covers the type byte: changing the type from ${aligned.request[0]} to ${answer[0]} changes the first 16-bit word by ${hex16(Math.abs((aligned.request[0] ?? 0) - (answer[0] ?? 0)) << 8)}, so the checksum moves by the same amount the other way.`
      : 'The checksum covers the changed bytes, so it had to change with them.';
    return { cause: 'expected', why: `${plain} Updating the request's checksum for the changed words (RFC 1624) gives ${hex16(predicted)}, exactly what the reply carries.` };
  }
  if (detail.identifierRewritten) {
    return { cause: 'kernel', why: `The kernel filled in the checksum for the identifier it wrote (datagram socket), so the request as written carries a different one; the reply's ${hex16(received)} is checked in the walkthrough below.` };
  }
  if (predicted !== undefined) {
    return { cause: 'damage', why: `From the request and the other changes the reply's checksum should be ${hex16(predicted)}, but it is ${hex16(received)}: the reply was damaged (see the walkthrough below).` };
  }
  return { cause: 'expected', why: `The reply has another length, so its checksum sums other bytes; the walkthrough below checks ${hex16(received)}.` };
}

function lengthNote(requestLength: number, answerLength: number, quoted: boolean): string {
  if (answerLength === requestLength) return '';
  if (quoted) {
    if (answerLength < requestLength) {
      return `The error quotes the first ${answerLength} of the request's ${requestLength} bytes; routers must quote at least the IP header and 8 bytes (RFC 792), Linux quotes more.`;
    }
    return `The quote runs ${answerLength - requestLength} bytes past the request (padding or RFC 4884 extensions).`;
  }
  if (answerLength < requestLength) {
    return `The reply is ${requestLength - answerLength} bytes shorter than the request (${answerLength} of ${requestLength}): it was truncated, so the missing bytes cannot be compared.`;
  }
  return `The reply is ${answerLength - requestLength} bytes longer than the request: bytes were added after the echoed data.`;
}

function alignmentText(aligned: Aligned, detail: PacketDetail): string {
  if (aligned.quoted) {
    return `An ICMP error does not echo the request, it quotes it: the request is compared with the quoted copy, which starts at reply byte ${aligned.replyStart} after ${aligned.skipped}.`;
  }
  if (aligned.replyStart === 0) return 'Both start with the ICMP header (the socket gave the reply without its IP header), so byte n of one lines up with byte n of the other.';
  const ttl = detail.ttl >= 0 ? ` That header carries TTL ${detail.ttl}: the hops the reply had left when it arrived, not part of the comparison.` : '';
  const ip = detail.family === 6 ? 'IPv6' : 'IPv4';
  return `Aligned on the ICMP header: the reply's first ${aligned.replyStart} bytes are its ${ip} header, which the request as written does not have (the kernel adds it when sending), so request byte 0 lines up with reply byte ${aligned.replyStart}.${ttl}`;
}

function verdictOf(entries: readonly DiffEntry[], lengthDelta: number, quoted: boolean): string {
  const names = (cause: ChangeCause) => entries.filter((e) => e.cause === cause).map((e) => e.field.toLowerCase());
  const damaged = names('damage');
  const mismatched = names('mismatch');
  if (damaged.length > 0) return `Damaged: ${damaged.join(', ')} changed on the way.`;
  if (mismatched.length > 0) return `Not an answer to this request as sent: ${mismatched.join(', ')} differ.`;
  if (!quoted && lengthDelta < 0) return `Truncated: ${-lengthDelta} bytes of the request are missing from the reply.`;
  if (!quoted && lengthDelta > 0) return `Longer than the request: ${lengthDelta} bytes were added.`;
  if (entries.length === 0) return quoted ? 'The quoted copy is identical to the request as sent.' : 'Identical to the request.';
  const kernel = names('kernel');
  return `Only the expected bytes changed: ${entries.map((e) => e.field.toLowerCase()).join(', ')}${kernel.length ? ` (${kernel.join(', ')} by the kernel)` : ''}.`;
}

const nothingToCompare = (alignment: string): PacketDiff => ({
  comparable: false,
  alignment,
  replyStart: 0,
  entries: [],
  requestChanged: new Set(),
  replyChanged: new Set(),
  compared: 0,
  lengthNote: '',
  verdict: '',
});

/** The diff of a row's request and reply; requestFields and replyFields are the codec's. */
export function diffPackets(detail: PacketDetail, requestFields: readonly Field[], replyFields: readonly Field[]): PacketDiff {
  if (detail.requestHex === '') return nothingToCompare('There is no request to compare with: this message matched none of ours.');
  if (detail.replyHex === '') return nothingToCompare(detail.kind === 'loss' ? 'Nothing came back for this request, so there is nothing to compare.' : 'This row is the request itself; its reply, if any, is a row of its own.');
  const aligned = align(detail, replyFields);
  const answer = aligned.reply.subarray(aligned.replyStart);
  const compared = Math.min(aligned.request.length, answer.length);
  const ctx: Context = { detail, aligned, answer };
  const entries: DiffEntry[] = [];
  const requestChanged = new Set<number>();
  const replyChanged = new Set<number>();
  for (const span of spansOf(requestFields, aligned.request.length)) {
    const changed: number[] = [];
    for (let i = span.start; i < Math.min(span.end, compared); i++) if (aligned.request[i] !== answer[i]) changed.push(i);
    if (changed.length === 0) continue;
    for (const i of changed) {
      requestChanged.add(i);
      replyChanged.add(aligned.replyStart + i);
    }
    // A header field is shown whole (checksum a6 90 -> ae 90); a long run (the pattern) only
    // by the stretch that changed.
    const short = span.end - span.start <= 8;
    const first = short ? span.start : (changed[0] as number);
    const last = short ? Math.min(span.end, compared) : (changed[changed.length - 1] as number) + 1;
    const whole = first === span.start && last === Math.min(span.end, compared);
    const field = whole ? span.field : `${span.field}, ${range(first, last)}`;
    entries.push({ layer: span.layer, field, start: first, end: last, request: hexRun(aligned.request, first, last), reply: hexRun(answer, first, last), ...explain(span, ctx) });
  }
  const note = lengthNote(aligned.request.length, answer.length, aligned.quoted);
  return {
    comparable: true,
    alignment: alignmentText(aligned, detail),
    replyStart: aligned.replyStart,
    entries,
    requestChanged,
    replyChanged,
    compared,
    lengthNote: note,
    verdict: verdictOf(entries, answer.length - aligned.request.length, aligned.quoted),
  };
}
