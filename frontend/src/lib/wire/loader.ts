// Loads the WebAssembly build of backend/wire (cmd/wirewasm) once and hands out a typed codec.
// Every decode in the UI goes through here: there is no second codec in TypeScript.

import type { WireGlobal } from './types';

/** The Go runtime class that wasm_exec.js installs on globalThis. */
export interface GoRuntime {
  importObject: WebAssembly.Imports;
  run(instance: WebAssembly.Instance): Promise<void>;
}

/** What the loader needs from its surroundings; injected so the error paths are testable. */
export interface LoaderEnv {
  /** Loads wasm_exec.js (a classic script that defines globalThis.Go). */
  loadScript(url: string): Promise<void>;
  fetch(url: string): Promise<Response>;
  /** Where wasm_exec.js puts Go and cmd/wirewasm puts echoscopeWire. */
  global: { Go?: new () => GoRuntime; echoscopeWire?: WireGlobal };
  /** Waits a little before polling again for echoscopeWire. */
  sleep(ms: number): Promise<void>;
}

export class WireLoadError extends Error {
  override readonly name = 'WireLoadError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const WASM_EXEC_URL = './wasm_exec.js';
export const WIRE_WASM_URL = './wire.wasm';
/** How long main() of cmd/wirewasm may take to register itself after the module started. */
const REGISTER_POLLS = 200;
const REGISTER_POLL_MS = 10;

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function loadWire(env: LoaderEnv): Promise<WireGlobal> {
  if (!env.global.echoscopeWire) {
    if (!env.global.Go) {
      try {
        await env.loadScript(WASM_EXEC_URL);
      } catch (err) {
        throw new WireLoadError(`could not load ${WASM_EXEC_URL}: ${describe(err)}`, { cause: err });
      }
    }
    const GoClass = env.global.Go;
    if (!GoClass) throw new WireLoadError(`${WASM_EXEC_URL} did not define the Go runtime`);

    let bytes: ArrayBuffer;
    try {
      const response = await env.fetch(WIRE_WASM_URL);
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
      bytes = await response.arrayBuffer();
    } catch (err) {
      throw new WireLoadError(`could not fetch ${WIRE_WASM_URL}: ${describe(err)}`, { cause: err });
    }

    const go = new GoClass();
    let instance: WebAssembly.Instance;
    try {
      // Not instantiateStreaming: asset servers do not always send application/wasm.
      ({ instance } = await WebAssembly.instantiate(bytes, go.importObject));
    } catch (err) {
      throw new WireLoadError(`${WIRE_WASM_URL} is not a usable WebAssembly module: ${describe(err)}`, {
        cause: err,
      });
    }
    let exited = false;
    // run() settles only when the Go program exits; cmd/wirewasm blocks forever once registered.
    void go.run(instance).then(
      () => (exited = true),
      () => (exited = true),
    );
    for (let i = 0; i < REGISTER_POLLS && !env.global.echoscopeWire && !exited; i++) {
      await env.sleep(REGISTER_POLL_MS);
    }
  }
  const wire = env.global.echoscopeWire;
  if (!wire || typeof wire.decode !== 'function') {
    throw new WireLoadError('the WebAssembly codec started but did not register globalThis.echoscopeWire');
  }
  return wire;
}

/** The environment of a real browser page. */
export function browserEnv(): LoaderEnv {
  return {
    loadScript: (url) =>
      new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = url;
        script.onload = () => resolve();
        script.onerror = () => reject(new Error('the script could not be loaded'));
        document.head.appendChild(script);
      }),
    fetch: (url) => fetch(url),
    global: globalThis as LoaderEnv['global'],
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
