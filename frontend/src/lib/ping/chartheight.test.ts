import { describe, expect, it } from 'vitest';
import { plotHeight, PLOT_MAX, PLOT_MIN } from './chartheight';

describe('plotHeight', () => {
  it('keeps the smallest height up to a 760 px window, grows with taller ones, and stops', () => {
    expect(plotHeight(700)).toBe(PLOT_MIN);
    expect(plotHeight(760)).toBe(PLOT_MIN);
    expect(plotHeight(820)).toBe(194);
    expect(plotHeight(1080)).toBe(298);
    expect(plotHeight(1440)).toBe(PLOT_MAX);
    expect(plotHeight(4000)).toBe(PLOT_MAX);
  });
});
