import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED } from './licences';

const frontend = join(__dirname, '..', '..', '..');
const goMod = readFileSync(join(frontend, '..', 'go.mod'), 'utf8');

describe('About: bundled libraries', () => {
  it('names the versions go.mod requires', () => {
    for (const lib of BUNDLED.filter((l) => l.where === 'binary' && !l.name.startsWith('Go '))) {
      expect(goMod, lib.name).toMatch(new RegExp(`^\\s*(require\\s+)?${lib.name.replace(/[.]/g, '\\.')} ${lib.version.replace(/[.]/g, '\\.')}\\b`, 'm'));
    }
    expect(goMod).toMatch(new RegExp(`^go ${BUNDLED[0]!.version.slice(2).replace(/[.]/g, '\\.')}$`, 'm'));
  });

  it('names the versions installed for the page, with the licence their package declares', () => {
    for (const lib of BUNDLED.filter((l) => l.where === 'page')) {
      const pkg = JSON.parse(readFileSync(join(frontend, 'node_modules', lib.name, 'package.json'), 'utf8')) as { version: string; license: string };
      expect(pkg.version, lib.name).toBe(lib.version);
      expect(pkg.license, lib.name).toBe(lib.licence);
    }
  });
});
