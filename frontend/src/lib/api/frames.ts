// The frames of running sessions, fetched from the Go side over HTTP (a long poll of
// service.FrameFeed at FRAMES_PATH) rather than received as Wails events: on Linux every
// event reaches the window as an evaluated script embedding its payload (see FrameFeed in
// backend/service for what the soak bench measured).
//
// Each poller asks through one XMLHttpRequest of its own, opened again for every poll,
// rather than a fetch() per poll. A fetch leaves its Request and Response objects to the
// garbage collector, and in WebKitGTK the memory each finished fetch keeps outside the
// JavaScript heap is not counted towards the next collection: a page that receives frames
// but draws little (the soak's app window, which does not show the session; a minimized
// window, whose animation frames stop, should be the same case) made almost no
// JavaScript garbage, so no collection came for minutes and its web process grew by about
// 8 MB a minute at 100 requests/s, all given back at once when one finally ran (the soak
// bench, docs/benchmarks.md). Opening the same request again drops its previous response
// there and then; the frames parsed from it are ordinary JavaScript objects the collector
// counts.

import type { Frame } from './types';

/** Mirrors service.FramesPath. */
export const FRAMES_PATH = '/echoscope/frames';

/** One answer of the feed (service.FeedPage). */
export interface FeedPage {
  next: number;
  missed: number;
  frames: Frame[];
}

/** One GET of the feed: the page it answered, or a rejection saying why not. */
export type FeedGet = (url: string) => Promise<FeedPage>;

/** What feedRequester needs of XMLHttpRequest (the browser's, or a test's). */
export type FeedXhr = Pick<XMLHttpRequest, 'open' | 'send' | 'abort' | 'responseType' | 'status' | 'response' | 'onload' | 'onerror' | 'onabort'>;

/**
 * A FeedGet asking through one request object, opened again for every GET (one GET at a
 * time: the poll waits for each answer). Opening it again drops the previous response at
 * once instead of leaving it to the garbage collector (see the top of this file). The answer
 * is parsed as JSON by the request itself (responseType 'json').
 */
export function feedRequester(create: () => FeedXhr = () => new XMLHttpRequest()): { get: FeedGet; close(): void } {
  let xhr: FeedXhr | null = null;
  return {
    get(url) {
      xhr ??= create();
      const req = xhr;
      return new Promise<FeedPage>((resolve, reject) => {
        req.onload = () => {
          const body = req.response as FeedPage | null;
          if (req.status !== 200) reject(new Error(`${FRAMES_PATH}: HTTP ${req.status}`));
          else if (body === null || typeof body !== 'object' || !Array.isArray(body.frames)) reject(new Error(`${FRAMES_PATH}: the answer is not a feed page`));
          else resolve(body);
        };
        req.onerror = () => reject(new Error(`${FRAMES_PATH}: the request failed`));
        req.onabort = () => reject(new Error(`${FRAMES_PATH}: stopped`));
        req.open('GET', url);
        req.responseType = 'json';
        req.send();
      });
    },
    close() {
      xhr?.abort();
      xhr = null;
    },
  };
}

export interface PollOptions {
  /** How long one GET may wait for a new frame, ms (the server caps it at 1000). */
  waitMs?: number;
  /** Pause after a failed GET, ms. */
  retryMs?: number;
  /** Makes the requester the poll asks through (tests pass one with a fake request). */
  requester?: () => { get: FeedGet; close(): void };
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
  const requester = (options.requester ?? feedRequester)();
  let stopped = false;
  void (async () => {
    let cursor: number | null = null;
    while (!stopped) {
      try {
        const url = cursor === null ? FRAMES_PATH : `${FRAMES_PATH}?after=${cursor}&wait=${waitMs}`;
        const page = await requester.get(url);
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
    requester.close();
  };
}
