import { describe, expect, it } from 'vitest';
import { compareWindow, heldRows, icmpChecksum, pairingSentences } from './compare';
import type { LabResult } from './types';
// Written by the Go codec (cmd/wirewasm TestFrontendLabFixturesMatchTheCodec keeps them current).
import classicJSON from './testdata/lesson-classic.json';
import correctJSON from './testdata/lesson-correct.json';
import oddJSON from './testdata/odd-length.json';
import windowedJSON from './testdata/windowed-64.json';

const analysisOf = (r: unknown) => (r as LabResult).analysis!;

describe('side by side', () => {
  it('lines up the lesson packet word by word: RFC 1071 0xF7CD, the classic loop 0xF2FF', () => {
    const a = analysisOf(classicJSON);
    expect(a.correct).toBe(0xf7cd);
    expect(a.classic).toBe(0xf2ff);
    expect(icmpChecksum(a)?.trace.result).toBe(0xf7cd);
    const rows = compareWindow(a).rows;
    expect(rows.map((r) => r.rfc?.bytes)).toEqual([[0, 1], [2, 3], [4, 5], [6, 7]]);
    expect(rows.map((r) => r.classic?.bytes)).toEqual([[1, 2], [3, 4], [5, 6], undefined]);
    expect(rows.map((r) => r.rfc?.word)).toEqual([0x0800, 0x0000, 0x000d, 0x0025]);
    expect(rows.map((r) => r.classic?.word)).toEqual([0x0000, 0x0000, 0x0d00, undefined]);
    expect(rows.map((r) => r.shifted)).toEqual([true, true, true, false]);
  });

  it('says which bytes the loop never reads and what each algorithm gives', () => {
    const text = pairingSentences(analysisOf(correctJSON)).join(' ');
    expect(text).toContain('It never reads byte 0 (0x08, the type) and byte 7 (0x25)');
    expect(text).toContain('the classic loop gives 0xf2ff where RFC 1071 gives 0xf7cd');
  });

  it('shows an odd last byte padded as RFC 1071 says, and the loop reading it as a low half', () => {
    const a = analysisOf(oddJSON);
    expect(a.oddLength).toBe(true);
    const last = compareWindow(a).rows.at(-1)!;
    expect(last.rfc).toMatchObject({ bytes: [8], word: 0x6100, note: 'odd byte padded with 0x00' });
    expect(compareWindow(a).rows.map((r) => r.classic?.bytes).filter(Boolean).at(-1)).toEqual([7, 8]);
    expect(pairingSentences(a).join(' ')).toContain('pads the last byte with 0x00 on the right (word 0x6100)');
    expect(a.classicTrace.unread).toEqual([0]);
  });

  it("lines up the rows a windowed call returned at their place in the packet", () => {
    const a = analysisOf(windowedJSON);
    const w = compareWindow(a);
    expect(w).toMatchObject({ from: 20, total: 32 });
    expect(w.rows).toHaveLength(12); // rows 20-37 asked for, of 32
    // Row 20 (0-based) pairs bytes 40-41 in RFC 1071 and 41-42 in the classic loop.
    expect(w.rows[0]).toMatchObject({ rfc: { bytes: [40, 41], word: 0xa5a5 }, classic: { bytes: [41, 42], word: 0xa5a5 }, shifted: true });
    expect(w.rows.every((r) => !r.pending)).toBe(true);
    // The last word: RFC 1071 adds 32 words of a 64-byte message, the classic loop 31.
    expect(w.rows.at(-1)).toMatchObject({ rfc: { bytes: [62, 63] }, classic: undefined, shifted: false });
    expect(a.classicTrace.steps).toEqual([]);
    expect(icmpChecksum(a)?.trace.steps.map((s) => s.offset)).toEqual(Array.from({ length: 18 }, (_, i) => 2 * (10 + i)));
  });

  it('says which rows each walkthrough holds: all of a whole analysis, the window of a windowed one', () => {
    const whole = analysisOf(classicJSON);
    expect(heldRows(whole, 'steps')).toEqual({ from: 0, to: 4, total: 4 });
    expect(heldRows(whole, 'compare')).toEqual({ from: 0, to: 4, total: 4 });
    const windowed = analysisOf(windowedJSON);
    // 18 RFC 1071 steps from word 10 (pseudo-header-free IPv4: steps and rows are words).
    expect(heldRows(windowed, 'steps')).toEqual({ from: 10, to: 28, total: 32 });
    expect(heldRows(windowed, 'compare')).toEqual({ from: 20, to: 32, total: 32 });
  });
});
