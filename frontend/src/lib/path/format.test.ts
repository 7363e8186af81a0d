import { describe, expect, it } from 'vitest';
import { answerWord, hostText, lossText, msText, secondsToMs, wholeOrDefault } from './format';

describe('path view words', () => {
  it("writes mtr's columns", () => {
    expect(lossText({ lossPercent: 40, sent: 10 })).toBe('40.0');
    expect(lossText({ lossPercent: 100 / 3, sent: 3 })).toBe('33.3');
    expect(lossText({ lossPercent: 0, sent: 0 })).toBe('–');
    expect(msText(0.0432)).toBe('0.0');
    expect(msText(12.345)).toBe('12.3');
    expect(msText(null)).toBe('–');
  });
  it('names a hop by name and address, address, or ???', () => {
    expect(hostText({ addrs: ['198.18.4.2'], names: ['r1.example'] })).toBe('r1.example (198.18.4.2)');
    expect(hostText({ addrs: ['198.18.4.2'], names: [''] })).toBe('198.18.4.2');
    expect(hostText({ addrs: [], names: [] })).toBe('???');
  });
  it('says what answered', () => {
    expect(answerWord('icmp-error', false)).toContain('Time Exceeded');
    expect(answerWord('reply', true)).toBe('echo reply from the destination');
  });
  it('reads the form, empty or nonsense meaning the default', () => {
    expect(secondsToMs('0.5')).toBe(500);
    expect(secondsToMs('')).toBe(0);
    expect(secondsToMs('-1')).toBe(0);
    expect(secondsToMs('x')).toBe(0);
    expect(wholeOrDefault('12')).toBe(12);
    expect(wholeOrDefault('1.5')).toBe(0);
    expect(wholeOrDefault('')).toBe(0);
  });
});
