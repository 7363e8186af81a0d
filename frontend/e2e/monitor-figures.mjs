// The figures of the monitor window bench (bench-monitor.mjs), kept apart from the rig so that
// each says what it computes: the targets, frame-time statistics, and send gaps per target.

/** The first n loopback addresses from 127.0.0.1 on (127.0.1.0 follows 127.0.0.255). */
export function monitorTargets(n) {
  return Array.from({ length: n }, (_, i) => `127.0.${(i + 1) >> 8}.${(i + 1) & 255}`);
}

/**
 * A row's time (RFC 3339 with nanoseconds, as service.Row.Time has it) in milliseconds since
 * the epoch, to the microsecond: Date.parse alone stops at the millisecond.
 */
export function parseRowTime(text) {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) throw new Error(`not an RFC 3339 time: ${JSON.stringify(text)}`);
  const whole = Date.parse(m[1] + m[3]);
  if (Number.isNaN(whole)) throw new Error(`not an RFC 3339 time: ${JSON.stringify(text)}`);
  return whole + (m[2] ? Number(`0${m[2]}`) * 1000 : 0);
}

/** The value at quantile q (0..1) of sorted numbers, nearest rank; NaN when empty. */
function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** requestAnimationFrame deltas (ms): how many, median, p95, max, and how many over 50 ms. */
export function frameSummary(deltas) {
  const sorted = [...deltas].sort((a, b) => a - b);
  return {
    count: sorted.length,
    medianMs: quantile(sorted, 0.5),
    p95Ms: quantile(sorted, 0.95),
    maxMs: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
    over50: sorted.filter((d) => d > 50).length,
  };
}

/**
 * Send gaps from each target's request times (ms, in the store's order): the largest gap of
 * any target and whose, the p99 of all gaps, and how many exceed interval + 50 ms (the issue's
 * bound).
 */
export function gapSummary(timesByTarget, intervalMs) {
  const all = [];
  let maxGapMs = 0;
  let maxGapTarget = '';
  let requests = 0;
  let late = 0;
  for (const [target, times] of Object.entries(timesByTarget)) {
    requests += times.length;
    for (let i = 1; i < times.length; i++) {
      const g = times[i] - times[i - 1];
      all.push(g);
      if (g > intervalMs + 50) late++;
      if (g > maxGapMs) {
        maxGapMs = g;
        maxGapTarget = target;
      }
    }
  }
  all.sort((a, b) => a - b);
  return { requests, gaps: all.length, maxGapMs, maxGapTarget, p99GapMs: quantile(all, 0.99), late };
}
