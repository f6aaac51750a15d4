// A fixed number of slots for concurrent work, handed out in call order: bounded
// concurrency for batches (scoring many companies) without a dependency.
import { AbortError } from '../errors.js';

export class Slots {
  #free;
  #queue = [];

  /** `size`: how many `use()` calls may run their function at once. */
  constructor(size) {
    this.#free = size;
  }

  /**
   * Runs `fn()` once a slot is free and resolves with its result; the slot is given back
   * when it settles. Rejects with AbortError, without running `fn`, when `signal` fires
   * while the call waits for a slot.
   */
  async use(fn, signal) {
    await this.#acquire(signal);
    try {
      return await fn();
    } finally {
      this.#release();
    }
  }

  #acquire(signal) {
    if (signal?.aborted) return Promise.reject(new AbortError(undefined, { reason: signal.reason }));
    if (this.#free > 0 && this.#queue.length === 0) {
      this.#free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = { resolve, onAbort: null };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.#queue.indexOf(waiter);
          if (i >= 0) this.#queue.splice(i, 1);
          reject(new AbortError(undefined, { reason: signal.reason }));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      waiter.signal = signal;
      this.#queue.push(waiter);
    });
  }

  #release() {
    const next = this.#queue.shift();
    if (!next) { this.#free += 1; return; }
    next.signal?.removeEventListener('abort', next.onAbort);
    next.resolve();
  }
}
