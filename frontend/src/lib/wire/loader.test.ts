import { describe, expect, it } from 'vitest';
import { loadWire, WireLoadError, type GoRuntime, type LoaderEnv } from './loader';
import type { WireGlobal } from './types';

// The smallest valid WebAssembly module ("\0asm", version 1): instantiates, exports nothing.
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

const fakeWire: WireGlobal = { version: 'test', decode: () => '{}', checksumTrace: () => '{}', format: () => '{}' };

function env(overrides: Partial<LoaderEnv> & { registers?: boolean; exits?: boolean } = {}): LoaderEnv {
  const global: LoaderEnv['global'] = {};
  const { registers = true, exits = false } = overrides;
  class FakeGo implements GoRuntime {
    importObject = {};
    run(): Promise<void> {
      if (registers) global.echoscopeWire = fakeWire;
      return exits ? Promise.resolve() : new Promise(() => {});
    }
  }
  return {
    loadScript: async () => {
      global.Go = FakeGo;
    },
    fetch: async () => new Response(EMPTY_MODULE),
    global,
    sleep: async () => {},
    ...overrides,
  };
}

describe('loadWire', () => {
  it('starts the module and returns what it registered', async () => {
    await expect(loadWire(env())).resolves.toBe(fakeWire);
  });

  it('says which file failed when wasm_exec.js cannot be loaded', async () => {
    const failing = env({ loadScript: () => Promise.reject(new Error('the script could not be loaded')) });
    await expect(loadWire(failing)).rejects.toThrow(/could not load \.\/wasm_exec\.js: the script could not be loaded/);
    await expect(loadWire(failing)).rejects.toBeInstanceOf(WireLoadError);
  });

  it('reports a missing wire.wasm with its HTTP status', async () => {
    const missing = env({ fetch: async () => new Response('not found', { status: 404, statusText: 'Not Found' }) });
    await expect(loadWire(missing)).rejects.toThrow('could not fetch ./wire.wasm: HTTP 404 Not Found');
  });

  it('reports bytes that are not WebAssembly', async () => {
    const html = env({ fetch: async () => new Response('<!doctype html><p>index page</p>') });
    await expect(loadWire(html)).rejects.toThrow(/\.\/wire\.wasm is not a usable WebAssembly module/);
  });

  it('fails when the program exits without registering echoscopeWire', async () => {
    const silent = env({ registers: false, exits: true });
    await expect(loadWire(silent)).rejects.toThrow(/did not register globalThis\.echoscopeWire/);
  });

  it('gives up polling when the program never registers', async () => {
    let polls = 0;
    const stuck = env({ registers: false, sleep: async () => void polls++ });
    await expect(loadWire(stuck)).rejects.toThrow(WireLoadError);
    expect(polls).toBeGreaterThan(0);
  });

  it('does not load twice when the codec is already there', async () => {
    const ready = env({ loadScript: () => Promise.reject(new Error('must not be called')) });
    ready.global.echoscopeWire = fakeWire;
    await expect(loadWire(ready)).resolves.toBe(fakeWire);
  });
});
