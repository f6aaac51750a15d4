// Types for signalkit/emulator (docs/emulator.md).
import type { Engine } from './index.js';

export interface EmulatorRateLimits {
  puffle?: { perMinute?: number; windowMs?: number } | false;
  saber?: {
    write?: { perMinute?: number; burst?: number } | false;
    read?: { perMinute?: number; burst?: number } | false;
  } | false;
  [key: string]: unknown;
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
  /** Persist state to this JSON file (atomic replace after each acknowledged write). */
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
  timeouts?: { headersMs?: number; requestMs?: number; bodyMs?: number };
  /** Answer browsers: true allows any origin, a string one origin. */
  cors?: boolean | string;
  /** Most keys (tenants) per provider; more get 403 (default 1000). */
  maxTenants?: number;
  /** An already loaded engine (default: loadEngine()). */
  engine?: Engine;
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
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, unknown>>;
export const FAULT_TYPES: readonly string[];
