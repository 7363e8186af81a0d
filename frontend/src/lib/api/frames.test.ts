import { describe, expect, it } from 'vitest';
import type { Frame } from './types';
import { FRAMES_PATH, pollFrames, type FeedPage } from './frames';

function frame(seq: number): Frame {
  return { sessionId: '1', seq, totalRows: seq, rows: [], skippedRows: 0, points: [], skippedPoints: 0, stats: null, backlog: 0, droppedEvents: 0, emittedAtMs: 0, storageError: '' };
}

/** A feed answering the given pages in turn (then waiting forever), recording the URLs. */
function fakeFeed(pages: (FeedPage | number)[]) {
  const urls: string[] = [];
  let i = 0;
  const fetch = async (url: string) => {
    urls.push(url);
    const p = pages[i++];
    if (p === undefined) return new Promise<never>(() => {});
    if (typeof p === 'number') return { ok: false, status: p, json: async () => ({}) };
    return { ok: true, status: 200, json: async () => p };
  };
  return { urls, fetch };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('pollFrames', () => {
  it('starts at the current cursor, then asks after the last frame it got, in order', async () => {
    const feed = fakeFeed([
      { next: 5, missed: 0, frames: [] },
      { next: 7, missed: 0, frames: [frame(1), frame(2)] },
      { next: 8, missed: 0, frames: [frame(3)] },
    ]);
    const got: number[] = [];
    const stop = pollFrames((f) => got.push(f.seq), { fetch: feed.fetch, waitMs: 900 });
    await settle();
    stop();
    expect(got).toEqual([1, 2, 3]);
    expect(feed.urls.slice(0, 4)).toEqual([FRAMES_PATH, `${FRAMES_PATH}?after=5&wait=900`, `${FRAMES_PATH}?after=7&wait=900`, `${FRAMES_PATH}?after=8&wait=900`]);
  });

  it('retries after a failed fetch, from the same cursor', async () => {
    const feed = fakeFeed([{ next: 2, missed: 0, frames: [] }, 500, { next: 3, missed: 0, frames: [frame(3)] }]);
    const got: number[] = [];
    const stop = pollFrames((f) => got.push(f.seq), { fetch: feed.fetch, retryMs: 1 });
    await settle();
    stop();
    expect(got).toEqual([3]);
    expect(feed.urls[1]).toContain('after=2');
    expect(feed.urls[2]).toContain('after=2');
  });

  it('delivers nothing after it is stopped', async () => {
    let release: (v: unknown) => void = () => {};
    const fetch = (url: string) =>
      url === FRAMES_PATH
        ? Promise.resolve({ ok: true, status: 200, json: async () => ({ next: 0, missed: 0, frames: [] }) })
        : new Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>((r) => (release = r as (v: unknown) => void));
    const got: number[] = [];
    const stop = pollFrames((f) => got.push(f.seq), { fetch });
    await settle();
    stop();
    release({ ok: true, status: 200, json: async () => ({ next: 1, missed: 0, frames: [frame(1)] }) });
    await settle();
    expect(got).toEqual([]);
  });
});
