// signalkit/redis as users load it: through package.json "exports" in plain Node (import and
// require), the CommonJS bundle against a real Redis, and the promise that the Redis client
// packages are optional: importing signalkit never loads them, and without them the store
// says what to install.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasRedisServer, startRedis } from '../support/redis.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

if (!hasRedisServer()) throw new Error('redis-server is not installed: run scripts/bootstrap.sh (Debian package redis-server)');

function node(args, env = {}) {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', ...env }, timeout: 30_000 });
}

let redis;
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await redis?.stop(); });

// Counts the modules of ioredis and redis that Node has loaded (both are CommonJS packages).
const LOADED = "Object.keys(require('node:module')._cache).filter((f) => /node_modules\\/(ioredis|redis|@redis)\\//.test(f)).length";

test("require('signalkit/redis') and import('signalkit/redis') give the same exports; the CJS bundle counts in Redis", () => {
  const script = (load) => `${load}.then(async ({ redisStore, RedisStoreError }) => {
    const store = redisStore({ url: ${JSON.stringify(redis.url)} }, { prefix: 'pkg:' + Math.random() + ':' });
    const bucket = { id: 'x', kind: 'window', limit: 1, windowMs: 60000 };
    const first = await store.acquire(bucket, {});
    const second = await store.acquire(bucket, {});
    await store.close();
    console.log(JSON.stringify({ exports: Object.keys(await ${load}).sort(), first: 'permit' in first, second: 'waitMs' in second, err: typeof RedisStoreError }));
  })`;
  const viaRequire = JSON.parse(node(['-e', script("Promise.resolve(require('signalkit/redis'))")]));
  const viaImport = JSON.parse(node(['--input-type=module', '-e', script("import('signalkit/redis')")]));
  expect(viaRequire).toEqual({ exports: ['RedisStoreError', 'redisStore'], first: true, second: true, err: 'function' });
  expect(viaImport).toEqual(viaRequire);
});

test('importing signalkit (or signalkit/redis) loads no Redis client; the first use of a store does', () => {
  const out = node(['--input-type=module', '-e', `
    import Module from 'node:module';
    const loaded = () => Object.keys(Module._cache).filter((f) => /node_modules\\/(ioredis|redis|@redis)\\//.test(f)).length;
    await import('signalkit');
    const { redisStore } = await import('signalkit/redis');
    const before = loaded();
    const store = redisStore({ url: ${JSON.stringify(redis.url)} });
    const afterCreate = loaded();
    await store.acquire({ id: 'y', kind: 'window', limit: 1, windowMs: 1000 }, {});
    const afterUse = loaded();
    await store.close();
    console.log(JSON.stringify([before, afterCreate, afterUse > 0]));`]);
  expect(JSON.parse(out)).toEqual([0, 0, true]);
  const cjs = node(['-e', `require('signalkit'); require('signalkit/redis'); console.log(${LOADED})`]);
  expect(Number(cjs)).toBe(0);
});

/** A --import module that makes `names` resolve as Node does for packages that are not installed. */
function uninstalled(names) {
  const hook = `data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      if (${JSON.stringify(names)}.includes(specifier)) {
        throw Object.assign(new Error("Cannot find package '" + specifier + "'"), { code: 'ERR_MODULE_NOT_FOUND' });
      }
      return next(specifier, context);
    }`)}`;
  return `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hook)});`)}`;
}

test('with only redis (node-redis) installed, a store made from a URL uses it (and says when Redis cannot be reached)', () => {
  const out = node(['--import', uninstalled(['ioredis']), '--input-type=module', '-e', `
    import Module from 'node:module';
    const { redisStore } = await import('signalkit/redis');
    const store = redisStore({ url: ${JSON.stringify(redis.url)} }, { prefix: 'pkg-node-redis:' + Math.random() + ':' });
    const bucket = { id: 'z', kind: 'bucket', limit: 1, windowMs: 60000, burst: 1 };
    const first = await store.acquire(bucket, {});
    const second = await store.acquire(bucket, {});
    await store.release(bucket, first.permit, { sent: true });
    await store.close();
    const dead = redisStore({ url: 'redis://127.0.0.1:1' }, { commandTimeoutMs: 300, logger: false });
    const down = [];
    for (let i = 0; i < 2; i++) down.push(await dead.acquire(bucket, {}).catch((err) => err.code));
    await dead.close();
    const loaded = Object.keys(Module._cache).filter((f) => /node_modules\\/(ioredis|redis|@redis)\\//.test(f));
    console.log(JSON.stringify({ first: 'permit' in first, second: 'waitMs' in second, down, ioredis: loaded.some((f) => f.includes('/ioredis/')), nodeRedis: loaded.some((f) => f.includes('/@redis/client/')) }));`]);
  expect(JSON.parse(out)).toEqual({ first: true, second: true, down: ['redis_unavailable', 'redis_unavailable'], ioredis: false, nodeRedis: true });
});

test('without ioredis and redis installed, the store says what to install (and signalkit still loads)', () => {
  const out = node(['--import', uninstalled(['ioredis', 'redis']), '--input-type=module', '-e', `
    import { PuffleClient } from 'signalkit';
    const { redisStore } = await import('signalkit/redis');
    const store = redisStore({ url: ${JSON.stringify(redis.url)} });
    const client = new PuffleClient({ apiKey: 'pk_live_' + 'a'.repeat(64), baseUrl: 'http://127.0.0.1:9/api/v1', rateLimit: { store } });
    try { await client.signalTypes.list(); } catch (err) { console.log(JSON.stringify({ name: err.name, code: err.code, message: err.message })); }`]);
  expect(JSON.parse(out)).toEqual({
    name: 'RedisStoreError',
    code: 'redis_client_missing',
    message: 'signalkit/redis needs a Redis client: install ioredis (npm install ioredis) or redis (npm install redis)',
  });
});
