// The table/inspector split as numbers: where the separator may go, what a key does to it, and
// which way the panes stand (side by side only when both get their minimum width). Pure, so
// the keyboard and pointer rules are unit tested without a page.

export type Orientation = 'row' | 'column';

export interface SplitLimits {
  /** The first pane's (the table's) smallest size in px along the split. */
  minFirst: number;
  /** The second pane's (the inspector's) smallest size in px along the split. */
  minSecond: number;
}

/** Steps of the keyboard: an arrow moves 2 %, Page Up/Down 10 %. */
export const ARROW_STEP = 0.02;
export const PAGE_STEP = 0.1;

/** The first pane's share, kept where both panes get their minimum (centred when they cannot). */
export function clampFraction(fraction: number, total: number, limits: SplitLimits): number {
  if (!Number.isFinite(fraction)) fraction = 0.5;
  if (total <= 0) return Math.min(1, Math.max(0, fraction));
  const lo = limits.minFirst / total;
  const hi = 1 - limits.minSecond / total;
  if (lo > hi) return Math.min(1, Math.max(0, (lo + hi) / 2));
  return Math.min(hi, Math.max(lo, fraction));
}

/**
 * The share after a key on the separator, or null when the key is not the separator's.
 * Left/Up give the first pane less, Right/Down more; Home/End go to the limits.
 */
export function fractionAfterKey(key: string, fraction: number, orientation: Orientation, total: number, limits: SplitLimits): number | null {
  const less = orientation === 'row' ? ['ArrowLeft'] : ['ArrowUp'];
  const more = orientation === 'row' ? ['ArrowRight'] : ['ArrowDown'];
  let next: number;
  if (less.includes(key)) next = fraction - ARROW_STEP;
  else if (more.includes(key)) next = fraction + ARROW_STEP;
  else if (key === 'PageUp') next = fraction - PAGE_STEP;
  else if (key === 'PageDown') next = fraction + PAGE_STEP;
  else if (key === 'Home') next = 0;
  else if (key === 'End') next = 1;
  else return null;
  return clampFraction(next, total, limits);
}

/** The share for a pointer at offset px from the split's start (separator centred on it). */
export function fractionAtPointer(offset: number, total: number, limits: SplitLimits): number {
  return clampFraction(total > 0 ? offset / total : 0.5, total, limits);
}

/** Side by side when the width holds both minimums and the separator, else one above the other. */
export function orientationFor(width: number, sideBySide: SplitLimits, separatorPx: number): Orientation {
  return width >= sideBySide.minFirst + sideBySide.minSecond + separatorPx ? 'row' : 'column';
}
