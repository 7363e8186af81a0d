// The bits of a sub-byte field (Version and IHL share a byte; Flags and Fragment Offset share
// two): which bits of which bytes the field takes, for the bit strip under the hex dump.

import type { Field } from '../wire/types';

export interface BitCell {
  /** Bit number within its byte, 0 = most significant (as the codec counts). */
  bit: number;
  value: 0 | 1;
  inField: boolean;
}

export interface BitByte {
  offset: number;
  value: number;
  bits: BitCell[];
}

export interface BitStrip {
  field: Field;
  bytes: BitByte[];
  /** The field's bits as written, e.g. "0100". */
  binary: string;
  /** The number those bits make. */
  value: number;
  /** "bits 0–3 of byte 0" or "bits 3–15 of bytes 6–7". */
  where: string;
}

/** True for a field that does not take whole bytes (it has bitLength). */
export function isBitField(field: Field | undefined): field is Field & { bitLength: number } {
  return field?.bitLength !== undefined;
}

/** The strip of a bit field over `bytes` (the whole packet); undefined for whole-byte fields. */
export function bitStrip(bytes: Uint8Array, field: Field | undefined): BitStrip | undefined {
  if (!isBitField(field)) return undefined;
  const first = field.bitOffset ?? 0;
  const last = first + field.bitLength - 1;
  const strip: BitByte[] = [];
  let binary = '';
  for (let b = 0; b < Math.max(1, field.length); b++) {
    const offset = field.offset + b;
    const value = bytes[offset] ?? 0;
    const bits: BitCell[] = [];
    for (let bit = 0; bit < 8; bit++) {
      const bitValue = ((value >> (7 - bit)) & 1) as 0 | 1;
      const position = b * 8 + bit;
      const inField = position >= first && position <= last;
      if (inField) binary += bitValue;
      bits.push({ bit, value: bitValue, inField });
    }
    strip.push({ offset, value, bits });
  }
  const lastByte = field.offset + Math.max(1, field.length) - 1;
  const span = first === last ? `bit ${first}` : `bits ${first}–${last}`;
  const of = lastByte === field.offset ? `byte ${field.offset}` : `bytes ${field.offset}–${lastByte}`;
  return { field, bytes: strip, binary, value: binary === '' ? 0 : Number.parseInt(binary, 2), where: `${span} of ${of}` };
}

/**
 * The bit fields to draw for what is under the pointer or focus: the active field if it is a
 * bit field, else the bit fields sharing the active byte (Version and IHL for byte 0 of IPv4).
 */
export function bitFieldsInFocus(fields: readonly Field[], activeField: number | undefined, activeByte: number | undefined): Field[] {
  if (activeField !== undefined) {
    const field = fields[activeField];
    return isBitField(field) ? [field] : [];
  }
  if (activeByte === undefined) return [];
  return fields.filter((f) => isBitField(f) && (f.depth ?? 0) === 0 && activeByte >= f.offset && activeByte < f.offset + Math.max(1, f.length));
}
