// Type-level usage of signalkit/redis and of the rate-limit store interface, through the
// package's "exports" (as users import them). Checked by `tsc --noEmit -p tests/types`;
// never executed. The @ts-expect-error lines fail the check if the declarations loosen.
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { memoryStore, PuffleClient, SaberClient, SignalkitError, type RateLimitBucket, type RateLimitStore } from 'signalkit';
import { redisStore, RedisStoreError, type RedisStore, type RedisStoreStats } from 'signalkit/redis';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function assertType<T extends true>(): void {}

async function usage(): Promise<void> {
  const store = redisStore({ url: 'redis://127.0.0.1:6379' }, { prefix: 'app:', leaseMarginMs: 5000, fallback: 'local' });
  const fromIoredis = redisStore({ client: new Redis() });
  const fromNodeRedis = redisStore({ client: await createClient().connect() }, { logger: (level, message) => void `${level} ${message}` });
  const puffle = new PuffleClient({ apiKey: 'pk_live_x', rateLimit: { store } });
  const saber = new SaberClient({ apiKey: 'sk_live_x', rateLimit: { store: fromIoredis, write: { limit: 100 } } });
  void puffle;
  void saber;
  const stats = store.stats();
  assertType<Equal<typeof stats, RedisStoreStats>>();
  await Promise.all([store.close(), fromIoredis.close(), fromNodeRedis.close()]);

  try {
    await puffle.signalTypes.list();
  } catch (err) {
    if (err instanceof RedisStoreError) {
      const code: 'redis_unavailable' | 'redis_error' | 'redis_client_missing' | 'redis_closed' = err.code;
      const base: SignalkitError = err;
      void code;
      void base;
    }
  }

  // @ts-expect-error one of url and client, not both
  redisStore({ url: 'redis://x', client: new Redis() });
  // @ts-expect-error a connection is required
  redisStore();
  // @ts-expect-error fallback is 'local' or left out
  redisStore({ url: 'redis://x' }, { fallback: 'memory' });
  // @ts-expect-error a client must be a Redis client
  redisStore({ client: {} });
}

// A store of your own: counts nothing, always grants (a test double, say).
const permissive: RateLimitStore<number> = {
  acquire: (bucket: RateLimitBucket) => ({ permit: bucket.kind === 'window' ? bucket.limit : bucket.burst }),
  release: () => {},
  pause: async () => {},
};
const stores: RateLimitStore[] = [permissive, memoryStore(), redisStore({ url: 'redis://x' }) satisfies RedisStore];
void stores;
// @ts-expect-error acquire must answer {permit} or {waitMs}
const wrong: RateLimitStore = { acquire: () => ({ ok: true }), release: () => {}, pause: () => {} };
void wrong;
void usage;
