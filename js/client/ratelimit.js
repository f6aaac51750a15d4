// Client-side rate limiters that queue instead of failing. Both hand out permits in FIFO
// order; a waiting caller's AbortSignal removes it from the queue.
//
// Why a margin: the server counts arrivals, the client counts departures, and loopback or
// network delays vary by a few milliseconds. Counting the window a little longer (and the
// burst a little smaller) than the server does absorbs that jitter, so a client that never
// exceeds its own limiter never sees a 429 from a server with the same limits.
import { AbortError } from '../errors.js';

function defaultMargin(windowMs) {
  return Math.min(250, Math.max(5, Math.round(windowMs * 0.01)));
}

function abortError(signal) {
  return new AbortError('The request was aborted by its AbortSignal while waiting for the rate limiter.', { reason: signal.reason });
}

/** Shared queue mechanics: subclasses say when the next permit is free (`waitMs`) and take it. */
class QueueingLimiter {
  constructor(now) {
    this.now = now ?? (() => Date.now());
    this.queue = [];
    this.timer = null;
    this.pausedUntil = 0;
  }

  /**
   * Resolves when the caller may send one request; rejects with AbortError when `signal`
   * fires first. Permits are granted in call order.
   */
  acquire(signal) {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject, signal, onAbort: null };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          reject(abortError(signal));
          this.drain();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.drain();
    });
  }

  /** Holds every permit until `ms` from now (a server said to wait: Retry-After). */
  pause(ms) {
    if (!(ms > 0)) return;
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.drain();
  }

  drain() {
    while (this.queue.length > 0) {
      const now = this.now();
      const wait = Math.max(this.pausedUntil - now, this.waitMs(now));
      if (wait > 0) {
        if (!this.timer) {
          this.timer = setTimeout(() => { this.timer = null; this.drain(); }, Math.ceil(wait));
          // A queue must not keep Node alive on its own once every caller gave up.
          this.timer.unref?.();
        }
        return;
      }
      const waiter = this.queue.shift();
      if (waiter.signal) waiter.signal.removeEventListener('abort', waiter.onAbort);
      this.take(now);
      waiter.resolve();
    }
  }

  /** How many callers wait for a permit. */
  get pending() {
    return this.queue.length;
  }
}

/**
 * At most `limit` permits in any `windowMs` (Puffle: 100 per minute per key).
 * `marginMs` (default 1% of the window, 5-250 ms) widens the window the client counts.
 */
export class SlidingWindowLimiter extends QueueingLimiter {
  constructor({ limit, windowMs, marginMs }, now) {
    super(now);
    checkPositive(limit, 'limit');
    checkPositive(windowMs, 'windowMs');
    this.limit = Math.floor(limit);
    this.windowMs = windowMs + (marginMs ?? defaultMargin(windowMs));
    this.grants = []; // times of the last `limit` grants, oldest first
  }

  waitMs(now) {
    if (this.grants.length < this.limit) return 0;
    return this.grants[0] + this.windowMs - now;
  }

  take(now) {
    this.grants.push(now);
    if (this.grants.length > this.limit) this.grants.shift();
  }
}

/**
 * A token bucket: `burst` permits at once, refilled at `limit` per `windowMs` (Saber writes
 * 2,000/min with bursts of 400; reads 100,000/min with bursts of 10,000). The client's bucket
 * holds `marginMs` worth of refill fewer tokens than the server's.
 */
export class TokenBucketLimiter extends QueueingLimiter {
  constructor({ limit, windowMs, burst, marginMs }, now) {
    super(now);
    checkPositive(limit, 'limit');
    checkPositive(windowMs, 'windowMs');
    checkPositive(burst, 'burst');
    this.ratePerMs = limit / windowMs;
    const margin = marginMs ?? defaultMargin(windowMs);
    this.capacity = Math.max(1, Math.floor(burst - this.ratePerMs * margin));
    this.tokens = this.capacity;
    this.last = this.now();
  }

  refill(now) {
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.ratePerMs);
      this.last = now;
    }
  }

  waitMs(now) {
    this.refill(now);
    return this.tokens >= 1 ? 0 : (1 - this.tokens) / this.ratePerMs;
  }

  take(now) {
    this.refill(now);
    this.tokens -= 1;
  }
}

function checkPositive(n, name) {
  if (!(typeof n === 'number' && Number.isFinite(n) && n > 0)) {
    throw new TypeError(`rateLimit ${name} must be a positive number (got ${JSON.stringify(n)})`);
  }
}

// Limiters are per key: clients made with the same key, base URL and limits share them, so
// two clients in one process do not each spend the key's whole budget.
const shared = new Map();

/** Returns the shared limiter for `id` (a string naming key, base URL, class and limits). */
export function sharedLimiter(id, make) {
  let limiter = shared.get(id);
  if (!limiter) {
    limiter = make();
    shared.set(id, limiter);
  }
  return limiter;
}
