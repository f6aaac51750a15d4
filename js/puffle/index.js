// PuffleClient: the Puffle partner API (signal types, their sources, the signal feed,
// dismiss and feedback) plus the company profile route. Thin resources over the request
// core (js/client/core.js); this file knows paths, context and the generation wait.
import { GenerationTimeoutError, NetworkError, RateLimitError, ServerError, TimeoutError, ValidationError } from '../errors.js';
import { hideSecrets, RequestCore, sleep } from '../client/core.js';
import { Paginator } from '../client/pagination.js';
import { callOptions, enc, hasId, idOf, keyOf, withId } from '../client/resource.js';
import { SlidingWindowLimiter } from '../client/ratelimit.js';
import { GENERATION, PUFFLE, PUFFLE_PATHS, puffleContextUrl } from '../vendors/puffle.js';

const TYPES = PUFFLE_PATHS.signalTypes;

const PROVIDER = {
  ...PUFFLE,
  limiters(option) {
    if (option === false) return { classOf: () => 'puffle', make: {}, config: {} };
    if (option !== undefined && (option === null || typeof option !== 'object')) {
      throw new TypeError('rateLimit must be false or {limit, windowMs, marginMs?}');
    }
    const config = { ...PUFFLE.rateLimit, ...(option ?? {}) };
    const { shared, ...limits } = config;
    return {
      classOf: () => 'puffle',
      make: { puffle: () => new SlidingWindowLimiter(limits) },
      config: { puffle: limits },
      shared,
    };
  },
};

function generated(before, now) {
  const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return {
    search_instructions: !same(before.search_instructions, now.search_instructions),
    scoring_criteria: !same(before.scoring_criteria, now.scoring_criteria),
    keywords: !same(before.keywords, now.keywords),
  };
}
const allChanged = (c) => c.search_instructions && c.scoring_criteria && c.keywords;

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
  #types = new Map();       // lower-cased id -> the latest type seen in a response
  #complete = false;        // true after a full list(): #types is the caller's whole list
  #pending = new Map();     // lower-cased id -> {runId, before, startedAt}

  /**
   * @param {object} options
   * @param {string} options.apiKey `pk_live_` + 64 hex characters
   * @param {string} [options.baseUrl='https://app.puffle.ai/api/v1'] https (http only for localhost)
   * @param {typeof fetch} [options.fetch] a fetch implementation (default: globalThis.fetch)
   * @param {number} [options.timeout=60000] ms per attempt; 0 = none
   * @param {number} [options.maxRetries=2] retries of a retryable failure
   * @param {{onRequest?, onResponse?, onRetry?}} [options.hooks] each receives one state object
   * @param {false|{limit?: number, windowMs?: number, marginMs?: number}} [options.rateLimit] default 100 per 60000 ms
   * @param {string} [options.contextUrl] the company profile route (default: `<baseUrl without /v1>/context`)
   */
  constructor(options = {}) {
    const core = new RequestCore(PROVIDER, options);
    this.#core = core;
    const contextUrl = options.contextUrl ?? puffleContextUrl(core.baseUrl);
    hideSecrets(this, core);
    const self = this;

    const see = (type) => {
      if (!hasId(type)) return type;
      const key = keyOf(type.id);
      self.#types.set(key, type);
      const p = self.#pending.get(key);
      if (p && allChanged(generated(p.before, type))) self.#pending.delete(key);
      return type;
    };
    const forget = (id) => { self.#types.delete(keyOf(id)); };
    const known = (id) => self.#types.get(keyOf(id));
    const listIfComplete = () => (self.#complete ? [...self.#types.values()] : undefined);
    // A 404 means the type is gone: drop it from what we know.
    const dropOn404 = async (id, fn) => {
      try {
        return await fn();
      } catch (err) {
        if (err?.status === 404) forget(id);
        throw err;
      }
    };
    const typeContext = (idOrType, options, withList) => {
      const id = idOf(idOrType);
      const type = options?.type ?? withId(idOrType) ?? known(id);
      const context = { params: { id } };
      if (type) context.type = type;
      if (withList) {
        const types = listIfComplete();
        if (types) context.types = types;
      }
      return { id, context };
    };

    const signalTypes = {
      /**
       * All of the caller's signal types (GET /signal/types). Afterwards the client knows the
       * complete list, so create/rename check the cap of 20 and unique names locally.
       * @returns {Promise<PuffleSignalType[]>}
       */
      async list(options) {
        const res = await core.request({ kind: 'puffle.signalType.list', method: 'GET', path: TYPES, safe: true }, callOptions(options));
        const list = Array.isArray(res?.signal_types) ? res.signal_types : [];
        self.#types.clear();
        list.forEach(see);
        self.#complete = true;
        return list;
      },
      /** Creates a custom type (POST). Never retried once sent (not idempotent). */
      async create(body, options) {
        const types = listIfComplete();
        const type = await core.request({
          kind: 'puffle.signalType.create', method: 'POST', path: TYPES, body,
          context: types ? { types } : undefined, safe: false,
        }, callOptions(options));
        return see(type);
      },
      /** One type by id (GET). */
      async get(idOrType, options) {
        const id = idOf(idOrType);
        return dropOn404(id, async () => see(await core.request({
          kind: 'puffle.signalType.get', method: 'GET', path: `${TYPES}/${enc(id)}`, context: { params: { id } }, safe: true,
        }, callOptions(options))));
      },
      /**
       * Changes the given fields (PATCH). Pass the type object (or `{type}`) to have the
       * built-in, keyword and config_schema rules checked locally; otherwise the last type
       * seen for this id is used, and when none was seen the server decides.
       */
      async update(idOrType, patch, options) {
        const { id, context } = typeContext(idOrType, options, true);
        return dropOn404(id, async () => see(await core.request({
          kind: 'puffle.signalType.update', method: 'PATCH', path: `${TYPES}/${enc(id)}`, body: patch, context, safe: false,
        }, callOptions(options))));
      },
      /** Deletes a custom type (DELETE; irreversible; built-in types cannot be deleted). */
      async delete(idOrType, options) {
        const { id, context } = typeContext(idOrType, options, false);
        const res = await dropOn404(id, () => core.request({
          kind: 'puffle.signalType.delete', method: 'DELETE', path: `${TYPES}/${enc(id)}`, context, safe: true,
        }, callOptions(options)));
        forget(id);
        self.#pending.delete(keyOf(id));
        return res;
      },
      /** Resets a built-in type's prompts to the system defaults (POST .../reset). */
      async reset(idOrType, options) {
        const { id, context } = typeContext(idOrType, options, false);
        return dropOn404(id, async () => see(await core.request({
          kind: 'puffle.signalType.reset', method: 'POST', path: `${TYPES}/${enc(id)}/reset`, context, safe: false,
        }, callOptions(options))));
      },
      /**
       * Starts a generation run (POST .../generate) and returns `{run_id}` at once. Reads the
       * type first (the baseline `waitForGeneration` compares against). Refuses a second run
       * on a type this client is still waiting for, unless `{force: true}`. Needs a company
       * profile (else PreconditionError, 428). Never retried once sent (not idempotent).
       */
      async generate(idOrType, options = {}) {
        const { id, context } = typeContext(idOrType, options, false);
        await core.check('puffle.signalType.generate', undefined, context);
        const key = keyOf(id);
        const p = self.#pending.get(key);
        if (p && Date.now() - p.startedAt > GENERATION.timeoutMs) self.#pending.delete(key);
        if (self.#pending.has(key) && options.force !== true) {
          throw new ValidationError([{
            field: 'id',
            code: 'generation_in_progress',
            message: `id: a generation run (${self.#pending.get(key).runId}) for this signal type is still in progress; `
              + 'wait for it (waitForGeneration) or pass {force: true} to start another (the last run to finish wins)',
          }], { kind: 'puffle.signalType.generate' });
        }
        const before = await signalTypes.get(id, options);
        const res = await dropOn404(id, () => core.request({
          kind: 'puffle.signalType.generate', method: 'POST', path: `${TYPES}/${enc(id)}/generate`,
          context: { params: { id }, type: before }, safe: false,
        }, callOptions(options)));
        self.#pending.set(key, {
          runId: res?.run_id,
          before: { search_instructions: before.search_instructions, scoring_criteria: before.scoring_criteria, keywords: before.keywords },
          startedAt: Date.now(),
        });
        return res;
      },
      /**
       * Polls the type until search_instructions, scoring_criteria and keywords have all
       * changed from the values read before `generate`, and returns the updated type.
       * @param {object} [options]
       * @param {number|[number, number]} [options.interval=[10000, 15000]] ms between polls (a pair: random in range)
       * @param {number} [options.timeout=180000] give up after this many ms (GenerationTimeoutError with run_id)
       * @param {AbortSignal} [options.signal]
       * @param {(state) => void} [options.onProgress] after each poll: {typeId, runId, poll, elapsedMs, changed, done, type?, error?}
       * @param {object} [options.before] the type as it was before generate (when generate was not called by this client)
       * @param {string} [options.runId]
       */
      async waitForGeneration(idOrType, options = {}) {
        const id = idOf(idOrType);
        await core.check('puffle.signalType.get', undefined, { params: { id } });
        const key = keyOf(id);
        const p = self.#pending.get(key);
        const before = options.before ?? p?.before;
        if (!before) {
          throw new TypeError('waitForGeneration: this client started no generation run for this type; '
            + 'call signalTypes.generate() first, or pass {before: <the type as read before generate>}');
        }
        const runId = options.runId ?? p?.runId;
        const timeoutMs = options.timeout ?? GENERATION.timeoutMs;
        const interval = options.interval ?? GENERATION.pollIntervalMs;
        const okInterval = (n) => typeof n === 'number' && Number.isFinite(n) && n >= 0;
        if (!(okInterval(interval) || (Array.isArray(interval) && interval.length === 2 && interval.every(okInterval) && interval[0] <= interval[1]))) {
          throw new TypeError('interval must be a number of ms or a [min, max] pair');
        }
        if (!okInterval(timeoutMs)) throw new TypeError('timeout must be a non-negative number of ms');
        const nextWait = () => (Array.isArray(interval) ? interval[0] + Math.random() * (interval[1] - interval[0]) : interval);
        const started = Date.now();
        const deadline = started + timeoutMs;
        for (let poll = 1; ; poll++) {
          const remaining = deadline - Date.now();
          await sleep(Math.min(Math.max(0, remaining), nextWait()), options.signal);
          let type;
          let error;
          try {
            type = await signalTypes.get(id, { signal: options.signal });
          } catch (err) {
            // Transient trouble (already retried by the core) does not end the wait.
            const transient = err instanceof NetworkError || err instanceof TimeoutError || err instanceof ServerError || err instanceof RateLimitError;
            if (!transient) throw err;
            error = err;
          }
          const changed = type ? generated(before, type) : { search_instructions: false, scoring_criteria: false, keywords: false };
          const done = type ? allChanged(changed) : false;
          if (options.onProgress) {
            await options.onProgress({ typeId: id, runId, poll, elapsedMs: Date.now() - started, changed, done, type, error });
          }
          if (done) {
            self.#pending.delete(key);
            return type;
          }
          if (Date.now() >= deadline) {
            self.#pending.delete(key);
            throw new GenerationTimeoutError(`Generation run ${runId ?? '(unknown run)'} for signal type ${id} did not finish within ${timeoutMs} ms `
              + `(${poll} polls); it may still finish later. Quote the run_id to Puffle support if it never does.`, { runId, typeId: id, timeoutMs });
          }
        }
      },
      /** Per-source settings of a type. */
      sources: {
        /** GET .../sources → `{sources: [{source_id, enabled, keywords_extra, prompt_override}]}`; returns the array. */
        async list(idOrType, options) {
          const id = idOf(idOrType);
          const res = await dropOn404(id, () => core.request({
            kind: 'puffle.signalTypeSource.list', method: 'GET', path: `${TYPES}/${enc(id)}/sources`, context: { params: { id } }, safe: true,
          }, callOptions(options)));
          return Array.isArray(res?.sources) ? res.sources : [];
        },
        /** PATCH .../sources/{sourceId}: `enabled`, `keywords_extra`, `prompt_override` (null clears). */
        async update(idOrType, sourceId, patch, options) {
          const { id, context } = typeContext(idOrType, options, false);
          context.params.sourceId = sourceId;
          return dropOn404(id, () => core.request({
            kind: 'puffle.signalTypeSource.update', method: 'PATCH',
            path: `${TYPES}/${enc(id)}/sources/${enc(sourceId)}`, body: patch, context, safe: false,
          }, callOptions(options)));
        },
      },
    };

    const signals = {
      /**
       * The signal feed (GET /signals), lazily paged by cursor: `for await (const s of
       * puffle.signals.list(query))`, `.pages()`, `.toArray({limit})`, `.firstPage()`.
       * `query.limit` is the page size (1-100). `signal_type` and `source` may be arrays;
       * `since`/`until` may be Dates.
       */
      list(query = {}, options) {
        if (query === null || typeof query !== 'object' || Array.isArray(query)) {
          throw new TypeError('signals.list(query): query must be an object');
        }
        const base = {};
        for (const [k, v] of Object.entries(query)) {
          if (v === undefined) continue;
          if ((k === 'signal_type' || k === 'source') && Array.isArray(v)) base[k] = v.join(',');
          else if ((k === 'since' || k === 'until') && v instanceof Date) base[k] = v.toISOString();
          else base[k] = v;
        }
        return new Paginator(async (state) => {
          const q = { ...base };
          if (state.cursor !== undefined) q.cursor = state.cursor;
          const page = await core.request({ kind: 'puffle.signal.list', method: 'GET', path: PUFFLE_PATHS.signals, query: q, safe: true }, callOptions(options));
          const items = Array.isArray(page?.signals) ? page.signals : [];
          const next = page?.has_more && typeof page.cursor === 'string' && page.cursor ? { cursor: page.cursor } : null;
          return { page, items, next };
        }, { cursor: base.cursor });
      },
      /** Dismisses a signal (idempotent, so retried like a read). */
      dismiss(id, options) {
        return core.request({
          kind: 'puffle.signal.dismiss', method: 'POST', path: `${PUFFLE_PATHS.signals}/${enc(id)}/dismiss`, context: { params: { id } }, safe: true,
        }, callOptions(options));
      },
      /** Records `'positive'` or `'negative'` feedback (overwrites; retried like a read). */
      feedback(id, feedback, options) {
        const body = typeof feedback === 'string' ? { feedback } : feedback;
        return core.request({
          kind: 'puffle.signal.feedback', method: 'POST', path: `${PUFFLE_PATHS.signals}/${enc(id)}/feedback`, body, context: { params: { id } }, safe: true,
        }, callOptions(options));
      },
    };

    const context = {
      /** The company profile (GET /api/context; the emulator's stand-in for Puffle's onboarding). Resolves to the profile or null. */
      async get(options) {
        const res = await core.request({ method: 'GET', url: contextUrl, path: '/context', safe: true }, callOptions(options));
        return res?.profile ?? null;
      },
      /**
       * Sets the company profile that `generate` needs (PUT /api/context, replaces it):
       * `{company_name, website?, description?, industry?, target_customers?, products?, competitors?, buyer_titles?}`.
       */
      async set(profile, options) {
        if (profile === null || typeof profile !== 'object' || Array.isArray(profile)) {
          throw new ValidationError([{ field: '', code: 'type', message: 'the company profile must be an object such as {company_name: "Acme"}' }], { kind: 'puffle.context.set' });
        }
        const res = await core.request({ method: 'PUT', url: contextUrl, path: '/context', body: profile, safe: true }, callOptions(options));
        return res?.profile ?? null;
      },
    };

    Object.defineProperty(this, 'signalTypes', { value: Object.freeze({ ...signalTypes, sources: Object.freeze(signalTypes.sources) }), enumerable: true });
    Object.defineProperty(this, 'signals', { value: Object.freeze(signals), enumerable: true });
    Object.defineProperty(this, 'context', { value: Object.freeze(context), enumerable: true });
  }

  /** The signal types this client has seen (latest response each), and whether that is the complete list. */
  get knownTypes() {
    return { types: [...this.#types.values()], complete: this.#complete };
  }

  /** Forgets every type seen (the next create/update checks only what the server checks). */
  clearCache() {
    this.#types.clear();
    this.#complete = false;
  }

  /** The base URL requests go to. */
  get baseUrl() {
    return this.#core.baseUrl;
  }
}
