// The HTTP server: node:http with bounded timeouts and connections (connections.js), and the
// path of one request through the emulator: CORS preflight -> control routes -> route
// match -> faults -> key -> tenant -> rate limit -> body -> quotas -> the route's handler ->
// the change committed (state.js) -> the answer in the provider's shape.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { authenticate } from './auth.js';
import { ConnectionGuard } from './connections.js';
import { HttpError } from './errors.js';
import { handleAdmin } from './admin.js';
import { documentAt } from './documents.js';
import { checkContentType, hasBody, puffleErrorBody, readBody } from './http.js';
import { corsHeaders, errorBody, preflightHeaders, send } from './response.js';
import { noRoute, providerOf } from './routing.js';
import { maskKey } from '../vendors/index.js';
import { sleep } from '../util/sleep.js';

// Methods whose request body is read (a body on any other method is ignored).
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const INJECTED = {
  500: ['internal_error', 'internal error (injected fault)'],
  502: ['bad_gateway', 'bad gateway (injected fault)'],
  503: ['service_unavailable', 'service unavailable (injected fault)'],
};

/**
 * Starts listening. `app` is what a request needs: {state, router, limiter, faults,
 * allowedKeys, cors, timeouts, connections: {max, perClient}, log, contract (null unless
 * strictResponses), onViolation, webhooks (webhooks.js), companySignals (their webhookUrl
 * delivery log, for the control routes)}. Resolves to {url, port, close()}; close() stops
 * the server and drops open connections (idempotent).
 */
export async function listen(app, { port, host }) {
  const { timeouts, log } = app;
  let closed = false;
  const guard = new ConnectionGuard({ ...app.connections, firstRequestMs: timeouts.headersMs, log });
  const handler = (req, res) => {
    if (guard.refused(req.socket)) { res.destroy(); return; } // already answered 503
    handle(app, req, res, () => closed).catch((err) => {
      log('error', `unhandled: ${err.stack ?? err}`);
      if (!res.headersSent) res.destroy();
    });
  };
  const checkEvery = Math.max(25, Math.min(1000, Math.floor(Math.min(timeouts.headersMs, timeouts.requestMs) / 4)));
  const server = http.createServer({
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: checkEvery,
  }, handler);
  server.keepAliveTimeout = timeouts.idleMs;
  guard.attach(server);

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const addr = server.address();
  const hostForUrl = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let closing = null;
  return {
    url: `http://${hostForUrl}:${addr.port}`,
    port: addr.port,
    close() {
      if (!closing) {
        closed = true;
        closing = new Promise((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      return closing;
    },
  };
}

/**
 * The URL of a request target: origin-form (`/api/v1/…?…`, whose path may start with
 * empty segments: `//api/v1` is the path `//api/v1`, not a host named "api") or
 * absolute-form (`http://host/api/v1/…`); null for anything else.
 */
function requestTarget(target) {
  try {
    if (target.startsWith('/')) return new URL(`http://emulator.invalid${target}`);
    if (/^https?:\/\//i.test(target)) return new URL(target);
  } catch {
    // malformed: null below
  }
  return null;
}

/** The emulator's own origin as this request reached it (for links it hands out). */
function originOf(req) {
  const { localAddress, localPort } = req.socket;
  return `http://${localAddress.includes(':') ? `[${localAddress}]` : localAddress}:${localPort}`;
}

/**
 * A response that breaks the provider's document (strictResponses): what it was, and the
 * 500 it becomes, naming each violation.
 */
function contractViolation(route, method, path, status, violations) {
  const message = `the emulator's ${status} response to ${method} ${path} violates schemas/openapi/${route.provider}.json: `
    + violations.map((v) => v.message).join('; ');
  const error = new HttpError(500, 'contract_violation', message,
    violations.map((v) => ({ field: v.field, code: 'contract_violation', message: v.message })));
  return { report: { request: `${method} ${path}`, status, violations, message }, error };
}

async function handle(app, req, res, isClosed) {
  const { state, router, limiter, faults, allowedKeys, cors, timeouts, log, contract } = app;
  const started = Date.now();
  const requestId = randomUUID();
  const url = requestTarget(req.url);
  if (!url) {
    send(req, res, { status: 400, headers: {}, body: puffleErrorBody(new HttpError(400, 'validation_failed', 'malformed request URL')) });
    return;
  }
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  if (cors && req.method === 'OPTIONS' && req.headers.origin !== undefined) {
    send(req, res, { status: 204, headers: preflightHeaders(cors, req) });
    return;
  }
  if (path.startsWith('/__emulator/')) {
    await handleAdmin(req, res, path, requestId, {
      faults, cors, bodyTimeoutMs: timeouts.bodyMs, state, allowedKeys, url, webhooks: app.webhooks, origin: originOf(req),
      companySignals: app.companySignals,
    });
    return;
  }
  const document = req.method === 'GET' ? documentAt(path) : null;
  if (document !== null) {
    send(req, res, { status: 200, headers: { 'x-request-id': requestId, ...corsHeaders(cors, req) }, body: JSON.parse(document) });
    return;
  }

  const provider = providerOf(path) ?? 'puffle';
  const headers = { 'x-request-id': requestId, ...corsHeaders(cors, req) };
  let key = null;
  let fault = null;
  let route = null;
  const finish = (status, body) => {
    // strictResponses: a response the provider's document does not allow becomes a loud 500
    // (faults that spoil a response on purpose are left alone).
    if (contract && route && !fault) {
      const violations = contract.check(route.provider, req.method, route.path, status, body);
      if (violations.length) {
        const { report, error } = contractViolation(route, req.method, path, status, violations);
        app.onViolation(report);
        status = 500;
        body = errorBody(provider, error, requestId);
      }
    }
    // A body we did not read (refused before reading, or too big/slow) is not drained:
    // the connection closes after the answer instead.
    const closeAfter = status === 413 || status === 408 || (hasBody(req) && !req.complete);
    if (closeAfter) headers.connection = 'close';
    send(req, res, { status, headers, body }, fault, closeAfter ? () => req.socket.destroy() : undefined);
    log(status >= 500 ? 'warn' : 'info', `${req.method} ${path} ${status} ${Date.now() - started}ms key=${key ? maskKey(key) : '-'}`);
  };
  const fail = (err) => finish(err.status, errorBody(provider, err, requestId));

  try {
    const match = router.match(req.method, path);
    ({ route } = match);
    const { params, allow } = match;

    if (faults) {
      const picked = faults.pick({ method: req.method, path, route: route?.name ?? 'unknown' });
      if (picked.latencyMs > 0) {
        await sleep(picked.latencyMs);
        if (isClosed() || req.socket.destroyed) return; // closed or client gone while we waited
      }
      fault = picked.fault;
      if (fault?.type === 'drop_before') { req.socket.destroy(); log('info', `${req.method} ${path} dropped (fault)`); return; }
      if (fault?.type === 'status') {
        const { status } = fault;
        const [code, message] = INJECTED[status];
        if (status === 503) headers['retry-after'] = '1';
        fault = null; // answered here; nothing left to apply to the response
        fail(new HttpError(status, code, message));
        return;
      }
    }

    if (!route) {
      if (allow) headers.allow = allow;
      throw noRoute(req.method, path, allow);
    }

    key = authenticate(req, route.provider, allowedKeys);
    const tenant = state.tenantFor(route.provider, key);
    const limited = limiter.check(route.provider, req.method, tenant.id, headers);
    if (limited) {
      if (limited.raw) finish(429, limited.raw); else fail(limited.err);
      return;
    }

    let body;
    if (BODY_METHODS.has(req.method) && hasBody(req)) {
      checkContentType(req);
      body = await readBody(req, timeouts.bodyMs);
    }
    if (route.write) state.checkQuota(route.name, tenant, body);
    state.beginRequest(tenant);
    const ctx = { tenant, params, url, body, headers: req.headers, requestId, origin: originOf(req) };
    let result = route.handle(ctx);
    // Saber's synchronous research answers later; it changes no journaled state, and every
    // handler that does answers at once, so nothing runs between its change and its commit.
    if (result instanceof Promise) result = await result;
    // Journaled (and fsynced) before the answer: an acknowledged write is never lost.
    if (result.mutated) state.commit(tenant);
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
