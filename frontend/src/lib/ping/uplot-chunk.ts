// uPlot (51 kB of the 276 kB minified script before it was split off) is loaded after the first
// frame, by the RTT chart (components/ping/RttChart.svelte).
import { Lazy } from '../lazy.svelte';

export const uplotCode = new Lazy('the chart (uPlot)', () => import('uplot'));
