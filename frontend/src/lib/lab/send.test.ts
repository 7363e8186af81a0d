import { describe, expect, it } from 'vitest';
import { explainSend } from './send';
import type { LabResult } from './types';
import classicJSON from './testdata/lesson-classic.json';
import correctJSON from './testdata/lesson-correct.json';

const classic = (classicJSON as LabResult).analysis!;
const correct = (correctJSON as LabResult).analysis!;
const base = { target: '127.0.0.1', addr: '127.0.0.1', sent: '', engine: 'raw', kernelChecksum: false, rttMillis: 0.042 };

describe('words for a crafted send', () => {
  it('checks the reply identifier and sequence as the classic example did', () => {
    const out = explainSend({ ...base, reply: '0000ffcd000d0025', timedOut: false }, correct, { ...correct.fields!, type: 0 });
    expect(out.kind).toBe('ok');
    expect(out.headline).toBe('Echo reply from 127.0.0.1 in 0.042 ms');
    expect(out.lines).toEqual(['Identifier 13 = sent 13: match.', 'Sequence 37 = sent 37: match.']);
    const other = explainSend({ ...base, reply: 'x', timedOut: false }, correct, { ...correct.fields!, seq: 38 });
    expect(other.kind).toBe('warn');
    expect(other.lines[1]).toBe('Sequence 38 ≠ sent 37: no match.');
  });

  it("explains the classic example's silence", () => {
    const out = explainSend({ ...base, reply: '', timedOut: true }, classic, null);
    expect(out.kind).toBe('bad');
    expect(out.headline).toBe('No reply from 127.0.0.1: timed out');
    expect(out.lines[0]).toContain('The checksum in the bytes was 0xf2ff, but RFC 1071 gives 0xf7cd');
    expect(out.lines[0]).toContain('a timeout is all a sender ever sees');
  });

  it('does not blame a right checksum, and names what the kernel did to an ICMPv6 one', () => {
    expect(explainSend({ ...base, reply: '', timedOut: true }, correct, null).lines[0]).toMatch(/^The checksum was right/);
    const v6 = explainSend({ ...base, reply: '', timedOut: true, kernelChecksum: true }, classic, null);
    expect(v6.lines.join(' ')).toContain('The kernel computed this ICMPv6 checksum itself');
    expect(v6.kind).toBe('warn');
  });
});
