// The proxy's URL scheme, shared by the proxy (js/proxy/index.js) and the widgets'
// endpoint mode (js/widgets/endpoint.js): each vendor's own paths under a provider prefix.
//
//   <mount>/puffle/<path>   is Puffle's  https://app.puffle.ai/<path>   (e.g. /api/v1/signals/types)
//   <mount>/saber/<path>    is Saber's   https://api.saber.app/<path>   (e.g. /v1/companies/signals/templates)
//
// Each route is one operation, named like the engine's validation kind it is checked with
// (`puffle.signalType.create`); those names are the vocabulary of createProxy({allow}).
// Answers keep the vendor's success status and body. Pure data: no Node built-in, no engine.
import { PUFFLE_BASE_PATHS, PUFFLE_PATHS, PUFFLE_PROFILE_PATHS } from '../vendors/puffle.js';
import { SABER, SABER_PATHS } from '../vendors/saber.js';

const PUFFLE_API = `/puffle${PUFFLE_BASE_PATHS.api}`;
const PUFFLE_INTERNAL = `/puffle${PUFFLE_BASE_PATHS.internal}`;
const SABER_API = `/saber${new URL(SABER.baseUrl).pathname}`;
const TYPES = `${PUFFLE_API}${PUFFLE_PATHS.signalTypes}`;
const SIGNALS = `${PUFFLE_API}${PUFFLE_PATHS.signals}`;
const TEMPLATES = `${SABER_API}${SABER_PATHS.templates}`;
const COMPANY_SIGNALS = `${SABER_API}${SABER_PATHS.companySignals}`;

// [name, method, path template, input, success status, kind?]. `input` is what the engine checks
// besides the path parameters: 'body' (a JSON body), 'query' (a query kind) or 'none'; `kind`
// the engine's validation kind when it is not the name.
const TABLE = [
  ['puffle.signalType.list', 'GET', TYPES, 'none', 200],
  ['puffle.signalType.create', 'POST', TYPES, 'body', 201],
  ['puffle.signalType.get', 'GET', `${TYPES}/{id}`, 'none', 200],
  ['puffle.signalType.update', 'PATCH', `${TYPES}/{id}`, 'body', 200],
  ['puffle.signalType.delete', 'DELETE', `${TYPES}/{id}`, 'none', 204],
  ['puffle.signalType.reset', 'POST', `${TYPES}/{id}/reset`, 'none', 200],
  ['puffle.signalType.generate', 'POST', `${TYPES}/{id}/generate`, 'none', 200],
  ['puffle.signalTypeSource.list', 'GET', `${TYPES}/{id}/sources`, 'none', 200],
  ['puffle.signalTypeSource.update', 'PATCH', `${TYPES}/{id}/sources/{sourceId}`, 'body', 200],
  ['puffle.signal.list', 'GET', SIGNALS, 'query', 200],
  ['puffle.signal.dismiss', 'POST', `${SIGNALS}/{id}/dismiss`, 'none', 200],
  ['puffle.signal.feedback', 'POST', `${SIGNALS}/{id}/feedback`, 'body', 200],
  ['puffle.onboarding.start', 'POST', `${PUFFLE_INTERNAL}${PUFFLE_PROFILE_PATHS.onboardingStart}`, 'body', 200],
  ['puffle.onboarding.status', 'GET', `${PUFFLE_INTERNAL}${PUFFLE_PROFILE_PATHS.onboardingStatus}`, 'query', 200],
  ['puffle.context.get', 'GET', `${PUFFLE_INTERNAL}${PUFFLE_PROFILE_PATHS.context}`, 'none', 200],
  ['puffle.context.set', 'PUT', `${PUFFLE_INTERNAL}${PUFFLE_PROFILE_PATHS.context}`, 'body', 200],
  ['saber.template.list', 'GET', TEMPLATES, 'query', 200],
  ['saber.template.create', 'POST', TEMPLATES, 'body', 201],
  ['saber.template.get', 'GET', `${TEMPLATES}/{id}`, 'none', 200],
  ['saber.template.update', 'PATCH', `${TEMPLATES}/{id}`, 'body', 200],
  ['saber.template.delete', 'DELETE', `${TEMPLATES}/{id}`, 'none', 204],
  ['saber.companySignal.list', 'GET', COMPANY_SIGNALS, 'query', 200],
  ['saber.companySignal.create', 'POST', COMPANY_SIGNALS, 'body', 201],
  // Research and wait (headers X-Sbr-Timeout-Sec, X-Sbr-Timeout-Error): 200 with the finished
  // signal, 202 with one still processing, as Saber answers. Its body is a create's.
  ['saber.companySignal.sync', 'POST', `${SABER_API}${SABER_PATHS.companySignalsSync}`, 'body', 200, 'saber.companySignal.create'],
  ['saber.companySignal.get', 'GET', `${COMPANY_SIGNALS}/{id}`, 'none', 200],
];

/**
 * Every operation the proxy can serve: `{name, provider, method, path, input, status, kind}`.
 * (Puffle's webhook-portal link is deliberately absent: it opens the signing secrets.)
 */
export const OPERATIONS = Object.freeze(TABLE.map(([name, method, path, input, status, kind = name]) => Object.freeze({
  name, provider: name.slice(0, name.indexOf('.')), method, path, input, status, kind,
})));

const BY_NAME = new Map(OPERATIONS.map((op) => [op.name, op]));
// Path templates as patterns: a parameter is one non-empty path segment.
const PATTERNS = OPERATIONS.map((op) => ({
  op,
  params: [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
  regex: new RegExp(`^${op.path.replace(/\{\w+\}/g, '([^/]+)')}$`),
}));

/** The operation called `name`, or undefined. */
export function operation(name) {
  return BY_NAME.get(name);
}

/**
 * The operations at a path (below the mount point), whatever their method: `[{op, params}]`
 * with the path parameters percent-decoded. Throws URIError for a malformed escape.
 */
export function routesAt(pathname) {
  const found = [];
  for (const { op, params, regex } of PATTERNS) {
    const m = regex.exec(pathname);
    if (!m) continue;
    found.push({ op, params: Object.fromEntries(params.map((p, i) => [p, decodeURIComponent(m[i + 1])])) });
  }
  return found;
}

/** The path of operation `name` with its parameters filled in (percent-encoded). */
export function pathOf(name, params = {}) {
  const op = BY_NAME.get(name);
  if (!op) throw new TypeError(`unknown proxy operation ${JSON.stringify(name)}`);
  return op.path.replace(/\{(\w+)\}/g, (_, p) => {
    if (typeof params[p] !== 'string' || params[p] === '') throw new TypeError(`${name}: the path parameter ${p} is required`);
    return encodeURIComponent(params[p]);
  });
}
