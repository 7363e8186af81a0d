import { describe, expect, it } from 'vitest';
import { defaultForm, echoRequestType, lessonForm, readNumber, toSpec } from './form';

describe('lab form', () => {
  it('reads decimal and 0x hex within the width', () => {
    expect(readNumber('Identifier', '13', 0xffff)).toBe(13);
    expect(readNumber('Identifier', ' 0x0D ', 0xffff)).toBe(13);
    expect(readNumber('Type', '256', 0xff)).toBe('Type 256 is too large: at most 255 (0xff)');
    expect(readNumber('Sequence', '1e3', 0xffff)).toMatch(/not a number/);
    expect(readNumber('Sequence', '-1', 0xffff)).toMatch(/not a number/);
    expect(readNumber('Code', '', 0xff)).toBe('Code is empty');
  });

  it('turns the lesson preset into the classic example packet', () => {
    const result = toSpec(lessonForm('classic'));
    expect(result).toEqual({
      spec: { family: 4, type: 8, code: 0, id: 13, seq: 37, payloadKind: 'text', payload: '', size: 0, mode: 'classic', checksum: 0, src: '', dst: '' },
    });
  });

  it('reads the kept checksum only in keep mode and the size only for a pattern', () => {
    const form = { ...defaultForm(), checksum: 'bad', size: 'bad' };
    expect('spec' in toSpec(form)).toBe(true);
    expect(toSpec({ ...form, mode: 'keep' })).toEqual({ error: 'Checksum "bad" is not a number (write 13 or 0x0d)' });
    expect(toSpec({ ...form, payloadKind: 'pattern' })).toEqual({ error: 'Size "bad" is not a number (write 13 or 0x0d)' });
    const kept = toSpec({ ...defaultForm(), mode: 'keep', checksum: '0xf2ff' });
    expect('spec' in kept && kept.spec.checksum).toBe(0xf2ff);
  });

  it('passes the pseudo-header addresses for ICMPv6 only', () => {
    const v6 = toSpec({ ...defaultForm(), family: 6, type: '128', src: ' ::1 ' });
    expect('spec' in v6 && [v6.spec.src, v6.spec.dst]).toEqual(['::1', '::1']);
    expect(echoRequestType(6)).toBe(128);
    expect(echoRequestType(4)).toBe(8);
  });
});
