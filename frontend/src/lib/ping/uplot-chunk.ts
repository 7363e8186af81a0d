// uPlot (about 45 % of the page's script before it was split off) is loaded after the first
// frame, by the RTT chart (components/ping/RttChart.svelte).
import { Lazy } from '../lazy.svelte';

export const uplotCode = new Lazy('the chart (uPlot)', () => import('uplot'));
