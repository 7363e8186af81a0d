import { describe, expect, it } from 'vitest';
import { Lazy } from './lazy.svelte';

describe('Lazy', () => {
  it('loads once, however many times it is asked', async () => {
    let calls = 0;
    const lazy = new Lazy('the Lab', async () => {
      calls++;
      return { name: 'lab' };
    });
    expect(lazy.value).toBeUndefined();
    const [a, b] = await Promise.all([lazy.load(), lazy.load()]);
    await lazy.load();
    expect(calls).toBe(1);
    expect(a).toBe(b);
    expect(lazy.value).toBe(a);
    expect(lazy.error).toBe('');
  });

  it('says what failed to load, and tries again on the next call', async () => {
    let fail = true;
    const lazy = new Lazy('the Lab', async () => {
      if (fail) throw new Error('Importing a module script failed.');
      return 42;
    });
    await expect(lazy.load()).rejects.toThrow('Importing a module script failed.');
    expect(lazy.error).toBe('Could not load the Lab: Importing a module script failed.');
    expect(lazy.value).toBeUndefined();
    fail = false;
    await expect(lazy.load()).resolves.toBe(42);
    expect(lazy.value).toBe(42);
    expect(lazy.error).toBe('');
  });

  it('preloads without an unhandled rejection', async () => {
    const lazy = new Lazy('the chart', () => Promise.reject(new Error('offline')));
    lazy.preload();
    await new Promise((r) => setTimeout(r, 0));
    expect(lazy.error).toBe('Could not load the chart: offline');
  });
});
