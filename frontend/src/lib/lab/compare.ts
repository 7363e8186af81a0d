// Lines up the two checksum walkthroughs the codec returns (RFC 1071 from the Report, the
// classic example's loop from ClassicTrace) word by word for the Lab's side-by-side view,
// and words where the pairing goes wrong. Presentation only: every number comes from Go.

import { hex16 } from '../checksum';
import type { ChecksumReport, ChecksumStep } from '../wire/types';
import type { ClassicStep, LabAnalysis, LabWindows } from './types';

/**
 * The Lab's two walkthroughs (RFC 1071's steps, and this comparison) render only the words in
 * view once they have more than their box shows (14 rows, and 2 each side): every keystroke
 * rewrites each running sum after the edited word, and in WebKitGTK a text written into a
 * rendered cell costs about 50 us even off screen (docs/benchmarks.md), so a 64-byte packet's
 * 32 words rewrote about 53 texts per keystroke where 18 rendered rows of each rewrite about 20.
 * (Decode and the inspector keep ScrollTable's default: they are not edited.)
 */
export const WINDOW_FROM = 18;

export interface CompareRow {
  /** The RFC 1071 word: the bytes it pairs (one when an odd last byte is padded). */
  rfc?: { bytes: number[]; word: number; sum: number; note?: string };
  classic?: { bytes: number[]; word: number; sum: number };
  /** Both sides add a word here and pair different bytes. */
  shifted: boolean;
  /** A row the codec has not returned yet (it returns the rows in view: compareWindow). */
  pending?: boolean;
}

/** What a row not held yet shows. */
export const PENDING_ROW: CompareRow = { shifted: false, pending: true };

/** The ICMP checksum of the analysis (the one the Lab builds). */
export function icmpChecksum(analysis: LabAnalysis): ChecksumReport | undefined {
  return analysis.report.checksums.find((c) => (c.layer === 'ICMPv4' || c.layer === 'ICMPv6') && c.fieldOffset === 2);
}

function rfcBytes(step: ChecksumStep, length: number): number[] {
  return step.offset + 1 < length ? [step.offset, step.offset + 1] : [step.offset];
}

function classicBytes(step: ClassicStep): number[] {
  return [step.high, step.high + 1];
}

/** The comparison's rows the analysis holds: rows[i] is row from + i, of total. */
export interface CompareWindow {
  from: number;
  total: number;
  rows: CompareRow[];
}

function compareRow(r: ChecksumStep | undefined, c: ClassicStep | undefined, length: number): CompareRow {
  return {
    rfc: r && { bytes: rfcBytes(r, length), word: r.word, sum: r.sum, note: r.note },
    classic: c && { bytes: classicBytes(c), word: c.word, sum: c.sum },
    shifted: r !== undefined && c !== undefined && r.offset !== c.high,
  };
}

/** The RFC 1071 and classic steps the comparison pairs: all of them, or a windowed call's. */
function compareSteps(analysis: LabAnalysis): { rfc: ChecksumStep[]; classic: ClassicStep[] } {
  const w = analysis.windows?.compare;
  if (w) return { rfc: w.rfc, classic: w.classic };
  return { rfc: (icmpChecksum(analysis)?.trace.steps ?? []).filter((s) => s.offset >= 0), classic: analysis.classicTrace.steps };
}

/**
 * The rows of one of the Lab's walkthroughs that the analysis holds, [from, to) of total: all
 * of them, or those a windowed call returned (LabAnalysis.windows). The one place that says
 * which rows are held, for the tables that render them and the store that asks for more.
 */
export function heldRows(analysis: LabAnalysis, table: keyof LabWindows): { from: number; to: number; total: number } {
  if (table === 'steps') return held(analysis, table, icmpChecksum(analysis)?.trace.steps.length ?? 0);
  const { rfc, classic } = compareSteps(analysis);
  return held(analysis, table, Math.max(rfc.length, classic.length));
}

/** The rows held, given how many the analysis returned for the table. */
function held(analysis: LabAnalysis, table: keyof LabWindows, count: number): { from: number; to: number; total: number } {
  const w = analysis.windows?.[table];
  return w ? { from: w.from, to: w.from + count, total: w.total } : { from: 0, to: count, total: count };
}

/**
 * One row per word of the message (pseudo-header words are left to the RFC walkthrough): all
 * of them, or those a windowed call returned (heldRows).
 */
export function compareWindow(analysis: LabAnalysis): CompareWindow {
  const { rfc, classic } = compareSteps(analysis);
  const { from, total } = held(analysis, 'compare', Math.max(rfc.length, classic.length));
  const rows: CompareRow[] = [];
  for (let i = 0; i < Math.max(rfc.length, classic.length); i++) rows.push(compareRow(rfc[i], classic[i], analysis.length));
  return { from, total, rows };
}

function byteAt(hex: string, offset: number): string {
  return '0x' + hex.slice(offset * 2, offset * 2 + 2);
}

/** Sentences on what the classic loop got wrong for these bytes. */
export function pairingSentences(analysis: LabAnalysis): string[] {
  const out: string[] = [];
  const unread = analysis.classicTrace.unread;
  if (analysis.length < 2) return ['Fewer than two bytes: neither algorithm has a word to add.'];
  out.push(
    'RFC 1071 pairs byte 0 with byte 1, byte 2 with byte 3, and so on; the classic loop starts at byte 1, so it pairs byte 1 with byte 2, byte 3 with byte 4: every word it adds straddles two of the real words.',
  );
  if (unread.length > 0) {
    const list = unread.map((o) => `byte ${o} (${byteAt(analysis.hex, o)}${o === 0 ? ', the type' : ''})`).join(' and ');
    out.push(`It never reads ${list}, so a change there does not change its checksum.`);
  }
  out.push(
    analysis.oddLength
      ? `This message has an odd length (${analysis.length} bytes): RFC 1071 pads the last byte with 0x00 on the right (word ${byteAt(analysis.hex, analysis.length - 1)}00); the classic loop reaches the last byte as the low half of its last word instead, and still skips byte 0.`
      : `This message has an even length (${analysis.length} bytes); with an odd length the classic loop would read the last byte as a low half, where RFC 1071 pads it as a high half.`,
  );
  if (analysis.verifiable) {
    out.push(
      analysis.classic === analysis.correct
        ? `For these bytes both give ${hex16(analysis.correct)}: a coincidence of the values, not a correct algorithm.`
        : `Result: the classic loop gives ${hex16(analysis.classic)} where RFC 1071 gives ${hex16(analysis.correct)}; a receiver checks the RFC 1071 way and drops the packet.`,
    );
  }
  return out;
}
