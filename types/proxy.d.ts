// Types for signalkit/proxy: a server-side handler that keeps the API keys on the server
// (docs/widgets.md#the-proxy). Structural types for Node's http objects, so the declarations
// need neither @types/node nor Express.
import type { ClientLogger, Engine, PuffleClientOptions, SaberClientOptions } from './index.js';

/** Every operation a proxy can serve; `allow` names them, or `<provider>.<resource>.*`. */
export type ProxyOperation =
  | 'puffle.signalType.list' | 'puffle.signalType.create' | 'puffle.signalType.get' | 'puffle.signalType.update'
  | 'puffle.signalType.delete' | 'puffle.signalType.reset' | 'puffle.signalType.generate'
  | 'puffle.signalTypeSource.list' | 'puffle.signalTypeSource.update'
  | 'puffle.signal.list' | 'puffle.signal.dismiss' | 'puffle.signal.feedback'
  | 'puffle.onboarding.start' | 'puffle.onboarding.status' | 'puffle.context.get' | 'puffle.context.set'
  | 'saber.template.list' | 'saber.template.create' | 'saber.template.get' | 'saber.template.update' | 'saber.template.delete'
  | 'saber.companySignal.list' | 'saber.companySignal.create' | 'saber.companySignal.sync' | 'saber.companySignal.get';
export type ProxyAllowName = ProxyOperation
  | 'puffle.signalType.*' | 'puffle.signalTypeSource.*' | 'puffle.signal.*' | 'puffle.onboarding.*' | 'puffle.context.*'
  | 'saber.template.*' | 'saber.companySignal.*';

/** An origin (`https://www.example.com`), `'null'` (file:// pages: local development only) or `'*'` alone. */
export type ProxyOrigin = string;

export interface ProxyOptions {
  /** Puffle key (pk_live_…); Puffle operations are served only when given. */
  puffleKey?: string;
  /** Saber key (sk_live_…). */
  saberKey?: string;
  /** Where Puffle is (default: the vendor; the emulator's `puffleBaseUrl` in development). */
  puffleBaseUrl?: string;
  saberBaseUrl?: string;
  /** Default: reading types and templates (`DEFAULT_ALLOW`, for the providers whose key is given). */
  allow?: ProxyAllowName[];
  /** Other sites' pages that may call the proxy (same-origin pages always may). Default: none. */
  cors?: false | ProxyOrigin | ProxyOrigin[] | { origins: ProxyOrigin | ProxyOrigin[]; credentials?: boolean; maxAge?: number };
  /** Your own check (a session, a token): true lets the request through, false answers 401, a Response is answered as is. */
  authorize?: (request: Request, info: { operation: ProxyOperation }) => boolean | Response | Promise<boolean | Response>;
  /** The path the proxy is mounted at, as the browser sees it (`'/signalkit'`). Default: ''. */
  basePath?: string;
  /** Operations forwarded at once; more are answered 503 `proxy_busy`. Default 64. */
  maxConcurrent?: number;
  /** An engine already loaded (default: loadEngine() on the first request). */
  engine?: Engine | Promise<Engine>;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** ms per upstream attempt. */
  timeout?: number;
  maxRetries?: number;
  /** PuffleClient's rateLimit (`{ store: redisStore(…) }` when several proxy processes share the key). */
  puffleRateLimit?: PuffleClientOptions['rateLimit'];
  saberRateLimit?: SaberClientOptions['rateLimit'];
  logger?: ClientLogger;
}

/** The proxy: a Fetch API handler for Workers, Deno, Bun and Next.js route handlers. */
export interface SignalkitProxy {
  (request: Request): Promise<Response>;
  /** The operations this proxy serves. */
  readonly allowed: readonly ProxyOperation[];
}

/** Builds the proxy. Throws a TypeError for a missing or malformed key, an unknown option or operation. */
export function createProxy(options: ProxyOptions): SignalkitProxy;

/** The parts of Node's IncomingMessage and ServerResponse the Node handler uses. */
export interface NodeRequestLike {
  method?: string | undefined;
  url?: string | undefined;
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  [key: string]: any;
}
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string | number | readonly string[]): unknown;
  end(chunk?: Uint8Array): unknown;
  [key: string]: any;
}
/** `(req, res) => Promise<void>` for `http.createServer()` and Express (`app.use('/signalkit', handler)`). */
export function toNodeHandler(proxy: (request: Request) => Promise<Response>): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void>;

/** What a proxy allows when `allow` is not given. */
export const DEFAULT_ALLOW: readonly ProxyOperation[];
export const DEFAULT_MAX_CONCURRENT: number;
export const OPERATIONS: ReadonlyArray<{
  readonly name: ProxyOperation;
  readonly provider: 'puffle' | 'saber';
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Below the mount point: `/puffle/api/v1/signals/types/{id}`. */
  readonly path: string;
  readonly input: 'body' | 'query' | 'none';
  readonly status: number;
  /** The engine's validation kind of the request (the name, but a sync's body is `saber.companySignal.create`'s). */
  readonly kind: string;
}>;
