import { describe, expect, it } from 'vitest';
import type { Field } from '../wire/types';
import { bitStrip, isBitField } from './bits';
import { onesAdd, sameChecksum, updatedChecksum } from './checksum-update';
import { clocksSentence } from './clocks';
import { bytesOfHex, echoHeader, icmpOffset, quotedIcmpOffset, word16 } from './layout';
import { ruleParts, ruleSentence } from './rules';

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

describe('updatedChecksum (RFC 1624)', () => {
  it('type 8 -> 0 raises the checksum by 0x0800', () => {
    const request = bytesOfHex('0800 7ba0 b132 0001');
    const reply = bytesOfHex('0000 83a0 b132 0001');
    expect(updatedChecksum(request, reply, 2)).toBe(0x83a0);
  });
  it('carries end around', () => {
    expect(onesAdd(0xffff, 0x0002)).toBe(0x0002);
    // ~0xf800 + 0x0800 = 0x0fff: 0x0800 -> 0xf800 seen from the other side.
    expect(updatedChecksum(bytesOfHex('0000 f800'), bytesOfHex('0800 f800'), 2)).toBe(0xf000);
  });
  it('refuses different lengths, and both zeros are the same checksum', () => {
    expect(updatedChecksum(bytesOfHex('0800 0000'), bytesOfHex('0000 0000 00'), 2)).toBeUndefined();
    expect(sameChecksum(0xffff, 0x0000)).toBe(true);
    expect(sameChecksum(0x1234, 0x1235)).toBe(false);
  });
});

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

describe('rules and clocks in words', () => {
  it('parses what each engine rule compared', () => {
    expect(ruleParts('id+seq+token')).toEqual({ quoted: false, id: true, seq: true, token: true });
    expect(ruleParts('seq+token (identifier rewritten by kernel)')).toEqual({ quoted: false, id: false, seq: true, token: true });
    expect(ruleParts('seq (identifier rewritten, payload too short for token)')).toEqual({ quoted: false, id: false, seq: true, token: false });
    expect(ruleParts('quoted id+seq')).toEqual({ quoted: true, id: true, seq: true, token: false });
    expect(ruleParts('none')).toEqual({ quoted: false, id: false, seq: false, token: false });
  });
  it('says unknown rules as given', () => {
    expect(ruleSentence('id+seq (payload too short for token)')).toMatch(/shorter than 16 bytes/);
    expect(ruleSentence('future rule')).toBe('Matched by rule “future rule”.');
    expect(ruleSentence('')).toBe('');
  });
  it('one sentence per clock pair', () => {
    expect(clocksSentence('kernel-tx/kernel-rx', 0.02)).toMatch(/not in it/);
    expect(clocksSentence('user/kernel-rx', 0.02)).toMatch(/^The RTT runs from a user-space clock .* to the kernel’s receive timestamp: the user-space end adds/);
    expect(clocksSentence('user/user', 0.02)).toMatch(/no kernel timestamps/);
    expect(clocksSentence('windows-api/windows-api', 1)).toMatch(/whole milliseconds/);
    expect(clocksSentence('', null)).toMatch(/^No round-trip time/);
  });
});

describe('packet notes', async () => {
  const { replyNote, requestNote } = await import('./notes');
  const { samples } = await import('./samples');
  it('says whether the IP header is in the reply bytes', () => {
    expect(replyNote(samples.onTimeLoopback)).toMatch(/raw socket gave it from 127\.0\.0\.1: with the IP header/);
    expect(replyNote(samples.onTimeDatagram)).toMatch(/datagram socket .* strips the IP header/);
  });
  it('explains a request written with checksum 0, and the datagram identifier', () => {
    expect(requestNote(samples.onTimeLoopbackV6)).toMatch(/written with checksum 0 because the kernel computes/);
    expect(requestNote(samples.onTimeLoopback)).not.toMatch(/checksum 0/);
    expect(requestNote(samples.onTimeDatagram)).toMatch(/kernel puts its own identifier on the wire/);
  });
});
