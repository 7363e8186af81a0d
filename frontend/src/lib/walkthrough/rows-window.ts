// Which rows of a long word-by-word walkthrough are on the page. A 1500-byte packet has 750
// words; rendering every row on each keystroke made an edit take 50-300 ms, so a long list
// shows its first and last rows (where the sum starts and where it ends up) and a "show all"
// button for the rest.

export interface RowWindow {
  /** Rows 0..head-1 are shown. */
  head: number;
  /** Rows length-tail..length-1 are shown too. */
  tail: number;
  /** Rows between the two, left out (0 when everything is shown). */
  hidden: number;
}

/** Rows the Lab shows of each walkthrough until "show all" (a 64-byte packet fits whole). */
export const LAB_ROW_LIMIT = 40;

/** Rows kept at the end of a shortened walkthrough. */
export const TAIL_ROWS = 8;

/** The rows to render: all of them when `all` or when there are at most `limit`. */
export function rowWindow(length: number, limit: number, all: boolean): RowWindow {
  if (all || length <= limit || limit <= TAIL_ROWS) return { head: length, tail: 0, hidden: 0 };
  const head = limit - TAIL_ROWS;
  return { head, tail: TAIL_ROWS, hidden: length - head - TAIL_ROWS };
}
