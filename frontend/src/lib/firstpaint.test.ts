import { describe, expect, it } from 'vitest';
import { firstPaintPayload, focusName } from './firstpaint';

// An element as far as focusName reads one (the unit tests run without a DOM).
function element(attrs: { testid?: string; id?: string; tag: string }): Element {
  return {
    getAttribute: (name: string) => (name === 'data-testid' ? (attrs.testid ?? null) : null),
    id: attrs.id ?? '',
    tagName: attrs.tag.toUpperCase(),
  } as unknown as Element;
}

describe('first paint report', () => {
  it('names the focused element by data-testid, then id, then tag', () => {
    expect(focusName(element({ testid: 'ping-target', id: 'x', tag: 'input' }))).toBe('ping-target');
    expect(focusName(element({ id: 'view-ping', tag: 'div' }))).toBe('view-ping');
    expect(focusName(element({ tag: 'body' }))).toBe('body');
    expect(focusName(null)).toBe('');
  });

  it('carries the navigation start and every step, 0 for a step not reached', () => {
    const p = firstPaintPayload(element({ testid: 'ping-target', tag: 'input' }), 310.5, 1796646899938.4, { script: 250, mounted: 290, effects: 296 });
    expect(p).toEqual({ focus: 'ping-target', navStart: 1796646899938.4, pageMs: 310.5, scriptMs: 250, mountedMs: 290, effectsMs: 296, frameMs: 0 });
  });
});
