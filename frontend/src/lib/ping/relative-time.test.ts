import { describe, expect, it } from 'vitest';
import { epochMicros, preferRelative, sinceStart } from './relative-time';

describe('relative time', () => {
  it('keeps the microseconds Date drops', () => {
    expect(epochMicros('2026-12-07T12:52:38.874123456Z')).toBe(Date.parse('2026-12-07T12:52:38Z') * 1000 + 874123);
    expect(epochMicros('2026-12-07T12:52:38Z')).toBe(Date.parse('2026-12-07T12:52:38Z') * 1000);
    expect(epochMicros('2026-12-07T13:52:38.5+01:00')).toBe(Date.parse('2026-12-07T12:52:38Z') * 1000 + 500000);
    expect(epochMicros('yesterday')).toBeNull();
  });

  it('shows ms since start with µs precision', () => {
    expect(sinceStart('2026-12-07T12:52:38.001234567Z', '2026-12-07T12:52:38Z')).toBe('1.234');
    expect(sinceStart('2026-12-07T12:52:39.000001Z', '2026-12-07T12:52:38.000000Z')).toBe('1000.001');
    expect(sinceStart('', '2026-12-07T12:52:38Z')).toBe('');
  });

  it('is offered below 10 ms intervals', () => {
    expect(preferRelative(5)).toBe(true);
    expect(preferRelative(10)).toBe(false);
    expect(preferRelative(undefined)).toBe(false);
  });
});
