// Deduplication by delivery id. Svix retries a delivery (same svix-id, fresh signature) until
// it gets a 2xx, so a receiver sees the same event again whenever its answer was lost or late,
// and may see two copies at once. A store records, per id, whether a handler is running
// ("processing", for a lease) or has finished ("handled", for the dedupe window).
//
// The store contract (docs/webhooks.md has the Redis mapping):
//   claim(id, leaseMs)     → 'claimed' (the caller runs the handler) | 'processing' | 'handled';
//                            atomic: of concurrent claims for one id, one gets 'claimed'.
//                            A claim lapses after leaseMs unless completed.
//   complete(id, windowMs) → the id is 'handled' for windowMs.
//   release(id)            → drops a claim (the handler failed), so a retry may claim again.

import { checkOptions } from '../util/options.js';

export const CLAIM_RESULTS = Object.freeze(['claimed', 'processing', 'handled']);
const STORE_METHODS = ['claim', 'complete', 'release'];

/**
 * The default store: ids in this process's memory, for one process. Bounded: at most
 * `maxEntries` ids (claims and handled ids together); when full, the oldest handled ids are
 * forgotten first, and if every entry is a live claim, `claim` throws (the receiver answers
 * 500 and the sender retries later). Handled ids are forgotten after the window, claims after
 * their lease. Several receiver processes need a shared store (e.g. Redis) instead.
 *
 * @param {{maxEntries?: number, now?: () => number}} [options]
 *   `now` (milliseconds) replaces Date.now, for tests that move the clock.
 */
export function memoryDedupeStore(options) {
  const { maxEntries = 10_000, now = Date.now } = checkOptions('memoryDedupeStore', options, ['maxEntries', 'now']);
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new TypeError(`memoryDedupeStore: maxEntries must be a positive integer; got ${String(maxEntries)}.`);
  }
  if (typeof now !== 'function') throw new TypeError('memoryDedupeStore: now must be a function returning milliseconds.');
  // id → expiry (ms). Insertion order is expiry order as long as every call uses the same
  // lease and window (one handler per store); lookups check expiry, so mixed use stays correct.
  const claims = new Map();
  const handled = new Map();
  const forgetExpired = (map, t) => {
    for (const [id, expiry] of map) {
      if (expiry > t) break;
      map.delete(id);
    }
  };
  const live = (map, id, t) => {
    const expiry = map.get(id);
    if (expiry === undefined) return false;
    if (expiry > t) return true;
    map.delete(id);
    return false;
  };
  const makeRoom = () => {
    for (const id of handled.keys()) {
      if (claims.size + handled.size < maxEntries) return;
      handled.delete(id);
    }
  };

  return {
    async claim(id, leaseMs) {
      const t = now();
      forgetExpired(claims, t);
      forgetExpired(handled, t);
      if (live(handled, id, t)) return 'handled';
      if (live(claims, id, t)) return 'processing';
      makeRoom();
      if (claims.size + handled.size >= maxEntries) {
        throw new Error(`memoryDedupeStore: all ${maxEntries} entries are deliveries still being handled; refusing another until one finishes.`);
      }
      claims.set(id, t + leaseMs);
      return 'claimed';
    },
    async complete(id, windowMs) {
      claims.delete(id);
      handled.delete(id); // re-insert at the end: insertion order stays expiry order
      makeRoom();
      handled.set(id, now() + windowMs);
    },
    async release(id) {
      claims.delete(id);
    },
    /** How many ids are held (claims + handled), for tests and monitoring. */
    get size() {
      return claims.size + handled.size;
    },
  };
}

/** Throws a TypeError unless `store` has the three methods of the contract. */
export function checkStore(store) {
  const missing = STORE_METHODS.filter((m) => typeof store?.[m] !== 'function');
  if (missing.length) {
    throw new TypeError(`createWebhookHandler: dedupe.store must have async ${STORE_METHODS.join(', ')} methods; ` +
      `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing.`);
  }
  return store;
}
