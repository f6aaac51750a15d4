// Types for signalkit/redis: the clients' rate limits shared through Redis (docs/ratelimit.md).
// Structural types for the Redis clients, so that the declarations need neither ioredis nor
// redis installed.
import { SignalkitError, type RateLimitStore } from './index.js';

/** An ioredis client (or Cluster): what the store uses of it. */
export interface IoredisLike {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  defineCommand(name: string, definition: object): void;
}
/** A connected node-redis client (`redis` on npm): what the store uses of it. */
export interface NodeRedisLike {
  sendCommand(args: string[]): Promise<unknown>;
}

export type RedisConnection =
  /** The store makes its own client (ioredis if installed, else redis) and closes it on close(). */
  | { url: string; client?: never }
  /** Your client: you connect and close it. */
  | { client: IoredisLike | NodeRedisLike; url?: never };

export interface RedisStoreOptions {
  /** Start of every key (default 'signalkit:ratelimit:'); no `{` or `}`. */
  prefix?: string;
  /** A permit's lease is the request's timeout plus this (default 5000 ms). */
  leaseMarginMs?: number;
  /** The lease of a request without a timeout, before the margin (default 60000 ms); renewed while it runs. */
  defaultLeaseMs?: number;
  /** Longest wait between two tries while every permit is in flight elsewhere (default 1000 ms). */
  maxPollMs?: number;
  /** A Redis call without an answer in this time counts as Redis unavailable (default 2000 ms). */
  commandTimeoutMs?: number;
  /** 'local': while Redis is unavailable, count in each process (one warning per outage). Default: calls fail with RedisStoreError. */
  fallback?: 'local';
  /** Warnings and notices; default: warnings to console.warn. false: silent. */
  logger?: false | ((level: 'info' | 'warn', message: string) => void) | { info?: (message: string) => void; warn?: (message: string) => void; log?: (message: string) => void };
}

/** Counters of what the store asked Redis and what it answered. */
export interface RedisStoreStats {
  acquire: number;
  release: number;
  pause: number;
  observe: number;
  renew: number;
  /** Permits Redis granted. */
  granted: number;
  /** acquire() answers that said to wait. */
  waited: number;
  /** …of which because every permit was in flight (asked again after a backoff). */
  polled: number;
  /** Permits counted in this process while Redis was down (fallback: 'local'). */
  localAcquire: number;
  /** Outages seen (fallback: 'local'). */
  outages: number;
}

export interface RedisStore extends RateLimitStore {
  stats(): RedisStoreStats;
  /** Stops renewing leases; closes the client the store made for a URL (yours stays open). */
  close(): Promise<void>;
}

export function redisStore(connection: RedisConnection, options?: RedisStoreOptions): RedisStore;

/** Redis could not be reached in time ('redis_unavailable'), refused a script ('redis_error'), no client package is installed ('redis_client_missing'), or the store was closed ('redis_closed'). A call that gets it was not sent. */
export class RedisStoreError extends SignalkitError {
  code: 'redis_unavailable' | 'redis_error' | 'redis_client_missing' | 'redis_closed';
}
