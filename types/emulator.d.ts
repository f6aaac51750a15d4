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
  /** How long a simulated onboarding session spends in each status, in ms (default 1500). */
  onboardingStepMs?: number;
  /** How long simulated company research takes in ms, or a [min, max] range picked per domain and question (default [1000, 4000]). */
  researchDelayMs?: number | [number, number];
  /**
   * Check every response, and every Puffle webhook event, against the vendor's OpenAPI
   * document (needs ajv and ajv-formats); a response that breaks it is answered 500 naming the
   * violations, an event is not sent; both are logged and listed in `contractViolations`.
   * Default false.
   */
  strictResponses?: boolean;
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
  /** Per-key quotas and the state's budget (DEFAULT_QUOTAS); a write past one gets 403 (Saber errorCode QUOTA_EXCEEDED). */
  quotas?: Partial<EmulatorQuotas>;
  /** Answer browsers: true allows any origin, a string one origin. */
  cors?: boolean | string;
  /** Most keys (tenants) per provider; more get 403 (default 1000). */
  maxTenants?: number;
  /** Puffle's webhook deliveries (docs/emulator.md, "Webhooks"). */
  webhooks?: EmulatorWebhookOptions;
  /**
   * Saber's webhookUrl deliveries (a finished company signal POSTed once, retried at once and
   * after 5 s, 30 s, 2 min and 10 min): `retryScale` multiplies those waits (0-1, tests: 0.001),
   * `timeoutMs` bounds one attempt (15000), `maxLog` is the deliveries each key's log keeps (1000).
   */
  signalWebhooks?: { retryScale?: number; timeoutMs?: number; maxLog?: number };
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

/** How the emulator sends Puffle's webhooks. */
export interface EmulatorWebhookOptions {
  /**
   * Multiplies the waits of Svix's retry schedule (immediately, 5 s, 5 min, 30 min, 2 h, 5 h,
   * 10 h, 10 h): 1 (default) is Svix's, 0.001 turns minutes into tenths of a second. 0 to 1.
   */
  retryScale?: number;
  /** How long an attempt waits for the endpoint's answer, in ms (default 15000, as Svix). */
  timeoutMs?: number;
  /** Deliveries each key's log keeps (default 1000). */
  maxLog?: number;
}

/** A response (or webhook event) the emulator was about to send that its vendor's OpenAPI document does not allow. */
export interface ContractViolation {
  /** `METHOD /path`, or `webhook <event type>`. */
  request: string;
  /** The status it would have had; null for a webhook event. */
  status: number | null;
  /** Each way it breaks the document: `field` a JSON pointer into the body ("" for the response). */
  violations: Array<{ field: string; message: string }>;
  message: string;
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
  /** With strictResponses: every response (answered 500 instead) and event (not sent) that broke its document. */
  readonly contractViolations: ContractViolation[];
  /** Every request the rate limiter counted (the last 10,000), oldest first; empty with rateLimits: false. */
  rateLimitLog(): RateLimitLogEntry[];
  /** Stops the server, pending generation runs and webhook retries; idempotent. */
  close(): Promise<void>;
}

export interface RateLimitLogEntry {
  /** When the request was counted (ms since the epoch). */
  at: number;
  provider: 'puffle' | 'saber';
  bucket: 'puffle' | 'saberWrite' | 'saberRead';
  /** The key's tenant id (a hash, never the key). */
  tenant: string;
  method: string;
  /** false: answered 429. */
  ok: boolean;
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
