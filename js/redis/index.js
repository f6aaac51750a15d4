// signalkit/redis — the clients' rate limits shared through Redis by every process that uses
// one API key: `rateLimit: { store: redisStore({ url }) }`. Needs ioredis or redis (optional
// peer dependencies, imported only when the store first connects). docs/ratelimit.md.
export { redisStore } from './store.js';
export { RedisStoreError } from './errors.js';
