// Layout and highlight logic for the hex dump and the field table. Pure functions: the
// components only render what these return, so the byte <-> field links are unit tested here.

import type { Field } from '../wire/types';

export interface DumpCell {
  /** Byte offset in the packet. */
  index: number;
  hex: string;
  /** The printable ASCII character, or "." for anything else. */
  ascii: string;
}

export interface DumpRow {
  offset: number;
  /** Offset as 4 hex digits, the way tcpdump -X and Wireshark print it. */
  offsetLabel: string;
  cells: DumpCell[];
}

/**
 * Bytes from the codec's Report.hex (lowercase, no spaces). This is not a parser of user
 * input: the Go codec has already cleaned and validated the text, this only undoes its encoding.
 */
export function bytesFromReportHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(Math.floor(hex.length / 2));
  for (let i = 0; i < bytes.length; i++) {
    const byte = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    bytes[i] = Number.isNaN(byte) ? 0 : byte;
  }
  return bytes;
}

export function asciiOf(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
}

export function hex2(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

export function hex4(value: number): string {
  return (value & 0xffff).toString(16).padStart(4, '0');
}

/** Rows of `width` bytes each; the last row may be shorter. */
export function dumpRows(bytes: Uint8Array, width = 16): DumpRow[] {
  if (width < 1) throw new RangeError(`dump width must be >= 1, got ${width}`);
  const rows: DumpRow[] = [];
  for (let offset = 0; offset < bytes.length; offset += width) {
    const cells: DumpCell[] = [];
    for (let index = offset; index < Math.min(offset + width, bytes.length); index++) {
      const byte = bytes[index] ?? 0;
      cells.push({ index, hex: hex2(byte), ascii: asciiOf(byte) });
    }
    rows.push({ offset, offsetLabel: hex4(offset), cells });
  }
  return rows;
}

/** True when the field touches byte `index`. */
export function fieldCovers(field: Field, index: number): boolean {
  return index >= field.offset && index < field.offset + Math.max(1, field.length);
}

/** A field's span in bits from the start of the packet: [start, end). */
export function bitSpan(field: Field): [number, number] {
  const start = field.offset * 8 + (field.bitLength !== undefined ? (field.bitOffset ?? 0) : 0);
  const width = field.bitLength ?? Math.max(1, field.length) * 8;
  return [start, start + width];
}

/**
 * The fields a byte belongs to, most specific first: of the fields covering it, those that do
 * not enclose another covering field. So a byte inside "Identifier" maps to that field and not
 * to an enclosing "Quoted IPv4" run, and a byte shared by sub-byte fields (Version and IHL, or
 * the flag bits and the fragment offset) maps to each of them.
 */
export function fieldsAt(fields: readonly Field[], index: number): number[] {
  const covering = fields.flatMap((field, i) => (fieldCovers(field, index) ? [i] : []));
  const spans = covering.map((i) => bitSpan(fields[i] as Field));
  return covering.filter((_, a) => {
    const [aStart, aEnd] = spans[a] as [number, number];
    return !spans.some(([bStart, bEnd], b) => {
      if (a === b || (aStart === bStart && aEnd === bEnd)) return false;
      return aStart <= bStart && bEnd <= aEnd;
    });
  });
}

/** The set of byte offsets a group of fields touches. */
export function bytesOf(fields: readonly Field[], indices: readonly number[]): Set<number> {
  const bytes = new Set<number>();
  for (const i of indices) {
    const field = fields[i];
    if (!field) continue;
    for (let b = field.offset; b < field.offset + Math.max(1, field.length); b++) bytes.add(b);
  }
  return bytes;
}

/** For each byte, the layer it belongs to (from its most specific field), or "" if none. */
export function layerOfEachByte(fields: readonly Field[], length: number): string[] {
  const layers: string[] = [];
  for (let b = 0; b < length; b++) {
    const [first] = fieldsAt(fields, b);
    layers.push(first === undefined ? '' : (fields[first]?.layer ?? ''));
  }
  return layers;
}

/** Where a field sits, for people: "2–3", "6", or "0, bits 0–3". */
export function describePosition(field: Field): string {
  const last = field.offset + Math.max(1, field.length) - 1;
  const bytes = last === field.offset ? `${field.offset}` : `${field.offset}–${last}`;
  if (field.bitLength === undefined) return bytes;
  const firstBit = field.bitOffset ?? 0;
  const lastBit = firstBit + field.bitLength - 1;
  const bits = lastBit === firstBit ? `bit ${firstBit}` : `bits ${firstBit}–${lastBit}`;
  return `${bytes}, ${bits}`;
}

/**
 * A clean hex string laid out the way people read packets: bytes separated by spaces, 16 to
 * a line. Used to show the example packets; the codec accepts this layout as input.
 */
export function spacedHex(hex: string, perLine = 16): string {
  const bytes = hex.match(/../g) ?? [];
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) lines.push(bytes.slice(i, i + perLine).join(' '));
  return lines.join('\n');
}
