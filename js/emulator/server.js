// The HTTP server: node:http with bounded timeouts, and the path of one request through the
// emulator: CORS preflight -> control routes -> route match -> faults -> key -> tenant ->
// rate limit -> body -> the route's handler -> the answer in the provider's shape.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { authenticate } from './auth.js';
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
 * allowedKeys, cors, timeouts, log, contract (null unless strictResponses), onViolation,
 * webhooks (webhooks.js), companySignals (their webhookUrl delivery log, for the control
 * routes)}.
 * Resolves to {url, port, close()}; close() stops the server and drops open connections
 * (idempotent).
 */
export async function listen(app, { port, host }) {
  const { timeouts, log } = app;
  let closed = false;
  const handler = (req, res) => handle(app, req, res, () => closed).catch((err) => {
    log('error', `unhandled: ${err.stack ?? err}`);
    if (!res.headersSent) res.destroy();
  });
  const checkEvery = Math.max(25, Math.min(1000, Math.floor(Math.min(timeouts.headersMs, timeouts.requestMs) / 4)));
  const server = http.createServer({
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: checkEvery,
  }, handler);
  server.keepAliveTimeout = 5_000;

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
  let url;
  try {
    url = new URL(req.url, 'http://emulator.invalid');
  } catch {
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
    const ctx = { tenant, params, url, body, headers: req.headers, requestId, origin: originOf(req) };
    // A handler may answer later (Saber's synchronous research waits for the answer).
    const result = await route.handle(ctx);
    if (result.mutated) state.persist();
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
