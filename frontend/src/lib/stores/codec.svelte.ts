// Start-up state of the WebAssembly codec, shared by every component that decodes bytes.

import { makeCodec, type Codec } from '../wire/codec';
import { browserEnv, loadWire, type LoaderEnv } from '../wire/loader';

export type CodecStatus =
  | { state: 'loading' }
  | { state: 'ready'; codec: Codec }
  | { state: 'failed'; message: string };

class CodecStore {
  status = $state<CodecStatus>({ state: 'loading' });
  #started: Promise<void> | undefined;

  /** Loads the codec once; later calls return the same promise. */
  start(env: LoaderEnv = browserEnv()): Promise<void> {
    this.#started ??= loadWire(env).then(
      (wire) => {
        this.status = { state: 'ready', codec: makeCodec(wire) };
      },
      (err: unknown) => {
        this.status = { state: 'failed', message: err instanceof Error ? err.message : String(err) };
      },
    );
    return this.#started;
  }
}

export const codecStore = new CodecStore();
