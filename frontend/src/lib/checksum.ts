// Words for the checksum walkthrough: the verdict and how each number is printed.

import type { ChecksumReport } from './wire/types';

export type VerdictKind = 'ok' | 'bad' | 'warn';

export interface Verdict {
  kind: VerdictKind;
  /** Short word for the badge: colour is never the only sign. */
  word: string;
  /** One sentence in plain words. */
  sentence: string;
}

export function hex16(value: number): string {
  return '0x' + (value & 0xffff).toString(16).padStart(4, '0');
}

/** A 32-bit running sum, grouped so the carry part above 16 bits stands out: 0x0001_a2b3. */
export function hex32(value: number): string {
  const text = (value >>> 0).toString(16).padStart(8, '0');
  return `0x${text.slice(0, 4)}_${text.slice(4)}`;
}

export function verdictOf(report: ChecksumReport): Verdict {
  const sums = `the one's complement sum of the covered words, checksum taken as 0, is ${hex16(report.trace.sum)} and its complement is ${hex16(report.trace.result)}`;
  if (!report.verifiable) {
    return {
      kind: 'warn',
      word: 'not verifiable',
      sentence: `Received ${hex16(report.received)}; it cannot be checked here (the sum needs the IPv6 addresses of the pseudo-header).`,
    };
  }
  if (report.kernelFilled) {
    return {
      kind: 'ok',
      word: 'filled by the kernel',
      sentence: `Left 0 for the kernel to fill; on the wire it is ${hex16(report.computed)}: ${sums}${report.pseudoHeader ? ' (pseudo-header included)' : ''}.`,
    };
  }
  if (report.correct) {
    return {
      kind: 'ok',
      word: 'correct',
      sentence: `Received ${hex16(report.received)}, computed ${hex16(report.computed)}: they match, so these bytes arrived as sent.`,
    };
  }
  return {
    kind: 'bad',
    word: 'wrong',
    sentence: `Received ${hex16(report.received)}, but ${sums}, so the checksum should be ${hex16(report.computed)}: a receiver would drop this packet.`,
  };
}

/** The receiver's check in words: every word added, checksum included, must give 0xffff. */
export function receiverCheck(report: ChecksumReport): { sum: string; valid: boolean; sentence: string } {
  const onWire = report.kernelFilled ? report.computed : report.received;
  const valid = report.receiverSum === 0xffff;
  const sum = `${hex16(report.trace.sum)} + ${hex16(onWire)} = ${hex16(report.receiverSum)}`;
  const sentence = valid
    ? `A receiver adds every word including the checksum${report.kernelFilled ? ' the kernel writes' : ''}: ${sum}, all ones → valid.`
    : `A receiver adds every word including the checksum: ${sum}, not 0xffff → invalid: the packet is dropped.`;
  return { sum, valid, sentence };
}

/** "1 word", "12 words", "1 carry", "0 carries". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
