// Virtual scrolling math for the packet table: which rows to render for a scroll position,
// and where. Browsers cap an element's height (WebKitGTK near 2^24 px), so a million rows of
// 24 px cannot be one tall spacer: beyond MAX_SPACER_PX the scrollbar maps linearly onto row
// numbers instead of pixels.

/** Tallest spacer we create; under every engine's limit. */
export const MAX_SPACER_PX = 8_000_000;

export interface TableLayout {
  total: number;
  rowPx: number;
  viewportPx: number;
  /** Height of the scrolling spacer. */
  spacerPx: number;
  /** True when rows are mapped onto a compressed scroll range. */
  scaled: boolean;
}

export function tableLayout(total: number, rowPx: number, viewportPx: number): TableLayout {
  const natural = Math.max(0, total) * rowPx;
  return { total: Math.max(0, total), rowPx, viewportPx, spacerPx: Math.min(natural, MAX_SPACER_PX), scaled: natural > MAX_SPACER_PX };
}

/** Rows that fit in the viewport (the last one may be partly visible). */
export function rowsPerViewport(l: TableLayout): number {
  return Math.max(1, Math.ceil(l.viewportPx / l.rowPx));
}

/** The (fractional) row at the top of the viewport for a scroll offset. */
export function topRowAt(l: TableLayout, scrollTop: number): number {
  if (l.total === 0) return 0;
  if (!l.scaled) return Math.max(0, scrollTop) / l.rowPx;
  const scrollRange = Math.max(1, l.spacerPx - l.viewportPx);
  const rowRange = Math.max(0, l.total - l.viewportPx / l.rowPx);
  return (Math.min(Math.max(0, scrollTop), scrollRange) / scrollRange) * rowRange;
}

/** The scroll offset that puts row (fractional) at the top of the viewport. */
export function scrollTopFor(l: TableLayout, row: number): number {
  if (!l.scaled) return row * l.rowPx;
  const scrollRange = Math.max(1, l.spacerPx - l.viewportPx);
  const rowRange = Math.max(1e-9, l.total - l.viewportPx / l.rowPx);
  return (Math.min(Math.max(0, row), rowRange) / rowRange) * scrollRange;
}

/**
 * The scroll offset that shows the newest rows (the table following a running session). The
 * window of a following table is taken at this offset, not at the last scroll event's: a frame
 * grows the table at once, the scroll follows one animation frame later, and a window taken
 * at the old offset rendered the new rows below the view, then dropped them when the scroll
 * came (every row element built and thrown away, and every row drawn twice, at each frame).
 */
export function bottomScrollTop(l: TableLayout): number {
  return Math.max(0, l.spacerPx - l.viewportPx);
}

export interface Window {
  /** First row to render (inclusive) and last (exclusive). */
  start: number;
  end: number;
  /** Where the first rendered row's top sits in the spacer, in px. */
  offsetPx: number;
}

/** The rows to render for a scroll offset, with overscan rows above and below. */
export function visibleWindow(l: TableLayout, scrollTop: number, overscan = 6): Window {
  if (l.total === 0) return { start: 0, end: 0, offsetPx: 0 };
  const top = topRowAt(l, scrollTop);
  const first = Math.floor(top);
  const start = Math.max(0, first - overscan);
  const end = Math.min(l.total, first + rowsPerViewport(l) + 1 + overscan);
  // The first visible row sits (top - first) of a row above the viewport's top edge.
  const firstPx = Math.max(0, scrollTop) - (top - first) * l.rowPx;
  return { start, end, offsetPx: firstPx - (first - start) * l.rowPx };
}

/**
 * The scroll offset that makes row fully visible with the least movement, or null when it
 * already is (keyboard navigation).
 */
export function scrollToReveal(l: TableLayout, scrollTop: number, row: number): number | null {
  const top = topRowAt(l, scrollTop);
  const visible = l.viewportPx / l.rowPx;
  if (row < top) return scrollTopFor(l, row);
  if (row + 1 > top + visible) return scrollTopFor(l, row + 1 - visible);
  return null;
}
