import { describe, expect, it } from 'vitest';
import type { Field } from '../wire/types';
import { bitStrip, isBitField } from './bits';
import { bytesOfHex } from './layout';

const field = (f: Partial<Field>): Field => ({ layer: 'IPv4', name: 'x', offset: 0, length: 1, value: '', meaning: '', ...f });

describe('bitStrip', () => {
  const packet = bytesOfHex('45 00 00 54 3f 2d 40 00');
  it('Version: the high nibble of byte 0', () => {
    const strip = bitStrip(packet, field({ name: 'Version', bitOffset: 0, bitLength: 4 }));
    expect(strip).toMatchObject({ binary: '0100', value: 4, where: 'bits 0–3 of byte 0' });
    expect(strip?.bytes[0]?.bits.map((b) => (b.inField ? b.value : '-')).join('')).toBe('0100----');
  });
  it('IHL: the low nibble', () => {
    expect(bitStrip(packet, field({ name: 'IHL', bitOffset: 4, bitLength: 4 }))).toMatchObject({ binary: '0101', value: 5 });
  });
  it("Don't Fragment: one bit of byte 6", () => {
    expect(bitStrip(packet, field({ offset: 6, bitOffset: 1, bitLength: 1 }))).toMatchObject({ binary: '1', value: 1, where: 'bit 1 of byte 6' });
  });
  it('Fragment Offset: 13 bits over two bytes', () => {
    const strip = bitStrip(packet, field({ offset: 6, length: 2, bitOffset: 3, bitLength: 13 }));
    expect(strip).toMatchObject({ binary: '0000000000000', value: 0, where: 'bits 3–15 of bytes 6–7' });
    expect(strip?.bytes.map((b) => b.offset)).toEqual([6, 7]);
    expect(strip?.bytes[0]?.bits.filter((b) => b.inField)).toHaveLength(5);
  });
  it('whole-byte fields have no strip', () => {
    expect(isBitField(field({ length: 2 }))).toBe(false);
    expect(bitStrip(packet, field({ length: 2 }))).toBeUndefined();
    expect(bitStrip(packet, undefined)).toBeUndefined();
  });
});
