import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ICON_PATHS } from './icons';

// Symbol glyphs that WebKitGTK may draw from a fallback font (or as a plain letter): they
// must be Icon components, never text in the markup.
const GLYPHS = /[ℹ⚙✓✗✕✔✖⚠◔⇅⇉]/u;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(svelte|ts)$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

describe('icons', () => {
  it('has a drawable path for every name', () => {
    for (const [name, d] of Object.entries(ICON_PATHS)) expect(d, name).toMatch(/^M[\d.\s]/);
  });

  it('leaves no symbol glyph in the page sources', () => {
    const offenders = sources(join(__dirname, '..')).flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .map((line, i) => ({ path, line: i + 1, text: line }))
        .filter((l) => GLYPHS.test(l.text) && !/^\s*(\/\/|\*|\/\*)/.test(l.text)),
    );
    expect(offenders.map((o) => `${o.path}:${o.line}`)).toEqual([]);
  });
});
