// Rate-limit stores: what a permit costs (acquire + release through the clients' Limiter)
// in the in-process store and in the Redis store (signalkit/redis, against a redis-server on
// loopback started for the run), one caller at a time and with many callers. Limits are set
// far above the load, so the figures are the stores' own cost, never a wait.
// The budget: a store must sustain Saber's highest documented limit, 100,000 reads a minute
// (1,667 permits a second) — for a whole fleet sharing one Redis.
//   npm run bench -- ratelimit        (or: node bench/ratelimit.js)
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bucketSpec, Limiter, memoryStore } from '../js/client/ratelimit.js';
import { redisStore } from '../js/redis/index.js';
import { hasRedisServer, startRedis } from '../tests/js/support/redis.js';
import { median } from './timing.js';

const SABER_READS_PER_S = 100_000 / 60;
const bucket = (id) => bucketSpec(`bench|${id}`, 'window', { limit: 1e9, windowMs: 60_000 }, 'bench');

/** Seconds per permit, one caller: `n` acquire + release in a row (each release awaited where the store is remote). */
async function serial(limiter, n) {
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    const release = await limiter.acquire();
    release();
  }
  return (performance.now() - t) / 1000 / n;
}

/** Permits per second with `callers` concurrent callers taking `n` permits in all. */
async function concurrent(limiter, n, callers) {
  let left = n;
  const t = performance.now();
  await Promise.all(Array.from({ length: callers }, async () => {
    while (left-- > 0) {
      const release = await limiter.acquire();
      release();
    }
  }));
  return n / ((performance.now() - t) / 1000);
}

/** Median over `rounds` of `measure()`. */
async function rounds(count, measure) {
  const xs = [];
  for (let r = 0; r < count; r++) xs.push(await measure());
  return median(xs);
}

// Run as a child (a worker of a fleet): permits per second for its share, then exit.
if (process.argv[2] === '--fleet-worker') {
  const [url, prefix, n, callers] = process.argv.slice(3);
  const store = redisStore({ url }, { prefix });
  const limiter = new Limiter(store, bucket('fleet'));
  await limiter.acquire().then((r) => r()); // connected, scripts loaded
  process.send({ ready: true });
  process.once('message', async () => {
    const rate = await concurrent(limiter, Number(n), Number(callers));
    await store.close();
    process.send({ rate });
    process.disconnect();
  });
}

/** Four worker processes on one bucket: the fleet's permits per second (sum of the four). */
async function fleet(url, n, callers) {
  const file = fileURLToPath(import.meta.url);
  const workers = Array.from({ length: 4 }, (_, i) => fork(file, ['--fleet-worker', url, `bench:fleet:${Date.now()}:`, String(n), String(callers)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [],
  }));
  const next = (w) => new Promise((resolve, reject) => { w.once('message', resolve); w.once('exit', (code) => reject(new Error(`bench worker exited ${code}`))); });
  await Promise.all(workers.map(next));
  const results = workers.map(next);
  workers.forEach((w) => w.send({ go: true }));
  return (await Promise.all(results)).reduce((sum, m) => sum + m.rate, 0);
}

export async function run({ log }) {
  const memory = new Limiter(memoryStore(), bucket('memory'));
  await serial(memory, 20_000); // warm-up
  const memSerial = await rounds(7, () => serial(memory, 20_000));
  const memConcurrent = await rounds(7, () => concurrent(memory, 20_000, 64));
  log(`in-process store: ${(memSerial * 1e6).toFixed(2)} µs per permit; ${(memConcurrent / 1000).toFixed(0)}k permits/s with 64 callers`);

  if (!hasRedisServer()) {
    log('redis-server is not installed (scripts/bootstrap.sh installs it): Redis store rows skipped');
    return [{ job: 'rate-limit permit, in-process store', signalkit: memSerial * 1e6, unit: 'µs', budget: 'reported', pass: true, note: 'Redis store skipped: no redis-server' }];
  }
  const server = await startRedis();
  try {
    const store = redisStore({ url: server.url }, { prefix: `bench:${Date.now()}:` });
    const remote = new Limiter(store, bucket('redis'));
    await serial(remote, 500); // connect, load the scripts, warm up
    const latencies = [];
    for (let i = 0; i < 2000; i++) {
      const t = performance.now();
      const release = await remote.acquire();
      latencies.push(performance.now() - t);
      release();
    }
    const acquireP50 = median(latencies) * 1000;
    const acquireP99 = [...latencies].sort((a, b) => a - b)[Math.floor(latencies.length * 0.99)] * 1000;
    const redisSerial = await rounds(5, () => serial(remote, 1000));
    const redisConcurrent = await rounds(5, () => concurrent(remote, 5000, 64));
    await store.close();
    log(`Redis store: acquire ${acquireP50.toFixed(0)} µs median, ${acquireP99.toFixed(0)} µs p99; ${(redisSerial * 1e6).toFixed(0)} µs per permit; `
      + `${redisConcurrent.toFixed(0)} permits/s with 64 callers`);
    const fleetRate = await rounds(3, () => fleet(server.url, 5000, 64));
    log(`Redis store, 4 processes × 64 callers on one bucket: ${fleetRate.toFixed(0)} permits/s`);
    const budget = `≥ ${SABER_READS_PER_S.toFixed(0)}/s (Saber reads)`;
    return [
      {
        job: 'rate-limit permit (acquire + release), one caller', signalkit: redisSerial * 1e6, unit: 'µs (Redis store)',
        peers: { 'in-process store': memSerial * 1e6 }, ratio: redisSerial / memSerial, budget: 'reported', pass: true,
        note: `acquire alone ${acquireP50.toFixed(0)} µs median, ${acquireP99.toFixed(0)} µs p99`,
      },
      {
        job: 'rate-limit permits/s, one process, 64 callers', signalkit: redisConcurrent, unit: 'permits/s (Redis store)',
        peers: { 'in-process store': memConcurrent }, ratio: redisConcurrent / memConcurrent, budget, pass: redisConcurrent >= SABER_READS_PER_S,
      },
      {
        job: 'rate-limit permits/s, 4 processes × 64 callers, one bucket', signalkit: fleetRate, unit: 'permits/s (Redis store)',
        budget, pass: fleetRate >= SABER_READS_PER_S,
      },
    ];
  } finally {
    await server.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] !== '--fleet-worker') {
  for (const row of await run({ log: (...a) => console.log(...a) })) console.log(row);
}
