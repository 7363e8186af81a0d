// How tall the Ping view's RTT plot is: the smallest windows keep their packet table rows
// (layout.e2e wants 8 at 900x700), taller ones give part of their height to the chart, which a
// fixed 170 px left a thin strip across a 1920x1080 screen.

/** The plot's height in the smallest windows, in CSS pixels. */
export const PLOT_MIN = 170;
/** Nor taller than this: the packet table keeps most of a tall window. */
export const PLOT_MAX = 340;
/** Windows up to this many pixels high keep PLOT_MIN. */
const FROM_WINDOW = 760;
/** The share of each pixel of window height above FROM_WINDOW that goes to the plot. */
const SHARE = 0.4;

/** The plot's height for a window windowHeight CSS pixels high. */
export function plotHeight(windowHeight: number): number {
  return Math.round(Math.min(PLOT_MAX, Math.max(PLOT_MIN, PLOT_MIN + (windowHeight - FROM_WINDOW) * SHARE)));
}
