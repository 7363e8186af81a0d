// Layout sizes the user chose (split shares, the inspector taking the whole window), kept in
// the page's localStorage between runs. Bad or missing values fall back to the defaults.

export interface LayoutPrefs {
  /** The table's share of the split side by side and stacked (0..1). */
  rowFraction: number;
  columnFraction: number;
}

export const DEFAULT_LAYOUT: LayoutPrefs = { rowFraction: 0.55, columnFraction: 0.5 };
const KEY = 'echoscope.layout.v1';

const share = (v: unknown, fallback: number): number => (typeof v === 'number' && v > 0 && v < 1 ? v : fallback);

/** The prefs in text (or null), each value checked. */
export function parseLayout(text: string | null): LayoutPrefs {
  if (!text) return { ...DEFAULT_LAYOUT };
  try {
    const v = JSON.parse(text) as Partial<Record<keyof LayoutPrefs, unknown>> | null;
    return { rowFraction: share(v?.rowFraction, DEFAULT_LAYOUT.rowFraction), columnFraction: share(v?.columnFraction, DEFAULT_LAYOUT.columnFraction) };
  } catch {
    return { ...DEFAULT_LAYOUT };
  }
}

export function loadLayout(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): LayoutPrefs {
  try {
    return parseLayout(storage?.getItem(KEY) ?? null);
  } catch {
    return { ...DEFAULT_LAYOUT };
  }
}

export function saveLayout(prefs: LayoutPrefs, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(KEY, JSON.stringify(prefs));
  } catch {
    // storage full or refused: the sizes are only not remembered
  }
}
