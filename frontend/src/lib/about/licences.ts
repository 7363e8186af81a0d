// The libraries bundled into the Echoscope binary and page, with their licences, for the
// About dialog. licences.test.ts checks the versions against go.mod and node_modules, so the
// list cannot fall behind an upgrade.

export interface BundledLibrary {
  name: string;
  version: string;
  licence: string;
  /** Where it runs: the Go binary (backend, helper) or the page. */
  where: 'binary' | 'page';
}

export const BUNDLED: BundledLibrary[] = [
  { name: 'Go standard library and runtime', version: 'go1.26.8', licence: 'BSD-3-Clause', where: 'binary' },
  { name: 'github.com/wailsapp/wails/v2', version: 'v2.9.2', licence: 'MIT', where: 'binary' },
  { name: 'golang.org/x/net', version: 'v0.62.0', licence: 'BSD-3-Clause', where: 'binary' },
  { name: 'golang.org/x/sync', version: 'v0.24.0', licence: 'BSD-3-Clause', where: 'binary' },
  { name: 'golang.org/x/sys', version: 'v0.50.0', licence: 'BSD-3-Clause', where: 'binary' },
  { name: 'modernc.org/sqlite', version: 'v1.62.0', licence: 'BSD-3-Clause', where: 'binary' },
  { name: 'svelte', version: '5.57.3', licence: 'MIT', where: 'page' },
  { name: 'uplot', version: '1.6.32', licence: 'MIT', where: 'page' },
];
