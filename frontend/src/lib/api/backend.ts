// Whether the Go backend is there (the page runs inside Echoscope), the error when not, and
// the two ways the api module reaches it (calls and events), shared by index.ts and history.ts.

import { EventsOn } from '../../../wailsjs/runtime/runtime';
import type { Loose } from './refine';

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

/**
 * Runs a bound Go call, or rejects with BackendUnavailableError outside Echoscope. G is what
 * the generated binding says the Go method returns; T, the api module's type of it, may only
 * narrow G (Refine: same fields, fewer values), so a Go change that `make bindings` carries
 * into wailsjs/go/models.ts fails `npm run check` here rather than at run time.
 */
export async function call<G, T extends Loose<G> = G extends Loose<G> ? G : never>(fn: () => Promise<G>): Promise<T> {
  if (!backendAvailable()) throw new BackendUnavailableError();
  return (await fn()) as T;
}

/** Listens to a backend event; returns the function that stops listening (a no-op outside Echoscope). */
export function listen<T>(name: string, listener: (payload: T) => void): () => void {
  const runtime = (globalThis as { runtime?: unknown }).runtime;
  if (!backendAvailable() || runtime === undefined) return () => {};
  return EventsOn(name, (payload: T) => listener(payload));
}

/**
 * listen, for a listener set up as the page starts: in a dev-mode browser the Wails runtime
 * script may arrive after the app has mounted, so until it is there this tries again every
 * retryMs (at most tries times). Returns the function that stops listening (or trying).
 */
export function listenWhenReady<T>(name: string, listener: (payload: T) => void, retryMs = 200, tries = 100): () => void {
  let off: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const attempt = (left: number): void => {
    const runtime = (globalThis as { runtime?: unknown }).runtime;
    if (backendAvailable() && runtime !== undefined) {
      off = EventsOn(name, (payload: T) => listener(payload));
      return;
    }
    if (left > 0) timer = setTimeout(() => attempt(left - 1), retryMs);
  };
  attempt(tries);
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    off?.();
  };
}
