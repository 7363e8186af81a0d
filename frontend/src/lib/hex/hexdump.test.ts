import { describe, expect, it } from 'vitest';
import type { Field } from '../wire/types';
import { bitSpan, bytesOf, describeByte, describePosition, fieldsAt, layerAt, rowCells, spacedHex } from './hexdump';

function field(partial: Partial<Field> & Pick<Field, 'name' | 'offset' | 'length'>): Field {
  return { layer: 'IPv4', value: '', meaning: '', ...partial };
}

// The first 8 bytes of an IPv4 header, as the codec maps them (Version and IHL share byte 0;
// the flag bits and the fragment offset share bytes 6-7).
const ipv4Start: Field[] = [
  field({ name: 'Version', offset: 0, length: 1, bitOffset: 0, bitLength: 4 }),
  field({ name: 'IHL', offset: 0, length: 1, bitOffset: 4, bitLength: 4 }),
  field({ name: 'DSCP', offset: 1, length: 1, bitOffset: 0, bitLength: 6 }),
  field({ name: 'ECN', offset: 1, length: 1, bitOffset: 6, bitLength: 2 }),
  field({ name: 'Total Length', offset: 2, length: 2 }),
  field({ name: 'Identification', offset: 4, length: 2 }),
  field({ name: 'Flags', offset: 6, length: 1, bitOffset: 0, bitLength: 3 }),
  field({ name: 'Flags: Don\'t Fragment', offset: 6, length: 1, bitOffset: 1, bitLength: 1, depth: 1 }),
  field({ name: 'Fragment Offset', offset: 6, length: 2, bitOffset: 3, bitLength: 13 }),
];

const names = (fields: Field[], indices: number[]) => indices.map((i) => fields[i]?.name);

describe('one row of a windowed dump', () => {
  it("reads only its row's bytes from the report's hex, 16 to a row, with ASCII", () => {
    const hex = '45000054' + '41'.repeat(12) + '7f20';
    const first = rowCells(hex, 0);
    expect(first.map((c) => c.hex).slice(0, 4)).toEqual(['45', '00', '00', '54']);
    expect(first.map((c) => c.ascii).join('')).toBe('E..TAAAAAAAAAAAA');
    expect(rowCells(hex, 16).map((c) => [c.index, c.hex, c.ascii])).toEqual([
      [16, '7f', '.'],
      [17, '20', ' '],
    ]);
    expect(rowCells(hex, 32)).toEqual([]);
    expect(rowCells('', 0)).toEqual([]);
  });

  it('describes a byte by its most specific fields, and says when it is marked', () => {
    expect(describeByte(ipv4Start, 0, 0x45)).toBe('Byte 0 (0x00) = 0x45: IPv4 Version, IPv4 IHL');
    expect(describeByte(ipv4Start, 4, 0x12, new Set([4]), 'differs from the request')).toBe('Byte 4 (0x04) = 0x12: IPv4 Identification (differs from the request)');
    expect(describeByte(ipv4Start, 9, 0x01, new Set([4]))).toBe('Byte 9 (0x09) = 0x01');
  });
});

describe('fieldsAt', () => {
  it('maps a byte shared by sub-byte fields to each of them', () => {
    expect(names(ipv4Start, fieldsAt(ipv4Start, 0))).toEqual(['Version', 'IHL']);
    expect(names(ipv4Start, fieldsAt(ipv4Start, 1))).toEqual(['DSCP', 'ECN']);
  });

  it('prefers the innermost field over one enclosing it', () => {
    // "Flags" (3 bits) encloses its Don't Fragment bit; the fragment offset stands beside them.
    expect(names(ipv4Start, fieldsAt(ipv4Start, 6))).toEqual(["Flags: Don't Fragment", 'Fragment Offset']);
    expect(names(ipv4Start, fieldsAt(ipv4Start, 7))).toEqual(['Fragment Offset']);
    const quoted: Field[] = [
      field({ layer: 'ICMPv4', name: 'Original datagram', offset: 8, length: 28 }),
      field({ layer: 'Quoted IPv4', name: 'TTL', offset: 16, length: 1 }),
    ];
    expect(names(quoted, fieldsAt(quoted, 16))).toEqual(['TTL']);
    expect(names(quoted, fieldsAt(quoted, 17))).toEqual(['Original datagram']);
  });

  it('returns nothing for a byte outside every field', () => {
    expect(fieldsAt(ipv4Start, 8)).toEqual([]);
  });
});

describe('bytesOf and layers', () => {
  it('collects the bytes of the chosen fields', () => {
    expect([...bytesOf(ipv4Start, [4, 8])].sort((a, b) => a - b)).toEqual([2, 3, 6, 7]);
    expect(bytesOf(ipv4Start, [99]).size).toBe(0);
  });

  it('gives every byte the layer of its field, "" where none', () => {
    const fields = [field({ name: 'Type', layer: 'ICMPv4', offset: 0, length: 1 }), field({ name: 'Data', layer: 'Data', offset: 2, length: 1 })];
    expect([0, 1, 2, 3].map((i) => layerAt(fields, i))).toEqual(['ICMPv4', '', 'Data', '']);
  });
});

describe('positions', () => {
  it('describes byte ranges and bit ranges for people', () => {
    expect(describePosition(ipv4Start[0] as Field)).toBe('0, bits 0–3');
    expect(describePosition(ipv4Start[4] as Field)).toBe('2–3');
    expect(describePosition(ipv4Start[7] as Field)).toBe('6, bit 1');
    expect(describePosition(field({ name: 'TTL', offset: 8, length: 1 }))).toBe('8');
  });

  it('computes bit spans from the packet start', () => {
    expect(bitSpan(ipv4Start[8] as Field)).toEqual([51, 64]);
    expect(bitSpan(field({ name: 'Checksum', offset: 10, length: 2 }))).toEqual([80, 96]);
  });
});

describe('spacedHex', () => {
  it('spaces bytes and breaks lines every 16 bytes', () => {
    expect(spacedHex('0800f7cd')).toBe('08 00 f7 cd');
    expect(spacedHex('00'.repeat(17))).toBe(`${Array(16).fill('00').join(' ')}\n00`);
    expect(spacedHex('')).toBe('');
  });
});
