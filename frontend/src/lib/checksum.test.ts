import { describe, expect, it } from 'vitest';
import { hex16, hex32, plural, verdictOf } from './checksum';
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

describe('plural', () => {
  it('counts words and carries in English', () => {
    expect(plural(1, 'word')).toBe('1 word');
    expect(plural(12, 'word')).toBe('12 words');
    expect(plural(0, 'carry', 'carries')).toBe('0 carries');
    expect(plural(1, 'carry', 'carries')).toBe('1 carry');
  });
});
