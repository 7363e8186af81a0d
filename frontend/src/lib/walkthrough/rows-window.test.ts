import { describe, expect, it } from 'vitest';
import { rowWindow, TAIL_ROWS } from './rows-window';

describe('rows of a long walkthrough on the page', () => {
  it('shows a short list whole', () => {
    expect(rowWindow(4, 32, false)).toEqual({ head: 4, tail: 0, hidden: 0 });
    expect(rowWindow(32, 32, false)).toEqual({ head: 32, tail: 0, hidden: 0 });
  });
  it("shortens a 1500-byte packet's 750 words to the first and last rows", () => {
    const w = rowWindow(750, 32, false);
    expect(w).toEqual({ head: 32 - TAIL_ROWS, tail: TAIL_ROWS, hidden: 750 - 32 });
    expect(w.head + w.hidden + w.tail).toBe(750);
  });
  it('shows everything when asked, or when no limit applies', () => {
    expect(rowWindow(750, 32, true)).toEqual({ head: 750, tail: 0, hidden: 0 });
    expect(rowWindow(750, Infinity, false)).toEqual({ head: 750, tail: 0, hidden: 0 });
  });
});
