// redisStore(): the clients' rate-limit count kept in Redis, so that every process using one
// API key (and the same Redis) shares one sliding window (Puffle) or token bucket (Saber).
// The counting is in Lua (scripts.js), atomic and on Redis' clock; this file is the store
// interface around it (docs/ratelimit.md): leases and their renewal, how long to wait when
// every permit is in flight elsewhere, and what happens while Redis cannot be reached.
import { createHash } from 'node:crypto';
import { memoryStore } from '../client/ratelimit.js';
import { checkOptions } from '../util/options.js';
import { adaptClient, connectUrl } from './connection.js';
import { RedisStoreError } from './errors.js';
import * as SCRIPTS from './scripts.js';

const DEFAULTS = Object.freeze({
  prefix: 'signalkit:ratelimit:',
  leaseMarginMs: 5_000,
  defaultLeaseMs: 60_000,
  maxPollMs: 1_000,
  commandTimeoutMs: 2_000,
});
// While every permit is in flight in other processes, ask again after 25 ms, then 50, 100, …
// up to maxPollMs: a release elsewhere is seen soon, and a long wait costs few calls.
const FIRST_POLL_MS = 25;
// In fallback mode, how often Redis is tried again while it is down.
const RECHECK_MS = 1_000;

const OPTION_NAMES = ['prefix', 'leaseMarginMs', 'defaultLeaseMs', 'maxPollMs', 'commandTimeoutMs', 'fallback', 'logger'];
// Errors Redis itself answered (as opposed to a connection that failed or timed out).
const REPLY_ERRORS = new Set(['ReplyError', 'ErrorReply', 'SimpleError', 'BlobError']);

const sha = (text, algorithm) => createHash(algorithm).update(text).digest('hex');
const SCRIPT = Object.fromEntries(Object.entries({
  acquire: SCRIPTS.ACQUIRE, release: SCRIPTS.RELEASE, pause: SCRIPTS.PAUSE, observe: SCRIPTS.OBSERVE, renew: SCRIPTS.RENEW,
}).map(([name, text]) => [name, { text, sha1: sha(text, 'sha1') }]));

function positiveInteger(value, name) {
  if (!(Number.isInteger(value) && value > 0)) throw new TypeError(`redisStore: ${name} must be a positive integer of milliseconds (got ${JSON.stringify(value)})`);
  return value;
}

function defaultLogger(level, message) {
  if (level === 'warn' || level === 'error') console.warn(message);
}

function makeLog(logger) {
  if (logger === undefined) return defaultLogger;
  if (logger === null || logger === false) return () => {};
  if (typeof logger === 'function') return (level, message) => logger(level, message);
  if (typeof logger === 'object') return (level, message) => (logger[level] ?? logger.log)?.call(logger, message);
  throw new TypeError('redisStore: logger must be a function (level, message) or an object with info/warn/error methods');
}

function checkConnection(connection) {
  const c = checkOptions('redisStore(connection)', connection, ['url', 'client']);
  if ((c.url === undefined) === (c.client === undefined)) {
    throw new TypeError('redisStore: pass exactly one of {url} (a redis:// or rediss:// URL) and {client} (an ioredis or redis client)');
  }
  if (c.client !== undefined) {
    const adapted = adaptClient(c.client);
    if (!adapted) throw new TypeError('redisStore: client must be an ioredis client (new Redis(...)) or a connected node-redis client (createClient(...))');
    return { adapted };
  }
  let url;
  try {
    url = new URL(String(c.url));
  } catch {
    throw new TypeError('redisStore: url must be a redis:// or rediss:// URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new TypeError(`redisStore: url must be a redis:// or rediss:// URL (got ${url.protocol}//…)`);
  return { url: String(c.url) };
}

/**
 * A rate-limit store in Redis, shared by every process that uses it with the same key.
 *
 * @param {{url: string} | {client: object}} connection a URL (the store makes, and on close()
 *   closes, its own client: ioredis if installed, else redis), or a client of yours
 * @param {object} [options] see docs/ratelimit.md
 */
export function redisStore(connection, options = {}) {
  const target = checkConnection(connection);
  const o = checkOptions('redisStore(connection, options)', options, OPTION_NAMES);
  const prefix = o.prefix ?? DEFAULTS.prefix;
  if (typeof prefix !== 'string' || prefix.length === 0 || prefix.length > 200 || /[{}]/.test(prefix)) {
    throw new TypeError('redisStore: prefix must be a non-empty string of at most 200 characters without { or } (the store adds its own hash tag)');
  }
  const leaseMarginMs = positiveInteger(o.leaseMarginMs ?? DEFAULTS.leaseMarginMs, 'leaseMarginMs');
  const defaultLeaseMs = positiveInteger(o.defaultLeaseMs ?? DEFAULTS.defaultLeaseMs, 'defaultLeaseMs');
  const maxPollMs = positiveInteger(o.maxPollMs ?? DEFAULTS.maxPollMs, 'maxPollMs');
  const commandTimeoutMs = positiveInteger(o.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs, 'commandTimeoutMs');
  if (o.fallback !== undefined && o.fallback !== 'local') {
    throw new TypeError(`redisStore: fallback must be 'local' (count in each process while Redis is down) or left out (calls fail with RedisStoreError); got ${JSON.stringify(o.fallback)}`);
  }
  const log = makeLog(o.logger);
  return new RedisStore({ target, prefix, leaseMarginMs, defaultLeaseMs, maxPollMs, commandTimeoutMs, fallback: o.fallback, log });
}

class RedisStore {
  #o;
  #connection = null;         // Promise<{send, close?, describe, lastError?}>
  #buckets = new Map();       // bucket id -> {keys, argv, polls}
  #held = new Set();          // permits granted by Redis and not yet released (their renew timers)
  #local = memoryStore();     // the count while Redis is down (fallback: 'local')
  #downUntil = 0;             // fallback: do not try Redis again before this time
  #closed = false;
  #running = new Set();       // script calls under way (close() lets them finish)
  #warned = new Set();        // kinds of failure already warned about since Redis last answered
  #stats = { acquire: 0, release: 0, pause: 0, observe: 0, renew: 0, granted: 0, waited: 0, polled: 0, localAcquire: 0, outages: 0 };

  constructor(o) {
    this.#o = o;
  }

  /** Counters of the scripts run and what they answered (for tests, the benchmark and monitoring). */
  stats() {
    return { ...this.#stats };
  }

  async acquire(bucket, { leaseMs } = {}) {
    this.#checkOpen();
    if (this.#isDown()) return this.#acquireLocally(bucket);
    const b = this.#bucket(bucket);
    const lease = Math.ceil((leaseMs > 0 ? leaseMs : this.#o.defaultLeaseMs) + this.#o.leaseMarginMs);
    const poll = Math.min(this.#o.maxPollMs, FIRST_POLL_MS * 2 ** b.polls);
    let reply;
    try {
      reply = await this.#run('acquire', b, [lease, poll]);
    } catch (err) {
      if (this.#fallsBack(err)) return this.#acquireLocally(bucket);
      throw err;
    }
    const [granted, value, blocked] = reply.map(Number);
    if (granted === 1) {
      b.polls = 0;
      this.#stats.granted += 1;
      const permit = { id: String(value), bucket: b, lease, timer: null };
      this.#scheduleRenewal(permit);
      this.#held.add(permit);
      return { permit };
    }
    b.polls = blocked === 1 ? Math.min(b.polls + 1, 30) : 0;
    this.#stats.waited += 1;
    if (blocked === 1) this.#stats.polled += 1;
    return { waitMs: value };
  }

  async release(bucket, permit, { sent = true } = {}) {
    if (permit.local !== undefined) {
      this.#local.release(bucket, permit.local, { sent });
      return;
    }
    clearTimeout(permit.timer);
    this.#held.delete(permit);
    if (this.#closed) return;
    try {
      const kept = Number(await this.#run('release', permit.bucket, [permit.id, sent ? 1 : 0]));
      if (kept === 0 && sent) {
        this.#o.log('warn', `signalkit/redis: a request held its permit longer than its lease (${permit.lease} ms); it was counted when the lease ran out. Raise leaseMarginMs if requests outlive their timeout.`);
      }
    } catch (err) {
      // The lease runs out by itself: the slot comes back then, counted as used.
      if (!this.#fallsBack(err)) this.#warnOnce('release', `${err.message} (releasing permits: each counts as used until its lease of ${permit.lease} ms runs out)`);
    }
  }

  async pause(bucket, ms) {
    this.#local.pause(bucket, ms); // also holds this process's local count, should Redis go down
    if (this.#closed || this.#isDown()) return;
    try {
      await this.#run('pause', this.#bucket(bucket), [Math.ceil(ms)]);
    } catch (err) {
      if (!this.#fallsBack(err)) this.#warnOnce('pause', `${err.message} (pausing the fleet for ${Math.ceil(ms)} ms: only this process pauses)`);
    }
  }

  async observe(bucket, { remaining }) {
    this.#local.observe(bucket, { remaining });
    if (bucket.kind !== 'bucket' || this.#closed || this.#isDown()) return;
    try {
      await this.#run('observe', this.#bucket(bucket), [remaining]);
    } catch (err) {
      if (!this.#fallsBack(err)) this.#warnOnce('observe', `${err.message} (recording X-Ratelimit-Remaining)`);
    }
  }

  /**
   * Stops renewing leases and closes the connection the store made for a URL (a client you
   * passed stays open: it is yours). Permits still held expire with their leases.
   */
  async close() {
    if (this.#closed) return;
    this.#closed = true;
    for (const permit of this.#held) clearTimeout(permit.timer);
    this.#held.clear();
    await Promise.allSettled([...this.#running]); // releases under way still count
    const connection = await this.#connection?.catch(() => null);
    await connection?.close?.();
  }

  // A lease is renewed at half its length while the request still runs (a request without a
  // timeout, slow hooks); a process that died renews nothing and its leases run out.
  #scheduleRenewal(permit) {
    permit.timer = setTimeout(async () => {
      if (!this.#held.has(permit)) return;
      try {
        await this.#run('renew', permit.bucket, [permit.id, permit.lease]);
      } catch (err) {
        if (!this.#fallsBack(err)) this.#warnOnce('renew', `${err.message} (renewing a lease)`);
      }
      if (this.#held.has(permit)) this.#scheduleRenewal(permit);
    }, Math.max(1, Math.floor(permit.lease / 2)));
    permit.timer.unref?.();
  }

  // One warning per kind of failure until Redis answers again: an outage is not a flood.
  #warnOnce(kind, message) {
    if (this.#warned.has(kind)) return;
    this.#warned.add(kind);
    this.#o.log('warn', message);
  }

  #acquireLocally(bucket) {
    this.#stats.localAcquire += 1;
    const answer = this.#local.acquire(bucket);
    return 'permit' in answer ? { permit: { local: answer.permit } } : answer;
  }

  #isDown() {
    return this.#downUntil > Date.now();
  }

  // With fallback 'local', an unreachable Redis switches this process to its own count for a
  // while (warned once per outage). Returns true when the caller should count locally.
  #fallsBack(err) {
    if (this.#o.fallback !== 'local' || err.code !== 'redis_unavailable') return false;
    if (this.#downUntil === 0) {
      this.#stats.outages += 1;
      const what = err.message.split(' The request was not sent')[0];
      this.#o.log('warn', `${what} Falling back to counting in this process (fallback: 'local') until Redis answers again: `
        + 'meanwhile a fleet of N processes may send up to N times the limit.');
    }
    this.#downUntil = Date.now() + RECHECK_MS;
    return true;
  }

  #bucket(bucket) {
    let b = this.#buckets.get(bucket.id);
    if (!b) {
      const tag = `${this.#o.prefix}{${sha(bucket.id, 'sha256').slice(0, 32)}}`;
      b = { keys: [`${tag}:held`, `${tag}:ends`, `${tag}:state`], polls: 0 };
      this.#buckets.set(bucket.id, b);
    }
    // The limits travel with each call: processes configured alike share one count; a
    // process with stricter limits applies them to its own grants.
    b.argv = [bucket.kind, bucket.limit, bucket.windowMs, bucket.burst ?? bucket.limit];
    return b;
  }

  #checkOpen() {
    if (this.#closed) throw new RedisStoreError('signalkit/redis: this store was closed (store.close()); make a new one', { code: 'redis_closed' });
  }

  #connect() {
    const { target, commandTimeoutMs } = this.#o;
    if (target.adapted) return Promise.resolve(target.adapted);
    const connecting = connectUrl(target.url, { connectTimeoutMs: commandTimeoutMs });
    connecting.catch(() => { if (this.#connection === connecting) this.#connection = null; }); // try again next time
    return connecting;
  }

  async #run(name, b, extra) {
    this.#stats[name] += 1;
    this.#connection ??= this.#connect();
    const connection = await this.#connection;
    const args = [...b.keys, ...b.argv, ...extra];
    const script = SCRIPT[name];
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${this.#o.commandTimeoutMs} ms (commandTimeoutMs)`), { timedOut: true })), this.#o.commandTimeoutMs);
    });
    const call = (async () => {
      try {
        return await connection.send(['EVALSHA', script.sha1, 3, ...args]);
      } catch (err) {
        if (!/NOSCRIPT/.test(String(err?.message))) throw err;
        return connection.send(['EVAL', script.text, 3, ...args]); // loads it for the next EVALSHA
      }
    })();
    this.#running.add(call);
    call.then(() => this.#running.delete(call), () => this.#running.delete(call));
    try {
      const reply = await Promise.race([call, timeout]);
      this.#warned.clear();
      if (this.#downUntil !== 0) {
        this.#downUntil = 0;
        this.#o.log('info', `signalkit/redis: Redis (${connection.describe}) answers again; the fleet shares one count again`);
      }
      return reply;
    } catch (err) {
      throw this.#wrap(err, connection, name);
    } finally {
      clearTimeout(timer);
      call.catch(() => {}); // settled after a timeout: already reported
    }
  }

  #wrap(err, connection, name) {
    if (REPLY_ERRORS.has(err?.name) || REPLY_ERRORS.has(err?.constructor?.name)) {
      return new RedisStoreError(`signalkit/redis: Redis refused the ${name} script: ${err.message}`, { code: 'redis_error', cause: err });
    }
    // The client's own connection error says more than the command's ("Connection is closed.").
    const last = connection.lastError?.()?.message;
    const why = err?.timedOut ? `${err.message}${last ? `; last connection error: ${last}` : ''}` : (last ?? err?.message);
    return new RedisStoreError(`signalkit/redis: Redis (${connection.describe}) is unavailable (${why}). The request was not sent, `
      + 'as the shared rate limit could not be checked; try again once Redis is back, or create the store with '
      + "{fallback: 'local'} to count in each process meanwhile.", { code: 'redis_unavailable', cause: err });
  }
}

