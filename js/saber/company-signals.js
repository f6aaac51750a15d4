// saber.signals: company signals (/companies/signals), research of one company with a
// template or an inline question: create (asynchronous), sync (waits for the answer), list
// (paged), get, and waitFor (polls until the research ends). Functions of the client's
// context `{core}`.
import { ApiError, ResearchTimeoutError, SignalWaitTimeoutError } from '../errors.js';
import { Paginator } from '../client/pagination.js';
import { pollUntil } from '../client/polling.js';
import { callOptions, enc, idOf } from '../client/resource.js';
import { checkOptions } from '../util/options.js';
import { COMPANY_SIGNALS, SABER_PATHS } from '../vendors/saber.js';

const SIGNALS = SABER_PATHS.companySignals;
const SYNC = SABER_PATHS.companySignalsSync;
const CALL_OPTIONS = ['signal', 'timeout', 'maxRetries'];
const SYNC_OPTIONS = [...CALL_OPTIONS, 'timeoutSec', 'timeoutError'];
const WAIT_OPTIONS = ['interval', 'timeout', 'signal', 'onProgress'];
// How much longer than the server's own wait a sync attempt may take before the client gives up.
const SYNC_SLACK_MS = 30_000;

/** The `signals` resource of one client. */
export function companySignals(ctx) {
  return Object.freeze({
    create: (body, options) => create(ctx, body, options),
    sync: (body, options) => sync(ctx, body, options),
    list: (query, options) => list(ctx, query, options),
    get: (idOrSignal, options) => get(ctx, idOrSignal, options),
    waitFor: (idOrSignal, options) => waitFor(ctx, idOrSignal, options),
  });
}

/** True when a signal's research has ended (`completed` or `failed`). */
export const isFinished = (signal) => COMPANY_SIGNALS.done.includes(signal?.status);

/**
 * Starts research of one company (POST /companies/signals) and answers at once with the
 * signal, usually `processing` (a cached answer may come back `completed`). Never retried
 * once sent: a second call starts a second research.
 */
async function create({ core }, body, options) {
  const o = checkOptions('signals.create', options, CALL_OPTIONS);
  return core.request({ kind: 'saber.companySignal.create', method: 'POST', path: SIGNALS, body, safe: false }, callOptions(o));
}

/**
 * Researches one company and waits for the answer (POST /companies/signals/sync). Resolves
 * with the signal: `completed` or `failed` when research finished in time (200), still
 * `processing` when the server's wait ran out (202: pass it to waitFor). With
 * `timeoutError: true` a timeout is a ResearchTimeoutError (408) instead.
 * @param {object} body as for create
 * @param {object} [options]
 * @param {number} [options.timeoutSec] how long the server waits, 1-900 s (header X-Sbr-Timeout-Sec; default: the key's setting)
 * @param {boolean} [options.timeoutError=false] answer a timeout with 408 (header X-Sbr-Timeout-Error)
 * @param {number} [options.timeout] ms the client waits for the answer; default: the server's wait + 30 s
 *   (900 s + 30 s when timeoutSec is not given), at least the client's timeout
 */
async function sync({ core }, body, options) {
  const o = checkOptions('signals.sync', options, SYNC_OPTIONS);
  const { min, max } = COMPANY_SIGNALS.syncTimeoutSec;
  const { timeoutSec, timeoutError } = o;
  if (timeoutSec !== undefined && !(Number.isInteger(timeoutSec) && timeoutSec >= min && timeoutSec <= max)) {
    throw new TypeError(`signals.sync: timeoutSec must be a whole number of seconds from ${min} to ${max} (got ${JSON.stringify(timeoutSec)})`);
  }
  if (timeoutError !== undefined && typeof timeoutError !== 'boolean') {
    throw new TypeError(`signals.sync: timeoutError must be true or false (got ${JSON.stringify(timeoutError)})`);
  }
  const { headers: names } = COMPANY_SIGNALS;
  const headers = {};
  if (timeoutSec !== undefined) headers[names.timeoutSec.toLowerCase()] = String(timeoutSec);
  if (timeoutError) headers[names.timeoutError.toLowerCase()] = 'true';
  // The server holds the request for up to timeoutSec: the client's own timeout must outlast it.
  const call = callOptions(o);
  call.timeout ??= Math.max(core.timeout, (timeoutSec ?? max) * 1000 + SYNC_SLACK_MS);
  try {
    return await core.request({ kind: 'saber.companySignal.create', method: 'POST', path: SYNC, body, headers, safe: false }, call);
  } catch (err) {
    // A 408 is the research timing out only when it was asked for; otherwise it is HTTP's own.
    if (timeoutError && err instanceof ApiError && err.status === 408) {
      throw new ResearchTimeoutError(`${err.message} — research did not finish within ${timeoutSec ?? 'the key\'s default'} s; `
        + 'it may still complete: list the domain\'s signals to find it, or call sync without timeoutError to get the processing signal.',
      { ...err, cause: err, timeoutSec });
    }
    throw err;
  }
}

/**
 * Company signals, newest first, lazily paged by offset:
 * `for await (const s of saber.signals.list({domain}))`, `.pages()` (each page
 * `{results, total, limit, offset, count}`), `.toArray({limit})`, `.firstPage()`.
 * `query.limit` is the page size (1-25, default 25); `status` an array of states (sent as
 * one parameter each); `fromDate`/`toDate` RFC 3339 instants on the completion time.
 */
function list({ core }, query = {}, options) {
  if (query === null || typeof query !== 'object' || Array.isArray(query)) {
    throw new TypeError('signals.list(query): query must be an object');
  }
  const o = checkOptions('signals.list', options, CALL_OPTIONS);
  const base = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined) base[k] = v;
  return new Paginator(async (state) => {
    const q = { ...base };
    if (state.offset !== undefined) q.offset = state.offset;
    const page = await core.request({
      kind: 'saber.companySignal.list', method: 'GET', path: SIGNALS, query: q, repeat: ['status'], safe: true,
    }, callOptions(o));
    const items = Array.isArray(page?.results) ? page.results : [];
    const at = typeof page?.offset === 'number' ? page.offset : (state.offset ?? 0);
    const more = typeof page?.total === 'number' && at + items.length < page.total;
    return { page, items, next: more && items.length > 0 ? { offset: at + items.length } : null };
  }, { offset: base.offset });
}

/** One signal by id (GET); NotFoundError when it is not this key's. */
async function get({ core }, idOrSignal, options) {
  const o = checkOptions('signals.get', options, CALL_OPTIONS);
  const id = idOf(idOrSignal);
  return core.request({
    kind: 'saber.companySignal.get', method: 'GET', path: `${SIGNALS}/${enc(id)}`, context: { params: { id } }, safe: true,
  }, callOptions(o));
}

/**
 * Polls a signal until its research ends and resolves with it, `completed` or `failed` (a
 * failed signal is an answer too: its `error` says why). A signal object that has already
 * ended is returned as it is.
 * @param {string|object} idOrSignal the id, or the signal create/sync answered
 * @param {object} [options]
 * @param {number|[number, number]} [options.interval=[3000, 5000]] ms between polls (a pair: random in range)
 * @param {number} [options.timeout=900000] give up after this many ms (SignalWaitTimeoutError; research may still finish)
 * @param {AbortSignal} [options.signal]
 * @param {(state) => void} [options.onProgress] after each poll: {signalId, poll, elapsedMs, status, signal, done, error}
 */
async function waitFor(ctx, idOrSignal, options) {
  const o = checkOptions('signals.waitFor', options, WAIT_OPTIONS);
  if (isFinished(idOrSignal)) return idOrSignal;
  const signalId = idOf(idOrSignal);
  if (typeof signalId !== 'string') throw new TypeError('signals.waitFor(idOrSignal): pass a signal id or the signal create/sync answered');
  await ctx.core.check('saber.companySignal.get', undefined, { params: { id: signalId } });
  const timeoutMs = o.timeout ?? COMPANY_SIGNALS.timeoutMs;
  let last = typeof idOrSignal === 'object' ? idOrSignal : null;
  return pollUntil({
    interval: o.interval ?? COMPANY_SIGNALS.pollIntervalMs,
    timeout: timeoutMs,
    signal: o.signal,
    read: () => get(ctx, signalId, { signal: o.signal }),
    judge: (value) => {
      if (value) last = value;
      const done = isFinished(value);
      return { done, progress: { signalId, status: value?.status ?? null, signal: value ?? null, done } };
    },
    onProgress: o.onProgress,
    timedOut: (polls) => new SignalWaitTimeoutError(`Company signal ${signalId} was still ${last?.status ?? 'processing'} after ${timeoutMs} ms `
      + `(${polls} polls); research may still finish: read it later with signals.get(id).`, { signalId, signal: last, timeoutMs }),
  });
}
