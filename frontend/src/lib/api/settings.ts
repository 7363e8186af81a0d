// The remembered settings (Go backend/settings, one file in the data directory): the page
// reads them at start and writes its part (target, options, split shares) back on change.

import * as AppService from '../../../wailsjs/go/service/AppService';
import { call } from './backend';
import type { OptionsForm } from '../ping/request';

/** The table's share of the split side by side and stacked (0..1). */
export interface SplitShares {
  rowFraction: number;
  columnFraction: number;
}

/** The page's part of the settings (Go service.PageSettings). */
export interface PageSettings {
  target: string;
  options: OptionsForm;
  split: SplitShares;
}

/** What the page gets at start; notice is set when the file was unusable and defaults are in use. */
export interface SettingsView {
  settings: PageSettings;
  notice: string;
}

export function loadSettings(): Promise<SettingsView> {
  return call(() => AppService.Settings() as unknown as Promise<SettingsView>);
}

export function saveSettings(s: PageSettings): Promise<void> {
  return call(() => AppService.SaveSettings(s as never));
}
