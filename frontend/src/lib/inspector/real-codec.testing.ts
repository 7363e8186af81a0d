// For tests only: the real WebAssembly codec (cmd/wirewasm) running in Node, so the inspector's
// logic is tested against the field maps the app really decodes with, not hand-made ones.
// Builds public/wire.wasm first when a fresh clone has not built it yet.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeCodec, type Codec } from '../wire/codec';
import type { GoRuntime } from '../wire/loader';
import type { WireGlobal } from '../wire/types';

const frontendDir = resolve(import.meta.dirname, '..', '..', '..');
const wasmPath = join(frontendDir, 'public', 'wire.wasm');
const execPath = join(frontendDir, 'public', 'wasm_exec.js');

let loading: Promise<Codec> | undefined;

async function load(): Promise<Codec> {
  if (!existsSync(wasmPath) || !existsSync(execPath)) {
    execFileSync('node', [join(frontendDir, 'scripts', 'build-wasm.mjs')], { cwd: frontendDir, stdio: 'inherit' });
  }
  const global = globalThis as { Go?: new () => GoRuntime; echoscopeWire?: WireGlobal };
  if (!global.Go) await import(pathToFileURL(execPath).href);
  if (!global.Go) throw new Error(`${execPath} did not define the Go runtime`);
  const go = new global.Go();
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), go.importObject);
  void go.run(instance);
  for (let i = 0; i < 500 && !global.echoscopeWire; i++) await new Promise((r) => setTimeout(r, 10));
  if (!global.echoscopeWire) throw new Error('cmd/wirewasm did not register echoscopeWire');
  return makeCodec(global.echoscopeWire);
}

/** The codec, loaded once per test file. */
export function realCodec(): Promise<Codec> {
  loading ??= load();
  return loading;
}
