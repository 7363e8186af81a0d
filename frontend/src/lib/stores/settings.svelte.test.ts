import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PageSettings, SettingsView } from '../api/settings';
import { defaultOptions } from '../ping/request';
import { SAVE_DELAY_MS, SettingsStore } from './settings.svelte';

/** A backend that keeps one settings file in memory, as the Go side keeps it on disk (the
 *  window's part is Go's own: the page reads it and never writes it). */
function fileBackend(initial: PageSettings, notice = '') {
  let file = structuredClone(initial);
  const saves: PageSettings[] = [];
  return {
    saves,
    api: {
      loadSettings: async (): Promise<SettingsView> => ({ settings: { ...structuredClone(file), window: { width: 1280, height: 820, x: 0, y: 0, placed: false } }, notice }),
      saveSettings: async (s: PageSettings) => {
        saves.push(s);
        file = structuredClone(s);
      },
    },
  };
}

const remembered: PageSettings = { target: 'host.test', options: { ...defaultOptions(), count: 5, ttl: 64, family: 6 }, split: { rowFraction: 0.3, columnFraction: 0.7 } };

describe('SettingsStore', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('survives a restart: values changed in one store are there in the next', async () => {
    const b = fileBackend(remembered);
    const first = new SettingsStore(b.api);
    await first.load();
    expect(first.target).toBe('host.test');
    expect(first.options.family).toBe(6);
    first.target = 'other.test';
    first.options.intervalMs = 200;
    first.split.rowFraction = 0.4;
    first.changed();
    first.changed();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(b.saves).toHaveLength(1);
    const second = new SettingsStore(b.api);
    await second.load();
    expect(second.target).toBe('other.test');
    expect(second.options.intervalMs).toBe(200);
    expect(second.split.rowFraction).toBe(0.4);
  });

  it('never writes before the load (the defaults must not overwrite the file)', async () => {
    const b = fileBackend(remembered);
    const s = new SettingsStore(b.api);
    s.changed();
    await s.flush();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(b.saves).toHaveLength(0);
  });

  it('keeps a target typed before the load and shows the notice of a damaged file', async () => {
    const s = new SettingsStore(fileBackend(remembered, 'Your settings file is damaged').api);
    s.target = 'typed.test';
    await s.load();
    expect(s.target).toBe('typed.test');
    expect(s.notice).toMatch(/damaged/);
  });

  it('says when a write fails', async () => {
    const s = new SettingsStore({ loadSettings: fileBackend(remembered).api.loadSettings, saveSettings: async () => Promise.reject(new Error('read-only')) });
    await s.load();
    await s.flush();
    expect(s.saveError).toMatch(/read-only/);
  });
});
