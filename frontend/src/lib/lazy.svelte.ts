// Code that the first frame does not show (the Lab, Decode, History, the inspector, the
// chart's uPlot, About) is split into chunks of its own and loaded the first time it is
// needed, or ahead of that once the first frame is drawn (preload). The first frame then waits
// only for the Ping view's own code.

/** A module loaded on first use; value is there once it has loaded. */
export class Lazy<T> {
  /** The loaded module, undefined until then. */
  value = $state.raw<T | undefined>(undefined);
  /** Why loading failed, in words ('' while it has not). */
  error = $state('');
  #loading: Promise<T> | undefined;
  readonly #load: () => Promise<T>;
  readonly #what: string;

  /** what names the code for the error message ("the Lab"). */
  constructor(what: string, load: () => Promise<T>) {
    this.#what = what;
    this.#load = load;
  }

  /** Starts loading (once; a failed load is tried again on the next call) and resolves with the module. */
  load(): Promise<T> {
    this.#loading ??= this.#load().then(
      (m) => {
        this.value = m;
        this.error = '';
        return m;
      },
      (err: unknown) => {
        this.#loading = undefined;
        this.error = `Could not load ${this.#what}: ${err instanceof Error ? err.message : String(err)}`;
        throw err;
      },
    );
    return this.#loading;
  }

  /** Loads without waiting and without an unhandled rejection (the error is kept in error). */
  preload(): void {
    this.load().catch(() => {});
  }
}
