// The one request core both clients share: validate with the engine -> wait for the rate
// limiter -> fetch with a per-attempt timeout and the caller's signal -> map the answer to
// a value or a typed error -> retry when the method and the failure allow it.
//
// The API key lives in a private field and leaves it only inside the Authorization header
// handed to fetch. Everything else (hooks, logs, errors, inspect, JSON) sees `maskedKey`.
import { jsonText } from '../boundary.js';
import { loadEngine } from '../load.js';
import {
  AbortError, ApiError, AuthenticationError, ConflictError, NetworkError, NotFoundError,
  PermissionError, PreconditionError, RateLimitError, ServerError, SignalkitError, TimeoutError,
  ValidationError,
} from '../errors.js';
import { bucketSpec, limiterFor } from './ratelimit.js';
import { KeyRedactor, NO_KEY_REDACTOR } from './redact.js';
import { makeLogger } from '../util/logger.js';
import { checkOptions } from '../util/options.js';
import { sleep } from '../util/sleep.js';

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
// Connection errors that prove nothing reached the server: safe to retry any call.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
const MAX_RAW_BODY = 64 * 1024;
// An error body longer than this is not parsed (nor searched for the key past MAX_RAW_BODY).
const MAX_ERROR_BODY = 1024 * 1024;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
/** What `new PuffleClient(options)` and `new SaberClient(options)` take (README, "Options"). */
const CLIENT_OPTIONS = Object.freeze([
  'apiKey', 'baseUrl', 'fetch', 'timeout', 'maxRetries', 'retryBaseDelayMs', 'retryMaxDelayMs', 'maxRetryAfterMs',
  'hooks', 'logger', 'rateLimit', 'engine', 'dangerouslyAllowBrowser', 'proxy',
]);

const DEFAULTS = Object.freeze({
  timeout: 60_000,
  maxRetries: 2,
  retryBaseDelayMs: 500,
  retryMaxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
});

/**
 * A short non-cryptographic fingerprint (FNV-1a, 2x32 bit) so the raw key is never a map key
 * and never reaches a rate-limit store (signalkit/redis hashes the bucket id once more).
 */
function fingerprint(text) {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0).toString(16) + (b >>> 0).toString(16);
}

function isBrowserLike() {
  // Like other SDKs: a DOM (a browser, or jsdom in tests) means the key would reach visitors.
  return typeof window !== 'undefined' && typeof document !== 'undefined';
}

/** Checks a base URL: https, or http only on the local machine; no credentials. */
function checkBaseUrl(text, provider) {
  let url;
  try {
    url = new URL(String(text));
  } catch {
    throw new TypeError(`${provider} baseUrl is not a valid absolute URL (got ${JSON.stringify(String(text).slice(0, 100))})`);
  }
  if (url.username || url.password) {
    throw new TypeError(`${provider} baseUrl must not carry credentials; pass the key as apiKey`);
  }
  const local = LOCAL_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new TypeError(`${provider} baseUrl must use https (http is allowed only for localhost, 127.0.0.1 and [::1]); got ${url.protocol}//${url.host}`);
  }
  if (url.search || url.hash) throw new TypeError(`${provider} baseUrl must not have a query or fragment`);
  return url.href.replace(/\/+$/, '');
}

/** A proxy URL as given (absolute, or relative to the page in a browser), without a trailing slash. */
function proxyUrl(proxy, provider) {
  let url;
  try {
    url = new URL(proxy, isBrowserLike() ? document.baseURI : undefined);
  } catch {
    throw new TypeError(`${provider}Client: proxy is not a valid URL (got ${JSON.stringify(proxy.slice(0, 100))}); give an absolute URL, or a path in a page`);
  }
  return url.href.replace(/\/+$/, '');
}

function checkNonNegative(value, name, { integer = false } = {}) {
  if (value === undefined) return;
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0 && (!integer || Number.isInteger(value)))) {
    throw new TypeError(`${name} must be a non-negative ${integer ? 'integer' : 'number'} (got ${JSON.stringify(value)})`);
  }
}

function str(v) {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** `[{field, message, code?}]` from a server's field list, with codes from `issues` when given. */
function normalizeFields(fields, issues) {
  const list = Array.isArray(fields) ? fields : Array.isArray(issues) ? issues : [];
  const codes = Array.isArray(issues) ? issues : [];
  return list.slice(0, 1000).map((f, i) => {
    if (typeof f === 'string') return { field: '', message: f };
    if (!f || typeof f !== 'object') return { field: '', message: String(f) };
    const field = str(f.field) ?? str(f.path) ?? str(f.name) ?? (typeof f.field === 'string' ? f.field : '');
    const out = { field, message: str(f.message) ?? str(f.msg) ?? '' };
    const code = str(f.code) ?? str(codes[i]?.field === field ? codes[i]?.code : undefined)
      ?? str(codes.find((c) => c?.field === field)?.code);
    if (code) out.code = code;
    return out;
  });
}

/** Seconds (number or text) or an HTTP date to ms from now; undefined when unusable. */
function parseRetryAfter(value, now) {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  if (Number.isFinite(n)) return n >= 0 ? n * 1000 : undefined;
  const at = Date.parse(String(value));
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

function snippet(text) {
  const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
}

const ERROR_CLASSES = new Map([
  [401, AuthenticationError], [403, PermissionError], [404, NotFoundError], [409, ConflictError],
  [428, PreconditionError], [429, RateLimitError],
]);

/**
 * One client's request core. `provider` is what differs between Puffle and Saber: the
 * vendor's facts (js/vendors/: name, baseUrl, key, errorCode, rateLimitWaitMs?) plus
 * `limiters(rateLimit) -> {classOf, store, buckets: {class: {kind, limits, where}}}`,
 * `hints?: {<status>: text}` (what an error's message adds for that status) and
 * `resolveBaseUrl?(url)` (the base URL requests go to, from the checked option; throws
 * TypeError for one the vendor cannot have).
 */
export class RequestCore {
  #apiKey;
  #redactor;

  constructor(provider, options = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError(`${provider.name}Client options must be an object`);
    checkOptions(`${provider.name}Client`, options, CLIENT_OPTIONS);
    this.provider = provider;
    // `proxy`: a signalkit proxy (signalkit/proxy) holds the key and adds it on the server;
    // this client then sends none, so it may run in a page.
    const proxy = options.proxy;
    if (proxy !== undefined) {
      if (options.apiKey !== undefined || options.baseUrl !== undefined || options.dangerouslyAllowBrowser !== undefined) {
        throw new TypeError(`${provider.name}Client: give proxy or apiKey (with baseUrl), not both: the proxy holds the key and knows where ${provider.name} is`);
      }
      if (typeof proxy !== 'string' || proxy === '') throw new TypeError(`${provider.name}Client: proxy must be the URL of a signalkit proxy, such as '/proxy'`);
    } else {
      const key = options.apiKey;
      const format = provider.key;
      if (typeof key !== 'string' || !format.pattern.test(key)) {
        if (key === undefined) {
          throw new TypeError(`${provider.name}Client: apiKey is missing; pass your ${provider.name} key (${format.description}), `
            + `e.g. new ${provider.name}Client({ apiKey: process.env.${provider.name.toUpperCase()}_API_KEY }), `
            + "or { proxy: '/proxy' } to go through a signalkit proxy that holds the key");
        }
        const got = typeof key !== 'string' ? `a ${key === null ? 'null' : typeof key}`
          : `a string of ${key.length} characters${key.startsWith(format.prefix) ? ` starting with ${format.prefix}` : ''}`;
        throw new TypeError(`${provider.name}Client: apiKey must be a ${provider.name} key: ${format.description} (got ${got})`);
      }
      if (isBrowserLike() && options.dangerouslyAllowBrowser !== true) {
        throw new SignalkitError(`${provider.name}Client: running in a browser would expose your API key to every visitor. `
          + 'Call the API from a server (or through a signalkit proxy: { proxy: \'/proxy\' }); if you understand the risk '
          + '(an internal tool, a key the user typed), pass { dangerouslyAllowBrowser: true }.');
      }
    }
    const key = proxy === undefined ? options.apiKey : null;
    this.#apiKey = key;
    this.maskedKey = key === null ? null : provider.key.mask(key);
    this.#redactor = key === null ? NO_KEY_REDACTOR : new KeyRedactor(key, this.maskedKey);
    // The proxy's URL scheme: each vendor's own paths below /<provider> (js/proxy/routes.js).
    this.baseUrl = proxy === undefined ? checkBaseUrl(options.baseUrl ?? provider.baseUrl, provider.name)
      : checkBaseUrl(`${proxyUrl(proxy, provider.name)}/${provider.name.toLowerCase()}${new URL(provider.baseUrl).pathname}`, provider.name);
    if (provider.resolveBaseUrl) this.baseUrl = provider.resolveBaseUrl(this.baseUrl);
    const f = options.fetch ?? globalThis.fetch;
    if (typeof f !== 'function') throw new TypeError(`${provider.name}Client: no fetch available; pass options.fetch`);
    this.fetch = options.fetch ? options.fetch : (...args) => globalThis.fetch(...args);
    checkNonNegative(options.timeout, 'timeout');
    checkNonNegative(options.maxRetries, 'maxRetries', { integer: true });
    checkNonNegative(options.retryBaseDelayMs, 'retryBaseDelayMs');
    checkNonNegative(options.retryMaxDelayMs, 'retryMaxDelayMs');
    checkNonNegative(options.maxRetryAfterMs, 'maxRetryAfterMs');
    this.timeout = options.timeout ?? DEFAULTS.timeout;
    this.maxRetries = options.maxRetries ?? DEFAULTS.maxRetries;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs;
    this.retryMaxDelayMs = options.retryMaxDelayMs ?? DEFAULTS.retryMaxDelayMs;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs;
    const hooks = checkOptions(`${provider.name}Client hooks`, options.hooks, ['onRequest', 'onResponse', 'onRetry']);
    for (const name of Object.keys(hooks)) {
      if (typeof hooks[name] !== 'function') throw new TypeError(`hooks.${name} must be a function`);
    }
    this.hooks = { ...hooks };
    this.logger = makeLogger(options.logger);
    this.engineOption = options.engine;
    this.enginePromise = null;

    // Rate limiting: per key. A bucket's id names provider, base URL, key (a fingerprint)
    // and class; everyone counting in the same store with the same id shares the count.
    const plan = provider.limiters(options.rateLimit);
    this.classOf = plan.classOf;
    this.limiters = new Map();
    for (const [cls, { kind, limits, where }] of Object.entries(plan.buckets)) {
      const id = `${provider.name}|${this.baseUrl}|${key === null ? 'proxy' : fingerprint(key)}|${cls}`;
      this.limiters.set(cls, limiterFor(plan.store, bucketSpec(id, kind, limits, where)));
    }
  }

  /** The engine (loaded once per process unless one was passed as `engine`). */
  engine() {
    if (!this.enginePromise) {
      this.enginePromise = Promise.resolve(this.engineOption ?? loadEngine()).catch((err) => {
        this.enginePromise = null;
        throw err;
      });
    }
    return this.enginePromise;
  }

  /**
   * Server-provided text without the key (some servers echo it, not always literally:
   * escaped, encoded, cut short; js/client/redact.js).
   */
  redact(text) {
    return this.#redactor.redact(text);
  }

  /** Validates without sending; throws ValidationError like request() would. */
  async check(kind, input, context) {
    const engine = await this.engine();
    const verdict = engine.validate(kind, input, context);
    if (!verdict.valid) throw new ValidationError(verdict.issues, { kind });
    return verdict;
  }

  describe() {
    return { provider: this.provider.name, baseUrl: this.baseUrl, apiKey: this.maskedKey };
  }

  /**
   * Sends one call.
   * spec: {kind?, method, path, url?, body?, query?, repeat?, headers?, context?, safe, hints?}
   * (`url` replaces baseUrl + path; `path` then only names the call in messages and hooks;
   * `repeat` names the query keys whose arrays are sent as one parameter per item, where
   * others are joined with commas; `headers` are sent besides the core's own)
   * options: {signal?, timeout?, maxRetries?}
   * Returns the parsed JSON body (undefined for an empty body).
   */
  async request(spec, options = {}) {
    const { signal } = options;
    if (signal !== undefined && !(signal && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function')) {
      throw new TypeError('signal must be an AbortSignal');
    }
    checkNonNegative(options.timeout, 'timeout');
    checkNonNegative(options.maxRetries, 'maxRetries', { integer: true });
    if (signal?.aborted) throw new AbortError(undefined, { reason: signal.reason, method: spec.method, path: spec.path });

    let json;
    if (spec.kind) {
      const engine = await this.engine();
      const input = spec.query !== undefined ? spec.query : spec.body;
      const verdict = engine.validate(spec.kind, input, spec.context);
      if (!verdict.valid) throw new ValidationError(verdict.issues, { kind: spec.kind });
      if (spec.query === undefined) json = verdict.json;
    } else if (spec.body !== undefined) {
      // A body the engine has no kind for (the company profile) is still sent as written:
      // a value JSON.stringify would change is refused like the engine refuses it.
      if (typeof spec.body === 'string') json = spec.body;
      else {
        const { text, issues } = jsonText(spec.body, { what: 'body' });
        if (issues.length) throw new ValidationError(issues);
        json = text;
      }
    }
    const path = spec.path;
    const qs = spec.query ? queryString(spec.query, spec.repeat) : '';
    const url = `${spec.url ?? this.baseUrl + path}${qs}`;
    const method = spec.method;
    const limiter = this.limiters.get(this.classOf(method));
    const timeoutMs = options.timeout ?? this.timeout;
    const maxRetries = options.maxRetries ?? this.maxRetries;
    const headers = { ...spec.headers, accept: 'application/json', ...(this.#apiKey === null ? {} : { authorization: `Bearer ${this.#apiKey}` }) };
    if (json !== undefined) headers['content-type'] = 'application/json';
    const shownHeaders = { ...headers, ...(this.#apiKey === null ? {} : { authorization: `Bearer ${this.maskedKey}` }) };

    for (let attempt = 1; ; attempt++) {
      // The permit's lease: how long this attempt may hold it (none without a timeout).
      const release = limiter ? await limiter.acquire(signal, { leaseMs: timeoutMs > 0 ? timeoutMs : undefined }) : () => {};
      const state = {
        provider: this.provider.name, kind: spec.kind, method, url, path, attempt,
        headers: { ...shownHeaders }, body: json,
      };
      const started = Date.now();
      let failure;
      let result;
      try {
        let exchange;
        try {
          await this.#hook('onRequest', state);
          exchange = await this.#attempt(url, method, headers, json, signal, timeoutMs, path);
        } finally {
          release();
        }
        const { res, text, readError } = exchange;
        const remaining = res.headers.get('x-ratelimit-remaining');
        if (limiter && remaining !== null && /^\d{1,9}$/.test(remaining.trim())) limiter.observe({ remaining: Number(remaining) });
        // What the caller sees of the response (hooks, errors, logs), never the key: the one
        // place a response is turned into something shown.
        const shown = { status: res.status, statusText: this.redact(res.statusText), headers: this.#redactor.redactHeaders(res.headers) };
        const response = {
          ...state, status: res.status, requestId: shown.headers['x-request-id'],
          responseHeaders: shown.headers, durationMs: Date.now() - started,
        };
        await this.#hook('onResponse', response);
        this.logger('info', `${this.provider.name} ${method} ${path} ${res.status} ${response.durationMs}ms attempt=${attempt} key=${this.maskedKey ?? '(proxy)'}`);
        if (res.status >= 200 && res.status < 300) {
          if (readError) {
            failure = new NetworkError(`${this.provider.name} ${method} ${path}: the response body was cut off (${readError.message})`, { method, path, cause: readError });
            failure.status = res.status;
          } else if (!text) {
            return undefined;
          } else {
            try {
              result = JSON.parse(text);
            } catch {
              const raw = this.redact(text.slice(0, MAX_RAW_BODY));
              failure = new ApiError(`${this.provider.name} ${method} ${path}: the server answered ${res.status} with a body that is not JSON: "${snippet(raw)}"`,
                { status: res.status, code: 'invalid_response', rawBody: raw, requestId: response.requestId, provider: this.provider.name, method, path });
            }
            if (!failure) return result;
          }
        } else {
          failure = this.#errorFor(shown, text, readError, method, path, spec.hints);
        }
      } catch (err) {
        if (err instanceof AbortError) throw err;
        failure = err;
      }

      // Retry or give up.
      const decision = this.#shouldRetry(failure, spec.safe);
      if (!decision || attempt > maxRetries) throw failure;
      let delayMs;
      if (failure instanceof RateLimitError || (failure instanceof ApiError && failure.retryAfterMs !== undefined)) {
        // A 429 that names no wait: the vendor's documented wait (Saber: 60 s), else backoff.
        const told = failure.retryAfterMs ?? (failure instanceof RateLimitError ? this.provider.rateLimitWaitMs : undefined);
        if (told !== undefined && told > this.maxRetryAfterMs) throw failure;
        delayMs = told !== undefined ? told + Math.random() * Math.min(1000, told * 0.1) : this.#backoff(attempt);
        if (failure instanceof RateLimitError) await limiter?.pause(delayMs);
      } else {
        delayMs = this.#backoff(attempt);
      }
      await this.#hook('onRetry', { ...state, error: failure, delayMs, retry: attempt, maxRetries });
      this.logger('warn', `${this.provider.name} ${method} ${path} retry ${attempt}/${maxRetries} in ${Math.round(delayMs)}ms after ${failure.name}${failure.status ? ` ${failure.status}` : ''} key=${this.maskedKey ?? '(proxy)'}`);
      await sleep(delayMs, signal);
    }
  }

  #backoff(attempt) {
    const d = Math.min(this.retryMaxDelayMs, this.retryBaseDelayMs * 2 ** (attempt - 1));
    return d / 2 + Math.random() * (d / 2);
  }

  #shouldRetry(err, safe) {
    if (err instanceof ApiError) {
      if (err.code === 'invalid_response') return safe;
      if (!RETRY_STATUSES.has(err.status)) return false;
      return err.status === 429 || safe;
    }
    if (err instanceof NetworkError) return safe || err.notSent === true;
    if (err instanceof TimeoutError) return safe;
    return false;
  }

  async #hook(name, state) {
    const fn = this.hooks[name];
    if (fn) await fn(state);
  }

  // A browser reports a refused connection and a CORS refusal alike ("Failed to fetch", no
  // code). A no-cors request tells them apart: it succeeds (opaquely) when something answers.
  async #browserFailureHint(url) {
    const origin = new URL(url).origin;
    let answered = false;
    try {
      await this.fetch(`${origin}/`, { method: 'GET', mode: 'no-cors', signal: AbortSignal.timeout(5000) });
      answered = true;
    } catch {
      // nothing answered (or the probe itself was refused): the connection hint below
    }
    const page = globalThis.location?.origin ?? 'this page';
    return answered
      ? `. The server at ${origin} answered, but the browser refused to show this page its answer (CORS): the server must allow `
        + `the origin ${page}. The local emulator allows it when started with --cors ${page} (or startEmulator({cors: '${page}'}))`
      : `. Nothing answered at ${origin}: is the server running? (the local emulator: npx signalkit emulator --cors ${page})`;
  }

  // One HTTP exchange: the response and its body text, under the call's timeout and signal.
  async #attempt(url, method, headers, body, signal, timeoutMs, path) {
    const controller = new AbortController();
    let timedOut = false;
    const timer = timeoutMs > 0 ? setTimeout(() => { timedOut = true; controller.abort(); }, timeoutMs) : null;
    const onAbort = () => controller.abort(signal.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const whyStopped = (err) => {
      if (signal?.aborted) return new AbortError(undefined, { reason: signal.reason, method, path });
      if (timedOut) return new TimeoutError(`${this.provider.name} ${method} ${path} timed out after ${timeoutMs} ms`, { timeoutMs, method, path });
      return err;
    };
    try {
      let res;
      try {
        res = await this.fetch(url, { method, headers: { ...headers }, body, signal: controller.signal });
      } catch (err) {
        const stopped = whyStopped(null);
        if (stopped) throw stopped;
        const code = err?.cause?.code ?? err?.code;
        const hint = code === undefined && isBrowserLike() ? await this.#browserFailureHint(url) : '';
        const netErr = new NetworkError(`${this.provider.name} ${method} ${path}: the connection failed (${this.redact(String(err?.cause?.message ?? err?.message ?? err))})${hint}`, { method, path, cause: err });
        if (NOT_SENT_CODES.has(code)) netErr.notSent = true;
        throw netErr;
      }
      let text;
      let readError;
      try {
        text = await res.text();
      } catch (err) {
        const stopped = whyStopped(null);
        if (stopped) throw stopped;
        readError = err?.cause ?? err;
      }
      return { res, text, readError };
    } finally {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  // The error for a non-2xx answer; `shown` is the response as the caller may see it (status,
  // statusText and headers without the key), `text` its body as received.
  #errorFor(shown, text, readError, method, path, hints) {
    const { status, headers } = shown;
    const provider = this.provider.name;
    const whole = typeof text === 'string' && text.length <= MAX_ERROR_BODY ? this.redact(text) : undefined;
    const raw = whole !== undefined ? whole.slice(0, MAX_RAW_BODY) : typeof text === 'string' ? this.redact(text.slice(0, MAX_RAW_BODY)) : '';
    let body = null;
    if (whole) { try { body = JSON.parse(whole); } catch { body = null; } }
    let code;
    let message;
    let fields = [];
    let requestId = headers['x-request-id'];
    const extra = {};
    let retryAfterMs;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      const e = body.error;
      if (e && typeof e === 'object' && !Array.isArray(e)) {
        code = str(e.code) ?? str(e.errorCode) ?? str(e.type);
        message = str(e.message) ?? str(e.detail);
        requestId = str(e.requestId) ?? str(e.request_id) ?? requestId;
        fields = normalizeFields(e.fields, e.details?.issues);
        if (str(e.errorAction)) extra.errorAction = e.errorAction;
        if (str(e.type)) extra.type = e.type;
      } else {
        // Free-form bodies: {message}, {detail}, {error: "text"}, Saber's plain 429
        // {statusCode, message, error: "Too Many Requests", retryAfter}.
        message = str(body.message) ?? str(body.detail) ?? str(body.error_description) ?? str(e);
        code = str(body.code) ?? (str(e) ? this.provider.errorCode(e) : undefined);
        fields = normalizeFields(body.errors ?? body.fields);
        requestId = str(body.requestId) ?? str(body.request_id) ?? requestId;
      }
      if (typeof body.retryAfter === 'number' && body.retryAfter >= 0) retryAfterMs = body.retryAfter * 1000;
    } else if (typeof body === 'string') {
      message = body;
    }
    if (message === undefined) {
      if (readError) message = `the error body could not be read (${readError.message})`;
      else if (raw) message = `the body is not JSON: "${snippet(raw)}"`;
      else message = shown.statusText ? `${shown.statusText} (empty body)` : 'empty body';
    }
    code = code ?? `http_${status}`;
    const now = Date.now();
    const headerDelay = parseRetryAfter(headers['retry-after'], now);
    const reset = headers['x-ratelimit-reset'];
    let resetDelay;
    if (reset !== undefined && reset !== '' && Number.isFinite(Number(reset))) {
      const n = Number(reset);
      resetDelay = n > 1e9 ? Math.max(0, n * 1000 - now) : n * 1000; // Unix seconds, or a delta
    }
    retryAfterMs = headerDelay ?? retryAfterMs ?? (status === 429 ? resetDelay : undefined);

    // What the caller can do about this status, when the client knows: the call's own hint
    // (the portal's 404: no webhook app yet), else the provider's (Puffle's 428: run onboarding).
    const hint = hints?.[status] ?? this.provider.hints?.[status];
    const where = `${provider} ${method} ${path}`;
    const fieldNote = fields.length && !message.includes(fields[0].field || '\u0000')
      ? ` [${fields.slice(0, 3).map((f) => `${f.field || '(body)'}: ${f.message}`).join('; ')}${fields.length > 3 ? '; …' : ''}]` : '';
    const full = `${where} failed with ${status} ${code}: ${message}${hint ? ` — ${hint}` : ''}${fieldNote}${requestId ? ` (request id ${requestId})` : ''}`;
    const Cls = ERROR_CLASSES.get(status) ?? (status >= 500 ? ServerError : ApiError);
    const err = new Cls(full, {
      status, code, requestId, fields, body, rawBody: raw, provider, method, path, retryAfterMs, ...extra,
      cause: readError,
    });
    if (!(err instanceof RateLimitError) && retryAfterMs !== undefined) err.retryAfterMs = retryAfterMs;
    return err;
  }
}

/**
 * Query object -> `?a=1&b=x` (undefined/null skipped, booleans as true/false, arrays joined
 * with commas, or one parameter per item for the keys in `repeat`).
 */
function queryString(query, repeat = []) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v) && repeat.includes(k)) for (const item of v) params.append(k, String(item));
    else params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Makes `target` print and serialise without its secret: util.inspect, JSON, String. */
export function hideSecrets(target, core) {
  Object.defineProperty(target, INSPECT, { value: () => `${core.provider.name}Client ${JSON.stringify(core.describe())}`, enumerable: false });
  Object.defineProperty(target, 'toJSON', { value: () => core.describe(), enumerable: false });
  Object.defineProperty(target, 'toString', { value: () => `[${core.provider.name}Client ${core.baseUrl}]`, enumerable: false });
}
