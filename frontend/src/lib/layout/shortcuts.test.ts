import { describe, expect, it } from 'vitest';
import { SHORTCUTS, shortcutFor } from './shortcuts';

const key = (k: string, code: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean }> = {}) => ({ key: k, code, altKey: false, ctrlKey: false, metaKey: false, ...mods });

describe('shortcuts', () => {
  it('maps Alt+digits and Alt+letters by physical key', () => {
    expect(shortcutFor(key('1', 'Digit1', { altKey: true }), false)).toBe('view-ping');
    expect(shortcutFor(key('¡', 'Digit1', { altKey: true }), true)).toBe('view-ping');
    expect(shortcutFor(key('3', 'Digit3', { altKey: true }), false)).toBe('view-lab');
    expect(shortcutFor(key('4', 'Digit4', { altKey: true }), false)).toBe('view-history');
    expect(shortcutFor(key('5', 'Digit5', { altKey: true }), false)).toBe('view-path');
    expect(shortcutFor(key('t', 'KeyT', { altKey: true }), false)).toBe('focus-table');
    expect(shortcutFor(key('1', 'Digit1'), false)).toBeNull();
    expect(shortcutFor(key('1', 'Digit1', { altKey: true, ctrlKey: true }), false)).toBeNull();
  });

  it('takes "?" only outside text fields', () => {
    expect(shortcutFor(key('?', 'Slash'), false)).toBe('help');
    expect(shortcutFor(key('?', 'Slash'), true)).toBeNull();
  });

  it('lists every action the keys can give', () => {
    const listed = new Set(SHORTCUTS.map((s) => s.action).filter(Boolean));
    for (const a of ['view-ping', 'view-decode', 'view-history', 'view-path', 'focus-table', 'focus-target', 'help']) expect(listed.has(a as never)).toBe(true);
  });
});
