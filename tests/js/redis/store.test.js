// signalkit/redis against a real redis-server: the store interface step by step (two stores
// stand for two processes), leases, pauses, X-Ratelimit-Remaining, both Redis clients, the
// keys it writes, and what happens when Redis goes away and comes back.
import { jest } from '@jest/globals';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { bucketSpec, Limiter } from '../../../js/client/ratelimit.js';
import { PuffleClient } from '../../../js/index.js';
import { redisStore, RedisStoreError } from '../../../js/redis/index.js';
import { failure, puffleKey, start } from '../client/helpers.js';
import { hasRedisServer, startRedis } from '../support/redis.js';

if (!hasRedisServer()) throw new Error('redis-server is not installed: run scripts/bootstrap.sh (Debian package redis-server)');

let redis;
let admin; // a plain ioredis connection to look inside
const stores = [];
beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.stop();
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

let seq = 0;
/** A store on the test Redis with a prefix of its own test (several stores of one test share it). */
function makeStore(options = {}, connection = { url: redis.url }) {
  const store = redisStore(connection, { prefix: `t${process.pid}:${seq}:`, ...options });
  stores.push(store);
  return store;
}
beforeEach(() => { seq += 1; });

const windowBucket = (limits) => bucketSpec('puffle|http://x|f00|puffle', 'window', limits, 'rateLimit');
const tokenBucket = (limits) => bucketSpec('saber|http://x|f00|write', 'bucket', limits, 'rateLimit');

describe('options', () => {
  test.each([
    [undefined, /pass exactly one of \{url\}/],
    [{}, /pass exactly one of \{url\}/],
    [{ url: 'redis://a', client: {} }, /pass exactly one of \{url\}/],
    [{ url: 'http://127.0.0.1:6379' }, /url must be a redis:\/\/ or rediss:\/\/ URL \(got http:/],
    [{ url: 'not a url' }, /url must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ client: {} }, /client must be an ioredis client/],
    [{ uri: 'redis://127.0.0.1' }, /unknown option "uri"; did you mean "url"\?/],
  ])('connection %p is refused with a TypeError', (connection, message) => {
    expect(() => redisStore(connection)).toThrow(TypeError);
    expect(() => redisStore(connection)).toThrow(message);
  });

  test.each([
    [{ prefx: 'a:' }, /unknown option "prefx"; did you mean "prefix"\?/],
    [{ leaseMargin: 10 }, /did you mean "leaseMarginMs"\?/],
    [{ prefix: '' }, /prefix must be a non-empty string/],
    [{ prefix: 'a{b}' }, /without \{ or \}/],
    [{ leaseMarginMs: 0 }, /leaseMarginMs must be a positive integer/],
    [{ maxPollMs: 1.5 }, /maxPollMs must be a positive integer/],
    [{ commandTimeoutMs: -1 }, /commandTimeoutMs must be a positive integer/],
    [{ fallback: 'memory' }, /fallback must be 'local'/],
    [{ logger: 3 }, /logger must be a function/],
  ])('options %p are refused with a TypeError', (options, message) => {
    expect(() => redisStore({ url: 'redis://127.0.0.1:6379' }, options)).toThrow(message);
  });

  test('nothing connects until the store is first used', async () => {
    const store = redisStore({ url: 'redis://127.0.0.1:1' });
    expect(store.stats().acquire).toBe(0);
    await store.close();
  });
});

describe('the count, shared by two stores (two processes)', () => {
  test('sliding window: the limit across both; a slot is free one window after its response ended', async () => {
    const a = makeStore();
    const b = makeStore();
    const bucket = windowBucket({ limit: 3, windowMs: 60_000 });
    const permits = [await a.acquire(bucket), await b.acquire(bucket), await a.acquire(bucket)];
    expect(permits.every((p) => 'permit' in p)).toBe(true);
    // All three in flight: only a release (or a lease running out) frees one; ask again soon.
    const blocked = await b.acquire(bucket);
    expect(blocked.waitMs).toBeGreaterThan(0);
    expect(blocked.waitMs).toBeLessThanOrEqual(25);
    await a.release(bucket, permits[0].permit);
    // Ended now: free again one window later.
    const later = await b.acquire(bucket);
    expect(later.waitMs).toBeGreaterThan(59_000);
    expect(later.waitMs).toBeLessThanOrEqual(60_000);
    // A permit returned unused (its caller gave up before sending) does not count.
    await b.release(bucket, permits[1].permit, { sent: false });
    expect('permit' in await a.acquire(bucket)).toBe(true);
    expect(b.stats()).toMatchObject({ acquire: 3, granted: 1, waited: 2, polled: 1 });
  });

  test('while every permit is in flight elsewhere, the wait doubles from 25 ms up to maxPollMs', async () => {
    const a = makeStore();
    const b = makeStore({ maxPollMs: 150 });
    const bucket = windowBucket({ limit: 1, windowMs: 60_000 });
    await a.acquire(bucket);
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push((await b.acquire(bucket)).waitMs);
    expect(waits).toEqual([25, 50, 100, 150, 150]);
  });

  test('token bucket: the burst across both, then the refill rate; a token is spent when its request ends', async () => {
    const a = makeStore();
    const b = makeStore();
    const bucket = tokenBucket({ limit: 1, windowMs: 60_000, burst: 2 }); // a token a minute
    const p1 = await a.acquire(bucket);
    const p2 = await b.acquire(bucket);
    expect((await a.acquire(bucket)).waitMs).toBeLessThanOrEqual(25); // both tokens in flight
    await a.release(bucket, p1.permit);
    await b.release(bucket, p2.permit);
    const next = await a.acquire(bucket);
    expect(next.waitMs).toBeGreaterThan(59_000);
    expect(next.waitMs).toBeLessThanOrEqual(60_000);
  });

  test("Saber's X-Ratelimit-Remaining lowers the shared bucket and never raises it", async () => {
    const a = makeStore();
    const b = makeStore();
    // A token is 60,000 units and a unit refills every 100 ms: nothing refills during the test.
    const bucket = tokenBucket({ limit: 0.01, windowMs: 60_000, burst: 10 });
    await a.observe(bucket, { remaining: 1 }); // the server has 1 token and a fraction left, not 10
    const p = await b.acquire(bucket);
    expect('permit' in p).toBe(true);
    // The next needs the whole of a second token: at most one unit (100 ms) away.
    const wait = (await b.acquire(bucket)).waitMs;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(100);
    await b.release(bucket, p.permit);
    await a.observe(bucket, { remaining: 500 }); // more than we count: ignored
    expect('permit' in await b.acquire(bucket)).toBe(false); // still a unit short of a token
  });

  test('a pause by one store holds the other: nobody gets a permit until it ends', async () => {
    const a = makeStore();
    const b = makeStore();
    const bucket = windowBucket({ limit: 100, windowMs: 60_000 });
    await a.pause(bucket, 5000);
    const wait = (await b.acquire(bucket)).waitMs;
    expect(wait).toBeGreaterThan(4900);
    expect(wait).toBeLessThanOrEqual(5000);
    await b.pause(bucket, 1000); // a shorter pause never shortens a longer one
    expect((await a.acquire(bucket)).waitMs).toBeGreaterThan(4000);
  });

  test('different limits on one key share the count; each process grants by its own limit', async () => {
    const a = makeStore();
    const b = makeStore();
    const loose = windowBucket({ limit: 3, windowMs: 60_000 });
    const strict = windowBucket({ limit: 2, windowMs: 60_000 });
    await a.acquire(loose);
    await a.acquire(loose);
    expect('waitMs' in await b.acquire(strict)).toBe(true); // 2 used of the strict limit
    expect('permit' in await a.acquire(loose)).toBe(true);
  });
});

describe('leases', () => {
  test('a permit whose process died comes back when its lease runs out, counted as a request that ended then', async () => {
    const dead = makeStore({ leaseMarginMs: 50 });
    const alive = makeStore();
    const bucket = windowBucket({ limit: 1, windowMs: 200 });
    expect('permit' in await dead.acquire(bucket, { leaseMs: 100 })).toBe(true);
    await dead.close(); // stops renewing, as a killed process would
    expect((await alive.acquire(bucket)).waitMs).toBeLessThanOrEqual(150); // in flight until the lease ends
    await new Promise((r) => setTimeout(r, 200));
    // The lease ran out ~50 ms ago: the slot is free a window (200 ms) after that.
    const wait = (await alive.acquire(bucket)).waitMs;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(200);
    await new Promise((r) => setTimeout(r, wait));
    expect('permit' in await alive.acquire(bucket)).toBe(true);
  });

  test('a request that outlives its lease renews it (no timeout, slow hooks); released, it counts normally', async () => {
    const warnings = [];
    const store = makeStore({ leaseMarginMs: 20, logger: (level, message) => warnings.push(message) });
    const bucket = windowBucket({ limit: 1, windowMs: 60_000 });
    const { permit } = await store.acquire(bucket, { leaseMs: 60 }); // lease 80 ms, renewed every 40
    await new Promise((r) => setTimeout(r, 400));
    expect(store.stats().renew).toBeGreaterThanOrEqual(3);
    const other = makeStore();
    expect((await other.acquire(bucket)).waitMs).toBeLessThanOrEqual(25); // still in flight, not expired
    await store.release(bucket, permit);
    expect(warnings).toEqual([]);
    expect((await other.acquire(bucket)).waitMs).toBeGreaterThan(59_000);
  });
});

test('Redis keys: hashed names with one hash tag, no trace of the API key, and a TTL', async () => {
  const emu = await start({ rateLimits: false });
  try {
    const store = makeStore();
    const apiKey = puffleKey('keys-hashed');
    const client = new PuffleClient({ apiKey, baseUrl: `${emu.url}/api/v1`, rateLimit: { store } });
    await client.signalTypes.list();
    await store.close(); // lets the release under way finish
    const keys = await admin.keys(`t${process.pid}:${seq}:*`);
    // The request ended: no permit is held (Redis drops the empty set), one end is counted.
    expect(keys.sort()).toEqual([expect.stringMatching(/:ends$/), expect.stringMatching(/:state$/)]);
    for (const key of keys) {
      expect(key).toMatch(new RegExp(`^t${process.pid}:${seq}:\\{[0-9a-f]{32}\\}:(ends|held|state)$`));
      expect(key).not.toContain(apiKey.slice(8, 24));
      const ttl = await admin.pttl(key);
      expect(ttl).toBeGreaterThan(60_000);        // a window and more…
      expect(ttl).toBeLessThanOrEqual(60_000 + 65_000 + 1000); // …until a lease and a window have passed
    }
    const dump = JSON.stringify(await Promise.all(keys.map((k) => admin.type(k).then((t) => (t === 'hash' ? admin.hgetall(k) : admin.zrange(k, 0, -1, 'WITHSCORES'))))));
    expect(dump).not.toContain(apiKey.slice(8, 24));
  } finally {
    await emu.close();
  }
});

test('both Redis clients: an ioredis client and a node-redis client share one count', async () => {
  const io = new Redis(redis.url);
  const nr = createClient({ url: redis.url });
  await nr.connect();
  try {
    const a = makeStore({}, { client: io });
    const b = makeStore({}, { client: nr });
    const bucket = windowBucket({ limit: 2, windowMs: 60_000 });
    const p = await a.acquire(bucket);
    await b.acquire(bucket);
    expect('waitMs' in await b.acquire(bucket)).toBe(true);
    await a.release(bucket, p.permit);
    expect((await b.acquire(bucket)).waitMs).toBeGreaterThan(59_000);
    await a.close();
    await b.close();
    expect(io.status).toBe('ready'); // a client you pass stays yours
    expect(nr.isReady).toBe(true);
  } finally {
    io.disconnect();
    await nr.close();
  }
});

test('after SCRIPT FLUSH (or a restart) the scripts are loaded again', async () => {
  const store = makeStore();
  const bucket = windowBucket({ limit: 5, windowMs: 1000 });
  await store.acquire(bucket);
  await admin.script('FLUSH');
  expect('permit' in await store.acquire(bucket)).toBe(true);
});

describe('a Limiter over the Redis store', () => {
  test('FIFO within the process, abortable while waiting', async () => {
    const limiter = new Limiter(makeStore(), windowBucket({ limit: 2, windowMs: 60_000 }));
    const order = [];
    const r1 = await limiter.acquire();
    const r2 = await limiter.acquire();
    const controller = new AbortController();
    const third = limiter.acquire(controller.signal).then((release) => { order.push(3); return release; });
    await new Promise((r) => setTimeout(r, 60));
    expect(limiter.pending).toBe(1);
    controller.abort();
    expect(await failure(third)).toMatchObject({ name: 'AbortError' });
    expect(limiter.pending).toBe(0);
    r1();
    r2();
  });

  test('two clients on one key, each with a store of its own (two processes): the second waits, nothing is sent', async () => {
    const emu = await start({ rateLimits: false });
    try {
      const apiKey = puffleKey('two-stores');
      const rateLimit = (store) => ({ limit: 2, windowMs: 60_000, store });
      const a = new PuffleClient({ apiKey, baseUrl: `${emu.url}/api/v1`, rateLimit: rateLimit(makeStore()) });
      const b = new PuffleClient({ apiKey, baseUrl: `${emu.url}/api/v1`, rateLimit: rateLimit(makeStore()) });
      await a.signalTypes.list();
      await a.signalTypes.list();
      const sent = emu.log.length;
      const err = await failure(b.signalTypes.list({ signal: AbortSignal.timeout(300) }));
      expect(err.name).toBe('AbortError');
      expect(emu.log.length).toBe(sent);
    } finally {
      await emu.close();
    }
  });
});

describe('when Redis goes away', () => {
  let own;
  beforeEach(async () => { own = await startRedis(); });
  afterEach(async () => { await own.stop(); });

  test('by default: every waiting and new call fails with RedisStoreError; once Redis is back, calls work again', async () => {
    const store = makeStore({ commandTimeoutMs: 300, logger: false }, { url: own.url });
    const limiter = new Limiter(store, windowBucket({ limit: 1, windowMs: 60_000 }));
    const release = await limiter.acquire();
    const waiting = [limiter.acquire(), limiter.acquire()];
    await own.stop();
    release();
    for (const err of await Promise.all(waiting.map(failure))) {
      expect(err).toBeInstanceOf(RedisStoreError);
      expect(err.code).toBe('redis_unavailable');
    }
    const err = await failure(limiter.acquire());
    expect(err.message).toMatch(/^signalkit\/redis: Redis \(redis:\/\/127\.0\.0\.1:\d+\) is unavailable \(.+\)\. The request was not sent/);
    own = await startRedis({ port: own.port });
    // The store reconnects by itself (a fresh Redis: an empty count).
    let granted = null;
    for (let i = 0; i < 50 && !granted; i++) {
      granted = await limiter.acquire().catch(() => null);
      if (!granted) await new Promise((r) => setTimeout(r, 100));
    }
    expect(typeof granted).toBe('function');
  });

  test("fallback: 'local' counts in the process meanwhile, warns once per outage, and says when Redis is back", async () => {
    const logs = [];
    const store = makeStore({ commandTimeoutMs: 300, fallback: 'local', logger: (level, message) => logs.push([level, message]) }, { url: own.url });
    const limiter = new Limiter(store, windowBucket({ limit: 3, windowMs: 60_000 }));
    (await limiter.acquire())();
    await own.stop();
    for (let i = 0; i < 3; i++) (await limiter.acquire())(); // the local count has its own 3
    const late = limiter.acquire(AbortSignal.timeout(100));
    expect(await failure(late)).toMatchObject({ name: 'AbortError' }); // and it is enforced
    const warnings = logs.filter(([level]) => level === 'warn').map(([, m]) => m);
    expect(warnings.filter((m) => /Falling back to counting in this process/.test(m))).toHaveLength(1);
    expect(store.stats()).toMatchObject({ outages: 1, localAcquire: 4 });
    own = await startRedis({ port: own.port });
    await new Promise((r) => setTimeout(r, 1100)); // the store tries Redis again after 1 s
    let granted = null;
    for (let i = 0; i < 50 && !granted; i++) {
      granted = await limiter.acquire().catch(() => null);
      if (!granted) await new Promise((r) => setTimeout(r, 100));
    }
    expect(typeof granted).toBe('function');
    expect(logs.some(([level, m]) => level === 'info' && /answers again/.test(m))).toBe(true);
  });

  test('a closed store refuses new calls', async () => {
    const store = makeStore();
    await store.close();
    expect(await failure(store.acquire(windowBucket({ limit: 1, windowMs: 1000 })))).toMatchObject({ name: 'RedisStoreError', code: 'redis_closed' });
  });
});

test('a release after the lease ran out (the event loop was blocked) is counted once, with a warning on console.warn by default', async () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    const store = makeStore({ leaseMarginMs: 1 });
    const bucket = windowBucket({ limit: 1, windowMs: 60_000 });
    const { permit } = await store.acquire(bucket, { leaseMs: 1 });
    for (const until = Date.now() + 30; Date.now() < until;); // no timer runs: no renewal
    await store.release(bucket, permit);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/held its permit longer than its lease \(2 ms\); it was counted when the lease ran out/));
    expect((await store.acquire(bucket)).waitMs).toBeGreaterThan(59_000); // counted once, as ended then
  } finally {
    warn.mockRestore();
  }
});
