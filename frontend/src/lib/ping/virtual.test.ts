import { describe, expect, it } from 'vitest';
import { MAX_SPACER_PX, scrollToReveal, scrollTopFor, tableLayout, topRowAt, visibleWindow } from './virtual';

describe('virtual table math', () => {
  it('renders only the visible rows plus overscan', () => {
    const l = tableLayout(1000, 24, 240); // 10 rows visible
    expect(l.scaled).toBe(false);
    expect(l.spacerPx).toBe(24_000);
    const w = visibleWindow(l, 24 * 100, 5);
    expect(w.start).toBe(95);
    expect(w.end).toBe(100 + 10 + 1 + 5);
    expect(w.offsetPx).toBe(95 * 24);
  });

  it('clamps at both ends and handles an empty table', () => {
    const l = tableLayout(8, 24, 240);
    expect(visibleWindow(l, 0, 6)).toEqual({ start: 0, end: 8, offsetPx: 0 });
    expect(visibleWindow(tableLayout(0, 24, 240), 500)).toEqual({ start: 0, end: 0, offsetPx: 0 });
  });

  it('keeps a million rows under the spacer limit and still reaches the first and last row', () => {
    const total = 1_000_000;
    const l = tableLayout(total, 24, 480);
    expect(l.scaled).toBe(true);
    expect(l.spacerPx).toBe(MAX_SPACER_PX);
    expect(topRowAt(l, 0)).toBe(0);
    const bottom = l.spacerPx - l.viewportPx;
    const last = visibleWindow(l, bottom, 0);
    expect(last.end).toBe(total);
    expect(last.end - last.start).toBeLessThanOrEqual(22);
    // The middle of the scrollbar is the middle of the rows.
    expect(Math.round(topRowAt(l, bottom / 2))).toBe(Math.round((total - 20) / 2));
    // scrollTopFor is topRowAt's inverse.
    expect(topRowAt(l, scrollTopFor(l, 123_456))).toBeCloseTo(123_456, 3);
  });

  it('the first rendered row sits where the viewport shows it, scaled or not', () => {
    for (const total of [500, 2_000_000]) {
      const l = tableLayout(total, 24, 480);
      const scrollTop = l.spacerPx * 0.37;
      const w = visibleWindow(l, scrollTop, 0);
      const top = topRowAt(l, scrollTop);
      // Row `start` is drawn (top - start) rows above the viewport's top edge.
      expect(w.offsetPx).toBeCloseTo(scrollTop - (top - w.start) * 24, 6);
    }
  });

  it('scrolls the least to reveal a row, and not at all when it is visible', () => {
    const l = tableLayout(1000, 24, 240);
    expect(scrollToReveal(l, 2400, 105)).toBeNull();
    expect(scrollToReveal(l, 2400, 99)).toBe(99 * 24);
    expect(scrollToReveal(l, 2400, 110)).toBe((111 - 10) * 24);
  });
});
