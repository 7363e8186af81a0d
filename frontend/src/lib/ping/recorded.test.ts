import { describe, expect, it } from 'vitest';
import type { SessionInfo } from '../api/types';
import { defaultOptions } from './request';
import { formForAgain, recordedSummary } from './recorded';

const info: SessionInfo = {
  id: '7', target: 'host.test', addr: '192.0.2.1', family: 4, engine: 'in-process-raw', socket: 'raw',
  intervalMs: 200, timeoutMs: 900, count: 5, payloadSize: 100, startedAt: '2026-12-07T10:00:00Z', endedAt: '2026-12-07T10:00:01Z', imported: false, importedFrom: '',
};

describe('recorded options', () => {
  it('says what the session ran with', () => {
    expect(recordedSummary(info)).toBe('5 × 200 ms · timeout 900 ms · 100 B · IPv4');
    expect(recordedSummary({ ...info, count: 0, family: 0 })).toBe('every 200 ms · timeout 900 ms · 100 B · auto IP');
  });

  it('pings again with the recorded options and keeps the ones history does not store', () => {
    const current = { ...defaultOptions(), ttl: 9, pattern: 'ff00', family: 6 as const };
    expect(formForAgain(current, info)).toEqual({ ...current, count: 5, intervalMs: 200, timeoutMs: 900, size: 100, family: 4 });
  });
});
