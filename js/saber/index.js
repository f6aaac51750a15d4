// SaberClient: the Saber API. One module per REST area over the shared request core
// (js/client/core.js): templates.js and company-signals.js, and scoring.js on top of both.
// This file builds a client: its core and what it knows of the caller's templates
// (known-templates.js), shared by the resources.
import { hideSecrets, RequestCore } from '../client/core.js';
import { storeOption } from '../client/ratelimit.js';
import { checkOptions } from '../util/options.js';
import { bucketLimits } from '../vendors/rate-limits.js';
import { SABER, saberRateLimitClass } from '../vendors/saber.js';
import { companySignals } from './company-signals.js';
import { KnownTemplates } from './known-templates.js';
import { scoreCompanies, scoreCompany } from './scoring.js';
import { templates } from './templates.js';

const CLASSES = Object.keys(SABER.rateLimits); // write, read

// What the request core needs to know of Saber: the vendor facts, and a token bucket per
// key for writes and one for reads.
const PROVIDER = {
  ...SABER,
  limiters(option) {
    const classOf = saberRateLimitClass;
    if (option === false) return { classOf, buckets: {} };
    const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (option !== undefined && !isObject(option)) throw new TypeError('SaberClient: rateLimit must be false or {write?, read?, store?, shared?}');
    const o = checkOptions('SaberClient rateLimit', option, [...CLASSES, 'store', 'shared']);
    const buckets = {};
    for (const name of CLASSES) {
      if (o[name] === false) continue;
      const where = `rateLimit.${name}`;
      if (o[name] !== undefined && !isObject(o[name])) throw new TypeError(`SaberClient: ${where} must be false or {limit?, windowMs?, burst?}`);
      const given = checkOptions(`SaberClient ${where}`, o[name], ['limit', 'windowMs', 'burst']);
      buckets[name] = { kind: 'bucket', limits: bucketLimits(SABER.rateLimits[name], given), where };
    }
    return { classOf, store: storeOption(o, 'rateLimit'), buckets };
  },
};

/**
 * Client of the Saber API: signal templates, company signals, and scoring companies with both.
 *
 * @example
 *   import { SaberClient } from 'signalkit';
 *   const saber = new SaberClient({ apiKey: process.env.SABER_API_KEY });
 *   const t = await saber.templates.create({ name: 'Headcount', question: 'How many employees?',
 *     answerType: 'number', qualificationCriteria: { ranges: [{ rangeStart: 50, rangeEnd: null, answerQualification: 'good' }] } });
 *   for await (const template of saber.templates.list()) console.log(template.name);
 *   const { score, answers } = await saber.scoreCompany('acme.com');
 */
export class SaberClient {
  #core;
  #ctx;

  /**
   * @param {object} options
   * @param {string} [options.apiKey] `sk_live_` + a random string; required unless `proxy` is given
   * @param {string} [options.proxy] instead of apiKey and baseUrl: the URL of a signalkit proxy that holds the key
   * @param {string} [options.baseUrl='https://api.saber.app/v1'] https (http only for localhost)
   * @param {typeof fetch} [options.fetch]
   * @param {number} [options.timeout=60000] ms per attempt; 0 = none
   * @param {number} [options.maxRetries=2]
   * @param {{onRequest?, onResponse?, onRetry?}} [options.hooks]
   * @param {false|{write?, read?, store?, shared?}} [options.rateLimit] token buckets; default write 2000/min burst 400,
   *   read 100000/min burst 10000, counted in this process (`store`: a shared count, docs/ratelimit.md)
   */
  constructor(options = {}) {
    const core = new RequestCore(PROVIDER, options);
    this.#core = core;
    hideSecrets(this, core);
    const ctx = { core, known: new KnownTemplates() };
    ctx.templates = templates(ctx);
    ctx.signals = companySignals(ctx);
    this.#ctx = ctx;
    Object.defineProperty(this, 'templates', { value: ctx.templates, enumerable: true });
    Object.defineProperty(this, 'signals', { value: ctx.signals, enumerable: true });
  }

  /**
   * Researches one company with every active template (or `options.templates`): one
   * company signal per template, each answer evaluated against its template's criteria, and
   * the fit score. Resolves with `{domain, score, disqualified, disqualifiedBy, parts,
   * answers, unanswered, errors, totalWeight}`: the engine's fitScore, with each template's
   * signal, answer and evaluation in `answers`.
   * @param {string} domain a hostname such as "acme.com"
   * @param {object} [options] {templates, concurrency, forceRefresh, verificationMode,
   *   timeoutSec, wait: {interval, timeout}, criteria, signal, onProgress} (README)
   */
  scoreCompany(domain, options) {
    return scoreCompany(this.#ctx, domain, options);
  }

  /**
   * Scores many companies as scoreCompany does, yielding each result as it is ready:
   * `for await (const r of saber.scoreCompanies(domains, options))`. One failed company is
   * yielded as `{domain, index, error}` and never stops the others.
   * @param {Iterable<string>|AsyncIterable<string>} domains
   * @param {object} [options] as scoreCompany's (concurrency counts across companies)
   */
  scoreCompanies(domains, options) {
    return scoreCompanies(this.#ctx, domains, options);
  }

  /** The base URL requests go to. */
  get baseUrl() {
    return this.#core.baseUrl;
  }
}
