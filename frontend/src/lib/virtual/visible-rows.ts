// Which rows of a long list are on the page. A 1500-byte packet has 94 hex dump rows and 750
// words in each checksum walkthrough; rendering all of them on every keystroke made one edit
// in the Lab take 40-70 ms. Each long list is a scroll box of rows of one fixed height, so the
// rows in view follow from its scroll position alone (no measuring of rows): those are
// rendered, and two spacers stand for the rest, so the scroll bar and the keyboard still
// reach every row.

export interface VisibleRows {
  /** First row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
  /** Pixels above the first rendered row (the spacer before it). */
  before: number;
  /** Pixels below the last rendered row (the spacer after it). */
  after: number;
}

/**
 * Rows rendered beyond each edge of the view. A scroll event is handled before the frame that
 * shows it, so a couple are enough for a wheel step; each one more is re-rendered on every edit.
 */
export const OVERSCAN_ROWS = 2;

/**
 * The rows to render of `count` rows of `rowHeight` pixels in a box scrolled to `scrollTop`
 * and `viewHeight` pixels tall. Before the box is measured (viewHeight 0) it renders the first
 * `fallbackRows`, which is what a box of that many rows shows at the top.
 */
export function visibleRows(count: number, rowHeight: number, scrollTop: number, viewHeight: number, fallbackRows: number, overscan = OVERSCAN_ROWS): VisibleRows {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, before: 0, after: 0 };
  const height = viewHeight > 0 ? viewHeight : fallbackRows * rowHeight;
  const top = Math.max(0, Math.min(scrollTop, count * rowHeight - height));
  const start = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((top + height) / rowHeight) + overscan);
  return { start, end, before: start * rowHeight, after: (count - end) * rowHeight };
}

/**
 * The scrollTop that brings row `row` fully into a box scrolled to `scrollTop` and `viewHeight`
 * tall, moving it as little as possible (unchanged when the row is already in view).
 */
export function scrollToShow(row: number, rowHeight: number, scrollTop: number, viewHeight: number): number {
  const top = row * rowHeight;
  if (top < scrollTop) return top;
  if (viewHeight > 0 && top + rowHeight > scrollTop + viewHeight) return top + rowHeight - viewHeight;
  return scrollTop;
}

/** The indices start..end-1, for a keyed {#each} over the rendered rows. */
export function indices(range: VisibleRows): number[] {
  return Array.from({ length: range.end - range.start }, (_, k) => range.start + k);
}
