import { describe, expect, it } from 'vitest';
import { messageOf } from './handoff';
import type { Field, Report } from '../wire/types';

function report(layers: string[], fields: Partial<Field>[], hex: string): Report {
  return {
    summary: '', length: hex.length / 2, hex, layers, checksums: [], warnings: [],
    fields: fields.map((f) => ({ layer: '', name: '', offset: 0, length: 1, value: '', meaning: '', ...f })),
  };
}

describe('open in Lab: the outer ICMP message', () => {
  it('drops the IPv4 header', () => {
    const r = report(['IPv4', 'ICMPv4'], [{ layer: 'IPv4', name: 'Version' }, { layer: 'ICMPv4', name: 'Type', offset: 20 }], '45'.padEnd(40, '0') + '0800f7cd000d0025');
    expect(messageOf(r)).toEqual({ family: 4, hex: '0800f7cd000d0025' });
  });

  it('keeps the IPv6 addresses for the checksum', () => {
    const r = report(['IPv6', 'ICMPv6'], [
      { layer: 'IPv6', name: 'Source Address', offset: 8, value: '::1' },
      { layer: 'IPv6', name: 'Destination Address', offset: 24, value: '2001:db8::2' },
      { layer: 'ICMPv6', name: 'Type', offset: 40 },
    ], '60'.padEnd(80, '0') + '8000aaaa00010002');
    expect(messageOf(r)).toEqual({ family: 6, hex: '8000aaaa00010002', src: '::1', dst: '2001:db8::2' });
  });

  it('says why when there is no ICMP message', () => {
    expect(messageOf({ ...report([], [], ''), error: 'nothing to decode: no bytes' })).toBe('the bytes could not be decoded: nothing to decode: no bytes');
    expect(messageOf(report(['IPv4'], [{ layer: 'IPv4', name: 'Version' }], '45'))).toBe('no ICMP message in this packet (layers: IPv4)');
  });
});
