// The only importer of the generated Wails bindings (frontend/wailsjs). Components call these
// functions, never window.go directly, so a missing backend (plain `vite dev` in a browser) is
// one clear error here instead of a TypeError deep in a component.

import * as AppService from '../../../wailsjs/go/service/AppService';
import { EventsOn } from '../../../wailsjs/runtime/runtime';
import { EVENT_APP_READY, type AppInfo } from './events';

export { EVENT_APP_READY, type AppInfo } from './events';

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

/** Name and version of the running application, as the Go binary reports them. */
export function backendInfo(): Promise<AppInfo> {
  return call(() => AppService.Info());
}

/**
 * Calls listener with the AppInfo each time the backend says the page is ready (after a load
 * or a reload). Returns the function that stops listening; a no-op outside Echoscope.
 */
export function onAppReady(listener: (info: AppInfo) => void): () => void {
  const runtime = (globalThis as { runtime?: unknown }).runtime;
  if (!backendAvailable() || runtime === undefined) return () => {};
  return EventsOn(EVENT_APP_READY, (info: AppInfo) => listener(info));
}
