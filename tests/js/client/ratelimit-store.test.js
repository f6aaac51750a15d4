// The rateLimit option and the store interface (docs/ratelimit.md): unknown keys are refused
// with a suggestion, `store` selects where the count lives, and a store of your own sees
// exactly the documented calls (and never the key).
import { memoryStore } from '../../../js/index.js';
import { RateLimitError } from '../../../js/index.js';
import { failure, puffle, puffleKey, saber, start } from './helpers.js';

let emu;
beforeAll(async () => { emu = await start({ rateLimits: false }); });
afterAll(async () => { await emu.close(); });

describe('the rateLimit option', () => {
  test.each([
    ['Puffle', { limt: 5 }, /PuffleClient rateLimit: unknown option "limt"; did you mean "limit"\? Options: limit, windowMs, marginMs, store, shared/],
    ['Puffle', { window: 1000 }, /unknown option "window"; did you mean "windowMs"\?/],
    ['Puffle', { stores: memoryStore() }, /unknown option "stores"; did you mean "store"\?/],
    ['Puffle', { burst: 3 }, /unknown option "burst"/],
    ['Puffle', 'fast', /rateLimit must be false or \{limit\?, windowMs\?, marginMs\?, store\?, shared\?\}/],
    ['Puffle', { limit: 0 }, /rateLimit.limit must be a positive number \(got 0\)/],
    ['Puffle', { marginMs: -1 }, /rateLimit.marginMs must be a non-negative number/],
    ['Puffle', { shared: 'no' }, /rateLimit.shared must be true or false/],
    ['Puffle', { store: {} }, /rateLimit.store must be a rate-limit store .* it lacks acquire, release, pause/],
    ['Puffle', { store: memoryStore(), shared: false }, /shared: false .* cannot be combined with a store/],
    ['Saber', { writes: {} }, /SaberClient rateLimit: unknown option "writes"; did you mean "write"\? Options: write, read, store, shared/],
    ['Saber', { write: { limits: 5 } }, /SaberClient rateLimit.write: unknown option "limits"; did you mean "limit"\? Options: limit, windowMs, burst/],
    ['Saber', { read: { brust: 5 } }, /did you mean "burst"\?/],
    ['Saber', { read: 5 }, /rateLimit.read must be false or \{limit\?, windowMs\?, burst\?\}/],
    ['Saber', { write: { burst: 0 } }, /rateLimit.write.burst must be a positive number/],
    ['Saber', { store: { acquire() {}, release() {} } }, /it lacks pause/],
  ])('%s %p is refused with a TypeError', (provider, rateLimit, message) => {
    const make = () => (provider === 'Puffle' ? puffle : saber)(emu, 'options', { rateLimit });
    expect(make).toThrow(TypeError);
    expect(make).toThrow(message);
  });

  test('accepted: false, {}, partial limits, a store, shared', () => {
    for (const rateLimit of [false, {}, undefined, { limit: 5 }, { marginMs: 100, shared: false }, { store: memoryStore() }]) {
      expect(() => puffle(emu, 'ok', { rateLimit })).not.toThrow();
    }
    for (const rateLimit of [false, {}, { write: false }, { read: { limit: 10 } }, { store: memoryStore(), write: { burst: 2 } }]) {
      expect(() => saber(emu, 'ok', { rateLimit })).not.toThrow();
    }
  });
});

/** A store that records every call and counts with memoryStore(). */
function recordingStore() {
  const inner = memoryStore();
  const calls = [];
  const record = (name) => (...args) => { calls.push([name, ...args]); return inner[name](...args); };
  return { calls, acquire: record('acquire'), release: record('release'), pause: record('pause'), observe: record('observe') };
}

test('a store of your own: the calls of one request, the bucket it receives, and never the key', async () => {
  const store = recordingStore();
  const apiKey = puffleKey('own-store');
  const client = puffle(emu, 'own-store', { rateLimit: { limit: 7, windowMs: 1000, marginMs: 5, store }, timeout: 4321 });
  await client.signalTypes.list();
  expect(store.calls.map(([name]) => name)).toEqual(['acquire', 'release']);
  const [[, bucket, options], [, sameBucket, permit, released]] = store.calls;
  expect(bucket).toEqual({ id: expect.any(String), kind: 'window', limit: 7, windowMs: 1005 });
  expect(Object.isFrozen(bucket)).toBe(true);
  expect(sameBucket).toBe(bucket);
  expect(options).toEqual({ leaseMs: 4321 });
  expect(permit).toBeDefined();
  expect(released).toEqual({ sent: true });
  expect(bucket.id).toMatch(/^Puffle\|http:\/\/127\.0\.0\.1:\d+\/api\/v1\|[0-9a-f]+\|puffle$/);
  expect(JSON.stringify(store.calls.map(([, b]) => b))).not.toContain(apiKey.slice(8, 20));

  // No timeout: no lease length is given (a shared store picks its own and renews it).
  const untimed = recordingStore();
  await puffle(emu, 'own-store', { rateLimit: { store: untimed }, timeout: 0 }).signalTypes.list();
  expect(untimed.calls[0][2]).toEqual({ leaseMs: undefined });
});

test("Saber: each bucket is its own, and X-Ratelimit-Remaining reaches the store's observe()", async () => {
  const limited = await start({ rateLimits: { saberWrite: { limit: 100, windowMs: 60_000, burst: 50 } } });
  try {
    const store = recordingStore();
    const client = saber(limited, 'observe', { rateLimit: { store, write: { limit: 100, windowMs: 60_000, burst: 50 } } });
    await client.templates.list().firstPage();
    await client.templates.create({ name: 'Observed', question: 'How many?', answerType: 'number' });
    const kinds = store.calls.filter(([name]) => name === 'acquire').map(([, b]) => [b.id.split('|').pop(), b.kind, b.limit, b.burst]);
    expect(kinds).toEqual([['read', 'bucket', 100_000, 10_000], ['write', 'bucket', 100, 50]]);
    const observed = store.calls.filter(([name]) => name === 'observe').map(([, b, o]) => [b.id.split('|').pop(), o]);
    expect(observed).toEqual([['read', { remaining: 9999 }], ['write', { remaining: 49 }]]);
  } finally {
    await limited.close();
  }
});

test('a 429 pauses the bucket in the store (the wait the server named), and the retry waits for it', async () => {
  const limited = await start({ rateLimits: { puffle: { limit: 60, windowMs: 60_000, burst: 1 } } });
  try {
    const store = recordingStore();
    const retries = [];
    const client = puffle(limited, 'pause', { rateLimit: { store }, maxRetries: 2, hooks: { onRetry: (s) => retries.push(s) } });
    await Promise.all([client.signalTypes.list(), client.signalTypes.list()]);
    expect(retries.map((r) => r.error)).toEqual([expect.any(RateLimitError)]);
    const pauses = store.calls.filter(([name]) => name === 'pause');
    expect(pauses).toHaveLength(1);
    expect(pauses[0][2]).toBe(retries[0].delayMs);
    expect(pauses[0][2]).toBeGreaterThanOrEqual(1000);
  } finally {
    await limited.close();
  }
});

test('a store that fails: every waiting call gets its error and nothing is sent', async () => {
  const down = new Error('store down');
  let failing = false;
  const inner = memoryStore();
  const store = {
    acquire: (...args) => (failing ? Promise.reject(down) : inner.acquire(...args)),
    release: (...args) => inner.release(...args),
    pause: (...args) => inner.pause(...args),
  };
  const client = puffle(emu, 'failing-store', { rateLimit: { limit: 1, windowMs: 60_000, store } });
  const sent = emu.log.length;
  await client.signalTypes.list();
  failing = true;
  const errors = await Promise.all([client.signalTypes.list(), client.signalTypes.list()].map(failure));
  expect(errors).toEqual([down, down]);
  expect(emu.log.length).toBe(sent + 1);
});

test.each([[{ ok: true }, '{"ok":true}'], [7, '7'], [null, 'null']])('a store answering %p to acquire() is a clear error', async (answer, shown) => {
  for (const store of [{ acquire: () => answer }, { acquire: async () => answer }]) {
    const err = await failure(puffle(emu, 'bad-store', { rateLimit: { store: { ...store, release() {}, pause() {} } } }).signalTypes.list());
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe(`rate-limit store answered ${shown} to acquire(); expected {permit} or {waitMs}`);
  }
});
