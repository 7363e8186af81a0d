// The inspector's packet detail, loaded for the row the user selected last. Rows are selected
// faster than the store answers (arrow keys held down, clicks along the chart), and answers can
// come back out of order: only the latest selection's answer (or error) may be shown, never a
// slower earlier one arriving after it. The Ping and Monitor views share this one loader.

import type { PacketDetail } from '../api/types';
import { errorText } from '../stores/ping.svelte';

/** Fetches row n of a session (lib/api packetDetail in the app). */
export type FetchDetail = (sessionId: string, row: number) => Promise<PacketDetail>;

export class DetailLoader {
  /** The latest selection's detail; null while none is open (or before its first answer). */
  detail = $state<PacketDetail | null>(null);
  /** What went wrong for the latest selection, in words ('' when nothing did). */
  error = $state('');
  #seq = 0;
  readonly #fetch: FetchDetail;

  constructor(fetch: FetchDetail) {
    this.#fetch = fetch;
  }

  /** A new selection: answers to every earlier token are stale from now on. */
  begin(): number {
    return ++this.#seq;
  }

  /** The latest selection's token (a lookup for the row already selected, not a new selection). */
  current(): number {
    return this.#seq;
  }

  /** Whether token still belongs to the latest selection (other lookups for it check this). */
  isLatest(token: number): boolean {
    return token === this.#seq;
  }

  /**
   * Loads row n of the session; its answer is shown only if no later selection began (or the
   * inspector closed) while it was on its way. token: one begun for this selection already.
   */
  async load(sessionId: string, n: number, token: number = this.begin()): Promise<void> {
    try {
      const d = await this.#fetch(sessionId, n);
      if (!this.isLatest(token)) return;
      this.detail = d;
      this.error = '';
    } catch (err) {
      this.fail(token, n, err);
    }
  }

  /** A lookup for row n (the detail, or its table position) failed: said if still current. */
  fail(token: number, n: number, err: unknown): void {
    if (this.isLatest(token)) this.error = `Row ${n}: ${errorText(err)}`;
  }

  /** The inspector closed: nothing is shown, and answers still on their way are dropped. */
  clear(): void {
    this.#seq++;
    this.detail = null;
    this.error = '';
  }
}
