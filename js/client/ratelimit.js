// Client-side rate limiting that queues instead of failing. Two parts:
//
// - A *store* keeps the count of a bucket (Puffle's sliding window, Saber's token buckets)
//   and answers one question at a time: may one more request go now, and if not, how long
//   until one may? The in-process store below is the default; signalkit/redis keeps the same
//   count in Redis so that every process using a key shares it. The interface is small and
//   documented (docs/ratelimit.md) so that other shared stores can be written.
// - A `Limiter` is one process's queue in front of one bucket of a store: it hands out
//   permits in FIFO order, sleeps exactly as long as the store says, and removes a waiting
//   caller whose AbortSignal fires.
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

const isPromise = (v) => v !== null && typeof v === 'object' && typeof v.then === 'function';

/**
 * One process's queue in front of one bucket of a store. Permits are granted in call order;
 * a store's answer that is a promise (a remote store) is awaited, a plain value (the
 * in-process store) is used at once, so in-process grant times are exact.
 */
export class Limiter {
  constructor(store, bucket) {
    this.store = store;
    this.bucket = bucket;
    this.queue = [];
    this.timer = null;
    this.timerAt = Infinity;
    this.asking = false; // a store call for the head of the queue is in flight
  }

  /**
   * Resolves with a `release()` function when the caller may send one request; call it
   * once the response has ended (or the attempt failed). Rejects with AbortError when
   * `signal` fires first, or with the store's error when the store cannot be reached.
   * `leaseMs`: how long the request may take at most (its timeout); a shared store lets the
   * permit expire some time after that, in case this process dies while holding it.
   */
  acquire(signal, { leaseMs } = {}) {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject, signal, leaseMs, onAbort: null };
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

  /**
   * Holds every permit of the bucket until `ms` from now (a server said to wait: Retry-After).
   * Resolves once the store has it, so that a shared store pauses every process before this
   * one goes on.
   */
  pause(ms) {
    if (!(ms > 0)) return Promise.resolve();
    return this.afterStoreCall(this.store.pause(this.bucket, ms));
  }

  /** Passes what a response said about the server's own count (Saber: X-Ratelimit-Remaining). */
  observe(observation) {
    if (typeof this.store.observe === 'function') this.afterStoreCall(this.store.observe(this.bucket, observation));
  }

  /** How many callers wait for a permit. */
  get pending() {
    return this.queue.length;
  }

  drain() {
    if (this.asking) return; // its answer drains again
    while (this.queue.length > 0) {
      let answer;
      try {
        answer = this.store.acquire(this.bucket, { leaseMs: this.queue[0].leaseMs });
      } catch (err) {
        this.failAll(err);
        return;
      }
      if (isPromise(answer)) {
        this.asking = true;
        answer.then((a) => {
          this.asking = false;
          if (this.settle(a)) this.drain();
        }, (err) => {
          this.asking = false;
          this.failAll(err);
          this.drain();
        });
        return;
      }
      if (!this.settle(answer)) return;
    }
  }

  // Applies one answer of the store: a permit goes to the head of the queue (or back to the
  // store unused when every caller gave up meanwhile); a wait sets the timer. Returns true
  // when the next caller may ask at once.
  settle(answer) {
    if (answer !== null && typeof answer === 'object' && 'permit' in answer) {
      const waiter = this.queue.shift();
      if (!waiter) {
        this.afterStoreCall(this.store.release(this.bucket, answer.permit, { sent: false }));
        return false;
      }
      if (waiter.signal) waiter.signal.removeEventListener('abort', waiter.onAbort);
      let released = false;
      waiter.resolve(() => {
        if (released) return;
        released = true;
        this.afterStoreCall(this.store.release(this.bucket, answer.permit, { sent: true }));
      });
      return true;
    }
    const wait = answer?.waitMs;
    // Infinity: only a release in this process can free a permit, and it drains again.
    if (Number.isFinite(wait)) this.wakeAt(Date.now() + Math.max(0, wait));
    else if (wait !== Infinity) this.failAll(new TypeError(`rate-limit store answered ${JSON.stringify(answer)} to acquire(); expected {permit} or {waitMs}`));
    return false;
  }

  // Drains once a store call that can free or hold permits has taken effect; resolves then.
  afterStoreCall(result) {
    if (isPromise(result)) return result.then(() => this.drain(), () => this.drain());
    this.drain();
    return Promise.resolve();
  }

  // The store failed: every waiting caller gets its error (one at a time, each would wait
  // for the same failure). Callers who come later ask the store again.
  failAll(err) {
    for (const waiter of this.queue.splice(0)) {
      if (waiter.signal) waiter.signal.removeEventListener('abort', waiter.onAbort);
      waiter.reject(err);
    }
  }

  wakeAt(at) {
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => { this.timer = null; this.timerAt = Infinity; this.drain(); }, Math.max(0, at - Date.now()));
    // A queue must not keep Node alive on its own once every caller gave up.
    this.timer.unref?.();
  }
}

/**
 * The count of a sliding window, in one process: at most `limit` requests in any
 * `windowMs` (Puffle: 100 per minute per key). A request holds its slot from send until
 * `windowMs` after its response ended.
 */
class WindowCount {
  constructor({ limit, windowMs }) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.ends = []; // times responses ended, oldest first, within the last window
    this.inflight = 0;
    this.pausedUntil = 0;
  }

  waitMs(now) {
    while (this.ends.length > 0 && this.ends[0] + this.windowMs <= now) this.ends.shift();
    const busy = this.inflight + this.ends.length;
    if (busy < this.limit) return 0;
    const k = busy - this.limit; // the (k+1)-th oldest end must leave the window
    return k < this.ends.length ? this.ends[k] + this.windowMs - now : Infinity;
  }

  spend(now) {
    this.ends.push(now);
  }

  observe() {} // Puffle sends no count of its own
}

/**
 * The count of a token bucket, in one process: `burst` requests at once, refilled at
 * `limit` per `windowMs` (Saber writes 2,000/min with bursts of 400; reads 100,000/min with
 * bursts of 10,000). A request holds a token from send and spends it when its response ends.
 *
 * The level is kept in token-milliseconds (a token is `windowMs` of them; each millisecond
 * adds `limit`), as the emulator's buckets do: with integer limits and millisecond clocks
 * every comparison is exact, so a client and a server that agree in exact arithmetic agree
 * here. (In floating point a server bucket refilled to exactly one token once read
 * 0.9999999999999992 and answered 429 to a request the client had counted a token for.)
 */
class BucketCount {
  constructor({ limit, windowMs, burst }, now) {
    this.limit = limit;                 // units added per ms
    this.unit = windowMs;               // units per token
    this.capacity = burst;              // tokens
    this.level = burst * windowMs;      // units
    this.last = now;
    this.inflight = 0;
    this.pausedUntil = 0;
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

  spend(now) {
    this.refill(now);
    this.level -= this.unit;
  }

  /**
   * The server said it had `remaining` whole tokens left after counting a request. Counting
   * every request still in flight as not yet seen by the server, this bucket may then hold
   * at most `remaining + inflight` tokens and a fraction: the header can only lower it.
   */
  observe(now, { remaining }) {
    this.refill(now);
    this.level = Math.min(this.level, (remaining + 1 + this.inflight) * this.unit - 1);
  }
}

/**
 * The in-process store: counts kept in this process's memory. `memoryStore()` makes a new,
 * private one; clients use one store for the whole process unless given another.
 * The interface every store implements is documented in docs/ratelimit.md.
 */
export function memoryStore() {
  const counts = new Map(); // bucket key -> WindowCount | BucketCount
  const known = new WeakMap(); // bucket object -> its count (a limiter passes the same object each time)
  const countOf = (bucket) => {
    let count = known.get(bucket);
    if (count) return count;
    const key = bucketKey(bucket);
    count = counts.get(key);
    if (!count) {
      count = bucket.kind === 'window' ? new WindowCount(bucket) : new BucketCount(bucket, Date.now());
      counts.set(key, count);
    }
    known.set(bucket, count);
    return count;
  };
  return Object.freeze({
    acquire(bucket) {
      const count = countOf(bucket);
      const now = Date.now();
      const wait = Math.max(count.pausedUntil - now, count.waitMs(now));
      if (wait > 0) return { waitMs: Number.isFinite(wait) ? Math.ceil(wait) : Infinity };
      count.inflight += 1;
      return { permit: count };
    },
    release(bucket, count, { sent = true } = {}) {
      count.inflight -= 1;
      if (sent) count.spend(Date.now());
    },
    pause(bucket, ms) {
      const count = countOf(bucket);
      count.pausedUntil = Math.max(count.pausedUntil, Date.now() + ms);
    },
    observe(bucket, observation) {
      countOf(bucket).observe(Date.now(), observation);
    },
  });
}

// Two clients in one process with the same key, base URL, class and limits share a count
// (and a queue); different limits keep separate counts, as each promised its own limit.
const bucketKey = (b) => `${b.id}|${b.kind}|${b.limit}|${b.windowMs}|${b.burst}`;

/** The store clients use when the rateLimit option names none: one per process. */
export const processStore = memoryStore();

const limiters = new WeakMap(); // store -> Map(bucket key -> Limiter)

/**
 * The limiter of `bucket` in `store` for this process: clients sharing a store and a bucket
 * share one queue, so they keep one FIFO order and do not each spend the key's budget.
 */
export function limiterFor(store, bucket) {
  let byKey = limiters.get(store);
  if (!byKey) {
    byKey = new Map();
    limiters.set(store, byKey);
  }
  const key = bucketKey(bucket);
  let limiter = byKey.get(key);
  if (!limiter) {
    limiter = new Limiter(store, bucket);
    byKey.set(key, limiter);
  }
  return limiter;
}

/**
 * A bucket as stores receive it: `{id, kind: 'window', limit, windowMs}` or
 * `{id, kind: 'bucket', limit, windowMs, burst}`, with whole numbers where the count needs
 * them (a window of 2.5 requests is 2; a bucket holds whole tokens). `where` names the
 * option for errors.
 */
export function bucketSpec(id, kind, { limit, windowMs, burst }, where) {
  checkPositive(limit, `${where}.limit`);
  checkPositive(windowMs, `${where}.windowMs`);
  if (kind === 'window') return Object.freeze({ id, kind, limit: Math.max(1, Math.floor(limit)), windowMs });
  checkPositive(burst, `${where}.burst`);
  return Object.freeze({ id, kind, limit, windowMs, burst: Math.max(1, Math.floor(burst)) });
}

/**
 * The store a client's rateLimit option `o` selects: `o.store`, else the process's store,
 * else (`shared: false`) a store of the client's own.
 */
export function storeOption(o, where) {
  if (o.shared !== undefined && typeof o.shared !== 'boolean') throw new TypeError(`${where}.shared must be true or false`);
  if (o.store === undefined) return o.shared === false ? memoryStore() : processStore;
  if (o.shared === false) {
    throw new TypeError(`${where}: shared: false gives a client an in-process count of its own, so it cannot be combined with a store; leave out one of the two`);
  }
  return checkStore(o.store, where);
}

const STORE_METHODS = ['acquire', 'release', 'pause'];

/** Checks the `store` of a rateLimit option: an object with the store methods. */
function checkStore(store, where) {
  const missing = store !== null && typeof store === 'object' ? STORE_METHODS.filter((m) => typeof store[m] !== 'function') : STORE_METHODS;
  if (missing.length) {
    throw new TypeError(`${where}.store must be a rate-limit store (memoryStore() or redisStore() from 'signalkit/redis'; `
      + `a store has methods ${STORE_METHODS.join(', ')} and optionally observe); ${store !== null && typeof store === 'object' ? `it lacks ${missing.join(', ')}` : `got ${store === null ? 'null' : typeof store}`}`);
  }
  return store;
}

function checkPositive(n, name) {
  if (!(typeof n === 'number' && Number.isFinite(n) && n > 0)) {
    throw new TypeError(`${name} must be a positive number (got ${JSON.stringify(n)})`);
  }
}
