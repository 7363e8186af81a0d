import { describe, expect, it } from 'vitest';
import { hex16, hex32, plural, receiverCheck, verdictOf } from './checksum';
import type { ChecksumReport } from './wire/types';

const base: ChecksumReport = {
  layer: 'ICMPv4',
  fieldOffset: 2,
  start: 0,
  end: 8,
  pseudoHeader: false,
  received: 0x1c2d,
  computed: 0x1c2d,
  correct: true,
  verifiable: true,
  kernelFilled: false,
  receiverSum: 0xffff,
  trace: { steps: [], folds: [], sum: 0xe3d2, result: 0x1c2d },
};

describe('checksum words', () => {
  it('prints 16- and 32-bit values the way the walkthrough needs', () => {
    expect(hex16(0x2d)).toBe('0x002d');
    expect(hex16(0x1_0001)).toBe('0x0001');
    expect(hex32(0x2_a1b3)).toBe('0x0002_a1b3');
  });

  it('says correct, wrong or not verifiable, in words as well as colour', () => {
    expect(verdictOf(base)).toMatchObject({ kind: 'ok', word: 'correct' });
    const wrong = verdictOf({ ...base, received: 0xbeef, correct: false });
    expect(wrong).toMatchObject({ kind: 'bad', word: 'wrong' });
    expect(wrong.sentence).toContain('0xbeef');
    expect(wrong.sentence).toContain('0x1c2d');
    expect(verdictOf({ ...base, verifiable: false, correct: false })).toMatchObject({ kind: 'warn', word: 'not verifiable' });
  });
});

describe('the sum and its complement, in exact words', () => {
  // The textbook echo request 0800 0000 000d 0025: sum 0x0832, complement 0xf7cd.
  const echo: ChecksumReport = { ...base, received: 0, computed: 0xf7cd, correct: false, receiverSum: 0x0832, trace: { steps: [], folds: [], sum: 0x0832, result: 0xf7cd } };

  it('says which number is the sum and which its complement', () => {
    expect(verdictOf(echo).sentence).toBe(
      "Received 0x0000, but the one's complement sum of the covered words, checksum taken as 0, is 0x0832 and its complement is 0xf7cd, so the checksum should be 0xf7cd: a receiver would drop this packet.",
    );
  });

  it('words the receiver check', () => {
    expect(receiverCheck({ ...echo, received: 0xf7cd, correct: true, receiverSum: 0xffff }).sentence).toBe(
      'A receiver adds every word including the checksum: 0x0832 + 0xf7cd = 0xffff, all ones → valid.',
    );
    expect(receiverCheck(echo)).toMatchObject({ valid: false, sum: '0x0832 + 0x0000 = 0x0832' });
  });

  it('words a checksum the kernel fills', () => {
    const v6: ChecksumReport = { ...echo, layer: 'ICMPv6', pseudoHeader: true, kernelFilled: true, computed: 0x3acb, receiverSum: 0xffff, trace: { steps: [], folds: [], sum: 0xc534, result: 0x3acb } };
    expect(verdictOf(v6)).toMatchObject({ kind: 'ok', word: 'filled by the kernel' });
    expect(verdictOf(v6).sentence).toBe(
      "Left 0 for the kernel to fill; on the wire it is 0x3acb: the one's complement sum of the covered words, checksum taken as 0, is 0xc534 and its complement is 0x3acb (pseudo-header included).",
    );
    expect(receiverCheck(v6).sentence).toBe('A receiver adds every word including the checksum the kernel writes: 0xc534 + 0x3acb = 0xffff, all ones → valid.');
  });
});

describe('plural', () => {
  it('counts words and carries in English', () => {
    expect(plural(1, 'word')).toBe('1 word');
    expect(plural(12, 'word')).toBe('12 words');
    expect(plural(0, 'carry', 'carries')).toBe('0 carries');
    expect(plural(1, 'carry', 'carries')).toBe('1 carry');
  });
});
