import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import StatCards from './StatCards.svelte';
import type { StatsView } from '../../lib/api/types';
import { formatMs } from '../../lib/ping/format';

const stats = {
  sent: 5, received: 5, lost: 0, lossPercent: 0, duplicates: 0, outOfOrder: 0, late: 0, corrupt: 0, errors: 0,
  minMs: 0.005, avgMs: 0.012, maxMs: 1234.56, mdevMs: 0.008, p50Ms: 0.01, p90Ms: 0.019, p99Ms: 0.019, jitterMs: 0.002,
} as unknown as StatsView;

/** The markup of the min / avg / max / mdev card. */
function rttCard(html: string): string {
  const start = html.indexOf('data-stat="rtt"');
  return html.slice(start, html.indexOf('data-stat="p90"'));
}

describe('StatCards: min / avg / max / mdev', () => {
  it('keeps each of the four numbers whole in its own box, so the card wraps between them instead of cutting one off', () => {
    const card = rttCard(render(StatCards, { props: { stats } }).body);
    const parts = [...card.matchAll(/<span class="num[^"]*">([^<]*)<\/span>/g)].map((m) => m[1]);
    expect(parts).toEqual(['0.005 / ', '0.012 / ', `${formatMs(1234.56)} / `, '0.008']);
    expect(card).toMatch(/<span class="unit[^"]*"> ms<\/span>/);
  });

  it('reads as one line of text for tests and screen readers: "a / b / c / d ms"', () => {
    const card = rttCard(render(StatCards, { props: { stats } }).body);
    const text = card.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]+>/g, '').replace(/^[^>]*>/, '').replace(/\s+/g, ' ');
    expect(text).toContain(`min / avg / max / mdev 0.005 / 0.012 / ${formatMs(1234.56)} / 0.008 ms`);
  });

  it('shows a dash, no unit, before any reply', () => {
    const card = rttCard(render(StatCards, { props: { stats: { ...stats, received: 0 } } }).body);
    expect(card).not.toMatch(/class="num[^"]*">0/);
    expect(card).toMatch(/>–</);
  });

  it('every other number is a box of its own too, its unit apart, so a narrow card wraps before the unit', () => {
    const html = render(StatCards, { props: { stats } }).body;
    const p90 = html.slice(html.indexOf('data-stat="p90"'), html.indexOf('data-stat="jitter"'));
    expect(p90).toMatch(new RegExp(`<span class="num[^"]*">${formatMs(0.019).replace('.', '\\.')}</span>`));
    expect(p90).toMatch(/<span class="unit[^"]*"> ms<\/span>/);
  });
});

describe('StatCards: definitions', () => {
  it('gives every card a tooltip that defines its figure', () => {
    const html = render(StatCards, { props: { stats } }).body;
    const cards = [...html.matchAll(/<div class="card[^"]*"[^>]*>/g)].map((m) => m[0]);
    expect(cards.length).toBe(12); // with Sending (the schedule), always shown
    for (const card of cards) expect(card).toMatch(/title="[^"]{20,}"/);
    expect(html).toMatch(/data-stat="jitter" title="RFC 3550 interarrival jitter/);
  });
});

describe('StatCards: the sender\'s own schedule', () => {
  function card(html: string, key: string): string {
    const start = html.indexOf(`data-stat="${key}"`);
    const end = html.indexOf('data-stat=', start + 10);
    return html.slice(start, end < 0 ? undefined : end);
  }
  const text = (html: string) => html.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]+>/g, '').replace(/^[^>]*>/, '').replace(/\s+/g, ' ');

  it('says "on time" when the schedule was kept, with what a late send is as a tooltip', () => {
    const c = card(render(StatCards, { props: { stats: { ...stats, sendsLate: 0, sendLateMaxMs: 0 } } }).body, 'sender-late');
    expect(text(c)).toContain('Sending on time');
    expect(text(c)).not.toContain('×');
    expect(text(c)).not.toContain('ms');
    expect(c).toMatch(/title="Requests the engine sent later than their slot/);
    expect(c).not.toContain('aria-label="nonzero"');
  });

  it('counts the late sends and names the worst slip, flagged', () => {
    const c = card(render(StatCards, { props: { stats: { ...stats, sendsLate: 12, sendLateMaxMs: 37.5 } } }).body, 'sender-late');
    expect(text(c)).toContain(`Sending▲ 12 late, max ${formatMs(37.5)} ms`);
    expect(c).toContain('aria-label="nonzero"');
  });

  it('shows packets the engine could not pass on only when there are some', () => {
    expect(render(StatCards, { props: { stats } }).body).not.toContain('data-stat="events-dropped"');
    const c = card(render(StatCards, { props: { stats: { ...stats, eventsDropped: 3 } } }).body, 'events-dropped');
    expect(text(c)).toMatch(/Not recorded▲? 3/);
  });
});
