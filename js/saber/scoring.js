// Scoring companies with the caller's templates: one company signal per template
// (signals.sync, then signals.waitFor while it is still processing), each answer
// evaluated by the engine against its template's criteria, and the engine's fit score with
// the raw signals attached. Functions of the client's context `{core, templates, signals}`.
import { AbortError, ApiError, AuthenticationError, SignalWaitTimeoutError } from '../errors.js';
import { AbortScope } from '../util/abort-scope.js';
import { checkOptions, describe } from '../util/options.js';
import { Slots } from '../util/slots.js';
import { signalAnswer } from './answers.js';
import { isFinished } from './company-signals.js';

const SCORE_OPTIONS = ['templates', 'concurrency', 'forceRefresh', 'verificationMode', 'timeoutSec', 'wait', 'criteria', 'signal', 'onProgress'];
const WAIT_KEYS = ['interval', 'timeout'];
const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 64;

// Errors thrown by the caller's own onProgress: they end the run, as a hook's would.
const fromCallback = new WeakSet();

/**
 * Errors that end a whole run rather than one template's research or one company: the
 * caller stopped it (or its onProgress threw), or the key is refused.
 */
const isFatal = (err) => err instanceof AbortError || err instanceof AuthenticationError || fromCallback.has(err);

/** Calls the caller's onProgress, marking what it throws as the caller's. */
async function report(onProgress, state) {
  if (!onProgress) return;
  try {
    await onProgress(state);
  } catch (err) {
    const marked = err instanceof Error ? err : new Error(`onProgress threw ${describe(err)}`);
    fromCallback.add(marked);
    throw marked;
  }
}

function checkScoreOptions(where, options) {
  const o = checkOptions(where, options, SCORE_OPTIONS);
  const c = o.concurrency;
  if (c !== undefined && !(Number.isInteger(c) && c >= 1 && c <= MAX_CONCURRENCY)) {
    throw new TypeError(`${where}: concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (got ${JSON.stringify(c)})`);
  }
  if (o.forceRefresh !== undefined && typeof o.forceRefresh !== 'boolean') {
    throw new TypeError(`${where}: forceRefresh must be true or false (got ${describe(o.forceRefresh)})`);
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new TypeError(`${where}: onProgress must be a function`);
  if (o.signal !== undefined && !(o.signal && typeof o.signal.aborted === 'boolean' && typeof o.signal.addEventListener === 'function')) {
    throw new TypeError(`${where}: signal must be an AbortSignal`);
  }
  if (o.templates !== undefined && !Array.isArray(o.templates)) {
    throw new TypeError(`${where}: templates must be an array of templates or template ids (got ${describe(o.templates)})`);
  }
  checkOptions(`${where}: wait`, o.wait, WAIT_KEYS);
  if (o.signal?.aborted) throw new AbortError(undefined, { reason: o.signal.reason });
  return o;
}

/**
 * The templates to score with: the given ones (a template object is used as given; an id
 * is read with templates.get), or every active template of the key.
 */
async function resolveTemplates(ctx, given, signal) {
  if (given === undefined) return ctx.templates.list({ limit: 100 }, { signal }).toArray();
  return Promise.all(given.map((t, i) => {
    if (typeof t === 'string') return ctx.templates.get(t, { signal });
    if (t !== null && typeof t === 'object' && typeof t.id === 'string') return t;
    throw new TypeError(`templates[${i}] must be a template (as templates.list gives it) or a template id; got ${describe(t)}`);
  }));
}

/** Bad criteria options are a TypeError before any research is paid for (the engine checks them). */
async function checkCriteriaOptions(ctx, criteria) {
  if (criteria !== undefined) (await ctx.core.engine()).fitScore([], criteria);
}

/** The part of a template a result names it by (as the engine names it in parts and errors). */
const refOf = (template, index) => ({ index, templateId: template.templateId ?? template.id, name: template.name });

/** Why a template has no evaluable answer: a failed research, a wait that ran out, or a failed request. */
function researchError(template, index, { signal, error }) {
  if (error instanceof SignalWaitTimeoutError) return { ...refOf(template, index), code: 'research_timeout', reason: error.message };
  if (error) {
    return { ...refOf(template, index), code: 'request_failed', reason: error.message, ...(error instanceof ApiError ? { status: error.status } : {}) };
  }
  if (signal?.status === 'failed') {
    const why = typeof signal.error === 'string' ? signal.error : signal.error == null ? 'no reason given' : JSON.stringify(signal.error);
    return { ...refOf(template, index), code: 'research_failed', reason: `research failed: ${why}` };
  }
  return null;
}

/**
 * Researches and scores one company with `templates` (already resolved). `slots` bounds the
 * research calls in flight (shared by every company of a scoreCompanies run); `signal`
 * stops it.
 */
async function scoreOne(ctx, domain, templates, o, slots, signal) {
  const engine = await ctx.core.engine();
  if (typeof domain !== 'string') throw new TypeError(`scoreCompany(domain): domain must be a string such as "acme.com"; got ${describe(domain)}`);
  const bodyFor = (t) => {
    const body = { domain, signalTemplateId: t.templateId ?? t.id };
    if (o.forceRefresh !== undefined) body.forceRefresh = o.forceRefresh;
    if (o.verificationMode !== undefined) body.verificationMode = o.verificationMode;
    return body;
  };
  // A bad domain (or option) fails every template alike: say so once, before sending anything.
  if (templates.length > 0) await ctx.core.check('saber.companySignal.create', bodyFor(templates[0]));

  const total = templates.length;
  let done = 0;
  const emit = (t, index, status, extra = {}) => report(o.onProgress, { type: 'template', domain, ...refOf(t, index), status, done, total, ...extra });
  // Each template's research runs with a signal of its own, stopped by `signal` or by a
  // fatal error of another template.
  const scope = new AbortScope(signal);
  const researchOne = (t, index, stop) => slots.use(async () => {
    let outcome;
    try {
      await emit(t, index, 'researching');
      let found = await ctx.signals.sync(bodyFor(t), { signal: stop, timeoutSec: o.timeoutSec });
      if (!isFinished(found)) {
        await emit(t, index, 'processing', { signal: found });
        found = await ctx.signals.waitFor(found, {
          ...o.wait, signal: stop, onProgress: (p) => emit(t, index, 'processing', { signal: p.signal ?? found, poll: p.poll }),
        });
      }
      outcome = { signal: found };
    } catch (err) {
      if (isFatal(err)) throw err;
      outcome = { signal: null, error: err };
    }
    done += 1;
    const status = outcome.error ? 'error' : outcome.signal.status;
    await emit(t, index, status, { signal: outcome.signal, ...(outcome.error ? { error: outcome.error } : {}) });
    return outcome;
  }, stop);
  let outcomes;
  try {
    outcomes = await Promise.all(templates.map((t, index) => scope.run((stop) => researchOne(t, index, stop))));
  } catch (err) {
    scope.abort(err);
    throw err;
  } finally {
    scope.close();
  }

  const answers = [];
  const failures = [];
  const items = templates.map((template, index) => {
    const { signal } = outcomes[index];
    const failure = researchError(template, index, outcomes[index]);
    if (failure) failures.push(failure);
    const answer = failure ? null : signalAnswer(signal);
    const evaluation = answer === null ? null : engine.evaluate(template, answer, o.criteria);
    answers.push({ ...refOf(template, index), signal, answer, evaluation });
    return { template, answer };
  });
  const fit = engine.fitScore(items, o.criteria);
  // A template whose research failed is an error (with the reason), not merely unanswered.
  const failed = new Set(failures.map((f) => f.index));
  return {
    domain,
    score: fit.score,
    disqualified: fit.disqualified,
    disqualifiedBy: fit.disqualifiedBy,
    parts: fit.parts,
    answers,
    unanswered: fit.unanswered.filter((u) => !failed.has(u.index)),
    errors: [...fit.errors, ...failures].sort((a, b) => a.index - b.index),
    totalWeight: fit.totalWeight,
  };
}

/**
 * Researches one company with every template (or `options.templates`) and scores it.
 * @param {string} domain a hostname such as "acme.com"
 * @param {object} [options] templates, concurrency (research calls at once, default 4),
 *   forceRefresh, verificationMode, timeoutSec (each sync's wait), wait ({interval, timeout}
 *   of waitFor after a 202), criteria (engine criteria options), signal, onProgress
 * @returns {Promise<object>} {domain, score, disqualified, disqualifiedBy, parts, answers,
 *   unanswered, errors, totalWeight}
 */
export async function scoreCompany(ctx, domain, options) {
  const o = checkScoreOptions('scoreCompany', options);
  await checkCriteriaOptions(ctx, o.criteria);
  const templates = await resolveTemplates(ctx, o.templates, o.signal);
  return scoreOne(ctx, domain, templates, o, new Slots(o.concurrency ?? DEFAULT_CONCURRENCY), o.signal);
}

/**
 * Scores many companies, yielding each result as soon as it is ready (completion order;
 * `index` is the domain's position in `domains`). At most `concurrency` research calls are
 * in flight at once, across companies. A company that fails as a whole (a malformed domain)
 * is yielded as `{domain, index, error}` and the others go on; the run itself stops only
 * when `signal` aborts it or the key is refused (401).
 * @param {Iterable<string>|AsyncIterable<string>} domains
 * @param {object} [options] as scoreCompany's; onProgress also receives
 *   `{type: 'company', domain, index, done, failed, total, result?, error?}` per company
 */
export async function* scoreCompanies(ctx, domains, options) {
  const o = checkScoreOptions('scoreCompanies', options);
  const iterable = domains?.[Symbol.asyncIterator] ? domains[Symbol.asyncIterator]() : domains?.[Symbol.iterator]?.();
  if (!iterable || typeof domains === 'string') {
    throw new TypeError(`scoreCompanies(domains): domains must be an array or an iterable of domain names; got ${describe(domains)}`);
  }
  // One scope for the run: the caller's signal, or the run ending early (a fatal error, or
  // the consumer leaving the loop), stops every company still in flight.
  const scope = new AbortScope(o.signal);
  const concurrency = o.concurrency ?? DEFAULT_CONCURRENCY;
  const slots = new Slots(concurrency);
  const total = Array.isArray(domains) ? domains.length : null;
  let done = 0;
  let failedCount = 0;
  try {
    await checkCriteriaOptions(ctx, o.criteria);
    const templates = await resolveTemplates(ctx, o.templates, scope.signal);
    const running = new Map(); // index -> promise of {index, domain, result|error}
    let next = 0;
    let exhausted = false;
    const startNext = async () => {
      const step = await iterable.next();
      if (step.done) { exhausted = true; return; }
      const index = next++;
      const domain = step.value;
      running.set(index, scope.run((stop) => scoreOne(ctx, domain, templates, o, slots, stop)).then(
        (result) => ({ index, domain, result }),
        (error) => ({ index, domain, error })));
    };
    while (!exhausted && running.size < concurrency) await startNext();
    while (running.size > 0) {
      const settled = await Promise.race(running.values());
      running.delete(settled.index);
      const { index, domain, result, error } = settled;
      if (error && isFatal(error)) throw o.signal?.aborted ? new AbortError(undefined, { reason: o.signal.reason }) : error;
      done += 1;
      if (error) failedCount += 1;
      const item = error ? { domain, index, error } : { ...result, index };
      await report(o.onProgress, { type: 'company', domain, index, done, failed: failedCount, total, ...(error ? { error } : { result: item }) });
      yield item;
      if (!exhausted) await startNext();
    }
  } finally {
    scope.abort(new AbortError('scoreCompanies ended before this company was scored'));
    scope.close();
    if (typeof iterable.return === 'function') await iterable.return();
  }
}
