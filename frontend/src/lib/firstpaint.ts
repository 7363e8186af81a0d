// Tells the backend when the first frame with the Ping view was drawn (app:firstpaint), for
// the start-up trace of scripts/bench.sh firstpaint (ECHOSCOPE_TRACE_STARTUP=1), and runs the
// work that the first frame does not need (the WebAssembly codec) after it.

import { EVENT_FIRST_PAINT } from './api/events';

type Runtime = { EventsEmit?: (name: string, ...data: unknown[]) => void };

/** performance.now() at start-up steps: 'script' (main.ts runs), 'mounted' (App mounted). */
const marks: Record<string, number> = {};

export function markStartup(step: 'script' | 'mounted'): void {
  marks[step] = performance.now();
}

/**
 * Calls then() after the next frame has been drawn: requestAnimationFrame runs before that
 * frame's paint, the timeout after it.
 */
export function afterNextPaint(then: () => void): void {
  requestAnimationFrame(() => setTimeout(then, 0));
}

/** Emits app:firstpaint with what has focus (its data-testid or id) and the ms since navigation began. */
export function reportFirstPaint(): void {
  const runtime = (globalThis as { runtime?: Runtime }).runtime;
  const el = document.activeElement;
  const focus = el?.getAttribute('data-testid') ?? (el?.id || el?.tagName.toLowerCase() || '');
  runtime?.EventsEmit?.(EVENT_FIRST_PAINT, { focus, pageMs: performance.now(), scriptMs: marks.script ?? 0, mountedMs: marks.mounted ?? 0 });
}
