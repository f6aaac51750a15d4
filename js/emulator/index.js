// signalkit/emulator — a local HTTP server that behaves like the Puffle partner API and
// the Saber templates API, with the engine as its rule book. Behaviour, options and error
// shapes: docs/emulator.md.
//
// This file checks the options and puts the parts together: state.js (tenants, background
// runs, persistence), routing.js with the route tables of puffle.js and saber.js, auth.js
// (keys), ratelimit.js, faults.js, and server.js (node:http and a request's path through
// all of them).
import { canonicalKey, devKeys, isWellFormedKey, KEY_FORMATS } from './auth.js';
import { loadContract } from './contract.js';
import { checkDeliveryOptions } from './deliveries.js';
import { FaultInjector } from './faults.js';
import { puffleRoutes } from './puffle.js';
import { profileRoutes } from './profile.js';
import { RateLimiter, resolveRateLimits } from './ratelimit.js';
import { Router } from './routing.js';
import { SABER_MOUNT, saberRoutes } from './saber.js';
import { CompanySignals } from './saber-signals.js';
import { listen } from './server.js';
import { DEFAULT_QUOTAS, EmulatorState } from './state.js';
import { PuffleWebhooks } from './webhooks.js';
import { makeLogger } from '../util/logger.js';
import { PUFFLE_BASE_PATHS } from '../vendors/puffle.js';

export { devKeys };
export { DEFAULT_RATE_LIMITS } from './ratelimit.js';
export { FAULT_TYPES } from './faults.js';
export { DEFAULT_QUOTAS };

const DEFAULT_TIMEOUTS = { headersMs: 10_000, requestMs: 30_000, bodyMs: 10_000, idleMs: 5_000 };
// Below the 1,024 file descriptors many systems give a process, with room for the data file.
const DEFAULT_CONNECTIONS = { maxConnections: 512, maxConnectionsPerClient: 256 };
const DEFAULT_RESEARCH_DELAY_MS = [1_000, 4_000];

const positiveInteger = (v) => Number.isInteger(v) && v > 0;

async function loadDefaultEngine() {
  try {
    return await (await import('../load.js')).loadEngine();
  } catch (err) {
    throw new Error(`the emulator needs the signalkit engine, which failed to load (${err.message}); `
      + 'build it first (npm run build) or pass options.engine');
  }
}

function checkOptions(o) {
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535)) {
    throw new TypeError('port must be an integer from 0 to 65535');
  }
  for (const name of ['generateDelayMs', 'researchDelayMs']) {
    const d = o[name];
    if (d !== undefined && !(Number.isFinite(d) && d >= 0)
        && !(Array.isArray(d) && d.length === 2 && d.every((x) => Number.isFinite(x) && x >= 0) && d[0] <= d[1])) {
      throw new TypeError(`${name} must be a number of ms or a [min, max] pair`);
    }
  }
  if (o.onboardingStepMs !== undefined && !(Number.isFinite(o.onboardingStepMs) && o.onboardingStepMs > 0)) {
    throw new TypeError('onboardingStepMs must be a positive number of ms');
  }
  if (o.strictResponses !== undefined && typeof o.strictResponses !== 'boolean') {
    throw new TypeError('strictResponses must be true or false');
  }
  if (o.keys !== undefined) {
    if (!Array.isArray(o.keys) || o.keys.length === 0) throw new TypeError('keys must be a non-empty array of API keys');
    o.keys.forEach((k, i) => {
      if (!isWellFormedKey(k)) throw new TypeError(`keys[${i}] is not a well-formed key: ${KEY_FORMATS}`);
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
  checkDeliveryOptions('webhooks', o.webhooks, "Svix's schedule");
  checkDeliveryOptions('signalWebhooks', o.signalWebhooks, 'the full schedule');
  for (const [name, v] of Object.entries(o.timeouts ?? {})) {
    if (!(name in DEFAULT_TIMEOUTS)) throw new TypeError(`timeouts.${name} is not an option (${Object.keys(DEFAULT_TIMEOUTS).join(', ')})`);
    if (!positiveInteger(v)) throw new TypeError(`timeouts.${name} must be a positive integer`);
  }
  for (const name of Object.keys(DEFAULT_CONNECTIONS)) {
    if (o[name] !== undefined && !positiveInteger(o[name])) throw new TypeError(`${name} must be a positive integer`);
  }
  if (o.quotas !== undefined && (o.quotas === null || typeof o.quotas !== 'object')) throw new TypeError('quotas must be an object');
  for (const [name, v] of Object.entries(o.quotas ?? {})) {
    if (!(name in DEFAULT_QUOTAS)) throw new TypeError(`quotas.${name} is not an option (${Object.keys(DEFAULT_QUOTAS).join(', ')})`);
    if (!positiveInteger(v)) throw new TypeError(`quotas.${name} must be a positive integer`);
  }
}

/**
 * Starts the emulator.
 *
 * @param {object} [options]
 * @param {number} [options.port=0] 0 picks a free port
 * @param {string} [options.host='127.0.0.1']
 * @param {number|[number,number]} [options.generateDelayMs=3000] delay of a simulated generation run
 * @param {number|[number,number]} [options.researchDelayMs=[1000, 4000]] how long simulated company research takes
 *   (a range: picked per domain and question)
 * @param {number} [options.onboardingStepMs=1500] time a simulated onboarding session spends in each status
 * @param {boolean} [options.strictResponses=false] check every response against the vendor's OpenAPI document;
 *   one that breaks it is answered 500 naming the violations, logged, and listed in `contractViolations`
 * @param {true|object} [options.faults] enable fault mode: {seed?, rules?: [...]} (docs/emulator.md)
 * @param {string} [options.dataFile] persist state to this file and its journal (every write durable before its answer)
 * @param {false|object} [options.rateLimits] override or disable the per-key limits
 * @param {number|string} [options.seed='signalkit'] seeds built-in ids, the feed and faults
 * @param {Date|string|number} [options.feedAnchor] the feed covers the 30 days before this (default: start time)
 * @param {string[]} [options.keys] accept only these keys (default: any well-formed key)
 * @param {Function|object} [options.logger] (level, message) or {info, warn, error}; keys are masked
 * @param {object} [options.timeouts] {headersMs, requestMs, bodyMs, idleMs}
 * @param {number} [options.maxConnections=512] open connections in all (docs/emulator.md, "Connections")
 * @param {number} [options.maxConnectionsPerClient=256] open connections from one address
 * @param {object} [options.quotas] per-key quotas and the state's budget (DEFAULT_QUOTAS)
 * @param {boolean|string} [options.cors=false] answer browsers: true allows any origin, a string one origin
 * @param {number} [options.maxTenants=1000] most keys (tenants) per provider; more get 403
 * @param {object} [options.webhooks] Puffle's webhook deliveries: {retryScale (1: Svix's schedule), timeoutMs, maxLog}
 * @param {object} [options.signalWebhooks] Saber's webhookUrl deliveries: {retryScale (1: the full schedule), timeoutMs, maxLog}
 * @param {object} [options.engine] an already loaded engine (default: loadEngine())
 * @returns {Promise<{url: string, port: number, puffleBaseUrl: string, saberBaseUrl: string,
 *   devKeys: {puffle: string, saber: string}, contractViolations: object[], rateLimitLog(): object[],
 *   close(): Promise<void>}>}
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
  const state = new EmulatorState({
    engine,
    log,
    seed,
    feedAnchorMs: o.feedAnchor === undefined ? undefined : new Date(o.feedAnchor).getTime(),
    dataFile: o.dataFile,
    maxTenants: o.maxTenants ?? 1000,
    quotas: { ...DEFAULT_QUOTAS, ...(o.quotas ?? {}) },
    generateDelayMs: o.generateDelayMs ?? 3000,
    onboardingStepMs: o.onboardingStepMs ?? 1500,
  });
  const violations = [];
  const contract = o.strictResponses ? await loadContract() : null;
  const onViolation = (report) => {
    violations.push(report);
    log('error', `contract violation: ${report.message}`);
  };
  const companySignals = new CompanySignals(state, {
    researchDelayMs: o.researchDelayMs ?? DEFAULT_RESEARCH_DELAY_MS, webhooks: o.signalWebhooks, log,
  });
  const app = {
    state,
    router: new Router({
      puffle: [...puffleRoutes(state), ...profileRoutes(state)],
      saber: [...saberRoutes(state), ...companySignals.routes()],
    }),
    companySignals,
    limiter: new RateLimiter(limits),
    faults: o.faults ? new FaultInjector(o.faults, seed) : null,
    allowedKeys: o.keys ? new Set(o.keys.map(canonicalKey)) : null,
    cors: o.cors === true ? '*' : (o.cors || null),
    timeouts: { ...DEFAULT_TIMEOUTS, ...(o.timeouts ?? {}) },
    connections: {
      max: o.maxConnections ?? DEFAULT_CONNECTIONS.maxConnections,
      perClient: o.maxConnectionsPerClient ?? DEFAULT_CONNECTIONS.maxConnectionsPerClient,
    },
    log,
    webhooks: new PuffleWebhooks({ ...o.webhooks, log, contract, onViolation }),
    contract,
    onViolation,
  };
  const server = await listen(app, { port: o.port ?? 0, host: o.host ?? '127.0.0.1' });
  log('info', `signalkit emulator listening on ${server.url}`);
  let closing = null;
  return {
    url: server.url,
    port: server.port,
    puffleBaseUrl: `${server.url}${PUFFLE_BASE_PATHS.api}`,
    saberBaseUrl: `${server.url}${SABER_MOUNT.base}`,
    devKeys: devKeys(seed),
    /** strictResponses: every response that broke its document (each was answered 500 instead). */
    get contractViolations() {
      return violations.slice();
    },
    /** Every request the rate limiter counted, with when and whether it passed (ratelimit.js). */
    rateLimitLog: () => app.limiter.log(),
    close() {
      closing ??= Promise.all([state.close(), app.webhooks.close(), companySignals.close(), server.close()]).then(() => undefined);
      return closing;
    },
  };
}
