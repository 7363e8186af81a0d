// How often the Monitor view recomputed its rows and its overlay chart, and the milliseconds
// those computations took (the models only: Svelte's DOM updates, style, layout and paint
// come after), for `make bench` (e2e/bench-monitor.mjs reads them through
// globalThis.echoscopeMonitor): with 100 targets each recomputation walks every target's
// points, so their rate is what the view costs.

export const renderCounts = { rows: 0, chart: 0, rowsMs: 0, chartMs: 0 };

/** Runs compute, counting it and its time under kind. */
export function counted<T>(kind: 'rows' | 'chart', compute: () => T): T {
  const start = performance.now();
  try {
    return compute();
  } finally {
    renderCounts[kind]++;
    renderCounts[`${kind}Ms`] += performance.now() - start;
  }
}
