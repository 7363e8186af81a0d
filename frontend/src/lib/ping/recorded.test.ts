import { describe, expect, it } from 'vitest';
import type { PingRequest, SessionInfo } from '../api/types';
import { formForAgain, recordedSummary } from './recorded';

const request: PingRequest = {
  target: 'host.test', count: 5, intervalMs: 200, timeoutMs: 900, size: 100, sizeSet: true,
  pattern: '', ttl: 0, dontFragment: false, family: 4, source: '',
};

const info: SessionInfo = {
  id: '7', target: 'host.test', addr: '192.0.2.1', family: 4, engine: 'in-process-raw', socket: 'raw',
  intervalMs: 200, timeoutMs: 900, count: 5, payloadSize: 100, startedAt: '2026-12-07T10:00:00Z', endedAt: '2026-12-07T10:00:01Z', imported: false, importedFrom: '',
  request,
};

describe('recorded options', () => {
  it('says what the session ran with', () => {
    expect(recordedSummary(info)).toBe('5 × 200 ms · timeout 900 ms · 100 B · IPv4');
    expect(recordedSummary({ ...info, request: { ...request, count: 0, family: 0 } })).toBe('every 200 ms · timeout 900 ms · 100 B · auto IP');
  });

  it('names the options that differ from the defaults', () => {
    const all = { ...info, request: { ...request, ttl: 9, pattern: 'ff00', dontFragment: true, source: '192.0.2.9' } };
    expect(recordedSummary(all)).toBe("5 × 200 ms · timeout 900 ms · 100 B · IPv4 · TTL 9 · pattern ff00 · don't fragment · from 192.0.2.9");
  });

  it('pings again with every recorded option, none of the current form', () => {
    const all = { ...info, request: { ...request, ttl: 9, pattern: 'ff 00', dontFragment: true, family: 6 as const, source: '2001:db8::9' } };
    expect(formForAgain(all)).toEqual({ count: 5, intervalMs: 200, timeoutMs: 900, size: 100, pattern: 'ff 00', ttl: 9, dontFragment: true, family: 6, source: '2001:db8::9' });
  });

  it('takes the size the session used when the form asked for the default', () => {
    expect(formForAgain({ ...info, payloadSize: 56, request: { ...request, size: 0, sizeSet: false } }).size).toBe(56);
  });
});
