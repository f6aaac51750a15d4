// Rate limiting that queues: bulk jobs against the emulator with the same (scaled-down)
// limits finish with zero 429s and never exceed the limit in any window; 429s that do
// happen are retried after the time the server names (Retry-After, Saber's body
// retryAfter, X-Ratelimit-Reset).
import { jest } from '@jest/globals';
import { RateLimitError } from '../../../js/index.js';
import { bucketSpec, Limiter, memoryStore } from '../../../js/client/ratelimit.js';
import { TokenBucket } from '../../../js/emulator/ratelimit.js';
import { createRng } from '../../../js/emulator/util.js';
import { failure, newTemplate, puffle, saber, start } from './helpers.js';

// A queue over a fresh in-process store, as a client builds one.
const SlidingWindowLimiter = (limits) => new Limiter(memoryStore(), bucketSpec('test', 'window', limits, 'rateLimit'));
const TokenBucketLimiter = (limits) => new Limiter(memoryStore(), bucketSpec('test', 'bucket', limits, 'rateLimit'));

/** The largest number of times in `times` that fall in any window of `windowMs`. */
function maxInWindow(times, windowMs) {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi] - t[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

test('Puffle: 300 calls at a scaled 60 per second finish with zero 429s and never exceed the limit in any window', async () => {
  const limit = 60;
  const windowMs = 1000;
  const emu = await start({ rateLimits: { puffle: { limit, windowMs } } });
  try {
    const sent = [];
    const statuses = [];
    const client = puffle(emu, 'bulk', {
      rateLimit: { limit, windowMs },
      hooks: { onRequest: () => sent.push(Date.now()), onResponse: (s) => statuses.push(s.status) },
    });
    const [hiring] = await client.signalTypes.list();
    const calls = [];
    for (let i = 0; i < 299; i++) {
      calls.push(i % 3 === 0 ? client.signalTypes.get(hiring.id) : i % 3 === 1 ? client.signalTypes.sources.list(hiring.id) : client.signals.list({ limit: 5 }).firstPage());
    }
    await Promise.all(calls);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    expect(statuses).toHaveLength(300);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(maxInWindow(sent, windowMs)).toBeLessThanOrEqual(limit);
    // The server's token bucket (same limit) refused nothing: zero 429s above is its verdict.
  } finally {
    await emu.close();
  }
}, 60_000);

test('Saber: 300 writes and 300 reads through scaled token buckets finish with zero 429s', async () => {
  const emu = await start({ rateLimits: { saberWrite: { limit: 50, windowMs: 1000, burst: 10 }, saberRead: { limit: 100, windowMs: 1000, burst: 10 } } });
  try {
    const statuses = [];
    const client = saber(emu, 'bulk', {
      rateLimit: { write: { limit: 50, windowMs: 1000, burst: 10 }, read: { limit: 100, windowMs: 1000, burst: 10 } },
      hooks: { onResponse: (s) => statuses.push(s.status) },
    });
    const created = await Promise.all(Array.from({ length: 300 }, (_, i) => client.templates.create(newTemplate(`Bulk ${i}`))));
    await Promise.all(created.map((t) => client.templates.get(t.id)));
    expect(statuses).toHaveLength(600);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    expect(await client.templates.list({ limit: 100 }).toArray()).toHaveLength(300);
  } finally {
    await emu.close();
  }
}, 60_000);

test('Puffle 429: retried after Retry-After; a wait longer than maxRetryAfterMs gives the RateLimitError', async () => {
  const emu = await start({ rateLimits: { puffle: { limit: 2, windowMs: 60_000 } } });
  try {
    const retries = [];
    const client = puffle(emu, 'puffle-429', { rateLimit: false, maxRetries: 3, maxRetryAfterMs: 5000, hooks: { onRetry: (s) => retries.push(s) } });
    await client.signalTypes.list();
    await client.signalTypes.list();
    // The bucket is empty; the next token is free in 30 s, more than this client waits for.
    const err = await failure(client.signalTypes.list());
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ status: 429, code: 'rate_limited', retryAfterMs: 30_000 });
    expect(err.message).toMatch(/retry after 30 s/);
    expect(retries).toHaveLength(0);
  } finally {
    await emu.close();
  }
  const fast = await start({ rateLimits: { puffle: { limit: 60, windowMs: 60_000, burst: 1 } } });
  try {
    const retries = [];
    const client = puffle(fast, 'puffle-429b', { rateLimit: false, maxRetries: 3, hooks: { onRetry: (s) => retries.push(s) } });
    const [a, b] = await Promise.all([client.signalTypes.list(), client.signalTypes.list()]);
    expect(a).toEqual(b);
    expect(retries).toHaveLength(1);
    expect(retries[0].error).toBeInstanceOf(RateLimitError);
    expect(retries[0].error.retryAfterMs).toBe(1000); // Retry-After: 1
    expect(retries[0].delayMs).toBeGreaterThanOrEqual(1000);
  } finally {
    await fast.close();
  }
}, 30_000);

test('Saber 429 in both shapes: the envelope (X-Ratelimit-Reset) and the plain body (retryAfter), retried for POST too', async () => {
  const emu = await start({ rateLimits: { saberWrite: { limit: 60, windowMs: 60_000, burst: 1 }, saber429Shape: 'alternate' } });
  try {
    const retries = [];
    const client = saber(emu, 'saber-429', { rateLimit: false, maxRetries: 6, hooks: { onRetry: (s) => retries.push(s) } });
    const made = await Promise.all([0, 1, 2].map((i) => client.templates.create(newTemplate(`Limited ${i}`))));
    expect(made.map((t) => t.version)).toEqual([1, 1, 1]);
    const errors = retries.map((r) => r.error);
    expect(errors.every((e) => e instanceof RateLimitError && e.status === 429 && e.code === 'TOO_MANY_REQUESTS')).toBe(true);
    const envelope = errors.find((e) => e.body?.error?.code === 'TOO_MANY_REQUESTS');
    const plain = errors.find((e) => e.body?.statusCode === 429);
    expect(envelope).toBeDefined();
    expect(plain).toBeDefined();
    expect(plain.retryAfterMs).toBe(plain.body.retryAfter * 1000);
    expect(envelope.retryAfterMs).toBeGreaterThan(0); // from X-Ratelimit-Reset
    expect(envelope.retryAfterMs).toBeLessThanOrEqual(3000);
    expect(retries.every((r) => r.delayMs >= r.error.retryAfterMs)).toBe(true);
    expect((await client.templates.list().toArray()).length).toBe(3); // no duplicates
  } finally {
    await emu.close();
  }
}, 30_000);

describe('limiters', () => {
  // Tests on Jest's fake clock: grant times are exact, whatever the machine's load.
  const onFakeClock = (fn) => async (...args) => {
    jest.useFakeTimers();
    try { await fn(...args); } finally { jest.useRealTimers(); }
  };
  // Acquires `n` permits at once (released as soon as granted) and runs the clock until all
  // are granted; returns the grant times relative to the start, in grant order.
  async function grantTimes(limiter, n, order = []) {
    const t0 = Date.now();
    const grants = [];
    const all = Promise.all(Array.from({ length: n }, (_, i) => limiter.acquire().then((release) => {
      grants.push(Date.now() - t0);
      order.push(i);
      release();
    })));
    await jest.runAllTimersAsync();
    await all;
    return grants;
  }

  // Regression: a bulk job whose client and server buckets had the same limits got a 429
  // now and then. The server's bucket, refilled in floating point to exactly one token,
  // read 0.9999999999999992 and refused it. Both buckets now count exactly: the emulator's
  // is held to an integer model at every whole-token moment, and to the client's bucket.
  const BUCKETS = [[100, 1000, 10], [50, 1000, 10], [7, 1000, 3], [2000, 60_000, 400]];
  test.each(BUCKETS)('regression: the emulator grants a token the moment it is whole (limit %d per %d ms, burst %d)', (limit, windowMs, burst) => {
    const server = new TokenBucket({ limit, windowMs, burst }, 0);
    const rng = createRng(`bucket:${limit}:${windowMs}`);
    const full = burst * windowMs; // the model, in token-milliseconds
    let units = full;
    let last = 0;
    const refused = [];
    for (let i = 0; i < 5000; i++) {
      // The first millisecond with a whole token, or up to 2 ms later.
      const t = last + Math.ceil(Math.max(0, windowMs - units) / limit) + rng.int(0, 2);
      units = Math.min(full, units + (t - last) * limit) - windowMs;
      last = t;
      if (!server.take(t).ok) refused.push(t);
    }
    expect(refused).toEqual([]);
  });

  test.each(BUCKETS)(
    'regression: the server never refuses what the client bucket grants (limit %d per %d ms, burst %d)',
    onFakeClock(async (limit, windowMs, burst) => {
      const start = Date.now();
      const client = TokenBucketLimiter({ limit, windowMs, burst });
      const server = new TokenBucket({ limit, windowMs, burst }, start);
      const refused = [];
      let n = 0;
      const all = Promise.all(Array.from({ length: burst + 400 }, () => client.acquire().then((release) => {
        n += 1;
        if (!server.take(Date.now()).ok) refused.push(n);
        release();
      })));
      await jest.runAllTimersAsync();
      await all;
      expect(refused).toEqual([]);
      // Exactly at the documented rate: burst at once, then one per windowMs/limit.
      expect(Date.now() - start).toBe(Math.ceil((400 * windowMs) / limit));
    }),
  );

  test('a slot stays taken while its request is in flight, and counts from when it ended', async () => {
    const tick = () => new Promise((r) => setTimeout(r, 10));
    const limiter = SlidingWindowLimiter({ limit: 2, windowMs: 60_000 });
    const r1 = await limiter.acquire();
    await limiter.acquire();
    const controller = new AbortController();
    let third = false;
    const p3 = limiter.acquire(controller.signal).then(() => { third = true; });
    await tick();
    expect(third).toBe(false); // both in flight
    r1();
    r1(); // idempotent
    await tick();
    expect(third).toBe(false); // ended, but its window (60 s) has not passed
    expect(limiter.pending).toBe(1);
    controller.abort();
    await expect(p3).rejects.toThrow(/aborted/);

    const bucket = TokenBucketLimiter({ limit: 1000, windowMs: 1000, burst: 1 });
    const b1 = await bucket.acquire();
    let got = false;
    const b2 = bucket.acquire().then((r) => { got = true; return r; });
    await tick();
    expect(got).toBe(false); // the only token is held by an unfinished request
    b1();
    (await b2)();
  });

  test('sliding window: at most `limit` grants in any window, FIFO, abortable', onFakeClock(async () => {
    const order = [];
    const grants = await grantTimes(SlidingWindowLimiter({ limit: 5, windowMs: 200 }), 12, order);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(maxInWindow(grants, 200)).toBe(5);
    // Each batch of five waits exactly for the previous one's window to pass, no longer.
    expect(grants).toEqual([0, 0, 0, 0, 0, 200, 200, 200, 200, 200, 400, 400]);
    const full = SlidingWindowLimiter({ limit: 1, windowMs: 60_000 });
    await full.acquire();
    const controller = new AbortController();
    const waiting = full.acquire(controller.signal);
    expect(full.pending).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toThrow(/aborted/);
    expect(full.pending).toBe(0);
  }));

  test('token bucket: a burst at once, then the refill rate', onFakeClock(async () => {
    // Ten go at once; then one per 20 ms (50 per second).
    const grants = await grantTimes(TokenBucketLimiter({ limit: 50, windowMs: 1000, burst: 10 }), 20);
    expect(grants).toEqual([...Array(10).fill(0), 20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    // The eleventh waits for a whole token: 1200 ms at 50 per minute.
    const slow = TokenBucketLimiter({ limit: 50, windowMs: 60_000, burst: 10 });
    for (let i = 0; i < 10; i++) (await slow.acquire())();
    let eleventh = false;
    const late = slow.acquire().then((r) => { eleventh = true; r(); });
    await jest.advanceTimersByTimeAsync(1199);
    expect(eleventh).toBe(false);
    expect(slow.pending).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    await late;
    expect(eleventh).toBe(true);
    expect(() => TokenBucketLimiter({ limit: 0, windowMs: 1, burst: 1 })).toThrow(/limit must be a positive number/);
  }));
});
