// Per-key token buckets. A bucket holds `burst` tokens and refills `limit` tokens per
// `windowMs`; each request takes one. The defaults are the vendors' documented limits
// (js/vendors/).
import { PUFFLE } from '../vendors/puffle.js';
import { bucketLimits } from '../vendors/rate-limits.js';
import { SABER, saberRateLimitClass } from '../vendors/saber.js';
import { HttpError } from './errors.js';

const DOCUMENTED = {
  puffle: PUFFLE.rateLimit,
  saberWrite: SABER.rateLimits.write,
  saberRead: SABER.rateLimits.read,
};

export const DEFAULT_RATE_LIMITS = Object.freeze({
  ...Object.fromEntries(Object.entries(DOCUMENTED).map(([name, d]) => [name, bucketLimits(d)])),
  // Which of Saber's two documented 429 bodies to send: 'alternate' (envelope, then
  // plain, then envelope... per key), 'envelope' or 'plain'.
  saber429Shape: 'alternate',
});

function positive(n, name) {
  if (!Number.isFinite(n) || n <= 0) throw new TypeError(`rateLimits.${name} must be a positive number`);
  return n;
}

/** Normalises the `rateLimits` option: false disables limiting; objects override defaults. */
export function resolveRateLimits(option) {
  if (option === false) return null;
  const o = option ?? {};
  const out = {};
  for (const [name, documented] of Object.entries(DOCUMENTED)) {
    const { limit, windowMs, burst } = bucketLimits(documented, o[name] ?? {});
    out[name] = {
      limit: positive(limit, `${name}.limit`),
      windowMs: positive(windowMs, `${name}.windowMs`),
      burst: positive(burst, `${name}.burst`),
    };
  }
  const shape = o.saber429Shape ?? DEFAULT_RATE_LIMITS.saber429Shape;
  if (!['alternate', 'envelope', 'plain'].includes(shape)) {
    throw new TypeError("rateLimits.saber429Shape must be 'alternate', 'envelope' or 'plain'");
  }
  out.saber429Shape = shape;
  return out;
}

/**
 * One bucket. The level is kept in token-milliseconds: a token is `windowMs` of them and each
 * millisecond adds `limit`, so with integer limits and millisecond clocks every step is exact
 * (the client's TokenBucketLimiter counts the same way). With fractions of a token in floating
 * point, a bucket refilled to exactly one token once read 0.9999999999999992 and refused it.
 */
export class TokenBucket {
  constructor({ limit, windowMs, burst }, now) {
    this.limit = limit;
    this.unit = windowMs;            // units per token
    this.full = burst * windowMs;    // units in a full bucket
    this.units = this.full;
    this.last = now;
  }

  refill(now) {
    if (now > this.last) {
      this.units = Math.min(this.full, this.units + (now - this.last) * this.limit);
      this.last = now;
    }
  }

  /**
   * Takes one token if there is one. Returns {ok, remaining, retryAfterMs, resetMs}:
   * retryAfterMs is how long until a token is free (0 when ok), resetMs how long until
   * the bucket is full again.
   */
  take(now) {
    this.refill(now);
    const ok = this.units >= this.unit;
    if (ok) this.units -= this.unit;
    const retryAfterMs = ok ? 0 : Math.ceil((this.unit - this.units) / this.limit);
    const resetMs = Math.ceil((this.full - this.units) / this.limit);
    return { ok, remaining: Math.floor(this.units / this.unit), retryAfterMs, resetMs };
  }
}

// How many decisions the log keeps (the oldest go first): enough for a test's bulk run.
export const RATE_LIMIT_LOG_SIZE = 10_000;

/**
 * The per-key limits of a running emulator: a bucket per key and class (Puffle; Saber
 * writes; Saber reads), Saber's X-Ratelimit-* headers, the 429s in each vendor's shape, and a
 * log of every decision with its time, so a test can check what arrived in any window.
 */
export class RateLimiter {
  #limits;
  #buckets = new Map();    // `${class}:${tenantId}` -> TokenBucket
  #shapeTurns = new Map(); // tenantId -> count of Saber 429s sent
  #log = [];               // {at, provider, bucket, tenant, method, ok}, oldest first

  /** `limits`: resolveRateLimits() of the option (null: no limits). */
  constructor(limits) {
    this.#limits = limits;
  }

  /**
   * Spends a token for one request; sets the rate-limit headers the provider sends. Returns
   * null when the request may go on, else what to answer: {err} (an HttpError 429) or {raw}
   * (Saber's plain 429 body).
   */
  check(provider, method, tenantId, headers) {
    const limits = this.#limits;
    if (!limits) return null;
    const cls = provider === 'puffle' ? 'puffle' : saberRateLimitClass(method) === 'write' ? 'saberWrite' : 'saberRead';
    const bucketKey = `${cls}:${tenantId}`;
    const now = Date.now();
    let bucket = this.#buckets.get(bucketKey);
    if (!bucket) { bucket = new TokenBucket(limits[cls], now); this.#buckets.set(bucketKey, bucket); }
    const r = bucket.take(now);
    if (this.#log.length >= RATE_LIMIT_LOG_SIZE) this.#log.splice(0, RATE_LIMIT_LOG_SIZE / 10);
    this.#log.push({ at: now, provider, bucket: cls, tenant: tenantId, method, ok: r.ok });
    const retryAfterS = Math.max(1, Math.ceil(r.retryAfterMs / 1000));
    if (provider === 'saber') {
      headers['x-ratelimit-limit'] = String(limits[cls].limit);
      headers['x-ratelimit-remaining'] = String(r.remaining);
      headers['x-ratelimit-reset'] = String(Math.ceil((now + (r.ok ? r.resetMs : r.retryAfterMs)) / 1000));
    }
    if (r.ok) return null;
    if (provider === 'puffle') {
      headers['retry-after'] = String(retryAfterS);
      return { err: new HttpError(429, 'rate_limited', `rate limit of ${limits.puffle.limit} requests per ${limits.puffle.windowMs / 1000} s exceeded; retry after ${retryAfterS} s`) };
    }
    const turn = this.#shapeTurns.get(tenantId) ?? 0;
    this.#shapeTurns.set(tenantId, turn + 1);
    const plain = limits.saber429Shape === 'plain' || (limits.saber429Shape === 'alternate' && turn % 2 === 1);
    const message = `Rate limit exceeded for ${cls === 'saberWrite' ? 'write' : 'read'} requests; retry in ${retryAfterS} seconds`;
    if (plain) return { raw: { statusCode: 429, message, error: 'Too Many Requests', retryAfter: retryAfterS } };
    return { err: new HttpError(429, 'rate_limited', message) };
  }

  /**
   * The last RATE_LIMIT_LOG_SIZE decisions, oldest first: `{at}` (ms since the epoch, when the
   * request was counted), `provider`, `bucket` ('puffle' | 'saberWrite' | 'saberRead'),
   * `tenant` (the key's tenant id, a hash), `method`, `ok` (false: answered 429).
   */
  log() {
    return this.#log.map((entry) => ({ ...entry }));
  }
}
