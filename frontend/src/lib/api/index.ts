// The only importer of the generated Wails bindings (frontend/wailsjs). Components call these
// functions, never window.go directly, so a missing backend (plain `vite dev` in a browser) is
// one clear error here instead of a TypeError deep in a component.

import * as AppService from '../../../wailsjs/go/service/AppService';

export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  constructor() {
    super('the Go backend is not connected (page opened outside Echoscope)');
  }
}

/** True when the page runs inside Echoscope (window or dev-mode browser) with Go bindings. */
export function backendAvailable(): boolean {
  const go = (globalThis as { go?: { service?: { AppService?: unknown } } }).go;
  return go?.service?.AppService !== undefined;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  if (!backendAvailable()) throw new BackendUnavailableError();
  return fn();
}

/** The application's version as the Go binary reports it. */
export function backendVersion(): Promise<string> {
  return call(() => AppService.Version());
}
