// Types for signalkit/webhooks: receiving Puffle's webhooks (docs/webhooks.md).
// Structural types only for the transports, so the declarations need neither @types/node
// nor a DOM lib beyond the Fetch API's Request and Response.
import { SignalkitError, type PuffleSource } from './index.js';

// ---------------------------------------------------------------------------------------
// Events

/** `signal.detected`: a new signal in the caller's feed. */
export interface SignalDetectedData {
  /** The signal's id (as in the feed). */
  id: string;
  /** The label of the signal type that found it. */
  signal_type_label: string;
  headline: string;
  /** 0–100. */
  score: number;
  /** A source id; may be newer than `PuffleSource`. */
  source: PuffleSource | (string & {});
  /** ISO 8601. */
  detected_at: string;
}

/** `research.complete`: research on a person finished. */
export interface ResearchCompleteData {
  id: string;
  first_name: string;
  last_name: string;
  company: string;
  icp_score: number;
  report_url: string;
}

/** `research.failed`: Puffle does not document its data. */
export interface ResearchFailedData {
  [key: string]: unknown;
}

/** What every verified event carries. */
export interface WebhookEventBase<Type extends string, Data> {
  /** The delivery id (`svix-id`): the same on every retry of one delivery. */
  id: string;
  type: Type;
  /** The envelope's timestamp, as sent (ISO 8601). */
  timestamp: string;
  data: Data;
}

export type SignalDetectedEvent = WebhookEventBase<'signal.detected', SignalDetectedData>;
export type ResearchCompleteEvent = WebhookEventBase<'research.complete', ResearchCompleteData>;
export type ResearchFailedEvent = WebhookEventBase<'research.failed', ResearchFailedData>;

/** The events Puffle documents; `isKnownEvent` narrows to this union. */
export type KnownWebhookEvent = SignalDetectedEvent | ResearchCompleteEvent | ResearchFailedEvent;
export type KnownEventType = KnownWebhookEvent['type'];

/** An event of a type this version does not know, passed through as sent. */
export type UnknownWebhookEvent = WebhookEventBase<string, { [key: string]: unknown }>;

/**
 * What `verifyWebhook` returns and `onEvent` receives. Narrow with `isKnownEvent(event)`
 * first; then `switch (event.type)` types `event.data`.
 */
export type WebhookEvent = KnownWebhookEvent | UnknownWebhookEvent;

/** True when the event's type is one Puffle documents. */
export function isKnownEvent(event: WebhookEvent): event is KnownWebhookEvent;

// ---------------------------------------------------------------------------------------
// Verification

export type WebhookErrorCode =
  | 'missing_header'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'bad_secret'
  | 'invalid_payload';

/** A delivery, or the receiver's secret, failed verification. Never contains the secret. */
export class WebhookVerificationError extends SignalkitError {
  readonly code: WebhookErrorCode;
  /** The status to answer with: 400 (`missing_header`, `invalid_payload`), 401, or 500 (`bad_secret`). */
  readonly status: 400 | 401 | 500;
}

/** The raw body exactly as received: never parsed JSON. */
export type WebhookBody = string | Uint8Array | ArrayBuffer;

/** Node's `req.headers` (or any object of header names), or a Fetch-API `Headers`. */
export type WebhookHeaders =
  | { get(name: string): string | null }
  | { readonly [name: string]: string | readonly string[] | undefined };

export interface VerifyWebhookOptions {
  /** How far `svix-timestamp` may be from `now`, either way, in seconds (default 300). */
  toleranceSec?: number;
  /** The current time (default the clock): a Date or epoch milliseconds. */
  now?: Date | number;
}

/**
 * Verifies one delivery's signature (Standard Webhooks, through the `standardwebhooks`
 * library) and timestamp, and returns its event.
 * @throws WebhookVerificationError with a stable `code`
 * @throws TypeError for a parsed (non-raw) body, missing headers object or bad option
 */
export function verifyWebhook(
  rawBody: WebhookBody,
  headers: WebhookHeaders,
  secret: string,
  options?: VerifyWebhookOptions,
): WebhookEvent;

// ---------------------------------------------------------------------------------------
// Handler

/** Outcome of `claim`: run the handler, or someone is running it, or it already ran. */
export type DedupeClaim = 'claimed' | 'processing' | 'handled';

/**
 * Where delivery ids are recorded. Implement it over shared storage (e.g. Redis) when several
 * processes receive webhooks; docs/webhooks.md maps each method to Redis commands.
 */
export interface WebhookDedupeStore {
  /**
   * Atomically: if `id` is unknown (or its claim lapsed), claim it for `leaseMs` and return
   * 'claimed'; otherwise say whether it is being handled or was handled.
   */
  claim(id: string, leaseMs: number): Promise<DedupeClaim>;
  /** The handler succeeded: remember `id` as handled for `windowMs`. */
  complete(id: string, windowMs: number): Promise<void>;
  /** The handler failed: drop the claim, so the sender's retry runs it again. */
  release(id: string): Promise<void>;
}

export interface MemoryDedupeStoreOptions {
  /** Most ids held, claims and handled together (default 10,000); oldest handled ids go first. */
  maxEntries?: number;
  /** Clock in epoch milliseconds (default Date.now), for tests. */
  now?: () => number;
}

/** The default store: this process's memory, bounded. */
export function memoryDedupeStore(options?: MemoryDedupeStoreOptions): WebhookDedupeStore & { readonly size: number };

export interface WebhookDedupeOptions {
  /** Default: a `memoryDedupeStore()` of this handler. */
  store?: WebhookDedupeStore;
  /** How long a handled id is remembered, in ms (default 48 hours). */
  windowMs?: number;
  /** How long a claim holds while onEvent runs, in ms (default 60 seconds). */
  leaseMs?: number;
}

/** Why a delivery was not acknowledged, as `onError` hears it. */
export interface WebhookErrorContext {
  code: 'handler_failed' | 'dedupe_unavailable' | 'raw_body_required' | 'internal_error' | 'on_error_failed';
  /** The delivery id, once verified. */
  id: string | undefined;
  type: string | undefined;
}

export interface WebhookHandlerOptions {
  /** The endpoint's signing secret, `whsec_…`. */
  secret: string;
  /** Runs once per delivery. Throw (or reject) to answer 500, so that Puffle retries. */
  onEvent: (event: WebhookEvent) => void | Promise<void>;
  /** Default 300 seconds. */
  toleranceSec?: number;
  dedupe?: WebhookDedupeOptions;
  /** Largest body read, in bytes (default 1 MiB); larger gets 413. */
  maxBodyBytes?: number;
  /** Told about failures the sender cannot see (default: console.error). */
  onError?: (error: unknown, context: WebhookErrorContext) => void;
}

/** The parts of Node's IncomingMessage (and Express's Request) the handler uses. */
export interface NodeWebhookRequest {
  method?: string | undefined;
  headers: { readonly [name: string]: string | readonly string[] | undefined };
  /** A raw body already read (express.raw): Buffer or string. A parsed object is refused. */
  body?: unknown;
  readonly readableEnded?: boolean;
  readonly readableDidRead?: boolean;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  pause(): unknown;
  destroy(): unknown;
}

/** The parts of Node's ServerResponse (and Express's Response) the handler uses. */
export interface NodeWebhookResponse {
  statusCode: number;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  setHeader(name: string, value: string): unknown;
  on(event: 'finish', listener: () => void): unknown;
  end(body: string): unknown;
}

/**
 * A receiver with two front doors: call it as `(req, res)` (Node http, Express), or use
 * `.fetch(request)` (Workers, Deno, Bun, any Fetch-API server). Answers: 200 (also for a
 * delivery already handled), 400/401 verification failures, 405, 409 (the same delivery is
 * being handled right now), 413, 500 (onEvent threw: the sender retries).
 */
export interface WebhookHandler {
  (req: NodeWebhookRequest, res: NodeWebhookResponse): Promise<void>;
  fetch(request: Request): Promise<Response>;
}

export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler;
