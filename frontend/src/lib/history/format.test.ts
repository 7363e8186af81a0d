import { describe, expect, it } from 'vitest';
import type { SessionInfo, SessionSummary } from '../api/types';
import { badgesOf, formatDuration, formatWhen, millisBetween, recordedCaption, targetLabel } from './format';

function summary(extra: Partial<SessionSummary> = {}): SessionSummary {
  return { id: '1', target: 'example.org', addr: '192.0.2.1', engine: 'agent-raw', startedAt: '2026-11-27T05:04:31.5Z', endedAt: '', durationMs: 0, sent: 0, received: 0, lossPercent: 0, medianMs: null, packets: 0, running: false, imported: false, importedFrom: '', interrupted: false, monitorId: '', kind: 'ping', traceId: '', traceHops: 0, ...extra };
}

function info(extra: Partial<SessionInfo> = {}): SessionInfo {
  return { id: '1', target: 'example.org', addr: '192.0.2.1', family: 4, engine: 'agent-raw', socket: 'raw', intervalMs: 1000, timeoutMs: 2000, count: 0, payloadSize: 56, startedAt: '2026-11-27T05:04:31Z', endedAt: '2026-11-27T05:07:36Z', imported: false, importedFrom: '', request: { target: 'example.org', count: 0, intervalMs: 1000, timeoutMs: 2000, size: 56, sizeSet: true, pattern: '', ttl: 0, dontFragment: false, family: 0, source: '' }, ...extra };
}

describe('formatDuration', () => {
  it.each([
    [0, '–'],
    [-5, '–'],
    [Number.NaN, '–'],
    [850, '850 ms'],
    [4_200, '4.2 s'],
    [42_900, '42 s'],
    [185_000, '3 min 05 s'],
    [2 * 3600_000 + 7 * 60_000 + 59_000, '2 h 07 min'],
    [3 * 86_400_000 + 4 * 3600_000, '3 d 4 h'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('times', () => {
  it('shows local time as year-month-day hours:minutes:seconds', () => {
    const d = new Date(2026, 10, 27, 5, 4, 31);
    expect(formatWhen(d.toISOString())).toBe('2026-11-27 05:04:31');
    expect(formatWhen('')).toBe('–');
    expect(formatWhen('not a time')).toBe('not a time');
  });

  it('measures between two times, 0 when one is missing or they are backwards', () => {
    expect(millisBetween('2026-11-27T05:04:31Z', '2026-11-27T05:04:33.5Z')).toBe(2500);
    expect(millisBetween('2026-11-27T05:04:31Z', '')).toBe(0);
    expect(millisBetween('2026-11-27T05:04:31Z', '2026-11-27T05:04:30Z')).toBe(0);
  });
});

describe('History row words', () => {
  it('names running, imported (with the file) and interrupted sessions', () => {
    expect(badgesOf(summary())).toEqual([]);
    expect(badgesOf(summary({ running: true })).map((b) => b.text)).toEqual(['running']);
    expect(badgesOf(summary({ imported: true, importedFrom: 'lo.pcapng' })).map((b) => b.text)).toEqual(['imported: lo.pcapng']);
    expect(badgesOf(summary({ interrupted: true }))[0]?.kind).toBe('interrupted');
  });

  it('shows the address only when it differs from the target', () => {
    expect(targetLabel(summary())).toBe('example.org (192.0.2.1)');
    expect(targetLabel(summary({ target: '127.0.0.1', addr: '127.0.0.1' }))).toBe('127.0.0.1');
    expect(targetLabel(summary({ target: '', addr: '::1' }))).toBe('::1');
  });
});

describe('recordedCaption', () => {
  it('says when a session was recorded and how long it ran', () => {
    const i = info();
    expect(recordedCaption(i, null)).toBe(`Recorded ${formatWhen(i.startedAt)} · 3 min 05 s`);
  });

  it('says where an imported session came from', () => {
    expect(recordedCaption(info({ imported: true, importedFrom: 'lo.pcapng' }), null)).toBe('Imported from lo.pcapng');
  });

  it('falls back to the stats elapsed time and says the session was interrupted', () => {
    const caption = recordedCaption(info({ endedAt: '' }), { elapsedMs: 4200 } as never);
    expect(caption).toMatch(/· 4\.2 s, interrupted/);
  });
});
