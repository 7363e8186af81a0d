// Imported first by main.ts, before any module that formats numbers when it loads (uPlot):
// repairs navigator.language when it is not a language tag (see language.ts).
import { repairNavigatorLanguage } from './language';

if (typeof navigator !== 'undefined') {
  const was = repairNavigatorLanguage(navigator);
  if (was !== null) console.info(`echoscope: browser language "${was}" is not a language tag; using ${navigator.language}`);
}
