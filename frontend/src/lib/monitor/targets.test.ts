import { describe, expect, it } from 'vitest';
import { MAX_TARGETS, cidrOf, expandCidr, parseList, splitTargets } from './targets';

describe('splitTargets', () => {
  it('takes lines, commas and spaces, and drops comments', () => {
    expect(splitTargets('a.example, b.example c.example\n# all of them\n192.0.2.1\t2001:db8::1 # last\r\n')).toEqual([
      'a.example', 'b.example', 'c.example', '192.0.2.1', '2001:db8::1',
    ]);
    expect(splitTargets('  \n , \n')).toEqual([]);
  });
});

describe('CIDR blocks', () => {
  it('counts host addresses as fping -g does', () => {
    expect(cidrOf('192.0.2.0/24')?.count).toBe(254);
    expect(cidrOf('192.0.2.0/31')?.count).toBe(2);
    expect(cidrOf('192.0.2.7/32')?.count).toBe(1);
    expect(cidrOf('10.0.0.0/22')?.count).toBe(1022);
    expect(cidrOf('2001:db8::/120')?.count).toBe(256);
    expect(cidrOf('host.example')).toBeNull();
  });

  it('expands a block to its hosts, from the network address whatever was written', () => {
    expect(expandCidr('192.0.2.9/30')).toEqual(['192.0.2.9', '192.0.2.10']);
    expect(expandCidr('192.0.2.255/32')).toEqual(['192.0.2.255']);
    expect(expandCidr('2001:db8::12/126')).toEqual(['2001:db8::10', '2001:db8::11', '2001:db8::12', '2001:db8::13']);
    expect(expandCidr('2001:db8::/127')).toEqual(['2001:db8::', '2001:db8::1']);
    expect(expandCidr('10.0.0.0/22')).toHaveLength(1022);
    expect(expandCidr('10.0.0.0/22').at(-1)).toBe('10.0.3.254');
  });

  it('refuses more than a /22 and malformed blocks in words', () => {
    expect(() => expandCidr('10.0.0.0/21')).toThrow(/2046 addresses; a monitor takes at most 1024/);
    expect(() => cidrOf('10.0.0.0/33')).toThrow(/not an address block/);
    expect(() => cidrOf('300.0.0.0/24')).toThrow(/not an address block/);
    expect(() => cidrOf('10.0.0.0/x')).toThrow(/not an address block/);
  });
});

describe('parseList', () => {
  it('keeps targets, reports blocks for confirmation and mistakes', () => {
    const p = parseList('a.example 192.0.2.0/30\n10.0.0.0/8, b.example, 1.2.3.4/99');
    expect(p.targets).toEqual(['a.example', 'b.example']);
    expect(p.blocks).toEqual([{ text: '192.0.2.0/30', count: 2 }]);
    expect(p.errors).toHaveLength(2);
    expect(p.errors[0]).toContain(`at most ${MAX_TARGETS}`);
    expect(p.errors[1]).toContain('1.2.3.4/99');
  });
});
