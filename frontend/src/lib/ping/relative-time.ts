// Time since the session started, for the packet table's relative Time column: at intervals
// under 10 ms every clock time in view looks alike, so the table can show ms since start
// with µs precision instead. RFC 3339 times carry nanoseconds; Date keeps only ms, so the
// sub-millisecond digits are read from the string.

/** Microseconds since the epoch of an RFC 3339 time, or null when it does not parse. */
export function epochMicros(rfc3339: string): number | null {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(rfc3339);
  if (!m) return null;
  const seconds = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(seconds)) return null;
  const fraction = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return seconds * 1000 + Number(fraction);
}

/** Milliseconds since start with µs precision ("1234.567"); "" when a time does not parse. */
export function sinceStart(rfc3339: string, startRfc3339: string): string {
  const t = epochMicros(rfc3339);
  const t0 = epochMicros(startRfc3339);
  if (t === null || t0 === null) return '';
  return ((t - t0) / 1000).toFixed(3);
}

/** Whether the session's interval makes clock times in view look alike (under 10 ms). */
export function preferRelative(intervalMs: number | undefined): boolean {
  return intervalMs !== undefined && intervalMs > 0 && intervalMs < 10;
}
