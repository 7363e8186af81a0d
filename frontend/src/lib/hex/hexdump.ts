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

/**
 * The cells of one dump row from the codec's Report.hex: the `width` bytes from byte `offset`
 * (fewer on a short last row). A row reads only its own slice of the text, so a windowed dump
 * costs the rows on the page, not the packet.
 */
export function rowCells(hex: string, offset: number, width = 16): DumpCell[] {
  const cells: DumpCell[] = [];
  const end = Math.min(offset + width, Math.floor(hex.length / 2));
  for (let index = offset; index < end; index++) {
    const parsed = Number.parseInt(hex.slice(2 * index, 2 * index + 2), 16);
    const byte = Number.isNaN(parsed) ? 0 : parsed;
    cells.push({ index, hex: hex2(byte), ascii: asciiOf(byte) });
  }
  return cells;
}

/**
 * A byte in words, for its title, its label and the dump's status line: "Byte 2 (0x02) = 0xf7:
 * ICMPv4 Checksum", and "(differs from the request)" when it is marked.
 */
export function describeByte(fields: readonly Field[], index: number, value: number, marks?: ReadonlySet<number>, markLabel = 'marked'): string {
  const names = fieldsAt(fields, index).map((i) => `${fields[i]?.layer} ${fields[i]?.name}`);
  const mark = marks?.has(index) ? ` (${markLabel})` : '';
  return `Byte ${index} (0x${hex2(index)}) = 0x${hex2(value)}${names.length ? ': ' + names.join(', ') : ''}${mark}`;
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

/** The layer byte `index` belongs to (from its most specific field), or "" if none. */
export function layerAt(fields: readonly Field[], index: number): string {
  const [first] = fieldsAt(fields, index);
  return first === undefined ? '' : (fields[first]?.layer ?? '');
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
