import { describe, expect, it } from 'vitest';
import type { Frame } from './types';
import { FRAMES_PATH, feedRequester, pollFrames, type FeedPage, type FeedXhr } from './frames';

function frame(seq: number): Frame {
  return { sessionId: '1', seq, totalRows: seq, rows: [], skippedRows: 0, points: [], skippedPoints: 0, stats: null, backlog: 0, droppedEvents: 0, emittedAtMs: 0, storageError: '' };
}

/** A feed answering the given pages in turn (a number: that HTTP status), then waiting forever; records the URLs. */
function fakeFeed(pages: (FeedPage | number)[]) {
  const urls: string[] = [];
  let closed = 0;
  let i = 0;
  const requester = () => ({
    get: async (url: string): Promise<FeedPage> => {
      urls.push(url);
      const p = pages[i++];
      if (p === undefined) return new Promise<never>(() => {});
      if (typeof p === 'number') throw new Error(`HTTP ${p}`);
      return p;
    },
    close: () => void closed++,
  });
  return { urls, requester, closed: () => closed };
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
    const stop = pollFrames((f) => got.push(f.seq), { requester: feed.requester, waitMs: 900 });
    await settle();
    stop();
    expect(got).toEqual([1, 2, 3]);
    expect(feed.urls.slice(0, 4)).toEqual([FRAMES_PATH, `${FRAMES_PATH}?after=5&wait=900`, `${FRAMES_PATH}?after=7&wait=900`, `${FRAMES_PATH}?after=8&wait=900`]);
  });

  it('retries after a failed GET, from the same cursor', async () => {
    const feed = fakeFeed([{ next: 2, missed: 0, frames: [] }, 500, { next: 3, missed: 0, frames: [frame(3)] }]);
    const got: number[] = [];
    const stop = pollFrames((f) => got.push(f.seq), { requester: feed.requester, retryMs: 1 });
    await settle();
    stop();
    expect(got).toEqual([3]);
    expect(feed.urls[1]).toContain('after=2');
    expect(feed.urls[2]).toContain('after=2');
  });

  it('delivers nothing after it is stopped, and closes its requester', async () => {
    let release: (p: FeedPage) => void = () => {};
    let closed = 0;
    const requester = () => ({
      get: (url: string) =>
        url === FRAMES_PATH ? Promise.resolve({ next: 0, missed: 0, frames: [] }) : new Promise<FeedPage>((r) => (release = r)),
      close: () => void closed++,
    });
    const got: number[] = [];
    const stop = pollFrames((f) => got.push(f.seq), { requester });
    await settle();
    stop();
    expect(closed).toBe(1);
    release({ next: 1, missed: 0, frames: [frame(1)] });
    await settle();
    expect(got).toEqual([]);
  });
});

/**
 * A stand-in for the browser's XMLHttpRequest (Vitest runs in Node, which has none) that
 * answers each send() with the next of the given answers, asynchronously, as a browser does;
 * with none left, the request stays pending.
 */
class FakeXhr implements FeedXhr {
  static made: FakeXhr[] = [];
  responseType: XMLHttpRequestResponseType = '';
  status = 0;
  response: unknown = null;
  onload: XMLHttpRequest['onload'] = null;
  onerror: XMLHttpRequest['onerror'] = null;
  onabort: XMLHttpRequest['onabort'] = null;
  opened: string[] = [];
  aborted = 0;
  private pending = false;

  constructor(private readonly answers: ({ status: number; body: unknown } | 'network error')[]) {
    FakeXhr.made.push(this);
  }

  /** Calls a handler as the browser would (Node has no ProgressEvent; the handlers ignore it). */
  private fire(handler: XMLHttpRequest['onload']): void {
    handler?.call(this as unknown as XMLHttpRequest, {} as ProgressEvent);
  }

  open(method: string, url: string | URL): void {
    if (this.pending) throw new Error('open() while a request is pending: the poll asks one at a time');
    // A browser drops the previous response when the request is opened again.
    this.status = 0;
    this.response = null;
    this.responseType = '';
    this.opened.push(`${method} ${url}`);
  }

  send(): void {
    this.pending = true;
    const answer = this.answers.shift();
    if (answer === undefined) return; // no answers left: the GET waits (a long poll with no frame)
    setTimeout(() => {
      if (!this.pending) return;
      this.pending = false;
      if (answer === 'network error') {
        this.fire(this.onerror);
        return;
      }
      this.status = answer.status;
      // responseType 'json': the parsed body, or null when it is not JSON.
      this.response = this.responseType === 'json' ? answer.body : JSON.stringify(answer.body);
      this.fire(this.onload);
    }, 1);
  }

  abort(): void {
    this.aborted++;
    if (!this.pending) return;
    this.pending = false;
    this.fire(this.onabort);
  }
}

describe('feedRequester', () => {
  it('asks every GET through one request object, opened again each time, and parses the answer as JSON', async () => {
    FakeXhr.made = [];
    const pages: FeedPage[] = [
      { next: 3, missed: 0, frames: [] },
      { next: 4, missed: 0, frames: [frame(4)] },
      { next: 6, missed: 1, frames: [frame(6)] },
    ];
    const r = feedRequester(() => new FakeXhr(pages.map((body) => ({ status: 200, body }))));
    expect(await r.get(FRAMES_PATH)).toEqual(pages[0]);
    expect(await r.get(`${FRAMES_PATH}?after=3&wait=1000`)).toEqual(pages[1]);
    expect(await r.get(`${FRAMES_PATH}?after=4&wait=1000`)).toEqual(pages[2]);
    expect(FakeXhr.made).toHaveLength(1);
    expect(FakeXhr.made[0]!.opened).toEqual([`GET ${FRAMES_PATH}`, `GET ${FRAMES_PATH}?after=3&wait=1000`, `GET ${FRAMES_PATH}?after=4&wait=1000`]);
  });

  it('rejects in words on an HTTP error, an answer that is not a feed page, and a failed request', async () => {
    const r = feedRequester(() => new FakeXhr([{ status: 404, body: null }, { status: 200, body: null }, { status: 200, body: { next: 1 } }, 'network error']));
    await expect(r.get(FRAMES_PATH)).rejects.toThrow(`${FRAMES_PATH}: HTTP 404`);
    await expect(r.get(FRAMES_PATH)).rejects.toThrow('not a feed page');
    await expect(r.get(FRAMES_PATH)).rejects.toThrow('not a feed page');
    await expect(r.get(FRAMES_PATH)).rejects.toThrow('the request failed');
  });

  it('close() aborts the GET in flight, and the poll built on it ends', async () => {
    FakeXhr.made = [];
    // The first GET answers the cursor; the second never gets an answer before close().
    const make = () => new FakeXhr([{ status: 200, body: { next: 0, missed: 0, frames: [] } }]);
    const got: number[] = [];
    const stop = pollFrames((f) => got.push(f.seq), { requester: () => feedRequester(make), retryMs: 1 });
    await settle();
    const xhr = FakeXhr.made[0]!;
    expect(xhr.opened).toHaveLength(2); // the cursor, then the wait for frames
    stop();
    expect(xhr.aborted).toBe(1);
    await settle();
    expect(FakeXhr.made).toHaveLength(1); // no new request after the stop
    expect(xhr.opened).toHaveLength(2);
    expect(got).toEqual([]);
  });
});
