import { describe, expect, it } from 'vitest';
import type { Field } from '../wire/types';
import { bytesOfHex, echoHeader, icmpOffset, quotedIcmpOffset, word16 } from './layout';

const field = (f: Partial<Field>): Field => ({ layer: 'IPv4', name: 'x', offset: 0, length: 1, value: '', meaning: '', ...f });

describe('layout', () => {
  it('finds the ICMP header after IHL words, or at 0 without an IP header', () => {
    expect(icmpOffset(bytesOfHex('45'.padEnd(60, '0')), true, 4)).toBe(20);
    expect(icmpOffset(bytesOfHex('46'.padEnd(60, '0')), true, 4)).toBe(24);
    expect(icmpOffset(bytesOfHex('46'.padEnd(20, '0')), true, 4)).toBe(10);
    expect(icmpOffset(bytesOfHex('0800'), false, 4)).toBe(0);
    expect(icmpOffset(new Uint8Array(48), true, 6)).toBe(40);
  });
  it('reads echo headers as far as the bytes go', () => {
    expect(echoHeader(bytesOfHex('0000 83a0 b132 0001'))).toEqual({ type: 0, code: 0, checksum: 0x83a0, id: 0xb132, seq: 1, token: undefined });
    expect(echoHeader(bytesOfHex('08 00 7b'))).toMatchObject({ checksum: undefined, id: undefined });
    expect(word16(bytesOfHex('0102'), -1)).toBeUndefined();
  });
  it('finds the quoted ICMP header from the field map', () => {
    expect(quotedIcmpOffset([field({ layer: 'ICMPv4', offset: 20 }), field({ layer: 'Quoted ICMPv6', offset: 88 })])).toBe(88);
    expect(quotedIcmpOffset([field({ layer: 'ICMPv4' })])).toBeUndefined();
  });
});
