// The emulator's control routes for Puffle's webhooks (under /__emulator/, outside the
// vendor's documents): the stand-in for the vendor's Svix portal (the webhook app, its
// endpoint and the endpoint's secret), the delivery log, and what makes events happen (new
// signals, research runs). Each route but the portal page needs a Puffle key: it acts on
// that key's tenant only. docs/emulator.md, "Webhooks", describes them.
import { authenticate } from './auth.js';
import { detectSignals, researchRequest, runResearch, signalDetectedData, signalsRequest } from './detection.js';
import { HttpError } from './errors.js';

const APP = '/__emulator/webhook-app';
const DELIVERIES = `${APP}/deliveries`;
const PORTAL_PAGE = '/__emulator/webhook-portal';
const SIGNALS = '/__emulator/signals';
const RESEARCH = '/__emulator/research';
const MAX_URL = 2048;

/**
 * Answers a webhook control request, or returns null when `path` is not one of them.
 * `readJson(check?)` reads the request's JSON body (undefined when there is none), calling
 * `check(text)` first when given.
 * @returns {Promise<{status: number, body: object, headers?: object} | null>}
 * @throws {HttpError} for a request it refuses
 */
export async function webhookControl(req, path, { state, webhooks, allowedKeys, origin, url, readJson }) {
  const route = routeOf(path);
  if (!route) return null;
  if (!route.methods.includes(req.method)) {
    throw Object.assign(new HttpError(405, 'method_not_allowed', `${req.method} is not supported here; use ${route.methods.join(', ')}`),
      { allow: route.methods.join(', ') });
  }
  if (route.name === 'portal') return portalPage(url);
  const tenant = state.tenantFor('puffle', authenticate(req, 'puffle', allowedKeys));
  const app = () => ({ webhookApp: tenant.webhookApp, endpoint: webhooks.endpointOf(tenant) });
  const ctx = { engine: state.engine, seed: state.seed, tenant, nowMs: state.now() };
  // What these controls add to the tenant (signals, research runs) is kept and journaled like
  // any write, so the per-key byte quotas hold here too (state.js).
  const withinQuota = (text) => state.checkQuota(`webhook.${route.name}`, tenant, text);

  switch (`${req.method} ${route.name}`) {
    case 'GET app':
      return { status: 200, body: app() };
    case 'PUT app': {
      const body = await readJson();
      const endpointUrl = endpointRequest(body);
      let endpoint = null;
      if (endpointUrl !== undefined) endpoint = webhooks.register(tenant, endpointUrl);
      tenant.webhookApp = true;
      state.commit(tenant);
      // The one answer that shows the secret: the one that made it.
      return { status: 200, body: { webhookApp: true, endpoint: endpoint ?? webhooks.endpointOf(tenant) } };
    }
    case 'DELETE app':
      webhooks.remove(tenant);
      state.commit(tenant);
      return { status: 200, body: app() };
    case 'GET deliveries':
      return { status: 200, body: { deliveries: webhooks.deliveries(tenant) } };
    case 'POST signals': {
      const signals = detectSignals(ctx, signalsRequest(await readJson(withinQuota)));
      state.commit(tenant);
      const deliveries = signals.map((s) => webhooks.emit(tenant, 'signal.detected', signalDetectedData(s))).filter(Boolean);
      return { status: 200, body: { signals, deliveries } };
    }
    case 'POST research': {
      const reportUrl = (id) => `${origin}${RESEARCH}/${id}`;
      const { run, type, data } = runResearch({ ...ctx, reportUrl }, researchRequest(await readJson(withinQuota)));
      state.commit(tenant);
      const id = webhooks.emit(tenant, type, data);
      return { status: 200, body: { research: run, deliveries: id ? [id] : [] } };
    }
    default: { // GET research/:id
      const run = tenant.research.find((r) => r.id === route.id);
      if (!run) throw new HttpError(404, 'not_found', 'no research run of this key has that id');
      return { status: 200, body: { research: run } };
    }
  }
}

function routeOf(path) {
  if (path === APP) return { name: 'app', methods: ['GET', 'PUT', 'DELETE'] };
  if (path === DELIVERIES) return { name: 'deliveries', methods: ['GET'] };
  if (path === PORTAL_PAGE) return { name: 'portal', methods: ['GET'] };
  if (path === SIGNALS) return { name: 'signals', methods: ['POST'] };
  if (path === RESEARCH) return { name: 'research', methods: ['POST'] };
  if (path.startsWith(`${RESEARCH}/`) && !path.slice(RESEARCH.length + 1).includes('/')) {
    return { name: 'report', methods: ['GET'], id: path.slice(RESEARCH.length + 1) };
  }
  return null;
}

// PUT webhook-app: no body (the app alone), or {url} (the app and its endpoint).
function endpointRequest(body) {
  if (body === undefined) return undefined;
  const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : null;
  const extra = fields?.filter((k) => k !== 'url') ?? [];
  let parsed = null;
  try {
    parsed = typeof body?.url === 'string' && body.url.length <= MAX_URL ? new URL(body.url) : null;
  } catch {
    // refused below
  }
  const problems = [];
  if (!fields) problems.push({ field: '', code: 'type', message: 'the body must be a JSON object {url}, or no body for the app alone' });
  for (const k of extra) problems.push({ field: k, code: 'unknown_field', message: `${k} is not a field here (fields: url)` });
  if (fields && (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.username || parsed.password)) {
    problems.push({ field: 'url', code: 'format',
      message: `url must be an absolute http: or https: URL of at most ${MAX_URL} characters, without credentials` });
  }
  if (problems.length) {
    throw new HttpError(400, 'validation_failed', problems.map((p) => `${p.field || 'body'}: ${p.message}`).join('; '), problems);
  }
  return parsed.href;
}

// The page a portal link opens: a stand-in that knows only when the link expires.
function portalPage(url) {
  const expires = Number(url.searchParams.get('expires'));
  if (!(expires * 1000 > Date.now())) {
    throw new HttpError(410, 'gone', 'this portal link has expired; ask GET /api/v1/partners/portal for a new one');
  }
  return {
    status: 200,
    body: { portal: 'signalkit emulator: a stand-in for the webhook portal', expiresAt: new Date(expires * 1000).toISOString() },
  };
}
