// The webview's bounded copy of a session's rows. Frames bring the newest rows; scrolling
// back asks the backend for pages. Rows far from what the table shows are forgotten, so a
// million-row session costs the page a few thousand rows of memory. Keys are table
// positions: a row's session number n unfiltered (put), its rank under a filter (putAt).

import type { Row } from '../api/types';

export const DEFAULT_CAPACITY = 4000;
export const PAGE_ROWS = 200;

export class RowCache {
  private rows = new Map<number, Row>();
  private inFlight = new Set<number>();
  /** Rows a page fetch did not bring although they were counted: the store never saved them. */
  private missing = new Set<number>();

  constructor(readonly capacity = DEFAULT_CAPACITY) {}

  get size(): number {
    return this.rows.size;
  }

  get(n: number): Row | undefined {
    return this.rows.get(n);
  }

  /** Stores rows; then forgets the rows farthest from focus beyond the capacity. */
  put(rows: readonly Row[], focus: number): void {
    for (const r of rows) {
      this.rows.set(r.n, r);
      this.missing.delete(r.n);
    }
    this.trim(focus);
  }

  /** Stores rows at positions offset, offset + 1, ... (a filtered page: ranks, not row numbers). */
  putAt(offset: number, rows: readonly Row[], focus: number): void {
    rows.forEach((r, i) => this.rows.set(offset + i, r));
    this.trim(focus);
  }

  /** The position holding the row numbered n, if it is here. */
  positionOf(n: number): number | undefined {
    for (const [pos, r] of this.rows) if (r.n === n) return pos;
    return undefined;
  }

  clear(): void {
    this.rows.clear();
    this.inFlight.clear();
    this.missing.clear();
  }

  /** Marks the rows of [start, end) that are not here as never stored (bounded per page). */
  markMissing(start: number, end: number): void {
    for (let n = start; n < end; n++) if (!this.rows.has(n)) this.missing.add(n);
  }

  isMissing(n: number): boolean {
    return this.missing.has(n);
  }

  /** Rows forgotten beyond the excess when the cache is trimmed (see trim). */
  get slack(): number {
    return Math.min(PAGE_ROWS, Math.floor(this.capacity / 10));
  }

  /**
   * Forgets the rows farthest from focus once there are more than capacity, down to
   * capacity - slack: sorting every key is the costly part, and a live stream overflows by a
   * few rows each frame (25 times a second), so it is done once per slack rows instead.
   */
  private trim(focus: number): void {
    if (this.rows.size <= this.capacity) return;
    const excess = this.rows.size - this.capacity + this.slack;
    const byDistance = [...this.rows.keys()].sort((a, b) => Math.abs(b - focus) - Math.abs(a - focus));
    for (let i = 0; i < excess; i++) this.rows.delete(byDistance[i]!);
  }

  /**
   * The page offsets (multiples of PAGE_ROWS) that hold rows of [start, end) missing here and
   * not being fetched already; marks them as being fetched.
   */
  pagesToFetch(start: number, end: number): number[] {
    const pages: number[] = [];
    for (let page = Math.floor(start / PAGE_ROWS) * PAGE_ROWS; page < end; page += PAGE_ROWS) {
      if (this.inFlight.has(page)) continue;
      const from = Math.max(page, start);
      const to = Math.min(page + PAGE_ROWS, end);
      let missing = false;
      for (let n = from; n < to; n++) {
        if (!this.rows.has(n) && !this.missing.has(n)) {
          missing = true;
          break;
        }
      }
      if (missing) {
        this.inFlight.add(page);
        pages.push(page);
      }
    }
    return pages;
  }

  /** A page fetch finished (or failed): it may be asked for again. */
  settled(page: number): void {
    this.inFlight.delete(page);
  }
}
