// Whether history reaches the disk. Pinging goes on either way; the banner says what is lost.

import * as api from '../api';
import type { StorageStatus } from '../api/types';
import { errorText } from './ping.svelte';

export interface StorageApi {
  storageStatus(): Promise<StorageStatus>;
}

export class StorageStore {
  status = $state<StorageStatus | null>(null);
  /** The status could not be asked for (an old backend, or none). */
  error = $state('');

  constructor(private readonly backend: StorageApi = api) {}

  async load(): Promise<void> {
    try {
      this.apply(await this.backend.storageStatus());
    } catch (err) {
      this.error = errorText(err);
    }
  }

  /** A "history:status" event, or the answer to load(). */
  apply(status: StorageStatus): void {
    this.status = status;
    this.error = '';
  }

  /**
   * The banner's text: the store's own status first, else a running session's frame error
   * (the store refuses writes mid-session); '' when history is saved.
   */
  message(frameError: string): string {
    if (this.status && !this.status.ok) return this.status.error || `history is not being saved to ${this.status.path || 'disk'}`;
    return frameError;
  }

  /**
   * What a numbered row that the store does not have is, in the packet table: forgotten by
   * the bounded in-memory history (it keeps the newest rows of this run), or refused by the
   * disk (full) when it was written.
   */
  missingRowText(): string {
    if (this.status?.inMemory) return 'not kept (the in-memory history forgets the oldest rows of this run)';
    return 'not stored (history could not save this packet)';
  }
}

export const storageStore = new StorageStore();
