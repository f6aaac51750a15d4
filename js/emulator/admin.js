// The emulator's own control routes under /__emulator/: a health check; the stand-in for
// Puffle's webhook app (PUT/DELETE webhook-app with a Puffle key: the partner portal answers
// while the key has one) and the page its portal links to; the log of a Saber key's
// company-signal webhook deliveries; and in fault mode the fault plan (GET to read, POST to
// plan, DELETE to clear; docs/emulator.md).
import { authenticate } from './auth.js';
import { HttpError } from './errors.js';
import { checkContentType, hasBody, parseJsonBody, puffleErrorBody, readBody } from './http.js';
import { corsHeaders, send } from './response.js';

/**
 * Answers a request under /__emulator/. `faults` is the FaultInjector, or null; `state` and
 * `allowedKeys` find the tenant of a key; `companySignals` holds the signal webhook deliveries.
 */
export async function handleAdmin(req, res, path, requestId, { faults, cors, bodyTimeoutMs, state, allowedKeys, url, companySignals }) {
  const headers = { 'x-request-id': requestId, 'cache-control': 'no-store', ...corsHeaders(cors, req) };
  const reply = (status, body) => send(req, res, { status, headers, body });
  if (path === '/__emulator/health' && req.method === 'GET') return reply(200, { ok: true });
  if (path === '/__emulator/webhook-app' && (req.method === 'PUT' || req.method === 'DELETE')) {
    try {
      const tenant = state.tenantFor('puffle', authenticate(req, 'puffle', allowedKeys));
      tenant.webhookApp = req.method === 'PUT';
      state.persist();
      return reply(200, { webhookApp: tenant.webhookApp });
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return reply(err.status, puffleErrorBody(err));
    }
  }
  if (path === '/__emulator/signal-deliveries' && req.method === 'GET') {
    try {
      const tenant = state.tenantFor('saber', authenticate(req, 'saber', allowedKeys));
      return reply(200, { deliveries: companySignals.deliveries(tenant) });
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return reply(err.status, puffleErrorBody(err));
    }
  }
  if (path === '/__emulator/webhook-portal' && req.method === 'GET') {
    const expires = Number(url.searchParams.get('expires'));
    if (!(expires * 1000 > Date.now())) {
      return reply(410, puffleErrorBody(new HttpError(410, 'gone', 'this portal link has expired; ask GET /api/v1/partners/portal for a new one')));
    }
    return reply(200, { portal: 'signalkit emulator: a stand-in for the webhook portal', expiresAt: new Date(expires * 1000).toISOString() });
  }
  if (path !== '/__emulator/faults' || !faults) {
    return reply(404, puffleErrorBody(new HttpError(404, 'not_found', faults ? 'no such emulator control' : 'fault mode is off; start the emulator with the faults option')));
  }
  try {
    if (req.method === 'GET') return reply(200, faults.describe());
    if (req.method === 'DELETE') { faults.clear(); return reply(200, faults.describe()); }
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use GET, POST or DELETE');
    if (!hasBody(req)) throw new HttpError(400, 'validation_failed', 'a JSON fault plan is required');
    checkContentType(req);
    const plan = parseJsonBody(await readBody(req, bodyTimeoutMs) ?? '');
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
