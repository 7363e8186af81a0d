import { describe, expect, it } from 'vitest';
import type { JobEnd, JobOutcome, JobProgress } from '../api';
import { JobsStore, progressText, rateText } from './jobs.svelte';

function fakeBackend() {
  let progress: (p: JobProgress) => void = () => {};
  let end: (e: JobEnd, o: JobOutcome) => void = () => {};
  const cancelled: string[] = [];
  return {
    api: {
      onJobProgress: (l: (p: JobProgress) => void) => ((progress = l), () => {}),
      onJobEnd: (l: (e: JobEnd, o: JobOutcome) => void) => ((end = l), () => {}),
      cancelJob: async (id: string) => {
        if (id === 'gone') throw new Error('no such job running: "gone"');
        cancelled.push(id);
      },
    },
    progress: (p: JobProgress) => progress(p),
    end: (e: JobEnd, o: JobOutcome) => end(e, o),
    cancelled,
  };
}

const p = (jobId: string, done: number, total: number, unit: 'rows' | 'bytes' | 'rounds' = 'rows'): JobProgress => ({ jobId, kind: 'export', label: 'Exporting to x.csv', unit, done, total, ratePerSec: done / 2 });

describe('jobs store', () => {
  it('keeps one entry per running job, updated in place, removed at its end', () => {
    const b = fakeBackend();
    const store = new JobsStore(b.api);
    store.start();
    b.progress(p('export-1', 0, 0));
    b.progress(p('import-2', 10, 100, 'bytes'));
    b.progress(p('export-1', 4096, 60000));
    expect(store.active.map((j) => [j.jobId, j.done])).toEqual([['export-1', 4096], ['import-2', 10]]);
    b.end({ jobId: 'export-1', kind: 'export', result: null, error: '' }, 'done');
    expect(store.active.map((j) => j.jobId)).toEqual(['import-2']);
  });

  it('ignores a progress event that arrives after its job ended', () => {
    const b = fakeBackend();
    const store = new JobsStore(b.api);
    store.start();
    b.progress(p('export-1', 4096, 60000));
    b.end({ jobId: 'export-1', kind: 'export', result: null, error: '' }, 'cancelled');
    b.progress(p('export-1', 8192, 60000));
    expect(store.active).toEqual([]);
  });

  it('keeps the bar from going back when an older event arrives late', () => {
    const b = fakeBackend();
    const store = new JobsStore(b.api);
    store.start();
    b.progress(p('import-1', 8192, 60000));
    b.progress(p('import-1', 4096, 60000));
    expect(store.active.map((j) => j.done)).toEqual([8192]);
  });

  it('marks a job cancelling until it ends, and says why a cancel failed', async () => {
    const b = fakeBackend();
    const store = new JobsStore(b.api);
    store.start();
    b.progress(p('export-1', 1, 10));
    await store.cancel('export-1');
    expect(b.cancelled).toEqual(['export-1']);
    expect(store.cancelling).toEqual(['export-1']);
    b.end({ jobId: 'export-1', kind: 'export', result: null, error: '' }, 'cancelled');
    expect(store.cancelling).toEqual([]);
    await store.cancel('gone');
    expect(store.error).toContain('no such job');
    expect(store.cancelling).toEqual([]);
  });

  it('words done of total and the rate in the job unit', () => {
    expect(progressText(p('a', 12288, 60000))).toBe('12\u2009288 of 60\u2009000 rows');
    expect(progressText(p('a', 3_100_000, 12_000_000, 'bytes'))).toBe('3.1 MB of 12.0 MB');
    expect(progressText(p('a', 500, 0, 'bytes'))).toBe('500 bytes');
    expect(rateText(p('a', 50000, 60000))).toBe('25\u2009000 rows/s');
    expect(progressText(p('a', 3, 10, 'rounds'))).toBe('3 of 10 rounds');
    expect(rateText(p('a', 3, 10, 'rounds'))).toBe('');
    expect(rateText({ ...p('a', 0, 0), ratePerSec: 0 })).toBe('');
  });
});
