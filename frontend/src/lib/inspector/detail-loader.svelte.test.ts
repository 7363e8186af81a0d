import { describe, expect, it } from 'vitest';
import type { PacketDetail } from '../api/types';
import { DetailLoader } from './detail-loader.svelte';
import { samples } from './samples';

/** A store whose answers the test releases one by one, in any order. */
function heldStore() {
  const pending = new Map<number, { resolve: (d: PacketDetail) => void; reject: (e: Error) => void }>();
  const byRow = [samples.sendLoopback, samples.onTimeLoopback];
  return {
    fetch: (_session: string, row: number) =>
      new Promise<PacketDetail>((resolve, reject) => pending.set(row, { resolve, reject })),
    answer: async (row: number) => {
      pending.get(row)!.resolve(byRow[row]!);
      await Promise.resolve();
      await Promise.resolve();
    },
    refuse: async (row: number, message: string) => {
      pending.get(row)!.reject(new Error(message));
      await Promise.resolve();
      await Promise.resolve();
    },
  };
}

describe('DetailLoader', () => {
  it('never lets a slow earlier answer replace the later selection', async () => {
    const store = heldStore();
    const loader = new DetailLoader(store.fetch);
    const first = loader.load('s', 0);
    const second = loader.load('s', 1);
    await store.answer(1);
    expect(loader.detail?.row).toBe(1);
    await store.answer(0); // row 0's answer arrives last: it is stale
    await Promise.all([first, second]);
    expect(loader.detail?.row).toBe(1);
    expect(loader.error).toBe('');
  });

  it('shows the latest answer when answers come in order', async () => {
    const store = heldStore();
    const loader = new DetailLoader(store.fetch);
    const first = loader.load('s', 0);
    await store.answer(0);
    expect(loader.detail?.row).toBe(0);
    const second = loader.load('s', 1);
    await store.answer(1);
    await Promise.all([first, second]);
    expect(loader.detail?.row).toBe(1);
  });

  it("drops a stale row's error, and says the latest row's in words", async () => {
    const store = heldStore();
    const loader = new DetailLoader(store.fetch);
    const first = loader.load('s', 0);
    const second = loader.load('s', 1);
    await store.answer(1);
    await store.refuse(0, 'session closed');
    await Promise.all([first, second]);
    expect(loader.error).toBe('');
    expect(loader.detail?.row).toBe(1);

    const third = loader.load('s', 0);
    await store.refuse(0, 'no row 0 in session s');
    await third;
    expect(loader.error).toBe('Row 0: no row 0 in session s');
    const fourth = loader.load('s', 1);
    await store.answer(1);
    await fourth;
    expect(loader.error).toBe('');
  });

  it('drops an answer still on its way when the inspector closes', async () => {
    const store = heldStore();
    const loader = new DetailLoader(store.fetch);
    const pending = loader.load('s', 1);
    loader.clear();
    await store.answer(1);
    await pending;
    expect(loader.detail).toBeNull();
  });

  it("lets another lookup for the selection share its token (the table position)", async () => {
    const store = heldStore();
    const loader = new DetailLoader(store.fetch);
    const token = loader.begin();
    expect(loader.isLatest(token)).toBe(true);
    const load = loader.load('s', 1, token);
    loader.fail(token, 1, new Error('position unknown'));
    expect(loader.error).toBe('Row 1: position unknown');
    expect(loader.current()).toBe(token); // a lookup for the same selection keeps it current
    const later = loader.begin();
    expect(loader.isLatest(token)).toBe(false);
    expect(loader.current()).toBe(later);
    loader.fail(token, 1, new Error('too late')); // a stale lookup's failure is not shown
    expect(loader.error).toBe('Row 1: position unknown');
    await store.answer(1);
    await load;
    expect(loader.detail).toBeNull(); // the later selection began: this answer is stale
    expect(loader.isLatest(later)).toBe(true);
  });
});
