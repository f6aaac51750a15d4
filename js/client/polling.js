// Waiting for a background job by polling (Puffle generation runs, onboarding sessions):
// the wait between polls, the deadline, the caller's signal, and which failures of one poll
// do not end the wait. The resources say what to read and when it is done.
import { NetworkError, RateLimitError, ServerError, TimeoutError } from '../errors.js';
import { sleep } from '../util/sleep.js';

const okMs = (n) => typeof n === 'number' && Number.isFinite(n) && n >= 0;

/** Transient trouble (already retried by the request core) does not end a wait. */
const isTransient = (err) => err instanceof NetworkError || err instanceof TimeoutError
  || err instanceof ServerError || err instanceof RateLimitError;

/** Checks a wait's `interval` (ms, or a [min, max] pair) and `timeout` (ms); TypeError otherwise. */
function checkWait(interval, timeout) {
  if (!(okMs(interval) || (Array.isArray(interval) && interval.length === 2 && interval.every(okMs) && interval[0] <= interval[1]))) {
    throw new TypeError('interval must be a number of ms or a [min, max] pair');
  }
  if (!okMs(timeout)) throw new TypeError('timeout must be a non-negative number of ms');
}

/**
 * Polls until `judge` says done and returns the last value read.
 * - `interval`, `timeout`: as checkWait takes them (a pair: a random time in the range each time);
 * - `read()`: one poll; a transient failure is passed to `judge` and `onProgress` as `error`;
 * - `judge(value, error)`: `{done, progress}`; `progress` is merged into what onProgress gets;
 * - `onProgress(state)`: after each poll, `{poll, elapsedMs, error, ...progress}` (awaited);
 * - `timedOut(polls)`: the error to throw when the deadline passes first.
 * A poll never starts after the deadline; the caller's `signal` ends any wait.
 */
export async function pollUntil({ interval, timeout, signal, read, judge, onProgress, timedOut }) {
  checkWait(interval, timeout);
  const nextWait = () => (Array.isArray(interval) ? interval[0] + Math.random() * (interval[1] - interval[0]) : interval);
  const started = Date.now();
  const deadline = started + timeout;
  for (let poll = 1; ; poll++) {
    await sleep(Math.min(Math.max(0, deadline - Date.now()), nextWait()), signal);
    let value;
    let error;
    try {
      value = await read();
    } catch (err) {
      if (!isTransient(err)) throw err;
      error = err;
    }
    const { done, progress } = judge(value, error);
    if (onProgress) await onProgress({ ...progress, poll, elapsedMs: Date.now() - started, error });
    if (done) return value;
    if (Date.now() >= deadline) throw timedOut(poll);
  }
}
