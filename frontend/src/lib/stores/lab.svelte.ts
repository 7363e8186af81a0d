// State of the Packet Lab: the form (or the hex typed by hand), and the codec's analysis of
// the message they make, recomputed on every keystroke. The analysis also feeds a
// DecodeState so the shared FieldTable and HexDump show it with the same linking as Decode.

import type { Codec } from '../wire/codec';
import { spacedHex } from '../hex/hexdump';
import { defaultForm, echoRequestType, lessonForm, toSpec, type LabForm } from '../lab/form';
import { messageOf } from '../lab/handoff';
import type { LabPacket } from '../lab/open-in-lab';
import type { LabAnalysis, LabAnalyzeRequest, LabFamily, LabRowRange, LabWindows } from '../lab/types';
import { heldRows, WINDOW_FROM } from '../lab/compare';
import { DecodeState } from './decode.svelte';

/** Payloads longer than this follow typed bytes into the form as plain hex, without spaces. */
export const SPACED_PAYLOAD_BYTES = 64;

/**
 * The payload box's text for typed bytes: spaced like the hex box, except a long payload,
 * written without spaces: the box is one line, and in WebKitGTK (the app's engine) laying out
 * 1,492 space-separated words took twice as long as one run of hex, on every keystroke.
 */
export function payloadText(hex: string): string {
  return isLongPayload(hex) ? hex : spacedHex(hex).replaceAll('\n', ' ');
}

/** A payload (as hex) longer than SPACED_PAYLOAD_BYTES: one run of hex, and written once typing pauses. */
function isLongPayload(hex: string): boolean {
  return hex.length / 2 > SPACED_PAYLOAD_BYTES;
}

/**
 * How long the hex box's typing must pause before a long payload is written into the form's
 * payload box. Writing 2,984 hex digits into that one-line box cost WebKitGTK about 2.8 ms of
 * layout per keystroke (docs/benchmarks.md); meanwhile the box is empty with a placeholder that
 * says so (never the old bytes), and it is written at once when it gets the focus.
 */
export const PAYLOAD_PAUSE_MS = 300;

/**
 * Rows each side of those in view that a codec call also returns, so that scrolling a
 * walkthrough a little needs no new call.
 */
export const ROWS_AROUND = 32;

/** The Lab's two long tables: the RFC 1071 walkthrough, and its comparison with the classic loop. */
export type LabTable = keyof LabWindows;

/** Where the bytes come from: the form's fields, or the hex box typed by hand. */
export type LabSource = 'fields' | 'hex';

export class LabState {
  form = $state<LabForm>(defaultForm());
  source = $state<LabSource>('fields');
  /** The message as hex: written from the form, or typed (then the form follows it). */
  hexInput = $state('');
  // Raw: replaced whole on every keystroke; a deep proxy over its trace steps slowed each render.
  analysis = $state.raw<LabAnalysis | undefined>(undefined);
  /** Why the last edit gave no packet (the previous analysis stays on screen). */
  error = $state<string | undefined>(undefined);
  /** Where the packet came from, when it was handed over ("Decode tab: …") or a preset. */
  origin = $state<string | undefined>(undefined);
  /** Milliseconds the codec took for the last update (build or analyse, in the page). */
  lastCodecMs = $state<number | undefined>(undefined);
  readonly decoding = new DecodeState();
  /**
   * The payload box is waiting for the hex box's typing to pause (PAYLOAD_PAUSE_MS) before it
   * shows form.payload, a long payload that follows typed bytes; form.payload itself is always
   * current (a field edit builds from it).
   */
  payloadPending = $state(false);
  private payloadTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * The rows each long table renders (their ScrollTables say so: showRows). Each codec call
   * returns those rows and ROWS_AROUND each side, not the 750 of a 1500-byte packet
   * (docs/benchmarks.md). Not state: nothing renders from it.
   */
  private inView: LabWindows = { steps: { from: 0, to: WINDOW_FROM }, compare: { from: 0, to: WINDOW_FROM } };
  /** The bytes and family of the analysis on screen, for a call that fetches more of its rows. */
  private analysed: LabAnalyzeRequest | undefined;

  /** The rows a codec call asks for: those in view and ROWS_AROUND each side. */
  private windows(): LabWindows {
    const around = (r: LabRowRange) => ({ from: Math.max(0, r.from - ROWS_AROUND), to: r.to + ROWS_AROUND });
    return { steps: around(this.inView.steps), compare: around(this.inView.compare) };
  }

  /**
   * A table renders rows [from, to): when the analysis does not hold them all, the codec is
   * asked again, for the same bytes, with the rows now in view (one more, windowed call; an
   * edit makes one call, with the rows in view already).
   */
  showRows(codec: Codec, table: LabTable, from: number, to: number): void {
    this.inView[table] = { from, to };
    const a = this.analysis;
    if (!a?.windows || !this.analysed || !codec.lab) return;
    const held = heldRows(a, table);
    if (from >= held.from && Math.min(to, held.total) <= held.to) return;
    const result = codec.lab.analyze({ ...this.analysed, window: this.windows() });
    // The same bytes analysed again: only the rows differ (an error here would be the codec's own).
    if (result.analysis) this.analysis = result.analysis;
    else this.error = result.error ?? 'no analysis';
  }

  /** The payload box's text: the form's payload, or '' while it waits (payloadPending). */
  get payloadShown(): string {
    return this.payloadPending ? '' : this.form.payload;
  }

  /** Writes the payload into its box now (it got the focus, or the typing paused). */
  showPayload(): void {
    clearTimeout(this.payloadTimer);
    this.payloadTimer = undefined;
    this.payloadPending = false;
  }

  /** A long payload from typed bytes: written into its box once the typing pauses. */
  private deferPayload(): void {
    clearTimeout(this.payloadTimer);
    this.payloadPending = true;
    this.payloadTimer = setTimeout(() => this.showPayload(), PAYLOAD_PAUSE_MS);
  }

  /** Rebuilds from the form (source 'fields') or reads the typed hex (source 'hex'). */
  update(codec: Codec): void {
    if (!codec.lab) {
      this.error = 'This build of the codec (wire.wasm) has no Lab calls; rebuild the frontend (npm run build).';
      return;
    }
    const started = performance.now();
    let result;
    if (this.source === 'fields') {
      const read = toSpec(this.form);
      if ('error' in read) {
        this.error = read.error;
        return;
      }
      result = codec.lab.build(read.spec, this.windows());
      if (result.analysis) this.analysed = { hex: result.analysis.hex, family: read.spec.family, src: read.spec.src, dst: read.spec.dst };
    } else {
      const request = { hex: this.hexInput, family: this.form.family, src: this.v6(this.form.src), dst: this.v6(this.form.dst) };
      result = codec.lab.analyze({ ...request, window: this.windows() });
      if (result.analysis) this.analysed = request;
    }
    this.lastCodecMs = performance.now() - started;
    if (!result.analysis) {
      this.error = result.error ?? 'no analysis';
      return;
    }
    this.error = undefined;
    this.show(result.analysis);
  }

  private v6(addr: string): string {
    return this.form.family === 6 ? addr.trim() : '';
  }

  private show(analysis: LabAnalysis): void {
    this.analysis = analysis;
    this.decoding.activeField = undefined;
    this.decoding.activeByte = undefined;
    this.decoding.report = analysis.report;
    if (this.source === 'fields') {
      this.showPayload();
      this.hexInput = spacedHex(analysis.hex);
    } else if (analysis.fields) {
      // The form follows the typed bytes; the checksum is kept as typed.
      const f = analysis.fields;
      const hex4 = (n: number) => '0x' + n.toString(16).padStart(4, '0');
      Object.assign(this.form, {
        type: String(f.type), code: String(f.code), id: String(f.id), seq: String(f.seq),
        mode: 'keep', checksum: hex4(f.checksum), payloadKind: 'hex', payload: payloadText(f.payloadHex),
      } satisfies Partial<LabForm>);
      if (isLongPayload(f.payloadHex)) this.deferPayload();
      else this.showPayload();
    }
  }

  /** Field edits: the bytes follow the form again. */
  editFields(codec: Codec): void {
    this.source = 'fields';
    this.origin = undefined;
    this.update(codec);
  }

  /** Hex edits: the form follows the bytes. */
  editHex(codec: Codec): void {
    this.source = 'hex';
    this.origin = undefined;
    this.update(codec);
  }

  /** Switching family keeps the message an echo request of that family. */
  setFamily(codec: Codec, family: LabFamily): void {
    this.form.family = family;
    this.form.type = String(echoRequestType(family));
    this.editFields(codec);
  }

  /** The classic example's packet, its checksum as RFC 1071 says or as the example computed it. */
  loadLesson(codec: Codec, mode: 'correct' | 'classic'): void {
    this.form = lessonForm(mode);
    this.source = 'fields';
    this.update(codec);
    this.origin = mode === 'classic' ? "the classic example's packet, its checksum as the example's loop computed it" : "the classic example's packet, its checksum as RFC 1071 says";
  }

  /** A packet handed over by "Open in Lab": its ICMP message, as typed bytes. */
  open(codec: Codec, packet: LabPacket): void {
    const message = messageOf(codec.decode(packet.hex));
    if (typeof message === 'string') {
      this.error = `Cannot open ${packet.summary || 'the packet'} in the Lab: ${message}.`;
      return;
    }
    this.form.family = message.family;
    if (message.src && message.dst) {
      this.form.src = message.src;
      this.form.dst = message.dst;
    }
    this.hexInput = spacedHex(message.hex);
    this.source = 'hex';
    this.update(codec);
    this.origin = packet.origin;
  }
}
