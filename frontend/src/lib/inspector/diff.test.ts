import { beforeAll, describe, expect, it } from 'vitest';
import type { Codec } from '../wire/codec';
import type { PacketDetail } from './detail';
import { diffPackets, type PacketDiff } from './diff';
import { decodeRow } from './fields';
import { realCodec } from './real-codec.testing';
import { samples } from './samples';

let codec: Codec;
beforeAll(async () => {
  codec = await realCodec();
}, 180_000);

function diffOf(detail: PacketDetail): PacketDiff {
  const { request, reply } = decodeRow(codec, detail);
  return diffPackets(detail, request?.fields ?? [], reply?.fields ?? []);
}

function fields(diff: PacketDiff): string[] {
  return diff.entries.map((e) => e.field);
}

describe('diffPackets on real captures', () => {
  it('raw loopback reply: only type and checksum change, aligned past the 20-byte IPv4 header', () => {
    const diff = diffOf(samples.onTimeLoopback);
    expect(diff.comparable).toBe(true);
    expect(diff.replyStart).toBe(20);
    expect(diff.alignment).toMatch(/first 20 bytes are its IPv4 header/);
    expect(diff.alignment).toMatch(/TTL 64/);
    expect(fields(diff)).toEqual(['Type', 'Checksum']);
    const [type, checksum] = diff.entries;
    expect(type).toMatchObject({ request: '08', reply: '00', cause: 'expected' });
    expect(type?.why).toMatch(/Echo Request \(8\) becomes Echo Reply \(0\)/);
    expect(checksum?.cause).toBe('expected');
    // The whole field is shown, though only its high byte changed.
    expect(checksum).toMatchObject({ start: 2, end: 4, request: samples.onTimeLoopback.requestHex.slice(4, 8).replace(/(..)(..)/, '$1 $2') });
    expect(checksum?.why).toMatch(/by 0x0800/);
    expect(checksum?.why).toMatch(/RFC 1624/);
    // 0x7ba0 -> 0x83a0: only the checksum's high byte moves.
    expect([...diff.requestChanged]).toEqual([0, 2]);
    expect([...diff.replyChanged]).toEqual([20, 22]);
    expect(diff.compared).toBe(64);
    expect(diff.lengthNote).toBe('');
    expect(diff.verdict).toBe('Only the expected bytes changed: type, checksum.');
  });

  it('datagram reply: no IP header to skip, identifier as the kernel set it', () => {
    const diff = diffOf(samples.onTimeDatagram);
    expect(diff.replyStart).toBe(0);
    expect(diff.alignment).toMatch(/without its IP header/);
    expect(fields(diff)).toEqual(['Type', 'Checksum']);
    expect(diff.entries.every((e) => e.cause === 'expected')).toBe(true);
  });

  it('ICMPv6 loopback: 128 -> 129, and the checksum the kernel filled in is not called damage', () => {
    const diff = diffOf(samples.onTimeLoopbackV6);
    expect(diff.replyStart).toBe(0);
    expect(fields(diff)).toEqual(['Type', 'Checksum']);
    const [type, checksum] = diff.entries;
    expect(type).toMatchObject({ request: '80', reply: '81', cause: 'expected' });
    expect(type?.why).toMatch(/Echo Request \(128\) becomes Echo Reply \(129\).*RFC 4443/);
    expect(checksum).toMatchObject({ request: '00 00', cause: 'kernel' });
    expect(checksum?.why).toMatch(/checksum 0 and the kernel filled it in .*pseudo-header/);
    expect(diff.verdict).toBe('Only the expected bytes changed: type, checksum (checksum by the kernel).');
  });

  it('bad checksum: the checksum does not follow from the other bytes', () => {
    const diff = diffOf(samples.badChecksum);
    const checksum = diff.entries.find((e) => e.field === 'Checksum');
    expect(checksum?.cause).toBe('damage');
    expect(checksum?.why).toMatch(/should be 0xb27a, but it is 0xb27b/);
    expect(diff.verdict).toMatch(/^Damaged: checksum/);
  });

  it('truncated reply: compares what is there and says how much is missing', () => {
    const diff = diffOf(samples.truncated);
    expect(diff.compared).toBe(36);
    expect(diff.lengthNote).toMatch(/28 bytes shorter than the request \(36 of 64\)/);
    expect(diff.verdict).toMatch(/^Truncated: 28 bytes/);
    // Length changed, so the checksum sums other bytes: no RFC 1624 prediction is made.
    expect(diff.entries.find((e) => e.field === 'Checksum')?.why).toMatch(/another length/);
  });

  it('ICMP error: compares the request with the quoted copy, not with the error itself', () => {
    const diff = diffOf(samples.timeExceeded);
    expect(diff.replyStart).toBe(48);
    expect(diff.alignment).toMatch(/quotes it/);
    expect(diff.alignment).toMatch(/IPv4 header, the error's own ICMP header and the quoted IPv4 header \(48 bytes\)/);
    expect(diff.entries).toEqual([]);
    expect(diff.verdict).toBe('The quoted copy is identical to the request as sent.');
  });

  it('nothing to compare for sends, losses and foreign messages without a request', () => {
    expect(diffOf(samples.sendLoopback)).toMatchObject({ comparable: false, alignment: expect.stringMatching(/request itself/) });
    expect(diffOf(samples.lost)).toMatchObject({ comparable: false, alignment: expect.stringMatching(/Nothing came back/) });
    expect(diffOf(samples.wrongId)).toMatchObject({ comparable: false, alignment: expect.stringMatching(/no request/) });
  });
});

describe('diffPackets on altered bytes', () => {
  const base = samples.onTimeLoopback;

  function withReplyByte(offset: number, value: number): PacketDetail {
    const bytes = base.replyHex.match(/../g) as string[];
    bytes[offset] = value.toString(16).padStart(2, '0');
    return { ...base, replyHex: bytes.join('') };
  }

  it('a changed payload byte is damage, reported as the stretch of the pattern that changed', () => {
    const diff = diffOf(withReplyByte(20 + 40, 0xff));
    const entry = diff.entries.find((e) => e.field.startsWith('Pattern'));
    expect(entry?.cause).toBe('damage');
    expect(entry?.field).toBe('Pattern, byte 40');
    // The checksum was not updated for that byte, so it no longer fits either.
    expect(diff.entries.find((e) => e.field === 'Checksum')?.cause).toBe('damage');
    expect(entry).toMatchObject({ request: '20', reply: 'ff', start: 40, end: 41 });
    expect(diff.verdict).toMatch(/^Damaged: checksum, pattern, byte 40/);
  });

  it('a changed identifier without a kernel rewrite is a mismatch, with one', () => {
    const altered = withReplyByte(20 + 4, 0x00);
    expect(diffOf(altered).entries.find((e) => e.field === 'Identifier')?.cause).toBe('mismatch');
    const rewritten = { ...altered, identifierRewritten: true, kernelIdentifier: 0x0032 };
    const entry = diffOf(rewritten).entries.find((e) => e.field === 'Identifier');
    expect(entry?.cause).toBe('kernel');
    expect(entry?.why).toMatch(/kernel wrote its own identifier 0x0032/);
  });

  it('the wrong echo type is a mismatch, not the expected 8 -> 0', () => {
    const entry = diffOf(withReplyByte(20, 3)).entries.find((e) => e.field === 'Type');
    expect(entry?.cause).toBe('mismatch');
  });
});
