import { describe, expect, it } from 'vitest';
import { rowLinks } from './links';
import { samples } from './samples';

describe('rowLinks: a request names its answers, an answer its request', () => {
  it('a request answered 1.04 ms later names that reply with its RTT', () => {
    expect(rowLinks(samples.sendLoopback)).toEqual({
      lead: 'Seq 1 was answered by one row:',
      links: [{ row: 1, label: 'row 1', detail: ': reply on time, RTT 1.04 ms' }],
    });
  });

  it('duplicates and late replies are listed too', () => {
    const d = { ...samples.sendLoopback, answers: [
      { row: 1, kind: 'reply' as const, class: 'on-time' as const, rttMs: 0.012 },
      { row: 2, kind: 'reply' as const, class: 'duplicate' as const, rttMs: 0.02 },
    ] };
    expect(rowLinks(d).lead).toBe('Seq 1 was answered by 2 rows:');
    expect(rowLinks(d).links.map((l) => l.label + l.detail)).toEqual(['row 1: reply on time, RTT 0.012 ms', 'row 2: duplicate reply, RTT 0.020 ms']);
    const lost = { ...samples.lost, answers: [{ row: 9, kind: 'reply' as const, class: 'late' as const, rttMs: 512.3 }] };
    expect(rowLinks(lost).links[0]?.detail).toBe(': late reply (after the timeout), RTT 512.3 ms');
  });

  it('says nothing was received only when nothing came', () => {
    expect(rowLinks(samples.lost)).toEqual({ lead: 'Nothing was received for seq 2.', links: [] });
    expect(rowLinks({ ...samples.sendLoopback, answers: [] }).lead).toBe('Nothing has been received for seq 1.');
  });

  it('a reply links back to its request row', () => {
    expect(rowLinks(samples.onTimeLoopback)).toEqual({ lead: 'Answers seq 1, sent in', links: [{ row: 0, label: 'row 0', detail: '' }] });
    expect(rowLinks(samples.wrongId).lead).toBe('Not an answer to any request of this session.');
  });
});
