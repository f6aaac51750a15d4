// Saber company signals: research of one company with a template or an inline question
// (research.js simulates it), the synchronous variant that waits for the answer, the list
// and the single signal, a per-key result cache, and the finished signal POSTed to the
// request's webhookUrl (deliveries.js: retried on a schedule, a log per key). Every request
// rule comes from the engine (`enforce`).
//
// A signal's status follows the clock: it is `processing` until `researchDelayMs` after
// its creation, then `completed` or `failed`. Signals live in memory only (docs/emulator.md).
import { Deliveries } from './deliveries.js';
import { enforce, HttpError } from './errors.js';
import { typedQuery } from '../util/query.js';
import { researchDelay, simulateResearch } from './research.js';
import { SABER_MOUNT } from './saber.js';
import { newUuid } from './util.js';
import { COMPANY_SIGNALS, SABER_PATHS } from '../vendors/saber.js';

const BASE = `${SABER_MOUNT.base}${SABER_PATHS.companySignals}`;
const SYNC = `${SABER_MOUNT.base}${SABER_PATHS.companySignalsSync}`;
// The wait of a synchronous create without X-Sbr-Timeout-Sec ("the key's configured
// timeout"; Saber's own 408 example names 120 s).
export const DEFAULT_SYNC_TIMEOUT_SEC = 120;
// Signals kept per key: beyond it, creates are refused (403) instead of growing memory.
export const MAX_SIGNALS_PER_KEY = 10_000;
// Saber does not document how it retries a webhook: the emulator tries at once, then after
// 5 s, 30 s, 2 min and 10 min (option signalWebhooks.retryScale shortens them for tests).
export const WEBHOOK_RETRY_SCHEDULE_MS = Object.freeze([0, 5_000, 30_000, 120_000, 600_000]);

/** One key's signals, in creation order, its completed answers by cache key, and its webhook deliveries. */
class TenantSignals {
  list = [];
  byId = new Map();
  cache = new Map(); // cache key -> the records asked that question, oldest first
  deliveries = null; // Deliveries, from the first webhookUrl on
}

const iso = (ms) => new Date(ms).toISOString();

/** A signal as the API shows it at time `now`: still processing, or its outcome. */
function view(record, now) {
  const base = { id: record.id, status: 'processing', domain: record.domain, question: record.question, answerType: record.answerType, createdAt: iso(record.createdAtMs) };
  if (now < record.readyAtMs) return base;
  const { status, answer, confidence, reasoning, sources, error } = record.outcome;
  return { ...base, status, answer, confidence, reasoning, sources, completedAt: iso(record.readyAtMs), error };
}

/** The latest active version of a template, by any of its version ids or its templateId; else null. */
function activeTemplate(tenant, id) {
  const version = tenant.versions.get(id.toLowerCase());
  const ids = version && tenant.templates.get(version.templateId);
  const latest = ids && tenant.versions.get(ids[ids.length - 1]);
  return latest && latest.deletedAt === null ? latest : null;
}

/** X-Sbr-Timeout-Sec and X-Sbr-Timeout-Error as values; 400 for malformed ones. */
function syncHeaders(headers) {
  const { timeoutSec: secName, timeoutError: errName } = COMPANY_SIGNALS.headers;
  const { min, max } = COMPANY_SIGNALS.syncTimeoutSec;
  const sec = headers[secName.toLowerCase()];
  const err = headers[errName.toLowerCase()];
  const bad = (field, code, message) => new HttpError(400, 'validation_failed', `${field}: ${message}`, [{ field, code, message }]);
  let timeoutSec = DEFAULT_SYNC_TIMEOUT_SEC;
  if (sec !== undefined) {
    if (!/^\d{1,6}$/.test(sec.trim())) throw bad(secName, 'type', `must be a whole number of seconds from ${min} to ${max}; it is ${JSON.stringify(sec.slice(0, 40))}`);
    timeoutSec = Number(sec);
    if (timeoutSec < min) throw bad(secName, 'below_minimum', `must be at least ${min} second; it is ${timeoutSec}`);
    if (timeoutSec > max) throw bad(secName, 'above_maximum', `must be at most ${max} seconds; it is ${timeoutSec}`);
  }
  if (err !== undefined && !/^(true|false)$/i.test(err.trim())) throw bad(errName, 'type', `must be true or false; it is ${JSON.stringify(err.slice(0, 40))}`);
  return { timeoutSec, timeoutError: err !== undefined && err.trim().toLowerCase() === 'true' };
}

/**
 * Saber's company signals in one emulator. `app` is the emulator's state (state.js: engine,
 * seed, now(), schedule()); `researchDelayMs` how long research takes (ms, or a [min, max]
 * range picked per domain and question); `webhooks` the `signalWebhooks` option; `log`.
 */
export class CompanySignals {
  #app;
  #delayMs;
  #webhooks;
  #log;
  #tenants = new WeakMap(); // SaberTenant -> TenantSignals
  #open = new Set();        // every TenantSignals with deliveries, to close them

  constructor(app, { researchDelayMs, webhooks = {}, log = () => {} }) {
    this.#app = app;
    this.#delayMs = researchDelayMs;
    this.#webhooks = { schedule: WEBHOOK_RETRY_SCHEDULE_MS, scale: webhooks.retryScale ?? 1, timeoutMs: webhooks.timeoutMs, maxLog: webhooks.maxLog };
    this.#log = log;
  }

  /** The webhook deliveries of a Saber tenant, oldest first (deliveries.js records). */
  deliveries(tenant) {
    return this.#tenants.get(tenant)?.deliveries?.list() ?? [];
  }

  /** Stops every pending webhook delivery. */
  async close() {
    await Promise.all([...this.#open].map((t) => t.deliveries.close()));
  }

  #signalsOf(tenant) {
    let t = this.#tenants.get(tenant);
    if (!t) { t = new TenantSignals(); this.#tenants.set(tenant, t); }
    return t;
  }

  // POSTs a finished signal to the webhookUrl its request gave, retried until a 2xx.
  #deliver(mine, record, signal) {
    if (!mine.deliveries) {
      const { schedule, scale, timeoutMs, maxLog } = this.#webhooks;
      mine.deliveries = new Deliveries({ schedule, scale, log: this.#log, ...(timeoutMs ? { timeoutMs } : {}), ...(maxLog ? { maxLog } : {}) });
      this.#open.add(mine);
    }
    mine.deliveries.send({
      url: record.webhookUrl, id: record.id, label: `company signal ${signal.status}`, body: JSON.stringify(signal),
      headers: { 'user-agent': 'signalkit-emulator (Saber stand-in)' },
    });
  }

  /** The route table (mounted with Saber's). */
  routes() {
    const app = this.#app;
    const { engine } = app;
    const researchDelayMs = this.#delayMs;
    const signalsOf = (tenant) => this.#signalsOf(tenant);
    // Research that ends, not answered from the cache, is POSTed to its webhookUrl.
    const onCompleted = (mine, record) => {
      if (record.webhookUrl) this.#deliver(mine, record, view(record, record.readyAtMs));
    };
    // Resolves after `ms` (never once the emulator has closed; its connections are gone then).
    const wait = (ms) => new Promise((resolve) => app.schedule(Math.max(0, ms), resolve));

    /** Starts (or answers from the cache) the research a create body asks for: the new record. */
    function research(ctx) {
      enforce(engine, 'saber.companySignal.create', ctx.body, undefined);
      const b = JSON.parse(ctx.body);
      let template = null;
      if (b.signalTemplateId !== undefined) {
        template = activeTemplate(ctx.tenant, b.signalTemplateId);
        if (!template) throw new HttpError(404, 'template_not_found', `signal template ${b.signalTemplateId} not found or access denied`);
      }
      const mine = signalsOf(ctx.tenant);
      if (mine.list.length >= MAX_SIGNALS_PER_KEY) {
        throw new HttpError(403, 'quota_exceeded', `this key has ${MAX_SIGNALS_PER_KEY} company signals, the most the emulator keeps per key; restart it to start over`);
      }
      const question = template ? template.question : b.question;
      const answerType = template ? template.answerType : b.answerType;
      const outputSchema = template ? template.outputSchema : b.outputSchema;
      const criteria = template?.qualificationCriteria ?? null;
      const verificationMode = b.verificationMode ?? 'lenient';
      const now = app.now();
      // The same question about the same company, asked the same way (a list's answer is drawn
      // from its choices, so they are part of the question; other criteria are not).
      const key = JSON.stringify([b.domain.toLowerCase(), question, answerType, outputSchema ?? null,
        answerType === 'list' ? criteria?.choices ?? null : null, verificationMode]);
      const asked = mine.cache.get(key) ?? [];
      // The cache: the latest completed answer to the same question, unless forceRefresh.
      const hit = b.forceRefresh ? undefined : asked.findLast((r) => r.readyAtMs <= now && r.outcome.status === 'completed');
      const record = {
        id: newUuid(),
        domain: b.domain,
        question,
        answerType,
        createdAtMs: now,
        readyAtMs: hit ? now : now + researchDelay(researchDelayMs, app.seed, b.domain, question),
        outcome: hit ? hit.outcome : simulateResearch({ engine, seed: app.seed, domain: b.domain, question, answerType, outputSchema, criteria, verificationMode }),
        webhookUrl: b.webhookUrl ?? null,
        cached: Boolean(hit),
      };
      mine.list.push(record);
      mine.byId.set(record.id, record);
      asked.push(record);
      mine.cache.set(key, asked);
      if (!record.cached) app.schedule(record.readyAtMs - now, () => onCompleted(mine, record));
      return record;
    }

    return [
      {
        method: 'GET', path: BASE, name: 'saber.companySignal.list',
        handle: (ctx) => {
          const parsed = JSON.parse(typedQuery(ctx.url.searchParams, { integers: ['limit', 'offset'] }));
          // `status` is the one parameter that repeats: one value is a list of one.
          if (typeof parsed.status === 'string') parsed.status = [parsed.status];
          const text = JSON.stringify(parsed);
          enforce(engine, 'saber.companySignal.list', text, undefined);
          const q = parsed;
          const limit = q.limit ?? COMPANY_SIGNALS.listLimit.default;
          const offset = q.offset ?? 0;
          const now = app.now();
          const from = q.fromDate === undefined ? -Infinity : Date.parse(q.fromDate);
          const to = q.toDate === undefined ? Infinity : Date.parse(q.toDate);
          const dated = q.fromDate !== undefined || q.toDate !== undefined;
          const all = [];
          const records = signalsOf(ctx.tenant).list;
          // Newest first; the dates filter on completion time, so unfinished signals drop out of a dated query.
          for (let i = records.length - 1; i >= 0; i--) {
            const r = records[i];
            const status = now < r.readyAtMs ? 'processing' : r.outcome.status;
            if (q.domain !== undefined && r.domain.toLowerCase() !== q.domain.toLowerCase()) continue;
            // The emulator keeps no company records and runs no subscriptions: those filters match nothing.
            if (q.companyId !== undefined || q.subscriptionId !== undefined) continue;
            if (q.status !== undefined && !q.status.includes(status)) continue;
            if (dated && (status === 'processing' || r.readyAtMs < from || r.readyAtMs > to)) continue;
            all.push(r);
          }
          const results = all.slice(offset, offset + limit).map((r) => view(r, now));
          return { status: 200, body: { results, total: all.length, limit, offset, count: results.length } };
        },
      },
      {
        method: 'POST', path: BASE, name: 'saber.companySignal.create', write: true,
        handle: (ctx) => ({ status: 201, body: view(research(ctx), app.now()) }),
      },
      {
        method: 'POST', path: SYNC, name: 'saber.companySignal.sync', write: true,
        handle: async (ctx) => {
          const { timeoutSec, timeoutError } = syncHeaders(ctx.headers);
          const record = research(ctx);
          const left = record.readyAtMs - app.now();
          if (left > timeoutSec * 1000) {
            await wait(timeoutSec * 1000);
            if (timeoutError) throw new HttpError(408, 'request_timeout', `signal processing exceeded the timeout of ${timeoutSec} s`);
            return { status: 202, body: view(record, app.now()) };
          }
          if (left > 0) await wait(left);
          return { status: 200, body: view(record, Math.max(app.now(), record.readyAtMs)) };
        },
      },
      {
        method: 'GET', path: `${BASE}/:id`, name: 'saber.companySignal.get',
        handle: (ctx) => {
          const id = ctx.params.id;
          const record = typeof id === 'string' ? signalsOf(ctx.tenant).byId.get(id.toLowerCase()) : undefined;
          enforce(engine, 'saber.companySignal.get', ctx.body, { params: ctx.params });
          if (!record) throw new HttpError(404, 'not_found', 'signal not found or access denied');
          return { status: 200, body: view(record, app.now()) };
        },
      },
    ];
  }
}
