// The widgets' endpoint mode: calls to a signalkit proxy (signalkit/proxy) at the URL a
// page gives in `endpoint="…"`. The page holds no key; the proxy adds it on the server.
// The proxy's URL scheme (the vendors' paths under /puffle and /saber) is js/proxy/routes.js.
import { operation, pathOf } from '../proxy/routes.js';

/** A call to the endpoint failed: the proxy's (or the vendor's) `{code, message, fields}`, and the HTTP status. */
export class EndpointError extends Error {
  constructor(message, { status = 0, code = 'network_error', fields = [], source } = {}) {
    super(message);
    this.name = 'EndpointError';
    this.status = status;
    this.code = code;
    this.fields = Array.isArray(fields) ? fields : [];
    this.source = source;
  }
}

/**
 * Calls one proxy operation and resolves to the answer's JSON (undefined for 204).
 * @param {string} endpoint the proxy's URL (absolute, or relative to the page)
 * @param {string} name the operation (`puffle.signalType.list`, …)
 * @param {{params?: object, query?: object, body?: unknown, credentials?: RequestCredentials, signal?: AbortSignal}} [call]
 * @throws {EndpointError}
 */
export async function callEndpoint(endpoint, name, { params, query, body, credentials = 'same-origin', signal } = {}) {
  const op = operation(name);
  const url = new URL(`${endpoint.replace(/\/+$/, '')}${pathOf(name, params)}`, document.baseURI);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  let text;
  try {
    res = await fetch(url, {
      method: op.method, headers, credentials, signal, cache: 'no-store',
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    text = await res.text();
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
    // A refused origin looks the same to a page as a server that is down (CORS hides it).
    throw new EndpointError(`Could not reach the endpoint ${new URL(endpoint, document.baseURI).href} (${err?.message ?? err}). `
      + 'Is the proxy running, and does it allow this page\'s origin (createProxy({cors}))?');
  }
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = json?.error;
    const message = typeof e?.message === 'string' && e.message ? e.message : `The endpoint answered ${res.status}.`;
    throw new EndpointError(message, { status: res.status, code: e?.code ?? `http_${res.status}`, fields: e?.fields, source: e?.source });
  }
  if (res.status !== 204 && json === undefined) {
    throw new EndpointError(`The endpoint answered ${res.status} with a body that is not JSON: is ${url.origin} a signalkit proxy?`, { status: res.status, code: 'invalid_response' });
  }
  return json;
}

/**
 * Loads the tenant's signal types through the widget's endpoint (unless the page gave types)
 * and hands them to `widget._setTypes`; progress and failure go to its status line. A load
 * overtaken by a newer one is dropped.
 */
export async function loadTenantTypes(widget) {
  if (!widget._endpoint || widget._typesGiven || !widget.isConnected) return;
  const load = ++widget._loads;
  widget._status.set('remote', 'Loading your signal types…');
  try {
    const { signal_types: types } = await callEndpoint(widget._endpoint, 'puffle.signalType.list', { credentials: widget._credentials });
    if (load !== widget._loads) return;
    widget._status.set('remote', null);
    widget._setTypes(types);
  } catch (err) {
    if (load !== widget._loads) return;
    widget._status.set('remote', `Could not load your signal types: ${err.message}`, { error: true });
  }
}

/** True when a save event came from the widget's own endpoint (the tenant's list changed). */
export function savedThroughSameEndpoint(widget, e) {
  const from = e.detail?.endpoint;
  return Boolean(from && widget._endpoint && !widget._typesGiven && from === new URL(widget._endpoint, document.baseURI).href);
}
