// Whether the Go backend is there (the page runs inside Echoscope) and the error when not.

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
