// SaberClient: Saber signal templates (list, create, get, update = new version, soft
// delete). Thin resources over the request core (js/client/core.js).
import { hideSecrets, RequestCore } from '../client/core.js';
import { Paginator } from '../client/pagination.js';
import { callOptions, enc, hasId, idOf, keyOf, withId } from '../client/resource.js';
import { TokenBucketLimiter } from '../client/ratelimit.js';
import { bucketLimits } from '../vendors/rate-limits.js';
import { SABER, SABER_PATHS, saberRateLimitClass } from '../vendors/saber.js';

const TEMPLATES = SABER_PATHS.templates;
const CLASSES = Object.keys(SABER.rateLimits); // write, read

function bucketConfig(given, name) {
  if (given === undefined) return { ...SABER.rateLimits[name] };
  if (given === null || typeof given !== 'object') throw new TypeError(`rateLimit.${name} must be false or {limit, windowMs, burst?}`);
  return { ...given, ...bucketLimits(SABER.rateLimits[name], given) };
}

const PROVIDER = {
  ...SABER,
  limiters(option) {
    const classOf = saberRateLimitClass;
    if (option === false) return { classOf, make: {}, config: {} };
    if (option !== undefined && (option === null || typeof option !== 'object')) {
      throw new TypeError('rateLimit must be false or {write?, read?}');
    }
    const o = option ?? {};
    for (const k of Object.keys(o)) {
      if (![...CLASSES, 'shared'].includes(k)) throw new TypeError(`rateLimit.${k} is not an option (${CLASSES.join(', ')}, shared)`);
    }
    const make = {};
    const config = {};
    for (const name of CLASSES) {
      if (o[name] === false) continue;
      const c = bucketConfig(o[name], name);
      config[name] = c;
      make[name] = () => new TokenBucketLimiter(c);
    }
    return { classOf, make, config, shared: o.shared };
  },
};

/**
 * Client of the Saber signal templates API.
 *
 * @example
 *   import { SaberClient } from 'signalkit';
 *   const saber = new SaberClient({ apiKey: process.env.SABER_API_KEY });
 *   const t = await saber.templates.create({ name: 'Headcount', question: 'How many employees?',
 *     answerType: 'number', qualificationCriteria: { ranges: [{ rangeStart: 50, rangeEnd: null, answerQualification: 'good' }] } });
 *   for await (const template of saber.templates.list()) console.log(template.name);
 */
export class SaberClient {
  #core;
  #byId = new Map();      // lower-cased version id -> template version seen
  #latest = new Map();    // lower-cased templateId -> latest version seen

  /**
   * @param {object} options
   * @param {string} options.apiKey `sk_live_` + a random string
   * @param {string} [options.baseUrl='https://api.saber.app/v1'] https (http only for localhost)
   * @param {typeof fetch} [options.fetch]
   * @param {number} [options.timeout=60000] ms per attempt; 0 = none
   * @param {number} [options.maxRetries=2]
   * @param {{onRequest?, onResponse?, onRetry?}} [options.hooks]
   * @param {false|{write?, read?}} [options.rateLimit] token buckets; default write 2000/min burst 400, read 100000/min burst 10000
   */
  constructor(options = {}) {
    const core = new RequestCore(PROVIDER, options);
    this.#core = core;
    hideSecrets(this, core);
    const self = this;

    const see = (t) => {
      if (!hasId(t)) return t;
      self.#byId.set(keyOf(t.id), t);
      if (typeof t.templateId === 'string') {
        const k = keyOf(t.templateId);
        const prev = self.#latest.get(k);
        if (!prev || !(prev.version > t.version)) self.#latest.set(k, t);
      }
      return t;
    };
    // The current version of the template a (possibly older) version id belongs to.
    const current = (id) => {
      const v = self.#byId.get(keyOf(id));
      if (!v) return undefined;
      const latest = (typeof v.templateId === 'string' && self.#latest.get(keyOf(v.templateId))) || v;
      return latest.deletedAt === null || latest.deletedAt === undefined ? latest : undefined;
    };
    const forget = (id) => {
      const v = self.#byId.get(keyOf(id));
      if (v && typeof v.templateId === 'string') self.#latest.delete(keyOf(v.templateId));
      self.#byId.delete(keyOf(id));
    };
    const dropOn404 = async (id, fn) => {
      try {
        return await fn();
      } catch (err) {
        if (err?.status === 404) forget(id);
        throw err;
      }
    };

    const templates = {
      /**
       * Templates, lazily paged by offset: `for await (const t of saber.templates.list())`,
       * `.pages()`, `.toArray({limit})`, `.firstPage()`. `query.limit` is the page size
       * (1-100, default 20); `offset` where to start; `includeDeleted` every version.
       */
      list(query = {}, options) {
        if (query === null || typeof query !== 'object' || Array.isArray(query)) {
          throw new TypeError('templates.list(query): query must be an object');
        }
        const base = {};
        for (const [k, v] of Object.entries(query)) if (v !== undefined) base[k] = v;
        return new Paginator(async (state) => {
          const q = { ...base };
          if (state.offset !== undefined) q.offset = state.offset;
          const page = await core.request({ kind: 'saber.template.list', method: 'GET', path: TEMPLATES, query: q, safe: true }, callOptions(options));
          const items = Array.isArray(page?.items) ? page.items : [];
          items.forEach(see);
          const at = typeof page?.offset === 'number' ? page.offset : (state.offset ?? 0);
          const next = page?.hasMore && items.length > 0 ? { offset: at + items.length } : null;
          return { page, items, next };
        }, { offset: base.offset });
      },
      /** Creates a template (POST; version 1). Never retried once sent. */
      async create(body, options) {
        return see(await core.request({ kind: 'saber.template.create', method: 'POST', path: TEMPLATES, body, safe: false }, callOptions(options)));
      },
      /** One template version by id (GET). */
      async get(id, options) {
        const tid = idOf(id);
        return dropOn404(tid, async () => see(await core.request({
          kind: 'saber.template.get', method: 'GET', path: `${TEMPLATES}/${enc(tid)}`, context: { params: { id: tid } }, safe: true,
        }, callOptions(options))));
      },
      /**
       * Changes fields (PATCH); the API stores a new version (new id, same templateId,
       * version + 1). The current answerType (from the template passed, `{template}`, or the
       * last version seen) shapes the qualificationCriteria check; unknown → the server decides.
       * Never retried once sent.
       */
      async update(idOrTemplate, patch, options) {
        const id = idOf(idOrTemplate);
        const template = options?.template ?? withId(idOrTemplate) ?? current(id);
        const context = { params: { id } };
        if (template) context.template = template;
        return dropOn404(id, async () => see(await core.request({
          kind: 'saber.template.update', method: 'PATCH', path: `${TEMPLATES}/${enc(id)}`, body: patch, context, safe: false,
        }, callOptions(options))));
      },
      /** Soft-deletes a template (DELETE; idempotent, retried like a read). Resolves to undefined. */
      async delete(idOrTemplate, options) {
        const id = idOf(idOrTemplate);
        await dropOn404(id, () => core.request({
          kind: 'saber.template.delete', method: 'DELETE', path: `${TEMPLATES}/${enc(id)}`, context: { params: { id } }, safe: true,
        }, callOptions(options)));
        forget(id);
      },
    };
    Object.defineProperty(this, 'templates', { value: Object.freeze(templates), enumerable: true });
  }

  /** The base URL requests go to. */
  get baseUrl() {
    return this.#core.baseUrl;
  }
}
