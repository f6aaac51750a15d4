// signalkit/emulator — a local HTTP server that behaves like the Puffle partner API and
// the Saber templates API (SPEC §1, §2, §5), with the engine as its rule book.
// Behaviour, options and error shapes: docs/emulator.md.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { HttpError } from './errors.js';
import { FaultInjector } from './faults.js';
import {
  checkContentType, hasBody, parseJsonBody, puffleErrorBody, readBody, saberErrorBody,
} from './http.js';
import { PUFFLE_MOUNT, PuffleTenant, puffleRoutes } from './puffle.js';
import { resolveRateLimits, TokenBucket } from './ratelimit.js';
import { SABER_MOUNT, SaberTenant, saberRoutes } from './saber.js';
import { loadState, saveState } from './store.js';
import { createRng, sha256Hex } from './util.js';
import { makeLogger } from '../util/logger.js';
import { sleep } from '../util/sleep.js';
import { maskKey } from '../vendors/index.js';
import { PUFFLE } from '../vendors/puffle.js';
import { SABER, saberRateLimitClass } from '../vendors/saber.js';

const VENDOR = { puffle: PUFFLE, saber: SABER };

export { DEFAULT_RATE_LIMITS } from './ratelimit.js';
export { FAULT_TYPES } from './faults.js';

// Methods whose request body is read (a body on any other method is ignored).
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const DEFAULT_TIMEOUTS = { headersMs: 10_000, requestMs: 30_000, bodyMs: 10_000 };

async function loadDefaultEngine() {
  try {
    return await (await import('../load.js')).loadEngine();
  } catch (err) {
    throw new Error(`the emulator needs the signalkit engine, which failed to load (${err.message}); `
      + 'build it first (npm run build) or pass options.engine');
  }
}

/** The two ready-made development keys for a seed (printed by the CLI). */
export function devKeys(seed = 'signalkit') {
  return {
    puffle: `${PUFFLE.key.prefix}${sha256Hex(`signalkit-dev-puffle:${seed}`)}`,
    saber: `${SABER.key.prefix}dev${sha256Hex(`signalkit-dev-saber:${seed}`).slice(0, 29)}`,
  };
}

function compile(routes, provider) {
  return routes.map((r) => ({ ...r, provider, segments: r.path.split('/').slice(1) }));
}

function matchPath(route, parts) {
  if (route.segments.length !== parts.length) return null;
  const params = {};
  for (let i = 0; i < parts.length; i++) {
    const seg = route.segments[i];
    if (seg.startsWith(':')) params[seg.slice(1)] = parts[i];
    else if (seg !== parts[i]) return null;
  }
  return params;
}

function checkOptions(o) {
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535)) {
    throw new TypeError('port must be an integer from 0 to 65535');
  }
  const d = o.generateDelayMs;
  if (d !== undefined && !(Number.isFinite(d) && d >= 0)
      && !(Array.isArray(d) && d.length === 2 && d.every((x) => Number.isFinite(x) && x >= 0) && d[0] <= d[1])) {
    throw new TypeError('generateDelayMs must be a number of ms or a [min, max] pair');
  }
  if (o.keys !== undefined) {
    if (!Array.isArray(o.keys) || o.keys.length === 0) throw new TypeError('keys must be a non-empty array of API keys');
    o.keys.forEach((k, i) => {
      if (typeof k !== 'string' || !(PUFFLE.key.pattern.test(k) || SABER.key.pattern.test(k))) {
        throw new TypeError(`keys[${i}] is not a well-formed key: a Puffle key is ${PUFFLE.key.description}, a Saber key ${SABER.key.description}`);
      }
    });
  }
  if (o.cors !== undefined && typeof o.cors !== 'boolean' && typeof o.cors !== 'string') {
    throw new TypeError("cors must be true, false or one allowed origin such as 'http://localhost:5173'");
  }
  if (o.feedAnchor !== undefined && !Number.isFinite(new Date(o.feedAnchor).getTime())) {
    throw new TypeError('feedAnchor must be a Date, an ISO 8601 string or epoch milliseconds');
  }
  if (o.maxTenants !== undefined && !(Number.isInteger(o.maxTenants) && o.maxTenants > 0)) {
    throw new TypeError('maxTenants must be a positive integer');
  }
  for (const [name, v] of Object.entries(o.timeouts ?? {})) {
    if (!(name in DEFAULT_TIMEOUTS)) throw new TypeError(`timeouts.${name} is not an option (headersMs, requestMs, bodyMs)`);
    if (!(Number.isInteger(v) && v > 0)) throw new TypeError(`timeouts.${name} must be a positive integer`);
  }
}

/**
 * Starts the emulator.
 *
 * @param {object} [options]
 * @param {number} [options.port=0] 0 picks a free port
 * @param {string} [options.host='127.0.0.1']
 * @param {number|[number,number]} [options.generateDelayMs=3000] delay of a simulated generation run
 * @param {true|object} [options.faults] enable fault mode: {seed?, rules?: [...]} (docs/emulator.md)
 * @param {string} [options.dataFile] persist state to this JSON file (atomic replace after each write)
 * @param {false|object} [options.rateLimits] override or disable the per-key limits
 * @param {number|string} [options.seed='signalkit'] seeds built-in ids, the feed and faults
 * @param {Date|string|number} [options.feedAnchor] the feed covers the 30 days before this (default: start time)
 * @param {string[]} [options.keys] accept only these keys (default: any well-formed key)
 * @param {Function|object} [options.logger] (level, message) or {info, warn, error}; keys are masked
 * @param {object} [options.timeouts] {headersMs, requestMs, bodyMs}
 * @param {boolean|string} [options.cors=false] answer browsers: true allows any origin, a string one origin
 * @param {number} [options.maxTenants=1000] most keys (tenants) per provider; more get 403
 * @param {object} [options.engine] an already loaded engine (default: loadEngine())
 * @returns {Promise<{url: string, port: number, puffleBaseUrl: string, saberBaseUrl: string,
 *   devKeys: {puffle: string, saber: string}, close(): Promise<void>}>}
 *
 * @example
 *   const emu = await startEmulator({ generateDelayMs: 50 });
 *   await fetch(`${emu.url}/api/v1/signals/types`, { headers: { authorization: `Bearer ${emu.devKeys.puffle}` } });
 *   await emu.close();
 */
export async function startEmulator(options = {}) {
  const o = { ...options };
  checkOptions(o);
  const engine = o.engine ?? await loadDefaultEngine();
  const seed = String(o.seed ?? 'signalkit');
  const log = makeLogger(o.logger);
  const limits = resolveRateLimits(o.rateLimits);
  const faults = o.faults ? new FaultInjector(o.faults, seed) : null;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...(o.timeouts ?? {}) };
  const allowedKeys = o.keys ? new Set(o.keys) : null;
  const maxTenants = o.maxTenants ?? 1000;
  const cors = o.cors === true ? '*' : (o.cors || null);
  const delayOption = o.generateDelayMs ?? 3000;

  const saved = o.dataFile ? loadState(o.dataFile) : null;
  const anchorOption = o.feedAnchor === undefined ? undefined : new Date(o.feedAnchor).getTime();
  const feedAnchorMs = saved?.feedAnchorMs ?? anchorOption ?? Math.floor(Date.now() / 60_000) * 60_000;
  const puffleTenants = new Map();
  const saberTenants = new Map();
  for (const [id, data] of saved?.puffle ?? []) puffleTenants.set(id, new PuffleTenant(id, seed, data));
  for (const [id, data] of saved?.saber ?? []) saberTenants.set(id, new SaberTenant(id, data));

  const timers = new Set();
  let closed = false;
  const app = {
    engine,
    seed,
    feedAnchorMs,
    now: () => Date.now(),
    log,
    generateDelay: (runId) => {
      if (!Array.isArray(delayOption)) return delayOption;
      return createRng(`${seed}:delay:${runId}`).int(Math.round(delayOption[0]), Math.round(delayOption[1]));
    },
    schedule: (ms, fn) => {
      if (closed) return;
      const t = setTimeout(() => {
        timers.delete(t);
        try { fn(); } catch (err) { log('error', `background task failed: ${err.stack ?? err}`); }
      }, ms);
      timers.add(t);
    },
    persist: () => {
      if (!o.dataFile) return;
      saveState(o.dataFile, {
        format: 'signalkit-emulator',
        version: 1,
        feedAnchorMs,
        puffle: [...puffleTenants].map(([id, t]) => [id, t.toJSON()]),
        saber: [...saberTenants].map(([id, t]) => [id, t.toJSON()]),
      });
    },
  };

  const routes = [...compile(puffleRoutes(app), 'puffle'), ...compile(saberRoutes(app), 'saber')];
  const buckets = new Map();   // `${class}:${tenantId}` -> TokenBucket
  const shapeTurns = new Map(); // tenantId -> count of Saber 429s sent

  const under = (path, base) => path === base || path.startsWith(`${base}/`);
  const providerOf = (path) => {
    if (path === PUFFLE_MOUNT.context || under(path, PUFFLE_MOUNT.base)) return 'puffle';
    if (under(path, SABER_MOUNT.base)) return 'saber';
    return null;
  };

  function authenticate(req, provider) {
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
    const vendor = VENDOR[provider];
    const want = `a ${vendor.name} key: ${vendor.key.description}`;
    if (!m) throw new HttpError(401, 'unauthorized', `missing or malformed Authorization header; expected "Bearer <key>" with ${want}`);
    const key = m[1];
    if (!vendor.key.pattern.test(key)) throw new HttpError(401, 'unauthorized', `the API key is not ${want}`);
    if (allowedKeys && !allowedKeys.has(key)) throw new HttpError(401, 'unauthorized', 'the API key is not accepted by this emulator');
    return key;
  }

  function tenantFor(provider, key) {
    const id = sha256Hex(`${provider}:${key}`);
    const map = provider === 'puffle' ? puffleTenants : saberTenants;
    let t = map.get(id);
    if (!t) {
      // Any well-formed key makes a tenant; a bound keeps a flood of random keys from
      // exhausting memory.
      if (map.size >= maxTenants) {
        throw new HttpError(403, 'tenant_limit', `this emulator already serves ${maxTenants} ${provider} keys (option maxTenants); restart it or raise the limit`);
      }
      t = provider === 'puffle' ? new PuffleTenant(id, seed) : new SaberTenant(id);
      map.set(id, t);
    }
    return t;
  }

  // Returns null when the request may go on, else the 429 HttpError/headers to send.
  function rateLimit(provider, method, tenantId, headers) {
    if (!limits) return null;
    const cls = provider === 'puffle' ? 'puffle' : saberRateLimitClass(method) === 'write' ? 'saberWrite' : 'saberRead';
    const bucketKey = `${cls}:${tenantId}`;
    const now = Date.now();
    let bucket = buckets.get(bucketKey);
    if (!bucket) { bucket = new TokenBucket(limits[cls], now); buckets.set(bucketKey, bucket); }
    const r = bucket.take(now);
    const retryAfterS = Math.max(1, Math.ceil(r.retryAfterMs / 1000));
    if (provider === 'saber') {
      headers['x-ratelimit-limit'] = String(limits[cls].limit);
      headers['x-ratelimit-remaining'] = String(r.remaining);
      headers['x-ratelimit-reset'] = String(Math.ceil((now + (r.ok ? r.resetMs : r.retryAfterMs)) / 1000));
    }
    if (r.ok) return null;
    if (provider === 'puffle') {
      headers['retry-after'] = String(retryAfterS);
      return { err: new HttpError(429, 'rate_limited', `rate limit of ${limits.puffle.limit} requests per ${limits.puffle.windowMs / 1000} s exceeded; retry after ${retryAfterS} s`) };
    }
    const turn = shapeTurns.get(tenantId) ?? 0;
    shapeTurns.set(tenantId, turn + 1);
    const plain = limits.saber429Shape === 'plain' || (limits.saber429Shape === 'alternate' && turn % 2 === 1);
    const message = `Rate limit exceeded for ${cls === 'saberWrite' ? 'write' : 'read'} requests; retry in ${retryAfterS} seconds`;
    if (plain) return { raw: { statusCode: 429, message, error: 'Too Many Requests', retryAfter: retryAfterS } };
    return { err: new HttpError(429, 'rate_limited', message) };
  }

  function errorBody(provider, err, requestId) {
    return provider === 'saber' ? saberErrorBody(err, requestId) : puffleErrorBody(err);
  }

  // Writes one response, applying a post-processing fault if there is one.
  function send(req, res, { status, headers, body }, fault, onSent) {
    if (res.headersSent || res.destroyed) return;
    const text = body === undefined ? '' : JSON.stringify(body);
    const h = { ...headers };
    if (fault?.type === 'drop_after') {
      req.socket.destroy();
      return;
    }
    if (fault?.type === 'malformed_body') {
      const half = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      const bad = `${half}<html><body>502 upstream hiccup</body>`;
      res.writeHead(status === 204 ? 200 : status, { ...h, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(bad) });
      res.end(bad, onSent);
      return;
    }
    if (fault?.type === 'truncated_body') {
      const full = Buffer.from(text || '{"truncated":true}');
      res.writeHead(status === 204 ? 200 : status, { ...h, 'content-type': 'application/json; charset=utf-8', 'content-length': full.length });
      res.write(full.subarray(0, Math.floor(full.length / 2)), () => req.socket.destroy());
      return;
    }
    if (status === 204) {
      res.writeHead(204, h);
      res.end(onSent);
      return;
    }
    res.writeHead(status, { ...h, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text, onSent);
  }

  // Browsers (the demo dashboard) need CORS when the page is served from another origin.
  function corsHeaders(req) {
    if (!cors || req.headers.origin === undefined) return {};
    return {
      'access-control-allow-origin': cors,
      'access-control-expose-headers': 'X-Request-Id, X-Ratelimit-Limit, X-Ratelimit-Remaining, X-Ratelimit-Reset, Retry-After',
      ...(cors === '*' ? {} : { vary: 'Origin' }),
    };
  }

  async function handleAdmin(req, res, path, requestId) {
    const headers = { 'x-request-id': requestId, 'cache-control': 'no-store', ...corsHeaders(req) };
    const reply = (status, body) => send(req, res, { status, headers, body });
    if (path === '/__emulator/health' && req.method === 'GET') return reply(200, { ok: true });
    if (path !== '/__emulator/faults' || !faults) {
      return reply(404, puffleErrorBody(new HttpError(404, 'not_found', faults ? 'no such emulator control' : 'fault mode is off; start the emulator with the faults option')));
    }
    try {
      if (req.method === 'GET') return reply(200, faults.describe());
      if (req.method === 'DELETE') { faults.clear(); return reply(200, faults.describe()); }
      if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use GET, POST or DELETE');
      if (!hasBody(req)) throw new HttpError(400, 'validation_failed', 'a JSON fault plan is required');
      checkContentType(req);
      const plan = parseJsonBody(await readBody(req, timeouts.bodyMs) ?? '');
      try {
        return reply(200, faults.applyPlan(plan));
      } catch (err) {
        throw new HttpError(400, 'validation_failed', err.message);
      }
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      if (err.status === 413 || err.status === 408) headers.connection = 'close';
      return send(req, res, { status: err.status, headers, body: puffleErrorBody(err) }, null,
        headers.connection ? () => req.socket.destroy() : undefined);
    }
  }

  async function handle(req, res) {
    const started = Date.now();
    const requestId = randomUUID();
    let url;
    try {
      url = new URL(req.url, 'http://emulator.invalid');
    } catch {
      send(req, res, { status: 400, headers: {}, body: puffleErrorBody(new HttpError(400, 'validation_failed', 'malformed request URL')) });
      return;
    }
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    if (cors && req.method === 'OPTIONS' && req.headers.origin !== undefined) {
      send(req, res, { status: 204, headers: {
        ...corsHeaders(req),
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
        'access-control-allow-headers': 'Authorization, Content-Type',
        'access-control-max-age': '600',
      } });
      return;
    }
    if (path.startsWith('/__emulator/')) { await handleAdmin(req, res, path, requestId); return; }

    const provider = providerOf(path) ?? 'puffle';
    const headers = { 'x-request-id': requestId, ...corsHeaders(req) };
    let key = null;
    let fault = null;
    const finish = (status, body, extra) => {
      // A body we did not read (refused before reading, or too big/slow) is not drained:
      // the connection closes after the answer instead.
      const closeAfter = status === 413 || status === 408 || (hasBody(req) && !req.complete);
      if (closeAfter) headers.connection = 'close';
      send(req, res, { status, headers, body }, fault, closeAfter ? () => req.socket.destroy() : undefined);
      log(status >= 500 ? 'warn' : 'info',
        `${req.method} ${path} ${status} ${Date.now() - started}ms key=${key ? maskKey(key) : '-'}${extra ? ` ${extra}` : ''}`);
    };
    const fail = (err) => finish(err.status, errorBody(provider, err, requestId));

    try {
      const parts = path.split('/').slice(1);
      let route = null;
      let params = null;
      let pathKnown = false;
      for (const r of routes) {
        const p = matchPath(r, parts);
        if (!p) continue;
        pathKnown = true;
        if (r.method === req.method) { route = r; params = p; break; }
      }

      if (faults) {
        const picked = faults.pick({ method: req.method, path, route: route?.name ?? 'unknown' });
        if (picked.latencyMs > 0) {
          await sleep(picked.latencyMs);
          if (closed || req.socket.destroyed) return; // closed or client gone while we waited
        }
        fault = picked.fault;
        if (fault?.type === 'drop_before') { req.socket.destroy(); log('info', `${req.method} ${path} dropped (fault)`); return; }
        if (fault?.type === 'status') {
          const s = fault.status;
          const msg = { 500: 'internal error (injected fault)', 502: 'bad gateway (injected fault)', 503: 'service unavailable (injected fault)' }[s];
          const code = { 500: 'internal_error', 502: 'bad_gateway', 503: 'service_unavailable' }[s];
          if (s === 503) headers['retry-after'] = '1';
          fault = null;
          fail(new HttpError(s, code, msg));
          return;
        }
      }

      if (!route) {
        if (pathKnown) {
          const allow = routes.filter((r) => matchPath(r, parts)).map((r) => r.method);
          headers.allow = [...new Set(allow)].join(', ');
          throw new HttpError(405, 'method_not_allowed', `${req.method} is not supported here; use ${headers.allow}`);
        }
        throw new HttpError(404, 'not_found', `no route for ${req.method} ${path}`);
      }

      key = authenticate(req, route.provider);
      const tenant = tenantFor(route.provider, key);
      const limited = rateLimit(route.provider, req.method, tenant.id, headers);
      if (limited) {
        if (limited.raw) finish(429, limited.raw); else fail(limited.err);
        return;
      }

      let body;
      if (BODY_METHODS.has(req.method) && hasBody(req)) {
        checkContentType(req);
        body = await readBody(req, timeouts.bodyMs);
      }
      const ctx = {
        tenant, params, url, body, requestId,
        parseJson: () => parseJsonBody(body),
      };
      const result = route.handle(ctx);
      if (result.mutated) app.persist();
      for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = v;
      finish(result.status, result.body);
    } catch (err) {
      if (err instanceof HttpError) {
        if (err.connectionLost) { req.socket.destroy(); return; }
        fail(err);
        return;
      }
      log('error', `${req.method} ${path} failed: ${err.stack ?? err}`);
      fail(new HttpError(500, 'internal_error', 'the emulator failed to handle this request (see its log)'));
    }
  }

  const checkEvery = Math.max(25, Math.min(1000, Math.floor(Math.min(timeouts.headersMs, timeouts.requestMs) / 4)));
  const server = http.createServer({
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: checkEvery,
  }, (req, res) => {
    handle(req, res).catch((err) => {
      log('error', `unhandled: ${err.stack ?? err}`);
      if (!res.headersSent) res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const addr = server.address();
  const hostForUrl = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${hostForUrl}:${addr.port}`;
  log('info', `signalkit emulator listening on ${url}`);

  let closing = null;
  return {
    url,
    port: addr.port,
    puffleBaseUrl: `${url}${PUFFLE_MOUNT.base}`,
    saberBaseUrl: `${url}${SABER_MOUNT.base}`,
    devKeys: devKeys(seed),
    close() {
      if (!closing) {
        closed = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        closing = new Promise((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      return closing;
    },
  };
}
