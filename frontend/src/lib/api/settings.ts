// The remembered settings (Go backend/settings, one file in the data directory): the page
// reads them at start and writes its part (target, options, split shares) back on change.

import * as AppService from '../../../wailsjs/go/service/AppService';
import type { service, settings } from '../../../wailsjs/go/models';
import { call } from './backend';
import type { Refine } from './refine';

/** The ping options as remembered (Go settings.Options), which is also the Options form. */
export type SettingsOptions = Refine<settings.Options, {
  /** 0 automatic, 4 or 6. */
  family: 0 | 4 | 6;
}>;

/** The table's share of the split side by side and stacked, 0..1 (Go settings.Split). */
export type SplitShares = settings.Split;

/** The page's part of the settings (Go service.PageSettings). */
export type PageSettings = Refine<service.PageSettings, { options: SettingsOptions }>;

/** What the page gets at start; notice is set when the file was unusable and defaults are in use. */
export type SettingsView = Refine<service.SettingsView, {
  settings: Refine<settings.Settings, { options: SettingsOptions }>;
}>;

export function loadSettings(): Promise<SettingsView> {
  return call(() => AppService.Settings());
}

export function saveSettings(s: PageSettings): Promise<void> {
  return call(() => AppService.SaveSettings(s));
}
