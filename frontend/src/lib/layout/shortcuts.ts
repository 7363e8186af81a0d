// The window's keyboard shortcuts, in one table: the "?" overlay lists exactly these, and the
// key handler looks keys up here, so the list cannot drift from what the keys do.

export type ShortcutAction = 'view-ping' | 'view-decode' | 'view-lab' | 'view-history' | 'view-path' | 'view-monitor' | 'focus-table' | 'focus-target' | 'help';

export interface Shortcut {
  /** What the overlay shows. */
  keys: string;
  does: string;
  action?: ShortcutAction;
}

export const SHORTCUTS: Shortcut[] = [
  { keys: 'Alt+1', does: 'Ping view', action: 'view-ping' },
  { keys: 'Alt+2', does: 'Decode view', action: 'view-decode' },
  { keys: 'Alt+3', does: 'Lab view', action: 'view-lab' },
  { keys: 'Alt+4', does: 'History view', action: 'view-history' },
  { keys: 'Alt+5', does: 'Path view (trace the route)', action: 'view-path' },
  { keys: 'Alt+6', does: 'Monitor view', action: 'view-monitor' },
  { keys: 'Alt+T', does: 'Focus the packet table', action: 'focus-table' },
  { keys: 'Alt+L', does: 'Focus the Target field', action: 'focus-target' },
  { keys: 'Enter', does: 'In the Target or any option field: start pinging' },
  { keys: 'Escape', does: 'Close the packet inspector; with none open, stop a running ping' },
  { keys: '↑ ↓ Page Up/Down Home End', does: 'In the packet table or the History list: move; the selected packet opens in the inspector' },
  { keys: '← → (↑ ↓ when stacked)', does: 'On the separator between table and inspector: resize (Home/End: limits)' },
  { keys: '?', does: 'Show this list (outside text fields)', action: 'help' },
];

/** The action of a key event, or null. "?" counts only outside text fields. */
export function shortcutFor(e: Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey'>, inTextField: boolean): ShortcutAction | null {
  if (e.altKey && !e.ctrlKey && !e.metaKey) {
    // code, not key: Alt+digit types other characters on some layouts.
    const byCode: Record<string, ShortcutAction> = { Digit1: 'view-ping', Digit2: 'view-decode', Digit3: 'view-lab', Digit4: 'view-history', Digit5: 'view-path', Digit6: 'view-monitor', KeyT: 'focus-table', KeyL: 'focus-target' };
    return byCode[e.code] ?? null;
  }
  if (e.key === '?' && !inTextField && !e.ctrlKey && !e.metaKey) return 'help';
  return null;
}
