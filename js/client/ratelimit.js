// Client-side rate limiters that queue instead of failing. Both hand out permits in FIFO
// order; a waiting caller's AbortSignal removes it from the queue.
//
// Why permits are released: the server counts a request when it *arrives*, somewhere
// between the moment the client sends it and the moment the response is back, and a busy
// server (or network) can delay one batch and then handle the next right behind it. So a
// request occupies its slot (or token) from send until its response ends, and is counted
// as sent at that later moment. Every server-side window then holds at most what the
// client allowed, however the latency varies. The cost is the latency of one request
// per window (about 99.7 requests per minute at 100/min with 200 ms responses).
import { AbortError } from '../errors.js';

function abortError(signal) {
  return new AbortError('The request was aborted by its AbortSignal while waiting for the rate limiter.', { reason: signal.reason });
}

/** Shared queue mechanics: subclasses say when the next permit is free (`waitMs`), take and return it. */
class QueueingLimiter {
  constructor(now) {
    this.now = now ?? (() => Date.now());
    this.queue = [];
    this.timer = null;
    this.timerAt = Infinity;
    this.pausedUntil = 0;
    this.inflight = 0;
  }

  /**
   * Resolves with a `release()` function when the caller may send one request; call it
   * once the response has ended (or the attempt failed). Rejects with AbortError when
   * `signal` fires first. Permits are granted in call order.
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
    this.drain();
  }

  drain() {
    while (this.queue.length > 0) {
      const now = this.now();
      const wait = Math.max(this.pausedUntil - now, this.waitMs(now));
      if (wait > 0) {
        // Infinity: only a release can free a permit; release() drains again.
        if (Number.isFinite(wait)) this.wakeAt(now + Math.ceil(wait));
        return;
      }
      const waiter = this.queue.shift();
      if (waiter.signal) waiter.signal.removeEventListener('abort', waiter.onAbort);
      this.take(now);
      this.inflight += 1;
      let released = false;
      waiter.resolve(() => {
        if (released) return;
        released = true;
        this.inflight -= 1;
        this.giveBack(this.now());
        this.drain();
      });
    }
  }

  wakeAt(at) {
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => { this.timer = null; this.timerAt = Infinity; this.drain(); }, Math.max(0, at - this.now()));
    // A queue must not keep Node alive on its own once every caller gave up.
    this.timer.unref?.();
  }

  /** How many callers wait for a permit. */
  get pending() {
    return this.queue.length;
  }
}

/**
 * At most `limit` requests in any `windowMs` (Puffle: 100 per minute per key): a request
 * holds its slot from send until `windowMs` after its response ended. `marginMs` (default
 * 0) lengthens the window further, for clocks that drift.
 */
export class SlidingWindowLimiter extends QueueingLimiter {
  constructor({ limit, windowMs, marginMs }, now) {
    super(now);
    checkPositive(limit, 'limit');
    checkPositive(windowMs, 'windowMs');
    this.limit = Math.max(1, Math.floor(limit));
    this.windowMs = windowMs + (marginMs ?? 0);
    this.ends = []; // times responses ended, oldest first, within the last window
  }

  waitMs(now) {
    while (this.ends.length > 0 && this.ends[0] + this.windowMs <= now) this.ends.shift();
    const busy = this.inflight + this.ends.length;
    if (busy < this.limit) return 0;
    const k = busy - this.limit; // the (k+1)-th oldest end must leave the window
    return k < this.ends.length ? this.ends[k] + this.windowMs - now : Infinity;
  }

  take() {}

  giveBack(now) {
    this.ends.push(now);
  }
}

/**
 * A token bucket: `burst` requests at once, refilled at `limit` per `windowMs` (Saber
 * writes 2,000/min with bursts of 400; reads 100,000/min with bursts of 10,000). A request
 * holds a token from send and spends it when its response ends.
 *
 * The level is kept in token-milliseconds (a token is `windowMs` of them; each millisecond
 * adds `limit`), as the emulator's buckets do: with integer limits and millisecond clocks
 * every comparison is exact, so a client and a server that agree in exact arithmetic agree
 * here. (In floating point a server bucket refilled to exactly one token once read
 * 0.9999999999999992 and answered 429 to a request the client had counted a token for.)
 */
export class TokenBucketLimiter extends QueueingLimiter {
  constructor({ limit, windowMs, burst }, now) {
    super(now);
    checkPositive(limit, 'limit');
    checkPositive(windowMs, 'windowMs');
    checkPositive(burst, 'burst');
    this.limit = limit;                               // units added per ms
    this.unit = windowMs;                             // units per token
    this.capacity = Math.max(1, Math.floor(burst));   // tokens
    this.level = this.capacity * this.unit;           // units
    this.last = this.now();
  }

  refill(now) {
    if (now > this.last) {
      this.level = Math.min(this.capacity * this.unit, this.level + (now - this.last) * this.limit);
      this.last = now;
    }
  }

  waitMs(now) {
    this.refill(now);
    const available = this.level - this.inflight * this.unit;
    if (available >= this.unit) return 0;
    if (this.capacity - this.inflight < 1) return Infinity; // only a release helps
    return (this.unit - available) / this.limit;
  }

  take() {}

  giveBack(now) {
    this.refill(now);
    this.level -= this.unit;
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
