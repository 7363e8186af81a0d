import { describe, expect, it } from 'vitest';
import type { StorageStatus } from '../api/types';
import { StorageStore } from './storage.svelte';

const ok: StorageStatus = { ok: true, path: '/data/history.db', inMemory: false, error: '' };
const readOnly: StorageStatus = { ok: false, path: '/ro/history.db', inMemory: true, error: 'history cannot be saved (read-only: /ro): pinging goes on; rows are kept in memory' };

describe('StorageStore', () => {
  it('has no message while history is saved', async () => {
    const s = new StorageStore({ storageStatus: async () => ok });
    await s.load();
    expect(s.message('')).toBe('');
  });

  it('shows the store status message, before a frame error', async () => {
    const s = new StorageStore({ storageStatus: async () => readOnly });
    await s.load();
    expect(s.message('disk full')).toBe(readOnly.error);
  });

  it('shows a running session frame error while the status is still ok', () => {
    const s = new StorageStore({ storageStatus: async () => ok });
    s.apply(ok);
    expect(s.message('history cannot be saved (disk full: /d)')).toBe('history cannot be saved (disk full: /d)');
  });

  it('follows history:status events', () => {
    const s = new StorageStore({ storageStatus: async () => ok });
    s.apply(readOnly);
    expect(s.message('')).toMatch(/read-only/);
    s.apply(ok);
    expect(s.message('')).toBe('');
  });

  it('says something even when the backend gives no words', () => {
    const s = new StorageStore({ storageStatus: async () => ok });
    s.apply({ ok: false, path: '/x/history.db', inMemory: true, error: '' });
    expect(s.message('')).toBe('history is not being saved to /x/history.db');
  });

  it('keeps the reason when the status cannot be asked for', async () => {
    const s = new StorageStore({ storageStatus: async () => Promise.reject(new Error('no such method')) });
    await s.load();
    expect(s.error).toBe('no such method');
    expect(s.message('')).toBe('');
  });

  it('names rows the store lacks: forgotten by the bounded in-memory history, or refused by the disk', () => {
    const s = new StorageStore({ storageStatus: async () => ok });
    s.apply({ ...readOnly, error: readOnly.error + '; only the newest 500000 rows are kept, older rows of this run are being forgotten' });
    expect(s.missingRowText()).toMatch(/^not kept \(the in-memory history forgets the oldest rows of this run\)$/);
    s.apply({ ok: false, path: '/full/history.db', inMemory: false, error: 'history cannot be saved (disk full: /full)' });
    expect(s.missingRowText()).toMatch(/^not stored/);
  });
});
