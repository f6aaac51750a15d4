// One way to send a command to Redis through either maintained client: ioredis or node-redis
// (`redis` on npm), both optional peer dependencies. A client the caller passes is used as it
// is (the caller connects and closes it); a URL gets a client of our own, made to fail fast
// while Redis is down rather than queue commands, so callers get an answer in time.
import { RedisStoreError } from './errors.js';

/** The URL with any password replaced, for messages. */
export function safeUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.href;
  } catch {
    return '(an unparsable URL)';
  }
}

/** `send(args) -> Promise<reply>` over a client the caller made (ioredis or node-redis). */
export function adaptClient(client) {
  if (client && typeof client.call === 'function' && typeof client.defineCommand === 'function') {
    return { send: (args) => client.call(...args), describe: 'the given ioredis client' };
  }
  if (client && typeof client.sendCommand === 'function') {
    return { send: (args) => client.sendCommand(args.map(String)), describe: 'the given redis client' };
  }
  return null;
}

// The name is a variable on purpose: a bundler that meets import('ioredis') tries to bundle
// it, and fails when it is not installed; this module is for Node, which resolves it at run time.
async function importOptional(name) {
  try {
    return await import(name);
  } catch (err) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') return null;
    throw err;
  }
}

/**
 * A client of our own for `url`: ioredis when installed, else node-redis. Resolves with
 * {send, close, describe}; `send` rejects at once while the connection is down.
 */
export async function connectUrl(url, { connectTimeoutMs }) {
  const shown = safeUrl(url);
  let lastError = null;
  const ioredis = await importOptional('ioredis');
  if (ioredis) {
    const Redis = ioredis.default ?? ioredis.Redis;
    const client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,   // fail at once while disconnected
      maxRetriesPerRequest: 1,
      connectTimeout: connectTimeoutMs,
      retryStrategy: (times) => Math.min(100 * times, 1000),
      disconnectTimeout: connectTimeoutMs, // close() waits this long at most for a dead server's socket
    });
    client.on('error', (err) => { lastError = err; }); // else ioredis prints each reconnect failure
    client.on('close', () => { lastError ??= new Error('the connection was closed'); });
    client.on('ready', () => { lastError = null; });
    let connecting = null; // a connect() we started: commands wait for it, once
    const ensure = () => {
      if (client.status === 'ready') return null;
      if (connecting) return connecting;
      if (client.status === 'wait' || client.status === 'end') {
        connecting ??= client.connect().finally(() => { connecting = null; });
        return connecting;
      }
      return null; // connecting or reconnecting: the command fails fast, ioredis keeps trying
    };
    return {
      describe: shown,
      lastError: () => lastError,
      async send(args) {
        await ensure();
        return client.call(...args);
      },
      async close() {
        try {
          // A polite QUIT when the connection looks up; it may still be going away (Redis
          // restarting), and then the disconnect below is all that closing needs.
          if (client.status === 'ready') await client.quit().catch(() => {});
        } finally {
          client.disconnect();
        }
      },
    };
  }
  const redis = await importOptional('redis');
  if (redis) {
    const client = redis.createClient({
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: (retries) => Math.min(100 * (retries + 1), 1000) },
    });
    client.on('error', (err) => { lastError = err; });
    client.on('end', () => { lastError ??= new Error('the connection was closed'); });
    client.on('ready', () => { lastError = null; });
    let connecting = null; // the first connect(): node-redis then reconnects by itself
    let waited = false;
    return {
      describe: shown,
      lastError: () => lastError,
      async send(args) {
        if (!client.isOpen) connecting ??= client.connect().catch((err) => { connecting = null; throw err; });
        if (!client.isReady && !waited) {
          // The first command waits for the first connection (node-redis keeps retrying
          // rather than failing); later ones fail at once while Redis is down.
          waited = true;
          await Promise.race([connecting, new Promise((r) => setTimeout(r, connectTimeoutMs).unref())]);
        }
        return client.sendCommand(args.map(String));
      },
      async close() {
        if (!client.isOpen) return;
        if (!client.isReady) (client.destroy ?? client.disconnect).call(client); // stop reconnecting
        else {
          // Ready may still be going away (Redis restarting): then a forced close is enough.
          try {
            if (typeof client.close === 'function') await client.close(); // node-redis 5+
            else await client.quit();
          } catch {
            if (client.isOpen) (client.destroy ?? client.disconnect).call(client);
          }
        }
      },
    };
  }
  throw new RedisStoreError('signalkit/redis needs a Redis client: install ioredis (npm install ioredis) or redis (npm install redis)', { code: 'redis_client_missing' });
}
