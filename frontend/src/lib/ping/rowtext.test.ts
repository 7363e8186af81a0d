import { describe, expect, it } from 'vitest';
import type { Row } from '../api/types';
import { clockTime, formatMs } from './format';
import { sinceStart } from './relative-time';
import { rowRtt, rowTextCounters, rowTime } from './rowtext';

function rowAt(n: number, rttMs: number | null): Row {
  return { n, kind: 'reply', time: `2026-12-07T23:00:0${n % 10}.123456789Z`, type: 'Echo Reply', code: 0, index: n, seq: n, id: 1, bytes: 64, ttl: 64, rttMs, class: 'on-time', from: '127.0.0.1', note: '' };
}

describe('rowtext: a row\'s table texts are made once per row', () => {
  it('says what format.ts and relative-time.ts say', () => {
    const r = rowAt(3, 0.0437);
    expect(rowTime(r, '')).toBe(clockTime(r.time));
    expect(rowRtt(r)).toBe(formatMs(0.0437));
    expect(rowRtt(rowAt(4, null))).toBe('–');
    const start = '2026-12-07T23:00:00.000000001Z';
    expect(rowTime(r, start)).toBe(sinceStart(r.time, start));
    expect(rowTime(r, start)).toBe('3123.456');
    expect(rowTime(r, '')).toBe(clockTime(r.time)); // back to the clock
  });

  it('formats a row shown at 25 frames once, not at every frame', () => {
    const rows = Array.from({ length: 200 }, (_, n) => rowAt(n, n / 7));
    const before = rowTextCounters.made;
    // A following table of 25 rows that moves 8 rows a frame: each row is drawn at ~3 frames.
    for (let end = 25; end <= rows.length; end += 8) {
      for (const r of rows.slice(end - 25, end)) {
        rowTime(r, '');
        rowRtt(r);
      }
    }
    expect(rowTextCounters.made - before).toBeLessThanOrEqual(rows.length);
    expect(rowTextCounters.made - before).toBeGreaterThan(190);
  });
});
