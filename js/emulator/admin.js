// The emulator's own control routes under /__emulator/: a health check; Puffle's webhooks
// (admin-webhooks.js: the webhook app and its endpoint, the delivery log, new signals and
// research runs); the log of a Saber key's company-signal webhookUrl deliveries; and in
// fault mode the fault plan (GET to read, POST to plan, DELETE to clear; docs/emulator.md).
import { webhookControl } from './admin-webhooks.js';
import { authenticate } from './auth.js';
import { HttpError } from './errors.js';
import { checkContentType, hasBody, parseJsonBody, puffleErrorBody, readBody } from './http.js';
import { corsHeaders, send } from './response.js';

const SIGNAL_DELIVERIES = '/__emulator/signal-deliveries';

/**
 * Answers a request under /__emulator/. `faults` is the FaultInjector, or null; `state`,
 * `allowedKeys` and `webhooks` serve the webhook controls; `origin` is the emulator's own;
 * `companySignals` holds the company-signal webhookUrl deliveries.
 */
export async function handleAdmin(req, res, path, requestId, {
  faults, cors, bodyTimeoutMs, state, allowedKeys, url, webhooks, origin, companySignals,
}) {
  const headers = { 'x-request-id': requestId, 'cache-control': 'no-store', ...corsHeaders(cors, req) };
  const reply = (status, body) => send(req, res, { status, headers, body });
  if (path === '/__emulator/health' && req.method === 'GET') return reply(200, { ok: true });
  // `check(text)`, when given, may refuse the body's text before it is parsed (a quota).
  const readJson = async (check) => {
    if (!hasBody(req)) return undefined;
    checkContentType(req);
    const text = await readBody(req, bodyTimeoutMs);
    if (text === undefined) return undefined;
    check?.(text);
    return parseJsonBody(text);
  };
  try {
    const answer = await webhookControl(req, path, { state, webhooks, allowedKeys, origin, url, readJson });
    if (answer) return reply(answer.status, answer.body);
    if (path === SIGNAL_DELIVERIES) {
      if (req.method !== 'GET') throw Object.assign(new HttpError(405, 'method_not_allowed', 'use GET'), { allow: 'GET' });
      const tenant = state.tenantFor('saber', authenticate(req, 'saber', allowedKeys));
      return reply(200, { deliveries: companySignals.deliveries(tenant) });
    }
    if (path !== '/__emulator/faults' || !faults) {
      throw new HttpError(404, 'not_found', faults ? 'no such emulator control' : 'fault mode is off; start the emulator with the faults option');
    }
    if (req.method === 'GET') return reply(200, faults.describe());
    if (req.method === 'DELETE') { faults.clear(); return reply(200, faults.describe()); }
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use GET, POST or DELETE');
    const plan = await readJson();
    if (plan === undefined) throw new HttpError(400, 'validation_failed', 'a JSON fault plan is required');
    try {
      return reply(200, faults.applyPlan(plan));
    } catch (err) {
      throw new HttpError(400, 'validation_failed', err.message);
    }
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    if (err.connectionLost) { req.socket.destroy(); return undefined; }
    if (err.allow) headers.allow = err.allow;
    // A body not read to its end (refused, too big or too slow) is not drained: close instead.
    const close = err.status === 413 || err.status === 408 || (hasBody(req) && !req.complete);
    if (close) headers.connection = 'close';
    return send(req, res, { status: err.status, headers, body: puffleErrorBody(err) }, null,
      close ? () => req.socket.destroy() : undefined);
  }
}
