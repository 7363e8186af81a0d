import { describe, expect, it } from 'vitest';
import { clampFraction, fractionAfterKey, fractionAtPointer, orientationFor } from './split';

const limits = { minFirst: 200, minSecond: 300 };

describe('split', () => {
  it('keeps both panes at their minimum', () => {
    expect(clampFraction(0.05, 1000, limits)).toBe(0.2);
    expect(clampFraction(0.95, 1000, limits)).toBe(0.7);
    expect(clampFraction(0.5, 1000, limits)).toBe(0.5);
    expect(clampFraction(Number.NaN, 1000, limits)).toBe(0.5);
    // Too small for both: the middle of the impossible range, still within 0..1.
    expect(clampFraction(0.9, 400, limits)).toBeCloseTo(0.375);
  });

  it('moves with arrows along its orientation, pages and Home/End', () => {
    expect(fractionAfterKey('ArrowRight', 0.5, 'row', 1000, limits)).toBeCloseTo(0.52);
    expect(fractionAfterKey('ArrowLeft', 0.5, 'row', 1000, limits)).toBeCloseTo(0.48);
    expect(fractionAfterKey('ArrowDown', 0.5, 'row', 1000, limits)).toBeNull();
    expect(fractionAfterKey('ArrowDown', 0.5, 'column', 1000, limits)).toBeCloseTo(0.52);
    expect(fractionAfterKey('ArrowUp', 0.5, 'column', 1000, limits)).toBeCloseTo(0.48);
    expect(fractionAfterKey('PageDown', 0.5, 'column', 1000, limits)).toBeCloseTo(0.6);
    expect(fractionAfterKey('Home', 0.5, 'row', 1000, limits)).toBe(0.2);
    expect(fractionAfterKey('End', 0.5, 'row', 1000, limits)).toBe(0.7);
    expect(fractionAfterKey('a', 0.5, 'row', 1000, limits)).toBeNull();
  });

  it('follows the pointer within the limits', () => {
    expect(fractionAtPointer(400, 1000, limits)).toBe(0.4);
    expect(fractionAtPointer(-50, 1000, limits)).toBe(0.2);
  });

  it('stands side by side only when both minimum widths fit', () => {
    expect(orientationFor(508, limits, 8)).toBe('row');
    expect(orientationFor(507, limits, 8)).toBe('column');
  });
});
