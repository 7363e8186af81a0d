import { describe, expect, it, vi } from 'vitest';
import { formatCount, formatMs, formatPercent, verdictOf } from './format';
import { optionProblems, defaultOptions, toRequest } from './request';

describe('formatting', () => {
  it('gives RTTs the precision their size deserves', () => {
    expect(formatMs(0.04321)).toBe('0.043');
    expect(formatMs(1.2749)).toBe('1.27');
    expect(formatMs(12.34)).toBe('12.3');
    expect(formatMs(245.6)).toBe('246');
    expect(formatMs(null)).toBe('–');
  });

  it('formats counts and loss', () => {
    expect(formatCount(1234567)).toBe('1\u2009234\u2009567');
    expect(formatPercent(0)).toBe('0 %');
    expect(formatPercent(2.54)).toBe('2.5 %');
    expect(formatPercent(50)).toBe('50 %');
  });

  it('groups counts as en-US does, with thin spaces, and without an Intl formatter per call', () => {
    const localeSays = (v: number) => Math.round(v).toLocaleString('en-US').replace(/,/g, '\u2009');
    const values = [0, 1, 9, 12, 999, 1000, 1001, 99_999, 100_000, 999_999, 1_000_000, 123_456_789, 2 ** 40, Number.MAX_SAFE_INTEGER, -1, -1000, -1_234_567, 0.4, 0.5, 999.5, 1234.49, -2.5];
    for (let v = 1; v < 1e15; v = v * 7 + 3) values.push(v);
    const spy = vi.spyOn(Number.prototype, 'toLocaleString');
    const got = values.map((v) => formatCount(v));
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    expect(got).toEqual(values.map(localeSays));
    // Beyond exact integers it still says what the locale says.
    expect(formatCount(1e21)).toBe(localeSays(1e21));
    expect(formatCount(Infinity)).toBe(localeSays(Infinity));
    expect(formatCount(-0.2)).toBe('0'); // the locale says "-0" of a count rounded to zero
  });

  it('names every class in a word and an icon, never colour alone', () => {
    const classes = ['on-time', 'out-of-order', 'late', 'duplicate', 'foreign', 'corrupt', 'icmp-error'] as const;
    const words = classes.map((c) => verdictOf({ kind: 'reply', class: c }).word);
    expect(new Set(words).size).toBe(classes.length);
    for (const c of classes) expect(verdictOf({ kind: 'reply', class: c }).icon).not.toBe('');
    expect(verdictOf({ kind: 'loss', class: '' })).toMatchObject({ word: 'lost', icon: 'bad' });
    expect(verdictOf({ kind: 'send', class: '' }).word).toBe('sent');
  });
});

describe('options form', () => {
  it('accepts the defaults and names each field at fault', () => {
    expect(optionProblems(defaultOptions())).toEqual([]);
    const bad = { ...defaultOptions(), count: -1, intervalMs: 0, ttl: 300, size: 70000, pattern: 'xyz' };
    const problems = optionProblems(bad).join(' ');
    for (const field of ['Count', 'Interval', 'TTL', 'Size', 'Pattern']) expect(problems).toContain(field);
    expect(optionProblems({ ...defaultOptions(), pattern: '00'.repeat(17) })).toEqual(['Pattern is at most 16 bytes.']);
  });

  it('builds the request with the target trimmed and the size explicit', () => {
    const r = toRequest('  example.org ', { ...defaultOptions(), size: 0 });
    expect(r.target).toBe('example.org');
    expect(r.size).toBe(0);
    expect(r.sizeSet).toBe(true);
  });
});
