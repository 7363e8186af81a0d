// The rows the packet table renders, as the items of its {#each}. The table asks again at
// every frame of a running session (the row cache changed); an item whose position and row
// are the ones it had at the same place is the same object, and when no item changed the
// same array is given back, so Svelte updates none of the rows that did not change (a table
// scrolled back while the session runs does no work per frame at all). Building a new
// { pos, r } for every row at every frame made each row's cells be formatted and compared
// again 25 times a second.

import type { Row } from '../api/types';

export interface ShownRow {
  /** Table position (a rank under a filter). */
  readonly pos: number;
  /** The row there; undefined while it is not loaded. */
  readonly r: Row | undefined;
  /** Not loaded because the store never saved it (a page came without it): "not stored". */
  readonly missing: boolean;
}

export class ShownRows {
  private items: readonly ShownRow[] = [];
  /** Items made since construction (tests count them). */
  made = 0;

  /**
   * The rows at positions [start, end): row(pos) gives each, missing(pos) whether one not
   * loaded was never stored (see the top of this file). An item is kept while both say what
   * they said: a row marked missing after its page came must be drawn again.
   */
  update(start: number, end: number, row: (pos: number) => Row | undefined, missing: (pos: number) => boolean = () => false): readonly ShownRow[] {
    const prev = this.items;
    const n = Math.max(0, end - start);
    const isMissing = (pos: number, r: Row | undefined) => r === undefined && missing(pos);
    let same = prev.length === n;
    for (let i = 0; same && i < n; i++) {
      const it = prev[i]!;
      const r = row(start + i);
      same = it.pos === start + i && it.r === r && it.missing === isMissing(start + i, r);
    }
    if (same) return prev;
    const next: ShownRow[] = new Array<ShownRow>(n);
    for (let i = 0; i < n; i++) {
      const pos = start + i;
      const r = row(pos);
      const gone = isMissing(pos, r);
      const it = prev[i];
      if (it !== undefined && it.pos === pos && it.r === r && it.missing === gone) {
        next[i] = it;
      } else {
        next[i] = { pos, r, missing: gone };
        this.made++;
      }
    }
    this.items = next;
    return next;
  }
}
