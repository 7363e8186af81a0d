import { describe, expect, it } from 'vitest';
import { indices, OVERSCAN_ROWS, scrollToShow, visibleRows } from './visible-rows';

describe('rows of a long list on the page', () => {
  it('renders a short list whole, with no spacers', () => {
    expect(visibleRows(6, 20, 0, 400, 20)).toEqual({ start: 0, end: 6, before: 0, after: 0 });
    expect(visibleRows(0, 20, 0, 400, 20)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
  });

  it("renders the view and a few rows each side of it: 750 words, 14 in view, scrolled to the middle", () => {
    const r = visibleRows(750, 20, 4000, 280, 14);
    expect(r.start).toBe(200 - OVERSCAN_ROWS);
    expect(r.end).toBe(214 + OVERSCAN_ROWS);
    // The spacers and the rendered rows add up to the whole list, so the scroll bar is true.
    expect(r.before + (r.end - r.start) * 20 + r.after).toBe(750 * 20);
    expect(indices(r)).toHaveLength(r.end - r.start);
    expect(indices(r)[0]).toBe(r.start);
  });

  it('renders the last rows when scrolled to the end, and clamps a scroll past it', () => {
    expect(visibleRows(94, 21, 94 * 21 - 504, 504, 24)).toMatchObject({ end: 94, after: 0 });
    expect(visibleRows(94, 21, 99_999, 504, 24)).toMatchObject({ start: 94 - 24 - OVERSCAN_ROWS, end: 94, after: 0 });
  });

  it('renders the first rows before the box is measured', () => {
    expect(visibleRows(94, 21, 0, 0, 24)).toEqual({ start: 0, end: 24 + OVERSCAN_ROWS, before: 0, after: (94 - 24 - OVERSCAN_ROWS) * 21 });
  });

  it('scrolls a row into view by the least amount, and not at all when it is in view', () => {
    expect(scrollToShow(5, 20, 0, 200)).toBe(0);
    expect(scrollToShow(10, 20, 0, 200)).toBe(20); // row 10 spans 200..220: its bottom edge comes into view
    expect(scrollToShow(2, 20, 100, 200)).toBe(40);
    expect(scrollToShow(50, 20, 0, 0)).toBe(0); // an unmeasured box is left alone
  });
});
