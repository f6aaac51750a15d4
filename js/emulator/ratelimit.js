// Per-key token buckets. A bucket holds `burst` tokens and refills `limit` tokens per
// `windowMs`; each request takes one. The defaults are the vendors' documented limits
// (js/vendors/).
import { PUFFLE } from '../vendors/puffle.js';
import { bucketLimits } from '../vendors/rate-limits.js';
import { SABER } from '../vendors/saber.js';

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

export class TokenBucket {
  constructor({ limit, windowMs, burst }, now) {
    this.capacity = burst;
    this.limit = limit;
    this.ratePerMs = limit / windowMs;
    this.tokens = burst;
    this.last = now;
  }

  refill(now) {
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.ratePerMs);
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
    const ok = this.tokens >= 1;
    if (ok) this.tokens -= 1;
    const retryAfterMs = ok ? 0 : Math.ceil((1 - this.tokens) / this.ratePerMs);
    const resetMs = Math.ceil((this.capacity - this.tokens) / this.ratePerMs);
    return { ok, remaining: Math.floor(this.tokens), retryAfterMs, resetMs };
  }
}
