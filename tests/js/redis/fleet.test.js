// Fleets: several worker PROCESSES on one API key, their rate limit shared through a real
// redis-server (tests/js/support/redis.js), against the emulator with its own limiter at the
// same (scaled-down) limits. The emulator's rate-limit log (when each request was counted and
// whether it passed) is the judge: zero 429s, and no window holding more than the limit.
// Each feature has its control: the same fleet counting per process gets 429s.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { puffleKey, saberKey, start } from '../client/helpers.js';
import { hasRedisServer, startRedis } from '../support/redis.js';

const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));

if (!hasRedisServer()) throw new Error('redis-server is not installed: run scripts/bootstrap.sh (Debian package redis-server)');

let redis;
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await redis?.stop(); });

const children = new Set();
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});

/** Forks a worker; `events` collects its reports, `done` resolves with its final report. */
function worker(config) {
  const child = fork(WORKER, [JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [] });
  children.add(child);
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const events = [];
  const listeners = [];
  let onReady;
  let onDone;
  const ready = new Promise((resolve) => { onReady = resolve; });
  const done = new Promise((resolve, reject) => {
    onDone = resolve;
    child.once('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before it was done: ${output}`)));
  });
  done.catch(() => {}); // a worker killed on purpose never reports done
  child.on('message', (m) => {
    events.push(m);
    if (m.type === 'ready') onReady();
    if (m.type === 'done') onDone(m);
    for (const fn of listeners) fn(m);
  });
  return {
    child, events, ready, done,
    go: () => child.send({ go: true }),
    /** Resolves with the first report for which `test` holds. */
    when: (test) => new Promise((resolve) => {
      const found = events.find(test);
      if (found) resolve(found); else listeners.push((m) => { if (test(m)) resolve(m); });
    }),
  };
}

/** Starts `configs` as workers, waits until all are ready, starts them together; resolves with their final reports. */
async function runFleet(configs) {
  const fleet = configs.map(worker);
  await Promise.all(fleet.map((w) => w.ready));
  fleet.forEach((w) => w.go());
  return Promise.all(fleet.map((w) => w.done));
}

/** The largest number of entries whose `at` falls in one window of `windowMs`. */
function maxInWindow(entries, windowMs) {
  const t = entries.map((e) => e.at).sort((a, b) => a - b);
  let best = 0;
  for (let lo = 0, hi = 0; hi < t.length; hi++) {
    while (t[hi] - t[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

const statusesOf = (reports) => reports.flatMap((r) => r.results.map((x) => (x.ok ? 200 : x.status ?? x.name)));
const prefix = (name) => `signalkit-test:${name}:${process.pid}:`;

describe('Puffle: four worker processes on one key', () => {
  const limit = 40;
  const windowMs = 400;

  test('with the Redis store: 400 calls, zero 429s, and no window over the limit at the emulator', async () => {
    const emu = await start({ rateLimits: { puffle: { limit, windowMs } } });
    try {
      const config = {
        provider: 'puffle', baseUrl: `${emu.url}/api/v1`, apiKey: puffleKey('fleet'), calls: [['list', 100]],
        rateLimit: { limit, windowMs }, redis: { url: redis.url, prefix: prefix('fleet') },
      };
      const reports = await runFleet([config, config, config, config]);
      expect(statusesOf(reports)).toEqual(Array(400).fill(200));
      const log = emu.rateLimitLog().filter((e) => e.provider === 'puffle');
      expect(log).toHaveLength(400);
      expect(log.filter((e) => !e.ok)).toEqual([]); // the emulator's own limiter refused nothing
      expect(maxInWindow(log, windowMs)).toBeLessThanOrEqual(limit);
      // Every grant went through Redis, one count for the four processes.
      expect(reports.reduce((n, r) => n + r.stats.granted, 0)).toBe(400);
    } finally {
      await emu.close();
    }
  }, 60_000);

  test('control: the same fleet counting in each process gets 429s (each sends the whole limit)', async () => {
    const emu = await start({ rateLimits: { puffle: { limit, windowMs } } });
    try {
      const config = {
        provider: 'puffle', baseUrl: `${emu.url}/api/v1`, apiKey: puffleKey('fleet-local'), calls: [['list', 100]],
        rateLimit: { limit, windowMs }, redis: null, maxRetries: 0,
      };
      const reports = await runFleet([config, config, config, config]);
      const refused = emu.rateLimitLog().filter((e) => !e.ok);
      expect(refused.length).toBeGreaterThan(0);
      expect(statusesOf(reports).filter((s) => s === 429)).toHaveLength(refused.length);
      expect(maxInWindow(emu.rateLimitLog(), windowMs)).toBeGreaterThan(limit);
    } finally {
      await emu.close();
    }
  }, 60_000);
});

test('a worker killed (SIGKILL) while holding every permit: the others wait for its leases to run out, then finish', async () => {
  const limit = 10;
  const windowMs = 400;
  const timeout = 1500;            // A's requests could take this long, and its leases
  const leaseMarginMs = 300;       // run out this much later
  const lease = timeout + leaseMarginMs;
  const emu = await start({ rateLimits: { puffle: { limit, windowMs } }, faults: { rules: [] } });
  try {
    // A's requests stay in flight: the emulator holds them for 3 s before answering.
    await emu.plan({ next: [{ type: 'latency', ms: 3000, count: limit }] });
    const base = {
      provider: 'puffle', baseUrl: `${emu.url}/api/v1`, apiKey: puffleKey('fleet-kill'), rateLimit: { limit, windowMs }, timeout,
      redis: { url: redis.url, prefix: prefix('kill'), options: { leaseMarginMs, maxPollMs: 200 } },
    };
    const a = worker({ ...base, calls: [['list', limit]] });
    const others = [worker({ ...base, calls: [['list', 20]] }), worker({ ...base, calls: [['list', 20]] })];
    await Promise.all([a.ready, ...others.map((w) => w.ready)]);
    a.go();
    const sentAll = await a.when((m) => m.type === 'request' && m.n === limit);
    const firstSent = a.events.find((m) => m.type === 'request').at;
    others.forEach((w) => w.go());
    await new Promise((r) => setTimeout(r, 100)); // the others are queued behind A's permits
    a.child.kill('SIGKILL');
    const reports = await Promise.all(others.map((w) => w.done));

    expect(sentAll.n).toBe(limit);
    expect(statusesOf(reports)).toEqual(Array(40).fill(200));
    const log = emu.rateLimitLog();
    expect(log.filter((e) => !e.ok)).toEqual([]);
    expect(maxInWindow(log, windowMs)).toBeLessThanOrEqual(limit);
    // Nobody took A's slots before its leases ran out (and, Puffle's window being counted from
    // a request's end, one window after that).
    expect(Math.min(...log.map((e) => e.at))).toBeGreaterThanOrEqual(firstSent + lease);
    // While blocked, the workers asked Redis with a backoff, not in a busy loop.
    for (const r of reports) expect(r.stats.polled).toBeLessThanOrEqual(20);
  } finally {
    await emu.close();
  }
}, 60_000);

test('a 429 seen by one worker pauses the whole fleet for the wait the server named', async () => {
  // The emulator refills one token a second; the fleet's own limit is far above it, so the
  // emulator's 429s (Retry-After: 1) are what the fleet has to follow.
  const emu = await start({ rateLimits: { puffle: { limit: 10, windowMs: 10_000 } } });
  try {
    const base = {
      provider: 'puffle', baseUrl: `${emu.url}/api/v1`, apiKey: puffleKey('fleet-429'), rateLimit: { limit: 100, windowMs: 10_000 },
      maxRetries: 10, redis: { url: redis.url, prefix: prefix('429') },
    };
    const first = worker({ ...base, calls: [['list', 12]] }); // more at once than the emulator's bucket holds
    const others = [worker({ ...base, calls: [['list', 1]] }), worker({ ...base, calls: [['list', 1]] })];
    await Promise.all([first.ready, ...others.map((w) => w.ready)]);
    first.go();
    const retry = await first.when((m) => m.type === 'retry');
    expect(retry.status).toBe(429);
    expect(retry.delayMs).toBeGreaterThanOrEqual(1000); // Retry-After: 1
    others.forEach((w) => w.go()); // two more workers start during the pause
    const reports = await Promise.all([first.done, ...others.map((w) => w.done)]);

    expect(statusesOf(reports)).toEqual(Array(14).fill(200));
    const firstRefusal = emu.rateLimitLog().find((e) => !e.ok);
    // The two workers that started meanwhile sent nothing before the pause that 429 asked for
    // was over (it ends `delayMs` after the refused request's answer came back).
    const started = others.map((w) => w.events.find((m) => m.type === 'request').at);
    for (const at of started) expect(at).toBeGreaterThanOrEqual(firstRefusal.at + retry.delayMs);
  } finally {
    await emu.close();
  }
}, 60_000);

test('Redis stopped mid-run: calls fail with RedisStoreError and are not sent; with fallback: "local" they go on, with a warning', async () => {
  const own = await startRedis();
  const limit = 20;
  const windowMs = 400;
  const emu = await start({ rateLimits: { puffle: { limit, windowMs } } });
  try {
    // Half the emulator's limit: the fallback count starts empty after Redis counted a first
    // batch, so the two together stay within the emulator's limit.
    const base = {
      provider: 'puffle', baseUrl: `${emu.url}/api/v1`, rateLimit: { limit: limit / 2, windowMs }, calls: [['list', 40]],
    };
    const strict = worker({ ...base, apiKey: puffleKey('fleet-down-a'), redis: { url: own.url, prefix: prefix('down'), options: { commandTimeoutMs: 500 } } });
    const lenient = worker({ ...base, apiKey: puffleKey('fleet-down-b'), redis: { url: own.url, prefix: prefix('down'), options: { commandTimeoutMs: 500, fallback: 'local' } } });
    await Promise.all([strict.ready, lenient.ready]);
    strict.go();
    lenient.go();
    // Both are under way (the limit lets 10 through per window): stop Redis.
    await Promise.all([strict, lenient].map((w) => w.when((m) => m.type === 'response' && m.status === 200)));
    await own.stop();
    const [a, b] = await Promise.all([strict.done, lenient.done]);

    const sentA = strict.events.filter((m) => m.type === 'request').length;
    const okA = a.results.filter((r) => r.ok).length;
    const failedA = a.results.filter((r) => !r.ok);
    expect(okA).toBeGreaterThan(0);
    expect(failedA.length).toBeGreaterThan(0);
    expect(failedA.map((r) => [r.name, r.code])).toEqual(failedA.map(() => ['RedisStoreError', 'redis_unavailable']));
    expect(failedA[0].message).toMatch(/Redis \(redis:\/\/127\.0\.0\.1:\d+\/?\) is unavailable .*The request was not sent.*fallback: 'local'/);
    expect(sentA).toBe(okA); // a call that failed for want of Redis never reached the API

    expect(b.results.every((r) => r.ok)).toBe(true);
    const fallbackWarnings = b.warnings.filter((w) => /Falling back to counting in this process/.test(w.message));
    expect(fallbackWarnings).toHaveLength(1); // once per outage, not once per call
    expect(b.stats.localAcquire).toBeGreaterThan(0);
    expect(emu.rateLimitLog().filter((e) => !e.ok)).toEqual([]);
  } finally {
    await emu.close();
    await own.stop();
  }
}, 60_000);

describe('Saber: write and read buckets shared by four worker processes', () => {
  const buckets = { write: { limit: 20, windowMs: 1000, burst: 5 }, read: { limit: 40, windowMs: 1000, burst: 10 } };
  const emulatorLimits = { saberWrite: buckets.write, saberRead: buckets.read };

  test('with the Redis store: 60 writes and 60 reads, zero 429s', async () => {
    const emu = await start({ rateLimits: emulatorLimits });
    try {
      const config = {
        provider: 'saber', baseUrl: `${emu.url}/v1`, apiKey: saberKey('fleet'), calls: [['create', 15], ['list', 15]],
        rateLimit: buckets, redis: { url: redis.url, prefix: prefix('saber') },
      };
      const reports = await runFleet([config, config, config, config]);
      expect(statusesOf(reports)).toEqual(Array(120).fill(200));
      const log = emu.rateLimitLog();
      expect(log.filter((e) => e.bucket === 'saberWrite')).toHaveLength(60);
      expect(log.filter((e) => e.bucket === 'saberRead')).toHaveLength(60);
      expect(log.filter((e) => !e.ok)).toEqual([]);
    } finally {
      await emu.close();
    }
  }, 60_000);

  test('control: counting in each process, the same fleet gets 429s', async () => {
    const emu = await start({ rateLimits: emulatorLimits });
    try {
      const config = {
        provider: 'saber', baseUrl: `${emu.url}/v1`, apiKey: saberKey('fleet-local'), calls: [['create', 15], ['list', 15]],
        rateLimit: buckets, redis: null, maxRetries: 0,
      };
      const reports = await runFleet([config, config, config, config]);
      expect(statusesOf(reports).filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(emu.rateLimitLog().filter((e) => e.bucket === 'saberWrite' && !e.ok).length).toBeGreaterThan(0);
    } finally {
      await emu.close();
    }
  }, 60_000);
});
