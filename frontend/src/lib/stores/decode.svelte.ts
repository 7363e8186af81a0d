// State of the Decode panel: the text a person pasted, the codec's Report for it, and which
// field or byte is under the pointer or keyboard focus (the link between table and hex dump).

import type { Codec } from '../wire/codec';
import type { Report } from '../wire/types';
import { bytesOf, fieldsAt } from '../hex/hexdump';

/** One empty set for "nothing highlighted", so a new report with nothing under the pointer
 * leaves every rendered byte and row as it was (a new Set each time re-ran them all). */
const NOTHING: ReadonlySet<number> = new Set<number>();

export class DecodeState {
  input = $state('');
  /** Label the Echoscope token and send time in the payload (only true for our own packets). */
  echoscopePayload = $state(false);
  /** Read the pasted text as base64 (hex, hex dumps and byte arrays are recognised by the codec). */
  base64 = $state(false);
  // Raw: a report is replaced whole, never mutated, and a deep proxy over thousands of trace
  // steps made every render of a 1500-byte packet several times slower (the Lab e2e measures it).
  report = $state.raw<Report | undefined>(undefined);
  /** A failure of the codec itself (not a bad packet: that is Report.error). */
  failure = $state<string | undefined>(undefined);
  /** Field index under pointer/focus in the field table, if any. */
  activeField = $state<number | undefined>(undefined);
  /** Byte offset under pointer/focus in the hex dump, if any. */
  activeByte = $state<number | undefined>(undefined);

  /** Bytes to highlight in the dump: those of the active field, or of the active byte's fields. */
  highlightedBytes = $derived.by((): ReadonlySet<number> => {
    const fields = this.report?.fields ?? [];
    if (this.activeField !== undefined) return bytesOf(fields, [this.activeField]);
    if (this.activeByte !== undefined) return bytesOf(fields, fieldsAt(fields, this.activeByte));
    return NOTHING;
  });

  /** Field rows to highlight in the table. */
  highlightedFields = $derived.by((): ReadonlySet<number> => {
    const fields = this.report?.fields ?? [];
    if (this.activeField !== undefined) return new Set([this.activeField]);
    if (this.activeByte !== undefined) return new Set(fieldsAt(fields, this.activeByte));
    return NOTHING;
  });

  decode(codec: Codec): void {
    this.activeField = undefined;
    this.activeByte = undefined;
    const text = this.input.trim();
    if (text === '') {
      this.report = undefined;
      this.failure = undefined;
      return;
    }
    try {
      this.report = codec.decode(text, { echoscopePayload: this.echoscopePayload, base64: this.base64 });
      this.failure = undefined;
    } catch (err) {
      this.report = undefined;
      this.failure = err instanceof Error ? err.message : String(err);
    }
  }
}
