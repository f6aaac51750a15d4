// Many concurrent tasks stopped by one signal, without one listener per task on it: a scope
// listens once to its parent and aborts the signals it handed out. (Node warns at more than
// ten listeners on one AbortSignal, and a batch of requests each listening would pass that.)

export class AbortScope {
  #controller = new AbortController();
  #children = new Set();
  #parent;
  #onAbort;

  /** `parent` (optional): an AbortSignal whose abort aborts the scope, with its reason. */
  constructor(parent) {
    this.#parent = parent;
    this.#onAbort = () => this.abort(parent.reason);
    if (parent?.aborted) this.abort(parent.reason);
    else parent?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** The scope's own signal. */
  get signal() {
    return this.#controller.signal;
  }

  /** Aborts the scope and every signal it handed out (once). */
  abort(reason) {
    if (this.#controller.signal.aborted) return;
    this.#controller.abort(reason);
    for (const child of this.#children) child.abort(reason);
    this.#children.clear();
  }

  /** Runs `fn(signal)` with a signal of its own that the scope aborts; the signal is dropped afterwards. */
  async run(fn) {
    const child = new AbortController();
    if (this.signal.aborted) child.abort(this.signal.reason);
    else this.#children.add(child);
    try {
      return await fn(child.signal);
    } finally {
      this.#children.delete(child);
    }
  }

  /** Stops listening to the parent (the scope is done). */
  close() {
    this.#parent?.removeEventListener('abort', this.#onAbort);
  }
}
