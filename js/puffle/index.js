// PuffleClient: the Puffle partner API and its company-profile endpoints. One module per
// REST area over the shared request core (js/client/core.js): signal-types.js (with
// signal-type-sources.js), signals.js, partners.js, and on the internal /api base
// onboarding.js and context.js. This file builds a client: its core, both base URLs, what
// it knows of the caller's types (known-types.js) and its generation runs (generation.js),
// shared by the resources.
import { hideSecrets, RequestCore } from '../client/core.js';
import { storeOption } from '../client/ratelimit.js';
import { checkOptions } from '../util/options.js';
import { GENERATION, PUFFLE, puffleBases } from '../vendors/puffle.js';
import { context } from './context.js';
import { GenerationRuns } from './generation.js';
import { KnownTypes } from './known-types.js';
import { onboarding } from './onboarding.js';
import { partners } from './partners.js';
import { signalTypes } from './signal-types.js';
import { signals } from './signals.js';

// What the request core needs to know of Puffle: the vendor facts, one sliding window per
// key for every call (the /api endpoints share it), and what a 428 means to the caller.
const PROVIDER = {
  ...PUFFLE,
  // Puffle serves /api/v1 and the company-profile endpoints under /api of one origin: the
  // option may be that origin or end with /api/v1; requests go to …/api/v1.
  resolveBaseUrl(url) {
    const bases = puffleBases(url);
    if (!bases) {
      throw new TypeError('PuffleClient baseUrl must be Puffle\'s origin or end with /api/v1 (the /api endpoints of the company profile '
        + `are derived from it); got ${url}`);
    }
    return bases.api;
  },
  hints: {
    428: 'generate needs the company profile: run onboarding first '
      + '(puffle.onboarding.start({website}), then puffle.onboarding.waitForCompletion(sessionId))',
  },
  limiters(option) {
    const classOf = () => 'puffle';
    if (option === false) return { classOf, buckets: {} };
    if (option !== undefined && (option === null || typeof option !== 'object' || Array.isArray(option))) {
      throw new TypeError('PuffleClient: rateLimit must be false or {limit?, windowMs?, marginMs?, store?, shared?}');
    }
    const o = checkOptions('PuffleClient rateLimit', option, ['limit', 'windowMs', 'marginMs', 'store', 'shared']);
    const limit = o.limit ?? PUFFLE.rateLimit.limit;
    const windowMs = o.windowMs ?? PUFFLE.rateLimit.windowMs;
    const marginMs = o.marginMs ?? 0;
    if (!(typeof marginMs === 'number' && Number.isFinite(marginMs) && marginMs >= 0)) {
      throw new TypeError(`rateLimit.marginMs must be a non-negative number (got ${JSON.stringify(marginMs)})`);
    }
    return {
      classOf,
      store: storeOption(o, 'rateLimit'),
      // The margin lengthens the window (clocks that drift); a bad windowMs is reported as given.
      buckets: { puffle: { kind: 'window', limits: { limit, windowMs: typeof windowMs === 'number' ? windowMs + marginMs : windowMs }, where: 'rateLimit' } },
    };
  },
};

/**
 * Client of the Puffle partner API.
 *
 * @example
 *   import { PuffleClient } from 'signalkit';
 *   const puffle = new PuffleClient({ apiKey: process.env.PUFFLE_API_KEY });
 *   const types = await puffle.signalTypes.list();
 *   const created = await puffle.signalTypes.create({ name: 'Layoffs', keywords: ['layoffs'],
 *     search_instructions: 'Find layoff news.', scoring_criteria: 'Bigger is better.', sources: ['news'] });
 *   for await (const signal of puffle.signals.list({ sort: 'score' })) console.log(signal.title);
 */
export class PuffleClient {
  #core;
  #known;

  /**
   * @param {object} options
   * @param {string} [options.apiKey] `pk_live_` + 64 hex characters; required unless `proxy` is given
   * @param {string} [options.proxy] instead of apiKey and baseUrl: the URL of a signalkit proxy that holds the key
   * @param {string} [options.baseUrl='https://app.puffle.ai/api/v1'] Puffle's origin, or a URL ending in /api/v1 (the
   *   company-profile calls go to /api beside it); https (http only for localhost)
   * @param {typeof fetch} [options.fetch] a fetch implementation (default: globalThis.fetch)
   * @param {number} [options.timeout=60000] ms per attempt; 0 = none
   * @param {number} [options.maxRetries=2] retries of a retryable failure
   * @param {{onRequest?, onResponse?, onRetry?}} [options.hooks] each receives one state object
   * @param {false|{limit?: number, windowMs?: number, marginMs?: number, store?: object, shared?: boolean}} [options.rateLimit]
   *   default 100 per 60000 ms, counted in this process (`store`: a shared count, docs/ratelimit.md)
   */
  constructor(options = {}) {
    const core = new RequestCore(PROVIDER, options);
    const bases = puffleBases(core.baseUrl);
    const runs = new GenerationRuns(GENERATION.timeoutMs);
    const known = new KnownTypes((type) => runs.observe(type));
    this.#core = core;
    this.#known = known;
    hideSecrets(this, core);
    const ctx = { core, known, runs, bases };
    Object.defineProperty(this, 'signalTypes', { value: signalTypes(ctx), enumerable: true });
    Object.defineProperty(this, 'signals', { value: signals(ctx), enumerable: true });
    Object.defineProperty(this, 'onboarding', { value: onboarding(ctx), enumerable: true });
    Object.defineProperty(this, 'context', { value: context(ctx), enumerable: true });
    Object.defineProperty(this, 'partners', { value: partners(ctx), enumerable: true });
  }

  /** The signal types this client has seen (latest response each), and whether that is the complete list. */
  get knownTypes() {
    return this.#known.snapshot();
  }

  /** Forgets every type seen (the next create/update checks only what the server checks). */
  clearCache() {
    this.#known.clear();
  }

  /** The base URL requests go to. */
  get baseUrl() {
    return this.#core.baseUrl;
  }
}
