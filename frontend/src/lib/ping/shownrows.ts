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
}

export class ShownRows {
  private items: readonly ShownRow[] = [];
  /** Items made since construction (tests count them). */
  made = 0;

  /** The rows at positions [start, end), row(pos) giving each (see the top of this file). */
  update(start: number, end: number, row: (pos: number) => Row | undefined): readonly ShownRow[] {
    const prev = this.items;
    const n = Math.max(0, end - start);
    let same = prev.length === n;
    for (let i = 0; same && i < n; i++) {
      const it = prev[i]!;
      same = it.pos === start + i && it.r === row(start + i);
    }
    if (same) return prev;
    const next: ShownRow[] = new Array<ShownRow>(n);
    for (let i = 0; i < n; i++) {
      const pos = start + i;
      const r = row(pos);
      const it = prev[i];
      if (it !== undefined && it.pos === pos && it.r === r) {
        next[i] = it;
      } else {
        next[i] = { pos, r };
        this.made++;
      }
    }
    this.items = next;
    return next;
  }
}
