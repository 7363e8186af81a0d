import { describe, expect, it } from 'vitest';
import { answerWord, formOf, hostText, lossText, msText, secondsToMs, traceLabel, wholeOrDefault } from './format';

describe('path view words', () => {
  it("writes mtr's columns", () => {
    expect(lossText({ lossPercent: 40, sent: 10 })).toBe('40.0');
    expect(lossText({ lossPercent: 100 / 3, sent: 3 })).toBe('33.3');
    expect(lossText({ lossPercent: 0, sent: 0 })).toBe('–');
    expect(msText(12.345)).toBe('12.3');
    expect(msText(null)).toBe('–');
  });
  it('writes sub-millisecond times with the ping view\'s precision, not mtr\'s "0.0"', () => {
    expect(msText(0.02)).toBe('0.020');
    expect(msText(0.0432)).toBe('0.043');
    expect(msText(1.234)).toBe('1.23');
    expect(msText(245.4)).toBe('245');
  });
  it('labels a stored trace in History and gives its form back', () => {
    expect(traceLabel({ target: 'example.org', addr: '192.0.2.9', traceHops: 4 })).toBe('Path to example.org (192.0.2.9), 4 hops');
    expect(traceLabel({ target: '192.0.2.9', addr: '192.0.2.9', traceHops: 1 })).toBe('Path to 192.0.2.9, 1 hop');
    expect(formOf({ target: 'h', rounds: 8, intervalMs: 250, maxHops: 0, reverseDns: true })).toEqual({ target: 'h', rounds: '8', interval: '0.25', maxHops: '30', reverseDns: true });
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
