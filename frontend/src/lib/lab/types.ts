// The Packet Lab's JSON contract with the WebAssembly codec (cmd/wirewasm/lab.go, the Go
// types wire.LabSpec, wire.LabAnalysis and wire.ClassicTrace). Field names follow the Go
// JSON tags; change both together.

import type { ChecksumStep, Report } from '../wire/types';

export type LabFamily = 4 | 6;
export type ChecksumMode = 'correct' | 'keep' | 'classic';
export type PayloadKind = 'text' | 'hex' | 'pattern';

/** wire.LabSpec: an echo request field by field. */
export interface LabSpec {
  family: LabFamily;
  type: number;
  code: number;
  id: number;
  seq: number;
  payloadKind: PayloadKind;
  payload: string;
  /** Payload bytes when payloadKind is 'pattern'. */
  size: number;
  mode: ChecksumMode;
  /** Written as is in mode 'keep'. */
  checksum: number;
  /** ICMPv6 pseudo-header addresses; '' for IPv4. */
  src: string;
  dst: string;
}

/** wire.ClassicStep: one word the classic loop adds, read from bytes high and high+1. */
export interface ClassicStep {
  high: number;
  word: number;
  sum: number;
}

/** wire.ClassicTrace: the classic example's checksum worked step by step. */
export interface ClassicTrace {
  steps: ClassicStep[];
  /** Offsets of the bytes the loop never reads. */
  unread: number[];
  folded: number;
  result: number;
}

/** wire.LabFields: the header fields read back from the bytes. */
export interface LabFields {
  type: number;
  code: number;
  checksum: number;
  id: number;
  seq: number;
  payloadHex: string;
  /** '' when the payload is not UTF-8 text. */
  payloadText: string;
}

export type LabVerdict = 'correct' | 'classic' | 'wrong' | 'unverifiable';

/** wire.LabAnalysis: everything the Lab shows for one message. */
export interface LabAnalysis {
  hex: string;
  length: number;
  report: Report;
  fields: LabFields | null;
  carried: number;
  correct: number;
  verifiable: boolean;
  classic: number;
  classicTrace: ClassicTrace;
  verdict: LabVerdict;
  oddLength: boolean;
  /** '' when the helper would send it, else why not. */
  sendable: string;
  /**
   * Set when the call named the rows in view (LabWindows): the ICMP checksum's trace.steps
   * then hold the walkthrough's rows from windows.steps.from, classicTrace.steps is empty, and
   * windows.compare holds the comparison's rows (cmd/wirewasm/lab_window.go).
   */
  windows?: LabRows;
}

/** Rows [from, to) of a table. */
export interface LabRowRange {
  from: number;
  to: number;
}

/** The rows of the Lab's two long tables a call asks for: the walkthrough's and the comparison's. */
export interface LabWindows {
  steps: LabRowRange;
  compare: LabRowRange;
}

/** What a windowed call holds of each table: the rows from `from`, of `total`. */
export interface LabRows {
  steps: { from: number; total: number };
  compare: { from: number; total: number; rfc: ChecksumStep[]; classic: ClassicStep[] };
}

/** What labBuild and labAnalyze return: an analysis, or an error in words. */
export interface LabResult {
  analysis?: LabAnalysis;
  error?: string;
}

/** The request of labAnalyze: bytes typed by hand. */
export interface LabAnalyzeRequest {
  hex: string;
  family: LabFamily;
  src: string;
  dst: string;
  /** Only these rows of the walkthroughs (LabAnalysis.windows); all of them when absent. */
  window?: LabWindows;
}

/** The codec's two Lab calls as the page's globalThis.echoscopeWire has them. */
export interface LabWire {
  labBuild(spec: string): string;
  labAnalyze(request: string): string;
}
