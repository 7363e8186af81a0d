import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError, backendAvailable, backendInfo, onAppReady } from './index';

type Globals = { go?: unknown; window?: unknown; runtime?: unknown };
const globals = globalThis as Globals;

afterEach(() => {
  delete globals.go;
  delete globals.window;
  delete globals.runtime;
});

describe('api outside Echoscope', () => {
  it('rejects with BackendUnavailableError instead of a TypeError', async () => {
    expect(backendAvailable()).toBe(false);
    await expect(backendInfo()).rejects.toBeInstanceOf(BackendUnavailableError);
  });

  it('does not subscribe to events', () => {
    const stop = onAppReady(() => {
      throw new Error('must not be called');
    });
    expect(typeof stop).toBe('function');
    stop();
  });
});

describe('api inside Echoscope', () => {
  it('calls the bound Go method through the generated bindings', async () => {
    globals.window = globalThis;
    globals.go = { service: { AppService: { Info: async () => ({ name: 'Echoscope', version: 'v1' }) } } };
    expect(backendAvailable()).toBe(true);
    await expect(backendInfo()).resolves.toEqual({ name: 'Echoscope', version: 'v1' });
  });

  it('listens for app:ready through the Wails runtime', () => {
    const listeners: Record<string, (...data: unknown[]) => void> = {};
    let removed = '';
    globals.window = globalThis;
    globals.go = { service: { AppService: {} } };
    globals.runtime = {
      EventsOnMultiple: (name: string, callback: (...data: unknown[]) => void) => {
        listeners[name] = callback;
        return () => (removed = name);
      },
    };
    const seen: string[] = [];
    const stop = onAppReady((info) => seen.push(info.version));
    listeners['app:ready']?.({ name: 'Echoscope', version: 'v2' });
    expect(seen).toEqual(['v2']);
    stop();
    expect(removed).toBe('app:ready');
  });
});

describe('a listener set up before the Wails runtime arrives', () => {
  it('subscribes once the runtime is there, and stopping it stops the retries', async () => {
    const { onCaptureDropped } = await import('./index');
    const listeners: Record<string, (...data: unknown[]) => void> = {};
    const seen: string[] = [];
    const stop = onCaptureDropped((d) => seen.push(d.name));
    // The runtime script arrives later, as in a dev-mode browser.
    globals.window = globalThis;
    globals.go = { service: { AppService: {} } };
    globals.runtime = {
      EventsOnMultiple: (name: string, callback: (...data: unknown[]) => void) => {
        listeners[name] = callback;
        return () => delete listeners[name];
      },
    };
    await new Promise((r) => setTimeout(r, 450));
    listeners['history:dropped']?.({ name: 'lo.pcapng', result: { warnings: null }, error: '' });
    expect(seen).toEqual(['lo.pcapng']);
    stop();
    expect(listeners['history:dropped']).toBeUndefined();
  });
});
