// The frames of running sessions, fetched from the Go side over HTTP (a long poll of
// service.FrameFeed at FRAMES_PATH) rather than received as Wails events: on Linux every
// event reaches the window as an evaluated script embedding its payload (see FrameFeed in
// backend/service for what the soak bench measured).
//
// Each poller asks through one XMLHttpRequest of its own, opened again for every poll,
// rather than a fetch() per poll. In WebKitGTK a finished fetch left memory outside the
// JavaScript heap until the garbage collector ran, and the collector did not count it: in a
// page that receives frames but draws little (the soak bench's app window, which does not
// show the session) the first collection after start came after 139 to 529 s, and until
// then the web process grew by 9.5-9.7 MB a minute at 100 requests/s, while its JavaScript
// heap grew by about half that. Opening the same request again drops its previous response
// there and then: with it the growth before that first collection was 5.7-6.9 MB a minute,
// about what the heap itself grew by (the frames parsed and dropped, garbage the collector
// counts). See docs/benchmarks.md, soak.

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
