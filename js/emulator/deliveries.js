// Outgoing webhook deliveries: POST a body to a URL, retry on a schedule until a 2xx, and
// keep a bounded log of what happened. Generic on purpose: the Puffle webhook app
// (webhooks.js) signs each attempt through `headers`, and any other sender (a completed
// research result POSTed to a caller's webhookUrl) passes plain headers.
//
//   const deliveries = new Deliveries({ schedule: [0, 5_000, 300_000], log });
//   const id = deliveries.send({ url, body: JSON.stringify(payload), label: 'signal.completed' });
//   const record = await deliveries.settled(id);   // {status: 'delivered' | 'failed' | 'cancelled', attempts, …}
//   deliveries.list();                              // the log, oldest first
//   await deliveries.close();                       // pending retries cancelled, attempts in flight aborted
//
// An attempt succeeds on a 2xx. Anything else is retried while the schedule lasts: another
// status (3xx too: redirects are not followed), a network error, or no complete answer
// within `timeoutMs`. Every attempt of one delivery sends the same body under the same id;
// `headers` is called again per attempt, so a signature can cover the attempt's own time.
import { randomUUID } from 'node:crypto';

/** How much of a receiver's answer the log keeps (enough for its error message). */
const RESPONSE_PREFIX_BYTES = 512;
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * @typedef {object} DeliveryAttempt
 * @property {number} n            1 for the first attempt
 * @property {string} at           when it was sent (ISO 8601)
 * @property {number|null} status  the receiver's HTTP status, or null without an answer
 * @property {string|null} error   why there was no answer: "timeout after 15000 ms", "network: ECONNREFUSED", "cancelled"
 * @property {number} durationMs   from sending to the answer (or the failure)
 * @property {string} response     the first 512 bytes of the answer's body, as text
 *
 * @typedef {object} DeliveryRecord
 * @property {string} id           the delivery's id, the same for every attempt
 * @property {string} label        what is delivered (an event type), for the log
 * @property {string} url
 * @property {'pending'|'delivered'|'failed'|'cancelled'} status
 * @property {string} createdAt    ISO 8601
 * @property {DeliveryAttempt[]} attempts  oldest first
 * @property {string|null} nextAttemptAt   when a pending delivery tries again (ISO 8601)
 */

const EMULATOR_OPTIONS = ['retryScale', 'timeoutMs', 'maxLog'];

/**
 * Checks an emulator option that configures outgoing deliveries, `{retryScale?, timeoutMs?,
 * maxLog?}` (`webhooks` for Puffle's events, `signalWebhooks` for Saber's webhookUrl): `name`
 * is the option's, `schedule` what a scale of 1 means, for the messages.
 * @throws {TypeError} naming the option and what it takes
 */
export function checkDeliveryOptions(name, options, schedule) {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${name} must be an object {${EMULATOR_OPTIONS.join(', ')}}`);
  }
  for (const key of Object.keys(options)) {
    if (!EMULATOR_OPTIONS.includes(key)) throw new TypeError(`${name}.${key} is not an option (${EMULATOR_OPTIONS.join(', ')})`);
  }
  const { retryScale, timeoutMs, maxLog } = options;
  if (retryScale !== undefined && !(Number.isFinite(retryScale) && retryScale >= 0 && retryScale <= 1)) {
    throw new TypeError(`${name}.retryScale must be a number from 0 to 1 (1: ${schedule}, 0.001: minutes become tenths of a second)`);
  }
  for (const [field, v] of [['timeoutMs', timeoutMs], ['maxLog', maxLog]]) {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new TypeError(`${name}.${field} must be a positive integer`);
  }
}

export class Deliveries {
  #schedule;
  #scale;
  #timeoutMs;
  #maxLog;
  #log;
  #records = new Map(); // id -> record, oldest first (the log)
  #live = new Map();    // id -> {timer, controller, settle[], headers, body} while pending
  #closed = false;

  /**
   * @param {object} options
   * @param {number[]} options.schedule  milliseconds to wait before each attempt: the first
   *   entry before the first attempt (usually 0), each later one after the previous attempt
   *   failed. Its length is the number of attempts.
   * @param {number} [options.scale=1]   multiplies every wait (tests: 0.001 turns minutes into
   *   tenths of a second); the attempt timeout is not scaled
   * @param {number} [options.timeoutMs=15000] how long an attempt may wait for the answer's
   *   status; the part of the body the log keeps is read within the same time, or cut short
   * @param {number} [options.maxLog=1000] deliveries the log keeps. When full, the oldest
   *   finished one is forgotten; if every entry is still pending, the oldest is cancelled
   * @param {(level: string, message: string) => void} [options.log] one line per attempt
   *   (URLs without query or credentials; never a header)
   */
  constructor({ schedule, scale = 1, timeoutMs = 15_000, maxLog = 1000, log = () => {}, ...rest } = {}) {
    const unknown = Object.keys(rest);
    if (unknown.length) throw new TypeError(`Deliveries: unknown option ${unknown.join(', ')} (schedule, scale, timeoutMs, maxLog, log)`);
    if (!Array.isArray(schedule) || schedule.length === 0 || !schedule.every((ms) => Number.isFinite(ms) && ms >= 0)) {
      throw new TypeError('Deliveries: schedule must be a non-empty array of waits in milliseconds (≥ 0), one per attempt');
    }
    if (!(Number.isFinite(scale) && scale >= 0)) throw new TypeError('Deliveries: scale must be a finite number ≥ 0');
    if (!(Number.isInteger(timeoutMs) && timeoutMs > 0)) throw new TypeError('Deliveries: timeoutMs must be a positive integer');
    if (!(Number.isInteger(maxLog) && maxLog > 0)) throw new TypeError('Deliveries: maxLog must be a positive integer');
    if (typeof log !== 'function') throw new TypeError('Deliveries: log must be a function (level, message)');
    if (schedule.some((ms) => ms * scale > MAX_TIMER_MS)) {
      throw new TypeError(`Deliveries: a scaled wait must be at most ${MAX_TIMER_MS} ms (about 24.8 days: the longest timer Node keeps)`);
    }
    this.#schedule = schedule.slice();
    this.#scale = scale;
    this.#timeoutMs = timeoutMs;
    this.#maxLog = maxLog;
    this.#log = (level, message) => {
      try {
        log(level, message);
      } catch {
        // A failing logger must not leave a delivery stuck half-way through an attempt.
      }
    };
  }

  /**
   * Starts a delivery and returns its id; the first attempt follows `schedule[0]` later.
   *
   * @param {object} delivery
   * @param {string} delivery.url       http: or https:
   * @param {string|Uint8Array} delivery.body  sent unchanged on every attempt
   * @param {object|((attempt: {id: string, n: number, date: Date}) => object)} [delivery.headers]
   *   request headers, or a function returning them for each attempt (`date` is the
   *   attempt's time, e.g. for a signature). `content-type` defaults to application/json
   * @param {string} [delivery.id]      default a random UUID; must be new to this log
   * @param {string} [delivery.label]   what is delivered, for the log
   * @returns {string} the id
   */
  send({ url, body, headers = {}, id = randomUUID(), label = '', ...rest }) {
    const unknown = Object.keys(rest);
    if (unknown.length) throw new TypeError(`Deliveries.send: unknown field ${unknown.join(', ')} (url, body, headers, id, label)`);
    if (this.#closed) throw new Error('Deliveries.send: closed');
    checkUrl(url);
    if (typeof body !== 'string' && !(body instanceof Uint8Array)) throw new TypeError('Deliveries.send: body must be a string or a Uint8Array');
    if (typeof headers !== 'function' && (headers === null || typeof headers !== 'object')) {
      throw new TypeError('Deliveries.send: headers must be an object or a function ({id, n, date}) => object');
    }
    if (typeof id !== 'string' || id === '') throw new TypeError('Deliveries.send: id must be a non-empty string');
    if (this.#records.has(id)) throw new TypeError(`Deliveries.send: a delivery ${id} is already in the log`);
    this.#makeRoom();
    const record = {
      id, label: String(label), url, status: 'pending', createdAt: new Date().toISOString(), attempts: [], nextAttemptAt: null,
    };
    this.#records.set(id, record);
    this.#live.set(id, { timer: null, controller: null, settle: [], headers, body });
    this.#plan(record);
    return id;
  }

  /** A copy of one delivery's record, or null when the log does not hold it. */
  get(id) {
    const record = this.#records.get(id);
    return record ? copy(record) : null;
  }

  /** Copies of the log's records, oldest first. */
  list() {
    return [...this.#records.values()].map(copy);
  }

  /**
   * Resolves with the record once the delivery is no longer pending (delivered, failed after
   * the last attempt, or cancelled); at once for a finished one, with null for an unknown id.
   */
  settled(id) {
    const live = this.#live.get(id);
    if (!live) return Promise.resolve(this.get(id));
    return new Promise((resolve) => live.settle.push(resolve));
  }

  /** Stops a pending delivery (an attempt in flight is aborted). False if it was not pending. */
  cancel(id) {
    const live = this.#live.get(id);
    if (!live) return false;
    clearTimeout(live.timer);
    live.controller?.abort();
    this.#finish(this.#records.get(id), 'cancelled');
    return true;
  }

  /** Cancels every pending delivery; nothing can be sent afterwards. Idempotent. */
  async close() {
    this.#closed = true;
    for (const id of [...this.#live.keys()]) this.cancel(id);
  }

  #plan(record) {
    const n = record.attempts.length;
    if (n >= this.#schedule.length) {
      this.#finish(record, 'failed');
      return;
    }
    const waitMs = Math.round(this.#schedule[n] * this.#scale);
    record.nextAttemptAt = new Date(Date.now() + waitMs).toISOString();
    const live = this.#live.get(record.id);
    live.timer = setTimeout(() => {
      live.timer = null;
      this.#attempt(record, live);
    }, waitMs);
  }

  async #attempt(record, live) {
    const n = record.attempts.length + 1;
    const date = new Date();
    const attempt = { n, at: date.toISOString(), status: null, error: null, durationMs: 0, response: '' };
    record.attempts.push(attempt);
    record.nextAttemptAt = null;
    live.controller = new AbortController();
    Object.assign(attempt, await post(record, live, { n, date, timeoutMs: this.#timeoutMs }));
    attempt.durationMs = Date.now() - date.getTime();
    live.controller = null;
    if (record.status !== 'pending') return; // cancelled while in flight
    const what = attempt.status !== null ? `answered ${attempt.status}` : `failed (${attempt.error})`;
    const where = `delivery ${record.id} (${record.label}) to ${safeUrl(record.url)}`;
    if (attempt.status !== null && attempt.status >= 200 && attempt.status < 300) {
      this.#log('info', `${where}: attempt ${n} ${what}; delivered`);
      this.#finish(record, 'delivered');
      return;
    }
    const left = this.#schedule.length - n;
    this.#log('warn', `${where}: attempt ${n}/${this.#schedule.length} ${what}; `
      + (left ? `retrying in ${Math.round(this.#schedule[n] * this.#scale)} ms` : 'giving up'));
    this.#plan(record);
  }

  #finish(record, status) {
    record.status = status;
    record.nextAttemptAt = null;
    const live = this.#live.get(record.id);
    this.#live.delete(record.id);
    for (const resolve of live?.settle ?? []) resolve(copy(record));
  }

  // The log is bounded: forget the oldest finished delivery, or else cancel the oldest pending.
  #makeRoom() {
    if (this.#records.size < this.#maxLog) return;
    for (const [id, record] of this.#records) {
      if (record.status !== 'pending') { this.#records.delete(id); return; }
    }
    const [oldest] = this.#records.keys();
    this.#log('warn', `delivery ${oldest}: cancelled, ${this.#maxLog} deliveries are pending (maxLog)`);
    this.cancel(oldest);
    this.#records.delete(oldest);
  }
}

/** One attempt: → {status, response} or {error}. Never throws. */
async function post(record, live, { n, date, timeoutMs }) {
  let headers;
  try {
    const given = typeof live.headers === 'function' ? live.headers({ id: record.id, n, date }) : live.headers;
    headers = { 'content-type': 'application/json', ...given };
  } catch (err) {
    return { error: `headers: ${err?.message ?? err}` };
  }
  const cancelled = live.controller.signal;
  const signal = AbortSignal.any([cancelled, AbortSignal.timeout(timeoutMs)]);
  try {
    const res = await fetch(record.url, { method: 'POST', headers, body: live.body, redirect: 'manual', signal });
    return { status: res.status, response: await prefix(res, signal) };
  } catch (err) {
    if (cancelled.aborted) return { error: 'cancelled' };
    if (signal.aborted) return { error: `timeout after ${timeoutMs} ms` };
    return { error: `network: ${err?.cause?.code ?? err?.code ?? err?.cause?.message ?? err?.message ?? String(err)}` };
  }
}

function checkUrl(url) {
  let parsed = null;
  try {
    parsed = typeof url === 'string' ? new URL(url) : null;
  } catch {
    // not a URL: refused below
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new TypeError('Deliveries.send: url must be an absolute http: or https: URL');
  }
  if (parsed.username || parsed.password) {
    throw new TypeError('Deliveries.send: url must not hold credentials (fetch refuses them); send an authorization header instead');
  }
}

/** A URL for the log: no query or fragment (they may carry tokens). */
function safeUrl(url) {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

// At most RESPONSE_PREFIX_BYTES of the body, then the rest is dropped unread.
async function prefix(res, signal) {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks = [];
  let size = 0;
  try {
    while (size < RESPONSE_PREFIX_BYTES && !signal.aborted) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // The answer's status is what counts; a body cut short only shortens the log.
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, RESPONSE_PREFIX_BYTES));
  let at = 0;
  for (const c of chunks) {
    const part = c.subarray(0, bytes.length - at);
    bytes.set(part, at);
    at += part.length;
    if (at === bytes.length) break;
  }
  return new TextDecoder().decode(bytes);
}

function copy(record) {
  return { ...record, attempts: record.attempts.map((a) => ({ ...a })) };
}
