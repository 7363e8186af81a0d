// The frames of running sessions, fetched from the Go side over HTTP (a long poll of
// service.FrameFeed at FRAMES_PATH) rather than received as Wails events: on Linux every
// event reaches the window as an evaluated script embedding its payload (see FrameFeed in
// backend/service for what the soak bench measured).

import type { Frame } from './types';

/** Mirrors service.FramesPath. */
export const FRAMES_PATH = '/echoscope/frames';

/** One answer of the feed (service.FeedPage). */
export interface FeedPage {
  next: number;
  missed: number;
  frames: Frame[];
}

export interface PollOptions {
  /** How long one fetch may wait for a new frame, ms (the server caps it at 1000). */
  waitMs?: number;
  /** Pause after a failed fetch, ms. */
  retryMs?: number;
  fetch?: (url: string) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;
}

/**
 * Calls listener with every frame published from now on, in order, until the returned
 * function is called. A failed fetch (the backend restarting, a dev server going away) is
 * retried after retryMs; frames the feed no longer had are skipped (the store counts the
 * gap in Frame.seq and pages those rows from the history).
 */
export function pollFrames(listener: (frame: Frame) => void, options: PollOptions = {}): () => void {
  const waitMs = options.waitMs ?? 1000;
  const retryMs = options.retryMs ?? 500;
  const get = options.fetch ?? ((url: string) => fetch(url, { cache: 'no-store' }));
  let stopped = false;
  void (async () => {
    let cursor: number | null = null;
    while (!stopped) {
      try {
        const url = cursor === null ? FRAMES_PATH : `${FRAMES_PATH}?after=${cursor}&wait=${waitMs}`;
        const res = await get(url);
        if (!res.ok) throw new Error(`${FRAMES_PATH}: HTTP ${res.status}`);
        const page = (await res.json()) as FeedPage;
        if (stopped) return;
        cursor = page.next;
        for (const f of page.frames) listener(f);
      } catch {
        if (!stopped) await new Promise((r) => setTimeout(r, retryMs));
      }
    }
  })();
  return () => {
    stopped = true;
  };
}
