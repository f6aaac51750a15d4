// signalkit/proxy — a server-side handler that keeps the API keys on the server. A page (the
// widgets' `endpoint` mode, the dashboard, your own fetch calls) sends requests without a
// key; the proxy checks that the operation is allowed, validates the request with the
// engine, and forwards it with the real clients (PuffleClient, SaberClient: the key, the
// rate limiter, retries and error mapping). URL scheme, allow-list, answers and CORS:
// docs/widgets.md#the-proxy.
//
//   import { createProxy, toNodeHandler } from 'signalkit/proxy';
//   const proxy = createProxy({ puffleKey: process.env.PUFFLE_API_KEY, allow: ['puffle.signalType.list'] });
//   export default { fetch: proxy };                            // Workers, Deno.serve(proxy), Bun.serve({fetch: proxy})
//   http.createServer(toNodeHandler(proxy)).listen(8787);        // Node http; Express: app.use(toNodeHandler(proxy))
//
// No Node built-in is imported: the handler runs wherever the Fetch API does.
import { MAX_BODY_BYTES } from '../engine.js';
import { AbortError, ApiError, NetworkError, TimeoutError, ValidationError } from '../errors.js';
import { typedQuery } from '../util/query.js';
import { loadEngine } from '../load.js';
import { PuffleClient } from '../puffle/index.js';
import { SaberClient } from '../saber/index.js';
import { checkOptions, closest, describe } from '../util/options.js';
import { makeLogger } from '../util/logger.js';
import { PUFFLE } from '../vendors/puffle.js';
import { COMPANY_SIGNALS, SABER } from '../vendors/saber.js';
import { isFinished } from '../saber/company-signals.js';
import { isJsonType, readBody } from './body.js';
import { corsPolicy } from './cors.js';
import { OPERATIONS, routesAt } from './routes.js';

export { toNodeHandler } from './node.js';
export { OPERATIONS };

/** What a proxy allows when `allow` is not given: reading types and templates, nothing else. */
export const DEFAULT_ALLOW = Object.freeze(['puffle.signalType.list', 'puffle.signalType.get', 'saber.template.list', 'saber.template.get']);
/** Operations forwarded at once, by default; more are answered 503 `proxy_busy`. */
export const DEFAULT_MAX_CONCURRENT = 64;

const WHERE = 'createProxy';
const OPTIONS = ['puffleKey', 'saberKey', 'puffleBaseUrl', 'saberBaseUrl', 'allow', 'cors', 'authorize', 'basePath',
  'maxConcurrent', 'engine', 'fetch', 'timeout', 'maxRetries', 'puffleRateLimit', 'saberRateLimit', 'logger'];
const PROVIDERS = { puffle: { vendor: PUFFLE, Client: PuffleClient }, saber: { vendor: SABER, Client: SaberClient } };
// `<provider>.<resource>.*` names every operation of a resource.
const WILDCARDS = [...new Set(OPERATIONS.map((op) => op.name.replace(/\.[^.]+$/, '.*')))];

// One client call per operation; `a` is {id, sourceId, body (the validated JSON text), query}.
// Lists answer what the vendor answers: the list object, or the first page asked for.
const CALLS = {
  'puffle.signalType.list': async (c, a, o) => ({ signal_types: await c.signalTypes.list(o) }),
  'puffle.signalType.create': (c, a, o) => c.signalTypes.create(a.body, o),
  'puffle.signalType.get': (c, a, o) => c.signalTypes.get(a.id, o),
  'puffle.signalType.update': (c, a, o) => c.signalTypes.update(a.id, a.body, o),
  'puffle.signalType.delete': (c, a, o) => c.signalTypes.delete(a.id, o),
  'puffle.signalType.reset': (c, a, o) => c.signalTypes.reset(a.id, o),
  'puffle.signalType.generate': (c, a, o) => c.signalTypes.generate(a.id, o),
  'puffle.signalTypeSource.list': async (c, a, o) => ({ sources: await c.signalTypes.sources.list(a.id, o) }),
  'puffle.signalTypeSource.update': (c, a, o) => c.signalTypes.sources.update(a.id, a.sourceId, a.body, o),
  'puffle.signal.list': (c, a, o) => c.signals.list(a.query, o).firstPage(),
  'puffle.signal.dismiss': (c, a, o) => c.signals.dismiss(a.id, o),
  // feedback(id, text) would take the text for the feedback value itself: pass the object.
  'puffle.signal.feedback': (c, a, o) => c.signals.feedback(a.id, JSON.parse(a.body), o),
  'puffle.onboarding.start': (c, a, o) => c.onboarding.start(a.body, o),
  'puffle.onboarding.status': (c, a, o) => c.onboarding.status(a.query.sessionId, o),
  'puffle.context.get': (c, a, o) => c.context.get(o),
  'puffle.context.set': (c, a, o) => c.context.set(a.body, o),
  'saber.template.list': (c, a, o) => c.templates.list(a.query, o).firstPage(),
  'saber.template.create': (c, a, o) => c.templates.create(a.body, o),
  'saber.template.get': (c, a, o) => c.templates.get(a.id, o),
  'saber.template.update': (c, a, o) => c.templates.update(a.id, a.body, o),
  'saber.template.delete': (c, a, o) => c.templates.delete(a.id, o),
  'saber.companySignal.list': (c, a, o) => c.signals.list(a.query, o).firstPage(),
  'saber.companySignal.create': (c, a, o) => c.signals.create(a.body, o),
  'saber.companySignal.sync': (c, a, o) => c.signals.sync(a.body, { ...o, ...a.sync }),
  'saber.companySignal.get': (c, a, o) => c.signals.get(a.id, o),
};

/**
 * Builds the proxy: a Fetch API handler `(request: Request) => Promise<Response>`.
 *
 * @param {object} options
 * @param {string} [options.puffleKey] Puffle key (pk_live_…); its operations are served only when given
 * @param {string} [options.saberKey] Saber key (sk_live_…)
 * @param {string} [options.puffleBaseUrl] where Puffle is (default: the vendor; the emulator's puffleBaseUrl in tests)
 * @param {string} [options.saberBaseUrl]
 * @param {string[]} [options.allow=DEFAULT_ALLOW] operation names (`puffle.signalType.create`) or `<provider>.<resource>.*`
 * @param {false|string|string[]|{origins, credentials?, maxAge?}} [options.cors=false] origins of other sites' pages that may call it
 * @param {(request: Request, info: {operation: string}) => boolean|Response|Promise<boolean|Response>} [options.authorize]
 *   your own check (a session cookie, a token): true lets the request through, false answers 401, a Response is answered as is
 * @param {string} [options.basePath=''] the path the proxy is mounted at, as the browser sees it ('/signalkit')
 * @param {number} [options.maxConcurrent=64] operations forwarded at once; more get 503 proxy_busy
 * @param {object|Promise<object>} [options.engine] an engine already loaded (default: loadEngine() on the first request)
 * @param {typeof fetch} [options.fetch] @param {number} [options.timeout] @param {number} [options.maxRetries]
 * @param {object} [options.puffleRateLimit] PuffleClient's rateLimit option (default: Puffle's documented limit, this process only;
 *   `{ store: redisStore(…) }` when several proxy processes share the key)
 * @param {object} [options.saberRateLimit] SaberClient's rateLimit option
 * @param {Function|object} [options.logger] passed to the clients, which mask the key
 * @throws {TypeError} for a missing key, a malformed key or URL, an unknown option or operation
 */
export function createProxy(options) {
  if (options === undefined) throw new TypeError(`${WHERE}: options are required: at least one of puffleKey and saberKey.`);
  const o = checkOptions(WHERE, options, OPTIONS);
  const clientOptions = {};
  for (const name of ['fetch', 'timeout', 'maxRetries', 'logger']) if (o[name] !== undefined) clientOptions[name] = o[name];
  const log = makeLogger(o.logger);
  const secrets = [];
  const clients = {};
  for (const [provider, { vendor, Client }] of Object.entries(PROVIDERS)) {
    const apiKey = o[`${provider}Key`];
    const baseUrl = o[`${provider}BaseUrl`];
    const rateLimit = o[`${provider}RateLimit`];
    if (apiKey === undefined) {
      for (const [name, value] of [['BaseUrl', baseUrl], ['RateLimit', rateLimit]]) {
        if (value !== undefined) throw new TypeError(`${WHERE}: ${provider}${name} is given without ${provider}Key.`);
      }
      continue;
    }
    const settings = { ...clientOptions, apiKey, ...(baseUrl === undefined ? {} : { baseUrl }), ...(rateLimit === undefined ? {} : { rateLimit }) };
    try {
      new Client(settings); // eslint-disable-line no-new -- checks the key, the URL and the options now, not on the first request
    } catch (err) {
      throw new TypeError(`${WHERE}: ${err.message.replace(/\bapiKey\b/, `${provider}Key`).replace(/^\w+Client rateLimit\b/, `${provider}RateLimit`)}`);
    }
    // A client per request: what one learns (the caller's complete list of types) must not
    // decide another's verdict after someone else changed the list. Clients with the same key
    // share one rate limiter in the process, so the limits hold across requests.
    clients[provider] = (engine) => new Client({ ...settings, engine });
    secrets.push([apiKey, vendor.key.mask(apiKey)]);
  }
  if (secrets.length === 0) throw new TypeError(`${WHERE}: give puffleKey, saberKey or both: the proxy adds them to the requests it forwards.`);
  const allowed = allowList(o.allow, clients);
  const cors = corsPolicy(o.cors);
  const basePath = checkBasePath(o.basePath);
  const { authorize } = o;
  if (authorize !== undefined && typeof authorize !== 'function') {
    throw new TypeError(`${WHERE}: authorize must be a function (request, {operation}) => boolean | Response; got ${describe(authorize)}.`);
  }
  const maxConcurrent = o.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
  if (!Number.isSafeInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new TypeError(`${WHERE}: maxConcurrent must be a positive integer; got ${String(maxConcurrent)}.`);
  }
  let enginePromise = null;
  const engine = () => {
    if (!enginePromise) {
      enginePromise = Promise.resolve(o.engine ?? loadEngine()).catch((err) => {
        enginePromise = null;
        throw err;
      });
    }
    return enginePromise;
  };
  let inFlight = 0;

  // Every answer leaves through here: JSON, never cached, the CORS headers, and no key.
  const reply = (status, body, headers = {}) => {
    let text = body === undefined ? null : JSON.stringify(body);
    for (const [key, mask] of secrets) if (text?.includes(key)) text = text.split(key).join(mask);
    return new Response(text, {
      status,
      headers: { 'cache-control': 'no-store', ...(text === null ? {} : { 'content-type': 'application/json; charset=utf-8' }), ...headers },
    });
  };
  const refuse = (status, code, message, headers, extra) => reply(status, { error: { code, message, source: 'proxy', ...extra } }, headers);

  async function handle(request) {
    const url = new URL(request.url);
    const access = cors.decide(request.headers.get('origin'), url);
    const cross = access.headers;
    let path = url.pathname;
    if (basePath) {
      if (path !== basePath && !path.startsWith(`${basePath}/`)) return refuse(404, 'not_found', `${path} is not below the proxy's basePath ${basePath}.`, cross);
      path = path.slice(basePath.length);
    }
    let routes;
    try {
      routes = routesAt(path);
    } catch {
      return refuse(400, 'bad_request', 'The path holds a malformed percent-escape.', cross);
    }
    if (request.method === 'OPTIONS') {
      if (!access.allowed) return refuse(403, 'origin_not_allowed', originMessage(request), {});
      if (routes.length === 0) return refuse(404, 'not_found', `No operation of this proxy lives at ${path}.`, cross);
      const methods = routes.filter((r) => allowed.has(r.op.name)).map((r) => r.op.method);
      return reply(204, undefined, { ...cross, allow: ['OPTIONS', ...methods].join(', '), ...(access.crossOrigin ? cors.preflight(methods, request) : {}) });
    }
    if (!access.allowed) return refuse(403, 'origin_not_allowed', originMessage(request), {});
    if (routes.length === 0) return refuse(404, 'not_found', `No operation of this proxy lives at ${path}.`, cross);
    const route = routes.find((r) => r.op.method === request.method);
    if (!route) {
      const methods = routes.map((r) => r.op.method);
      return refuse(405, 'method_not_allowed', `${path} takes ${methods.join(', ')}; got ${request.method}.`, { ...cross, allow: ['OPTIONS', ...methods].join(', ') });
    }
    const { op, params } = route;
    const about = { operation: op.name };
    if (!allowed.has(op.name)) {
      return refuse(403, 'operation_not_allowed', `${op.name} is not allowed by this proxy (the server lists what it allows: createProxy({allow})).`, cross, about);
    }
    if (authorize) {
      const verdict = await authorize(request, about);
      if (verdict instanceof Response) return withHeaders(verdict, cross);
      if (verdict !== true) return refuse(401, 'unauthorized', `${op.name}: the server's authorize() refused this request.`, cross, about);
    }

    const read = await readBody(request, MAX_BODY_BYTES);
    if (read.text !== undefined && !isJsonType(request.headers.get('content-type'))) {
      return refuse(415, 'unsupported_media_type', `${op.name}: send the body as application/json.`, cross, about);
    }
    const eng = await engine();
    const invalid = (issues) => refuse(400, 'validation_failed', new ValidationError(issues, { kind: op.name }).message, cross, { ...about, fields: issues });
    if (read.notUtf8) return invalid([{ field: '', code: 'invalid_json', message: 'The body is not valid UTF-8 text.' }]);
    let query;
    if (op.input === 'query') {
      const types = queryTypes(eng.schema(op.kind));
      query = JSON.parse(typedQuery(url.searchParams, types));
      // A parameter that repeats (Saber's status) may come once: a list of one.
      for (const name of types.arrays) if (typeof query[name] === 'string') query[name] = [query[name]];
    } else if ([...url.searchParams.keys()].length) {
      return invalid([...new Set(url.searchParams.keys())].map((name) => ({
        field: name, code: 'unknown_field', message: `${name} is not a query parameter of ${op.name}, which takes none.`,
      })));
    }
    const context = Object.keys(params).length ? { params } : undefined;
    const verdict = eng.validate(op.kind, op.input === 'query' ? query : read.text, context);
    if (!verdict.valid) return invalid(verdict.issues);
    let sync;
    if (op.name === 'saber.companySignal.sync') {
      const checked = syncHeaders(request.headers);
      if (checked.issues.length) return invalid(checked.issues);
      sync = checked.options;
    }

    if (inFlight >= maxConcurrent) {
      return refuse(503, 'proxy_busy', `The proxy is forwarding ${maxConcurrent} requests already; try again shortly.`, { ...cross, 'retry-after': '1' }, about);
    }
    inFlight += 1;
    try {
      const client = clients[op.provider](eng);
      const result = await CALLS[op.name](client, { ...params, body: verdict.json, query, sync }, { signal: request.signal });
      // A sync whose research is still going is Saber's 202, as from Saber itself.
      const status = op.name === 'saber.companySignal.sync' && !isFinished(result) ? 202 : op.status;
      return reply(status, status === 204 ? undefined : result, cross);
    } catch (err) {
      return failure(err, op, cross);
    } finally {
      inFlight -= 1;
    }
  }

  // What went wrong upstream (or in the clients' own checks), in the proxy's error shape.
  function failure(err, op, cross) {
    const about = { operation: op.name };
    if (err instanceof ValidationError) {
      return refuse(400, 'validation_failed', err.message, cross, { ...about, fields: err.issues });
    }
    const source = op.provider;
    const upstream = (status, code, message, headers = {}, extra = {}) => reply(status, { error: { code, message, source, ...about, ...extra } }, { ...cross, ...headers });
    if (err instanceof AbortError) return upstream(499, 'aborted', 'The request was aborted before the upstream API answered.');
    if (err instanceof TimeoutError) return upstream(504, 'upstream_timeout', `${PROVIDERS[source].vendor.name} did not answer in time.`);
    if (err instanceof NetworkError) return upstream(502, 'upstream_unreachable', `${PROVIDERS[source].vendor.name} could not be reached.`);
    if (!(err instanceof ApiError)) throw err;
    if (!(err.status >= 400 && err.status <= 599)) {
      return upstream(502, 'invalid_upstream_response', `${PROVIDERS[source].vendor.name} answered ${err.status} with a body that is not JSON.`);
    }
    const headers = {};
    if (err.retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(err.retryAfterMs / 1000));
    if (err.requestId) headers['x-request-id'] = err.requestId;
    return upstream(err.status, err.code, vendorMessage(err), headers, {
      ...(err.fields.length ? { fields: err.fields } : {}), ...(err.requestId ? { requestId: err.requestId } : {}),
    });
  }

  /** The proxy: `(request: Request) => Promise<Response>`. */
  async function signalkitProxy(request) {
    try {
      return await handle(request);
    } catch (err) {
      log('error', `signalkit proxy: ${request.method} ${new URL(request.url).pathname} failed: ${err?.stack ?? err}`);
      return refuse(500, 'internal_error', 'The proxy failed unexpectedly; the server log says why.', cors.decide(request.headers.get('origin'), new URL(request.url)).headers);
    }
  }
  /** The operations this proxy serves, in the order of OPERATIONS. */
  Object.defineProperty(signalkitProxy, 'allowed', { value: Object.freeze(OPERATIONS.filter((op) => allowed.has(op.name)).map((op) => op.name)) });
  return signalkitProxy;
}

function allowList(allow, clients) {
  const names = allow === undefined ? DEFAULT_ALLOW.filter((n) => clients[n.slice(0, n.indexOf('.'))]) : allow;
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) {
    throw new TypeError(`${WHERE}: allow must be a non-empty array of operation names such as 'puffle.signalType.list'; got ${describe(allow)}.`);
  }
  const out = new Set();
  for (const name of names) {
    const matched = OPERATIONS.filter((op) => op.name === name || (name.endsWith('.*') && op.name.startsWith(name.slice(0, -1))));
    if (matched.length === 0 || (name.endsWith('.*') && !WILDCARDS.includes(name))) {
      const near = closest(name, [...OPERATIONS.map((op) => op.name), ...WILDCARDS]);
      throw new TypeError(`${WHERE}: allow names ${JSON.stringify(name)}, which is not an operation of the proxy`
        + `${near ? `; did you mean "${near}"?` : '.'} Operations: docs/widgets.md#the-proxy.`);
    }
    for (const op of matched) {
      if (!clients[op.provider]) throw new TypeError(`${WHERE}: allow names ${op.name}, but no ${op.provider}Key was given.`);
      out.add(op.name);
    }
  }
  return out;
}

function checkBasePath(basePath) {
  if (basePath === undefined || basePath === '') return '';
  if (typeof basePath !== 'string' || !/^\/[^?#]*[^/?#]$/.test(basePath)) {
    throw new TypeError(`${WHERE}: basePath must be a path such as '/signalkit' (a leading slash, no trailing one); got ${describe(basePath)}.`);
  }
  return basePath;
}

// Which query parameters the engine's query schema takes as integers or booleans (a query
// string carries text; the engine checks typed values).
function queryTypes(schema) {
  const integers = [];
  const booleans = [];
  const arrays = [];
  for (const [name, p] of Object.entries(schema?.properties ?? {})) {
    const types = [p?.type].flat();
    if (types.includes('integer') || types.includes('number')) integers.push(name);
    if (types.includes('boolean')) booleans.push(name);
    if (types.includes('array')) arrays.push(name);
  }
  return { integers, booleans, arrays };
}

// Saber's sync headers as signals.sync options: how long Saber waits (whole seconds in its
// range) and whether a timeout is a 408; anything else is a validation issue, not forwarded.
function syncHeaders(headers) {
  const names = COMPANY_SIGNALS.headers;
  const { min, max } = COMPANY_SIGNALS.syncTimeoutSec;
  const options = {};
  const issues = [];
  const sec = headers.get(names.timeoutSec);
  if (sec !== null) {
    if (/^\d{1,4}$/.test(sec) && Number(sec) >= min && Number(sec) <= max) options.timeoutSec = Number(sec);
    else issues.push({ field: names.timeoutSec, code: 'out_of_range', message: `${names.timeoutSec} must be whole seconds from ${min} to ${max}; got ${JSON.stringify(sec.slice(0, 20))}.` });
  }
  const error = headers.get(names.timeoutError);
  if (error !== null) {
    if (error === 'true' || error === 'false') options.timeoutError = error === 'true';
    else issues.push({ field: names.timeoutError, code: 'type', message: `${names.timeoutError} must be true or false; got ${JSON.stringify(error.slice(0, 20))}.` });
  }
  return { options, issues };
}

// The vendor's own words (Puffle and Saber error bodies, Saber's plain 429), else the client's.
function vendorMessage(err) {
  const body = err.body;
  const text = body?.error?.message ?? body?.message;
  return typeof text === 'string' && text ? text : err.message;
}

function originMessage(request) {
  return `Pages from ${request.headers.get('origin')} may not call this proxy; the server lists the origins it allows (createProxy({cors})).`;
}

function withHeaders(response, headers) {
  const out = new Response(response.body, response);
  for (const [name, value] of Object.entries(headers)) out.headers.set(name, value);
  return out;
}
