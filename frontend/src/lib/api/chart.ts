// Saving the RTT chart: the page renders it (PNG from the canvas, SVG drawn from the data by
// lib/ping/chartsvg), Go asks where to save it and writes the file.

import * as PingService from '../../../wailsjs/go/service/PingService';
import { call } from './backend';
import type { ExportResult } from './types';

export type ChartFormat = 'png' | 'svg';

/** Asks where to save (native dialog) and writes the image; cancelled resolves with cancelled: true. */
export function saveChart(format: ChartFormat, content: string, defaultName: string): Promise<ExportResult> {
  return call(() => PingService.SaveChart(format, content, defaultName));
}
