import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, loadLayout, parseLayout, saveLayout } from './remember';
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

describe('remembered layout', () => {
  it('round-trips and refuses nonsense', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(loadLayout(storage)).toEqual(DEFAULT_LAYOUT);
    saveLayout({ rowFraction: 0.3, columnFraction: 0.7 }, storage);
    expect(loadLayout(storage)).toEqual({ rowFraction: 0.3, columnFraction: 0.7 });
    expect(parseLayout('{"rowFraction": 7, "columnFraction": "x"}')).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('not json')).toEqual(DEFAULT_LAYOUT);
  });
});
