// Tells the backend when the first frame with the Ping view was drawn (app:firstpaint), for
// the start-up trace of scripts/bench.sh firstpaint (ECHOSCOPE_TRACE_STARTUP=1), and runs the
// work that the first frame does not need (the WebAssembly codec, the engine, the views that
// are not shown first) after it.

import { EVENT_FIRST_PAINT } from './api/events';

type Runtime = { EventsEmit?: (name: string, ...data: unknown[]) => void };

/**
 * The page's start-up steps, each its performance.now() (ms since navigation began):
 * 'script' main.ts runs (its imports evaluated), 'mounted' mount() returned, 'effects' the
 * components' onMount callbacks have run, 'frame' the first frame began (requestAnimationFrame).
 */
export type StartupStep = 'script' | 'mounted' | 'effects' | 'frame';

const marks: Partial<Record<StartupStep, number>> = {};

export function markStartup(step: StartupStep): void {
  marks[step] ??= performance.now();
}

/**
 * Calls then() after the next frame has been drawn: requestAnimationFrame runs before that
 * frame's paint, the timeout after it.
 */
export function afterNextPaint(then: () => void): void {
  requestAnimationFrame(() => setTimeout(then, 0));
}

/** The app:firstpaint payload (backend/service FirstPaintPayload). */
export type FirstPaintPayload = {
  focus: string;
  navStart: number;
  pageMs: number;
  scriptMs: number;
  mountedMs: number;
  effectsMs: number;
  frameMs: number;
};

/** What has focus: its data-testid, else its id, else its tag name. */
export function focusName(el: Element | null): string {
  return el?.getAttribute('data-testid') ?? (el?.id || el?.tagName.toLowerCase() || '');
}

export function firstPaintPayload(focus: Element | null, now: number, timeOrigin: number, steps: Partial<Record<StartupStep, number>>): FirstPaintPayload {
  return {
    focus: focusName(focus),
    navStart: timeOrigin,
    pageMs: now,
    scriptMs: steps.script ?? 0,
    mountedMs: steps.mounted ?? 0,
    effectsMs: steps.effects ?? 0,
    frameMs: steps.frame ?? 0,
  };
}

/**
 * Marks the first frame's start and, once it is drawn, emits app:firstpaint with what has
 * focus and the start-up steps, then runs then() (the work the first frame does not need).
 */
export function afterFirstPaint(then: () => void): void {
  requestAnimationFrame(() => {
    markStartup('frame');
    setTimeout(() => {
      const payload = firstPaintPayload(document.activeElement, performance.now(), performance.timeOrigin, marks);
      // Also readable by tests and the page benchmark (outside Wails, where no runtime is).
      (globalThis as { echoscopeFirstPaint?: FirstPaintPayload }).echoscopeFirstPaint = payload;
      const runtime = (globalThis as { runtime?: Runtime }).runtime;
      runtime?.EventsEmit?.(EVENT_FIRST_PAINT, payload);
      then();
    }, 0);
  });
}
