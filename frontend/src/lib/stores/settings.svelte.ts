// The settings the ping view remembers between runs: target, options and split shares. They
// live in the Go side's settings file (one place for everything, the window's size too); this
// store loads them once and writes changes back, coalesced, only after the load (so a slow
// load never overwrites the file with the defaults).

import * as api from '../api/settings';
import type { PageSettings, SettingsView, SplitShares } from '../api/settings';
import { defaultOptions, type OptionsForm } from '../ping/request';

export interface SettingsApi {
  loadSettings(): Promise<SettingsView>;
  saveSettings(s: PageSettings): Promise<void>;
}

export const DEFAULT_SPLIT: SplitShares = { rowFraction: 0.55, columnFraction: 0.5 };

/** Writes wait this long for more changes (typing in a field writes once). */
export const SAVE_DELAY_MS = 400;

export class SettingsStore {
  target = $state('');
  options = $state<OptionsForm>(defaultOptions());
  split = $state<SplitShares>({ ...DEFAULT_SPLIT });
  /** Why the defaults are in use (a damaged file), '' when all is well. */
  notice = $state('');
  /** Why the last change could not be written, '' when it was. */
  saveError = $state('');
  loaded = $state(false);
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly backend: SettingsApi = api) {}

  /** Reads the remembered settings; a target typed before they arrive is kept. */
  async load(): Promise<void> {
    try {
      const v = await this.backend.loadSettings();
      if (this.target === '') this.target = v.settings.target;
      this.options = { ...defaultOptions(), ...v.settings.options, family: familyOf(v.settings.options.family) };
      this.split = { ...v.settings.split };
      this.notice = v.notice;
    } catch {
      // No backend (vite dev in a browser): the defaults, nothing remembered.
    }
    this.loaded = true;
  }

  /** Schedules a write of the current values (a no-op before load). */
  changed(): void {
    if (!this.loaded) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), SAVE_DELAY_MS);
  }

  /** Writes now. */
  async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (!this.loaded) return;
    try {
      await this.backend.saveSettings({ target: this.target.trim(), options: $state.snapshot(this.options), split: $state.snapshot(this.split) });
      this.saveError = '';
    } catch (err) {
      this.saveError = `Settings not saved: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}

function familyOf(v: number): 0 | 4 | 6 {
  return v === 4 || v === 6 ? v : 0;
}

export const settingsStore = new SettingsStore();
