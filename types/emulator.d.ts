// Types for signalkit/emulator (docs/emulator.md).
import type { Engine } from './index.js';

/** A token bucket per key: `burst` requests at once, refilled at `limit` per `windowMs`. */
export interface EmulatorBucket {
  limit?: number;
  windowMs?: number;
  /** Default: the documented burst, scaled with `limit` when only `limit` is given. */
  burst?: number;
}

/** Overrides of the documented per-key limits (DEFAULT_RATE_LIMITS). */
export interface EmulatorRateLimits {
  /** Every Puffle call. Default {limit: 100, windowMs: 60000, burst: 100}. */
  puffle?: EmulatorBucket;
  /** Saber POST, PUT, PATCH, DELETE. Default {limit: 2000, windowMs: 60000, burst: 400}. */
  saberWrite?: EmulatorBucket;
  /** Saber reads. Default {limit: 100000, windowMs: 60000, burst: 10000}. */
  saberRead?: EmulatorBucket;
  /** Which of Saber's two documented 429 bodies to send; 'alternate' (default) takes turns per key. */
  saber429Shape?: 'alternate' | 'envelope' | 'plain';
}

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Delay of a simulated generation run in ms, or a [min, max] range (default 3000). */
  generateDelayMs?: number | [number, number];
  /** Fault mode: true, or {seed?, rules?} (docs/emulator.md). */
  faults?: true | { seed?: number | string; rules?: unknown[] };
  /** Persist state to this file and its journal (each write durable before it is answered). */
  dataFile?: string;
  /** Override or disable (false) the per-key rate limits. */
  rateLimits?: false | EmulatorRateLimits;
  /** Seeds built-in ids, the feed and faults (default 'signalkit'). */
  seed?: number | string;
  /** The feed covers the 30 days before this instant (default: start time). */
  feedAnchor?: Date | string | number;
  /** Accept only these keys (default: any well-formed key). */
  keys?: string[];
  /** (level, message) or {info, warn, error}; keys are masked. */
  logger?: ((level: string, message: string) => void) | { info?: Function; warn?: Function; error?: Function };
  /**
   * Slow-client deadlines in ms: a request's headers (also a new connection's first request),
   * the whole request, its body, and an idle keep-alive connection
   * (default {headersMs: 10000, requestMs: 30000, bodyMs: 10000, idleMs: 5000}).
   */
  timeouts?: { headersMs?: number; requestMs?: number; bodyMs?: number; idleMs?: number };
  /** Open connections in all (default 512); past it the oldest idle one is closed. */
  maxConnections?: number;
  /** Open connections from one address (default 256); past it that address's oldest idle one is closed. */
  maxConnectionsPerClient?: number;
  /** Per-key quotas and the state's budget (DEFAULT_QUOTAS); a write past one gets 403 quota_exceeded. */
  quotas?: Partial<EmulatorQuotas>;
  /** Answer browsers: true allows any origin, a string one origin. */
  cors?: boolean | string;
  /** Most keys (tenants) per provider; more get 403 (default 1000). */
  maxTenants?: number;
  /** An already loaded engine (default: loadEngine()). */
  engine?: Engine;
}

export interface EmulatorQuotas {
  /** Saber templates per key, deleted ones included (default 1000). */
  templates: number;
  /** Saber template versions per key (default 10000). */
  versions: number;
  /** Puffle generation runs in progress per key (default 20). */
  generationRuns: number;
  /** Bytes of JSON one key's data may take (default 8 MiB). */
  tenantBytes: number;
  /** Bytes of JSON every key's data may take together (default 256 MiB). */
  stateBytes: number;
}

export interface RunningEmulator {
  url: string;
  port: number;
  /** `${url}/api/v1` */
  puffleBaseUrl: string;
  /** `${url}/v1` */
  saberBaseUrl: string;
  /** Two ready-made development keys (derived from the seed). */
  devKeys: { puffle: string; saber: string };
  /** Stops the server and pending generation runs; idempotent. */
  close(): Promise<void>;
}

export function startEmulator(options?: EmulatorOptions): Promise<RunningEmulator>;
export function devKeys(seed?: string): { puffle: string; saber: string };
export const DEFAULT_RATE_LIMITS: Readonly<{
  puffle: Required<EmulatorBucket>;
  saberWrite: Required<EmulatorBucket>;
  saberRead: Required<EmulatorBucket>;
  saber429Shape: 'alternate' | 'envelope' | 'plain';
}>;
export const FAULT_TYPES: readonly string[];
export const DEFAULT_QUOTAS: Readonly<EmulatorQuotas>;
